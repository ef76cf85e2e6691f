using Aegis.Tests.Support;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>
/// The stub's remote serial protocol framing and packets, spoken by hand (reference: the GDB manual's
/// "Remote Protocol" appendix: $payload#checksum with acks, 0x03 interrupt, T/W stop replies).
/// </summary>
public class GdbProtocolTests
{
    private sealed class Client(NetworkStream s)
    {
        public void Raw(string text) { var b = Encoding.ASCII.GetBytes(text); s.Write(b); s.Flush(); }
        public static string Frame(string payload) => $"${payload}#{payload.Sum(c => c) & 0xFF:x2}";
        public int ReadByte() => s.ReadByte();

        /// <summary>Reads one reply packet, checks its checksum and acknowledges it.</summary>
        public string Reply()
        {
            int b;
            while ((b = s.ReadByte()) != '$') Assert.That(b, Is.Not.EqualTo(-1), "connection closed");
            var sb = new StringBuilder();
            while ((b = s.ReadByte()) != '#') sb.Append((char)b);
            string sum = $"{(char)s.ReadByte()}{(char)s.ReadByte()}";
            Assert.That(sum, Is.EqualTo($"{sb.ToString().Sum(c => c) & 0xFF:x2}"), "reply checksum");
            Raw("+");
            return sb.ToString();
        }

        public string Ask(string payload)
        {
            Raw(Frame(payload));
            Assert.That((char)s.ReadByte(), Is.EqualTo('+'), $"ack of {payload}");
            return Reply();
        }
    }

    private static (Client client, Task<bool> serving, DebugTarget target, TcpClient tcp) Connect()
    {
        string image = KernelSymbols.FindImage();
        var target = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        var listener = GdbStub.Listen(0);
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(() => { try { return new GdbStub(target).Serve(listener); } finally { listener.Stop(); } });
        var tcp = new TcpClient();
        tcp.Connect("127.0.0.1", port);
        tcp.ReceiveTimeout = 60_000;
        return (new Client(tcp.GetStream()), serving, target, tcp);
    }

    [Test]
    public void PacketsAcksChecksumsBreakpointsInterruptAndKill()
    {
        var (c, serving, target, tcp) = Connect();
        using var _ = tcp;
        var sym = KernelSymbols.Load(KernelSymbols.FindImage());

        // Malformed packets get an error reply and the session goes on.
        Assert.That(c.Ask("Gxyz"), Is.EqualTo("E01"));
        Assert.That(c.Ask("P0=zz"), Is.EqualTo("E01"));
        Assert.That(c.Ask("m,"), Is.EqualTo("E01"));
        Assert.That(c.Ask("Z0,nothex,4"), Is.EqualTo("E01"));
        // A corrupted checksum is refused with '-', then the packet is resent correctly.
        c.Raw("$qAttached#00");
        Assert.That((char)c.ReadByte(), Is.EqualTo('-'));
        Assert.That(c.Ask("qAttached"), Is.EqualTo("1"));

        string supported = c.Ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
        Assert.That(supported, Does.Contain("PacketSize=").And.Contain("qXfer:features:read+").And.Contain("swbreak+").And.Contain("hwbreak+"));
        // target.xml in chunks, as gdb reads it: 'm' while more follows, 'l' with the last part.
        var xmlText = new StringBuilder();
        for (string part = ""; !part.StartsWith('l');)
        {
            part = c.Ask($"qXfer:features:read:target.xml:{xmlText.Length:x},400");
            Assert.That(part, Does.StartWith("m").Or.StartWith("l"));
            xmlText.Append(part[1..]);
        }
        string xml = xmlText.ToString();
        Assert.That(xml, Does.Contain("org.gnu.gdb.aarch64.core").And.Contain("name=\"cpsr\" bitsize=\"32\""));
        Assert.That(xml, Does.Contain("org.gnu.gdb.aarch64.fpu").And.Contain("<reg name=\"v31\" bitsize=\"128\"").And.Contain("name=\"fpcr\""));
        Assert.That(c.Ask("?"), Does.StartWith("T05"));
        Assert.That(c.Ask("Hg0"), Is.EqualTo("OK"));
        Assert.That(c.Ask("qC"), Is.EqualTo("QC1"));

        // g: 31 x-registers + sp + pc (8 bytes each) + cpsr (4 bytes) = 268 bytes, then v0-v31 (16 bytes each), fpsr and
        // fpcr (4 bytes each), little-endian; pc = the ELF entry.
        string g = c.Ask("g");
        Assert.That(g, Has.Length.EqualTo((33 * 8 + 4 + 32 * 16 + 8) * 2));
        Assert.That(BitConverter.ToUInt64(Convert.FromHexString(g.Substring(32 * 16, 16))), Is.EqualTo(sym.Entry));
        Assert.That(c.Ask("p20"), Is.EqualTo(g.Substring(32 * 16, 16)), "p of regnum 0x20 (pc)");

        // P x0 then read it back; M/m round trip in RAM; an unmapped address answers an error.
        Assert.That(c.Ask("P0=efcdab8967452301"), Is.EqualTo("OK"));
        Assert.That(target.Cpu.X[0], Is.EqualTo(0x0123456789ABCDEFUL));
        // v1 (regnum 0x23) is 16 bytes, low half first; fpsr (0x42) keeps its implemented bits only.
        Assert.That(c.Ask("P23=00112233445566778899aabbccddeeff"), Is.EqualTo("OK"));
        Assert.That(target.Cpu.Vreg[2], Is.EqualTo(0x7766554433221100UL));
        Assert.That(target.Cpu.Vreg[3], Is.EqualTo(0xFFEEDDCCBBAA9988UL));
        Assert.That(c.Ask("p23"), Is.EqualTo("00112233445566778899aabbccddeeff"));
        Assert.That(c.Ask("P42=ffffffff"), Is.EqualTo("OK"));
        Assert.That(c.Ask("p42"), Is.EqualTo("9f0000f8"), "FPSR: NZCV, QC and the cumulative flags");
        ulong ram = sym.Address("current_task");
        Assert.That(c.Ask($"M{ram:x},4:78563412"), Is.EqualTo("OK"));
        Assert.That(c.Ask($"m{ram:x},4"), Is.EqualTo("78563412"));
        Assert.That(c.Ask($"M{ram:x},4:00000000"), Is.EqualTo("OK"));
        Assert.That(c.Ask("m10,4"), Does.StartWith("E"));

        // Z1 at kernel_main, continue: a hwbreak stop there; z1 removes it.
        ulong km = sym.Address("kernel_main");
        Assert.That(c.Ask($"Z1,{km:x},4"), Is.EqualTo("OK"));
        Assert.That(c.Ask("vCont?"), Does.Contain("c").And.Contain("s"));
        Assert.That(c.Ask("vCont;c"), Does.StartWith("T05hwbreak:"));
        Assert.That(target.Cpu.PC, Is.EqualTo(km));
        Assert.That(c.Ask($"z1,{km:x},4"), Is.EqualTo("OK"));
        Assert.That(c.Ask("s"), Does.StartWith("T05"));
        Assert.That(target.Cpu.PC, Is.EqualTo(km + 4));

        // Continue with nothing to stop at (the kernel never ends), then interrupt with 0x03: a SIGINT stop.
        c.Raw(Client.Frame("c"));
        Assert.That((char)c.ReadByte(), Is.EqualTo('+'));
        Thread.Sleep(200);
        c.Raw("\x03");
        Assert.That(c.Reply(), Does.StartWith("T02"));
        Assert.That(target.Cpu.Retired, Is.GreaterThan(1000UL));

        c.Raw(Client.Frame("k"));
        Assert.That(serving.Wait(10_000), Is.True);
        Assert.That(serving.Result, Is.True, "k kills");
    }

    [Test]
    public void CliDebugCommandWithPipedInput()
    {
        // The real entry point: dotnet Aegis.Emu.dll debug IMAGE < commands.
        string dll = EmuExecutable.Dll;
        string image = KernelSymbols.FindImage();
        ulong km = KernelSymbols.Load(image).Address("kernel_main");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" debug \"{image}\"")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write("break kernel_main\ncontinue\nquit\n");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(60_000), Is.True);
        Assert.That(p.ExitCode, Is.EqualTo(0), stderr.Result);
        Assert.That(stdout.Result, Does.Contain($"(aegis) continue\nbreakpoint at 0x{km:x} <kernel_main>"));
        Assert.That(stdout.Result, Does.Not.Contain("\x1b["), "plain text when not a terminal");
    }
}
