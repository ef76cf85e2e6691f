using System.Globalization;

namespace Aegis.Emu.Tracing;

/// <summary>Which instructions the tracer prints: a PC range [Lo, Hi] (inclusive), an exception level, a task.</summary>
public sealed record TraceFilter(ulong Lo = 0, ulong Hi = ulong.MaxValue, int? El = null, int? Task = null)
{
    /// <summary>Parses "LO-HI" (hex with or without 0x); null when malformed.</summary>
    public static (ulong Lo, ulong Hi)? ParseRange(string text)
    {
        int dash = text.IndexOf('-');
        if (dash <= 0) return null;
        if (!TryHex(text[..dash], out ulong lo) || !TryHex(text[(dash + 1)..], out ulong hi) || hi < lo) return null;
        return (lo, hi);
    }

    private static bool TryHex(string s, out ulong v)
    {
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return ulong.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out v);
    }
}
