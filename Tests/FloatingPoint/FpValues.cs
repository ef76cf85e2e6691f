using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// Seeded operands for the floating-point tests, biased to where the Arm rules branch: both zeros, infinities,
/// quiet and signalling NaNs with payloads, denormals, the extreme normals, values near 1 with short fractions
/// (so sums and products land on rounding ties), halves of small integers and values near the integer limits.
/// </summary>
internal sealed class FpValues(Random rng)
{
    public ulong Fp(int n)
    {
        int e = FPOps.ExpBits(n), f = FPOps.FracBits(n);
        int bias = (1 << (e - 1)) - 1, maxExp = (1 << e) - 1;
        ulong sign = rng.Next(2) == 0 ? 0 : FPOps.SignBit(n);
        ulong fracMask = (1UL << f) - 1;
        ulong RandomFrac() => (ulong)rng.NextInt64() & fracMask;
        ulong ShortFrac() => RandomFrac() & ~((1UL << rng.Next(f + 1)) - 1) & fracMask;
        ulong Make(long exp, ulong frac) => sign | ((ulong)Math.Clamp(exp, 0, maxExp) << f) | (frac & fracMask);
        switch (rng.Next(18))
        {
            case 0: return sign;
            case 1: return Make(maxExp, 0);
            case 2: return Make(maxExp, (1UL << (f - 1)) | (rng.Next(2) == 0 ? 0 : RandomFrac()));
            case 3: { ulong p = RandomFrac() & ((1UL << (f - 1)) - 1); return Make(maxExp, p == 0 ? 1 : p); }
            case 4: return Make(0, rng.Next(3) switch { 0 => 1, 1 => fracMask, _ => Math.Max(1, RandomFrac() >> rng.Next(f)) });
            case 5: return Make(rng.Next(3) switch { 0 => 1, 1 => 2, _ => maxExp - 1 }, rng.Next(2) == 0 ? RandomFrac() : rng.Next(2) == 0 ? 0 : fracMask);
            case 6:
            {
                // k or k + 1/2 for small k: the ties of FRINT* and FCVT*
                double x = rng.Next(0, 64) + (rng.Next(2) == 0 ? 0.5 : 0.0) + (rng.Next(4) == 0 ? 0.25 : 0);
                ulong bits = n == 64 ? BitConverter.DoubleToUInt64Bits(x) : n == 32 ? BitConverter.SingleToUInt32Bits((float)x) : BitConverter.HalfToUInt16Bits((Half)x);
                return bits | sign;
            }
            case 7:
            {
                int[] limits = n == 16 ? [10, 14, 15, 16] : [15, 16, 31, 32, 52, 53, 63, 64];
                int k = limits[rng.Next(limits.Length)] + rng.Next(-1, 1);
                ulong frac = rng.Next(3) switch { 0 => 0, 1 => fracMask, _ => (ulong)rng.Next(1, 8) };
                return Make(bias + k, frac);
            }
            case 8: case 9: case 10: return Make(bias + rng.Next(-3, 4), ShortFrac());
            case 11: case 12: return Make(rng.Next(1, maxExp), RandomFrac());
            case 13: return Make(rng.Next(1, Math.Min(maxExp, f + 4)), ShortFrac());
            case 14: return Make(bias + rng.Next(-(bias / 2) - 4, -(bias / 2) + 4), RandomFrac());
            case 15: return Make(maxExp - 1 - rng.Next(4), ShortFrac());
            case 16: return Make(bias + rng.Next(bias / 2 - 4, bias / 2 + 4), RandomFrac());
            default: return Make(bias + rng.Next(-20, 21), RandomFrac());
        }
    }

    /// <summary>An FP operand in the low N bits with random bits above (which the instructions must ignore).</summary>
    public ulong FpInRegister(int n) => n == 64 ? Fp(64) : Fp(n) | ((ulong)rng.NextInt64() << n);

    /// <summary>An integer source for SCVTF/UCVTF: edges of every width, small values of both signs, random.</summary>
    public ulong Integer() => rng.Next(5) switch
    {
        0 => (ulong)rng.Next(-20, 21),
        1 => (1UL << rng.Next(64)) + (ulong)rng.Next(-2, 3),
        2 => (ulong)rng.NextInt64() >> rng.Next(64),
        3 => ~((ulong)rng.NextInt64() >> rng.Next(64)),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(4) << 62),
    };

    /// <summary>FPCR with a random rounding mode and FZ, DN, AHP each on or off.</summary>
    public ulong Fpcr() => ((ulong)rng.Next(4) << FPBits.RModeShift) | (rng.Next(2) == 0 ? 0 : FPBits.FZ)
        | (rng.Next(2) == 0 ? 0 : FPBits.DN) | (rng.Next(3) == 0 ? FPBits.AHP : 0);
}
