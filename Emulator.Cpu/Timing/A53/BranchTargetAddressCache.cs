namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's indirect predictor: "a 256-entry Branch Target Address Cache (BTAC) to predict the target address
/// of indirect branches" (A53 TRM DDI0500, Instruction Fetch Unit). The TRM gives no organisation. Modelled as a
/// tagless direct-mapped table of last targets, one entry per 64-bit fetch pair (pc / 8: the A53 fetches 64 bits
/// a cycle), inferred from two silicon rows (insn_bench, Raspberry Pi 3): 288 `blr` sites 4 bytes apart calling one
/// function cost 8.04 per pair, so sites sharing an entry with the same target must hit (no tag); 144 `adr`/`br`
/// pairs 8 bytes apart with distinct targets cost 4.03, so 144 such sites must not collide (pc / 8, not pc / 4).
/// A site is predicted from its second visit on; sites 2 KiB apart share an entry. No history (the TRM names none).
/// </summary>
internal sealed partial class BranchTargetAddressCache
{
    private const ulong Invalid = ulong.MaxValue; // never a 4-byte-aligned pc
    /// <summary>The pc that last wrote each entry: only whether it is valid is used for prediction.</summary>
    private readonly ulong[] _tag;
    private readonly ulong[] _target;
    private readonly uint _mask;

    public BranchTargetAddressCache(int entries)
    {
        _tag = new ulong[entries];
        _target = new ulong[entries];
        _mask = (uint)entries - 1;
        Invalidate();
    }

    /// <summary>The entry's last target, whichever site wrote it (false only while the entry is empty).</summary>
    public bool TryPredict(ulong pc, out ulong target)
    {
        uint i = Index(pc);
        target = _target[i];
        return _tag[i] != Invalid;
    }

    public void Train(ulong pc, ulong target)
    {
        uint i = Index(pc);
        _tag[i] = pc;
        _target[i] = target;
    }

    public void Invalidate()
    {
        Array.Fill(_tag, Invalid);
        Array.Clear(_target);
    }

    private uint Index(ulong pc) => (uint)(pc >> 3) & _mask;
}
