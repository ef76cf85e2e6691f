namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>
/// One pre-decoded instruction, cached per physical page. The register fields sit where almost
/// every A64 encoding keeps them (Rd/Rt [4:0], Rn [9:5], Rm [20:16], Ra/Rt2 [14:10]); handlers read
/// anything else from <see cref="Raw"/>, and rows may precompute an immediate into <see cref="Imm"/>.
/// </summary>
public unsafe struct DecodedInst
{
    /// <summary>The handler; null means "not decoded yet".</summary>
    public delegate*<Cpu, ref DecodedInst, void> Execute;
    public ulong Imm;
    public uint Raw;
    /// <summary>Index of the matching row in <see cref="A64Table.Rows"/> (for names, timing, tracing).</summary>
    public ushort Row;
    public byte Rd, Rn, Rm, Ra;
    public TimingClass Timing;
    /// <summary>Static descriptors for timing models (<see cref="StaticOperands"/>): register ids read and written, and kind.</summary>
    public byte Src0, Src1, Src2, Src3, Dst0, Dst1, Dst2;
    public InstFlags Flags;
    /// <summary>The timing model's own cache of what it derived from this instruction (0: nothing yet); never read by execution.</summary>
    public byte ModelTag;

    public readonly byte Rt => Rd;
    public readonly byte Rt2 => Ra;
    /// <summary>The sf / size-is-64 bit of most data-processing encodings (bit 31).</summary>
    public readonly bool Sf => (Raw & 0x8000_0000u) != 0;
}
