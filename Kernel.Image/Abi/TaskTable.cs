namespace Aegis.Kernel.Image.Abi;

/// <summary>One row of the static task table (REFERENCE §4.6; src/task_table.c).</summary>
/// <param name="EntrySymbol">Kernel symbol of the boot entry, or null for an ELF task's fixed entry / none.</param>
/// <param name="ElfEntry">Expected entry of an ELF task (its slot base), else null.</param>
/// <param name="GrantIds">Ours (deviation 11): bit g = the grant id g this task owns; no other task may create it.</param>
public sealed record TaskInfo(int Id, string Name, Capability Caps, byte Priority, ulong TimeBudget,
    string? EntrySymbol, ulong? ElfEntry, TaskState StateAtBoot, byte GrantIds = 0);

public static class TaskTable
{
    public const int NumTasks = 8;
    public const int IdleTaskId = 7;
    public const ulong EpochLength = 100;
    public const ulong WatchdogScanPeriod = 10;
    public const ulong RestartDelayTicks = 100;
    public const ulong TickMilliseconds = 10;

    public static readonly IReadOnlyList<TaskInfo> Tasks =
    [
        new(0, "uart_driver", (Capability)0x3F0F3, 6, 0, "uart_driver_entry", null, TaskState.Ready),
        new(1, "client", (Capability)0x230F3, 4, 50, "client_entry", null, TaskState.Ready, GrantIds: 0b01),
        new(2, "hello", (Capability)0x40030, 5, 2, null, MemoryMap.ElfSlotBase(0), TaskState.Ready),
        // sensor/logger: priority 5 (REF 4 / 3), docs/PHASE-O-DECISIONS.md Q7.
        new(3, "sensor", (Capability)0x60034, 5, 10, null, MemoryMap.ElfSlotBase(1), TaskState.Ready),
        new(4, "logger", (Capability)0x40038, 5, 10, null, MemoryMap.ElfSlotBase(2), TaskState.Ready),
        new(5, "reserved", Capability.None, 0, 0, null, null, TaskState.Inactive),
        new(6, "reserved", Capability.None, 0, 0, null, null, TaskState.Inactive),
        new(7, "idle", Capability.Yield, 0, 0, "idle_entry", null, TaskState.Ready),
    ];

    /// <summary>TTBR0 ASID of a task: task id + 1 (ASID 0 is the kernel's boot address space).</summary>
    public static ulong Asid(int task) => (ulong)task + 1;
}
