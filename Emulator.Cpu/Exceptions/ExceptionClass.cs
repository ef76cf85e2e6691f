namespace Aegis.Emulator.Cpu.Exceptions;

/// <summary>ESR_ELx.EC values (Arm ARM D17.2.37).</summary>
public enum ExceptionClass : uint
{
    Unknown = 0x00,
    WfxTrap = 0x01,
    SimdFpAccess = 0x07,
    IllegalExecutionState = 0x0E,
    Svc64 = 0x15,
    Hvc64 = 0x16,
    Smc64 = 0x17,
    SystemRegisterTrap = 0x18,
    InstructionAbortLowerEl = 0x20,
    InstructionAbortSameEl = 0x21,
    PcAlignment = 0x22,
    DataAbortLowerEl = 0x24,
    DataAbortSameEl = 0x25,
    SpAlignment = 0x26,
    SError = 0x2F,
    BreakpointLowerEl = 0x30,
    BreakpointSameEl = 0x31,
    SoftwareStepLowerEl = 0x32,
    SoftwareStepSameEl = 0x33,
    WatchpointLowerEl = 0x34,
    WatchpointSameEl = 0x35,
    Brk64 = 0x3C,
}

/// <summary>Vector offsets within a vector table group (Arm ARM D1.10.2).</summary>
public enum ExceptionVector : ulong
{
    Synchronous = 0x000,
    Irq = 0x080,
    Fiq = 0x100,
    SError = 0x180,
}
