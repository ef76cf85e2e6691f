using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Translation;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>Cache statistics of the block translator (`--engine jit`).</summary>
public readonly record struct TranslationStatistics(long Blocks, long GuestInstructions, long IlBytes, long Flushes, long BlocksRun)
{
    /// <summary>The run summary's line.</summary>
    public override string ToString() =>
        $"translator: {Blocks} blocks of {GuestInstructions} guest instructions in the cache ({IlBytes / 1024.0:F0} KiB of IL), " +
        $"{Flushes} flushes, {BlocksRun} blocks run";
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

    // Translated blocks per code-space page, by first instruction, beside the decoded page they were made from;
    // dropped with it when the page is written (OnCodePageWritten).
    private readonly Dictionary<long, TranslatedBlock?[]> _blockPages = new();
    private TranslatedBlock?[] _fetchBlocks = [];
    private long _fetchBlocksBase = -1; // the code-space offset _fetchBlocks belongs to
    private long _translatedInstructions, _translatedIl, _translatedBlocks, _flushes, _blocksRun;
    private ITimingModel? _blocksModel; // the model the blocks were made for

    public TranslationStatistics Translations => new(_translatedBlocks, _translatedInstructions, _translatedIl, _flushes, _blocksRun);

    /// <summary>Drops every translated block (engine or timing model changed, cache full).</summary>
    private void FlushTranslations()
    {
        if (_blockPages.Count != 0) _flushes++;
        _blockPages.Clear();
        _fetchBlocks = [];
        _fetchBlocksBase = -1;
        _translatedInstructions = _translatedIl = _translatedBlocks = 0;
    }

    private void DropBlocks(long page)
    {
        _fetchBlocksBase = -1;
        if (_blockPages.Remove(page, out var blocks))
            foreach (var b in blocks)
                if (b != null) { _translatedInstructions -= b.Length; _translatedIl -= b.IlBytes; _translatedBlocks--; }
    }

    private TranslatedBlock?[] BlocksOf(long page)
    {
        if (!_blockPages.TryGetValue(page, out var blocks)) _blockPages[page] = blocks = new TranslatedBlock?[1024];
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
            var block = _fetchBlocks[index] ?? Translate(index, pc);
            ulong stopAt = maxCycles < Events.NextCycle ? maxCycles : Events.NextCycle;
            if (oneCycle && !BlockTranslator.Fits(block.Length, Cycles, stopAt, maxSteps - steps))
            {
                // The event or the limit falls inside the block: up to it one instruction at a time, as the interpreter.
                Execute(pc, ref _fetchInsts[index]);
                steps++;
                continue;
            }
            steps += (ulong)block.Code(this, _fetchInsts, stopAt, maxSteps - steps);
            _blocksRun++;
        }
    }

    private TranslatedBlock Translate(int first, ulong pc)
    {
        int length = 0;
        while (true)
        {
            ref DecodedInst inst = ref _fetchInsts[first + length];
            if (inst.Execute == null)
                Decoder.Decode(Bus.FetchWord(_fetchCodeBase + (long)(((ulong)(first + length) << 2))), ref inst);
            length++;
            if (BlockTranslator.EndsBlock(in inst) || first + length == 1024 || length == BlockTranslator.MaxLength) break;
        }
        if (_translatedInstructions + length > MaxTranslatedInstructions)
        {
            FlushTranslations();
            _fetchBlocks = BlocksOf(_fetchCodeBase >> PhysicalBus.PageShift);
            _fetchBlocksBase = _fetchCodeBase;
        }
        var block = BlockTranslator.Translate(_fetchInsts, first, length, pc, _timing);
        _fetchBlocks[first] = block;
        _translatedBlocks++;
        _translatedInstructions += length;
        _translatedIl += block.IlBytes;
        return block;
    }
}
