namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The pseudo-random victim source: a 16-bit Galois LFSR with taps 0xB400 (x^16 + x^14 + x^13 + x^11 + 1, maximal
/// length 65535), seeded with <see cref="DefaultSeed"/>. Arm does not publish the A53's generator, so any maximal
/// LFSR is as faithful as another; a fixed one keeps runs reproducible (System.Random is not).
/// Step: shift right one bit; if the bit shifted out was 1, XOR the taps in.
/// </summary>
public struct VictimLfsr
{
    /// <summary>The seed every cache starts from (the usual textbook example seed; any non-zero value works).</summary>
    public const ushort DefaultSeed = 0xACE1;

    /// <summary>The feedback taps of the Galois form.</summary>
    public const ushort Taps = 0xB400;

    /// <summary>Starts from <see cref="DefaultSeed"/>.</summary>
    public VictimLfsr() : this(DefaultSeed) { }

    public VictimLfsr(ushort seed)
    {
        if (seed == 0) throw new ArgumentException("An LFSR seed of 0 never leaves 0.", nameof(seed));
        State = seed;
    }

    /// <summary>The current 16-bit state (0 only in default(VictimLfsr), which behaves as <see cref="DefaultSeed"/>).</summary>
    public ushort State { get; private set; }

    /// <summary>Advances one step and returns the new state.</summary>
    public ushort Next()
    {
        uint s = State == 0 ? DefaultSeed : State;   // default(VictimLfsr) starts from the default seed too
        uint lsb = s & 1;
        s >>= 1;
        if (lsb != 0) s ^= Taps;
        State = (ushort)s;
        return State;
    }

    /// <summary>Advances one step and maps the new state onto a way: state modulo <paramref name="ways"/>.</summary>
    public int NextWay(int ways) => (int)((uint)Next() % (uint)ways);
}
