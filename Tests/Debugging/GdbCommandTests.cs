using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aegis.Emu.AegisOs;
using Aegis.Emu.Debugging;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.Debugging.GdbOutput;

namespace Aegis.Tests.Debugging;

/// <summary>
/// `boot --gdb PORT` and `run FILE.elf --gdb PORT`: the machine each command creates, served to a scripted
/// gdb-multiarch -batch session (the real client) through the CLI, in-process, on a free loopback port (--gdb 0 names
/// it on stderr). References: the ELFs' symbol tables, the committed bundle, an independent undebugged machine built
/// the same way and run to the same PC (the machine is deterministic), and the undebugged `run` of the same sample.
/// </summary>
public class GdbCommandTests
{
    private sealed record Session(int Status, string Gdb, string Stdout, string Stderr);

    private static Session RunWithGdb(string[] cliArgs, string symbolFile, params string[] commands)
    {
        string gdb = ReferenceTools.Require(ReferenceTools.GdbMultiarch);
        var stdout = new MemoryStream();
        var errText = new StringWriter();
        var stderr = TextWriter.Synchronized(errText);
        string Err() { lock (stderr) return errText.ToString(); }
        var cli = Task.Run(() => Emu.Cli.Run(cliArgs, stdout, stderr));
        int port = 0;
        var wait = Stopwatch.StartNew();
        while (port == 0)
        {
            var m = Regex.Match(Err(), @"waiting for gdb on 127\.0\.0\.1:(\d+)");
            if (m.Success) port = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            else if (cli.IsCompleted) Assert.Fail($"the command ended ({cli.Result}) without serving gdb:\n{Err()}");
            else if (wait.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail("the command never listened");
            else Thread.Sleep(20);
        }
        var psi = new ProcessStartInfo(gdb) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-batch", "-nx", "-ex", "set architecture aarch64", "-ex", $"target remote 127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        foreach (var c in commands) { psi.ArgumentList.Add("-ex"); psi.ArgumentList.Add(c); }
        psi.ArgumentList.Add(symbolFile);
        using var p = Process.Start(psi)!;
        var gdbOut = p.StandardOutput.ReadToEndAsync();
        var gdbErr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000)) { p.Kill(true); Assert.Fail("gdb-multiarch timed out"); }
        Assert.That(cli.Wait(30_000), Is.True, "the command did not end after gdb left");
        var s = new Session(cli.Result, gdbOut.Result + gdbErr.Result, Encoding.Latin1.GetString(stdout.ToArray()), Err());
        TestContext.Out.WriteLine(s.Gdb);
        TestContext.Out.WriteLine(s.Stderr);
        return s;
    }

    [Test]
    public void BootGdbServesTheRealSystemBreaksInTheKernelAndInHelloAndDetaches()
    {
        string image = KernelSymbols.FindImage();
        byte[] kernel = File.ReadAllBytes(image);
        var kernelMain = KernelSymbols.Load(image).All.First(s => s.Name == "kernel_main");
        string bundlePath = BootBundle.FindDefault(TestContext.CurrentContext.TestDirectory)!;
        byte[] bundle = File.ReadAllBytes(bundlePath);
        string hello = Path.Combine(Path.GetDirectoryName(bundlePath)!, "hello.elf");
        ulong helloEntry = KernelSymbols.Load(hello).Entry;

        var s = RunWithGdb(["boot", "--gdb", "0"], image,
            "break kernel_main", "continue", "info registers", "x/4xb 0x42000000",
            $"break *0x{helloEntry:x}", "continue", "p/x $cpsr", "x/2xw $pc", "p/x $fpcr", "p/x $v31.d.u[1]", "detach");
        Assert.That(s.Status, Is.EqualTo(0));
        Assert.That(s.Stderr, Does.Contain("aegis-emu: gdb detached"));

        // The kernel breakpoint, resolved by gdb from the ELF, inside kernel_main (.symtab).
        ulong bp = Hex(s.Gdb, @"^Breakpoint 1 at 0x([0-9a-f]+): file src/main\.c");
        Assert.That(bp, Is.InRange(kernelMain.Address, kernelMain.Address + kernelMain.Size - 1));
        Assert.That(s.Gdb, Does.Contain("Breakpoint 1, kernel_main ()"));
        Assert.That(Hex(s.Gdb, @"^pc\s+0x([0-9a-f]+)"), Is.EqualTo(bp));

        // An independent machine built as `boot` builds it (kernel + default bundle), run to the same PC.
        var reference = new DebugTarget(new AegisOsMachine(kernel, false, bundle), kernel, image, bundle);
        reference.Breakpoints[bp] = BreakKind.Software;
        Assert.That(reference.Resume(maxSteps: 50_000_000).Kind, Is.EqualTo(StopKind.Breakpoint));
        for (int r = 0; r < 31; r++)
            Assert.That(Hex(s.Gdb, $@"^x{r}\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.X[r]), $"x{r}");
        Assert.That(Hex(s.Gdb, @"^sp\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.SP), "sp");
        Assert.That(Hex(s.Gdb, @"^cpsr\s+0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.PstateToSpsr()), "cpsr");

        // The boot bundle is in RAM as `boot` places it: the committed bundle's first bytes ("AGBN").
        var magic = Regex.Match(s.Gdb, @"^0x42000000(?: <[^>]*>)?:\s+0x([0-9a-f]{2})\s+0x([0-9a-f]{2})\s+0x([0-9a-f]{2})\s+0x([0-9a-f]{2})", RegexOptions.Multiline);
        Assert.That(magic.Success, Is.True, "x/4xb output");
        for (int i = 0; i < 4; i++)
            Assert.That(byte.Parse(magic.Groups[i + 1].Value, NumberStyles.HexNumber), Is.EqualTo(bundle[i]), $"bundle byte {i}");

        // hello's first instruction (hello.elf e_entry), at EL0: cpsr M[3:0] = 0b0000 = EL0t (Arm ARM, SPSR_EL1.M).
        Assert.That(s.Gdb, Does.Match($@"Breakpoint 2, 0x0*{helloEntry:x} in "));
        ulong cpsr = Hex(s.Gdb, @"^\$1 = 0x([0-9a-f]+)");
        Assert.That(cpsr & 0xF, Is.EqualTo(0UL), "EL0t");
        reference.Breakpoints.Clear();
        reference.Breakpoints[helloEntry] = BreakKind.Software;
        Assert.That(reference.Resume(maxSteps: 50_000_000).Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(cpsr, Is.EqualTo(reference.Cpu.PstateToSpsr()));
        // The words at PC are hello.elf's first two instructions (llvm-objdump-14 of the committed ELF).
        string dump = ReferenceTools.Run("llvm-objdump-14", $"-d --start-address=0x{helloEntry:x} --stop-address=0x{helloEntry + 8:x} {hello}");
        var words = Regex.Matches(dump, @"^\s*[0-9a-f]+:\s+([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[4].Value}{m.Groups[3].Value}{m.Groups[2].Value}{m.Groups[1].Value}").ToArray();
        Assert.That(words, Has.Length.EqualTo(2));
        var x = Regex.Match(s.Gdb, $@"^0x0*{helloEntry:x}(?: <[^>]*>)?:\s+0x([0-9a-f]{{8}})\s+0x([0-9a-f]{{8}})", RegexOptions.Multiline);
        Assert.That(x.Success, Is.True, "x/2xw output");
        Assert.That(new[] { x.Groups[1].Value, x.Groups[2].Value }, Is.EqualTo(words));
        Assert.That(s.Gdb, Does.Contain("detached"));
        // The fpu feature of the target description: gdb names fpcr and v31's lanes (zero here: no FP code has run).
        Assert.That(Hex(s.Gdb, @"^\$2 = 0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.Sys.FPCR), "fpcr");
        Assert.That(Hex(s.Gdb, @"^\$3 = 0x([0-9a-f]+)"), Is.EqualTo(reference.Cpu.Vreg[63]), "v31.d.u[1]");

        // The UART streamed to stdout: the kernel loaded hello from the bundle, hello had not printed yet.
        Assert.That(s.Stdout, Does.Contain($"[AegisOS] task 2 (hello) loaded from ELF (entry=0x{helloEntry:X16})"));
        Assert.That(s.Stdout, Does.Not.Contain("L5:ELF"));
    }

    [Test]
    public void RunGdbServesTheBoardRunBuildsWithItsOptionsUntilTheGuestExits()
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "el2-O2.elf");
        ulong main = KernelSymbols.Load(elf).Address("main");
        var s = RunWithGdb(["run", elf, "--el2", "--ram-mib", "64", "--gdb", "0"], elf,
            "p/x $cpsr", "p/x $pc", "break *main", "continue", "p/x $pc", "continue");
        Assert.That(s.Status, Is.EqualTo(0));

        // Stopped at the ELF entry, at EL2 because of --el2: M[3:0] = 0b1001 = EL2h (Arm ARM; QEMU -M
        // virt,virtualization=on enters -kernel at EL2), and equal to a board built as `run --el2` builds it.
        var reference = new VirtBoard(new VirtBoardOptions { El2 = true, RamSize = 64UL << 20 });
        reference.LoadElf(File.ReadAllBytes(elf));
        ulong cpsr = Hex(s.Gdb, @"^\$1 = 0x([0-9a-f]+)");
        Assert.That(cpsr & 0xF, Is.EqualTo(9UL), "EL2h");
        Assert.That(cpsr, Is.EqualTo(reference.Cpu.PstateToSpsr()));
        Assert.That(Hex(s.Gdb, @"^\$2 = 0x([0-9a-f]+)"), Is.EqualTo(KernelSymbols.Load(elf).Entry), "e_entry");
        Assert.That(Hex(s.Gdb, @"^\$3 = 0x([0-9a-f]+)"), Is.EqualTo(main), "main from .symtab");
        Assert.That(s.Gdb, Does.Contain("exited normally"), "semihosting exit 0 reported as W00");

        // The guest's console is the undebugged run's, byte for byte (that run is compared with QEMU in Tests/Guests).
        var plain = new MemoryStream();
        Assert.That(Emu.Cli.Run(["run", elf, "--el2", "--ram-mib", "64"], plain, new StringWriter()), Is.EqualTo(0));
        Assert.That(s.Stdout, Is.EqualTo(Encoding.Latin1.GetString(plain.ToArray())));
        Assert.That(s.Stdout, Does.Contain("back at EL2"));
    }

    [Test]
    public void GdbReverseStepsAndReverseContinuesToTheStateOfTheForwardRun()
    {
        // hello-O0 prints through uart_putc (not inlined at -O0): x0 holds each character at its first instruction.
        string elf = Path.Combine(GuestPrograms.BinDir, "hello-O0.elf");
        ulong putc = KernelSymbols.Load(elf).Address("uart_putc");
        var s = RunWithGdb(["run", elf, "--gdb", "0"], elf,
            $"break *0x{putc:x}", "continue", "continue", "continue", "continue", "continue",
            "p/x $pc", "p/x $x0",                                          // $1 $2: the 5th call
            "reverse-stepi", "p/x $pc",                                    // $3: one step before it
            "reverse-continue", "p/x $pc", "p/x $x0", "p/x $sp", "p/x $x30", // $4-$7: the 4th call
            "x/2xg $sp",
            "continue", "p/x $x0",                                         // $8: forward again, the 5th call
            "delete", "continue");

        // The forward run, without gdb and without going back: a debugger target stopping at each call.
        var reference = new DebugTarget(File.ReadAllBytes(elf), el2: false);
        reference.Breakpoints[putc] = BreakKind.Software;
        var calls = new List<(ulong Steps, ulong X0, ulong Sp, ulong X30, ulong Mem0, ulong Mem1)>();
        for (int i = 0; i < 5; i++)
        {
            Assert.That(reference.Resume(maxSteps: 10_000_000).Kind, Is.EqualTo(StopKind.Breakpoint));
            var c = reference.Cpu;
            Assert.That(reference.TryReadU64(c.SP, out ulong m0), Is.True);
            Assert.That(reference.TryReadU64(c.SP + 8, out ulong m1), Is.True);
            calls.Add((c.Steps, c.X[0], c.SP, c.X[30], m0, m1));
        }
        Assert.That(Hex(s.Gdb, @"^\$1 = 0x([0-9a-f]+)"), Is.EqualTo(putc));
        Assert.That(Hex(s.Gdb, @"^\$2 = 0x([0-9a-f]+)"), Is.EqualTo(calls[4].X0));
        // One step before the 5th call: a fresh machine run that many steps (the machine is deterministic).
        var before = new VirtBoard();
        before.LoadElf(File.ReadAllBytes(elf));
        before.Cpu.Run(calls[4].Steps - 1);
        Assert.That(Hex(s.Gdb, @"^\$3 = 0x([0-9a-f]+)"), Is.EqualTo(before.Cpu.PC), "reverse-stepi");
        Assert.That(Hex(s.Gdb, @"^\$4 = 0x([0-9a-f]+)"), Is.EqualTo(putc), "reverse-continue stops at the breakpoint");
        Assert.That(Hex(s.Gdb, @"^\$5 = 0x([0-9a-f]+)"), Is.EqualTo(calls[3].X0), "the 4th call's character");
        Assert.That(Hex(s.Gdb, @"^\$6 = 0x([0-9a-f]+)"), Is.EqualTo(calls[3].Sp));
        Assert.That(Hex(s.Gdb, @"^\$7 = 0x([0-9a-f]+)"), Is.EqualTo(calls[3].X30));
        var mem = Regex.Match(s.Gdb, @"^0x[0-9a-f]+(?: <[^>]*>)?:\s+0x([0-9a-f]{16})\s+0x([0-9a-f]{16})", RegexOptions.Multiline);
        Assert.That(mem.Success, Is.True, "x/2xg output");
        Assert.That(ulong.Parse(mem.Groups[1].Value, NumberStyles.HexNumber), Is.EqualTo(calls[3].Mem0));
        Assert.That(ulong.Parse(mem.Groups[2].Value, NumberStyles.HexNumber), Is.EqualTo(calls[3].Mem1));
        Assert.That(Hex(s.Gdb, @"^\$8 = 0x([0-9a-f]+)"), Is.EqualTo(calls[4].X0), "forward again: the same 5th call");
        Assert.That(s.Gdb, Does.Contain("exited normally"));

        // Replays print nothing: the console is the undebugged run's, byte for byte.
        var plain = new MemoryStream();
        Assert.That(Emu.Cli.Run(["run", elf], plain, new StringWriter()), Is.EqualTo(0));
        Assert.That(s.Stdout, Is.EqualTo(Encoding.Latin1.GetString(plain.ToArray())));
    }

    [Test]
    public void RunGdbEndsWhenGdbKillsTheTarget()
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf");
        ulong entry = KernelSymbols.Load(elf).Entry;
        var s = RunWithGdb(["run", elf, "--gdb", "0"], elf, "stepi", "p/x $pc", "kill");
        Assert.That(s.Status, Is.EqualTo(0));
        Assert.That(s.Stderr, Does.Contain("aegis-emu: gdb killed the target"));
        // One instruction from e_entry; hello-O2's _start begins with straight-line code (llvm-objdump: no branch first).
        Assert.That(Hex(s.Gdb, @"^\$1 = 0x([0-9a-f]+)"), Is.EqualTo(entry + 4));
        Assert.That(s.Stdout, Is.Empty, "killed before printing anything");
    }

    [Test]
    public void RunGdbServesALinuxBootStoppedAtTheKernelsEntry()
    {
        // A raw kernel (no Image header, no symbols) booted by the arm64 boot protocol: entered at RAM + 0x80000, x0 = DTB.
        var words = Llvm.Assemble("nop", "nop", "b .");
        var raw = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, raw, 0, raw.Length);
        string dir = Directory.CreateTempSubdirectory("aegis-gdbkernel").FullName;
        try
        {
            string kernel = Path.Combine(dir, "raw.bin");
            File.WriteAllBytes(kernel, raw);
            string symbols = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf"); // gdb wants a file; a Linux user gives it vmlinux
            var s = RunWithGdb(["run", "--kernel", kernel, "--gdb", "0"], symbols, "p/x $pc", "p/x $x0", "stepi", "p/x $pc", "kill");
            Assert.That(s.Status, Is.EqualTo(0), s.Stderr);
            Assert.That(Hex(s.Gdb, @"^\$1 = 0x([0-9a-f]+)"), Is.EqualTo(0x4008_0000UL));
            Assert.That(Hex(s.Gdb, @"^\$2 = 0x([0-9a-f]+)"), Is.EqualTo(0x4400_0000UL), "x0 = the DTB");
            Assert.That(Hex(s.Gdb, @"^\$3 = 0x([0-9a-f]+)"), Is.EqualTo(0x4008_0004UL));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void OptionsThatGdbControlsAreUsageErrors()
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf");
        var cases = new (string[] Args, string Error)[]
        {
            (["run", elf, "--gdb", "0", "--max-instructions", "10"], "--gdb cannot be combined with --max-instructions"),
            (["run", elf, "--gdb", "0", "--trace", "/dev/null", "--check", "all"], "--gdb cannot be combined with --trace, --check"),
            (["boot", "--gdb", "0", "--seconds", "1"], "--gdb cannot be combined with --seconds"),
            (["boot", "--gdb", "0", "--max-cycles", "10", "--trace-el", "0"], "--gdb cannot be combined with --max-cycles, --trace-el"),
            (["boot", "--gdb", "70000"], "--gdb 70000: not a TCP port"),
            (["run", elf, "--gdb", "-1"], "--gdb -1: not a TCP port"),
        };
        foreach (var (args, error) in cases)
        {
            var stdout = new MemoryStream();
            var stderr = new StringWriter();
            int status = Emu.Cli.Run(args, stdout, stderr);
            Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage), string.Join(' ', args));
            Assert.That(stderr.ToString(), Does.StartWith($"aegis-emu: error: {error}"), string.Join(' ', args));
            Assert.That(stdout.Length, Is.EqualTo(0), "nothing ran");
        }
    }
}
