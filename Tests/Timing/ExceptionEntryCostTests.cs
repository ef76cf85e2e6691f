using System.Buffers.Binary;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// Issue 10, point 6: every exception entry advances the clock, so every run limit ends a guest that takes exception
/// after exception. The guest is the committed AegisOS kernel with its entry point moved to 0x0A00_0010 (QEMU's
/// virtio-mmio window, not modelled): nothing answers there, so the fetch aborts. Its vector (VBAR_EL1 = 0 at reset) is
/// in flash, which reads as zeros: UDF after UDF through the command line; the library test below moves VBAR_EL1 to
/// the same hole, so that every vector fetch aborts too and no instruction ever retires.
/// </summary>
[TestFixture]
public sealed class ExceptionEntryCostTests
{
    private const ulong Hole = 0x0A00_0000;

    private static byte[] KernelEnteringNowhere()
    {
        var image = Emu.KernelGuest.Load()!.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(24), Hole + 0x10); // e_entry
        return image;
    }

    [TestCaseSource(typeof(TimingModels), nameof(TimingModels.Names))]
    public void ExceptionBetweenInstructionsCostsAtLeastOneCycle(string model)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = model });
        board.LoadElf(KernelEnteringNowhere());
        board.Cpu.VbarEl[1] = Hole;
        // The step limit only guards the test: the cycle limit must come first.
        var reason = board.Cpu.Run(maxSteps: 1_000_000, maxCycles: 20_000);
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit), $"{model}: {board.Cpu.ExceptionsTaken} exceptions, {board.Cpu.Cycles} cycles");
        Assert.That(board.Cpu.Retired, Is.Zero, "no instruction retires in this guest");
        Assert.That(board.Cpu.ExceptionsTaken, Is.GreaterThan(0).And.LessThanOrEqualTo(20_000UL), "one cycle or more per exception entry");
    }

    /// <summary>The command line: each limit ends the run with its usual status (in-process; a hang fails after 60 s).</summary>
    [TestCase("--max-cycles", "100000", "simple", 0)]
    [TestCase("--seconds", "0.0001", "simple", 0)]
    [TestCase("--max-cycles", "100000", "a53", 0)]
    [TestCase("--seconds", "0.0001", "a53", 0)]
    public void BootLimitsEndAnExceptionStorm(string option, string value, string model, int status)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aegis-entry10-{Environment.ProcessId}.elf");
        File.WriteAllBytes(path, KernelEnteringNowhere());
        try
        {
            var (code, stderr) = RunCli(["boot", path, option, value, "--timing", model, "--no-bundle"]);
            Assert.That(code, Is.EqualTo(status), stderr);
            Assert.That(stderr, Does.Contain("time limit reached"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void RunMaxInstructionsEndsAnExceptionStorm()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aegis-entry10-run-{Environment.ProcessId}.elf");
        File.WriteAllBytes(path, KernelEnteringNowhere());
        try
        {
            var (code, stderr) = RunCli(["run", path, "--max-instructions", "5000", "--timing", "simple"]);
            Assert.That(code, Is.EqualTo(Emu.Cli.ExitInstructionLimit), stderr);
        }
        finally { File.Delete(path); }
    }

    internal static (int Status, string Stderr) RunCli(string[] args)
    {
        var stderr = new StringWriter();
        var run = Task.Run(() => Emu.Cli.Run(args, new MemoryStream(), stderr));
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, $"aegis-emu {string.Join(' ', args)} did not end within 60 s");
        return (run.Result, stderr.ToString());
    }
}
