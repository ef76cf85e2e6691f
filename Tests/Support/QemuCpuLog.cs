using System.Globalization;

namespace Aegis.Tests.Support;

/// <summary>One register dump of QEMU's <c>-d cpu</c> log for AArch64 (target/arm/cpu.c, aarch64_cpu_dump_state).</summary>
public sealed class QemuRegisters
{
    public ulong Pc;
    public readonly ulong[] X = new ulong[31];
    public ulong Sp;
    /// <summary>PSTATE as printed (NZCV in bits [31:28]).</summary>
    public uint Pstate;
    public uint Nzcv => Pstate & 0xF000_0000;
}

/// <summary>
/// Reads the dumps of <c>qemu-aarch64 -singlestep -d cpu,nochain -D log</c>: with -singlestep every translation
/// block is one instruction and nochain makes each one log, so every dump is the state before the instruction
/// at its PC. Only dumps at the PCs asked for are kept (the first time each is reached).
/// </summary>
public static class QemuCpuLog
{
    public static Dictionary<ulong, QemuRegisters> DumpsAt(string logPath, IReadOnlySet<ulong> pcs)
    {
        var result = new Dictionary<ulong, QemuRegisters>();
        using var reader = new StreamReader(logPath);
        QemuRegisters? current = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            int pcAt = line.IndexOf("PC=", StringComparison.Ordinal);
            if (pcAt >= 0 && line.AsSpan(0, pcAt).Trim().IsEmpty)
            {
                ulong pc = Hex(line, pcAt + 3);
                current = pcs.Contains(pc) && !result.ContainsKey(pc) ? new QemuRegisters { Pc = pc } : null;
            }
            if (current is null) continue;
            for (int i = line.IndexOf('X'); i >= 0; i = line.IndexOf('X', i + 1))
            {
                if (i + 3 < line.Length && char.IsAsciiDigit(line[i + 1]) && char.IsAsciiDigit(line[i + 2]) && line[i + 3] == '=')
                {
                    int n = (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
                    if (n < 31) current.X[n] = Hex(line, i + 4);
                }
            }
            int sp = line.IndexOf("SP=", StringComparison.Ordinal);
            if (sp >= 0) current.Sp = Hex(line, sp + 3);
            if (line.StartsWith("PSTATE=", StringComparison.Ordinal))
            {
                current.Pstate = (uint)Hex(line, 7);
                result[current.Pc] = current;
                current = null;
            }
        }
        return result;
    }

    private static ulong Hex(string s, int start)
    {
        int end = start;
        while (end < s.Length && char.IsAsciiHexDigit(s[end])) end++;
        return ulong.Parse(s.AsSpan(start, end - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
