using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>The functional unit an instruction needs in the cycle it issues (GCC cortex-a53.md reservations).</summary>
public enum IssueUnit : byte
{
    /// <summary>Either integer ALU; two may issue per cycle.</summary>
    Alu,
    /// <summary>The one shifter for shift-by-register forms (LSLV, LSRV, ASRV, RORV).</summary>
    ShiftByRegister,
    /// <summary>The multiply-accumulate pipe: one multiply per cycle.</summary>
    Multiply,
    /// <summary>The iterative divider: slot 0 only, busy until the result.</summary>
    Divide,
    /// <summary>The one load/store pipe (shared address generation).</summary>
    LoadStore,
    /// <summary>The branch unit: one branch per cycle.</summary>
    Branch,
    /// <summary>FP/SIMD on 64 bits or less: half the 64-bit datapath, so two may issue in one cycle.</summary>
    FpSimd,
    /// <summary>Barriers, system-register moves, exception generation, maintenance: issue alone after everything older.</summary>
    Serialising,
    /// <summary>FP/SIMD on 128 bits (or one that holds the whole datapath): slot 0 only, beside no FP/SIMD op, load or store.</summary>
    FpSimdQ,
    /// <summary>The iterative FP divide/square-root unit (slot 0 only), busy until its result.</summary>
    FpDivide,
}

/// <summary>
/// How one instruction issues on the Cortex-A53: its unit, result latency (cycles from issue until a dependent
/// instruction may issue), the latency of a second result (LDP's second register), how many cycles it holds
/// its unit, and whether it may share its cycle with another instruction. Figures and sources: docs/TIMING.md and
/// docs/TIMING-FPSIMD.md.
/// </summary>
public readonly record struct IssueProfile(IssueUnit Unit, byte Latency, byte Latency2, byte Occupancy, bool SingleIssue)
{
    /// <summary>
    /// Bit u set: this instruction may issue in slot 1 beside an older instruction of unit u (<see cref="CanPair"/>
    /// for that older instruction), decided once so the per-instruction test is one shift.
    /// </summary>
    public ushort Slot1After { get; } = Slot1Mask(Unit, SingleIssue);

    /// <summary>The resource whose busy time gates issue: the two FP/SIMD units share the one datapath.</summary>
    public IssueUnit Pipe { get; } = Unit == IssueUnit.FpSimd ? IssueUnit.FpSimdQ : Unit;

    /// <summary>Two of its unit may issue per cycle (the ALUs, 64-bit FP/SIMD): it holds its pipe only past a one-cycle op.</summary>
    public bool Shared { get; } = Unit is IssueUnit.Alu or IssueUnit.FpSimd;

    /// <summary>
    /// Cycles after issue at which the accumulator operand is read (0: with the others), so a chain through the
    /// accumulator alone runs faster than the result latency (mla 1, fmla 4 cycles).
    /// </summary>
    public byte AccumulatorLate { get; init; }

    /// <summary>The accumulator is Ra (FMADD and its kin); otherwise Rd (the vector multiply-accumulates).</summary>
    public bool AccumulatorIsRa { get; init; }

    private static ushort Slot1Mask(IssueUnit unit, bool singleIssue)
    {
        if (singleIssue || unit is IssueUnit.Divide or IssueUnit.FpSimdQ or IssueUnit.FpDivide or IssueUnit.Serialising) return 0;
        const int serialising = 1 << (int)IssueUnit.Serialising, q = 1 << (int)IssueUnit.FpSimdQ;
        const int all = (1 << 16) - 1;
        return (ushort)(unit switch
        {
            IssueUnit.Alu => all & ~serialising,
            // 64-bit FP/SIMD pairs with another (fadd.s 1.99 per cycle) and with loads (fadd.2s beside ldr d), not beside a 128-bit op.
            IssueUnit.FpSimd => all & ~serialising & ~q,
            // No load or store beside a 128-bit FP/SIMD op (qsdr-benchmarks).
            IssueUnit.LoadStore => all & ~serialising & ~q & ~(1 << (int)unit),
            _ => all & ~serialising & ~(1 << (int)unit),
        });
    }

    /// <summary>
    /// The profile of a decoded instruction, from its timing class and static flags. Latencies are the Raspberry Pi 3
    /// measurements (insn_bench_aarch64, results/raspberry-pi-3_cortex-a53.md); occupancies are the reciprocal of
    /// the measured throughput of one unit; pairing follows GCC's cortex-a53.md.
    /// </summary>
    public static IssueProfile Of(in DecodedInst i)
    {
        bool x = (i.Flags & InstFlags.Is64) != 0;
        switch (i.Timing)
        {
            case TimingClass.Alu: return new(IssueUnit.Alu, 1, 0, 1, false);
            case TimingClass.AluShifted:
            case TimingClass.Bitfield: return new(IssueUnit.Alu, 2, 0, 1, false);   // add (reg<<2), ubfx, extr, rev, rbit: 2.01
            case TimingClass.Crc: return new(IssueUnit.Alu, 2, 0, 1, false);        // crc32x: 2.01, 1.99 per cycle
            case TimingClass.Shift: return new(IssueUnit.ShiftByRegister, 1, 0, 1, false); // lslv: 1.00, 1.00 per cycle
            case TimingClass.Multiply:
                // Long multiplies (SMULL/UMULL: op31 != 000) 3 and one per cycle; 64-bit MUL 4, one per 2 cycles;
                // 32-bit MUL 3 (GCC cortex-a53.md, no silicon row).
                if (((i.Raw >> 21) & 7) != 0) return new(IssueUnit.Multiply, 3, 0, 1, false);
                return x ? new(IssueUnit.Multiply, 4, 0, 2, false) : new(IssueUnit.Multiply, 3, 0, 1, false);
            case TimingClass.MultiplyAccumulate:
                if (((i.Raw >> 21) & 7) != 0) return new(IssueUnit.Multiply, 3, 0, 1, false); // smaddl: 3.01, 1.00
                return x ? new(IssueUnit.Multiply, 5, 0, 3, false) : new(IssueUnit.Multiply, 3, 0, 1, false); // madd: 5.02, 0.33
            case TimingClass.MultiplyHigh: return new(IssueUnit.Multiply, 6, 0, 4, false); // smulh: 6.03, 0.25
            case TimingClass.Divide: return new(IssueUnit.Divide, DivideBase, 0, DivideBase, false); // data-dependent: see A53Pipeline
            case TimingClass.Load or TimingClass.LoadPair or TimingClass.Store or TimingClass.StorePair when (i.Raw & SimdAndFp) != 0:
                return FpSimdProfile.Transfer(in i);
            case TimingClass.Load:
            case TimingClass.Exclusive when (i.Flags & InstFlags.Load) != 0:
                // ldr 3.02 (1.00/cycle); ldrb/ldrh/ldrs* 4.02
                return new(IssueUnit.LoadStore, (byte)((i.Flags & InstFlags.NarrowOrSigned) != 0 ? 4 : 3), 0, 1, false);
            case TimingClass.LoadPair:
                // ldp x: 3.01 / 4.02, 0.50 per cycle, single issue (GCC); ldp w and ldpsw: 4.02 / 4.02, 0.33
                return x ? new(IssueUnit.LoadStore, 3, 4, 2, true) : new(IssueUnit.LoadStore, 4, 4, 3, true);
            case TimingClass.Store:
            case TimingClass.Exclusive: return new(IssueUnit.LoadStore, 1, 0, 1, false);       // str: 1.00 per cycle
            case TimingClass.StorePair: return new(IssueUnit.LoadStore, 1, 0, 1, x);          // stp: 1.00 per cycle; X pairs single issue
            case TimingClass.Branch:
            case TimingClass.BranchIndirect: return new(IssueUnit.Branch, 1, 0, 1, false);
            case TimingClass.Hint: return new(IssueUnit.Alu, 1, 0, 1, false);                 // nop: 1.99 per cycle
            case TimingClass.SimdFp: return FpSimdProfile.Of(in i);
            default: return new(IssueUnit.Serialising, 1, 0, 1, true);                        // System, Barrier, Exception, CacheMaintenance
        }
    }

    private static IssueProfile[] _interned = [];
    private static readonly Lock InternLock = new();

    /// <summary>
    /// <see cref="Of"/>, remembered in <see cref="DecodedInst.ModelTag"/> (an index into a table of the few distinct
    /// profiles), so the classification runs once per decoded instruction, not once per execution. The lookup is
    /// inlined into the model's per-instruction path; the first classification of an instruction is out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly IssueProfile Cached(ref DecodedInst i)
    {
        var table = _interned;
        // tag - 1 as uint is below table.Length exactly when 0 < tag <= Length: one compare, and the JIT drops the
        // array's own bounds check for an index it has just compared against the length.
        uint k = (uint)i.ModelTag - 1;
        if (k < (uint)table.Length) return ref table[k];
        return ref Intern(ref i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ref readonly IssueProfile Intern(ref DecodedInst i)
    {
        var p = Of(in i);
        lock (InternLock)
        {
            int k = Array.IndexOf(_interned, p);
            if (k < 0)
            {
                _interned = [.. _interned, p];
                k = _interned.Length - 1;
            }
            i.ModelTag = (byte)(k + 1);
            return ref _interned[k];
        }
    }

    /// <summary>Bit 26 of a load/store encoding, V: the transfer is of SIMD&amp;FP registers (Arm ARM C4.1.4).</summary>
    private const uint SimdAndFp = 1u << 26;

    /// <summary>sdiv/udiv with 1/1 operands: 3.01 cycles, 0.33 per cycle (not pipelined).</summary>
    public const byte DivideBase = 3;

    /// <summary>
    /// Whether <paramref name="younger"/> may issue in slot 1 beside <paramref name="older"/> in slot 0 (GCC cortex-a53.md):
    /// one load/store, one multiply, one branch and one shift-by-register per cycle; divide, FP divide and 128-bit
    /// FP/SIMD only in slot 0; single-issue and serialising instructions alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CanPair(in IssueProfile older, in IssueProfile younger) =>
        !older.SingleIssue && ((younger.Slot1After >> (int)older.Unit) & 1) != 0;
}
