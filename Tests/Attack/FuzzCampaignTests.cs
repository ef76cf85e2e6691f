using Aegis.Emulator.Cpu.Hooks;
using System.Diagnostics;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Tests.Kernel.PhaseO;
using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 10's syscall fuzz campaign: three fuzzers (UserImages/attack/fuzzer.c, tasks 2, 5 and 6, each seeded) issue
/// random syscalls next to the sensor and logger on the SCENARIO=fuzz kernel (Kernel.Image/tests/scenario_fuzz.c),
/// under the simple timing model, until they have made <see cref="Calls"/> of them. Each byte the UART sends is
/// credited to the task current when it was stored (the kernel prints a task's SYS_WRITE while that task is current).
/// Then: the machine never stopped and the kernel never halted or panicked; none of the fuzzers' secrets (each holds its
/// own in its .bss, on its stack, in x28 and in TPIDR_EL0, and never prints them) reached the UART; the logger's own
/// output logged every reading, in order (on the shared UART other tasks' bytes fall between its writes). The
/// campaign's coverage is counted at each SVC (number, and SYS_WRITE's pointer region and length class) and must reach
/// every class. Deterministic: the seeds are the fuzzers', and the emulator has no other input.
/// </summary>
[TestFixture]
public sealed class FuzzCampaignTests
{
    public const ulong Calls = 1_000_000;
    public const ulong MaxTicks = 200;
    private static readonly int[] Fuzzers = [2, 5, 6];

    /// <summary>The regions SYS_WRITE pointers must reach (a pointer counts for the first region containing it).</summary>
    private static (string Name, ulong Lo, ulong Hi)[] Regions(KernelSymbols k) =>
    [
        ("below the kernel", 0x4000_0000, 0x4008_0000),
        ("kernel image", 0x4008_0000, k.Address("__page_tables_start")),
        ("page tables, kernel task stacks", k.Address("__page_tables_start"), k.Address("__user_stacks_start")),
        ("user stacks", k.Address("__user_stacks_start"), k.Address("__grant_pages_start")),
        ("grant pages", k.Address("__grant_pages_start"), k.Address("__grant_pages_end")),
        ("ELF slots", 0x4010_0000, 0x4011_8000),
        ("stack guard", 0x4011_8000, 0x4011_9000),
        ("exception stack", 0x4011_9000, 0x4011_D000),
        ("unmapped RAM", 0x4011_D000, 0x4020_0000),
        ("boot bundle", BootBundle.Address, BootBundle.Address + BootBundle.MaxSize),
        ("RAM blocks", 0x4020_0000, 0x4800_0000),
        ("device memory", 0x0800_0000, 0x0920_0000),
        ("below RAM", 0, 0x4000_0000),
        ("above RAM", 0x4800_0000, ulong.MaxValue),
    ];

    private static readonly Lazy<Campaign> Run = new(() => new Campaign());

    private sealed class Campaign
    {
        public readonly byte[] Output;
        public readonly byte[][] OutputOf = new byte[8][];
        public readonly StopReason? Stopped;
        public readonly ulong[] PerTask = new ulong[8];
        public readonly Dictionary<ulong, ulong> PerNumber = new();
        public readonly Dictionary<string, ulong> WriteRegions = new(), WriteLengths = new();
        public readonly VirtBoard Board;
        public readonly KernelSymbols Symbols;
        public readonly double HostSeconds;
        public readonly Aegis.Emu.Tracing.Checkers.ContextChecker Context;
        public readonly Aegis.Emu.Tracing.Checkers.KernelWriteChecker Writes;
        public ulong FuzzCalls => Fuzzers.Aggregate(0UL, (n, t) => n + PerTask[t]);

        public Campaign()
        {
            var image = File.ReadAllBytes(KernelScenarioImages.Path("fuzz"));
            Symbols = KernelSymbols.Parse(image);
            Board = new VirtBoard(new VirtBoardOptions { Timing = TimingModels.Simple });
            var output = new MemoryStream();
            var outputOf = Enumerable.Range(0, 8).Select(_ => new MemoryStream()).ToArray();
            long current = Board.Bus.RamOffset(Symbols.Address("current_task"), 4);
            Board.Uart.Transmit = b =>
            {
                output.WriteByte(b);
                outputOf[(int)Board.Bus.ReadRam(current, 4) & 7].WriteByte(b);
            };
            Board.LoadElf(image);
            Support.KernelCoverage.Attach(Board.Cpu, image);
            (Context, Writes) = Support.KernelChecks.Attach(Board.Cpu, image);
            Board.Bus.Load(BootBundle.Address, File.ReadAllBytes(AttackBoot.BundlePath("fuzz")));
            var cpu = Board.Cpu;
            var regions = Regions(Symbols);
            cpu.AddHook(Hook.ExceptionEntry((_, _, vector, esr, _) =>
            {
                if (cpu.EL != 0 || vector != ExceptionVector.Synchronous || (ExceptionClass)(esr >> 26) != ExceptionClass.Svc64) return;
                int task = (int)Board.Bus.ReadRam(current, 4) & 7;
                PerTask[task]++;
                if (Array.IndexOf(Fuzzers, task) < 0) return;
                ulong nr = cpu.X[7];
                PerNumber[Math.Min(nr, 14)] = PerNumber.GetValueOrDefault(Math.Min(nr, 14)) + 1;
                if (nr != 4) return;
                ulong p = cpu.X[0], n = cpu.X[1];
                string region = regions.First(r => p >= r.Lo && p < r.Hi || r.Hi == ulong.MaxValue && p >= r.Lo).Name;
                string length = n == 0 ? "0" : n <= 256 ? (p + n < p ? "1..256, wrapping" : "1..256") : p + n < p ? "over 256, wrapping" : "over 256";
                WriteRegions[region] = WriteRegions.GetValueOrDefault(region) + 1;
                WriteLengths[length] = WriteLengths.GetValueOrDefault(length) + 1;
            }));
            var watch = Stopwatch.StartNew();
            ulong limit = MaxTicks * EmuScenario.CyclesPerTick;
            while (FuzzCalls < Calls && cpu.Cycles < limit)
            {
                var reason = cpu.Run(4_000_000, limit);
                if (reason is not (StopReason.InstructionLimit or StopReason.CycleLimit)) { Stopped = reason; break; }
            }
            HostSeconds = watch.Elapsed.TotalSeconds;
            Output = output.ToArray();
            for (int t = 0; t < 8; t++) OutputOf[t] = outputOf[t].ToArray();
            TestContext.Progress.WriteLine(
                $"fuzz campaign: {FuzzCalls} syscalls (tasks 2/5/6: {PerTask[2]}/{PerTask[5]}/{PerTask[6]}; sensor {PerTask[3]}, logger {PerTask[4]}) " +
                $"in {cpu.Cycles / 1e9:F3} s guest, {cpu.Retired} instructions, {HostSeconds:F1} s host, {Output.Length} bytes out; by number " +
                string.Join(", ", PerNumber.OrderBy(p => p.Key).Select(p => $"{(p.Key == 14 ? ">=14" : p.Key.ToString())}: {p.Value}")) +
                "; SYS_WRITE regions " + string.Join(", ", WriteRegions.Select(p => $"{p.Key}: {p.Value}")) +
                "; lengths " + string.Join(", ", WriteLengths.Select(p => $"{p.Key}: {p.Value}")) +
                $"; {Context.Summary()}; {Writes.Summary()}");
        }
    }

    [Test]
    public void AMillionFuzzedSyscallsNeverHaltTheKernel()
    {
        var c = Run.Value;
        Assert.That(c.Stopped, Is.Null, "the machine stopped");
        Assert.That(c.FuzzCalls, Is.GreaterThanOrEqualTo(Calls), $"within {MaxTicks} ticks");
        foreach (var t in Fuzzers) Assert.That(c.PerTask[t], Is.GreaterThan(Calls / 20), $"task {t} fuzzed too");
        string text = Encoding.Latin1.GetString(c.Output);
        foreach (var fatal in new[] { "HALTED", "KERNEL PANIC", "[KERNEL]", "SERROR", "UNHANDLED EXCEPTION" })
            Assert.That(text, Does.Not.Contain(fatal));
    }

    [Test]
    public void NoFuzzerSecretReachesTheUart()
    {
        var c = Run.Value;
        string text = Encoding.Latin1.GetString(c.Output);
        foreach (var t in Fuzzers)
            foreach (var secret in new[] { $"FZ{t}-BSS-w3Lq8xyz", $"FZ{t}-STK-w3Lq8xyz", $"FZ{t}X28!!", $"FZ{t}TLS!!" })
                Assert.That(text, Does.Not.Contain(secret));
        // And they are there to be leaked: task 5's .bss (slot 3), and its x28 and TPIDR_EL0 in its TCB unless it runs.
        string Ram(ulong pa, int n) => Encoding.Latin1.GetString(c.Board.Bus.Ram.Slice((int)(pa - VirtBoard.RamBase), n).ToArray());
        Assert.That(Ram(0x4010_D000, 0x100), Does.Contain("FZ5-BSS-w3Lq8xyz"));
        ulong tcb = c.Symbols.Address("tcbs") + 5 * (ulong)Kernel.Functions.KernelLayout.Tcb.Size;
        if (c.Board.Bus.ReadRam(c.Board.Bus.RamOffset(c.Symbols.Address("current_task"), 4), 4) != 5)
        {
            Assert.That(Ram(tcb + (ulong)Kernel.Functions.KernelLayout.Frame.X(28), 8), Is.EqualTo("FZ5X28!!"));
            Assert.That(Ram(tcb + Kernel.Functions.KernelLayout.Tcb.TpidrEl0, 8), Is.EqualTo("FZ5TLS!!"));
        }
    }

    [Test]
    public void TheLoggerLogsEveryReadingInOrder()
    {
        var logger = Encoding.Latin1.GetString(Run.Value.OutputOf[4]);
        Assert.That(logger, Does.StartWith("LOGGER:init LOG:0 LOG:1 "));
        Assert.That(PhaseOBoot.Readings(logger), Is.EqualTo("0123456789abcdef"), "the first 16 readings, then reports");
        // Every reading the previous + 1 and none lost: the logger's and the sensor's own counters, in their slots
        // (no fuzzer can reach them); one reading may be in flight.
        var (counters, sent) = PhaseOBoot.Counters(Run.Value.Board.Bus);
        Assert.That(counters.Logged, Is.GreaterThan(1000UL));
        Assert.That(counters.AllInOrder, Is.True, counters.ToString());
        Assert.That(sent, Is.InRange(counters.Logged - 1, counters.Logged + 1), $"{sent} readings sent; {PhaseOBoot.InFlight}");
        // Its reports (every 0.5 s of guest time, when it runs) say the same.
        foreach (var report in PhaseOBoot.LoggerReports(logger))
            Assert.That(report.AllInOrder, Is.True, report.ToString());
    }

    [Test]
    public void TheCampaignReachesEveryRegionLengthAndNumber()
    {
        var c = Run.Value;
        foreach (var (name, _, _) in Regions(c.Symbols))
            Assert.That(c.WriteRegions.GetValueOrDefault(name), Is.GreaterThan(100UL), $"SYS_WRITE into {name}");
        foreach (var length in new[] { "0", "1..256", "1..256, wrapping", "over 256", "over 256, wrapping" })
            Assert.That(c.WriteLengths.GetValueOrDefault(length), Is.GreaterThan(100UL), $"SYS_WRITE length {length}");
        for (ulong nr = 0; nr <= 12; nr++)
            Assert.That(c.PerNumber.GetValueOrDefault(nr), Is.GreaterThan(100UL), $"syscall {nr}");
        Assert.That(c.PerNumber.GetValueOrDefault(14UL), Is.GreaterThan(0UL), "unknown numbers");
    }

    /// <summary>Issue 11 point 4: over the whole campaign, every RAM write the kernel made lies in its own writable
    /// segment or in the memory of the task it served (<see cref="Aegis.Emu.Tracing.Checkers.KernelWriteChecker"/>).</summary>
    [Test]
    public void NoFuzzedSyscallMakesTheKernelWriteOutsideItsDataOrTheCallersMemory()
    {
        var w = Run.Value.Writes;
        Assert.That(w.First, Is.Null, w.Summary());
        Assert.That(w.RamWrites, Is.GreaterThan(Calls), "each syscall at least saves a trap frame");
    }

    /// <summary>Issue 11 point 4: every task of the campaign resumed with the registers, SP_EL0, PC, PSTATE and thread
    /// registers it left EL0 with (an SVC may change X0-X3), at every switch
    /// (<see cref="Aegis.Emu.Tracing.Checkers.ContextChecker"/>).</summary>
    [Test]
    public void EveryTaskResumesWithTheStateItLeftWith()
    {
        var c = Run.Value.Context;
        Assert.That(c.First, Is.Null, c.Summary());
        Assert.That(c.Resumes, Is.GreaterThan(Calls));
        Assert.That(c.ResumesAfterSwitch, Is.GreaterThan(Calls / 10));
        Assert.That(c.ResumesAfterInterrupt, Is.GreaterThan(10UL));
    }
}
