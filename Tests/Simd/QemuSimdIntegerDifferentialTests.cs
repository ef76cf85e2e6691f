using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using NUnit.Framework;

namespace Aegis.Tests.Simd;

/// <summary>
/// The integer Advanced SIMD groups against QEMU 7.2 user mode, one test per group: seeded random words of every row
/// of the group (every size and Q the row allows), on random and special lane values, V0-V7 and FPSR (QC) compared.
/// </summary>
[TestFixture]
public class QemuSimdIntegerDifferentialTests
{
    private static EncodingRow[] RowsOf(Func<EncodingRow, bool> select) =>
        A64Table.Rows.Where(r => r.Timing == TimingClass.SimdFp && !r.Name.Contains("not executed") && select(r)).ToArray();

    private static bool ThreeSame(EncodingRow r) => (r.Value & 0x9F20_0400) == 0x0E20_0400 || (r.Value & 0xDF20_0400) == 0x5E20_0400;

    [Test]
    public void ThreeSameMatchesQemu() =>
        SimdDifferential.Run(RowsOf(ThreeSame), 4000, 0x3511E, (row, w, rng) => SimdDifferential.Registers(w));

    [Test]
    public void PermuteExtractAndTableLookupMatchQemu() =>
        SimdDifferential.Run(RowsOf(r => r.Name is "UZP1" or "UZP2" or "TRN1" or "TRN2" or "ZIP1" or "ZIP2" or "EXT" or "TBL" or "TBX"), 1500, 0x9E27,
            (row, w, rng) => SimdDifferential.Registers(w));

    [Test]
    public void ModifiedImmediateMatchesQemu() =>
        SimdDifferential.Run(RowsOf(r => r.Name.Contains("(vector, immediate)")), 800, 0x1AA, (row, w, rng) => SimdDifferential.Registers(w, rn: false, rm: false));

    private static bool TwoRegisterMisc(EncodingRow r) => (r.Value & 0x9F3E_0C00) == 0x0E20_0800 || (r.Value & 0xDF3E_0C00) == 0x5E20_0800;

    [Test]
    public void TwoRegisterMiscellaneousMatchesQemu() =>
        SimdDifferential.Run(RowsOf(TwoRegisterMisc), 3000, 0x2E15C, (row, w, rng) => SimdDifferential.Registers(w, rm: false));

    [Test]
    public void AcrossLanesMatchesQemu() =>
        SimdDifferential.Run(RowsOf(r => r.Name is "SADDLV" or "UADDLV" or "SMAXV" or "UMAXV" or "SMINV" or "UMINV" or "ADDV"), 700, 0xACE, (row, w, rng) => SimdDifferential.Registers(w, rm: false));

    private static bool ShiftImmediate(EncodingRow r) => (r.Value & 0x9F80_0400) == 0x0F00_0400 || (r.Value & 0xDF80_0400) == 0x5F00_0400;

    [Test]
    public void ShiftByImmediateMatchesQemu() =>
        SimdDifferential.Run(RowsOf(ShiftImmediate), 3000, 0x5417, (row, w, rng) => SimdDifferential.Registers(w, rm: false));

    private static bool ThreeDifferent(EncodingRow r) => (r.Value & 0x9F20_0C00) == 0x0E20_0000 || (r.Value & 0xDF20_0C00) == 0x5E20_0000;

    [Test]
    public void ThreeDifferentMatchesQemu() =>
        SimdDifferential.Run(RowsOf(ThreeDifferent), 2500, 0x3D1F, (row, w, rng) => SimdDifferential.Registers(w));

    private static bool ByElement(EncodingRow r) => (r.Value & 0x9F00_0400) == 0x0F00_0000 || (r.Value & 0xDF00_0400) == 0x5F00_0000;

    /// <summary>Rm: bits 19:16 for H elements (bit 20 is an index bit), M:Rm for S, so bits 20:19 (S) or 19 (H) are cleared.</summary>
    [Test]
    public void ByElementMatchesQemu() =>
        SimdDifferential.Run(RowsOf(ByElement), 2500, 0xE1E, (row, w, rng) =>
            SimdDifferential.Registers(w, rm: false) & ~(((w >> 22) & 3) == 1 ? 1u << 19 : 3u << 19));
}
