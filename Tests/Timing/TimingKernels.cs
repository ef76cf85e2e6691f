using System.Text;

namespace Aegis.Tests.Timing;

/// <summary>What a row's figure counts: cycles per operation (latency) or operations per cycle (throughput).</summary>
public enum TimingUnit { Cycles, PerCycle }

/// <summary>
/// One guest kernel of the timing suite and the silicon figure it is judged against. The harness wraps
/// <see cref="Init"/> and <see cref="Body"/> in the common frame (MMU and caches on, PMCCNTR_EL0 enabled,
/// one warm-up pass, one measured pass of <see cref="Iterations"/> loop iterations); see
/// <see cref="TimingSuite.Program"/> and docs/TIMING-SUITE.md.
/// </summary>
public sealed record TimingKernel
{
    public required string Name { get; init; }
    public required string Group { get; init; }
    public required TimingUnit Unit { get; init; }
    /// <summary>The public silicon figure, in <see cref="Unit"/>.</summary>
    public required double Silicon { get; init; }
    /// <summary>Where the figure comes from: the file and the exact source line (and, when the row is derived, how).</summary>
    public required string Source { get; init; }
    /// <summary>Register set-up run before each pass (x0-x23, x27, x28 only: x24-x26 and x29 belong to the frame).</summary>
    public required string Init { get; init; }
    /// <summary>One loop iteration of the measured code (the frame adds <c>subs x29, x29, #1; b.ne</c>).</summary>
    public required string Body { get; init; }
    public required int Iterations { get; init; }
    /// <summary>Measured operations (the figure's unit) per loop iteration.</summary>
    public required int OpsPerIteration { get; init; }
    /// <summary>Code placed out of line at the 128-byte aligned label <c>.Lsub_start</c> (bl/blr targets).</summary>
    public string Subroutine { get; init; } = "";
    /// <summary>How many times one iteration runs <see cref="Subroutine"/> to its end.</summary>
    public int CallsPerIteration { get; init; }
    /// <summary>Guest RAM prepared by the harness before the run (pointer rings, random words).</summary>
    public Action<TimingMemory>? Data { get; init; }
}

/// <summary>The suite's rows. Every figure is Raspberry Pi 3 (Cortex-A53) silicon; see docs/TIMING-SUITE.md.</summary>
public static partial class TimingKernels
{
    public const ulong DataBase = 0x4020_0000;
    public const ulong RingBase = 0x4040_0000;
    private const string Rpi3 = "ocxtal/insn_bench_aarch64 results/raspberry-pi-3_cortex-a53.md";

    // ---- register presets (insn_bench's bench::seed(): x1..x27 = xseed, x28 = xconst) ----------------
    private static string Regs(ulong seed, ulong konst, string extra = "")
    {
        var s = new StringBuilder();
        s.Append($"ldr x0, =0x{seed:X}\n");
        for (int r = 1; r < 24; r++) s.Append($"mov x{r}, x0\n");
        s.Append("mov x27, x0\n");
        s.Append($"ldr x28, =0x{konst:X}\n");
        s.Append(extra);
        return s.ToString();
    }
    private static readonly string Ones = Regs(1, 1);
    private static string Ptr(ulong p) => Regs(p, p);

    // ---- body shapes ---------------------------------------------------------------------------------
    private static string Rep(int n, string block) => $".rept {n}\n{block.TrimEnd('\n')}\n.endr\n";
    private static string Lines(int n, Func<int, string> line)
    {
        var s = new StringBuilder();
        for (int i = 0; i < n; i++) s.Append(line(i)).Append('\n');
        return s.ToString();
    }

    private static string Src(string row, string column) => $"{Rpi3}: `{row}` ({column})";

    /// <summary>insn_bench lat_flat0: 144 copies of one op chained through one register.</summary>
    private static TimingKernel Lat(string name, string group, double silicon, string row, string op, string? init = null, Action<TimingMemory>? data = null, string? note = null) => new()
    {
        Name = name, Group = group, Unit = TimingUnit.Cycles, Silicon = silicon,
        Source = Src(row, "latency") + (note is null ? "" : "; " + note),
        Init = init ?? Ones, Body = Rep(144, op), Iterations = 100, OpsPerIteration = 144, Data = data,
    };

    /// <summary>insn_bench thr pattern (24, 1, 1, 120, p): 120 groups of 24 independent chains.</summary>
    private static TimingKernel Thr(string name, string group, double silicon, string row, Func<int, string> op, string? init = null, Action<TimingMemory>? data = null) => new()
    {
        Name = name, Group = group, Unit = TimingUnit.PerCycle, Silicon = silicon, Source = Src(row, "throughput"),
        Init = init ?? Ones, Body = Rep(120, Lines(24, op)), Iterations = 10, OpsPerIteration = 2880, Data = data,
    };

    /// <summary>insn_bench lat_inc1: 5 groups of 24 ops, op i reads x(i) and writes x(i+1): one 120-long chain.</summary>
    private static TimingKernel LatInc1(string name, string group, double silicon, string row, Func<int, int, string> op, string init, Action<TimingMemory>? data, string? note = null, double? figure = null) => new()
    {
        Name = name, Group = group, Unit = TimingUnit.Cycles, Silicon = figure ?? silicon,
        Source = Src(row, "latency") + (note is null ? "" : "; " + note),
        Init = init, Body = Rep(5, Lines(24, i => op(i, (i + 1) % 24))), Iterations = 100, OpsPerIteration = 120, Data = data,
    };

    /// <summary>insn_bench lat_inc2: 10 groups of 24 ops, op i reads x(2i) and writes x(2i+1), x(2i+2) (mod 24).</summary>
    private static TimingKernel LatInc2(string name, double silicon, string row, Func<int, int, int, string> op, string init, Action<TimingMemory>? data, string? note = null, double? figure = null) => new()
    {
        Name = name, Group = "load", Unit = TimingUnit.Cycles, Silicon = figure ?? silicon,
        Source = Src(row, "latency") + (note is null ? "" : "; " + note),
        Init = init, Body = Rep(10, Lines(24, i => op(2 * i % 24, (2 * i + 1) % 24, (2 * i + 2) % 24))), Iterations = 100, OpsPerIteration = 240, Data = data,
    };

    private static string RandomBranchBlock(Func<int, string> branch)
    {
        var s = new StringBuilder("ldr x17, [x16, #0]!\n");
        for (int y = 0; y < 4; y++)
        {
            for (int n = 0; n < 16; n++) s.Append(branch(n));
            s.Append("lsr x17, x17, #16\n");
        }
        return s.ToString();
    }

    private const double AddLatency = 1.00, AdcLatency = 1.00;
    private const string AddRow = "| add (reg) | 1.00 | 1.99 |", AdcRow = "| adc | 1.00 | 1.99 |";

    public static IReadOnlyList<TimingKernel> All { get; } = Build();

    private static IReadOnlyList<TimingKernel> Build()
    {
        var k = new List<TimingKernel>();
        Action<TimingMemory> self0 = m => m.SelfPointers(DataBase, 0);
        Action<TimingMemory> self1 = m => m.SelfPointers(DataBase, 1);
        Action<TimingMemory> self63 = m => m.SelfPointers(DataBase, 63);

        // ALU
        k.Add(Lat("add (reg) lat", "alu", 1.00, AddRow, "add x0, x0, x0"));
        k.Add(Thr("add (reg) thr", "alu", 1.99, AddRow, i => $"add x{i}, x{i}, x{i}"));
        k.Add(Lat("add (reg<<2) lat", "alu-shifted", 2.01, "| add (reg<<2) | 2.01 | 1.99 |", "add x0, x0, x0, lsl #2"));
        k.Add(Thr("add (reg<<2) thr", "alu-shifted", 1.99, "| add (reg<<2) | 2.01 | 1.99 |", i => $"add x{i}, x{i}, x{i}, lsl #2"));
        k.Add(Lat("and (reg) lat", "alu", 1.00, "| and (reg) | 1.00 | 1.99 |", "and x0, x0, x0"));
        k.Add(Lat("eor (reg<<2) lat", "alu-shifted", 2.01, "| eor (reg<<2) | 2.01 | 1.99 |", "eor x0, x0, x0, lsl #2"));

        // shifts, bitfield, extract, reverse
        k.Add(Lat("lsl (imm) lat", "bitfield", 2.01, "| lsl (imm) | 2.01 | 1.99 |", "lsl x0, x0, #17"));
        k.Add(Thr("lsl (imm) thr", "bitfield", 1.99, "| lsl (imm) | 2.01 | 1.99 |", i => $"lsl x{i}, x{i}, #17"));
        k.Add(Lat("ubfx lat", "bitfield", 2.01, "| ubfx | 2.01 | 1.99 |", "ubfx x0, x0, #2, #17"));
        k.Add(Lat("extr (imm; >>17) lat", "bitfield", 2.01, "| extr (imm; >>17) | 2.01 | 1.99 |", "extr x0, x0, x0, #17"));
        k.Add(Lat("rev (rev64) lat", "bitfield", 2.01, "| rev (rev64) | 2.01 | 1.99 |", "rev x0, x0"));
        k.Add(Lat("rbit lat", "bitfield", 2.01, "| rbit | 2.01 | 1.99 |", "rbit x0, x0"));
        k.Add(Lat("sxtw lat", "bitfield", 2.01, "| sxtw | 2.01 | 1.99 |", "sxtw x0, w0"));

        // variable shifts
        k.Add(Lat("lslv lat", "shift-reg", 1.00, "| lsl (reg) / lslv | 1.00 | 1.00 |", "lsl x0, x0, x0"));
        k.Add(Thr("lslv thr", "shift-reg", 1.00, "| lsl (reg) / lslv | 1.00 | 1.00 |", i => $"lsl x{i}, x{i}, x{i}"));
        k.Add(Lat("rorv lat", "shift-reg", 1.00, "| ror (reg) / rorv | 1.00 | 1.00 |", "ror x0, x0, x0"));
        k.Add(Lat("asrv lat", "shift-reg", 1.00, "| asr (reg) / asrv | 1.00 | 1.00 |", "asr x0, x0, x0"));

        // conditional select / compare
        k.Add(Lat("csinc (eq) lat", "cond", 1.00, "| csinc (eq) | 1.00 | 1.99 |", "csinc x0, x0, x0, eq"));
        k.Add(Thr("csinc (eq) thr", "cond", 1.99, "| csinc (eq) | 1.00 | 1.99 |", i => $"csinc x{i}, x{i}, x{i}, eq"));
        k.Add(Lat("ccmp (reg; eq) -> adc lat", "cond", 1.00 + AdcLatency, "| ccmp (reg; eq) | 1.00 | 1.07 |", "ccmp x0, x0, #2, eq\nadc x0, x0, x0",
            note: $"insn_bench times ccmp followed by adc and subtracts adc's latency; the figure is the pair, 1.00 + adc 1.00 (`{AdcRow}`)"));

        // multiply
        k.Add(Lat("mul lat", "mul", 4.02, "| mul | 4.02 | 0.50 |", "mul x0, x0, x0"));
        k.Add(Thr("mul thr", "mul", 0.50, "| mul | 4.02 | 0.50 |", i => $"mul x{i}, x{i}, x{i}"));
        k.Add(Lat("madd lat", "mul", 5.02, "| madd | 5.02 | 0.33 |", "madd x0, x0, x0, x0"));
        k.Add(Thr("madd thr", "mul", 0.33, "| madd | 5.02 | 0.33 |", i => $"madd x{i}, x{i}, x{i}, x{i}"));
        k.Add(Lat("smull lat", "mul", 3.01, "| smull | 3.01 | 1.00 |", "smull x0, w0, w0"));
        k.Add(Thr("smull thr", "mul", 1.00, "| smull | 3.01 | 1.00 |", i => $"smull x{i}, w{i}, w{i}"));
        k.Add(Lat("smulh lat", "mul", 6.03, "| smulh | 6.03 | 0.25 |", "smulh x0, x0, x0"));
        k.Add(Thr("smulh thr", "mul", 0.25, "| smulh | 6.03 | 0.25 |", i => $"smulh x{i}, x{i}, x{i}"));

        // divide (1 / 1, as insn_bench's registers start at 1)
        k.Add(Lat("udiv lat", "div", 3.01, "| udiv | 3.01 | 0.33 |", "udiv x0, x0, x0"));
        k.Add(Thr("udiv thr", "div", 0.33, "| udiv | 3.01 | 0.33 |", i => $"udiv x{i}, x{i}, x{i}"));
        k.Add(Lat("sdiv lat", "div", 3.01, "| sdiv | 3.01 | 0.33 |", "sdiv x0, x0, x0"));

        // crc
        k.Add(Lat("crc32x lat", "crc", 2.01, "| crc32x | 2.01 | 1.99 |", "crc32x w0, w0, x0"));
        k.Add(Lat("crc32cx lat", "crc", 2.01, "| crc32cx | 2.01 | 1.99 |", "crc32cx w0, w0, x0"));

        // loads
        k.Add(LatInc1("ldr (imm; ofs = 0) lat", "load", 3.02, "| ldr (imm; ofs = 0) | 3.02 | 0.99 |", (s, d) => $"ldr x{d}, [x{s}]", Ptr(DataBase), self0));
        k.Add(Thr("ldr (imm; ofs = 0) thr", "load", 0.99, "| ldr (imm; ofs = 0) | 3.02 | 0.99 |", i => $"ldr x{2 * i % 24}, [x{2 * i % 24}]", Ptr(DataBase), self0) with
        { Source = Src("| ldr (imm; ofs = 0) | 3.02 | 0.99 |", "throughput") + "; pattern thr_skip2 (24, 1, 1, 120, 2)" });
        k.Add(LatInc1("ldrb (imm; ofs = 0) -> add lat", "load", 4.02, "| ldrb (imm; ofs = 0) | 4.02 | 0.50 |",
            (s, d) => $"ldrb w{d}, [x{s}]\nadd x{d}, x{d}, x28", Ptr(DataBase), null,
            note: $"insn_bench chains ldrb through `add d, d, x28` (zeroed memory) and subtracts add's latency; the figure is the pair, 4.02 + add 1.00 (`{AddRow}`)", figure: 4.02 + AddLatency));
        k.Add(LatInc1("ldrsh (imm; ofs = 0) -> add lat", "load", 4.02, "| ldrsh (imm; ofs = 0) | 4.02 | 0.50 |",
            (s, d) => $"ldrsh w{d}, [x{s}]\nadd x{d}, x{d}, x28", Ptr(DataBase), null,
            note: $"the figure is the pair, 4.02 + add 1.00 (`{AddRow}`)", figure: 4.02 + AddLatency));
        k.Add(LatInc1("ldr (imm; ofs = 0; unaligned) lat", "load", 5.02, "| ldr (imm; ofs = 0; unaligned) | 5.02 | 0.50 |", (s, d) => $"ldr x{d}, [x{s}]", Ptr(DataBase + 1), self1));
        k.Add(Thr("ldr (imm; ofs = 0; unaligned) thr", "load", 0.50, "| ldr (imm; ofs = 0; unaligned) | 5.02 | 0.50 |", i => $"ldr x{2 * i % 24}, [x{2 * i % 24}]", Ptr(DataBase + 1), self1));
        k.Add(LatInc1("ldr (imm; ofs = 0; cross-cache) lat", "load", 5.02, "| ldr (imm; ofs = 0; cross-cache) | 5.02 | 0.50 |", (s, d) => $"ldr x{d}, [x{s}]", Ptr(DataBase + 63), self63));
        k.Add(LatInc2("ldp (x; 1st elem) lat", 3.01, "| ldp (x; ofs = 0; 1st elem) | 3.01 | 0.50 |", (s, d0, d1) => $"ldp x{d1}, x{d0}, [x{s}]", Ptr(DataBase), self0));
        k.Add(LatInc2("ldp (x; 2nd elem) lat", 4.02, "| ldp (x; ofs = 0; 2nd elem) | 4.02 | 0.50 |", (s, d0, d1) => $"ldp x{d0}, x{d1}, [x{s}]", Ptr(DataBase), self0));
        k.Add(Thr("ldp (x) thr", "load", 0.50, "| ldp (x; ofs = 0; 1st elem) | 3.01 | 0.50 |", i => { int r = 2 * i % 24; return $"ldp x{r + 1}, x{r}, [x{r}]"; }, Ptr(DataBase), self0));
        k.Add(LatInc2("ldp (w; 1st elem) -> add lat", 4.02, "| ldp (w; ofs = 0; 1st elem) | 4.02 | 0.33 |",
            (s, d0, d1) => $"add x{s}, x{s}, x28\nldp w{d1}, w{d0}, [x{s}]", Regs(0, DataBase), null,
            note: $"insn_bench chains `add s, s, x28; ldp` over zeroed memory and subtracts add's latency; the figure is the pair, 4.02 + add 1.00 (`{AddRow}`)", figure: 4.02 + AddLatency));

        // stores
        k.Add(Thr("str (imm; ofs = 0) thr", "store", 1.00, "| str (imm; ofs = 0) | - | 1.00 |", i => $"str x{i}, [x{i}]", Ptr(DataBase), self0));
        k.Add(Thr("str (imm; ofs = 0; cross-cache) thr", "store", 0.50, "| str (imm; ofs = 0; cross-cache) | - | 0.50 |", i => $"str x{i}, [x{i}]", Ptr(DataBase + 63), self63));

        // store-to-load forwarding
        k.Add(Lat("str -> ldr (same address) lat", "forwarding", 3.01, "| str -> ldr (ofs = 0 -> ofs = 0) | 3.01 | 0.33 |", "str x0, [x28]\nldr x0, [x28]", Ptr(DataBase), self0));
        k.Add(Lat("stur -> ldur (ofs = 1 -> 1) lat", "forwarding", 5.02, "| stur -> ldur (ofs = 1 -> ofs = 1) | 5.02 | 0.20 |", "stur x0, [x28, #1]\nldur x0, [x28, #1]", Ptr(DataBase), self0));

        // branches (insn_bench's branch bench seeds x1..x27 = 0 and x28 = ~0; two branches per op, 144 ops)
        string br = Regs(0, ulong.MaxValue);
        TimingKernel Branch(string name, double silicon, string row, string op, string? init = null, string sub = "", int calls = 0) => new()
        {
            Name = name, Group = "branch", Unit = TimingUnit.Cycles, Silicon = silicon, Source = Src(row, "latency"),
            Init = init ?? br, Body = Rep(288, op), Iterations = 50, OpsPerIteration = 288, Subroutine = sub, CallsPerIteration = calls,
        };
        k.Add(Branch("b (pc+4)", 3.03, "| b (pc+4) | 3.03 | 0.33 |", "b 1f\n1:"));
        k.Add(Branch("cbz (pc+4; taken)", 1.01, "| cbz (pc+4; taken) | 1.01 | 0.99 |", "cbz x27, 1f\n1:"));
        k.Add(Branch("cbnz (pc+4; taken)", 3.03, "| cbnz (pc+4; taken) | 3.03 | 0.33 |", "cbnz x28, 1f\n1:"));
        k.Add(Branch("tbz (pc+4; taken)", 3.03, "| tbz (pc+4; taken) | 3.03 | 0.33 |", "tbz x27, #1, 1f\n1:"));
        k.Add(Branch("tbnz (pc+4; not taken)", 1.01, "| tbnz (pc+4; not taken) | 1.01 | 0.99 |", "tbnz x27, #1, 1f\n1:"));
        k.Add(Branch("bl -> ret", 6.05, "| bl-ret | 6.05 | 0.17 |", "bl .Lsub_start", Ones, "ret", 288));
        k.Add(Branch("blr -> ret", 8.04, "| blr-ret | 8.04 | 0.12 |", "blr x0", Regs(1, 1, "adr x0, .Lsub_start\n"), "ret", 288));
        k.Add(Branch("adr -> br (pc+4)", 4.03, "| adr -> br (pc+4) | 4.03 | 0.25 |", "adr x0, 1f\nbr x0\n1:", Ones));
        string rnd = Regs(0, DataBase);
        Action<TimingMemory> words = m => m.RandomWords(DataBase, 512 * 1024, 42);
        k.Add(new TimingKernel
        {
            Name = "and -> cbz (pc+4; full random)", Group = "branch", Unit = TimingUnit.Cycles, Silicon = 6.27,
            Source = Src("| and -> cbz (pc+4; full random) | 6.27 | 0.16 |", "latency") + "; per branch, including its and, the amortised ldr/lsr and loop overhead, as insn_bench divides",
            Init = rnd, Body = "add x28, x28, #2\nmov x16, x28\n" + Rep(144, RandomBranchBlock(n => $"and x{n}, x17, #0x{1UL << n:X}\ncbz x{n}, 1f\n1:\n")),
            Iterations = 8, OpsPerIteration = 144 * 64, Data = words,
        });
        k.Add(new TimingKernel
        {
            Name = "tbz (pc+4; full random)", Group = "branch", Unit = TimingUnit.Cycles, Silicon = 5.15,
            Source = Src("| tbz (pc+4; full random) | 5.15 | 0.19 |", "latency") + " (the first of the two rows of that name); per branch, including the amortised ldr/lsr and loop overhead",
            Init = rnd, Body = "add x28, x28, #2\nmov x16, x28\n" + Rep(144, RandomBranchBlock(n => $"tbz x17, #{n}, 1f\n1:\n")),
            Iterations = 8, OpsPerIteration = 144 * 64, Data = words,
        });

        // nop / mov
        k.Add(new TimingKernel
        {
            Name = "nop thr", Group = "nop-mov", Unit = TimingUnit.PerCycle, Silicon = 1.99, Source = Src("| nop | - | 1.99 |", "throughput"),
            Init = Ones, Body = Rep(2880, "nop"), Iterations = 10, OpsPerIteration = 2880,
        });
        k.Add(Thr("mov (x -> x) thr", "nop-mov", 1.99, "| mov (x -> x) | 1.00 | 1.99 |", i => $"mov x{i}, x{i}"));

        FpSimd(k);

        // memory hierarchy: random pointer rings over 64-byte lines, 4 KiB pages
        const string mem = "geerlingguy/sbc-reviews issue #98 (tinymembench on a Raspberry Pi CM0 = RP3A0, the RPi 3's BCM2710A1, at 1 GHz), via /work/shared/design/CORTEX-A53-TIMING.md";
        TimingKernel Ring(string name, int bytes, double silicon, string source, int laps) => new()
        {
            Name = name, Group = "memory", Unit = TimingUnit.Cycles, Silicon = silicon, Source = source,
            Init = Regs(TimingMemory.RingStart(RingBase, bytes, 0xA53), 1), Body = Rep(128, "ldr x0, [x0]"),
            Iterations = bytes / 64 * laps / 128, OpsPerIteration = 128, Data = m => m.Ring(RingBase, bytes, 0xA53),
        };
        k.Add(Ring("ring 16 KiB (L1) lat", 16 << 10, 3.02, Src("| ldr (imm; ofs = 0) | 3.02 | 0.99 |", "latency") + ": an L1 hit; 16 KiB ring of 256 lines", 16));
        k.Add(Ring("ring 128 KiB (L2) lat", 128 << 10, 3 + 10.0, mem + ": 128 KiB random read 10.0 ns over L1 at 1 GHz + 3-cycle L1 load-use = 13.0", 4));
        k.Add(Ring("ring 8 MiB (DRAM) lat", 8 << 20, 3 + 176.3, mem + ": 8 MiB random read 176.3 ns over L1 at 1 GHz + 3-cycle L1 load-use = 179.3", 1));
        return k;
    }
}
