namespace Aegis.Emulator.Mmu;

/// <summary>What the translation is for; permission checks and fault syndromes depend on it.</summary>
public enum AccessKind : byte
{
    Read,
    Write,
    Fetch,
    /// <summary>Data cache maintenance by VA (DC CIVAC etc.): checked like a read, reported with CM=1, WnR=1.</summary>
    CacheMaintenance,
}
