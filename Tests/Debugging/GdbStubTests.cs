using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.Debugging.GdbOutput;

namespace Aegis.Tests.Debugging;

/// <summary>
/// The GDB stub driven by the real client: a scripted gdb-multiarch -batch session against the stub served
/// in-process on a free loopback port, with the kernel ELF as gdb's file so symbols resolve. The reference for
/// what gdb should print is (a) the ELF's own symbol table and (b) a second, independent emulator run to the same
/// PC (the machine is deterministic), read directly rather than through the protocol.
/// </summary>
public class GdbStubTests
{
    private static string RunGdbSession(DebugTarget target, params string[] commands)
    {
        string gdb = ReferenceTools.Require(ReferenceTools.GdbMultiarch);
        var listener = GdbStub.Listen(0);
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(() => { try { return new GdbStub(target).Serve(listener); } finally { listener.Stop(); } });
        var psi = new ProcessStartInfo(gdb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-batch", "-nx", "-ex", "set architecture aarch64", "-ex", $"target remote 127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        foreach (var c in commands) { psi.ArgumentList.Add("-ex"); psi.ArgumentList.Add(c); }
        psi.ArgumentList.Add(KernelSymbols.FindImage());
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); Assert.Fail("gdb-multiarch timed out"); }
        Assert.That(serving.Wait(30_000), Is.True, "the stub did not end after gdb detached");
        Assert.That(serving.Result, Is.False, "gdb detached, it did not kill");
        return stdout.Result + stderr.Result;
    }

    [Test]
    public void GdbBreaksAtKernelMainBySymbolReadsRegistersAndMemorySingleStepsAndDetaches()
    {
        string image = KernelSymbols.FindImage();
        byte[] bytes = File.ReadAllBytes(image);
        var symbols = KernelSymbols.Load(image);
        var kernelMain = symbols.All.First(s => s.Name == "kernel_main");

        var target = new DebugTarget(bytes, el2: false, image);
        string output = RunGdbSession(target,
            "break kernel_main", "continue", "info registers", "stepi", "x/2xg $sp", "p/x $pc", "detach");
        TestContext.Out.WriteLine(output);

        // gdb resolves the symbol from the ELF (it may place the breakpoint after kernel_main's prologue).
        ulong bp = Hex(output, @"^Breakpoint 1 at 0x([0-9a-f]+): file src/main\.c");
        Assert.That(bp, Is.InRange(kernelMain.Address, kernelMain.Address + kernelMain.Size - 1), "breakpoint inside kernel_main (ELF .symtab)");
        Assert.That(output, Does.Contain("Breakpoint 1, kernel_main ()"));
        ulong pc = Hex(output, @"^pc\s+0x([0-9a-f]+)");
        Assert.That(pc, Is.EqualTo(bp), "stopped at the breakpoint");

        // An independent run of the same image to the same PC: every register gdb printed must match.
        var reference = new DebugTarget(bytes, el2: false, image);
        reference.Breakpoints[bp] = BreakKind.Software;
        Assert.That(reference.Resume(maxSteps: 50_000_000).Kind, Is.EqualTo(StopKind.Breakpoint));
        for (int r = 0; r < 31; r++)
            Assert.That(Hex(output, $@"^x{r}\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.X[r]), $"x{r}");
        Assert.That(Hex(output, @"^sp\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.SP), "sp");
        Assert.That(Hex(output, @"^cpsr\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.PstateToSpsr()), "cpsr");

        // stepi: one instruction; then x/2xg $sp matches the reference's memory after the same step.
        reference.Step();
        Assert.That(Hex(output, @"^\$1 = 0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.PC), "pc after stepi");
        var mem = Regex.Match(output, @"^0x([0-9a-f]+):\s+0x([0-9a-f]{16})\s+0x([0-9a-f]{16})", RegexOptions.Multiline);
        Assert.That(mem.Success, Is.True, "x/2xg output");
        Assert.That(ulong.Parse(mem.Groups[1].Value, NumberStyles.HexNumber), Is.EqualTo(reference.Cpu.SP));
        Assert.That(reference.TryReadU64(reference.Cpu.SP, out ulong m0), Is.True);
        Assert.That(reference.TryReadU64(reference.Cpu.SP + 8, out ulong m1), Is.True);
        Assert.That(ulong.Parse(mem.Groups[2].Value, NumberStyles.HexNumber), Is.EqualTo(m0));
        Assert.That(ulong.Parse(mem.Groups[3].Value, NumberStyles.HexNumber), Is.EqualTo(m1));
        Assert.That(output, Does.Contain("detached"));

        // The stub's own target is where gdb left it: one instruction past the breakpoint.
        Assert.That(target.Cpu.PC, Is.EqualTo(reference.Cpu.PC));
        Assert.That(target.Cpu.Retired, Is.EqualTo(reference.Cpu.Retired));
        Assert.That(target.Cpu.Cycles, Is.EqualTo(reference.Cpu.Cycles), "debugging does not perturb the machine");
    }

    [Test]
    public void GdbBreakAtExactSymbolAddressHardwareBreakpointAndWriteWatchpoint()
    {
        string image = KernelSymbols.FindImage();
        var symbols = KernelSymbols.Load(image);
        ulong kernelMain = symbols.Address("kernel_main");
        var target = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        string output = RunGdbSession(target,
            "hbreak *kernel_main", "continue", "p/x $pc", "delete", "watch *(unsigned int *)&current_task", "continue", "p/x $pc", "detach");
        TestContext.Out.WriteLine(output);
        Assert.That(Hex(output, @"^\$1 = 0x([0-9a-f]+)"), Is.EqualTo(kernelMain), "hbreak *kernel_main stops at the .symtab address");
        // The first write to current_task after kernel_main: llvm-objdump shows schedule's `str w10, [x21, #0xcb0]`
        // (current_task = 0x...7cb0); gdb reports the watchpoint with the old and new values.
        Assert.That(output, Does.Match(@"[Ww]atchpoint \d+: \*\(unsigned int \*\)&current_task"));
        Assert.That(output, Does.Contain("Old value = 0"));
        // The new value is what the stub's target now holds at current_task (read directly after the session).
        Assert.That(target.TryReadU32(symbols.Address("current_task"), out uint now), Is.True);
        var newValue = Regex.Match(output, @"^New value = (\d+)$", RegexOptions.Multiline);
        Assert.That(newValue.Success, Is.True);
        Assert.That(uint.Parse(newValue.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(now));
        Assert.That(now, Is.Not.EqualTo(0u));
        // As on hardware, gdb reports the stop after the writing instruction: the one before the stop PC must be
        // the store to current_task (reference: llvm-objdump of the ELF).
        ulong stop = Hex(output, @"^\$2 = 0x([0-9a-f]+)");
        string dis = ReferenceTools.Run("llvm-objdump-14", $"-d --no-show-raw-insn --start-address=0x{stop - 4:x} --stop-address=0x{stop:x} {image}");
        var store = Regex.Match(dis, @"^\s*([0-9a-f]+):\s+str\s+w\d+, \[x\d+, #(\d+)\]", RegexOptions.Multiline);
        Assert.That(store.Success, Is.True, $"no store before the stop PC:\n{dis}");
        Assert.That(ulong.Parse(store.Groups[1].Value, NumberStyles.HexNumber), Is.EqualTo(stop - 4));
        Assert.That(ulong.Parse(store.Groups[2].Value) , Is.EqualTo(symbols.Address("current_task") & 0xFFF), "its offset is current_task's page offset");
    }
}
