using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Loads and stores, general-purpose registers only (Arm ARM C4.1.4, Armv8.0-A; the V = 1 forms belong
/// to the SIMD&amp;FP class). The rows come from one file per addressing form; this file holds what they
/// share: the base register with its SP alignment check, and the single-register transfer.
/// Every access goes through <see cref="Cpu.TryRead"/>/<see cref="Cpu.TryWrite"/>; a handler whose access
/// faulted returns before writing any register, so a faulting instruction leaves Rt and Rn unchanged.
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    public static EncodingRow[] Rows =>
    [
        .. ImmediateRows,
        .. UnscaledRows,
        .. RegisterOffsetRows,
        .. LiteralRows,
        .. PairRows,
        .. ExclusiveRows,
    ];

    private const ulong SctlrSa = 1UL << 3;
    private const ulong SctlrSa0 = 1UL << 4;

    /// <summary>
    /// AArch64.CheckSPAlignment (Arm ARM D1.8.2): with SCTLR_ELx.SA (SA0 at EL0) set, a load or store
    /// whose base is SP takes an SP alignment fault (EC 0x26, ISS 0) unless SP is 16-byte aligned.
    /// QEMU 7.2 leaves gen_check_sp_alignment() empty; we follow the architecture.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool CheckSpAlignment(Cpu cpu)
    {
        if ((cpu.SP & 15) == 0) return true;
        ulong sctlr = cpu.EL == 2 ? cpu.MmuRegs.SCTLR_EL2 : cpu.MmuRegs.SCTLR_EL1;
        if ((sctlr & (cpu.EL == 0 ? SctlrSa0 : SctlrSa)) == 0) return true;
        cpu.TakeSyncException(ExceptionClass.SpAlignment, 0, cpu.PC);
        return false;
    }

    /// <summary>X[n], or SP[] after its alignment check when n == 31. False: the SP alignment fault was taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BaseAddress(Cpu cpu, int n, out ulong address)
    {
        if (n != 31) { address = cpu.X[n]; return true; }
        address = cpu.SP;
        return CheckSpAlignment(cpu);
    }

    /// <summary>An alignment fault for an access the instruction itself checks (the 16-byte exclusive pairs).</summary>
    private static void AlignmentFault(Cpu cpu, ulong address, bool write) =>
        cpu.TakeDataAbort(address, new MmuFault(FaultKind.Alignment, 0), write);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SignExtend(ulong value, int bits) => (ulong)((long)(value << (64 - bits)) >> (64 - bits));

    /// <summary>
    /// The load half of "Load/store register" (size [31:30], opc [23:22]): opc 01 zero-extends,
    /// 10 sign-extends to 64 bits, 11 sign-extends to 32 bits (then zero-extends, as every W write does).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LoadRegister(Cpu cpu, uint raw, int t, ulong address, AccessFlags flags)
    {
        int sizeLog2 = (int)(raw >> 30);
        if (!cpu.TryRead(address, 1 << sizeLog2, out ulong value, flags)) return false;
        switch ((raw >> 22) & 3)
        {
            case 0b10: value = SignExtend(value, 8 << sizeLog2); break;
            case 0b11: value = (uint)SignExtend(value, 8 << sizeLog2); break;
        }
        cpu.SetX(t, value);
        return true;
    }

    /// <summary>The store half: the low 8 &lt;&lt; size bits of X[t] (XZR when t == 31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreRegister(Cpu cpu, uint raw, int t, ulong address, AccessFlags flags) =>
        cpu.TryWrite(address, 1 << (int)(raw >> 30), cpu.Xr(t), flags);

    /// <summary>PRFM in every form: a hint with no architectural effect that never faults (no SP check either).</summary>
    private static void Prefetch(Cpu cpu, ref DecodedInst i) { }
}
