namespace Aegis.Emulator.Cpu;

/// <summary>
/// Events scheduled on the cycle clock (timer deadlines, device completions). One pending event per
/// owner: scheduling again replaces it. Events at the same cycle run in scheduling order.
/// </summary>
public sealed partial class EventQueue
{
    private readonly List<(object Owner, ulong Cycle, long Seq, Action Callback)> _events = new();
    private long _seq;

    /// <summary>The cycle of the earliest pending event, or ulong.MaxValue.</summary>
    public ulong NextCycle { get; private set; } = ulong.MaxValue;

    public void Schedule(object owner, ulong cycle, Action callback)
    {
        Cancel(owner);
        _events.Add((owner, cycle, _seq++, callback));
        NextCycle = Math.Min(NextCycle, cycle);
    }

    public void Cancel(object owner)
    {
        // At most one event per owner; a loop, not RemoveAll, whose predicate would be allocated at every EL change.
        for (int i = 0; i < _events.Count; i++)
        {
            if (!ReferenceEquals(_events[i].Owner, owner)) continue;
            _events.RemoveAt(i);
            Recompute();
            return;
        }
    }

    /// <summary>Runs every event due at or before <paramref name="now"/>.</summary>
    public void RunDue(ulong now)
    {
        while (NextCycle <= now)
        {
            int best = -1;
            for (int i = 0; i < _events.Count; i++)
                if (_events[i].Cycle <= now && (best < 0 || (_events[i].Cycle, _events[i].Seq).CompareTo((_events[best].Cycle, _events[best].Seq)) < 0))
                    best = i;
            var e = _events[best];
            _events.RemoveAt(best);
            Recompute();
            e.Callback();
        }
    }

    private void Recompute()
    {
        ulong next = ulong.MaxValue;
        foreach (var e in _events) next = Math.Min(next, e.Cycle);
        NextCycle = next;
    }
}
