using System.Numerics;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Size, associativity and line length of one cache. Sets = SizeBytes / (Ways × LineBytes). The set count and the
/// line length must be powers of two (the index is a bit field of the physical address); Ways need not be.
/// </summary>
public readonly record struct CacheGeometry
{
    /// <summary>The A53's line length for L1I, L1D and L2 (DDI0500 §2.1.1, §2.1.6, §2.1.7).</summary>
    public const int A53LineBytes = 64;

    public CacheGeometry(string name, int sizeBytes, int ways, int lineBytes = A53LineBytes)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A cache needs a name.", nameof(name));
        if (lineBytes < 4 || !BitOperations.IsPow2(lineBytes))
            throw new ArgumentException($"{name}: line length {lineBytes} is not a power of two of at least 4 bytes.", nameof(lineBytes));
        if (ways < 1) throw new ArgumentException($"{name}: {ways} ways; a cache needs at least one.", nameof(ways));
        if (sizeBytes <= 0)
            throw new ArgumentException($"{name}: size {sizeBytes} bytes is not positive.", nameof(sizeBytes));
        if (sizeBytes % ((long)ways * lineBytes) != 0)
            throw new ArgumentException($"{name}: {sizeBytes} bytes is not a whole number of {ways}-way sets of {lineBytes}-byte lines.", nameof(sizeBytes));
        int sets = (int)(sizeBytes / ((long)ways * lineBytes));
        if (!BitOperations.IsPow2(sets))
            throw new ArgumentException($"{name}: {sizeBytes} bytes / ({ways} ways × {lineBytes} bytes) = {sets} sets, not a power of two.", nameof(ways));
        Name = name;
        SizeBytes = sizeBytes;
        Ways = ways;
        LineBytes = lineBytes;
    }

    public string Name { get; }
    public int SizeBytes { get; }
    public int Ways { get; }
    public int LineBytes { get; }

    public int Sets => SizeBytes / (Ways * LineBytes);

    /// <summary>log2(LineBytes): the physical address bits below the set index.</summary>
    public int LineShift => BitOperations.Log2((uint)LineBytes);

    public override string ToString() => $"{Name} {SizeBytes / 1024} KiB {Ways}-way {LineBytes}-byte lines ({Sets} sets)";
}
