namespace Aegis.Emulator.Mmu;

/// <summary>
/// The descriptor reads of translation table walks, in order: a ring of the last <see cref="Capacity"/> reads
/// and a running count. A timing model remembers the count it last saw and charges the reads since then
/// (through its caches), so the functional walk pays one store per descriptor and nothing per TLB hit.
/// </summary>
public sealed partial class WalkLog
{
    public const int Capacity = 16;
    private readonly ulong[] _descriptorPa = new ulong[Capacity];
    private readonly ulong[] _va = new ulong[Capacity];

    /// <summary>Descriptor reads since reset; read <c>n</c> is at <see cref="DescriptorPa"/>(n).</summary>
    public ulong Reads { get; private set; }

    internal void Record(ulong descriptorPa, ulong va)
    {
        int slot = (int)(Reads & (Capacity - 1));
        _descriptorPa[slot] = descriptorPa;
        _va[slot] = va;
        Reads++;
    }

    /// <summary>The PA of descriptor read <paramref name="n"/> (valid while Reads - n &lt;= Capacity).</summary>
    public ulong DescriptorPa(ulong n) => _descriptorPa[(int)(n & (Capacity - 1))];

    /// <summary>The VA being translated by descriptor read <paramref name="n"/>.</summary>
    public ulong Va(ulong n) => _va[(int)(n & (Capacity - 1))];
}
