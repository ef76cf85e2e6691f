namespace Aegis.Tests.Timing;

/// <summary>The FP and Advanced SIMD rows: the same insn_bench shapes over V registers (docs/TIMING-FPSIMD.md).</summary>
public static partial class TimingKernels
{
    /// <summary>v0-v23 = 1.0 in every lane (insn_bench seeds its vector registers alike); x registers as <see cref="Ones"/>.</summary>
    private static readonly string FpOnes = Regs(1, 1, string.Concat(Enumerable.Range(0, 24).Select(r => $"fmov v{r}.4s, #1.0\n")));

    private static string FpPtr(ulong p) => Regs(p, p, string.Concat(Enumerable.Range(0, 24).Select(r => $"fmov v{r}.4s, #1.0\n")));

    private static void FpSimd(List<TimingKernel> k)
    {
        TimingKernel L(string name, string group, double silicon, string row, string op, string? note = null) =>
            Lat(name, group, silicon, row, op, FpOnes, note: note);
        TimingKernel T(string name, string group, double silicon, string row, Func<int, string> op, string? init = null) =>
            Thr(name, group, silicon, row, op, init ?? FpOnes);

        // scalar FP: 64 bits, two per cycle
        const string fadd = "| fadd.s (scl) | 4.02 | 1.99 |", faddv = "| fadd.s (vec) | 4.02 | 0.99 |";
        k.Add(L("fadd.s (scl) lat", "fp", 4.02, fadd, "fadd s0, s0, s0"));
        k.Add(T("fadd.s (scl) thr", "fp", 1.99, fadd, i => $"fadd s{i}, s{i}, s{i}"));
        k.Add(L("fadd.s (vec) lat", "fp", 4.02, faddv, "fadd v0.4s, v0.4s, v0.4s"));
        k.Add(T("fadd.s (vec) thr", "fp", 0.99, faddv, i => $"fadd v{i}.4s, v{i}.4s, v{i}.4s"));
        k.Add(L("fmul.d (scl) lat", "fp", 4.02, "| fmul.d (scl) | 4.02 | 1.99 |", "fmul d0, d0, d0"));
        k.Add(T("fmul.d (vec) thr", "fp", 1.00, "| fmul.d (vec) | 4.02 | 1.00 |", i => $"fmul v{i}.2d, v{i}.2d, v{i}.2d"));
        k.Add(L("fmax.s (scl) lat", "fp", 4.02, "| fmax.s (scl) | 4.02 | 1.99 |", "fmax s0, s0, s0"));
        k.Add(L("frintn.d (scl) lat", "fp", 4.02, "| frintn.d (scl) | 4.02 | 1.99 |", "frintn d0, d0"));
        k.Add(L("fcmeq.s (vec) lat", "fp", 2.01, "| fcmeq.s (vec) | 2.01 | 0.99 |", "fcmeq v0.4s, v0.4s, v0.4s"));
        k.Add(L("scvtf.s (vec; int) lat", "fp", 4.02, "| scvtf.s (vec; int) | 4.02 | 0.99 |", "scvtf v0.4s, v0.4s"));

        // multiply-accumulate: 8 through the multiplicands, 4 through the accumulator
        k.Add(L("fmadd.s lat", "fp-mac", 8.04, "| fmadd.s | 8.04 | 1.99 |", "fmadd s0, s0, s0, s0"));
        k.Add(T("fmadd.s thr", "fp-mac", 1.99, "| fmadd.s | 8.04 | 1.99 |", i => $"fmadd s{i}, s{i}, s{i}, s{i}"));
        k.Add(L("fmadd.s (acc. fwd.) lat", "fp-mac", 4.02, "| fmadd.s (acc. fwd.) | 4.02 | - |", "fmadd s0, s1, s1, s0"));
        k.Add(L("fmla.s (vec) lat", "fp-mac", 8.04, "| fmla.s (vec) | 8.04 | 0.99 |", "fmla v0.4s, v0.4s, v0.4s"));
        k.Add(L("fmla.s (vec; acc. fwd.) lat", "fp-mac", 4.02, "| fmla.s (vec; acc. fwd.) | 4.02 | - |", "fmla v0.4s, v1.4s, v1.4s"));

        // divide unit
        k.Add(L("fsqrt.s (scl) lat", "fp-div", 12.05, "| fsqrt.s (scl) | 12.05 | 0.11 |", "fsqrt s0, s0"));
        k.Add(T("fsqrt.s (scl) thr", "fp-div", 0.11, "| fsqrt.s (scl) | 12.05 | 0.11 |", i => $"fsqrt s{i}, s{i}"));
        k.Add(L("fsqrt.d (scl) lat", "fp-div", 22.10, "| fsqrt.d (scl) | 22.10 | 0.05 |", "fsqrt d0, d0"));

        // integer vector (.b = 16 bytes: 128-bit, one per cycle)
        k.Add(L("add.b lat", "simd", 2.01, "| add.b | 2.01 | 0.99 |", "add v0.16b, v0.16b, v0.16b"));
        k.Add(T("add.b thr", "simd", 0.99, "| add.b | 2.01 | 0.99 |", i => $"add v{i}.16b, v{i}.16b, v{i}.16b"));
        k.Add(L("and.b lat", "simd", 1.01, "| and.b | 1.01 | 0.99 |", "and v0.16b, v0.16b, v0.16b"));
        k.Add(L("sqadd.b lat", "simd", 3.01, "| sqadd.b | 3.01 | 0.99 |", "sqadd v0.16b, v0.16b, v0.16b"));
        k.Add(L("cmtst.b (reg) lat", "simd", 3.01, "| cmtst.b (reg) | 3.01 | 0.99 |", "cmtst v0.16b, v0.16b, v0.16b"));
        k.Add(L("ext.b (>>1) lat", "simd", 2.01, "| ext.b (>>1) | 2.01 | 0.99 |", "ext v0.16b, v0.16b, v0.16b, #1"));
        k.Add(L("addv.b lat", "simd", 3.01, "| addv.b | 3.01 | 0.99 |", "addv b0, v0.16b"));
        k.Add(L("sqxtn.h (vec) lat", "simd", 4.02, "| sqxtn.h (vec) | 4.02 | 1.99 |", "sqxtn v0.8b, v0.8h"));
        k.Add(T("xtn.s thr", "simd", 1.99, "| xtn.s | 2.01 | 1.99 |", i => $"xtn v{i}.4h, v{i}.4s"));
        k.Add(T("saba.b thr", "simd", 0.50, "| saba.b | 4.02 | 0.50 |", i => $"saba v{i}.16b, v{i}.16b, v{i}.16b"));
        k.Add(L("tbl (len == 1) lat", "simd", 2.01, "| tbl (len == 1) | 2.01 | 0.99 |", "tbl v0.16b, {v1.16b}, v0.16b"));

        // integer vector multiply
        k.Add(L("mul.s (vec) lat", "simd-mul", 4.02, "| mul.s (vec) | 4.02 | 0.99 |", "mul v0.4s, v0.4s, v0.4s"));
        k.Add(T("mul.s (vec) thr", "simd-mul", 0.99, "| mul.s (vec) | 4.02 | 0.99 |", i => $"mul v{i}.4s, v{i}.4s, v{i}.4s"));
        k.Add(L("mla.s (vec; acc. fwd.) lat", "simd-mul", 1.03, "| mla.s (vec; acc. fwd.) | 1.03 | - |", "mla v0.4s, v1.4s, v1.4s"));
        k.Add(L("smull.h (vec) lat", "simd-mul", 4.02, "| smull.h (vec) | 4.02 | 0.99 |", "smull v0.4s, v0.4h, v0.4h"));

        // SIMD&FP loads and stores: throughput (their latencies need a vector-to-address transfer insn_bench estimates)
        string p = FpPtr(DataBase);
        Action<TimingMemory> self0 = m => m.SelfPointers(DataBase, 0);
        k.Add(T("ldr.q (imm; ofs = 0) thr", "simd-load", 0.50, "| ldr.q (imm; ofs = 0) | 7.05 | 0.50 |", i => $"ldr q{i}, [x{i}]", p) with { Data = self0 });
        k.Add(T("ldp.q thr", "simd-load", 0.25, "| ldp.q (ofs = 0; 1st elem) | 8.05 | 0.25 |", i => $"ldp q{i}, q{(i + 1) % 24}, [x{i}]", p) with { Data = self0 });
        k.Add(T("ld1.b (multi; 2 reg) thr", "simd-load", 0.25, "| ld1.b (multi; 2 reg) | 9.06 | 0.25 |", i => $"ld1 {{v{i}.16b, v{i + 1}.16b}}, [x{i}]", p) with { Data = self0 });
        k.Add(T("ld1.s (single; [3]) thr", "simd-load", 0.99, "| ld1.s (single; [3]) | 6.05 | 0.99 |", i => $"ld1 {{v{i}.s}}[3], [x{i}]", p) with { Data = self0 });
        k.Add(T("str.q (imm; ofs = 0) thr", "simd-store", 1.00, "| str.q (imm; ofs = 0) | - | 1.00 |", i => $"str q{i}, [x{i}]", p) with { Data = self0 });
        k.Add(T("stp.q thr", "simd-store", 0.50, "| stp.q (ofs = 0) | - | 0.50 |", i => $"stp q{i}, q{(i + 1) % 24}, [x{i}]", p) with { Data = self0 });
        k.Add(T("st2.b (multi) thr", "simd-store", 0.50, "| st2.b (multi) | - | 0.50 |", i => $"st2 {{v{i}.16b, v{i + 1}.16b}}, [x{i}]", p) with { Data = self0 });
    }
}
