using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's fetch side as the model sees it: which instruction-cache line and page the stream is in (an L1I or
/// micro-TLB miss delays the instruction that needs it) and what each branch costs the stream after it.
/// </summary>
internal sealed class FrontEnd(A53Config config)
{
    public A53Config Config { get; } = config;
    private ulong _line = ulong.MaxValue, _page = ulong.MaxValue;

    /// <summary>The stream was discarded (exception, ERET): the next fetch looks its line and page up again.</summary>
    public void Redirect() => _line = _page = ulong.MaxValue;

    /// <summary>When the instruction at <paramref name="pc"/> can issue, given the stream could deliver it at <paramref name="ready"/>.</summary>
    public ulong FetchCurrent(Cpu cpu, ulong pc, ulong ready, MemoryTiming memory, A53Statistics stats)
    {
        ulong line = pc >> 6;
        if (line == _line) return ready;
        _line = line;
        ulong extra = 0;
        ulong page = pc >> 12;
        if (page != _page)
        {
            _page = page;
            extra += memory.InstructionTlb(cpu, pc, stats);
        }
        extra += memory.Fetch(cpu.FetchPa(pc), cpu.FetchMemAttr, stats);
        return ready + extra;
    }

    /// <summary>Cycles the stream loses after the branch beyond its own issue cycle (0 when it flows on).</summary>
    public ulong Branch(Cpu cpu, in DecodedInst inst, ulong pc, ulong next, A53Statistics stats)
    {
        stats.Branches++;
        bool taken = next != pc + 4;
        if (!taken) return 0;
        return (ulong)TakenBubble;
    }

    /// <summary>A correctly predicted taken branch: the target is fetched two cycles later (b chain: 3.03 per branch).</summary>
    public const int TakenBubble = 2;
}
