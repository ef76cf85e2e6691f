using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aegis.Emu.Debugging;

/// <summary>
/// A GDB remote serial protocol stub for one client on 127.0.0.1 (gdb-multiarch: `target remote 127.0.0.1:PORT`).
/// Single-threaded and deterministic: the guest runs only inside c/s packets, in chunks of
/// <see cref="DebugTarget.InterruptCheckInterval"/> steps between which a 0x03 from gdb interrupts it.
/// Registers follow gdb's aarch64 core feature: x0-x30, sp, pc (64-bit), cpsr (32-bit) = regnums 0-33; and its fpu
/// feature: v0-v31 (128-bit, little-endian) = 34-65, fpsr and fpcr (32-bit) = 66, 67.
/// Breakpoints (Z0/Z1) are PC checks, never patched into guest memory; Z2 write watchpoints report after the write.
/// </summary>
public sealed class GdbStub(DebugTarget target, TextWriter? log = null)
{
    private const int PacketSize = 0x4000;
    private const int RegisterCount = 68, V0 = 34, Fpsr = 66, Fpcr = 67;

    private const string TargetXml = """
        <?xml version="1.0"?>
        <!DOCTYPE target SYSTEM "gdb-target.dtd">
        <target version="1.0">
          <architecture>aarch64</architecture>
          <feature name="org.gnu.gdb.aarch64.core">
            <reg name="x0" bitsize="64"/><reg name="x1" bitsize="64"/><reg name="x2" bitsize="64"/><reg name="x3" bitsize="64"/>
            <reg name="x4" bitsize="64"/><reg name="x5" bitsize="64"/><reg name="x6" bitsize="64"/><reg name="x7" bitsize="64"/>
            <reg name="x8" bitsize="64"/><reg name="x9" bitsize="64"/><reg name="x10" bitsize="64"/><reg name="x11" bitsize="64"/>
            <reg name="x12" bitsize="64"/><reg name="x13" bitsize="64"/><reg name="x14" bitsize="64"/><reg name="x15" bitsize="64"/>
            <reg name="x16" bitsize="64"/><reg name="x17" bitsize="64"/><reg name="x18" bitsize="64"/><reg name="x19" bitsize="64"/>
            <reg name="x20" bitsize="64"/><reg name="x21" bitsize="64"/><reg name="x22" bitsize="64"/><reg name="x23" bitsize="64"/>
            <reg name="x24" bitsize="64"/><reg name="x25" bitsize="64"/><reg name="x26" bitsize="64"/><reg name="x27" bitsize="64"/>
            <reg name="x28" bitsize="64"/><reg name="x29" bitsize="64"/><reg name="x30" bitsize="64"/>
            <reg name="sp" bitsize="64" type="data_ptr"/>
            <reg name="pc" bitsize="64" type="code_ptr"/>
            <reg name="cpsr" bitsize="32" type="int"/>
          </feature>
          <feature name="org.gnu.gdb.aarch64.fpu">
            <vector id="v2d" type="ieee_double" count="2"/><vector id="v2u" type="uint64" count="2"/><vector id="v2i" type="int64" count="2"/>
            <vector id="v4f" type="ieee_single" count="4"/><vector id="v4u" type="uint32" count="4"/><vector id="v4i" type="int32" count="4"/>
            <vector id="v8u" type="uint16" count="8"/><vector id="v8i" type="int16" count="8"/>
            <vector id="v16u" type="uint8" count="16"/><vector id="v16i" type="int8" count="16"/>
            <vector id="v1u" type="uint128" count="1"/><vector id="v1i" type="int128" count="1"/>
            <union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>
            <union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>
            <union id="vnh"><field name="u" type="v8u"/><field name="s" type="v8i"/></union>
            <union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>
            <union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>
            <union id="aarch64v"><field name="d" type="vnd"/><field name="s" type="vns"/><field name="h" type="vnh"/><field name="b" type="vnb"/><field name="q" type="vnq"/></union>
            <reg name="v0" bitsize="128" type="aarch64v" regnum="34"/>
            <reg name="v1" bitsize="128" type="aarch64v"/>
            <reg name="v2" bitsize="128" type="aarch64v"/>
            <reg name="v3" bitsize="128" type="aarch64v"/>
            <reg name="v4" bitsize="128" type="aarch64v"/>
            <reg name="v5" bitsize="128" type="aarch64v"/>
            <reg name="v6" bitsize="128" type="aarch64v"/>
            <reg name="v7" bitsize="128" type="aarch64v"/>
            <reg name="v8" bitsize="128" type="aarch64v"/>
            <reg name="v9" bitsize="128" type="aarch64v"/>
            <reg name="v10" bitsize="128" type="aarch64v"/>
            <reg name="v11" bitsize="128" type="aarch64v"/>
            <reg name="v12" bitsize="128" type="aarch64v"/>
            <reg name="v13" bitsize="128" type="aarch64v"/>
            <reg name="v14" bitsize="128" type="aarch64v"/>
            <reg name="v15" bitsize="128" type="aarch64v"/>
            <reg name="v16" bitsize="128" type="aarch64v"/>
            <reg name="v17" bitsize="128" type="aarch64v"/>
            <reg name="v18" bitsize="128" type="aarch64v"/>
            <reg name="v19" bitsize="128" type="aarch64v"/>
            <reg name="v20" bitsize="128" type="aarch64v"/>
            <reg name="v21" bitsize="128" type="aarch64v"/>
            <reg name="v22" bitsize="128" type="aarch64v"/>
            <reg name="v23" bitsize="128" type="aarch64v"/>
            <reg name="v24" bitsize="128" type="aarch64v"/>
            <reg name="v25" bitsize="128" type="aarch64v"/>
            <reg name="v26" bitsize="128" type="aarch64v"/>
            <reg name="v27" bitsize="128" type="aarch64v"/>
            <reg name="v28" bitsize="128" type="aarch64v"/>
            <reg name="v29" bitsize="128" type="aarch64v"/>
            <reg name="v30" bitsize="128" type="aarch64v"/>
            <reg name="v31" bitsize="128" type="aarch64v"/>
            <reg name="fpsr" bitsize="32"/>
            <reg name="fpcr" bitsize="32"/>
          </feature>
        </target>
        """;

    private Stream _stream = Stream.Null;
    private bool _noAck;
    private StopInfo _lastStop = new(StopKind.Step, 0);

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = any free port).</summary>
    public static TcpListener Listen(int port)
    {
        var l = new TcpListener(IPAddress.Loopback, port);
        l.Start(1);
        return l;
    }

    /// <summary>Accepts one client and serves it until it detaches, kills, or disconnects.
    /// Returns true when the client asked to kill the target.</summary>
    public bool Serve(TcpListener listener)
    {
        using var client = listener.AcceptTcpClient();
        client.NoDelay = true;
        using var stream = client.GetStream();
        return Serve(stream, () => client.Available > 0);
    }

    private Func<bool> _dataAvailable = () => false;

    /// <summary>Serves one connection on <paramref name="stream"/>; <paramref name="dataAvailable"/> tells whether a byte waits (for 0x03).</summary>
    public bool Serve(Stream stream, Func<bool> dataAvailable)
    {
        _stream = stream;
        _dataAvailable = dataAvailable;
        while (true)
        {
            string? packet = ReadPacket();
            if (packet is null) return false; // disconnected
            if (packet.Length == 0) continue;
            log?.WriteLine($"gdb <- {packet}");
            string? reply;
            bool end = false, killed = false;
            // A malformed packet (bad hex, bad numbers) is answered with an error, never ends the session.
            try { reply = Handle(packet, out end, out killed); }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
            { reply = "E01"; }
            if (reply is not null) Send(reply);
            if (end) return killed;
        }
    }

    // ---- framing -------------------------------------------------------------------------------------

    /// <summary>The next packet's payload (acknowledged); "" for a lone interrupt or a bad checksum; null at EOF.</summary>
    private string? ReadPacket()
    {
        while (true)
        {
            int b = _stream.ReadByte();
            if (b < 0) return null;
            if (b == 0x03) return ""; // interrupt while stopped: nothing to do
            if (b != '$') continue; // acks ('+', '-') and noise
            var payload = new StringBuilder();
            while (true)
            {
                b = _stream.ReadByte();
                if (b < 0) return null;
                if (b == '#') break;
                if (payload.Length >= 2 * PacketSize + 64) { payload.Clear(); break; } // oversized: fails its checksum
                payload.Append((char)b);
            }
            int h = _stream.ReadByte(), l = _stream.ReadByte();
            if (h < 0 || l < 0) return null;
            int sum = 0;
            foreach (char ch in payload.ToString()) sum = (sum + ch) & 0xFF;
            bool ok = int.TryParse($"{(char)h}{(char)l}", NumberStyles.HexNumber, null, out int want) && want == sum;
            if (!_noAck) { _stream.WriteByte(ok ? (byte)'+' : (byte)'-'); _stream.Flush(); }
            if (ok) return Unescape(payload.ToString());
        }
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('}')) return s;
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
            sb.Append(s[i] == '}' && i + 1 < s.Length ? (char)(s[++i] ^ 0x20) : s[i]);
        return sb.ToString();
    }

    private void Send(string payload)
    {
        log?.WriteLine($"gdb -> {payload}");
        var sb = new StringBuilder("$");
        int sum = 0;
        foreach (char ch in payload)
        {
            if (ch is '$' or '#' or '}' or '*')
            {
                sb.Append('}').Append((char)(ch ^ 0x20));
                sum += '}' + (ch ^ 0x20);
            }
            else { sb.Append(ch); sum += ch; }
        }
        sb.Append('#').Append((sum & 0xFF).ToString("x2", CultureInfo.InvariantCulture));
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var bytes = Encoding.Latin1.GetBytes(sb.ToString());
            _stream.Write(bytes);
            _stream.Flush();
            if (_noAck) return;
            int ack = _stream.ReadByte();
            if (ack != '-') return; // '+', EOF, or anything else: do not resend
        }
    }

    // ---- packets -------------------------------------------------------------------------------------

    private string? Handle(string p, out bool end, out bool killed)
    {
        end = false;
        killed = false;
        var cpu = target.Cpu;
        switch (p[0])
        {
            case '?': return StopReply(_lastStop);
            case 'g':
                {
                    var sb = new StringBuilder();
                    for (int r = 0; r < RegisterCount; r++) sb.Append(RegisterHex(r));
                    return sb.ToString();
                }
            case 'G':
                {
                    // The core registers, then (when sent) v0-v31, fpsr, fpcr: gdb sends what 'g' returned.
                    var bytes = Convert.FromHexString(p[1..]);
                    if (bytes.Length < 33 * 8 + 4) return "E01";
                    target.RegistersChanged();
                    for (int r = 0; r < 33; r++) SetRegister(r, BitConverter.ToUInt64(bytes, r * 8));
                    SetRegister(33, BitConverter.ToUInt32(bytes, 33 * 8));
                    int off = 33 * 8 + 4;
                    if (bytes.Length >= off + 32 * 16 + 8)
                    {
                        for (int v = 0; v < 32; v++, off += 16) SetRegister(V0 + v, bytes.AsSpan(off, 16));
                        SetRegister(Fpsr, bytes.AsSpan(off, 4));
                        SetRegister(Fpcr, bytes.AsSpan(off + 4, 4));
                    }
                    return "OK";
                }
            case 'p':
                return int.TryParse(p[1..], NumberStyles.HexNumber, null, out int rn) && rn < RegisterCount ? RegisterHex(rn) : "E01";
            case 'P':
                {
                    int eq = p.IndexOf('=');
                    if (eq < 0 || !int.TryParse(p[1..eq], NumberStyles.HexNumber, null, out int r) || r >= RegisterCount) return "E01";
                    var v = Convert.FromHexString(p[(eq + 1)..]);
                    target.RegistersChanged();
                    Array.Resize(ref v, r >= V0 && r < Fpsr ? 16 : 8);
                    if (r >= V0) SetRegister(r, v);
                    else SetRegister(r, BitConverter.ToUInt64(v));
                    return "OK";
                }
            case 'm':
                {
                    if (!TryAddrLen(p[1..], out ulong a, out int len)) return "E01";
                    var buf = new byte[Math.Min(len, PacketSize / 2)];
                    int got = target.Read(a, buf);
                    return got == 0 && buf.Length > 0 ? "E14" : Convert.ToHexString(buf, 0, got).ToLowerInvariant();
                }
            case 'M':
                {
                    int colon = p.IndexOf(':');
                    if (colon < 0 || !TryAddrLen(p[1..colon], out ulong a, out int len)) return "E01";
                    var data = Convert.FromHexString(p[(colon + 1)..]);
                    if (data.Length != len) return "E01";
                    return target.Write(a, data) ? "OK" : "E14";
                }
            case 'X': return ""; // binary writes: gdb falls back to M
            case 'c' or 'C': return Resume(step: false);
            // Reverse execution (docs/DEBUGGING.md): gdb's reverse-stepi sends bs, reverse-continue bc.
            case 'b' when p == "bs": return Reversed(target.StepBack(1));
            case 'b' when p == "bc": return Reversed(target.ReverseContinue());
            case 's' or 'S': return Resume(step: true);
            case 'Z' or 'z': return Breakpoint(p);
            case 'H': return "OK";
            case 'T': return "OK"; // the one thread is alive
            case 'D': end = true; Send("OK"); return null;
            case 'k': end = true; killed = true; return null;
            // gdb's `kill` sends vKill;PID (and wants OK) when the stub supports v packets; `k` is the old form.
            case 'v' when p.StartsWith("vKill", StringComparison.Ordinal): end = true; killed = true; Send("OK"); return null;
            case 'v': return VPacket(p);
            case 'q': return Query(p);
            case 'Q': return p == "QStartNoAckMode" ? StartNoAck() : "";
            default: return "";
        }
    }

    private string? StartNoAck()
    {
        Send("OK");
        _noAck = true;
        return null;
    }

    private string VPacket(string p)
    {
        if (p == "vCont?") return "vCont;c;C;s;S";
        if (p.StartsWith("vCont;", StringComparison.Ordinal))
        {
            // One thread: the first action decides (gdb sends e.g. "vCont;s:1;c" or "vCont;c").
            char action = p.Length > 6 ? char.ToLowerInvariant(p[6]) : 'c';
            return Resume(step: action == 's');
        }
        return "";
    }

    private string Query(string p)
    {
        if (p.StartsWith("qSupported", StringComparison.Ordinal))
            return $"PacketSize={PacketSize:x};qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+;ReverseStep+;ReverseContinue+";
        if (p.StartsWith("qXfer:features:read:target.xml:", StringComparison.Ordinal))
        {
            var range = p["qXfer:features:read:target.xml:".Length..];
            if (!TryAddrLen(range, out ulong off, out int len)) return "E01";
            if (off >= (ulong)TargetXml.Length) return "l";
            int n = (int)Math.Min((ulong)len, (ulong)TargetXml.Length - off);
            return ((int)off + n >= TargetXml.Length ? "l" : "m") + TargetXml.Substring((int)off, n);
        }
        if (p.StartsWith("qXfer:", StringComparison.Ordinal)) return "E00";
        return p switch
        {
            "qAttached" => "1",
            "qC" => "QC1",
            "qfThreadInfo" => "m1",
            "qsThreadInfo" => "l",
            "qOffsets" => "Text=0;Data=0;Bss=0",
            "qSymbol::" => "OK",
            _ => "",
        };
    }

    private string Breakpoint(string p)
    {
        var parts = p[1..].Split(',');
        if (parts.Length < 3 || !ulong.TryParse(parts[1], NumberStyles.HexNumber, null, out ulong addr)
            || !int.TryParse(parts[2].Split(';')[0], NumberStyles.HexNumber, null, out int kind)) return "E01";
        bool insert = p[0] == 'Z';
        switch (parts[0])
        {
            case "0" or "1":
                if (insert) target.Breakpoints[addr] = parts[0] == "0" ? BreakKind.Software : BreakKind.Hardware;
                else target.Breakpoints.Remove(addr);
                return "OK";
            case "2":
                if (insert) return target.AddWatch(addr, kind) is null ? "E01" : "OK";
                target.Watchpoints.RemoveAll(w => w.Address == addr && w.Length == kind);
                return "OK";
            default: return ""; // read/access watchpoints are not supported
        }
    }

    private string Resume(bool step)
    {
        // gdb treats AArch64 watchpoints as stopping before the write (gdbarch have_nonsteppable_watchpoint) and
        // single-steps over the writer itself. Ours stop after it, so that step has already happened: answer it
        // without executing, which leaves PC where hardware + gdb would (the instruction after the writer).
        bool stepDone = _lastStop.Kind == StopKind.Watchpoint && step;
        if (stepDone)
        {
            _lastStop = new StopInfo(StopKind.Step, target.Cpu.PC);
            return StopReply(_lastStop);
        }
        StopInfo s = step ? target.Step() : target.Resume(interrupted: Interrupted);
        _lastStop = s;
        return StopReply(s);
    }

    /// <summary>A stop reached backwards. A watchpoint found that way leaves PC at the writer, not yet executed: a
    /// following step must execute it (unlike a forward watchpoint stop, see <see cref="Resume"/>).</summary>
    private string Reversed(StopInfo s)
    {
        _lastStop = s.Kind == StopKind.Watchpoint ? s with { Kind = StopKind.Step } : s;
        return StopReply(s);
    }

    private bool Interrupted()
    {
        if (!_dataAvailable()) return false;
        int b = _stream.ReadByte();
        return b == 0x03;
    }

    private string StopReply(StopInfo s) => s.Kind switch
    {
        StopKind.Exited => $"W{target.Cpu.ExitCode & 0xFF:x2}",
        StopKind.Interrupted => "T02thread:1;",
        StopKind.Breakpoint => target.Breakpoints.TryGetValue(target.Cpu.PC, out var k) && k == BreakKind.Hardware
            ? "T05hwbreak:;thread:1;" : "T05swbreak:;thread:1;",
        StopKind.Watchpoint => $"T05watch:{s.Watch!.Address:x};thread:1;",
        StopKind.HistoryStart => "T05replaylog:begin;thread:1;",
        _ => "T05thread:1;",
    };

    // ---- registers -----------------------------------------------------------------------------------

    private string RegisterHex(int r)
    {
        var cpu = target.Cpu;
        if (r == 33) return Convert.ToHexString(BitConverter.GetBytes((uint)cpu.PstateToSpsr())).ToLowerInvariant();
        if (r == Fpsr) return Convert.ToHexString(BitConverter.GetBytes((uint)cpu.Sys.FPSR)).ToLowerInvariant();
        if (r == Fpcr) return Convert.ToHexString(BitConverter.GetBytes((uint)cpu.Sys.FPCR)).ToLowerInvariant();
        if (r >= V0)
            return (Convert.ToHexString(BitConverter.GetBytes(cpu.Vreg[2 * (r - V0)])) +
                Convert.ToHexString(BitConverter.GetBytes(cpu.Vreg[2 * (r - V0) + 1]))).ToLowerInvariant();
        ulong v = r switch { < 31 => cpu.X[r], 31 => cpu.SP, _ => cpu.PC };
        return Convert.ToHexString(BitConverter.GetBytes(v)).ToLowerInvariant();
    }

    private void SetRegister(int r, ulong value)
    {
        var cpu = target.Cpu;
        if (r < 31) cpu.X[r] = value;
        else if (r == 31) cpu.SP = value;
        else if (r == 32) { cpu.PC = value; cpu.InvalidateFetch(); }
        else cpu.Nzcv = (uint)value & 0xF000_0000; // only the flags: EL/SPSel/DAIF changes need an exception return
    }

    /// <summary>v0-v31 (16 little-endian bytes), fpsr and fpcr (4), kept to the bits MSR keeps.</summary>
    private void SetRegister(int r, ReadOnlySpan<byte> bytes)
    {
        var cpu = target.Cpu;
        if (r == Fpsr) cpu.Sys.FPSR = BitConverter.ToUInt32(bytes) & 0xF800_009FUL;
        else if (r == Fpcr) cpu.Sys.FPCR = BitConverter.ToUInt32(bytes) & 0x07C0_0000UL;
        else
        {
            cpu.Vreg[2 * (r - V0)] = BitConverter.ToUInt64(bytes);
            cpu.Vreg[2 * (r - V0) + 1] = BitConverter.ToUInt64(bytes[8..]);
        }
    }

    private static bool TryAddrLen(string s, out ulong addr, out int len)
    {
        len = 0;
        var parts = s.Split(',');
        if (parts.Length != 2 || !ulong.TryParse(parts[0], NumberStyles.HexNumber, null, out addr)
            || !int.TryParse(parts[1], NumberStyles.HexNumber, null, out len) || len < 0) { addr = 0; return false; }
        return true;
    }
}
