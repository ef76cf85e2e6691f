namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The return stack: 8 entries on the A53 (CAQA §3.12 "8-deep return stack"; reference sheet, TRM §6.4). BL and
/// BLR push pc + 4, RET pops (Arm TRMs of the A53's family: BL and BLR push; RET pops whatever register it names).
/// A circular buffer: the ninth nested push overwrites the oldest entry, and popping more than is held
/// (underflow) predicts nothing, which the predictor counts as a mispredict.
/// </summary>
internal sealed partial class ReturnStack
{
    private readonly ulong[] _entries;
    private int _top;   // next slot to push into
    private int _count; // valid entries, at most _entries.Length

    public ReturnStack(int entries) => _entries = new ulong[entries];

    public int Count => _count;

    public void Push(ulong returnAddress)
    {
        _entries[_top] = returnAddress;
        _top = _top + 1 == _entries.Length ? 0 : _top + 1;
        if (_count < _entries.Length) _count++;
    }

    public bool TryPop(out ulong returnAddress)
    {
        if (_count == 0) { returnAddress = 0; return false; }
        _top = _top == 0 ? _entries.Length - 1 : _top - 1;
        _count--;
        returnAddress = _entries[_top];
        return true;
    }

    public void Clear()
    {
        Array.Clear(_entries);
        _top = 0;
        _count = 0;
    }
}
