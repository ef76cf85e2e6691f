using System.Text;
using System.Text.RegularExpressions;

namespace Aegis.Tests.Support;

/// <summary>
/// llvm-mc-14 as the Armv8.0-A encoding reference for the decoder cross-check: which of a batch of
/// words it decodes with only the features a Cortex-A53 has (+v8a, plus CRC32, which the A53 implements).
/// </summary>
public static partial class LlvmDisassembler
{
    public const string Features = "+v8a,+crc";

    public enum Verdict
    {
        /// <summary>"invalid instruction encoding": unallocated with these features.</summary>
        Invalid,
        /// <summary>"potentially undefined instruction encoding": decoded, but CONSTRAINED UNPREDICTABLE (LLVM's SoftFail).</summary>
        Unpredictable,
        Valid,
    }

    /// <summary>For each word: true when llvm-mc decodes it (possibly as "potentially undefined"), false when it reports an invalid encoding.</summary>
    public static bool[] Decodes(IReadOnlyList<uint> words) => Judge(words).Select(v => v != Verdict.Invalid).ToArray();

    /// <summary>llvm-mc-14's verdict on each word.</summary>
    public static Verdict[] Judge(IReadOnlyList<uint> words)
    {
        var input = new StringBuilder();
        foreach (uint w in words)
            input.Append($"0x{w & 0xFF:x2} 0x{(w >> 8) & 0xFF:x2} 0x{(w >> 16) & 0xFF:x2} 0x{w >> 24:x2}\n");
        string dir = Directory.CreateTempSubdirectory("aegis-dis").FullName;
        try
        {
            string src = Path.Combine(dir, "w.txt"), err = Path.Combine(dir, "err.txt");
            File.WriteAllText(src, input.ToString());
            // Invalid encodings are warnings on stderr, "<file>:LINE:COL: warning: invalid instruction encoding".
            ReferenceTools.Run("sh", $"-c \"{ReferenceTools.Require(ReferenceTools.LlvmMc)} --disassemble -triple=aarch64 -mattr={Features} {src} -o /dev/null 2> {err}\"");
            var verdicts = Enumerable.Repeat(Verdict.Valid, words.Count).ToArray();
            foreach (Match m in WarningLine().Matches(File.ReadAllText(err)))
                verdicts[int.Parse(m.Groups[1].Value) - 1] = m.Groups[2].Value == "invalid" ? Verdict.Invalid : Verdict.Unpredictable;
            return verdicts;
        }
        finally { Directory.Delete(dir, true); }
    }

    [GeneratedRegex(@":(\d+):\d+: warning: (invalid|potentially undefined) instruction encoding")]
    private static partial Regex WarningLine();
}
