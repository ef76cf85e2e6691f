using System.Globalization;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;

namespace Aegis.Tests.Timing;

/// <summary>One kernel's result: what the guest's PMCCNTR_EL0 measured against the silicon figure.</summary>
public sealed record TimingRow(TimingKernel Kernel, double Measured, ulong NetCycles, ulong Ops, double ExpectedInstructionsPerOp, double MeasuredCyclesPerOp)
{
    /// <summary>Signed relative error (measured − silicon) / silicon, in the row's unit.</summary>
    public double Error => (Measured - Kernel.Silicon) / Kernel.Silicon;
    public bool Within(double tolerance) => Math.Abs(Error) <= tolerance;
}

/// <summary>The suite's statistics over its rows. See docs/TIMING-SUITE.md for the definitions.</summary>
public sealed record TimingReport(string Model, IReadOnlyList<TimingRow> Rows)
{
    /// <summary>The acceptance thresholds of the cycle model: ≥ 90 % of rows within ±10 %, geometric mean of |error| ≤ 5 %.</summary>
    public const double RowTolerance = 0.10, RequiredFraction = 0.90, MaxGeoMean = 0.05;
    /// <summary>|error| below this counts as this in the geometric mean (an exact match would make the mean 0).</summary>
    public const double ErrorFloor = 0.001;

    public int WithinCount => Rows.Count(r => r.Within(RowTolerance));
    public double WithinFraction => Rows.Count == 0 ? 0 : (double)WithinCount / Rows.Count;
    public double GeoMeanAbsError => Rows.Count == 0 ? double.NaN : Math.Exp(Rows.Average(r => Math.Log(Math.Max(Math.Abs(r.Error), ErrorFloor))));
    public bool Passes => WithinFraction >= RequiredFraction && GeoMeanAbsError <= MaxGeoMean;
    public IEnumerable<TimingRow> Outside => Rows.Where(r => !r.Within(RowTolerance));

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Pct(double v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
    private static string UnitName(TimingUnit u) => u == TimingUnit.Cycles ? "cycles" : "ops/cycle";

    public string Summary =>
        $"model {Model}: {WithinCount}/{Rows.Count} rows within ±{RowTolerance * 100:0}% ({WithinFraction * 100:0.0}%, need ≥ {RequiredFraction * 100:0}%), " +
        $"geomean |error| {GeoMeanAbsError * 100:0.00}% (need ≤ {MaxGeoMean * 100:0}%): {(Passes ? "PASS" : "FAIL")}";

    /// <summary>A fixed-width table for a console.</summary>
    public string FormatTable()
    {
        var s = new StringBuilder();
        int w = Math.Max(4, Rows.Count == 0 ? 4 : Rows.Max(r => r.Kernel.Name.Length));
        s.AppendLine($"{"name".PadRight(w)}  {"unit",-9}  {"silicon",8}  {"measured",9}  {"error",8}");
        foreach (var r in Rows)
            s.AppendLine($"{r.Kernel.Name.PadRight(w)}  {UnitName(r.Kernel.Unit),-9}  {F(r.Kernel.Silicon),8}  {F(r.Measured),9}  {Pct(r.Error),8}{(r.Within(RowTolerance) ? "" : "  *")}");
        s.AppendLine(Summary);
        return s.ToString();
    }

    /// <summary>The same table in Markdown, with each figure's source, for docs/TIMING.md.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine($"| kernel | unit | silicon | measured ({Model}) | error | source |");
        s.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var r in Rows)
            s.AppendLine($"| {r.Kernel.Name} | {UnitName(r.Kernel.Unit)} | {F(r.Kernel.Silicon)} | {F(r.Measured)} | {Pct(r.Error)} | {r.Kernel.Source.Replace("|", "\\|")} |");
        s.AppendLine();
        s.AppendLine(Summary);
        return s.ToString();
    }
}

/// <summary>
/// Runs the timing kernels on a fresh virt board each, with a given timing model, and compares the
/// cycles the guest measured (PMCCNTR_EL0) with the silicon figures. Plug a model in with
/// <see cref="Run(string, Func{Cpu, ITimingModel}, IEnumerable{TimingKernel}?)"/>.
/// </summary>
public static class TimingSuite
{
    public const ulong CodeBase = 0x4000_0000;
    public const ulong TableBase = 0x4010_0000;   // L0, L1, L2, then 8 L3 tables (16 MiB of 4 KiB pages)
    public const ulong ResultBase = 0x4013_0000;  // [0] warm-up pass, [1] measured pass, [0x20] empty-region calibration, [0x21..0x23] ESR/ELR/FAR of an unexpected exception, [0x24] its flag
    public const ulong MappedBytes = 16UL << 20;
    public const ulong RamBytes = 32UL << 20;
    public const ulong MaxSteps = 50_000_000;

    /// <summary>Runs every kernel (or the given ones), each on a fresh board with a fresh model from <paramref name="model"/>.</summary>
    public static TimingReport Run(string modelName, Func<Cpu, ITimingModel> model, IEnumerable<TimingKernel>? kernels = null) =>
        new(modelName, (kernels ?? TimingKernels.All).Select(k => RunKernel(k, model)).ToList());

    /// <summary>As above with one model instance shared by every kernel (its state carries from kernel to kernel).</summary>
    public static TimingReport Run(string modelName, ITimingModel model, IEnumerable<TimingKernel>? kernels = null) => Run(modelName, _ => model, kernels);

    /// <summary>Runs with a named model of <see cref="TimingModels"/>.</summary>
    public static TimingReport Run(string modelName) => Run(modelName, _ => TimingModels.Create(modelName));

    /// <summary>The complete guest program of a kernel: frame + init + body + subroutine.</summary>
    public static string Program(TimingKernel k) => $$"""
        _start:
            b .Lstart
            .word (.Lbody_end - .Lbody_start) / 4
            .word (.Lsub_end - .Lsub_start) / 4
        .Lstart:
            ldr x26, =0x{{ResultBase:X}}
            adr x0, .Lvectors
            msr vbar_el1, x0
            mov x0, #(3 << 20)
            msr cpacr_el1, x0
            ldr x0, =0xFF00
            msr mair_el1, x0
            ldr x0, =0x200803510
            msr tcr_el1, x0
            ldr x0, =0x{{TableBase:X}}
            msr ttbr0_el1, x0
            isb
            tlbi vmalle1
            dsb nsh
            isb
            mrs x0, sctlr_el1
            ldr x1, =0x1005
            orr x0, x0, x1
            msr sctlr_el1, x0
            isb
            mov x0, #5
            msr pmcr_el0, x0
            mov x0, #0x80000000
            msr pmcntenset_el0, x0
            isb
            mrs x24, pmccntr_el0
            isb
            mrs x25, pmccntr_el0
            sub x25, x25, x24
            str x25, [x26, #0x100]
        .Lpass:
        {{k.Init}}
            ldr x29, ={{k.Iterations}}
            b 1f
            .balign 128
            .skip 120
        1:  isb
            mrs x24, pmccntr_el0
        .Lloop:
        .Lbody_start:
        {{k.Body}}
        .Lbody_end:
            subs x29, x29, #1
            b.ne .Lloop
            isb
            mrs x25, pmccntr_el0
            sub x25, x25, x24
            str x25, [x26], #8
            tst x26, #0x10
            b.eq .Lpass
        .Lexit:
            ldr w0, =0x84000008
            hvc #0
            b .
        .Lfault:
            ldr x26, =0x{{ResultBase:X}}
            mov x25, #1
            str x25, [x26, #0x120]
            mrs x25, esr_el1
            str x25, [x26, #0x108]
            mrs x25, elr_el1
            str x25, [x26, #0x110]
            mrs x25, far_el1
            str x25, [x26, #0x118]
            b .Lexit
            .balign 2048
        .Lvectors:
            .rept 16
            b .Lfault
            .balign 128
            .endr
            .balign 128
        .Lsub_start:
        {{k.Subroutine}}
        .Lsub_end:
            .ltorg
        """;

    private static readonly Dictionary<string, uint[]> Images = [];

    public static uint[] Assemble(TimingKernel k)
    {
        lock (Images)
            if (Images.TryGetValue(k.Name, out var cached)) return cached;
        var words = Llvm.Assemble(Program(k));
        lock (Images) Images[k.Name] = words;
        return words;
    }

    public static TimingRow RunKernel(TimingKernel k, Func<Cpu, ITimingModel> model)
    {
        var words = Assemble(k);
        var board = new VirtBoard(new VirtBoardOptions { RamSize = RamBytes });
        var bytes = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, bytes, 0, bytes.Length);
        if ((ulong)bytes.Length > TableBase - CodeBase) throw new InvalidOperationException($"{k.Name}: image of {bytes.Length} bytes overlaps the page tables");
        board.Bus.Load(CodeBase, bytes);
        WritePageTables(board);
        k.Data?.Invoke(new TimingMemory(board.Bus));
        board.Cpu.Reset(CodeBase);
        board.Cpu.Timing = model(board.Cpu);

        var stop = board.Cpu.Run(MaxSteps);
        ulong Result(int index) => board.Bus.Read(ResultBase + (ulong)index * 8, 8, out ulong v) ? v : throw new InvalidOperationException("result area unreadable");
        if (Result(0x24) != 0)
            throw new InvalidOperationException($"{k.Name}: the guest took an exception: ESR 0x{Result(0x21):X}, ELR 0x{Result(0x22):X}, FAR 0x{Result(0x23):X}");
        if (stop != StopReason.GuestExit)
            throw new InvalidOperationException($"{k.Name}: the guest did not finish ({stop} at PC 0x{board.Cpu.PC:X} after {MaxSteps} steps)");

        if ((board.Cpu.MmuRegs.SCTLR_EL1 & 0x1005) != 0x1005)
            throw new InvalidOperationException($"{k.Name}: the MMU and caches were not on (SCTLR_EL1 0x{board.Cpu.MmuRegs.SCTLR_EL1:X})");
        ulong measured = Result(1), calibration = Result(0x20);
        if (measured <= calibration) throw new InvalidOperationException($"{k.Name}: measured {measured} cycles, not more than the empty region's {calibration}");
        ulong net = measured - calibration;
        ulong ops = (ulong)k.Iterations * (ulong)k.OpsPerIteration;
        double cyclesPerOp = (double)net / ops;
        // Instructions one iteration runs, from the assembled image's header words (the assembler's label arithmetic).
        double perIteration = words[1] + 2 + (double)k.CallsPerIteration * words[2];
        return new TimingRow(k, k.Unit == TimingUnit.Cycles ? cyclesPerOp : 1 / cyclesPerOp, net, ops, perIteration / k.OpsPerIteration, cyclesPerOp);
    }

    /// <summary>Identity map of the first 16 MiB of RAM with 4 KiB pages, Normal write-back cacheable (MAIR index 1), inner shareable.</summary>
    private static void WritePageTables(VirtBoard board)
    {
        void W(ulong pa, ulong v) { if (!board.Bus.Write(pa, 8, v)) throw new InvalidOperationException($"page table write at 0x{pa:X}"); }
        const ulong table = 3, page = 3, af = 1UL << 10, shInner = 3UL << 8, normal = 1UL << 2;
        ulong l0 = TableBase, l1 = TableBase + 0x1000, l2 = TableBase + 0x2000, l3 = TableBase + 0x3000;
        W(l0, l1 | table);
        W(l1 + 8 * 1, l2 | table);                       // 0x4000_0000-0x7FFF_FFFF
        for (ulong t = 0; t < MappedBytes >> 21; t++)
        {
            W(l2 + 8 * t, (l3 + t * 0x1000) | table);
            for (ulong e = 0; e < 512; e++)
            {
                ulong pa = CodeBase + (t << 21) + (e << 12);
                W(l3 + t * 0x1000 + 8 * e, pa | normal | shInner | af | page);
            }
        }
    }
}
