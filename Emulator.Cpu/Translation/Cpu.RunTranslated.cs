using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Emulator.Cpu.Translation;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>Cache statistics of the block translator (`--engine jit`).</summary>
/// <param name="Mispredicted">Block entries that ran nothing because the timing model's outcomes the block predicts did
/// not hold there (<see cref="Timing.A53.A53Model"/> with the MMU off: a new translation context, or the MMU turned on).</param>
public readonly record struct TranslationStatistics(long Blocks, long GuestInstructions, long Inlined, long IlBytes, long Flushes, long BlocksRun,
    long Mispredicted = 0)
{
    /// <summary>The run summary's line.</summary>
    public override string ToString() =>
        $"translator: {Blocks} blocks of {GuestInstructions} guest instructions in the cache ({Inlined} generated inline, " +
        $"{IlBytes / 1024.0:F0} KiB of IL), {Flushes} flushes, {BlocksRun} blocks run, {Mispredicted} left at a prediction";
}

public sealed unsafe partial class Cpu
{
    /// <summary>How <see cref="Run"/> executes guest code; both engines give bit-identical runs.</summary>
    public ExecutionEngine Engine
    {
        get => _engine;
        set { _engine = value; FlushTranslations(); }
    }
    private ExecutionEngine _engine;

    /// <summary>At most this many translated guest instructions are kept; past it the cache is emptied and refills
    /// with what runs next (QEMU's tb_flush): the memory a 128 MiB guest's translations take stays bounded.</summary>
    public const long MaxTranslatedInstructions = 1L << 20;

    /// <summary>How many times a block start runs in the interpreter before it is translated (at least 1). Compiling a
    /// block costs about as much as interpreting it thousands of times, and most code runs a few times (boot, set-up);
    /// tests set 1 to translate everything.</summary>
    public int HotBlock
    {
        get => _hotBlock;
        set => _hotBlock = value is >= 1 and <= ushort.MaxValue ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 65535");
    }
    private int _hotBlock = DefaultHotBlock;
    public const int DefaultHotBlock = 256;

    /// <summary>Whether RyuJIT compiles new blocks on a thread of its own (<see cref="BackgroundCompiler"/>) while this
    /// one interprets them: the run is the same, the run's thread does not wait, but which instructions ran translated
    /// (and the <see cref="Translations"/> counts) then depend on the host. Off by default (tests compare engines block by
    /// block); the command line turns it on.</summary>
    public bool CompileInBackground { get; set; }

    /// <summary>Has the background compiler's thread warm the translator up for the timing model named
    /// <paramref name="timing"/> (<see cref="TranslatorWarmUp"/>), once per model (a name asked for again costs a
    /// lookup): a command that will compile in the background calls it first, so the warm-up overlaps its set-up
    /// (reading and loading the image).</summary>
    public static void WarmUpTranslator(string timing) => BackgroundCompiler.WarmUp(TimingModels.Known(timing));

    /// <summary>The A53 model records every instruction's pipeline timeline (--pipeview): translated blocks issue most
    /// instructions without calling it (Translation/A53BlockTiming.cs), so the interpreter runs instead.</summary>
    private bool TimingObserved => _timing is Timing.A53.A53Model { Observer: not null };

    /// <summary>One code page's translated blocks, by first instruction, and how often each block start not yet
    /// translated has run.</summary>
    private sealed class PageBlocks
    {
        public readonly TranslatedBlock?[] Blocks = new TranslatedBlock?[1024];
        public readonly ushort[] Heat = new ushort[1024];
    }

    // Translated blocks per code-space page, beside the decoded page they were made from; dropped with it when the page
    // is written (OnCodePageWritten).
    private readonly Dictionary<long, PageBlocks> _blockPages = new();
    // The blocks of recent pages, by page modulo 16: the fetch stream changes page often (a kernel's code spans ten).
    private readonly (long Page, PageBlocks? Blocks)[] _recentBlockPages = new (long, PageBlocks?)[16];
    private PageBlocks _fetchBlocks = new();
    // The next instruction of a block start being interpreted while it is cold: not a block start itself.
    private ulong _coldNext = ulong.MaxValue;
    private long _fetchBlocksBase = -1; // the code-space offset _fetchBlocks belongs to
    private long _translatedInstructions, _translatedInlined, _translatedIl, _translatedBlocks, _flushes, _blocksRun, _mispredicted;
    private ITimingModel? _blocksModel; // the model the blocks were made for

    public TranslationStatistics Translations =>
        new(_translatedBlocks, _translatedInstructions, _translatedInlined, _translatedIl, _flushes, _blocksRun, _mispredicted);

    /// <summary>Drops every translated block (engine or timing model changed, cache full).</summary>
    private void FlushTranslations()
    {
        if (_blockPages.Count != 0) _flushes++;
        _blockPages.Clear();
        Array.Clear(_recentBlockPages);
        _fetchBlocks = new();
        _fetchBlocksBase = -1;
        _translatedInstructions = _translatedInlined = _translatedIl = _translatedBlocks = 0;
    }

    private void DropBlocks(long page)
    {
        _fetchBlocksBase = -1;
        _recentBlockPages[page & 15] = default;
        if (_blockPages.Remove(page, out var blocks))
            foreach (var b in blocks.Blocks)
                if (b != null) Forget(b);
    }

    private void Forget(TranslatedBlock b)
    {
        _translatedInstructions -= b.Length;
        _translatedInlined -= b.Inlined;
        _translatedIl -= b.IlBytes;
        _translatedBlocks--;
    }

    private PageBlocks BlocksOf(long page)
    {
        ref var recent = ref _recentBlockPages[page & 15];
        if (recent.Page == page && recent.Blocks != null) return recent.Blocks;
        if (!_blockPages.TryGetValue(page, out var blocks)) _blockPages[page] = blocks = new PageBlocks();
        recent = (page, blocks);
        return blocks;
    }

    /// <summary>
    /// The loop of the block translator: the checks of <see cref="RunFast"/> before each block instead of before each
    /// instruction. A block stops itself where the interpreter's next check could act (see <see cref="BlockTranslator"/>),
    /// so interrupts, events and limits land on the same instruction and cycle as in the interpreter.
    /// </summary>
    private StopReason RunTranslated(ulong steps, ulong maxSteps, ulong maxCycles)
    {
        bool oneCycle = _timing is OneCyclePerInstruction;
        ulong countedOnExit = _timing is A53Model ? A53Model.CountedOnExit : 0;
        if (_timing != _blocksModel) { FlushTranslations(); _blocksModel = _timing; }
        while (true)
        {
            if (StopRequest is { } stop) { _runSteps = steps; return stop; }
            if (steps >= maxSteps) return StopReason.InstructionLimit;
            if (Cycles >= maxCycles) return StopReason.CycleLimit;
            if (Cycles >= Events.NextCycle) Events.RunDue(Cycles);
            if (InterruptPending && TryTakeInterrupt()) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; steps++; continue; }

            ulong pc = PC;
            if (!FetchWindowHolds(pc))
            {
                if (!RefillFetch(pc)) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; steps++; continue; }
                if (_fetchHooked) { _runSteps = steps; _redispatch = true; return StopReason.Requested; } // on to RunHooked
            }
            if (_fetchBlocksBase != _fetchCodeBase)
            {
                _fetchBlocks = BlocksOf(_fetchCodeBase >> PhysicalBus.PageShift);
                _fetchBlocksBase = _fetchCodeBase;
            }
            int index = (int)((pc >> 2) & 0x3FF);
            var block = _fetchBlocks.Blocks[index];
            if (block == null || block.Pc != pc) // none, or made for this code at another virtual address
            {
                // Cold: the block start runs in the interpreter until it has run HotBlock times.
                if (pc == _coldNext || ++_fetchBlocks.Heat[index] < _hotBlock) { steps++; Interpret(pc, index); continue; }
                block = Translate(index, pc);
            }
            // Compiling in the background, or a PMU alarm on an event the block counts on its way out.
            if (!block.Ready || (PerfEvents.Armed & countedOnExit) != 0)
            {
                block.ThrowIfFailed();
                if (!block.Ready) block.Demand++;
                steps++;
                Interpret(pc, index);
                continue;
            }
            ulong stopAt = maxCycles < Events.NextCycle ? maxCycles : Events.NextCycle;
            if (oneCycle ? !BlockTranslator.Fits(block.Length, Cycles, stopAt, maxSteps - steps) : maxSteps - steps < (ulong)block.Length)
            {
                // The step limit (or under `simple` the event) falls inside the block: up to it one instruction at a time, as
                // the interpreter. Otherwise the block checks the clock after each instruction, not the steps.
                steps++;
                Interpret(pc, index);
                continue;
            }
            steps += (ulong)block.Code(this, _fetchInsts, stopAt, maxSteps - steps);
            _blocksRun++;
            _coldNext = ulong.MaxValue;
            if (BlockMispredicted) Mispredicted(block, index);
        }
    }

    /// <summary>Set by a block whose predicted timing outcomes did not hold at its entry (it returned 0).</summary>
    internal bool BlockMispredicted;

    /// <summary>A block's prediction did not hold: the block is dropped, to be made again for what the model predicts now,
    /// unless that is what it predicts (the model's memo had only to catch up with a new translation context).</summary>
    private void Mispredicted(TranslatedBlock block, int index)
    {
        BlockMispredicted = false;
        _mispredicted++;
        if (_timing is A53Model a53 && a53.PredictsFlat(this) != null) return;
        if (_fetchBlocks.Blocks[index] == block) { _fetchBlocks.Blocks[index] = null; Forget(block); }
    }

    /// <summary>One instruction in the interpreter, remembering whether the next one continues its block.</summary>
    private void Interpret(ulong pc, int index)
    {
        ref DecodedInst inst = ref FetchDecoded(index);
        Execute(pc, ref inst);
        _coldNext = BlockTranslator.EndsBlock(in inst) || index == 1023 ? ulong.MaxValue : pc + 4;
    }

    /// <summary>
    /// A translated block's way out for an instruction whose inline fast path did not apply: the block's
    /// <paramref name="pending"/> instructions not yet accounted (`simple`), then the instruction as the interpreter runs
    /// it. The block returns after it.
    /// </summary>
    internal void ExecuteFromBlock(DecodedInst[] page, int index, ulong at, ulong pending)
    {
        Retired += pending;
        Cycles += pending;
        PC = at;
        Execute(at, ref page[index]);
    }

    private TranslatedBlock Translate(int first, ulong pc)
    {
        int length = 0, longest = BlockTranslator.MaxLengthFor(_timing);
        while (true)
        {
            ref DecodedInst inst = ref FetchDecoded(first + length);
            length++;
            if (BlockTranslator.EndsBlock(in inst) || first + length == 1024 || length == longest) break;
        }
        if (_translatedInstructions + length > MaxTranslatedInstructions)
        {
            FlushTranslations();
            _fetchBlocks = BlocksOf(_fetchCodeBase >> PhysicalBus.PageShift);
            _fetchBlocksBase = _fetchCodeBase;
        }
        var flat = _timing is A53Model a53 && !TimingObserved ? a53.PredictsFlat(this) : null;
        var block = TranslationCache.GetOrTranslate(_fetchInsts, first, length, pc, _timing, flat, CompileInBackground);
        if (!CompileInBackground && !block.Ready) block.Prepare(); // another Cpu's, still in the background queue
        if (_fetchBlocks.Blocks[first] is { } other) Forget(other); // made for another virtual address
        _fetchBlocks.Blocks[first] = block;
        _translatedBlocks++;
        _translatedInstructions += block.Length; // the translator may have cut it shorter
        _translatedInlined += block.Inlined;
        _translatedIl += block.IlBytes;
        return block;
    }
}
