using System.Text;
using Aegis.Emu.AegisOs;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>
/// Reverse execution (Aegis.Emu.Machine/Debugging/ExecutionHistory.cs, DebugTarget.Reverse.cs). The reference is the
/// forward run itself: every state recorded going forward must come back, exactly, going back (registers, flags,
/// instruction and cycle counts, memory), because the machine is deterministic and a snapshot restores all of it.
/// </summary>
public class ReverseDebugTests
{
    private sealed record State(ulong Pc, ulong Sp, uint Nzcv, ulong Retired, ulong Cycles, ulong Steps, string X);

    private static State Capture(DebugTarget t) => new(t.Cpu.PC, t.Cpu.SP, t.Cpu.Nzcv, t.Cpu.Retired, t.Cpu.Cycles, t.Cpu.Steps,
        string.Join(',', t.Cpu.X.Select(x => x.ToString("x"))));

    private static DebugTarget Kernel()
    {
        string image = KernelSymbols.FindImage();
        byte[] kernel = File.ReadAllBytes(image);
        string bundlePath = BootBundle.FindDefault(TestContext.CurrentContext.TestDirectory)!;
        byte[] bundle = File.ReadAllBytes(bundlePath);
        return new DebugTarget(new AegisOsMachine(kernel, false, bundle), kernel, image, bundle, bundlePath);
    }

    [Test]
    public void SteppingBackRetracesEveryStateOfTheForwardRun()
    {
        var t = Kernel();
        t.Resume(maxSteps: 200_000); // into the boot: MMU on, exceptions
        t.RestartHistory(interval: 4); // a checkpoint every 4 steps: 300 steps make the history thin itself out
        var forward = new List<State> { Capture(t) };
        for (int i = 0; i < 1200; i++) { t.Step(); forward.Add(Capture(t)); }
        Assert.That(t.History.CheckpointCount, Is.LessThanOrEqualTo(ExecutionHistory.MaxCheckpoints));
        for (int i = forward.Count - 2; i >= 0; i--)
        {
            Assert.That(t.StepBack().Kind, Is.EqualTo(StopKind.Step));
            Assert.That(Capture(t), Is.EqualTo(forward[i]), $"state {i}");
        }
        Assert.That(t.StepBack().Kind, Is.EqualTo(StopKind.HistoryStart));
        Assert.That(Capture(t), Is.EqualTo(forward[0]));
        // Back in several steps at once, then forward again over the same history.
        for (int i = 0; i < 700; i++) t.Step();
        Assert.That(t.StepBack(250).Kind, Is.EqualTo(StopKind.Step));
        Assert.That(Capture(t), Is.EqualTo(forward[450]));
        for (int i = 0; i < 500; i++) t.Step();
        Assert.That(Capture(t), Is.EqualTo(forward[950]));
    }

    [Test]
    public void ReverseContinueFindsTheWritersOfAWatchedVariableInReverseOrder()
    {
        // current_task changes at each context switch; going forward, each change stops after its writer.
        var t = Kernel();
        t.RestartHistory(interval: 50_000);
        ulong current = t.Symbols.Address(Aegis.Kernel.Image.Abi.TcbLayout.CurrentTaskSymbol);
        Assert.That(t.AddWatch(current, 4), Is.Not.Null);
        var changes = new List<StopInfo>();
        for (int i = 0; i < 3; i++)
        {
            var s = t.Resume(maxSteps: 20_000_000);
            Assert.That(s.Kind, Is.EqualTo(StopKind.Watchpoint));
            changes.Add(s);
        }
        for (int i = 2; i >= 0; i--)
        {
            var s = t.ReverseContinue();
            Assert.That(s.Kind, Is.EqualTo(StopKind.Watchpoint), $"change {i}");
            Assert.That(t.Cpu.PC, Is.EqualTo(changes[i].WriterPc), "stopped at the writer, not yet executed");
            Assert.That(s.Old, Is.EqualTo(changes[i].Old));
            Assert.That(s.New, Is.EqualTo(changes[i].New));
            Assert.That(t.TryReadU32(current, out uint now) && now == BitConverter.ToUInt32(changes[i].Old!), Is.True, "memory holds the old value");
        }
        Assert.That(t.ReverseContinue().Kind, Is.EqualTo(StopKind.HistoryStart), "no change before the first one");
        Assert.That(t.Cpu.Steps, Is.EqualTo(t.History.Start));
    }

    [Test]
    public void ReplayedOutputIsNotPrintedTwiceAndAWriteInThePastStartsANewFuture()
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf");
        var t = new DebugTarget(File.ReadAllBytes(elf), el2: false);
        var console = new StringBuilder();
        t.Board.ConsoleOutput = b => console.Append((char)b);
        Assert.That(t.Resume(maxSteps: 100_000).Kind, Is.EqualTo(StopKind.Exited));
        string printed = console.ToString();
        Assert.That(printed, Does.Contain("Hello"));
        Assert.That(t.StepBack(t.Cpu.Steps - t.History.Start).Kind, Is.EqualTo(StopKind.Step), "back to the entry");
        Assert.That(t.Resume(maxSteps: 100_000).Kind, Is.EqualTo(StopKind.Exited));
        Assert.That(console.ToString(), Is.EqualTo(printed), "the replayed steps printed nothing");

        t.StepBack(10);
        ulong frontier = t.History.Frontier;
        Assert.That(t.Write(t.Cpu.SP, new byte[8]), Is.True);
        Assert.That(t.History.Frontier, Is.EqualTo(t.Cpu.Steps), "the recorded future is dropped");
        Assert.That(t.History.Frontier, Is.LessThan(frontier));
    }
}
