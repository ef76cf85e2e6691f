using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD across lanes (0 Q U 01110 size 11000 opcode 10 Rn Rd), the integer forms: SADDLV/UADDLV (a
/// 2*esize sum), SMAXV/UMAXV, SMINV/UMINV, ADDV. 64-bit elements and 4 x 32-bit with Q = 0 are reserved (the
/// 2S arrangement has no across-lanes form).
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private static EncodingRow[] AcrossLanesRows =>
    [
        new("0x001110_xx110000_001110xx_xxxxxxxx", "SADDLV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x101110_xx110000_001110xx_xxxxxxxx", "UADDLV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x001110_xx110000_101010xx_xxxxxxxx", "SMAXV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x101110_xx110000_101010xx_xxxxxxxx", "UMAXV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x001110_xx110001_101010xx_xxxxxxxx", "SMINV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x101110_xx110001_101010xx_xxxxxxxx", "UMINV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        new("0x001110_xx110001_101110xx_xxxxxxxx", "ADDV", &AcrossLanes, TimingClass.SimdFp, PrepareAcross),
        // Advanced SIMD scalar pairwise, its integer form: ADDP Dd, Vn.2D.
        new("01011110_11110001_101110xx_xxxxxxxx", "ADDP (scalar)", &AddpScalar, TimingClass.SimdFp),
    ];

    private static void AddpScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        cpu.SetScalar(i.Rd, cpu.Vreg[2 * i.Rn] + cpu.Vreg[2 * i.Rn + 1], 64);
    }

    private static bool PrepareAcross(uint raw, ref DecodedInst i)
    {
        uint size = (raw >> 22) & 3;
        return size != 3 && !(size == 2 && (raw & (1u << 30)) == 0);
    }

    private static void AcrossLanes(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), elements = (IsQ(ref i) ? 128 : 64) / esize;
        bool u = (i.Raw & (1u << 29)) != 0;
        uint opcode = (i.Raw >> 12) & 0x1F;
        Int128 acc = Int(Lane(cpu, i.Rn, 0, esize), esize, u);
        for (int e = 1; e < elements; e++)
        {
            Int128 x = Int(Lane(cpu, i.Rn, e, esize), esize, u);
            acc = opcode switch
            {
                0b01010 => x > acc ? x : acc,
                0b11010 => x < acc ? x : acc,
                _ => acc + x,
            };
        }
        int width = opcode == 0b00011 ? 2 * esize : esize;
        cpu.SetScalar(i.Rd, (ulong)acc & Mask(width), width);
    }
}
