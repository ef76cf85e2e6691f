namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// How a set-associative structure picks the way to evict when the set is full. Every policy is deterministic:
/// the same access sequence always evicts the same lines, so cycle counts reproduce run to run.
/// </summary>
public enum ReplacementPolicy : byte
{
    /// <summary>True least-recently-used (a per-line use stamp). Not what the A53 implements; kept for comparison.</summary>
    Lru,

    /// <summary>
    /// One <see cref="VictimLfsr"/> per structure, stepped on every eviction of a valid line. The A53 TRM (DDI0500,
    /// §2.1.1 Instruction Fetch Unit, §2.1.6 Data side memory system) gives "pseudo-random cache replacement policy"
    /// for the L1 instruction and data caches.
    /// </summary>
    PseudoRandom,

    /// <summary>A per-set pointer that cycles through the ways.</summary>
    RoundRobin,
}
