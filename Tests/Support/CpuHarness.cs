using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Tests.Support;

/// <summary>
/// A virt board with code placed at <see cref="CodeBase"/> and the CPU reset there (EL1h, MMU off),
/// for instruction tests: set registers, run, read results.
/// </summary>
public sealed class CpuHarness
{
    public const ulong CodeBase = 0x4000_0000;
    /// <summary>A scratch data area that tests may use freely.</summary>
    public const ulong DataBase = 0x4010_0000;

    public VirtBoard Board { get; }
    public Cpu Cpu => Board.Cpu;
    public uint[] Code { get; }

    public CpuHarness(uint[] code, bool el2 = false, VirtBoardOptions? options = null)
    {
        Board = new VirtBoard((options ?? new VirtBoardOptions()) with { El2 = el2 });
        Code = code;
        var bytes = new byte[code.Length * 4];
        Buffer.BlockCopy(code, 0, bytes, 0, bytes.Length);
        Board.Bus.Load(CodeBase, bytes);
        Cpu.Reset(CodeBase);
        Cpu.SP = DataBase + 0x8_0000;
    }

    /// <summary>Assembles with llvm-mc and places the code.</summary>
    public static CpuHarness FromAsm(params string[] lines) => new(Llvm.Assemble(lines));

    /// <summary>Runs until the PC leaves the code (falls off its end) or <paramref name="maxInstructions"/> retire.</summary>
    public CpuHarness Run(ulong maxInstructions = 10_000)
    {
        ulong end = CodeBase + (ulong)Code.Length * 4;
        for (ulong i = 0; i < maxInstructions && Cpu.PC >= CodeBase && Cpu.PC < end; i++)
            Cpu.Run(1);
        return this;
    }

    public ulong X(int n) => Cpu.Xr(n);
    public CpuHarness SetX(int n, ulong value) { Cpu.SetX(n, value); return this; }

    public ulong Read(ulong pa, int size) => Board.Bus.Read(pa, size, out ulong v) ? v : throw new ArgumentException($"0x{pa:X} is not readable");
    public void Write(ulong pa, int size, ulong value) { if (!Board.Bus.Write(pa, size, value)) throw new ArgumentException($"0x{pa:X} is not writable"); }
}
