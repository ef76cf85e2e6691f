namespace Aegis.Kernel.Image.Abi;

/// <summary>TCB state byte (REFERENCE §4.1).</summary>
public enum TaskState : byte
{
    Inactive = 0,
    Ready = 1,
    Running = 2,
    Blocked = 3,
    Faulted = 4,
    Exited = 5,
}
