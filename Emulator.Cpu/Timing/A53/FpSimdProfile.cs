using System.Collections.Frozen;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// How the Cortex-A53 issues FP and Advanced SIMD instructions, and loads and stores of SIMD&amp;FP registers. The
/// NEON/FP datapath is 64 bits wide: an operation on 64 bits or less (scalar FP, a D-register vector, a narrowing
/// op) takes half of it, so two such ops may issue in one cycle (measured 1.99 per cycle); a 128-bit operation takes
/// all of it (0.99 per cycle), issues from slot 0 only and pairs with no other FP/SIMD op and no load or store.
/// Latencies are the Raspberry Pi 3 measurements (insn_bench_aarch64, results/raspberry-pi-3_cortex-a53.md); the
/// rest, and every estimate, is listed in docs/TIMING-FPSIMD.md with its source.
/// </summary>
internal static class FpSimdProfile
{
    /// <summary>A data-processing instruction of TimingClass.SimdFp (Arm ARM C4.1.6 and C4.1.9).</summary>
    public static IssueProfile Of(in DecodedInst i)
    {
        string name = A64Table.Rows[i.Row].Name;
        string mnemonic = Mnemonic(name);
        bool vector = (i.Raw & (1u << 28)) == 0;           // Advanced SIMD vector and crypto AES; scalar forms have bit 28 set
        bool q = vector && (i.Raw & (1u << 30)) != 0;      // Q: the 128-bit arrangement
        if (Widening.Contains(mnemonic) && vector) q = true; // a 128-bit result from 64-bit sources
        if (Narrowing.Contains(mnemonic)) q = false;       // a 64-bit result, whichever half it goes to
        if (mnemonic.StartsWith("SHA", StringComparison.Ordinal)) q = true;
        if (WholeDatapath.Contains(mnemonic) || (name.EndsWith(", scalar", StringComparison.Ordinal) && ScalarPairwiseFp.Contains(mnemonic)))
            q = true;
        // A transfer of one element to or from a general register is 64 bits at most, whatever Q says (two ins per cycle).
        if (mnemonic is "INS" or "UMOV" or "SMOV" || name == "DUP (general)") q = false;

        byte latency = Latency(mnemonic, name);
        byte occupancy = 1;
        if (q && HalfRate.Contains(mnemonic)) occupancy = 2;
        if (mnemonic is "TBL" or "TBX")
        {
            byte tables = (byte)(((i.Raw >> 13) & 3) + 1);
            occupancy = (byte)(mnemonic == "TBL" ? tables : tables + 1);
            latency = (byte)(occupancy + 1);
        }
        if (mnemonic is "FDIV" or "FSQRT") return Divide(mnemonic, i.Raw, q);

        byte late = Accumulates.TryGetValue(mnemonic, out byte l) ? l : (byte)0;
        bool accumulatorIsRa = mnemonic is "FMADD" or "FMSUB" or "FNMADD" or "FNMSUB";
        return new(q ? IssueUnit.FpSimdQ : IssueUnit.FpSimd, latency, 0, occupancy, false)
            { AccumulatorLate = late, AccumulatorIsRa = accumulatorIsRa };
    }

    /// <summary>
    /// A load or store of SIMD&amp;FP registers (bit 26, V, set): one load/store pipe, 64 bits per cycle for the
    /// structure forms. Silicon's vector-load latencies (insn_bench) include a d-to-x transfer its author flags as an
    /// estimate; the model takes LDR Q's 4 cycles from qsdr-benchmarks and keeps insn_bench's differences.
    /// </summary>
    public static IssueProfile Transfer(in DecodedInst i)
    {
        uint raw = i.Raw;
        bool load = (i.Flags & InstFlags.Load) != 0;
        if (((raw >> 27) & 7) == 0b001) return Structures(raw, load);
        // Register and pair forms: Q is opc<1> (size 00) for single registers, opc 10 for pairs and literals.
        bool pair = (i.Flags & InstFlags.Pair) != 0;
        uint op = (raw >> 27) & 7;
        bool q = op == 0b111 ? (raw >> 30) == 0 && ((raw >> 23) & 1) != 0 : (raw >> 30) == 2;
        if (pair)
        {
            // ldp d: 3 / 4 over 2 cycles (qsdr); ldp q: 0.25 per cycle (insn_bench); stp q: 0.5, stp d: 1.
            if (load) return q ? new(IssueUnit.LoadStore, 5, 6, 4, true) : new(IssueUnit.LoadStore, 3, 4, 2, true);
            return new(IssueUnit.LoadStore, 1, 0, (byte)(q ? 2 : 1), q);
        }
        // ldr d 3, ldr q 4 holding the pipe 2 cycles (qsdr); str q 1.00 per cycle (insn_bench).
        if (load) return q ? new(IssueUnit.LoadStore, 4, 0, 2, false) : new(IssueUnit.LoadStore, 3, 0, 1, false);
        return new(IssueUnit.LoadStore, 1, 0, 1, false);
    }

    /// <summary>LD1-LD4 / ST1-ST4 (Arm ARM C4.1.4: multiple structures with bit 24 clear, single structure with it set).</summary>
    private static IssueProfile Structures(uint raw, bool load)
    {
        bool q = (raw & (1u << 30)) != 0;
        bool single = (raw & (1u << 24)) != 0;
        int occupancy;
        if (single)
        {
            // One element per register (or one replicated): ld1/ld2 1 per cycle, ld3/ld4 0.5; D elements one cycle
            // each (ld2.d 0.5, ld3.d 0.33, ld4.d 0.25); st3/st4 0.5.
            int regs = (int)((((raw >> 13) & 1) << 1 | ((raw >> 21) & 1)) + 1);
            uint opcode = (raw >> 13) & 7;
            bool doubleword = (opcode is 0b100 && ((raw >> 10) & 3) == 1) || (opcode >= 6 && ((raw >> 10) & 3) == 3);
            occupancy = load && doubleword ? regs : regs <= 2 ? 1 : 2;
        }
        else
        {
            uint opcode = (raw >> 12) & 0xF;
            int regs = opcode switch { 0b0000 or 0b0010 => 4, 0b0100 or 0b0110 => 3, 0b1000 or 0b1010 => 2, _ => 1 };
            bool interleaved = opcode is 0b0000 or 0b0100 or 0b1000;            // LD2-LD4 / ST2-ST4
            bool bytesOrHalves = ((raw >> 10) & 3) < 2;
            if (load)
                // ld1 Q: 0.5 / 0.25 / 0.17 / 0.12 per cycle for 1-4 registers; ld3/ld4 of bytes and halfwords one more.
                occupancy = 2 * regs + (interleaved && regs >= 3 && bytesOrHalves ? 1 : 0);
            else
                // st1 Q: 1 per cycle per register; st2 0.5, st3 0.25 (0.33 for D), st4 0.2 (0.25 for D).
                occupancy = !interleaved ? regs : regs switch { 2 => 2, 3 => bytesOrHalves || !q ? 4 : 3, _ => bytesOrHalves || !q ? 5 : 4 };
            if (!q) occupancy = Math.Max(1, (occupancy + 1) / 2); // a D register is half the data
        }
        // A load's first register arrives 2 cycles after its last transfer (ldr q: 2 transfers, 4 cycles).
        return load ? new(IssueUnit.LoadStore, (byte)(occupancy + 2), 0, (byte)occupancy, occupancy > 1)
                    : new(IssueUnit.LoadStore, 1, 0, (byte)occupancy, occupancy > 1);
    }

    /// <summary>
    /// The iterative divide/square-root unit. FSQRT: 12 / 22 cycles, 0.11 / 0.05 per cycle (insn_bench, S / D);
    /// FDIV: 14 / 29 cycles, busy 13 / 28 (GCC cortex-a53.md fdivs / fdivd; no silicon row). A 128-bit FDIV runs
    /// the unit twice (an estimate: no figure is public).
    /// </summary>
    private static IssueProfile Divide(string mnemonic, uint raw, bool q)
    {
        bool vector = (raw & (1u << 28)) == 0;
        bool dbl = vector ? ((raw >> 22) & 1) != 0 : ((raw >> 22) & 3) == 1;
        (byte latency, byte busy) = mnemonic == "FSQRT" ? (dbl ? ((byte)22, (byte)20) : ((byte)12, (byte)9))
                                                         : (dbl ? ((byte)29, (byte)28) : ((byte)14, (byte)13));
        if (q && mnemonic == "FDIV") { latency += busy; busy *= 2; }
        return new(IssueUnit.FpDivide, latency, 0, busy, false);
    }

    /// <summary>The mnemonic of a table row's name: "FCMEQ (register), scalar" → "FCMEQ".</summary>
    private static string Mnemonic(string name)
    {
        int end = name.IndexOfAny([' ', ',']);
        return end < 0 ? name : name[..end];
    }

    private static byte Latency(string mnemonic, string name)
    {
        // FP <-> general register conversions: fcvtas (scl -> reg) 2.99, scvtf (scl; int) 6.05.
        if (name.Contains("(scalar", StringComparison.Ordinal))
        {
            if (mnemonic is "SCVTF" or "UCVTF") return 6;
            if (mnemonic.StartsWith("FCVT", StringComparison.Ordinal) && mnemonic.Length == 6) return 3;
        }
        if (name is "FMOV (scalar, immediate)" or "FMOV (vector, immediate)") return 2; // GCC fconst
        if (name is "FMOV (general)") return 1;                                       // fmov.d v<->x round trip 2.01
        if (name is "DUP (general)") return 3;                                        // dup (elem) 2.51
        return Latencies.TryGetValue(mnemonic, out byte l) ? l : (byte)4;
    }

    private static FrozenDictionary<string, byte> Table(params (byte Latency, string Names)[] groups)
    {
        var d = new Dictionary<string, byte>();
        foreach (var (latency, names) in groups)
            foreach (var n in names.Split(' ', StringSplitOptions.RemoveEmptyEntries)) d.Add(n, latency);
        return d.ToFrozenDictionary();
    }

    private static FrozenSet<string> Set(string names) => names.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet();

    /// <summary>Result latencies (insn_bench, Raspberry Pi 3); a mnemonic not listed takes the FP pipe's 4.</summary>
    private static readonly FrozenDictionary<string, byte> Latencies = Table(
        (1, "AND BIC ORR ORN EOR NOT MOVI/MVNI/ORR/BIC/FMOV FCMP FCMPE FCCMP FCCMPE"),
        (2, "ADD SUB NEG SHADD SHSUB UHADD UHSUB SRHADD URHADD SMAX SMIN UMAX UMIN SMAXP SMINP UMAXP UMINP BIF BIT BSL " +
            "RBIT REV16 REV32 REV64 CLZ CNT SHL SSHL USHL SSHR USHR SLI SRI SHLL SSHLL USHLL SHRN XTN CMEQ CMGE CMGT CMHI " +
            "CMHS CMLE CMLT EXT TRN1 TRN2 ZIP1 ZIP2 UZP1 UZP2 DUP INS FCMEQ FCMGE FCMGT FCMLE FCMLT FACGE FACGT FCSEL"),
        (3, "SQADD UQADD SUQADD USQADD SQSUB UQSUB SQNEG ABS CLS SADDL SSUBL UADDL USUBL SADDW SSUBW UADDW USUBW ADDHN " +
            "SUBHN SADDLP UADDLP SADDLV UADDLV ADDP ADDV SABD UABD SABDL UABDL CMTST SRSHL URSHL SRSHR URSHR SSRA USRA " +
            "RSHRN PMUL PMULL UMOV SMOV"),
        (4, "SQABS SQXTN UQXTN SQXTUN SQSHL UQSHL SQSHLU UQRSHL SQRSHL SQSHRN UQSHRN SQSHRUN SQRSHRN UQRSHRN SQRSHRUN " +
            "SMAXV SMINV UMAXV UMINV MUL MLA MLS SMULL UMULL SMLAL SMLSL UMLAL UMLSL SQDMULL SQDMULH SQRDMULH SQDMLAL " +
            "SQDMLSL SABA UABA SABAL UABAL SADALP UADALP RADDHN RSUBHN SRSRA URSRA URECPE URSQRTE"),
        (8, "FMADD FMSUB FNMADD FNMSUB FMLA FMLS FRECPS FRSQRTS"),
        // Crypto: the Raspberry Pi 3's BCM2837 has no crypto extension, and no A53 figure is public: estimates.
        (3, "AESE AESD AESMC AESIMC SHA1H SHA1SU1 SHA256SU0"),
        (6, "SHA1C SHA1P SHA1M SHA1SU0 SHA256H SHA256H2 SHA256SU1"));

    /// <summary>Cycles an accumulator operand is read after issue: mla chained by its accumulator 1.03 (of 4), fmla 4.02 (of 8), saba 2.02 (of 4).</summary>
    private static readonly FrozenDictionary<string, byte> Accumulates = Table(
        (3, "MLA MLS SMLAL SMLSL UMLAL UMLSL"),
        (2, "SABA UABA SABAL UABAL"),
        (4, "FMLA FMLS FMADD FMSUB FNMADD FNMSUB"));

    /// <summary>128-bit forms measured at 0.50 per cycle.</summary>
    private static readonly FrozenSet<string> HalfRate = Set("SABA UABA SABAL UABAL SADALP UADALP RADDHN RSUBHN SRSRA URSRA");

    /// <summary>128-bit results from 64-bit sources (measured 0.99 per cycle for either half).</summary>
    private static readonly FrozenSet<string> Widening = Set(
        "SADDL SSUBL UADDL USUBL SADDW SSUBW UADDW USUBW SABAL UABAL SABDL UABDL SMLAL SMLSL UMLAL UMLSL SMULL UMULL " +
        "SQDMLAL SQDMLSL SQDMULL PMULL SHLL SSHLL USHLL ADDHN SUBHN RADDHN RSUBHN");

    /// <summary>64-bit results, the "2" forms included (xtn2, shrn2, sqxtn2: 1.99 per cycle).</summary>
    private static readonly FrozenSet<string> Narrowing = Set("XTN SQXTN UQXTN SQXTUN SHRN RSHRN SQSHRN UQSHRN SQRSHRN UQRSHRN SQSHRUN SQRSHRUN");

    /// <summary>Scalar or 64-bit forms that still issue one per cycle (0.99): flag-setting compares, FCSEL, FCVTL/FCVTN.</summary>
    private static readonly FrozenSet<string> WholeDatapath = Set("FCMP FCMPE FCCMP FCCMPE FCSEL FCVTL FCVTN FCVTXN");

    /// <summary>fmaxp/fminp/fmaxnmp/fminnmp (scalar): 0.99 per cycle.</summary>
    private static readonly FrozenSet<string> ScalarPairwiseFp = Set("FMAXP FMINP FMAXNMP FMINNMP");
}
