using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// Allocated versus UNDEFINED over seeded random words of the two data-processing encoding spaces,
/// against llvm-mc-14's disassembler for Armv8.0-A + CRC (the encoding reference): a word decodes to a
/// row here exactly when llvm-mc disassembles it.
/// </summary>
public partial class LlvmDecodingAgreementTests
{
    [GeneratedRegex(@"^<stdin>:(\d+):\d+: warning: invalid instruction encoding")]
    private static partial Regex InvalidLine();

    [TestCase(0b100u, 26, TestName = "Data processing (immediate): bits [28:26] = 100")]
    [TestCase(0b101u, 25, TestName = "Data processing (register): bits [27:25] = 101")]
    public void UndefinedExactlyWhereLlvmRejects(uint fixedBits, int shift)
    {
        string mc = ReferenceTools.Require(ReferenceTools.LlvmMc);
        var rng = new Random(0xD47A + shift);
        var words = new uint[20_000];
        for (int k = 0; k < words.Length; k++)
            words[k] = ((uint)rng.NextInt64(0, 1L << 32) & ~(7u << shift)) | (fixedBits << shift);

        var src = new StringBuilder();
        foreach (uint w in words) src.Append($"0x{w & 0xFF:x2} 0x{(w >> 8) & 0xFF:x2} 0x{(w >> 16) & 0xFF:x2} 0x{w >> 24:x2}\n");
        var psi = new ProcessStartInfo(mc, "--disassemble -triple=aarch64 -mattr=+crc")
        { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(src.ToString());
        p.StandardInput.Close();
        Assert.That(p.WaitForExit(120_000), "llvm-mc finished");

        var invalid = new HashSet<int>();
        foreach (var line in stderr.Result.Split('\n'))
            if (InvalidLine().Match(line) is { Success: true } m) invalid.Add(int.Parse(m.Groups[1].Value) - 1);
        Assert.That(invalid, Is.Not.Empty.And.Count.LessThan(words.Length), "the sample holds both kinds");

        var disagreements = new List<string>();
        for (int k = 0; k < words.Length; k++)
        {
            string row = Emulator.Cpu.Decoding.Decoder.RowOf(words[k]).Name;
            bool undefinedHere = row == "UNDEFINED", undefinedLlvm = invalid.Contains(k);
            if (undefinedHere != undefinedLlvm)
                disagreements.Add($"0x{words[k]:X8}: emulator {row}, llvm-mc {(undefinedLlvm ? "invalid" : "valid")}");
        }
        Assert.That(disagreements, Is.Empty, $"{disagreements.Count} words disagree:\n" + string.Join("\n", disagreements.Take(40)));
    }
}
