namespace Aegis.Kernel.Image.Abi;

/// <summary>Capability bits (REFERENCE §6; include/aegis/abi.h). Static per task, set at boot.</summary>
[Flags]
public enum Capability : ulong
{
    None = 0,
    IpcSendEp0 = 1UL << 0,
    IpcRecvEp0 = 1UL << 1,
    IpcSendEp1 = 1UL << 2,
    IpcRecvEp1 = 1UL << 3,
    Write = 1UL << 4,
    Yield = 1UL << 5,
    Notify = 1UL << 6,
    WaitNotify = 1UL << 7,
    IpcSendEp2 = 1UL << 8,
    IpcRecvEp2 = 1UL << 9,
    IpcSendEp3 = 1UL << 10,
    IpcRecvEp3 = 1UL << 11,
    GrantCreate = 1UL << 12,
    GrantRevoke = 1UL << 13,
    IrqBind = 1UL << 14,
    IrqAck = 1UL << 15,
    DeviceMap = 1UL << 16,
    Heartbeat = 1UL << 17,
    Exit = 1UL << 18,
    All = 0x7FFFF,
}

/// <summary>The kernel's cap_for_syscall / cap_check / cap_name, for checkers and tests.</summary>
public static class Capabilities
{
    private static readonly Capability[] SendCaps = [Capability.IpcSendEp0, Capability.IpcSendEp1, Capability.IpcSendEp2, Capability.IpcSendEp3];
    private static readonly Capability[] RecvCaps = [Capability.IpcRecvEp0, Capability.IpcRecvEp1, Capability.IpcRecvEp2, Capability.IpcRecvEp3];

    /// <summary>Capability a syscall needs; unknown numbers and endpoints above 3 need none.</summary>
    public static Capability RequiredFor(ulong number, ulong endpoint) => (Syscall)number switch
    {
        Syscall.Yield => Capability.Yield,
        Syscall.Send => endpoint < 4 ? SendCaps[endpoint] : Capability.None,
        Syscall.Recv => endpoint < 4 ? RecvCaps[endpoint] : Capability.None,
        Syscall.Call => endpoint < 4 ? SendCaps[endpoint] | RecvCaps[endpoint] : Capability.None,
        Syscall.Write => Capability.Write,
        Syscall.Notify => Capability.Notify,
        Syscall.WaitNotify => Capability.WaitNotify,
        Syscall.GrantCreate => Capability.GrantCreate,
        Syscall.GrantRevoke => Capability.GrantRevoke,
        Syscall.IrqBind => Capability.IrqBind,
        Syscall.IrqAck => Capability.IrqAck,
        Syscall.DeviceMap => Capability.DeviceMap,
        Syscall.Heartbeat => Capability.Heartbeat,
        Syscall.Exit => Capability.Exit,
        _ => Capability.None,
    };

    public static bool Check(Capability caps, Capability required) => (caps & required) == required;

    /// <summary>The name printed in "!!! CAP DENIED ... needs NAME": single bits without "CAP_", ALL, NONE, else UNKNOWN.</summary>
    public static string Name(Capability cap) => cap switch
    {
        Capability.All => "ALL",
        Capability.None => "NONE",
        Capability.IpcSendEp0 => "IPC_SEND_EP0",
        Capability.IpcRecvEp0 => "IPC_RECV_EP0",
        Capability.IpcSendEp1 => "IPC_SEND_EP1",
        Capability.IpcRecvEp1 => "IPC_RECV_EP1",
        Capability.Write => "WRITE",
        Capability.Yield => "YIELD",
        Capability.Notify => "NOTIFY",
        Capability.WaitNotify => "WAIT_NOTIFY",
        Capability.IpcSendEp2 => "IPC_SEND_EP2",
        Capability.IpcRecvEp2 => "IPC_RECV_EP2",
        Capability.IpcSendEp3 => "IPC_SEND_EP3",
        Capability.IpcRecvEp3 => "IPC_RECV_EP3",
        Capability.GrantCreate => "GRANT_CREATE",
        Capability.GrantRevoke => "GRANT_REVOKE",
        Capability.IrqBind => "IRQ_BIND",
        Capability.IrqAck => "IRQ_ACK",
        Capability.DeviceMap => "DEVICE_MAP",
        Capability.Heartbeat => "HEARTBEAT",
        Capability.Exit => "EXIT",
        _ => "UNKNOWN",
    };
}
