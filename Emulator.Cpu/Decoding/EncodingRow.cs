namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>
/// Decode-time hook of a row: fills <see cref="DecodedInst.Imm"/> (or checks constraints) and returns
/// false when the encoding is unallocated or reserved, so that decoding goes on to later rows
/// and, failing all, the instruction is UNDEFINED.
/// </summary>
public delegate bool PrepareInst(uint raw, ref DecodedInst inst);

/// <summary>
/// One encoding of the A64 table: a 32-character bit pattern in the style of the Arm ARM's encoding
/// diagrams ('0'/'1' fixed, any other letter a field; '_' and spaces are ignored), the instruction's
/// Arm ARM name, its handler, an optional decode-time hook and its timing class.
/// </summary>
public sealed unsafe class EncodingRow
{
    public string Pattern { get; }
    public string Name { get; }
    public delegate*<Cpu, ref DecodedInst, void> Execute { get; }
    public PrepareInst? Prepare { get; }
    public TimingClass Timing { get; }
    public uint Mask { get; }
    public uint Value { get; }

    public EncodingRow(string pattern, string name, delegate*<Cpu, ref DecodedInst, void> execute,
        TimingClass timing, PrepareInst? prepare = null)
    {
        string bits = pattern.Replace("_", "").Replace(" ", "");
        if (bits.Length != 32) throw new ArgumentException($"{name}: pattern '{pattern}' is not 32 bits");
        uint mask = 0, value = 0;
        foreach (char c in bits)
        {
            mask <<= 1; value <<= 1;
            if (c == '0') mask |= 1;
            else if (c == '1') { mask |= 1; value |= 1; }
        }
        Pattern = pattern; Name = name; Execute = execute; Timing = timing; Prepare = prepare;
        Mask = mask; Value = value;
    }

    public bool Matches(uint raw) => (raw & Mask) == Value;

    public override string ToString() => $"{Name} [{Pattern}]";
}
