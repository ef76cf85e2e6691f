using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// SBFM, BFM, UBFM (and so ASR/LSL/LSR immediate, SBFX/UBFX, SBFIZ/UBFIZ, BFI/BFXIL, SXT*/UXT*), and EXTR.
/// The bitfield forms follow the pseudocode: wmask is decoded once into <see cref="DecodedInst.Imm"/>;
/// tmask = Ones(d + 1) with d = (S - R) mod datasize, since a bitfield element is the whole register.
/// </summary>
internal static unsafe partial class DataProcessingImmediate
{
    private static bool PrepareBitfield(uint raw, ref DecodedInst i)
    {
        bool sf = (raw >> 31) != 0;
        uint n = (raw >> 22) & 1, immr = (raw >> 16) & 0x3F, imms = (raw >> 10) & 0x3F;
        if (sf != (n != 0)) return false;                        // N must equal sf
        if (!sf && ((immr | imms) & 0x20) != 0) return false;    // 32-bit: immr<5>, imms<5> must be 0
        if (!Arithmetic.DecodeBitMasks(n, imms, immr, false, sf ? 64 : 32, out ulong wmask, out _)) return false;
        i.Imm = wmask;
        return true;
    }

    /// <summary>R, S and tmask of a bitfield instruction.</summary>
    private static void BitfieldOperands(uint raw, bool sf, out int r, out int s, out ulong tmask)
    {
        r = (int)((raw >> 16) & 0x3F);
        s = (int)((raw >> 10) & 0x3F);
        tmask = Arithmetic.Ones(((s - r) & (sf ? 63 : 31)) + 1);
    }

    private static ulong Ror(bool sf, ulong x, int r) => sf ? BitOperations.RotateRight(x, r) : BitOperations.RotateRight((uint)x, r);

    private static void Sbfm(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        BitfieldOperands(i.Raw, sf, out int r, out int s, out ulong tmask);
        ulong src = cpu.Reg(i.Rn, sf);
        ulong bot = Ror(sf, src, r) & i.Imm;
        ulong top = ((src >> s) & 1) != 0 ? ulong.MaxValue : 0; // Replicate(src<S>)
        cpu.SetReg(i.Rd, sf, (top & ~tmask) | (bot & tmask));
    }

    private static void Bfm(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        BitfieldOperands(i.Raw, sf, out int r, out _, out ulong tmask);
        ulong dst = cpu.Xr(i.Rd), src = cpu.Reg(i.Rn, sf);
        ulong bot = (dst & ~i.Imm) | (Ror(sf, src, r) & i.Imm);
        cpu.SetReg(i.Rd, sf, (dst & ~tmask) | (bot & tmask));
    }

    private static void Ubfm(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        BitfieldOperands(i.Raw, sf, out int r, out _, out ulong tmask);
        ulong bot = Ror(sf, cpu.Reg(i.Rn, sf), r) & i.Imm;
        cpu.SetX(i.Rd, bot & tmask);
    }

    /// <summary>EXTR: bits [lsb+31:lsb] of Wn:Wm.</summary>
    private static void Extr32(Cpu cpu, ref DecodedInst i)
    {
        int lsb = (int)((i.Raw >> 10) & 0x1F);
        ulong concat = ((ulong)cpu.Wr(i.Rn) << 32) | cpu.Wr(i.Rm);
        cpu.SetW(i.Rd, (uint)(concat >> lsb));
    }

    /// <summary>EXTR: bits [lsb+63:lsb] of Xn:Xm.</summary>
    private static void Extr64(Cpu cpu, ref DecodedInst i)
    {
        int lsb = (int)((i.Raw >> 10) & 0x3F);
        ulong m = cpu.Xr(i.Rm);
        cpu.SetX(i.Rd, lsb == 0 ? m : (m >> lsb) | (cpu.Xr(i.Rn) << (64 - lsb)));
    }
}
