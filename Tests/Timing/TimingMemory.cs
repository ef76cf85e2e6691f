using Aegis.Emulator.Mmu;

namespace Aegis.Tests.Timing;

/// <summary>
/// Prepares a kernel's data in guest RAM before the run. Every pattern is deterministic: the random
/// ones come from SplitMix64 with a fixed seed, so every run of every model sees the same bytes.
/// </summary>
public sealed class TimingMemory(PhysicalBus bus)
{
    private void Load(ulong pa, byte[] bytes)
    {
        if (!bus.Load(pa, bytes)) throw new ArgumentException($"0x{pa:X}+0x{bytes.Length:X} is not RAM");
    }

    /// <summary>insn_bench's memmgr(mem_init(p), offset): two 4 KiB pages whose 8-byte words, starting at
    /// <paramref name="offset"/>, all hold the address base + offset (a load chain that stays in place).</summary>
    public void SelfPointers(ulong @base, int offset)
    {
        var b = new byte[8192 + 64];
        ulong p = @base + (ulong)offset;
        for (int i = offset; i + 8 <= 8192 + offset; i += 8) BitConverter.TryWriteBytes(b.AsSpan(i), p);
        Load(@base, b);
    }

    /// <summary>insn_bench's memmgr(mem_init(g->rnd()), 0, 128 pages): random 64-bit words (SplitMix64 here, mt19937_64 there).</summary>
    public void RandomWords(ulong @base, int bytes, ulong seed)
    {
        var b = new byte[bytes];
        var rng = new SplitMix64(seed);
        for (int i = 0; i + 8 <= bytes; i += 8) BitConverter.TryWriteBytes(b.AsSpan(i), rng.Next());
        Load(@base, b);
    }

    /// <summary>A random cyclic pointer ring over the 64-byte lines of <paramref name="bytes"/> at <paramref name="base"/>:
    /// each line's first word holds the address of the next line in a random order that visits every line once.</summary>
    public void Ring(ulong @base, int bytes, ulong seed)
    {
        var order = RingOrder(bytes, seed);
        var b = new byte[bytes];
        for (int k = 0; k < order.Length; k++)
        {
            ulong next = @base + (ulong)order[(k + 1) % order.Length] * 64;
            BitConverter.TryWriteBytes(b.AsSpan(order[k] * 64), next);
        }
        Load(@base, b);
    }

    /// <summary>The line the ring starts at (the chase's first pointer).</summary>
    public static ulong RingStart(ulong @base, int bytes, ulong seed) => @base + (ulong)RingOrder(bytes, seed)[0] * 64;

    private static int[] RingOrder(int bytes, ulong seed)
    {
        int n = bytes / 64;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var rng = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) // Fisher-Yates
        {
            int j = (int)(rng.Next() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            ulong z = state += 0x9E37_79B9_7F4A_7C15;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            return z ^ (z >> 31);
        }
    }
}
