using System.Text;
using System.Text.RegularExpressions;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Kernel.Boot;

namespace Aegis.Tests.Kernel.PhaseO;

/// <summary>Phase O expectations shared by the emulator and QEMU tests.</summary>
internal static class PhaseOBoot
{
    /// <summary>The 34 checkpoints: the 32 of REF §10 plus the logger's first two (issue "Phase O").</summary>
    public static IReadOnlyList<string> Checkpoints { get; } = [.. BootCheckpoints.All, "LOGGER:init", "LOG:1"];

    /// <summary>The checkpoints missing from <paramref name="output"/> (REF §10 checks presence, not order).</summary>
    public static List<string> Missing(string output) => Checkpoints.Where(c => !output.Contains(c, StringComparison.Ordinal)).ToList();

    /// <summary>The hex digits the logger printed, in order ("LOG:" + one digit, REF §9).</summary>
    public static string Readings(string output) =>
        string.Concat(Regex.Matches(output, "LOG:([0-9a-f])").Select(m => m.Groups[1].Value));

    /// <summary>Length of the run of consecutive readings from the first one: each is the previous + 1 mod 16.</summary>
    public static int ConsecutiveRun(string digits)
    {
        if (digits.Length == 0) return 0;
        int n = 1;
        while (n < digits.Length && Convert.ToInt32(digits[n].ToString(), 16) == (Convert.ToInt32(digits[n - 1].ToString(), 16) + 1) % 16) n++;
        return n;
    }

    public static string Head(string s) => KernelBoot.Head(s);

    public static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}
