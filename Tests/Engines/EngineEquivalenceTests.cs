using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using Aegis.Tests.Kernel.Boot;
using Aegis.Tests.Snapshots;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// The block translator against the interpreter (issue 14) on real programs: every guest program of samples/bin and
/// the AegisOS boot. The interpreter is the reference; the runs must end identical: console bytes, stop reason,
/// instructions, cycles, registers, RAM and the whole machine's state fingerprint.
/// </summary>
[TestFixture]
public class EngineEquivalenceTests
{
    /// <summary>Under `simple`, each program to its exit; under `a53` (cycles per instruction vary, and the translated
    /// block asks the model after each one), its first 20 million steps. Every block start is translated at its first
    /// run (<see cref="Cpu.HotBlock"/> 1), so that no code escapes the comparison by staying cold.</summary>
    [TestCaseSource(nameof(Programs))]
    public void GuestProgramEndsTheSameOnBothEngines(string image, string timing)
    {
        ulong limit = timing == TimingModels.A53 ? 20_000_000UL : GuestPrograms.InstructionLimit;
        var elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image));
        var reference = RunProgram(elf, timing, ExecutionEngine.Interpreter, limit);
        var translated = RunProgram(elf, timing, ExecutionEngine.Translator, limit, hotBlock: 1);
        reference.AssertSame(translated, $"{image} ({timing})");
    }

    public static IEnumerable<TestCaseData> Programs() =>
        GuestPrograms.Images().SelectMany(i => new[] { TimingModels.Simple, TimingModels.A53 }.Select(t => new TestCaseData(i, t)));

    private static RunEnd RunProgram(byte[] elf, string timing, ExecutionEngine engine, ulong limit, int hotBlock = Cpu.DefaultHotBlock)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing, Engine = engine });
        board.Cpu.HotBlock = hotBlock;
        var console = new List<byte>();
        board.Uart.Transmit = console.Add;
        board.LoadElf(elf);
        var stop = board.Cpu.Run(limit);
        return RunEnd.Of(board, console, stop);
    }

    /// <summary>A snapshot restored into the same translating board (its translations of the restored pages dropped)
    /// runs on as the interpreter's uninterrupted run.</summary>
    [TestCase("compute-O2.elf", TimingModels.A53)]
    [TestCase("memops-O2.elf", TimingModels.Simple)]
    public void ARestoredTranslatingBoardRunsOnAsTheInterpreter(string image, string timing)
    {
        var elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image));
        var reference = RunProgram(elf, timing, ExecutionEngine.Interpreter, 6_000_000);
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing, Engine = ExecutionEngine.Translator });
        board.Cpu.HotBlock = 1;
        var console = new List<byte>();
        board.Uart.Transmit = console.Add;
        board.LoadElf(elf);
        board.Cpu.Run(2_000_000);
        var snapshot = board.TakeSnapshot();
        int printed = console.Count;
        board.Cpu.Run(3_000_000); // on past the snapshot: the translations now hold code the restore must not keep stale
        board.RestoreSnapshot(snapshot);
        console.RemoveRange(printed, console.Count - printed);
        var stop = board.Cpu.Run(6_000_000 - board.Cpu.Steps);
        reference.AssertSame(RunEnd.Of(board, console, stop), $"{image} ({timing}) restored at 2,000,000 steps");
    }

    /// <summary>The default boot for 2 s of guest time under `simple`, and 0.2 s under `a53`; with every block
    /// translated at its first run, and with the default threshold (cold code interpreted, hot code translated).</summary>
    [TestCase(TimingModels.Simple, 2_000_000_000UL, 1)]
    [TestCase(TimingModels.Simple, 2_000_000_000UL, Cpu.DefaultHotBlock)]
    [TestCase(TimingModels.A53, 200_000_000UL, 1)]
    public void AegisOsBootsTheSameOnBothEngines(string timing, ulong cycles, int hotBlock)
    {
        var reference = Boot(timing, ExecutionEngine.Interpreter, cycles);
        var translated = Boot(timing, ExecutionEngine.Translator, cycles, hotBlock);
        reference.AssertSame(translated, $"AegisOS boot ({timing})");
        Assert.That(reference.Console.Length, Is.GreaterThan(1000), "the boot printed its checkpoints");
    }

    /// <summary>With blocks compiled on the background thread (as the command line runs), the interpreter runs each new
    /// block until its code is ready: the same run, whichever engine ran which instruction.</summary>
    [TestCase(TimingModels.Simple, 2_000_000_000UL)]
    [TestCase(TimingModels.A53, 200_000_000UL)]
    public void AegisOsBootsTheSameWithBlocksCompiledInTheBackground(string timing, ulong cycles)
    {
        var reference = Boot(timing, ExecutionEngine.Interpreter, cycles);
        var translated = Boot(timing, ExecutionEngine.Translator, cycles, hotBlock: 1, background: true, out var statistics);
        reference.AssertSame(translated, $"AegisOS boot ({timing}), blocks compiled in the background");
        Assert.That(statistics.BlocksRun, Is.GreaterThan(0), "compiled blocks ran");
    }

    private static RunEnd Boot(string timing, ExecutionEngine engine, ulong cycles, int hotBlock = Cpu.DefaultHotBlock) =>
        Boot(timing, engine, cycles, hotBlock, background: false, out _);

    private static RunEnd Boot(string timing, ExecutionEngine engine, ulong cycles, int hotBlock, bool background,
        out TranslationStatistics statistics)
    {
        var machine = new AegisOsMachine(KernelBoot.Image(), el2: false, KernelBoot.Bundle(), timing);
        machine.Cpu.Engine = engine;
        machine.Cpu.HotBlock = hotBlock;
        machine.Cpu.CompileInBackground = background;
        var console = new List<byte>();
        machine.Board.ConsoleOutput = console.Add;
        var stop = machine.Run(cycles);
        statistics = machine.Cpu.Translations;
        return RunEnd.Of(machine.Board, console, stop);
    }
}
