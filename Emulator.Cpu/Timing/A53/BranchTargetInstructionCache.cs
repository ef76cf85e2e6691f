using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The Branch Target Instruction Cache: "a single entry ... stores up to two instruction cache fetches and enables
/// the branch shadow of predicted taken branch instructions to be eliminated" (A53 TRM DDI0500, Instruction Fetch
/// Unit). CAQA §3.12: checked in F1; hit plus correct prediction costs no delay. So a tight loop's back edge, the
/// only taken branch in the loop, keeps hitting, while a chain of distinct taken branches keeps replacing it.
/// Filled by every taken direct branch (B, BL, taken B.cond/CBZ/TBZ), as the older A9 BTIC ("predicted taken B
/// and BL"); indirect targets vary, so BR/BLR/RET neither fill nor hit it. Entries beyond one (for experiments)
/// are replaced round-robin.
/// </summary>
internal sealed partial class BranchTargetInstructionCache
{
    private const ulong Invalid = ulong.MaxValue; // never a 4-byte-aligned pc
    private readonly ulong[] _pc;
    private readonly ulong[] _target;
    private int _next;

    public BranchTargetInstructionCache(int entries)
    {
        _pc = new ulong[entries];
        _target = new ulong[entries];
        Invalidate();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // per predicted taken branch
    public bool Hit(ulong pc, ulong target)
    {
        for (int i = 0; i < _pc.Length; i++)
            if (_pc[i] == pc) return _target[i] == target;
        return false;
    }

    /// <summary>Whether the first entry holds the branch at <paramref name="pc"/> with <paramref name="target"/>: a hit, and the
    /// fill after it changes nothing (the A53's BTIC has one entry; a larger one may hold it elsewhere, and is not asked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HoldsFirst(ulong pc, ulong target) => _pc[0] == pc && _target[0] == target;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fill(ulong pc, ulong target)
    {
        for (int i = 0; i < _pc.Length; i++)
            if (_pc[i] == pc) { _target[i] = target; return; }
        _pc[_next] = pc;
        _target[_next] = target;
        _next = _next + 1 == _pc.Length ? 0 : _next + 1;
    }

    public void Invalidate()
    {
        Array.Fill(_pc, Invalid);
        Array.Clear(_target);
        _next = 0;
    }
}
