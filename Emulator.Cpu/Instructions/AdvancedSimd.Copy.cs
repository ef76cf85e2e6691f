using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD copy and scalar copy (Arm ARM C4.1.6): 0 Q op 01110000 imm5 0 imm4 1 Rn Rd. The element size is
/// LowestSetBit(imm5) (imm5 = x0000 is reserved) and the index the bits of imm5 above it.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private static EncodingRow[] CopyRows =>
    [
        new("0x001110_000xxxxx_000001xx_xxxxxxxx", "DUP (element)", &DupElement, TimingClass.SimdFp, PrepareDupElement),
        new("01011110_000xxxxx_000001xx_xxxxxxxx", "DUP (element, scalar)", &DupElementScalar, TimingClass.SimdFp, PrepareCopySize),
        new("0x001110_000xxxxx_000011xx_xxxxxxxx", "DUP (general)", &DupGeneral, TimingClass.SimdFp, PrepareDupElement),
        new("01001110_000xxxxx_000111xx_xxxxxxxx", "INS (general)", &InsGeneral, TimingClass.SimdFp, PrepareCopySize),
        new("01101110_000xxxxx_0xxxx1xx_xxxxxxxx", "INS (element)", &InsElement, TimingClass.SimdFp, PrepareCopySize),
        new("0x001110_000xxxxx_001011xx_xxxxxxxx", "SMOV", &Smov, TimingClass.SimdFp, PrepareSmov),
        new("0x001110_000xxxxx_001111xx_xxxxxxxx", "UMOV", &Umov, TimingClass.SimdFp, PrepareUmov),
    ];

    /// <summary>Imm = size (LowestSetBit(imm5)); false when imm5&lt;3:0&gt; = 0000.</summary>
    private static bool PrepareCopySize(uint raw, ref DecodedInst i)
    {
        uint imm5 = (raw >> 16) & 0x1F;
        if ((imm5 & 0xF) == 0) return false;
        i.Imm = (ulong)System.Numerics.BitOperations.TrailingZeroCount(imm5);
        return true;
    }

    /// <summary>DUP with a 64-bit element needs Q = 1.</summary>
    private static bool PrepareDupElement(uint raw, ref DecodedInst i) =>
        PrepareCopySize(raw, ref i) && !(i.Imm == 3 && (raw & (1u << 30)) == 0);

    /// <summary>SMOV Wd takes B or H; SMOV Xd B, H or S.</summary>
    private static bool PrepareSmov(uint raw, ref DecodedInst i) =>
        PrepareCopySize(raw, ref i) && i.Imm < ((raw & (1u << 30)) != 0 ? 3u : 2u);

    /// <summary>UMOV Wd takes B, H or S; UMOV Xd only D.</summary>
    private static bool PrepareUmov(uint raw, ref DecodedInst i) =>
        PrepareCopySize(raw, ref i) && ((raw & (1u << 30)) != 0 ? i.Imm == 3 : i.Imm < 3);

    private static int CopyIndex(ref DecodedInst i) => (int)(((i.Raw >> 16) & 0x1F) >> (int)(i.Imm + 1));

    private static void DupElement(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = 8 << (int)i.Imm;
        ulong lanes = SimdLoadsAndStores.Replicate(cpu.Element(i.Rn, CopyIndex(ref i), esize), esize);
        SetVector(cpu, ref i, i.Rd, lanes, lanes);
    }

    private static void DupElementScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = 8 << (int)i.Imm;
        cpu.SetScalar(i.Rd, cpu.Element(i.Rn, CopyIndex(ref i), esize), esize);
    }

    private static void DupGeneral(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        ulong lanes = SimdLoadsAndStores.Replicate(cpu.Xr(i.Rn), 8 << (int)i.Imm);
        SetVector(cpu, ref i, i.Rd, lanes, lanes);
    }

    private static void InsGeneral(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        cpu.SetElement(i.Rd, CopyIndex(ref i), 8 << (int)i.Imm, cpu.Xr(i.Rn));
    }

    /// <summary>INS (element): Vd[imm5 index] = Vn[imm4 &gt;&gt; size].</summary>
    private static void InsElement(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int size = (int)i.Imm, esize = 8 << size;
        int src = (int)(((i.Raw >> 11) & 0xF) >> size);
        cpu.SetElement(i.Rd, CopyIndex(ref i), esize, cpu.Element(i.Rn, src, esize));
    }

    private static void Smov(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = 8 << (int)i.Imm;
        ulong value = (ulong)((long)(cpu.Element(i.Rn, CopyIndex(ref i), esize) << (64 - esize)) >> (64 - esize));
        cpu.SetX(i.Rd, (i.Raw & (1u << 30)) != 0 ? value : (uint)value);
    }

    private static void Umov(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        cpu.SetX(i.Rd, cpu.Element(i.Rn, CopyIndex(ref i), 8 << (int)i.Imm));
    }
}
