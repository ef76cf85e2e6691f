using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// A translated block runs on past a conditional branch that is not taken, and leaves when it is: under `simple` by a
/// side exit (BlockTranslator.SideExit), under a53 through the pipeline's exit tail after the block predicted the branch
/// where it is, under a model plugged in by a library user after its Retire. A taken branch back to the block's start
/// runs the block again without returning to the run loop. The loop below has both: a forward B.EQ taken one pass in
/// four, and a B.LO back to the loop's start in the middle of the block that starts there, followed by the code after
/// the loop. Reference: the interpreter, with the same machine (cycles under each model) after every slice of 1 to 40
/// steps (slices end inside blocks, and some hold passes taken again), and after the whole run, which the translator
/// makes in fewer block entries than the loop has passes.
/// </summary>
[TestFixture]
public class SuperblockEngineTests
{
    private static readonly uint[] Program = Llvm.Assemble("""
            mov x0, #0
            mov x1, #0
            mov x2, #400
        loop:
            add x0, x0, #1
            tst x0, #3
            b.eq skip
            add x1, x1, #3
        skip:
            cmp x0, x2
            b.lo loop
            cbnz x1, tail
            mov x5, #99
        tail:
            add x3, x0, x1
            tbz x3, #0, even
            mov x4, #1
        even:
            mov x6, #7
            b .
        """);

    private const int Passes = 400;
    private const string PluggedIn = "plugged-in";

    /// <summary>A timing model of a library user (neither `simple` nor the A53's): the translator asks its Retire after
    /// every instruction. A taken branch costs 3 cycles, anything else 1.</summary>
    private sealed class TakenBranchesCostMore : ITimingModel
    {
        public string Name => PluggedIn;
        public bool WantsAccessLog => false;
        public void Attach(Cpu cpu) { }
        public ulong Retire(Cpu cpu, ref DecodedInst inst, ulong pc) =>
            (inst.Flags & InstFlags.Branch) != 0 && cpu.PC != pc + 4 ? 3UL : 1UL;
        public ulong ExceptionBetweenInstructions(Cpu cpu) => 1;
        public ulong Sleep(Cpu cpu, ulong until) => until - cpu.Cycles;
    }

    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    [TestCase(PluggedIn)]
    public void SlicedRunsMatchTheInterpreter(string timing)
    {
        var reference = Start(ExecutionEngine.Interpreter, timing);
        var translated = Start(ExecutionEngine.Translator, timing);
        var slices = new Random(14);
        for (int done = 0; done < Passes * 6 + 20;)
        {
            int slice = slices.Next(1, 41);
            Assert.That(translated.Run((ulong)slice), Is.EqualTo(reference.Run((ulong)slice)), $"stop after {done} steps");
            done += slice;
            AssertSame(reference, translated, $"after {done} steps");
        }
        Assert.That(reference.Xr(3), Is.EqualTo(1300UL), "the loop ran to its end");
    }

    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    [TestCase(PluggedIn)]
    public void AWholeRunLoopsInsideItsBlocks(string timing)
    {
        var reference = Start(ExecutionEngine.Interpreter, timing);
        var translated = Start(ExecutionEngine.Translator, timing);
        const ulong steps = Passes * 6 + 20;
        reference.Run(steps);
        translated.Run(steps);
        AssertSame(reference, translated, "after the run");
        // Two blocks per four passes (the B.EQ's side exit, then the block from skip); without the side exit back to the
        // start, at least one block per pass.
        Assert.That(translated.Translations.BlocksRun, Is.LessThan(Passes), "passes taken again inside a block (side exit to its start)");
    }

    private static Cpu Start(ExecutionEngine engine, string timing)
    {
        var options = new VirtBoardOptions { RamSize = 1UL << 20, Timing = timing == PluggedIn ? TimingModels.Simple : timing, Engine = engine };
        var cpu = new CpuHarness(Program, options: options).Cpu;
        if (timing == PluggedIn) cpu.Timing = new TakenBranchesCostMore();
        cpu.HotBlock = 1;
        return cpu;
    }

    private static void AssertSame(Cpu a, Cpu b, string where)
    {
        Assert.That((b.PC, b.NextPc, b.Nzcv, b.Retired, b.Cycles, b.Steps), Is.EqualTo((a.PC, a.NextPc, a.Nzcv, a.Retired, a.Cycles, a.Steps)),
            where + ": PC, NextPc, NZCV, instructions, cycles, steps");
        Assert.That(b.X, Is.EqualTo(a.X), where + ": X0-X30");
    }
}
