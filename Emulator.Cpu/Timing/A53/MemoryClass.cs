namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The memory types that time differently (Arm ARM B2.7 "Memory types and attributes"): Normal Write-Back
/// cacheable goes through the caches; Normal Non-cacheable and Device bypass them and go to the bus.
/// The A53 L1 data cache supports only a Write-Back policy (DDI0500 §6, "Read allocate mode"); which class a
/// Write-Through page gets is the caller's choice.
/// </summary>
public enum MemoryClass : byte
{
    Cacheable,
    NormalNonCacheable,
    Device,
}
