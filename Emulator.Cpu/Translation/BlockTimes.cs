using System.Reflection;
using System.Reflection.Emit;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>A pipeline time as translation knows it: a local's value at run time plus a constant (no local: the constant).</summary>
internal readonly record struct Time(LocalBuilder? Base, ulong Offset)
{
    public static readonly Time Zero = new(null, 0);
    public static Time Of(LocalBuilder local) => new(local, 0);
    public Time Plus(ulong cycles) => this with { Offset = Offset + cycles };
}

/// <summary>
/// The times of a translated block's pipeline (<see cref="A53BlockTiming"/>): what translation can compare, it compares,
/// and emits nothing; what it cannot, it computes at run time into a new local. Each such local is assigned once, in
/// code every later use follows, and translation remembers what it is known to be at least (an issue cycle is at least
/// everything its instruction waited for) or exactly (a maximum of earlier times). So within a block most times are
/// the issue cycle of an earlier instruction plus a latency, and most of the A53's issue decisions (dual issue, which
/// source is last) are made once, at translation.
/// </summary>
internal sealed class BlockTimes(ILGenerator il)
{
    private static readonly MethodInfo MaxMethod = typeof(BlockTimes).GetMethod(nameof(Max), BindingFlags.Static | BindingFlags.NonPublic)!;

    /// <summary>What each local is known to be: the maximum of these times (Exact), or at least each of them.</summary>
    private readonly Dictionary<LocalBuilder, (Time[] Bounds, bool Exact)> _facts = [];
    /// <summary>Per local L, every local B with L ≥ B + d known, with the largest such d (the facts' closure, built once).</summary>
    private readonly Dictionary<LocalBuilder, Dictionary<LocalBuilder, ulong>> _below = [];
    /// <summary>Per exact local, the times it is the maximum of, expanded through exact components (few, else none).</summary>
    private readonly Dictionary<LocalBuilder, Time[]?> _leaves = [];
    private const int MaxLeaves = 8;

    /// <summary>Pushes the time's value.</summary>
    public void Push(Time t)
    {
        if (t.Base == null) { il.Emit(OpCodes.Ldc_I8, (long)t.Offset); return; }
        il.Emit(OpCodes.Ldloc, t.Base);
        if (t.Offset != 0) { il.Emit(OpCodes.Ldc_I8, (long)t.Offset); il.Emit(OpCodes.Add); }
    }

    /// <summary>Pops a value computed at run time into a new local, known to be at least <paramref name="atLeast"/>.</summary>
    public Time Store(params Time[] atLeast)
    {
        var local = Declare(atLeast);
        il.Emit(OpCodes.Stloc, local);
        return Time.Of(local);
    }

    /// <summary>A new local for a value set on several paths, known to be at least <paramref name="atLeast"/> on each.</summary>
    public LocalBuilder Declare(params Time[] atLeast)
    {
        var local = il.DeclareLocal(typeof(ulong));
        if (atLeast.Length != 0) _facts[local] = (atLeast, false);
        return local;
    }

    /// <summary>Whether <paramref name="a"/> ≤ <paramref name="b"/> on every run (false: not known).</summary>
    public bool AtMost(Time a, Time b)
    {
        if (Below(a, b)) return true;
        // a is the maximum of its leaves: each of them (plus a's offset) must be at most b.
        if (a.Base == null || !_facts.TryGetValue(a.Base, out var f) || !f.Exact || Leaves(a.Base) is not { } leaves) return false;
        foreach (var l in leaves)
            if (!Below(l.Plus(a.Offset), b)) return false;
        return true;
    }

    /// <summary>a ≤ b from b's lower bounds alone.</summary>
    private bool Below(Time a, Time b)
    {
        if (a.Base == b.Base) return a.Offset <= b.Offset;
        if (a.Base == null) return a.Offset == 0; // times are unsigned
        return b.Base != null && Closure(b.Base).TryGetValue(a.Base, out ulong d) && a.Offset <= d + b.Offset;
    }

    private Dictionary<LocalBuilder, ulong> Closure(LocalBuilder local)
    {
        if (_below.TryGetValue(local, out var known)) return known;
        var below = new Dictionary<LocalBuilder, ulong>();
        if (_facts.TryGetValue(local, out var f))
            foreach (var c in f.Bounds)
            {
                if (c.Base == null) continue;
                Raise(below, c.Base, c.Offset);
                foreach (var (b, d) in Closure(c.Base)) Raise(below, b, d + c.Offset);
            }
        return _below[local] = below;

        static void Raise(Dictionary<LocalBuilder, ulong> below, LocalBuilder b, ulong d)
        {
            if (!below.TryGetValue(b, out ulong old) || old < d) below[b] = d;
        }
    }

    private Time[]? Leaves(LocalBuilder exact)
    {
        if (_leaves.TryGetValue(exact, out var known)) return known;
        var leaves = new List<Time>();
        foreach (var c in _facts[exact].Bounds)
        {
            if (c.Base != null && _facts.TryGetValue(c.Base, out var f) && f.Exact && Leaves(c.Base) is { } inner)
                foreach (var l in inner) leaves.Add(l.Plus(c.Offset));
            else leaves.Add(c);
        }
        return _leaves[exact] = leaves.Count <= MaxLeaves ? [.. leaves] : null;
    }

    /// <summary>The latest of <paramref name="times"/>: one of them where translation knows which, else a new local.</summary>
    public Time Latest(params Time[] times)
    {
        var kept = Undominated(times);
        if (kept.Count == 1) return kept[0];
        PushLatest(kept);
        var local = il.DeclareLocal(typeof(ulong));
        il.Emit(OpCodes.Stloc, local);
        _facts[local] = (kept.ToArray(), true);
        return Time.Of(local);
    }

    /// <summary>Pushes the latest of <paramref name="times"/>, leaving nothing to remember (for a value stored away).</summary>
    public void PushLatest(IReadOnlyList<Time> times)
    {
        var kept = Undominated(times);
        Push(kept[0]);
        for (int n = 1; n < kept.Count; n++)
        {
            Push(kept[n]);
            EmitMax();
        }
    }

    /// <summary>Pops b, a; pushes the greater.</summary>
    public void EmitMax() => il.Emit(OpCodes.Call, MaxMethod);

    /// <summary>The times none of the others is known to reach (Zero when empty).</summary>
    public List<Time> Undominated(IReadOnlyList<Time> times)
    {
        var kept = new List<Time>(times.Count);
        foreach (var t in times)
        {
            if (kept.Exists(u => AtMost(t, u))) continue;
            kept.RemoveAll(u => AtMost(u, t));
            kept.Add(t);
        }
        if (kept.Count == 0) kept.Add(Time.Zero);
        return kept;
    }

    /// <summary>A call RyuJIT inlines as a conditional move: as IL branches, several per instruction would push a long
    /// block past the basic-block count RyuJIT optimises (<see cref="BlockTranslator.MaxIlBytes"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Max(ulong a, ulong b) => a > b ? a : b;
}
