using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Advanced SIMD scalar pairwise (FP forms, U = 1) and across lanes (FP forms: 4S only in Armv8.0).</summary>
internal static unsafe partial class AdvancedSimdFp
{
    private static EncodingRow[] PairwiseAndAcrossLanesRows =>
    [
        // Scalar pairwise: 01 U=1 11110 a sz 11000 opcode[16:12] 10 Rn Rd
        Row("01111110_0x110000_110010xx_xxxxxxxx", "FMAXNMP, scalar", &PairwiseScalar),
        Row("01111110_0x110000_110110xx_xxxxxxxx", "FADDP, scalar", &PairwiseScalar),
        Row("01111110_0x110000_111110xx_xxxxxxxx", "FMAXP, scalar", &PairwiseScalar),
        Row("01111110_1x110000_110010xx_xxxxxxxx", "FMINNMP, scalar", &PairwiseScalar),
        Row("01111110_1x110000_111110xx_xxxxxxxx", "FMINP, scalar", &PairwiseScalar),
        // Across lanes: 0 Q U=1 01110 a sz=0 11000 opcode 10 Rn Rd, with Q = 1 (sz:Q other than 01 reserved)
        Row("01101110_00110000_110010xx_xxxxxxxx", "FMAXNMV", &AcrossLanes),
        Row("01101110_00110000_111110xx_xxxxxxxx", "FMAXV", &AcrossLanes),
        Row("01101110_10110000_110010xx_xxxxxxxx", "FMINNMV", &AcrossLanes),
        Row("01101110_10110000_111110xx_xxxxxxxx", "FMINV", &AcrossLanes),
    ];

    /// <summary>The reduction of a = bit 23 and opcode&lt;1:0&gt;: 00 max/min number, 01 add, 11 max/min.</summary>
    private static Binary PairOp(uint raw) => (((raw >> 23) & 1) << 2 | ((raw >> 12) & 3)) switch
    {
        0b000 => FPOps.FPMaxNum,
        0b001 => FPOps.FPAdd,
        0b011 => FPOps.FPMax,
        0b100 => FPOps.FPMinNum,
        _ => FPOps.FPMin,
    };

    /// <summary>FADDP/FMAXP/... (scalar): the operation on the two elements of Vn (2S or 2D by sz).</summary>
    private static void PairwiseScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = ESize(i.Raw);
        ulong r = PairOp(i.Raw)(cpu.Element(i.Rn, 0, esize), cpu.Element(i.Rn, 1, esize), esize, cpu.Sys.FPCR, ref cpu.Sys.FPSR);
        cpu.SetScalar(i.Rd, r, esize);
    }

    /// <summary>FMAXV and friends: Reduce halves recursively, op(op(e0, e1), op(e2, e3)), as the pseudocode's Reduce.</summary>
    private static void AcrossLanes(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        var op = PairOp(i.Raw);
        ulong fpcr = cpu.Sys.FPCR;
        ulong hi = op(cpu.Element(i.Rn, 2, 32), cpu.Element(i.Rn, 3, 32), 32, fpcr, ref cpu.Sys.FPSR);
        ulong lo = op(cpu.Element(i.Rn, 0, 32), cpu.Element(i.Rn, 1, 32), 32, fpcr, ref cpu.Sys.FPSR);
        cpu.SetScalar(i.Rd, op(lo, hi, 32, fpcr, ref cpu.Sys.FPSR), 32);
    }
}
