using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>Reading what gdb-multiarch printed.</summary>
internal static class GdbOutput
{
    /// <summary>The hex number captured by group 1 of <paramref name="pattern"/> (multiline); fails the test if absent.</summary>
    public static ulong Hex(string output, string pattern)
    {
        var m = Regex.Match(output, pattern, RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, $"gdb output lacks /{pattern}/:\n{output}");
        return ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber);
    }
}
