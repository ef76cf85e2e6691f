namespace Aegis.Kernel.Image.Abi;

/// <summary>Values returned in x0 (REFERENCE §5; include/aegis/abi.h).</summary>
public static class ErrorCodes
{
    public const ulong NotifyBadTarget = 0xFFFF_DEAD;
    public const ulong GrantBadId = 0xFFFF_0001;
    public const ulong GrantAlreadyActive = 0xFFFF_0002;
    public const ulong GrantBadPeer = 0xFFFF_0003;
    public const ulong GrantOwnerIsPeer = 0xFFFF_0004;
    public const ulong GrantNotOwner = 0xFFFF_0005;
    public const ulong IrqInvalid = 0xFFFF_1001;
    public const ulong IrqAlreadyBound = 0xFFFF_1002;
    public const ulong IrqTableFull = 0xFFFF_1003;
    public const ulong IrqNotBound = 0xFFFF_1004;
    public const ulong IrqNotOwner = 0xFFFF_1005;
    public const ulong DeviceBadId = 0xFFFF_2001;
    public const ulong DeviceBadTask = 0xFFFF_2002;
    public const ulong PageBadTask = 0xFFFF_3001;
    public const ulong PageBadVaddr = 0xFFFF_3002;
    /// <summary>Ours (deviation 4): the task this one was blocked on in SEND/CALL, or whose reply
    /// it awaited, faulted or exited. x1-x3 keep their values.</summary>
    public const ulong IpcPartnerGone = 0xFFFF_4001;
    /// <summary>Ours (deviation 7): SYS_WRITE refused: a length outside 1..256, a range outside RAM, or a byte the caller
    /// could not read itself at EL0.</summary>
    public const ulong WriteBadPointer = 0xFFFF_5001;
    /// <summary>The UART driver's reply to a print request ("OK").</summary>
    public const ulong UartDriverReplyOk = 0x4F4B;
    /// <summary>Ours (deviation 10): the UART driver's reply to a request whose count (x3) is not 1..<see cref="UartMessageMax"/> ("NO").</summary>
    public const ulong UartDriverReplyBad = 0x4E4F;
    /// <summary>Ours (deviation 10): the most bytes one print request carries in x0-x2.</summary>
    public const int UartMessageMax = 24;
}
