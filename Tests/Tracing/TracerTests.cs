using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using System.Text.RegularExpressions;
using Aegis.Emu;
using Aegis.Emu.AegisOs;
using Aegis.Emu.Tracing;
using Aegis.Kernel.Image;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>The instruction tracer on the AegisOS boot: against QEMU's own execution trace, and its filters.</summary>
[TestFixture]
public partial class TracerTests
{
    private static (AegisOsMachine Machine, TraceSession Session, StringWriter Text) Traced(TraceFilter filter, params string[] checks)
    {
        byte[] image = File.ReadAllBytes(KernelSymbols.FindImage());
        var machine = new AegisOsMachine(image);
        machine.Board.ConsoleOutput = _ => { };
        var text = new StringWriter();
        var session = new TraceSession(machine.Cpu, machine.Symbols, text, filter, checks);
        return (machine, session, text);
    }

    [GeneratedRegex(@"^\s*\d+(?:/\d)? EL\d T\S+ ([0-9a-f]{16}) ")]
    private static partial Regex InstructionLine();

    private static List<ulong> Pcs(string trace) =>
        [.. trace.Split('\n').Select(l => InstructionLine().Match(l)).Where(m => m.Success).Select(m => Convert.ToUInt64(m.Groups[1].Value, 16))];

    /// <summary>
    /// Reference: qemu-system-aarch64 -M virt -cpu cortex-a53 -kernel aegis.elf -d exec,nochain -singlestep logs one
    /// "Trace N: host [flags/PC/...]" line per executed instruction (one-instruction TBs, no chaining).
    /// </summary>
    [Test]
    public void FirstThousandInstructionsOfTheBootMatchQemuAddressForAddress()
    {
        ReferenceTools.Require("qemu-system-aarch64");
        const int N = 1000;
        string dir = Directory.CreateTempSubdirectory("aegis-trace").FullName;
        string log = Path.Combine(dir, "qemu.log");
        var psi = new ProcessStartInfo(ReferenceTools.Find("qemu-system-aarch64")!,
            $"-M virt -cpu cortex-a53 -nographic -nic none -kernel {KernelSymbols.FindImage()} -d exec,nochain -singlestep -D {log}")
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var qemuPcs = new List<ulong>();
        using (var qemu = Process.Start(psi)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
                if (File.Exists(log) && new FileInfo(log).Length > 200 * N) break;
            }
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
        }
        var trace = new Regex(@"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/");
        using (var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
        {
            while (qemuPcs.Count < N && reader.ReadLine() is { } line)
                if (trace.Match(line) is { Success: true } m) qemuPcs.Add(Convert.ToUInt64(m.Groups[1].Value, 16));
        }
        Directory.Delete(dir, true);
        Assert.That(qemuPcs, Has.Count.EqualTo(N), "QEMU logged at least 1000 instructions");

        var (machine, session, text) = Traced(new TraceFilter());
        machine.Cpu.Run(N);
        session.Dispose();
        var ours = Pcs(text.ToString());
        Assert.That(ours, Has.Count.EqualTo(N));
        for (int i = 0; i < N; i++)
            Assert.That(ours[i], Is.EqualTo(qemuPcs[i]), $"instruction {i}: ours 0x{ours[i]:x}, QEMU 0x{qemuPcs[i]:x}");
    }

    [Test]
    public void LinesCarrySymbolDisassemblyRegistersAndMemory()
    {
        var (machine, session, text) = Traced(new TraceFilter());
        machine.Cpu.Run(10);
        session.Dispose();
        var lines = text.ToString().Split('\n');
        // boot.S starts "mrs x0, mpidr_el1" at _start (the ELF entry); QEMU's cortex-a53 MPIDR_EL1 is 0x80000000.
        Assert.That(lines[0], Does.Contain("0000000040080000 _start ").And.Contain("d53800a0").And.Contain("mrs x0, mpidr_el1").And.Contain("x0=80000000"));
        // Capstone's text for the literal load and the value our loader placed there (the stack top).
        var ldr = lines.First(l => l.Contains("ldr x0, #"));
        Assert.That(ldr, Does.Match(@"R8 \[[0-9a-f]+\] \(pa [0-9a-f]+\) = ([0-9a-f]+) ; x0=\1"), "the loaded value is what x0 received");
    }

    [Test]
    public void SystemRegisterWritesAndTlbiAppearInTheirLines()
    {
        var (machine, session, text) = Traced(new TraceFilter());
        machine.Cpu.Run(2_000_000); // 2 million instructions: past mmu_init under any timing model
        session.Dispose();
        var lines = text.ToString().Split('\n');
        // mmu.c writes TTBR0_EL1 with msr and invalidates with tlbi (the kernel source); the value is what x_n held.
        var msr = lines.First(l => l.Contains("msr ttbr0_el1, x"));
        Assert.That(msr, Does.Match(@"msr ttbr0_el1, x(\d+).* ; TTBR0_EL1=[0-9a-f]+"));
        Assert.That(lines.Any(l => l.Contains("tlbi ") && l.Contains(" ; TLBI ")), "a TLBI line names the operation");
    }

    [Test]
    public void ElAndTaskFiltersKeepOnlyMatchingInstructions()
    {
        var (machine, session, text) = Traced(new TraceFilter(El: 0, Task: 0));
        machine.Run(20_000_000); // 20 ms: the UART driver (task 0) has started at EL0
        session.Dispose();
        var lines = text.ToString().Split('\n').Where(l => InstructionLine().IsMatch(l)).ToList();
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines, Has.All.Contain(" EL0 T0 "));
        Assert.That(session.Tracer!.Lines, Is.EqualTo((ulong)lines.Count));
        Assert.That(machine.Accounting.Instructions(0), Is.EqualTo((ulong)lines.Count), "every EL0 instruction of task 0, as the task accounting counts them");
    }

    [Test]
    public void RangeFilterAndTheCommandLine()
    {
        string file = Path.GetTempFileName();
        var err = new StringWriter();
        int status = Aegis.Emu.Cli.Run(["boot", "--max-cycles", "3000000", "--trace", file, "--trace-range", "40080000-400800ff", "--check", "all"], Stream.Null, err);
        string trace = File.ReadAllText(file);
        File.Delete(file);
        Assert.That(status, Is.EqualTo(0), err.ToString());
        var pcs = Pcs(trace);
        Assert.That(pcs, Is.Not.Empty);
        Assert.That(pcs, Has.All.InRange(0x4008_0000UL, 0x4008_00FFUL));
        foreach (string c in TraceSession.CheckerNames)
            Assert.That(err.ToString(), Does.Contain($"check {c}: no violations"));
    }

    [Test]
    public void UnknownCheckerIsAUsageError()
    {
        var err = new StringWriter();
        Assert.That(Aegis.Emu.Cli.Run(["boot", "--max-cycles", "1000", "--check", "wx,bogus"], Stream.Null, err), Is.EqualTo(Aegis.Emu.Cli.ExitUsage));
        Assert.That(err.ToString(), Does.Contain("unknown checker 'bogus'"));
    }
}
