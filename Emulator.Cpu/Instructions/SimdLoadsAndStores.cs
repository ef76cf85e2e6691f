using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The SIMD&amp;FP loads and stores (Arm ARM C4.1.4 with V = 1): single registers B/H/S/D/Q in every addressing
/// form, pairs, and the LD1-LD4/ST1-ST4 structure forms. Each handler checks the FP/SIMD trap first
/// (AArch64.CheckFPAdvSIMDEnabled), then the base (SP alignment), then accesses memory through
/// <see cref="Cpu.TryRead"/>/<see cref="Cpu.TryWrite"/> like the integer forms, so the MMU, alignment, hooks and
/// the access log see them alike. Loads read everything before writing any register, and writeback comes last,
/// so a faulting instruction leaves the registers unchanged (the exception is precise).
/// A 16-byte access is made as two 64-bit accesses, low address first: the Arm ARM gives a Q access single-copy
/// atomicity per 64 bits only (B2.2.1), and the alignment check is still the one of the 16-byte access.
/// </summary>
internal static unsafe partial class SimdLoadsAndStores
{
    public static EncodingRow[] Rows =>
    [
        .. RegisterRows,
        .. PairRows,
        .. MultipleStructureRows,
        .. SingleStructureRows,
    ];

    /// <summary>X[n], or SP after its alignment check when n == 31. False: a fault was taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BaseAddress(Cpu cpu, int n, out ulong address)
    {
        if (n != 31) { address = cpu.X[n]; return true; }
        address = cpu.SP;
        return LoadsAndStores.CheckSpAlignment(cpu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SignExtend(ulong value, int bits) => (ulong)((long)(value << (64 - bits)) >> (64 - bits));

    /// <summary>Mem[address, 1 &lt;&lt; scale] for scale 0-4 (B to Q); the bytes above the access size read 0.</summary>
    internal static bool Read(Cpu cpu, ulong address, int scale, out ulong lo, out ulong hi)
    {
        hi = 0;
        if (scale < 4) return cpu.TryRead(address, 1 << scale, out lo);
        var flags = (address & 15) != 0 ? AccessFlags.Misaligned16 : AccessFlags.None;
        return cpu.TryRead(address, 8, out lo, flags) && cpu.TryRead(address + 8, 8, out hi);
    }

    /// <summary>Mem[address, 1 &lt;&lt; scale] = the low bits of hi:lo.</summary>
    internal static bool Write(Cpu cpu, ulong address, int scale, ulong lo, ulong hi)
    {
        if (scale < 4) return cpu.TryWrite(address, 1 << scale, lo);
        var flags = (address & 15) != 0 ? AccessFlags.Misaligned16 : AccessFlags.None;
        return cpu.TryWrite(address, 8, lo, flags) && cpu.TryWrite(address + 8, 8, hi);
    }

    /// <summary>V[t] = the loaded value: a B/H/S/D load clears the rest of the register (V[] setter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetLoaded(Cpu cpu, int t, int scale, ulong lo, ulong hi)
    {
        if (scale == 4) { cpu.Vreg[2 * t] = lo; cpu.Vreg[2 * t + 1] = hi; }
        else cpu.SetScalar(t, lo, 8 << scale);
    }
}
