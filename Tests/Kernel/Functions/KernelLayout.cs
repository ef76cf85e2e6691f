namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// Byte offsets of the kernel's C structs, worked out from Kernel.Image/include/aegis/*.h and the
/// file-local structs of src/ipc.c, src/grant.c, src/irq.c and src/elf.h (AAPCS64 natural alignment).
/// <see cref="KernelHarness"/> checks the sizes against the ELF symbol sizes at boot.
/// </summary>
public static class KernelLayout
{
    /// <summary>struct trap_frame (REF §3.2): x0..x30, sp_el0, elr_el1, spsr_el1, pad[2].</summary>
    public static class Frame
    {
        public const int Size = 288, SpEl0 = 248, Elr = 256, Spsr = 264;
        public static int X(int n) => n * 8;
    }

    /// <summary>struct tcb (sched.h): the context first, then the REF §4.1 fields, then ours (deviations 4, 9, 8).</summary>
    public static class Tcb
    {
        public const int Size = 416;
        public const int State = 288, Id = 290, StackTop = 296, EntryPoint = 304, UserStackTop = 312,
            FaultTick = 320, Caps = 328, Ttbr0 = 336, NotifyPending = 344, NotifyWaiting = 352,
            Priority = 353, BasePriority = 354, TimeBudget = 360, TicksUsed = 368,
            HeartbeatInterval = 376, LastHeartbeat = 384, IpcPartner = 392, ReplyTo = 393, ReplyGone = 394,
            ReplyEp = 395, Calling = 396, TpidrEl0 = 400, TpidrroEl0 = 408;
    }

    /// <summary>struct task_meta (task_table.h): caps u64, priority u8, time_budget u64, heartbeat_interval u64, grants u8.</summary>
    public static class TaskMeta
    {
        public const int Size = 40, Caps = 0, Priority = 8, TimeBudget = 16, HeartbeatInterval = 24, Grants = 32;
    }

    /// <summary>struct endpoint (ipc.c): sender_queue {tasks[4], head, count}, receiver, server.</summary>
    public static class Endpoint
    {
        public const int Size = 8, Tasks = 0, Head = 4, Count = 5, Receiver = 6, Server = 7;
    }

    /// <summary>struct grant (grant.c): owner, peer, active (bytes).</summary>
    public static class Grant
    {
        public const int Size = 3, Owner = 0, Peer = 1, Active = 2;
    }

    /// <summary>struct irq_binding (irq.c): intid u32, task u8, notify_bit u64, active, pending_ack.</summary>
    public static class IrqBinding
    {
        public const int Size = 24, Intid = 0, Task = 4, NotifyBit = 8, Active = 16, PendingAck = 17;
    }

    /// <summary>struct elf_info (elf.h): entry, num_segments, segments[4] of {vaddr, offset, filesz, memsz, flags}.</summary>
    public static class ElfInfo
    {
        public const int Size = 176, Entry = 0, NumSegments = 8, Segments = 16, SegmentSize = 40;
        public const int SegVaddr = 0, SegOffset = 8, SegFilesz = 16, SegMemsz = 24, SegFlags = 32;
    }

    public const byte NoTask = 0xFF;
    public const int NumTasks = 8, IdleTask = 7, MaxEndpoints = 4, MaxGrants = 2, MaxIrqBindings = 8;
}
