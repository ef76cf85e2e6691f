using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Barriers (Arm ARM C6.2: DSB, DMB, ISB, CLREX). The core is in order and every system-register write
/// takes effect at once, so the barriers have no functional effect; timing models charge them.
/// </summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    internal static void Dsb(Cpu cpu, ref DecodedInst i) { }

    internal static void Dmb(Cpu cpu, ref DecodedInst i) { }

    internal static void Isb(Cpu cpu, ref DecodedInst i) { }

    /// <summary>CLREX: ClearExclusiveLocal.</summary>
    internal static void Clrex(Cpu cpu, ref DecodedInst i) => cpu.Exclusive.Clear();
}
