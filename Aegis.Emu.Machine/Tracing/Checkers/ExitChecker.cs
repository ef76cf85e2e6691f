using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// Task exit (AegisOS SYS_EXIT = svc with x7 = 13, REFERENCE §5/§4): once the exit completed (the ERET that ends
/// that SVC), the task must never execute an instruction again and must hold no IPC, grant or IRQ resource.
/// Resources are read from the kernel's own tables through its symbols (src/ipc.c <c>endpoints</c>: sender
/// queue tasks[4], head, count, receiver, server; src/grant.c <c>grants</c>: owner, peer, active;
/// src/irq.c <c>bindings</c>: intid u32, task u8 at 4, active at 16, 24 bytes each; src/sched.c <c>tcbs</c>:
/// no Blocked task may still wait on it (<c>ipc_partner</c>) and no task may still owe it a reply
/// (<c>reply_to</c>), nor may its own fields name a task). When the image has <c>tcbs</c>, the exit counts only if
/// the TCB state became Exited (a refused SYS_EXIT returns to the task).
/// </summary>
public sealed class ExitChecker : Checker
{
    private readonly HashSet<int> _exited = [];
    private int _pending = -1;

    public override string Name => "exit";

    /// <summary>Tasks whose exit has completed, in order.</summary>
    public List<int> Exited { get; } = [];

    public ExitChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks) : base(cpu, symbols, tasks) { }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        NoteFetch(pc, encoding);
        if (_exited.Count == 0 || cpu.EL != 0) return;
        int t = Tasks.Current;
        if (_exited.Contains(t))
            Report($"task {t} executes again after its SYS_EXIT completed");
    }

    public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        if (cpu.EL == 0 && vector == ExceptionVector.Synchronous && (esr >> 26) == (uint)ExceptionClass.Svc64
            && cpu.X[7] == (ulong)Syscall.Exit)
            _pending = Tasks.Current;
    }

    public override void OnExceptionReturn(Cpu cpu)
    {
        if (_pending < 0) return;
        int t = _pending;
        _pending = -1;
        if (ReadKernel("tcbs", t * TcbLayout.Size + TcbLayout.StateOffset, 1) is { } state && state != (ulong)TaskState.Exited) return;
        if (_exited.Add(t)) Exited.Add(t);
        CheckResources(t);
    }

    private void CheckResources(int t)
    {
        var held = new List<string>();
        if (Symbols?.TryGet("endpoints", out var ep) == true)
        {
            for (int e = 0; e < (int)ep.Size / 8; e++)
            {
                ulong b = ep.Address + (ulong)e * 8;
                int head = (int)ReadPhysical(b + 4, 1), count = (int)ReadPhysical(b + 5, 1);
                for (int k = 0; k < Math.Min(count, 4); k++)
                    if ((int)ReadPhysical(b + (ulong)((head + k) % 4), 1) == t) held.Add($"endpoint {e} sender queue (endpoints@0x{b:x})");
                if ((int)ReadPhysical(b + 6, 1) == t) held.Add($"endpoint {e} receiver (byte at 0x{b + 6:x})");
                if ((int)ReadPhysical(b + 7, 1) == t) held.Add($"endpoint {e} server (byte at 0x{b + 7:x})");
            }
        }
        if (Symbols?.TryGet("grants", out var gr) == true)
        {
            for (int g = 0; g < (int)gr.Size / 3; g++)
            {
                ulong b = gr.Address + (ulong)g * 3;
                if (ReadPhysical(b + 2, 1) != 0 && ((int)ReadPhysical(b, 1) == t || (int)ReadPhysical(b + 1, 1) == t))
                    held.Add($"grant {g} (owner {ReadPhysical(b, 1)}, peer {ReadPhysical(b + 1, 1)}, active; grants@0x{b:x})");
            }
        }
        if (Symbols?.TryGet("bindings", out var bi) == true)
        {
            for (int i = 0; i < (int)bi.Size / 24; i++)
            {
                ulong b = bi.Address + (ulong)i * 24;
                if (ReadPhysical(b + 16, 1) != 0 && (int)ReadPhysical(b + 4, 1) == t)
                    held.Add($"IRQ binding {i} (INTID {ReadPhysical(b, 4)}; bindings@0x{b:x})");
            }
        }
        if (Symbols?.TryGet(TcbLayout.TableSymbol, out var tcbs) == true)
        {
            for (int w = 0; w < (int)(tcbs.Size / TcbLayout.Size); w++)
            {
                ulong b = tcbs.Address + (ulong)(w * TcbLayout.Size);
                int partner = (int)ReadPhysical(b + TcbLayout.IpcPartnerOffset, 1), replyTo = (int)ReadPhysical(b + TcbLayout.ReplyToOffset, 1);
                if (w == t)
                {
                    if (partner != TcbLayout.NoTask) held.Add($"its own ipc_partner = task {partner} (byte at 0x{b + TcbLayout.IpcPartnerOffset:x})");
                    if (replyTo != TcbLayout.NoTask) held.Add($"its own reply_to = task {replyTo} (byte at 0x{b + TcbLayout.ReplyToOffset:x})");
                    continue;
                }
                if (partner == t && ReadPhysical(b + TcbLayout.StateOffset, 1) == (ulong)TaskState.Blocked)
                    held.Add($"task {w} Blocked waiting on it (tcbs[{w}].ipc_partner at 0x{b + TcbLayout.IpcPartnerOffset:x})");
                if (replyTo == t)
                    held.Add($"task {w} still owes it a reply (tcbs[{w}].reply_to at 0x{b + TcbLayout.ReplyToOffset:x})");
            }
        }
        if (held.Count > 0)
            Report($"task {t} still holds after SYS_EXIT: {string.Join(", ", held)}");
    }
}
