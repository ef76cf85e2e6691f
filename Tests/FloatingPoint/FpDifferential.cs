using Aegis.Emulator.Devices;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.FloatingPoint;

/// <summary>What the FP differential tests share: the harness instructions and the run on both sides.</summary>
internal static class FpDifferential
{
    // Harness encodings (llvm-mc-14 -mattr=+fp-armv8): fmov dD, xN; fmov vD.d[1], xN; fmov xD, dN; fmov xD, vN.d[1];
    // msr fpcr, xT; msr fpsr, xT; mrs xT, fpsr; mrs xT, nzcv.
    internal static uint FmovDX(int d, int n) => 0x9E67_0000u | (uint)n << 5 | (uint)d;
    internal static uint FmovVUpperX(int d, int n) => 0x9EAF_0000u | (uint)n << 5 | (uint)d;
    internal static uint FmovXD(int d, int n) => 0x9E66_0000u | (uint)n << 5 | (uint)d;
    internal static uint FmovXVUpper(int d, int n) => 0x9EAE_0000u | (uint)n << 5 | (uint)d;
    internal static uint MsrFpcr(int t) => 0xD51B_4400u | (uint)t;
    internal static uint MsrFpsr(int t) => 0xD51B_4420u | (uint)t;
    internal static uint MrsFpsr(int t) => 0xD53B_4420u | (uint)t;
    internal static uint MrsNzcv(int t) => 0xD53B_4200u | (uint)t;

    /// <summary>
    /// The harness's RunAndCompare, with CPACR_EL1.FPEN = 11 on Aegis.Emu (QEMU user mode runs EL0 with FP enabled;
    /// the harness board starts at EL1 with FP/SIMD trapped, as after reset).
    /// </summary>
    internal static void RunAndCompare(CapstoneA64 cs, IReadOnlyList<(uint[] Code, ulong[] Pool)> blocks, string process)
    {
        var (elf, layout) = QemuUserDifferential.Build(blocks);
        var qemu = QemuUserDifferential.RunQemu(elf, layout.Select(b => b.Marker).ToHashSet(), out string note);
        var board = new VirtBoard();
        board.LoadElf(elf);
        var nops = new byte[0x800];
        for (int i = 0; i < nops.Length; i += 4) BitConverter.TryWriteBytes(nops.AsSpan(i), 0xD503_201Fu);
        board.Bus.Load(0x4000_0000, nops);
        board.Cpu.VbarEl[1] = 0x4000_0000;
        board.Cpu.Sys.CPACR_EL1 = 3UL << 20;
        var cpu = board.Cpu;
        for (int b = 0; b < layout.Length; b++)
        {
            var block = layout[b];
            if (!qemu.TryGetValue(block.Marker, out var q))
                Assert.Fail($"{process}QEMU never reached the end of block {b} ({note})\n{QemuUserDifferential.Describe(cs, block)}");
            for (int i = 0; i < 1000 && cpu.PC != block.Marker; i++) cpu.Run(1);
            if (cpu.PC != block.Marker)
                Assert.Fail($"{process}Aegis.Emu did not reach the end of block {b} (PC 0x{cpu.PC:X}, ESR_EL1 0x{cpu.EsrEl[1]:X})\n{QemuUserDifferential.Describe(cs, block)}");
            var ours = new QemuRegisters { Pc = cpu.PC, Sp = cpu.SP, Pstate = cpu.Nzcv };
            Array.Copy(cpu.X, ours.X, 31);
            string diff = QemuUserDifferential.Compare(q!, ours);
            if (diff.Length > 0)
                Assert.Fail($"{process}block {b}: registers differ\n{QemuUserDifferential.Describe(cs, block)}{diff}\n{QemuUserDifferential.Both(q!, ours)}");
        }
    }

}
