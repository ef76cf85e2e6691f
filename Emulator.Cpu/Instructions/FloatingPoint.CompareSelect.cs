using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Floating-point compare, conditional compare, conditional select and immediate (Arm ARM C4.1.6).</summary>
internal static unsafe partial class FloatingPoint
{
    private static EncodingRow[] CompareSelectRows =>
    [
        // Compare: ... Rm op[15:14]=00 1000 Rn opcode2[4:0]; opcode2<3> selects the #0.0 form, <4> FCMPE, <2:0> = 000.
        Row("00011110_xx1xxxxx_001000xx_xxx0x000", "FCMP", &Fcmp, SingleOrDouble),
        Row("00011110_xx1xxxxx_001000xx_xxx1x000", "FCMPE", &Fcmp, SingleOrDouble),
        // Conditional compare: ... Rm cond 01 Rn op nzcv
        Row("00011110_xx1xxxxx_xxxx01xx_xxx0xxxx", "FCCMP", &Fccmp, SingleOrDouble),
        Row("00011110_xx1xxxxx_xxxx01xx_xxx1xxxx", "FCCMPE", &Fccmp, SingleOrDouble),
        // Conditional select: ... Rm cond 11 Rn Rd
        Row("00011110_xx1xxxxx_xxxx11xx_xxxxxxxx", "FCSEL", &Fcsel, SingleOrDouble),
        // Immediate: ... imm8[20:13] 100 imm5 = 00000 Rd
        Row("00011110_xx1xxxxx_xxx10000_000xxxxx", "FMOV (scalar, immediate)", &FmovImmediate, SingleOrDouble),
    ];

    /// <summary>FCMP/FCMPE: NZCV = FPCompare(Vn, Vm or +0.0); FCMPE signals Invalid Operation for quiet NaNs too.</summary>
    private static void Fcmp(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        bool withZero = (i.Raw & 8) != 0, signalNaNs = (i.Raw & 0x10) != 0;
        ulong op2 = withZero ? 0 : Operand(cpu, i.Rm, n);
        cpu.Nzcv = FPOps.FPCompare(Operand(cpu, i.Rn, n), op2, signalNaNs, n, Fpcr(cpu), ref cpu.Sys.FPSR);
    }

    /// <summary>FCCMP/FCCMPE: the comparison's flags if cond holds, else the immediate nzcv (no exception either way).</summary>
    private static void Fccmp(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        if (Conditions.Holds((i.Raw >> 12) & 0xF, cpu.Nzcv))
            cpu.Nzcv = FPOps.FPCompare(Operand(cpu, i.Rn, n), Operand(cpu, i.Rm, n), (i.Raw & 0x10) != 0, n, Fpcr(cpu), ref cpu.Sys.FPSR);
        else
            cpu.Nzcv = (i.Raw & 0xF) << 28;
    }

    private static void Fcsel(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        bool holds = Conditions.Holds((i.Raw >> 12) & 0xF, cpu.Nzcv);
        cpu.SetScalar(i.Rd, Operand(cpu, holds ? i.Rn : i.Rm, n), n);
    }

    private static void FmovImmediate(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, VFPExpandImm((i.Raw >> 13) & 0xFF, n), n);
    }

    /// <summary>VFPExpandImm: sign = imm8&lt;7&gt;, exponent NOT(b):Replicate(b, E-3):imm8&lt;5:4&gt; with b = imm8&lt;6&gt;, fraction imm8&lt;3:0&gt; at the top.</summary>
    internal static ulong VFPExpandImm(uint imm8, int n)
    {
        int e = FPOps.ExpBits(n), f = FPOps.FracBits(n);
        ulong b = (imm8 >> 6) & 1;
        ulong exp = ((b ^ 1) << (e - 1)) | ((b == 1 ? (1UL << (e - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
        ulong frac = (ulong)(imm8 & 0xF) << (f - 4);
        return ((ulong)(imm8 >> 7) << (n - 1)) | (exp << f) | frac;
    }
}
