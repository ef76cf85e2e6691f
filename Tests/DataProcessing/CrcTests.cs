using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// CRC32B/H/W/X and CRC32CB/H/W/X. The instructions do no pre/post inversion; with the usual
/// inversion around them the check values of "123456789" are the catalogued CRC-32 0xCBF43926 and
/// CRC-32C 0xE3069283 (Rocksoft/Williams parameter model "check" values).
/// </summary>
public class CrcTests
{
    private static readonly string[] Crc32Bytewise =
        ["mvn w0, wzr", "crc32b w0, w0, w1", "crc32b w0, w0, w2", "crc32b w0, w0, w3", "crc32b w0, w0, w4",
         "crc32b w0, w0, w5", "crc32b w0, w0, w6", "crc32b w0, w0, w7", "crc32b w0, w0, w8", "crc32b w0, w0, w9", "mvn w0, w0"];

    private static Exec WithDigits(Exec e)
    {
        for (int k = 1; k <= 9; k++) e.X(k, (ulong)('0' + k) | 0xAB00); // junk above the byte must be ignored
        return e;
    }

    [Test]
    public void Crc32ByteAtATime() =>
        Assert.That(WithDigits(Exec.Of(Crc32Bytewise)).X0(), Is.EqualTo(0xCBF4_3926UL));

    [Test]
    public void Crc32cByteAtATime() =>
        Assert.That(WithDigits(Exec.Of(Crc32Bytewise.Select(l => l.Replace("crc32b", "crc32cb")).ToArray())).X0(), Is.EqualTo(0xE306_9283UL));

    // "12345678" little-endian = 0x3837363534333231; then "9".
    [TestCase("crc32x", "crc32b", 0xCBF4_3926UL)]
    [TestCase("crc32cx", "crc32cb", 0xE306_9283UL)]
    public void DoublewordThenByte(string x, string b, ulong expected)
    {
        var r = Exec.Of("mvn w0, wzr", $"{x} w0, w0, x1", $"{b} w0, w0, w2", "mvn w0, w0")
            .X(1, 0x3837_3635_3433_3231).X(2, 0x39).X0();
        Assert.That(r, Is.EqualTo(expected));
    }

    // "1234" = 0x34333231, "56" = 0x3635, "7" = 0x37, "89" = 0x3938.
    [TestCase("crc32w", "crc32h", "crc32b", 0xCBF4_3926UL)]
    [TestCase("crc32cw", "crc32ch", "crc32cb", 0xE306_9283UL)]
    public void MixedSizes(string w, string h, string b, ulong expected)
    {
        var r = Exec.Of("mvn w0, wzr", $"{w} w0, w0, w1", $"{h} w0, w0, w2", $"{b} w0, w0, w3", $"{h} w0, w0, w4", "mvn w0, w0")
            .X(1, 0xFFFF_FFFF_3433_3231).X(2, 0xFFFF_3635).X(3, 0x37).X(4, 0x3938).X0();
        Assert.That(r, Is.EqualTo(expected));
    }

    [Test]
    public void ResultIsAZeroExtendedWordAndAccumulatorUpperHalfIgnored()
    {
        // Arm ARM CRC32: acc = X[n]<31:0>; X[d] = ZeroExtend(result). CRC of a zero byte from a zero
        // accumulator is 0 (the update is linear and carries no inversion).
        var r = Exec.Of("crc32b w0, w1, w2", "crc32cx w3, w1, x2").X(0, ulong.MaxValue).X(1, 0xFFFF_FFFF_0000_0000).X(2, 0).X(3, ulong.MaxValue).Run();
        Assert.That(r[0], Is.EqualTo(0UL));
        Assert.That(r[3], Is.EqualTo(0UL));
    }
}
