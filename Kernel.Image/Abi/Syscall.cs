namespace Aegis.Kernel.Image.Abi;

/// <summary>Syscall numbers (REFERENCE §5; include/aegis/abi.h). <c>svc #0</c> with x7 = number,
/// x6 = endpoint / target / peer task, x0-x3 = arguments; the result comes back in x0 (RECV/CALL: x0-x3).</summary>
public enum Syscall : ulong
{
    Yield = 0,
    Send = 1,
    Recv = 2,
    Call = 3,
    Write = 4,
    Notify = 5,
    WaitNotify = 6,
    GrantCreate = 7,
    GrantRevoke = 8,
    IrqBind = 9,
    IrqAck = 10,
    DeviceMap = 11,
    Heartbeat = 12,
    Exit = 13,
}

/// <summary>Which registers carry what in a syscall.</summary>
public static class SyscallRegisters
{
    public const int Number = 7;
    public const int EndpointOrTask = 6;
    public const int FirstArgument = 0;
    public const int MessageRegisters = 4;
    /// <summary>SYS_WRITE accepts 1..256 bytes inside [0x4000_0000, 0x4800_0000).</summary>
    public const ulong WriteMaxLength = 256;
}
