namespace Aegis.Emulator.Cpu;

/// <summary>Coarse execution classes that the timing models charge; one per table row.</summary>
public enum TimingClass : byte
{
    Alu,
    AluShifted,
    Shift,
    Bitfield,
    Multiply,
    MultiplyAccumulate,
    MultiplyHigh,
    Divide,
    Crc,
    Load,
    LoadPair,
    Store,
    StorePair,
    Exclusive,
    Branch,
    BranchIndirect,
    Exception,
    System,
    Barrier,
    CacheMaintenance,
    Hint,
    SimdFp,
}
