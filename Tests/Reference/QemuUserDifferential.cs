using System.Diagnostics;
using System.Text;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Reference;

/// <summary>
/// The harness of the register-level differential tests against QEMU 7.2 user mode (-cpu cortex-a53): blocks of
/// instructions, each started from its own register values and flags, are laid out in one ELF, run under
/// <c>qemu-aarch64 -singlestep -d cpu,nochain</c> and on Aegis.Emu at the same addresses, and X0-X30, SP and NZCV
/// are compared at the end of every block.
/// </summary>
internal static class QemuUserDifferential
{
    internal const ulong Base = 0x4008_0000;       // in the virt board's RAM, so MMU-off (VA = PA) runs it as is
    private const ulong VectorBase = 0x4000_0000;

    // Fixed encodings of the harness code (llvm-mc-14: "nop", "msr nzcv, x0", "mov sp, x1", "mov x8, #93", ...).
    private const uint Nop = 0xD503_201F, MsrNzcvX0 = 0xD51B_4200, MovSpX1 = 0x9100_003F;
    private const uint LdrX30X30_256 = 0xF940_83DE, MovX8_93 = 0xD280_0BA8, MovX0_0 = 0xD280_0000, Svc0 = 0xD400_0001;

    /// <summary>A writable page-aligned data segment for the store test, in RAM well past the code.</summary>
    internal const ulong WritableBase = 0x4070_0000;

    /// <summary>One block: its instructions and its initial state (pool layout: NZCV, SP, X0..X30).</summary>
    internal sealed record Block(uint[] Code, ulong[] Pool, ulong Marker);

    /// <summary>
    /// Runs one process of blocks on QEMU and on Aegis.Emu and fails at the first block that either does not reach
    /// its end or ends with other registers (<paramref name="what"/> names the step for the message, e.g. "the
    /// load"). Returns QEMU's registers at the end of each block.
    /// </summary>
    internal static QemuRegisters[] RunAndCompare(CapstoneA64 cs, IReadOnlyList<(uint[] Code, ulong[] Pool)> blocks, string what,
        string process = "", byte[]? data = null, byte[]? writable = null)
    {
        var (elf, layout) = Build(blocks, data, writable);
        var qemu = RunQemu(elf, layout.Select(b => b.Marker).ToHashSet(), out string note);
        var aegis = new AegisRun(elf);
        var result = new QemuRegisters[layout.Length];
        for (int b = 0; b < layout.Length; b++)
        {
            var block = layout[b];
            if (!qemu.TryGetValue(block.Marker, out var q))
                Assert.Fail($"{process}QEMU never reached the end of block {b} ({note})\n{Describe(cs, block)}");
            var ours = aegis.RunTo(block.Marker);
            if (ours is null)
                Assert.Fail($"{process}Aegis.Emu did not reach the end of block {b} ({aegis.Where})\n{Describe(cs, block)}");
            string diff = Compare(q!, ours!);
            if (diff.Length > 0)
                Assert.Fail($"{process}block {b}: registers differ after {what}\n{Describe(cs, block)}{diff}\n{Both(q!, ours!)}");
            result[b] = q!;
        }
        return result;
    }

    /// <summary>A random word of <paramref name="row"/>'s encoding (its fixed bits kept, the rest drawn).</summary>
    internal static uint RandomWord(EncodingRow row, Random rng) => row.Value | ((uint)rng.NextInt64(0, 1L << 32) & ~row.Mask);

    /// <summary>A load/store block's pool: random flags, a 16-byte aligned SP and random registers (the planner then seeds the base).</summary>
    internal static ulong[] RandomPool(Random rng)
    {
        var pool = new ulong[33];
        pool[0] = (ulong)rng.Next(16) << 28;
        pool[1] = (ulong)rng.NextInt64() & ~15UL;
        for (int i = 2; i < pool.Length; i++) pool[i] = (ulong)rng.NextInt64();
        return pool;
    }

    /// <summary>
    /// Lays the blocks out: each loads its state from its pool (adr x30; ldp pairs; msr nzcv; mov sp), runs, and
    /// ends on a NOP marker; the program then exits with Linux exit(0). Pools follow all code.
    /// </summary>
    internal static (byte[] Elf, Block[] Layout) Build(IReadOnlyList<(uint[] Code, ulong[] Pool)> blocks, byte[]? data = null, byte[]? writable = null)
    {
        // Optional data first (at Base, so its address is known before the blocks are generated), then the code.
        ulong dataSize = data is null ? 0 : ((ulong)data.Length + 15) & ~15UL;
        ulong codeBase = Base + dataSize;
        var words = new List<uint>();
        var adrAt = new List<int>();
        var markers = new List<ulong>();
        foreach (var (code, _) in blocks)
        {
            adrAt.Add(words.Count);
            words.Add(0);                                        // adr x30, pool (patched below)
            words.Add(Ldp(0, 1, 0));                             // x0 = NZCV, x1 = SP
            words.Add(MsrNzcvX0);
            words.Add(MovSpX1);
            for (int r = 0; r < 30; r += 2) words.Add(Ldp(r, r + 1, 16 + r * 8));
            words.Add(LdrX30X30_256);
            words.AddRange(code);
            markers.Add(codeBase + (ulong)words.Count * 4);
            words.Add(Nop);
        }
        words.AddRange([MovX8_93, MovX0_0, Svc0]);
        ulong poolBase = codeBase + (ulong)words.Count * 4;
        poolBase = (poolBase + 15) & ~15UL;
        var image = new byte[poolBase - Base + (ulong)blocks.Count * 33 * 8];
        data?.CopyTo(image, 0);
        var layout = new Block[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            ulong pool = poolBase + (ulong)b * 33 * 8;
            long offset = (long)pool - (long)(codeBase + (ulong)adrAt[b] * 4);
            if (offset >= 1 << 20) throw new InvalidOperationException("too many blocks for ADR's +-1 MiB range");
            words[adrAt[b]] = 0x1000_0000u | ((uint)offset & 3) << 29 | (((uint)offset >> 2) & 0x7FFFF) << 5 | 30;
            for (int i = 0; i < 33; i++)
                BitConverter.TryWriteBytes(image.AsSpan((int)(pool - Base) + i * 8), blocks[b].Pool[i]);
            layout[b] = new Block(blocks[b].Code, blocks[b].Pool, markers[b]);
        }
        Buffer.BlockCopy(words.ToArray(), 0, image, (int)dataSize, words.Count * 4);
        return (MinimalElf.Executable(Base, codeBase, image, WritableBase, writable ?? []), layout);
    }

    /// <summary>LDP Xt1, Xt2, [X30, #offset] (signed offset, Arm ARM C6.2.130).</summary>
    private static uint Ldp(int t1, int t2, int offset) =>
        0xA940_0000u | (uint)(offset / 8) << 15 | (uint)t2 << 10 | 30u << 5 | (uint)t1;

    internal static Dictionary<ulong, QemuRegisters> RunQemu(byte[] elf, HashSet<ulong> markers, out string note)
    {
        string dir = Directory.CreateTempSubdirectory("aegis-qemu").FullName;
        try
        {
            string elfPath = Path.Combine(dir, "blocks.elf"), log = Path.Combine(dir, "cpu.log");
            File.WriteAllBytes(elfPath, elf);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(elfPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var psi = new ProcessStartInfo(ReferenceTools.Require(ReferenceTools.QemuUser),
                ["-cpu", "cortex-a53", "-singlestep", "-d", "cpu,nochain", "-D", log, elfPath])
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var proc = Process.Start(psi)!;
            string stderr = proc.StandardError.ReadToEnd();
            proc.StandardOutput.ReadToEnd();
            if (!proc.WaitForExit(300_000)) { proc.Kill(true); throw new TimeoutException("qemu-aarch64 timed out"); }
            note = $"qemu-aarch64 exit code {proc.ExitCode}{(stderr.Length > 0 ? ", stderr: " + stderr.Trim() : "")}";
            return QemuCpuLog.DumpsAt(log, markers);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The same ELF on the virt board: EL1, MMU off, so every address is the one QEMU used.</summary>
    internal sealed class AegisRun
    {
        private readonly VirtBoard _board = new();
        public string Where => $"PC 0x{_board.Cpu.PC:X}, EL{_board.Cpu.EL}, ESR_EL1 0x{_board.Cpu.EsrEl[1]:X}, ELR_EL1 0x{_board.Cpu.ElrEl[1]:X}";

        public AegisRun(byte[] elf)
        {
            _board.LoadElf(elf);
            // Vectors on a RAM page of NOPs: an unexpected exception stays observable (and Run(1) returns)
            // instead of nesting instruction aborts at VBAR = 0, which is not memory.
            var nops = new byte[0x800];
            for (int i = 0; i < nops.Length; i += 4) BitConverter.TryWriteBytes(nops.AsSpan(i), Nop);
            _board.Bus.Load(VectorBase, nops);
            _board.Cpu.VbarEl[1] = VectorBase;
            // FP/SIMD enabled (CPACR_EL1.FPEN = 11), as for the Linux process QEMU user mode runs.
            _board.Cpu.Sys.CPACR_EL1 |= 3UL << 20;
        }

        public QemuRegisters? RunTo(ulong marker)
        {
            var cpu = _board.Cpu;
            for (int i = 0; i < 1000 && cpu.PC != marker; i++) cpu.Run(1);
            if (cpu.PC != marker) return null;
            var r = new QemuRegisters { Pc = cpu.PC, Sp = cpu.SP, Pstate = cpu.Nzcv };
            Array.Copy(cpu.X, r.X, 31);
            return r;
        }
    }

    internal static string Compare(QemuRegisters q, QemuRegisters a)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 31; i++)
            if (q.X[i] != a.X[i]) sb.AppendLine($"  X{i}: QEMU 0x{q.X[i]:X16}, Aegis 0x{a.X[i]:X16}");
        if (q.Sp != a.Sp) sb.AppendLine($"  SP: QEMU 0x{q.Sp:X16}, Aegis 0x{a.Sp:X16}");
        if (q.Nzcv != a.Nzcv) sb.AppendLine($"  NZCV: QEMU {q.Nzcv >> 28:X}, Aegis {a.Nzcv >> 28:X}");
        return sb.ToString();
    }

    internal static string Describe(CapstoneA64 cs, Block block)
    {
        var sb = new StringBuilder("block (Capstone):\n");
        ulong pc = block.Marker - (ulong)block.Code.Length * 4;
        foreach (uint w in block.Code)
        {
            sb.AppendLine($"  {pc:X}: {w:X8}  {cs.Disassemble(w)}   [{Decoder.RowOf(w).Name}]");
            pc += 4;
        }
        sb.Append($"initial: NZCV {block.Pool[0] >> 28:X} SP 0x{block.Pool[1]:X}");
        for (int i = 0; i < 31; i++) sb.Append($" X{i}=0x{block.Pool[2 + i]:X}");
        return sb.AppendLine().ToString();
    }

    internal static string Both(QemuRegisters q, QemuRegisters a)
    {
        var sb = new StringBuilder("QEMU :");
        for (int i = 0; i < 31; i++) sb.Append($" X{i}={q.X[i]:X}");
        sb.Append($" SP={q.Sp:X} NZCV={q.Nzcv >> 28:X}\nAegis:");
        for (int i = 0; i < 31; i++) sb.Append($" X{i}={a.X[i]:X}");
        return sb.Append($" SP={a.Sp:X} NZCV={a.Nzcv >> 28:X}").ToString();
    }
}
