using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's global-history conditional branch predictor, modelled as gshare: 2-bit saturating counters indexed
/// by (pc / 4) XOR the global history of conditional outcomes. The TRM names a global-history predictor and its
/// size but not its hash; gshare is the textbook global scheme (McFarling 1993) and learns the patterns a
/// global history can (e.g. strict alternation), which a per-pc counter cannot.
/// Counters start weakly not-taken (1): a cold branch falls through, as an unpredicted one would.
/// Only conditional branches shift the history: the others carry no direction information.
/// </summary>
internal sealed partial class ConditionalPredictor
{
    /// <summary>Counter value at reset: 0 strongly not-taken, 1 weakly not-taken, 2 weakly taken, 3 strongly taken.</summary>
    public const byte WeaklyNotTaken = 1;

    private readonly byte[] _counters;
    private readonly uint _indexMask;
    private readonly uint _historyMask;
    private uint _history;

    public ConditionalPredictor(int counters, int historyBits)
    {
        _counters = new byte[counters];
        _indexMask = (uint)counters - 1;
        _historyMask = (1u << historyBits) - 1;
        Reset();
    }

    /// <summary>Most recent outcome in bit 0 (1 = taken).</summary>
    public uint History => _history;

    public byte CounterAt(ulong pc) => _counters[Index(pc)];

    /// <summary>Returns the direction the counter predicted, then trains it and shifts the outcome into the history.</summary>
    public bool PredictAndTrain(ulong pc, bool taken)
    {
        uint i = Index(pc);
        byte c = _counters[i];
        bool predicted = c >= 2;
        if (taken) { if (c < 3) _counters[i] = (byte)(c + 1); }
        else if (c > 0) _counters[i] = (byte)(c - 1);
        _history = ((_history << 1) | (taken ? 1u : 0u)) & _historyMask;
        return predicted;
    }

    /// <summary>Whether a taken branch at <paramref name="pc"/> was predicted and leaves its counter as it was: the counter
    /// the history indexes is strongly taken (it stays so). If so, shifts the outcome into the history, as
    /// <see cref="PredictAndTrain"/> would; otherwise changes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrainStronglyTaken(ulong pc)
    {
        if (_counters[Index(pc)] != 3) return false;
        _history = ((_history << 1) | 1) & _historyMask;
        return true;
    }

    public void Reset()
    {
        Array.Fill(_counters, WeaklyNotTaken);
        _history = 0;
    }

    private uint Index(ulong pc) => ((uint)(pc >> 2) ^ _history) & _indexMask;
}
