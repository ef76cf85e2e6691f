using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu;

public sealed partial class EventQueue
{
    /// <summary>
    /// Writes the pending events as (owner id, cycle, sequence) and the sequence counter. An event's owner must be one of
    /// <paramref name="owners"/> (the machine's own: timers, PMU, EL accounting): an event of anyone else cannot be
    /// described in a snapshot.
    /// </summary>
    internal void SaveState(SnapshotWriter w, IReadOnlyList<object> owners)
    {
        w.Section("events");
        w.Write(_seq);
        w.Write(_events.Count);
        foreach (var e in _events)
        {
            int id = -1;
            for (int i = 0; i < owners.Count; i++) if (ReferenceEquals(owners[i], e.Owner)) id = i;
            if (id < 0) throw new SnapshotException($"an event of {e.Owner.GetType().Name} is scheduled at cycle {e.Cycle}: only the machine's own events can be saved");
            w.Write(id); w.Write(e.Cycle); w.Write(e.Seq);
        }
    }

    /// <summary>Replaces the queue with the saved events; owner id i calls <paramref name="callbacks"/>[i].</summary>
    internal void RestoreState(SnapshotReader r, IReadOnlyList<object> owners, IReadOnlyList<Action> callbacks)
    {
        r.Section("events");
        long seq = r.ReadInt64();
        int n = r.ReadInt32();
        var events = new List<(object Owner, ulong Cycle, long Seq, Action Callback)>();
        for (int k = 0; k < n; k++)
        {
            int id = r.ReadInt32();
            if ((uint)id >= (uint)owners.Count) throw new SnapshotException($"an event of unknown owner {id}");
            if (events.Exists(e => ReferenceEquals(e.Owner, owners[id]))) throw new SnapshotException($"two events of owner {id}: an owner has at most one");
            events.Add((owners[id], r.ReadUInt64(), r.ReadInt64(), callbacks[id]));
        }
        _events.Clear();
        _events.AddRange(events);
        _seq = seq;
        Recompute();
    }
}
