namespace Aegis.Kernel.Image.Abi;

/// <summary>
/// Where a host tool finds the scheduler's state in guest memory: <c>struct tcb tcbs[NUM_TASKS]</c> and
/// <c>unsigned current_task</c> (include/aegis/sched.h). Offsets are those of the committed image's DWARF
/// (<c>llvm-dwarfdump-14 --name=tcb --show-children</c>: state at 0x120, stride 416 = the 3328-byte
/// <c>tcbs</c> symbol / 8); Tests/Kernel/Boot checks them against the image's symbol table.
/// </summary>
public static class TcbLayout
{
    public const string TableSymbol = "tcbs";
    public const string CurrentTaskSymbol = "current_task";

    /// <summary>sizeof(struct tcb): a TrapFrame (288 bytes) plus the scheduler fields.</summary>
    public const int Size = 416;
    /// <summary>offsetof(struct tcb, state): a <see cref="TaskState"/> byte right after the TrapFrame.</summary>
    public const int StateOffset = 0x120;
    /// <summary>offsetof(struct tcb, id): uint16.</summary>
    public const int IdOffset = 0x122;
    /// <summary>offsetof(struct tcb, ttbr0): the task's TTBR0_EL1 value (ASID = task + 1 in bits 63:48).</summary>
    public const int Ttbr0Offset = 0x150;
    /// <summary>offsetof(struct tcb, priority): effective priority byte.</summary>
    public const int PriorityOffset = 0x161;
    /// <summary>offsetof(struct tcb, ipc_partner): the task a Blocked task waits on, or <see cref="NoTask"/> (deviation 4).</summary>
    public const int IpcPartnerOffset = 0x188;
    /// <summary>offsetof(struct tcb, reply_to): the caller whose delivered CALL this task has not answered, or <see cref="NoTask"/>.</summary>
    public const int ReplyToOffset = 0x189;
    /// <summary>offsetof(struct tcb, reply_ep): the endpoint of the CALL it owes an answer to (deviation 9).</summary>
    public const int ReplyEpOffset = 0x18B;
    /// <summary>offsetof(struct tcb, tpidr_el0): the task's TPIDR_EL0 while another task runs (deviation 8); tpidrro_el0 follows.</summary>
    public const int TpidrEl0Offset = 0x190;
    /// <summary>NO_TASK: "no task" in the byte-sized task fields.</summary>
    public const byte NoTask = 0xFF;

    /// <summary>Size of the tcbs symbol for <see cref="TaskTable.NumTasks"/> tasks.</summary>
    public const int TableSize = Size * TaskTable.NumTasks;
}
