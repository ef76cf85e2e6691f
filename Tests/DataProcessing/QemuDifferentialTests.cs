using System.Diagnostics;
using System.Text;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// Differential check against QEMU (qemu-aarch64 -cpu cortex-a53, user mode): every data-processing
/// form (except ADR/ADRP, whose PC differs between the two runs) with random shift amounts,
/// immediates, conditions and operand values, seeded so that the run is reproducible. The QEMU side
/// is one static program that loads X0–X3 and NZCV, executes the instruction and stores X0 and NZCV
/// for each case; the emulator runs the same instruction word with the same inputs.
/// </summary>
public class QemuDifferentialTests
{
    private const int InputsPerInstruction = 8;

    private static readonly string[] Conds = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"];

    /// <summary>A valid logical immediate built from its definition: a rotated run of ones in an element, replicated.</summary>
    private static ulong LogicalImmediate(Random rng, int width)
    {
        int e = 2 << rng.Next(width == 64 ? 6 : 5);
        int ones = 1 + rng.Next(e - 1), rot = rng.Next(e);
        ulong elem = (1UL << ones) - 1;
        ulong emask = e == 64 ? ulong.MaxValue : (1UL << e) - 1;
        if (rot != 0) elem = ((elem >> rot) | (elem << (e - rot))) & emask;
        ulong v = 0;
        for (int k = 0; k < 64; k += e) v |= elem << k;
        return width == 64 ? v : (uint)v;
    }

    private static List<string> Instructions(Random rng)
    {
        var list = new List<string>();
        foreach (bool x in new[] { false, true })
        {
            string r = x ? "x" : "w", d = r + "0", n = r + "1", m = r + "2", a = r + "3";
            int width = x ? 64 : 32;
            foreach (var op in new[] { "add", "adds", "sub", "subs" })
            {
                list.Add($"{op} {d}, {n}, #{rng.Next(4096)}");
                list.Add($"{op} {d}, {n}, #{rng.Next(4096)}, lsl #12");
                foreach (var sh in new[] { "lsl", "lsr", "asr" }) list.Add($"{op} {d}, {n}, {m}, {sh} #{rng.Next(width)}");
                list.Add($"{op} {d}, {n}, {m}");
                foreach (var ext in new[] { "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx" })
                    list.Add($"{op} {d}, {n}, {(x && ext.EndsWith('x') ? "x2" : "w2")}, {ext} #{rng.Next(5)}");
            }
            foreach (var op in new[] { "and", "orr", "eor", "ands" })
                for (int k = 0; k < 3; k++) list.Add($"{op} {d}, {n}, #0x{LogicalImmediate(rng, width):x}");
            foreach (var op in new[] { "and", "bic", "orr", "orn", "eor", "eon", "ands", "bics" })
                foreach (var sh in new[] { "lsl", "lsr", "asr", "ror" }) list.Add($"{op} {d}, {n}, {m}, {sh} #{rng.Next(width)}");
            foreach (var op in new[] { "movn", "movz", "movk" })
                for (int k = 0; k < 2; k++) list.Add($"{op} {d}, #{rng.Next(65536)}, lsl #{16 * rng.Next(width / 16)}");
            foreach (var op in new[] { "sbfm", "bfm", "ubfm" })
            {
                for (int k = 0; k < 4; k++) list.Add($"{op} {d}, {n}, #{rng.Next(width)}, #{rng.Next(width)}");
                list.Add($"{op} {d}, {n}, #0, #{width - 1}");
                list.Add($"{op} {d}, {n}, #{width - 1}, #0");
            }
            list.Add($"extr {d}, {n}, {m}, #0");
            list.Add($"extr {d}, {n}, {m}, #{width - 1}");
            list.Add($"extr {d}, {n}, {m}, #{rng.Next(width)}");
            foreach (var op in new[] { "adc", "adcs", "sbc", "sbcs" }) list.Add($"{op} {d}, {n}, {m}");
            foreach (var op in new[] { "ccmn", "ccmp" })
            {
                list.Add($"{op} {n}, {m}, #{rng.Next(16)}, {Conds[rng.Next(16)]}");
                list.Add($"{op} {n}, #{rng.Next(32)}, #{rng.Next(16)}, {Conds[rng.Next(16)]}");
            }
            foreach (var op in new[] { "csel", "csinc", "csinv", "csneg" })
                for (int k = 0; k < 3; k++) list.Add($"{op} {d}, {n}, {m}, {Conds[rng.Next(16)]}");
            foreach (var op in new[] { "rbit", "rev16", "rev", "clz", "cls" }) list.Add($"{op} {d}, {n}");
            if (x) list.Add("rev32 x0, x1");
            foreach (var op in new[] { "udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv" }) list.Add($"{op} {d}, {n}, {m}");
            foreach (var op in new[] { "madd", "msub" }) list.Add($"{op} {d}, {n}, {m}, {a}");
        }
        foreach (var op in new[] { "crc32b", "crc32h", "crc32w", "crc32cb", "crc32ch", "crc32cw" }) list.Add($"{op} w0, w1, w2");
        list.Add("crc32x w0, w1, x2");
        list.Add("crc32cx w0, w1, x2");
        foreach (var op in new[] { "smaddl", "smsubl", "umaddl", "umsubl" }) list.Add($"{op} x0, w1, w2, x3");
        // Register 31 as the zero register in the forms that do not take SP.
        list.AddRange(["adds x0, xzr, x2, lsl #3", "sub w0, wzr, w2, asr #7", "orr x0, xzr, x2", "ands w0, wzr, #0xff", "csinc x0, xzr, xzr, ne",
            "madd x0, x1, x2, xzr", "msub w0, w1, w2, wzr", "umaddl x0, w1, w2, xzr", "sbfm x0, xzr, #3, #9", "bfm w0, wzr, #4, #2",
            "extr x0, xzr, x2, #17", "ccmp xzr, x2, #3, ne", "adc x0, xzr, xzr", "lslv x0, x1, xzr", "udiv w0, w1, wzr", "crc32cx w0, wzr, xzr"]);
        // SP forms: SP is loaded from X3 before the instruction, and a written SP is copied to X0 after it.
        foreach (var sp in new[] { "sp", "wsp" })
        {
            string r = sp == "sp" ? "x" : "w";
            int width = sp == "sp" ? 64 : 32;
            list.AddRange([$"add {sp}, {sp}, #{rng.Next(4096)}", $"sub {sp}, {sp}, #{rng.Next(4096)}, lsl #12", $"add {r}0, {sp}, #{rng.Next(4096)}",
                $"adds {r}0, {sp}, #{rng.Next(4096)}", $"subs {r}0, {sp}, #{rng.Next(4096)}, lsl #12", $"cmp {sp}, #{rng.Next(4096)}",
                $"and {sp}, {r}1, #0x{LogicalImmediate(rng, width):x}", $"orr {sp}, {r}1, #0x{LogicalImmediate(rng, width):x}",
                $"eor {sp}, {r}1, #0x{LogicalImmediate(rng, width):x}", $"mov {sp}, {r}1", $"mov {r}0, {sp}"]);
            foreach (var ext in new[] { "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx" })
            {
                string m = sp == "sp" && ext.EndsWith('x') ? "x2" : "w2";
                list.AddRange([$"add {sp}, {sp}, {m}, {ext} #{rng.Next(5)}", $"sub {r}0, {sp}, {m}, {ext} #{rng.Next(5)}",
                    $"adds {r}0, {sp}, {m}, {ext} #{rng.Next(5)}", $"cmp {sp}, {m}, {ext} #{rng.Next(5)}"]);
            }
        }
        list.Add("smulh x0, x1, x2");
        list.Add("umulh x0, x1, x2");
        return list;
    }

    private static readonly ulong[] Edges =
    [
        0, 1, 2, 31, 32, 63, 64, ulong.MaxValue, ulong.MaxValue - 1, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
        0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF,
    ];

    private static ulong Operand(Random rng) => rng.Next(4) switch
    {
        0 => Edges[rng.Next(Edges.Length)],
        1 => (ulong)rng.Next(-300, 300),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
    };

    [Test]
    public void RandomOperandsMatchQemuUserMode()
    {
        string qemu = ReferenceTools.Require(ReferenceTools.QemuUser);
        ReferenceTools.Require(ReferenceTools.Lld);
        var rng = new Random(20261124);
        var insts = Instructions(rng);
        uint[] words = Llvm.Assemble(insts.ToArray());
        Assert.That(words, Has.Length.EqualTo(insts.Count));

        int cases = insts.Count * InputsPerInstruction;
        var inputs = new ulong[cases, 5];
        for (int c = 0; c < cases; c++)
        {
            for (int k = 0; k < 4; k++) inputs[c, k] = Operand(rng);
            inputs[c, 4] = (ulong)rng.Next(16) << 28;
        }

        // QEMU: one program running every case in turn, then write(1, outputs) and exit(0).
        var src = new StringBuilder(".text\n.globl _start\n_start:\n mov x21, sp\n ldr x19, =inputs\n ldr x20, =outputs\n");
        for (int c = 0; c < cases; c++)
        {
            int i = c / InputsPerInstruction;
            src.Append(" ldp x0, x1, [x19], #16\n ldp x2, x3, [x19], #16\n ldr x4, [x19], #8\n")
               .Append(UsesSp(insts[i]) ? " mov sp, x3\n" : "")
               .Append(" msr nzcv, x4\n .inst 0x").Append(words[i].ToString("x8"))
               .Append("\n mrs x4, nzcv\n").Append(WritesSp(insts[i]) ? " mov x0, sp\n" : "").Append(" stp x0, x4, [x20], #16\n");
        }
        src.Append(" mov sp, x21\n mov x0, #1\n ldr x1, =outputs\n ldr x2, =").Append(cases * 16)
           .Append("\n mov x8, #64\n svc #0\n mov x0, #0\n mov x8, #93\n svc #0\n .ltorg\n.data\n.balign 8\ninputs:\n");
        for (int c = 0; c < cases; c++)
            src.Append(" .quad ").Append(string.Join(", ", Enumerable.Range(0, 5).Select(k => $"0x{inputs[c, k]:x}"))).Append('\n');
        src.Append(".bss\n.balign 8\noutputs:\n .space ").Append(cases * 16).Append('\n');

        string dir = Directory.CreateTempSubdirectory("aegis-dp-qemu").FullName;
        byte[] qemuOut;
        try
        {
            File.WriteAllText(Path.Combine(dir, "t.s"), src.ToString());
            ReferenceTools.Run(ReferenceTools.LlvmMc, $"-triple=aarch64 -mattr=+crc -filetype=obj -o {dir}/t.o {dir}/t.s");
            ReferenceTools.Run(ReferenceTools.Lld, $"-static -e _start -o {dir}/t.elf {dir}/t.o");
            qemuOut = RunForBytes(qemu, $"-cpu cortex-a53 {dir}/t.elf");
        }
        finally { Directory.Delete(dir, true); }
        Assert.That(qemuOut, Has.Length.EqualTo(cases * 16), "QEMU wrote every case's result");

        // The emulator: the same words, one case at a time.
        var h = new CpuHarness(words);
        var mismatches = new List<string>();
        for (int c = 0; c < cases; c++)
        {
            int i = c / InputsPerInstruction;
            h.Cpu.Reset(CpuHarness.CodeBase + (ulong)i * 4);
            for (int k = 0; k < 4; k++) h.Cpu.SetX(k, inputs[c, k]);
            if (UsesSp(insts[i])) h.Cpu.SP = inputs[c, 3];
            h.Cpu.Nzcv = (uint)inputs[c, 4];
            h.Cpu.Run(1);
            if (WritesSp(insts[i])) h.Cpu.SetX(0, h.Cpu.SP);
            ulong qx0 = BitConverter.ToUInt64(qemuOut, c * 16), qnzcv = BitConverter.ToUInt64(qemuOut, c * 16 + 8);
            if (h.Cpu.Xr(0) != qx0 || h.Cpu.Nzcv != qnzcv)
                mismatches.Add($"{insts[i]} [0x{words[i]:X8}] x0..x3 = {inputs[c, 0]:X}, {inputs[c, 1]:X}, {inputs[c, 2]:X}, {inputs[c, 3]:X} nzcv {inputs[c, 4] >> 28:X}: " +
                               $"QEMU x0 = {qx0:X} nzcv {qnzcv >> 28:X}; emulator x0 = {h.Cpu.Xr(0):X} nzcv {h.Cpu.Nzcv >> 28:X} (pc 0x{h.Cpu.PC:X})");
        }
        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {cases} cases differ:\n" + string.Join("\n", mismatches.Take(30)));
        TestContext.Out.WriteLine($"{insts.Count} instructions x {InputsPerInstruction} inputs = {cases} cases agree with QEMU");
    }

    private static bool UsesSp(string asm) => asm.Contains("sp");

    /// <summary>SP is the first operand: its value afterwards is compared too (for CMP/CMN that checks SP is left alone).</summary>
    private static bool WritesSp(string asm) => asm.Split(' ', 2)[1].Split(',')[0] is "sp" or "wsp";

    private static byte[] RunForBytes(string tool, string arguments)
    {
        var psi = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        using var ms = new MemoryStream();
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.BaseStream.CopyTo(ms);
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"{tool} timed out"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {arguments} failed ({p.ExitCode}): {err.Result}");
        return ms.ToArray();
    }
}
