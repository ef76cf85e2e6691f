using System.Runtime.CompilerServices;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// One Cortex-A53 core (Armv8.0-A, AArch64 at EL0–EL2): architectural state and its accessors.
/// The run loop is in Cpu.Run.cs, exception entry and return in Exceptions/, memory access in Memory/.
/// </summary>
public sealed unsafe partial class Cpu
{
    public PhysicalBus Bus { get; }
    public Mmu.Mmu Mmu { get; }
    public MmuRegisters MmuRegs => Mmu.Regs;

    /// <summary>X0–X30; index 31 is never written (reads as XZR through <see cref="Xr"/>).</summary>
    public readonly ulong[] X = new ulong[32];
    /// <summary>The stack pointer selected by PSTATE.EL and PSTATE.SP; the others live in <see cref="SpEl"/>.</summary>
    public ulong SP;
    public ulong PC;
    /// <summary>Where execution continues after the current instruction; handlers that branch set it.</summary>
    public ulong NextPc;

    /// <summary>PSTATE.{N,Z,C,V} in bits [31:28], as in NZCV and SPSR.</summary>
    public uint Nzcv;
    /// <summary>PSTATE.{D,A,I,F} in bits [9:6], as in DAIF and SPSR.</summary>
    public uint Daif;
    /// <summary>PSTATE.EL.</summary>
    public int EL { get; private set; }
    /// <summary>PSTATE.SP: true selects SP_ELx, false SP_EL0.</summary>
    public bool SpSel { get; private set; }
    /// <summary>PSTATE.IL: set by an illegal exception return; the next instruction is an Illegal Execution State exception.</summary>
    public bool IllegalState;

    /// <summary>Banked stack pointers SP_EL0..SP_EL2 (the current one is in <see cref="SP"/>).</summary>
    public readonly ulong[] SpEl = new ulong[3];
    public readonly ulong[] ElrEl = new ulong[3];
    public readonly ulong[] SpsrEl = new ulong[3];
    public readonly ulong[] EsrEl = new ulong[3];
    public readonly ulong[] FarEl = new ulong[3];
    public readonly ulong[] VbarEl = new ulong[3];

    /// <summary>EL2 is implemented (the board was started with --el2, as QEMU's virtualization=on).</summary>
    public bool HasEl2 { get; }

    /// <summary>The clock's frequency: one <see cref="Cycles"/> tick is one nanosecond of guest time. The only
    /// definition of it: the generic timer, semihosting's clocks and the command line's seconds derive from it.</summary>
    public const ulong ClockHz = 1_000_000_000;

    /// <summary>
    /// The machine's one clock, owned by <see cref="Timing"/>: only what the model returns moves it. The generic
    /// timer's counter, the PMU and every device event derive from it. Tests may warp it with <see cref="WarpClock"/>.
    /// </summary>
    public ulong Cycles { get; private set; }
    public ulong Retired;
    public IFirmware? Firmware { get; set; }
    public EventQueue Events { get; } = new();

    /// <summary>Interrupt request lines driven by the interrupt controller.</summary>
    public bool IrqLine, FiqLine;

    /// <summary>The generic timer's outputs: (INTID of the PPI, level). The board wires them to the GIC.</summary>
    public Action<int, bool> TimerOutput { get; set; } = (_, _) => { };

    public ExclusiveMonitor Exclusive { get; } = new();

    public Cpu(PhysicalBus bus, bool hasEl2)
    {
        Bus = bus;
        Mmu = new Mmu.Mmu(bus);
        HasEl2 = hasEl2;
        PerfEvents = new PerformanceEvents(this);
        SelectFastPages();
        bus.CodePageWritten = OnCodePageWritten;
        bus.FetchInvalidated = InvalidateFetch;
        bus.ProgramCounter = () => PC;
        _decodedPages = new Decoding.DecodedInst[]?[bus.RamSize >> PhysicalBus.PageShift];
        SystemRegisterReset();
    }

    /// <summary>Reset as QEMU's -kernel for an ELF: EL1h (EL2h with EL2), DAIF masked, registers zero.</summary>
    public void Reset(ulong entry)
    {
        Array.Clear(X);
        Array.Clear(Vreg);
        Array.Clear(SpEl);
        SP = 0;
        Nzcv = 0;
        Daif = 0xFu << 6;
        int el = HasEl2 ? 2 : 1;
        if (el != EL) AccountElChange(EL);
        EL = el;
        SelectFastPages();
        SpSel = true;
        IllegalState = false;
        SoftwareStepState = false;
        PC = entry;
        InvalidateFetch();
    }

    /// <summary>Sets the clock outside any model (tests and snapshots only; a running guest never does).</summary>
    public void WarpClock(ulong cycles) => Cycles = cycles;

    // ---- register access (Arm ARM X[], SP[]) --------------------------------------------------

    /// <summary>X[n] with n == 31 reading as the zero register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Xr(int n) => n == 31 ? 0 : X[n];

    /// <summary>W[n]: the low 32 bits, n == 31 reading as WZR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Wr(int n) => n == 31 ? 0 : (uint)X[n];

    /// <summary>X[n] with n == 31 meaning SP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong XSp(int n) => n == 31 ? SP : X[n];

    /// <summary>Writes X[n]; a write to register 31 (XZR) is discarded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetX(int n, ulong value) { if (n != 31) X[n] = value; }

    /// <summary>Writes W[n], zero-extending into X[n].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetW(int n, uint value) { if (n != 31) X[n] = value; }

    /// <summary>Writes X[n] with n == 31 meaning SP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetXSp(int n, ulong value) { if (n == 31) SP = value; else X[n] = value; }

    /// <summary>Reads a register of the operand size: 64-bit when <paramref name="sf"/>, else the zero-extended W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reg(int n, bool sf) => sf ? Xr(n) : Wr(n);

    /// <summary>Writes a result of the operand size: a 32-bit result zero-extends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetReg(int n, bool sf, ulong value) { if (n != 31) X[n] = sf ? value : (uint)value; }

    /// <summary>The banked SP_ELn, wherever it currently lives.</summary>
    public ulong GetSpEl(int el) => (SpSel ? EL : 0) == el ? SP : SpEl[el];

    public void SetSpEl(int el, ulong value)
    {
        if ((SpSel ? EL : 0) == el) SP = value; else SpEl[el] = value;
    }

    /// <summary>Changes PSTATE.EL and PSTATE.SP, banking the stack pointer (and closing the per-EL cycle and instruction totals).</summary>
    public void SetExceptionLevel(int el, bool spSel)
    {
        SpEl[SpSel ? EL : 0] = SP;
        if (el != EL)
        {
            if ((el == 2) != (EL == 2)) InvalidateFetch(); // EL2's translation regime, or EL1&0's
            else RefetchPc();
            AccountElChange(EL);
        }
        EL = el;
        SelectFastPages();
        SpSel = spSel;
        SP = SpEl[spSel ? el : 0];
    }

    // ---- PSTATE ---------------------------------------------------------------------------------

    public bool N => (Nzcv & 0x8000_0000u) != 0;
    public bool Z => (Nzcv & 0x4000_0000u) != 0;
    public bool C => (Nzcv & 0x2000_0000u) != 0;
    public bool V => (Nzcv & 0x1000_0000u) != 0;

    /// <summary>The SPSR image of PSTATE (Arm ARM C5.2.18): NZCV, SS, IL, DAIF, M[3:0] = EL:SP.</summary>
    public ulong PstateToSpsr() =>
        Nzcv | (SoftwareStepState ? 1u << 21 : 0) | (IllegalState ? 1u << 20 : 0) | Daif | (uint)(EL << 2) | (SpSel ? 1u : 0);
}
