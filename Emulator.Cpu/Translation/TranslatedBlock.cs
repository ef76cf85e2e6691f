using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Runs a block's instructions from its first, stopping early after an instruction that took an exception, went past
/// the fast memory path (a device, a page's first access) or wrote code, or once the clock reaches
/// <paramref name="stopAt"/> or <paramref name="budget"/> instructions have run. Returns the instructions run (at least 1).
/// </summary>
internal delegate int BlockCode(Cpu cpu, DecodedInst[] page, ulong stopAt, ulong budget);

/// <summary>A guest basic block translated to a .NET method: its code, its length and what it cost to make.</summary>
internal sealed class TranslatedBlock(BlockCode code, ulong pc, int length, int ilBytes, int inlined)
{
    public readonly BlockCode Code = code;
    /// <summary>The virtual address it was made for: its code holds PC values. The same physical code may run at
    /// another address (Linux runs its first instructions identity-mapped, then at its link address).</summary>
    public readonly ulong Pc = pc;
    /// <summary>Guest instructions in the block (all in one 4 KiB page).</summary>
    public readonly int Length = length;
    /// <summary>Size of the generated IL: the cache's size measure.</summary>
    public readonly int IlBytes = ilBytes;
    /// <summary>Instructions generated inline (the others call their handler).</summary>
    public readonly int Inlined = inlined;
}
