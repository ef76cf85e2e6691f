using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// Timing never changes a functional result, and the A53 model is deterministic: the committed guest programs print
/// the same bytes and exit the same way under "simple" and "a53", and two a53 runs of AegisOS agree to the cycle.
/// </summary>
[TestFixture]
public sealed class ModelIndependenceTests
{
    public static IEnumerable<string> Images() => GuestPrograms.Images();

    private static GuestRun Run(string image, string timing)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing });
        var output = new MemoryStream();
        board.ConsoleOutput = b => output.WriteByte(b);
        board.LoadElf(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image)));
        var reason = board.Cpu.Run(GuestPrograms.InstructionLimit);
        return new GuestRun(output.ToArray(), [], reason == StopReason.GuestExit ? board.Cpu.ExitCode : -1, reason.ToString(),
            board.Cpu.Retired, board.Cpu.Cycles);
    }

    [TestCaseSource(nameof(Images))]
    public void SameOutputUnderBothModels(string image)
    {
        var simple = Run(image, TimingModels.Simple);
        var a53 = Run(image, TimingModels.A53);
        Assert.That(simple.Stop, Is.EqualTo("GuestExit"));
        Assert.That(a53.Text, Is.EqualTo(simple.Text), () => GuestPrograms.FirstDifference(simple.Text, a53.Text));
        Assert.That((a53.Stop, a53.ExitCode), Is.EqualTo((simple.Stop, simple.ExitCode)));
        Assert.That(a53.Cycles, Is.Not.EqualTo(a53.Instructions), "the a53 model charged its own cycles");
    }

    [Test]
    public void AegisOsRunsAreIdenticalToTheCycle()
    {
        (string, ulong, ulong, ulong, ulong) Boot()
        {
            var m = new AegisOsMachine(Emu.KernelGuest.Load()!, bundle: Emu.KernelGuest.LoadBundle(), timing: TimingModels.A53);
            var output = new MemoryStream();
            m.Board.ConsoleOutput = b => output.WriteByte(b);
            m.Run(300_000_000); // 0.3 s of guest time: the boot, the phase O tasks and the J4 ping-pong
            var e = m.Cpu.PerfEvents;
            return (System.Text.Encoding.Latin1.GetString(output.ToArray()), m.Cpu.Retired, m.Cpu.Cycles,
                e.Total(PmuEvent.L1D_CACHE_REFILL, 1), e.Total(PmuEvent.BR_MIS_PRED, 0));
        }
        var first = Boot();
        var second = Boot();
        Assert.That(first.Item1, Does.Contain("J4"), "the boot reached the IPC ping-pong");
        Assert.That(second, Is.EqualTo(first));
    }
}
