namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's indirect predictor: "a 256-entry Branch Target Address Cache (BTAC) to predict the target address
/// of indirect branches" (A53 TRM DDI0500, Instruction Fetch Unit). The TRM gives no organisation; modelled
/// direct-mapped by pc / 4 with the full pc as tag and the last target seen, so a BR/BLR site is predicted from
/// its second visit on, and two sites 1 KiB apart evict each other. No history in the index (the TRM names none).
/// </summary>
internal sealed class BranchTargetAddressCache
{
    private const ulong Invalid = ulong.MaxValue; // never a 4-byte-aligned pc
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

    public bool TryPredict(ulong pc, out ulong target)
    {
        uint i = Index(pc);
        target = _target[i];
        return _tag[i] == pc;
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

    private uint Index(ulong pc) => (uint)(pc >> 2) & _mask;
}
