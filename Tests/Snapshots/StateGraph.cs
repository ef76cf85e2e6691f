using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Aegis.Tests.Snapshots;

/// <summary>
/// Compares two machines field by field through reflection, from the board down through every object it reaches:
/// every instance field of every component, whether a snapshot saves it or not. A field that a component forgot to
/// save (or restore) shows up here as soon as its value differs between the uninterrupted run and the restored one.
/// Skipped: delegates (host wiring), static fields, and the derived host-side caches a restore drops on purpose
/// (<see cref="Derived"/>). Lists and queues compare by their items, not their spare capacity.
/// </summary>
public static class StateGraph
{
    /// <summary>Fields that are derived caches or host bookkeeping, by declaring type and name.</summary>
    private static readonly HashSet<string> Derived =
    [
        // Decoded instructions, the fetch window, the RAM fast path (per EL), the epochs that key them, the step count of the last Run.
        "Cpu._decodedPages", "Cpu._decodedRomPages", "Cpu._fetchInsts", "Cpu._fetchVaPage", "Cpu._fetchCodeBase", "Cpu._fetchEpoch", "Cpu._recentWindows",
        "Cpu._fastRead", "Cpu._fastWrite", "Cpu._fastReadAt", "Cpu._fastWriteAt", "Cpu._fastEpoch", "Cpu._fastAsid", "Cpu.<TranslationEpoch>k__BackingField",
        "Cpu.<ContextEpoch>k__BackingField", "Cpu._runSteps",
        // The access log's ring: each entry is consumed by the model at the instruction that made it (AccessCount, which
        // counts them all, is compared); a translated block charges its inline accesses without writing the ring.
        "Cpu._accessLog",
        // The block translator's cache and counters (issue 14): translations beside the decoded pages, the fetch window's
        // block table, the count of slow-path accesses a block compares before and after an instruction, statistics.
        "Cpu._blockPages", "Cpu._recentBlockPages", "Cpu._fetchBlocks", "Cpu._fetchBlocksBase", "Cpu._coldNext", "Cpu.SlowAccesses", "Cpu._blocksModel",
        "Cpu._translatedInstructions", "Cpu._translatedInlined", "Cpu._translatedIl", "Cpu._translatedBlocks", "Cpu._flushes", "Cpu._blocksRun",
        "Cpu.BlockMispredicted", "Cpu._mispredicted",
        // Attached hooks (host observers: tracers, checkers, the AegisOS accounting, which a snapshot carries in its own
        // section) and whether the fetch window's page is hooked.
        "Cpu._all", "Cpu._fetchHooks", "Cpu._retireHooks", "Cpu._memoryHooks", "Cpu._entryHooks", "Cpu._returnHooks",
        "Cpu._sysRegHooks", "Cpu._maintenanceHooks", "Cpu._codeWriteHooks", "Cpu._tlbHooks", "Cpu._fetchHooked",
        // The A53 model's translation context, remembered against the epoch, and its hit memos, which a restore forgets
        // (they only ever return what the lookups would).
        "MemoryTiming._epoch", "MemoryTiming._sctlr", "MemoryTiming._el", "MemoryTiming._asid", "MemoryTiming._regime",
        "MemoryTiming._memo", "MemoryTiming._memoNext", "MemoryTiming._memoL1Changes", "MemoryTiming._memoTlbChanges",
        "MemoryTiming._fetchMemo", "MemoryTiming._fetchMemoNext", "MemoryTiming._fetchMemoChanges", "MemoryTiming._lastDataHit",
        "MemoryTiming._blockLines", "MemoryTiming._blockPages", "MemoryTiming._fetchPages", "MemoryTiming._blockL1Changes",
        "MemoryTiming._blockEpoch", "MemoryTiming._blockContext", "MemoryTiming._fetchLines", "MemoryTiming._fetchL1Changes",
        "MemoryTiming._lastFetchHit", "MemoryTiming._blockGeneration", "MemoryTiming._fetchGeneration",
        "TranslationCacheArray._last", "TranslationCacheArray._stamps", "TranslationCacheArray._stampCount",
        // The MMU-off contexts a translated block may predict, remembered against the epoch like the memos above.
        "MemoryTiming.FlatDataEpoch", "MemoryTiming.FlatDataEl", "MemoryTiming.FlatFetchEpoch", "MemoryTiming.FlatFetchEl",
        // What the model's AccessInBlock and FetchInBlock hand the translated block that called them (consumed at once),
        // and the count a block compares its own lines' hits against while it runs (A53Model.Disturbances).
        "A53Model.AccessLatency", "A53Model.LastHit", "A53Model.Disturbances",
        // Whether some PMU alarm may be armed: recomputed from the thresholds by a restore (a crossed alarm may leave it set).
        "PerformanceEvents.<Armed>k__BackingField",
        // The TLB's fill count: only the RAM fast path's pages compare it, and a restore drops them.
        "Tlb.<Fills>k__BackingField",
        // The bus's page flags (decoded-code bits), dirty-page tracking and native RAM (compared by its hash instead).
        "PhysicalBus._pageFlags", "PhysicalBus._written", "PhysicalBus._dirty", "PhysicalBus._baseline", "PhysicalBus._ram",
    ];

    public static List<string> Differences(object a, object b, int max = 20)
    {
        var diffs = new List<string>();
        Compare(a, b, a.GetType().Name, diffs, new HashSet<(object, object)>(PairComparer.Instance), max);
        return diffs;
    }

    private static void Compare(object? a, object? b, string path, List<string> diffs, HashSet<(object, object)> seen, int max)
    {
        if (diffs.Count >= max) return;
        if (a is null || b is null)
        {
            if ((a is null) != (b is null)) diffs.Add($"{path}: {a ?? "null"} / {b ?? "null"}");
            return;
        }
        var type = a.GetType();
        if (type != b.GetType()) { diffs.Add($"{path}: {type.Name} / {b.GetType().Name}"); return; }
        if (a is Delegate || a is Pointer) return;
        if (type.IsPrimitive || type.IsEnum || a is string or decimal)
        {
            if (!a.Equals(b)) diffs.Add($"{path}: {a} / {b}");
            return;
        }
        if (!type.IsValueType && !seen.Add((a, b))) return;
        if (a is Array x)
        {
            var y = (Array)b;
            if (x.Length != y.Length) { diffs.Add($"{path}: length {x.Length} / {y.Length}"); return; }
            var element = type.GetElementType()!;
            if (element.IsPrimitive)
            {
                int n = Buffer.ByteLength(x);
                var bx = new byte[n]; var by = new byte[n];
                Buffer.BlockCopy(x, 0, bx, 0, n); Buffer.BlockCopy(y, 0, by, 0, n);
                if (bx.AsSpan().SequenceEqual(by)) return;
            }
            for (int i = 0; i < x.Length && diffs.Count < max; i++) Compare(x.GetValue(i), y.GetValue(i), $"{path}[{i}]", diffs, seen, max);
            return;
        }
        if (type.IsGenericType && a is IEnumerable ea && type.Namespace == "System.Collections.Generic")
        {
            var ia = ea.Cast<object?>().ToList();
            var ib = ((IEnumerable)b).Cast<object?>().ToList();
            if (ia.Count != ib.Count) { diffs.Add($"{path}: {ia.Count} items / {ib.Count}"); return; }
            for (int i = 0; i < ia.Count && diffs.Count < max; i++) Compare(ia[i], ib[i], $"{path}[{i}]", diffs, seen, max);
            return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (Derived.Contains($"{t.Name}.{f.Name}") || typeof(Delegate).IsAssignableFrom(f.FieldType) || f.FieldType.IsPointer) continue;
                Compare(f.GetValue(a), f.GetValue(b), $"{path}.{f.Name}", diffs, seen, max);
            }
    }

    private sealed class PairComparer : IEqualityComparer<(object, object)>
    {
        public static readonly PairComparer Instance = new();
        public bool Equals((object, object) p, (object, object) q) => ReferenceEquals(p.Item1, q.Item1) && ReferenceEquals(p.Item2, q.Item2);
        public int GetHashCode((object, object) p) => HashCode.Combine(RuntimeHelpers.GetHashCode(p.Item1), RuntimeHelpers.GetHashCode(p.Item2));
    }
}
