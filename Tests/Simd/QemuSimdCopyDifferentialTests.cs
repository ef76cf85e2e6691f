using Aegis.Emulator.Cpu.Decoding;
using NUnit.Framework;

namespace Aegis.Tests.Simd;

/// <summary>Advanced SIMD copy (DUP, INS, SMOV, UMOV) against QEMU 7.2, every element size and index.</summary>
[TestFixture]
public class QemuSimdCopyDifferentialTests
{
    [Test]
    public void RandomCopiesMatchQemu()
    {
        var rows = A64Table.Rows.Where(r => r.Name is "DUP (element)" or "DUP (element, scalar)" or "DUP (general)" or "INS (general)"
            or "INS (element)" or "SMOV" or "UMOV").ToArray();
        var seen = SimdDifferential.Run(rows, 700, 0xC0B1, (row, w, rng) => SimdDifferential.Registers(w, rm: false));
        Assert.That(seen.Count, Is.EqualTo(7));
    }
}
