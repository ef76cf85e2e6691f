using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// Calls single functions of the committed kernel image (Kernel.Image/bin/aegis.elf) inside the emulator.
/// <para>
/// The image boots on a <see cref="VirtBoard"/> until the PC reaches <c>sched_bootstrap</c>, the last call of
/// <c>kernel_main</c>: at that point the MMU is on (kernel TTBR0), VBAR is set, the GIC and timer are
/// initialised, TASK_META is applied and every boot line has been printed, but no task has run yet.
/// The whole machine is snapshot then (<see cref="VirtBoard.TakeSnapshot"/>: CPU, system registers, MMU and TLB,
/// timer, GIC, UART, RAM, ...), with the scratch area zeroed; <see cref="Reset"/> restores it, so each case starts from
/// the same machine, GIC included, for the cost of copying back the RAM pages the previous case wrote.
/// The board keeps QEMU's default 128 MiB: a 2 MiB board boots to the same point too (the kernel touches
/// nothing above __kernel_end), but the scratch area and the SYS_WRITE range checks up to 0x4800_0000 need
/// the RAM the kernel maps. Tests write RAM only through the bus's tracked paths (WriteRam, Load, Fill), which
/// the snapshot's dirty-page tracking sees.
/// </para>
/// <para>
/// A call sets x0–x7, SP_EL1 = __stack_end, LR = <see cref="ReturnSentinel"/> (the address of
/// <c>idle_entry</c>, which no kernel function calls), PC = the function, EL1h with DAIF masked, and steps
/// until the PC reaches the sentinel. Entering the vector table means the function raised an exception:
/// that is reported as a failure with ESR/ELR/FAR.
/// </para>
/// </summary>
public sealed class KernelHarness
{
    /// <summary>Scratch RAM for frames, ELF images and out-structs: a RAM_BLOCK (EL1 RW) above the kernel.</summary>
    public const ulong Scratch = 0x4020_0000;
    public const ulong ScratchSize = 0x10000;
    public const ulong BootInstructionLimit = 50_000_000;
    public const ulong CallInstructionLimit = 2_000_000;

    public VirtBoard Board { get; }
    public Cpu Cpu => Board.Cpu;
    public KernelSymbols Symbols { get; }
    public ulong ReturnSentinel { get; }
    public string BootOutput { get; }

    private readonly List<byte> _uart = new();
    private readonly ulong _vectors, _stackEnd;
    private readonly Emulator.Devices.Snapshots.MachineSnapshot _snapshot;
    /// <summary>The static task table (const, in .rodata): a test may change it as another task-table build would;
    /// <see cref="Reset"/> puts the committed one back with the rest of the machine.</summary>
    private readonly ulong _taskMeta;
    private static readonly Lazy<(byte[] Image, KernelSymbols Symbols)> s_image = new(() =>
    {
        string path = KernelSymbols.FindImage();
        return (File.ReadAllBytes(path), KernelSymbols.Load(path));
    });

    public KernelHarness()
    {
        var (image, symbols) = s_image.Value;
        Symbols = symbols;
        Board = new VirtBoard();
        Board.Uart.Transmit = b => _uart.Add(b);
        Board.LoadElf(image);
        Support.KernelCoverage.Attach(Cpu, image);
        // Phase O: the committed default boot bundle at 0x42000000 (docs/BOOT-BUNDLE.md), as Aegis.Emu and QEMU boot
        // the system, so that tasks 2-4 are Ready with their ELF images loaded at sched_bootstrap.
        string? bundle = Aegis.Kernel.Image.BootBundle.FindDefault(NUnit.Framework.TestContext.CurrentContext.TestDirectory);
        if (bundle is not null) Board.Bus.Load(Aegis.Kernel.Image.BootBundle.Address, File.ReadAllBytes(bundle));

        ulong stop = Addr("sched_bootstrap");
        ulong steps = 0;
        while (Cpu.PC != stop)
        {
            Cpu.Run(1);
            if (++steps > BootInstructionLimit)
                throw new InvalidOperationException($"boot did not reach sched_bootstrap; PC={Cpu.PC:X} ({Symbols.Describe(Cpu.PC)})");
        }
        BootOutput = Encoding.UTF8.GetString(_uart.ToArray());
        _uart.Clear();

        ReturnSentinel = Addr("idle_entry");
        _vectors = Addr("__exception_vectors");
        _stackEnd = Addr("__stack_end");
        _taskMeta = Addr("task_meta");
        Board.Bus.Fill(Scratch, (int)ScratchSize, 0);
        _snapshot = Board.TakeSnapshot();
        CheckLayout();
    }

    private int Off(ulong pa) => checked((int)(pa - VirtBoard.RamBase));

    /// <summary>The struct sizes of <see cref="KernelLayout"/> against the sizes of the kernel's own objects.</summary>
    private void CheckLayout()
    {
        void Expect(string sym, int size)
        {
            var s = Symbols.All.First(x => x.Name == sym);
            if (s.Size != (ulong)size)
                throw new InvalidOperationException($"{sym} is {s.Size} bytes, KernelLayout says {size}");
        }
        Expect("tcbs", KernelLayout.Tcb.Size * KernelLayout.NumTasks);
        Expect("task_meta", KernelLayout.TaskMeta.Size * KernelLayout.NumTasks);
        Expect("endpoints", KernelLayout.Endpoint.Size * KernelLayout.MaxEndpoints);
        Expect("grants", KernelLayout.Grant.Size * KernelLayout.MaxGrants);
        Expect("bindings", KernelLayout.IrqBinding.Size * KernelLayout.MaxIrqBindings);
        Expect("current_task", 4);
        Expect("tick_count", 8);
        Expect("sched_now", 8);
    }

    public ulong Addr(string symbol) => Symbols.Address(symbol);

    /// <summary>Back to the boot snapshot (the whole machine: memory with scratch zeroed, CPU, TLB, GIC, ...) and an empty UART capture.</summary>
    public void Reset()
    {
        Board.RestoreSnapshot(_snapshot);
        _uart.Clear();
    }

    /// <summary>UART bytes written since the last <see cref="Reset"/> or <see cref="TakeUart"/>.</summary>
    public string Uart => Encoding.UTF8.GetString(_uart.ToArray());

    public string TakeUart()
    {
        string s = Uart;
        _uart.Clear();
        return s;
    }

    /// <summary>Calls a kernel function by symbol with up to 8 integer arguments; returns x0.</summary>
    public ulong Call(string function, params ulong[] args)
    {
        Run(function, c => c.PC == ReturnSentinel, args);
        return Cpu.X[0];
    }

    /// <summary>
    /// Enters a kernel function as <see cref="Call"/> does but stops when <paramref name="stop"/> holds
    /// (for functions that do not return, such as <c>sched_bootstrap</c>).
    /// </summary>
    public void Run(string function, Func<Cpu, bool> stop, params ulong[] args) => Run(function, stop, false, args);

    /// <summary>As <see cref="Call"/>, for a function whose exceptions the kernel handles itself and returns from
    /// (copy_from_user's fault, deviation 7): entering the vector table is not a failure then.</summary>
    public ulong CallThroughExceptions(string function, params ulong[] args)
    {
        Run(function, c => c.PC == ReturnSentinel, true, args);
        return Cpu.X[0];
    }

    /// <summary>
    /// Enters a function as <see cref="Call"/> does, exceptions allowed, until the UART has printed
    /// <paramref name="text"/>: for the paths that print and halt (a panic, a kernel fault), which never return.
    /// </summary>
    public string RunUntilPrinted(string function, string text, params ulong[] args)
    {
        int seen = -1;
        Run(function, _ =>
        {
            if (_uart.Count == seen) return false;
            seen = _uart.Count;
            return Uart.Contains(text, StringComparison.Ordinal);
        }, true, args);
        return Uart;
    }

    /// <summary>
    /// Takes an exception to EL1 as the CPU would (Arm ARM AArch64.TakeException: the vector offset follows from the
    /// interrupted EL and SPSel), from EL0 or from EL1 with SP_EL0 (<paramref name="spSel"/> false) or SP_EL1
    /// selected, with SP_EL1 = the exception stack and ELR_EL1 = <see cref="ReturnSentinel"/>; then steps until
    /// <paramref name="stop"/> holds. For the vector slots that no test program can reach: the kernel never runs with
    /// SP_EL0 selected or IRQs unmasked, and the board raises no FIQ or SError.
    /// </summary>
    public void TakeException(Emulator.Cpu.Exceptions.ExceptionVector vector, int fromEl, bool spSel, uint esr, Func<Cpu, bool> stop)
    {
        Array.Clear(Cpu.X);
        Cpu.SetExceptionLevel(1, true);
        Cpu.SP = _stackEnd;
        Cpu.SetExceptionLevel(fromEl, spSel);
        Cpu.Daif = 0;
        Cpu.PC = ReturnSentinel;
        Cpu.TakeException(1, vector, ReturnSentinel, esr);
        for (ulong n = 0; !stop(Cpu); n++)
        {
            if (n >= CallInstructionLimit)
                throw new InvalidOperationException($"{vector} did not finish within {CallInstructionLimit} instructions; PC={Symbols.Describe(Cpu.PC)}");
            Cpu.Run(1);
        }
    }

    private void Run(string function, Func<Cpu, bool> stop, bool exceptionsHandled, ulong[] args)
    {
        if (args.Length > 8) throw new ArgumentException("at most 8 register arguments");
        Array.Clear(Cpu.X);
        for (int i = 0; i < args.Length; i++) Cpu.X[i] = args[i];
        Cpu.SetExceptionLevel(1, true);
        Cpu.SP = _stackEnd;
        Cpu.Daif = 0xFu << 6;
        Cpu.X[30] = ReturnSentinel;
        Cpu.PC = Addr(function);
        Cpu.InvalidateFetch();
        for (ulong n = 0; !stop(Cpu); n++)
        {
            if (n >= CallInstructionLimit)
                throw new InvalidOperationException($"{function} did not finish within {CallInstructionLimit} instructions; PC={Symbols.Describe(Cpu.PC)}");
            if (!exceptionsHandled && Cpu.PC - _vectors < 0x800)
                throw new InvalidOperationException(
                    $"{function} raised an exception: vector +0x{Cpu.PC - _vectors:X}, ESR_EL1=0x{Cpu.EsrEl[1]:X}, " +
                    $"ELR_EL1={Symbols.Describe(Cpu.ElrEl[1])}, FAR_EL1=0x{Cpu.FarEl[1]:X}");
            Cpu.Run(1);
        }
    }

    // ---- physical memory (identity-mapped RAM) ----
    public ulong R64(ulong pa) => Board.Bus.ReadRam(Off(pa), 8);
    public uint R32(ulong pa) => (uint)Board.Bus.ReadRam(Off(pa), 4);
    public byte R8(ulong pa) => (byte)Board.Bus.ReadRam(Off(pa), 1);
    public void W64(ulong pa, ulong v) => Board.Bus.WriteRam(Off(pa), 8, v);
    public void W32(ulong pa, uint v) => Board.Bus.WriteRam(Off(pa), 4, v);
    public void W8(ulong pa, byte v) => Board.Bus.WriteRam(Off(pa), 1, v);
    public void WriteBytes(ulong pa, ReadOnlySpan<byte> bytes)
    {
        if (!Board.Bus.Load(pa, bytes)) throw new ArgumentOutOfRangeException(nameof(pa), $"0x{pa:X} (+{bytes.Length}) is not RAM");
    }
    public byte[] ReadBytes(ulong pa, int n) => Board.Bus.Ram.Slice(Off(pa), n).ToArray();

    public string CString(ulong pa)
    {
        var sb = new StringBuilder();
        for (byte b; (b = R8(pa)) != 0; pa++) sb.Append((char)b);
        return sb.ToString();
    }

    /// <summary>Deviation 11: the grant ids task <paramref name="task"/> owns (bit g = grant g), in the static task table.</summary>
    public void AssignGrants(int task, byte ids) => W8(_taskMeta + (ulong)(task * KernelLayout.TaskMeta.Size + KernelLayout.TaskMeta.Grants), ids);

    // ---- kernel globals ----
    public ulong Tcb(int task) => Addr("tcbs") + (ulong)(task * KernelLayout.Tcb.Size);
    public ulong Endpoint(int ep) => Addr("endpoints") + (ulong)(ep * KernelLayout.Endpoint.Size);
    public ulong GrantSlot(int g) => Addr("grants") + (ulong)(g * KernelLayout.Grant.Size);
    public ulong Binding(int i) => Addr("bindings") + (ulong)(i * KernelLayout.IrqBinding.Size);

    public uint CurrentTask { get => R32(Addr("current_task")); set => W32(Addr("current_task"), value); }
    /// <summary>The timer's tick count (timer.c <c>tick_count</c>). Setting it sets the scheduler's copy too
    /// (sched.c <c>sched_now</c>, which <c>sched_tick</c> keeps equal to it), as if that tick had just been handed in.</summary>
    public ulong TickCount
    {
        get => R64(Addr("tick_count"));
        set { W64(Addr("tick_count"), value); W64(Addr("sched_now"), value); }
    }
    public ulong EpochTicks { get => R64(Addr("epoch_ticks")); set => W64(Addr("epoch_ticks"), value); }

    public byte State(int t) => R8(Tcb(t) + KernelLayout.Tcb.State);
    public void SetState(int t, byte s) => W8(Tcb(t) + KernelLayout.Tcb.State, s);
    public byte Priority(int t) => R8(Tcb(t) + KernelLayout.Tcb.Priority);
    public void SetPriority(int t, byte p)
    {
        W8(Tcb(t) + KernelLayout.Tcb.Priority, p);
        W8(Tcb(t) + KernelLayout.Tcb.BasePriority, p);
    }
    public ulong TcbU64(int t, int field) => R64(Tcb(t) + (ulong)field);
    public void SetTcbU64(int t, int field, ulong v) => W64(Tcb(t) + (ulong)field, v);
    public byte TcbU8(int t, int field) => R8(Tcb(t) + (ulong)field);
    public void SetTcbU8(int t, int field, byte v) => W8(Tcb(t) + (ulong)field, v);
    public ulong ContextX(int t, int n) => R64(Tcb(t) + (ulong)KernelLayout.Frame.X(n));
    public void SetContextX(int t, int n, ulong v) => W64(Tcb(t) + (ulong)KernelLayout.Frame.X(n), v);

    /// <summary>A TrapFrame in scratch RAM (the frame an exception from EL0 would have saved).</summary>
    public ulong Frame(ulong elr = 0, params (int Reg, ulong Value)[] regs)
    {
        ulong f = Scratch;
        Board.Bus.Fill(f, KernelLayout.Frame.Size, 0);
        W64(f + KernelLayout.Frame.Elr, elr);
        foreach (var (r, v) in regs) W64(f + (ulong)KernelLayout.Frame.X(r), v);
        return f;
    }

    public ulong FrameX(int n) => R64(Scratch + (ulong)KernelLayout.Frame.X(n));
    public ulong FrameElr => R64(Scratch + KernelLayout.Frame.Elr);
}
