using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using Aegis.Tests.Snapshots;
using LibObjectFile.Elf;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// samples/src/blocks.c (issue 14's guest program: code written and then run, data aborts in the middle of a block,
/// timer interrupts in a long block) on the translator with its default threshold, against the interpreter: the
/// same run to the cycle, and the events the program is about did happen where a translated block runs. The
/// interpreter's run records where each exception was taken (a hook, so that run is the reference loop).
/// </summary>
[TestFixture]
public class TranslatedBlockGuestTests
{
    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    public void InterruptsAndAbortsLandInsideBlocksAsInTheInterpreter(string timing)
    {
        var elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, "blocks-O2.elf"));
        var entries = new EntryLog();
        var reference = Run(elf, timing, ExecutionEngine.Interpreter, entries, out _);
        var translated = Run(elf, timing, ExecutionEngine.Translator, null, out var statistics);
        reference.AssertSame(translated, $"blocks-O2.elf ({timing})");
        Assert.That(System.Text.Encoding.ASCII.GetString(translated.Console), Does.Contain("blocks: all checks passed"));
        Assert.That(statistics.BlocksRun, Is.GreaterThan(10_000), "the program's loops ran as translated blocks");

        ulong longBlock = SymbolAddress(elf, "long_block"), faultingBlock = SymbolAddress(elf, "faulting_block");
        // long_block's loop (from +12, its branch target) is one block of 50 instructions: interrupts taken past its first
        // instruction landed inside it.
        var inside = entries.Irq.Where(pc => pc > longBlock + 12 && pc < longBlock + 12 + 50 * 4).Distinct().Count();
        Assert.That(inside, Is.GreaterThanOrEqualTo(3), $"interrupts inside long_block's loop body at distinct instructions ({entries.Irq.Count} IRQs)");
        // faulting_block's load is its loop's 7th instruction: every abort there is one in the middle of the block.
        Assert.That(entries.Sync.Count(pc => pc == faultingBlock + 0x20), Is.EqualTo(1000), "data aborts at faulting_block+0x20");
    }

    private static RunEnd Run(byte[] elf, string timing, ExecutionEngine engine, EntryLog? log, out TranslationStatistics statistics)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing, Engine = engine });
        var console = new List<byte>();
        board.Uart.Transmit = console.Add;
        board.LoadElf(elf);
        if (log != null) board.Cpu.AddHook(log, 0, ulong.MaxValue);
        var stop = board.Cpu.Run(GuestPrograms.InstructionLimit);
        statistics = board.Cpu.Translations;
        return RunEnd.Of(board, console, stop);
    }

    private static ulong SymbolAddress(byte[] elf, string name) =>
        ElfView.Read(elf).Sections.OfType<ElfSymbolTable>().SelectMany(t => t.Entries).First(s => s.Name.Value == name).Value;

    /// <summary>The preferred return address of every IRQ and synchronous exception taken.</summary>
    private sealed class EntryLog : CpuHook
    {
        public readonly List<ulong> Irq = [], Sync = [];

        public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
        {
            if (vector == ExceptionVector.Irq) Irq.Add(preferredReturn);
            else if (vector == ExceptionVector.Synchronous) Sync.Add(preferredReturn);
        }
    }
}
