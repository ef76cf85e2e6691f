using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Translated blocks shared by every <see cref="Cpu"/> of the process, by what they were made from: the timing model's
/// type, the MMU-off costs the block predicts (<see cref="A53Model.PredictsFlat"/>), the first instruction's address and
/// the instruction words. A block's code is a function of exactly these
/// (Cpu, page and model are its arguments at run time), so a board booted again, a test campaign's thousand boards or
/// a benchmark's iterations compile each block once. RyuJIT takes about a millisecond per block; running one is
/// nanoseconds. Bounded: past <see cref="MaxInstructions"/> guest instructions it is emptied (the blocks a Cpu holds stay
/// valid and are collected with it).
/// </summary>
internal static class TranslationCache
{
    public const long MaxInstructions = 1L << 20;

    private static readonly Dictionary<BlockKey, TranslatedBlock> Blocks = new();
    private static long _instructions;

    /// <summary>The block made from these instructions, translated now if no Cpu made it before; a new block is compiled
    /// on the <see cref="BackgroundCompiler"/>'s thread when <paramref name="background"/> says so.</summary>
    public static TranslatedBlock GetOrTranslate(DecodedInst[] page, int first, int length, ulong pc, ITimingModel model, FlatCosts? flat,
        bool background)
    {
        var words = new uint[length];
        for (int n = 0; n < length; n++) words[n] = page[first + n].Raw;
        var key = new BlockKey(model.GetType(), flat, pc, words);
        lock (Blocks)
            if (Blocks.TryGetValue(key, out var found)) return found;
        var block = BlockTranslator.Translate(page, first, length, pc, model, flat);
        lock (Blocks)
        {
            if (_instructions + length > MaxInstructions) { Blocks.Clear(); _instructions = 0; }
            if (Blocks.TryAdd(key, block)) _instructions += length;
        }
        if (background) block.CompileInBackground();
        return block;
    }

    private sealed class BlockKey(Type model, FlatCosts? flat, ulong pc, uint[] words) : IEquatable<BlockKey>
    {
        private readonly int _hash = HashCode.Combine(model, flat, pc, words.Length, Hash(words));

        public bool Equals(BlockKey? other) =>
            other is not null && other._hash == _hash && other.Pc == Pc && other.Model == Model && Equals(other.Flat, Flat)
            && other.Words.AsSpan().SequenceEqual(Words);
        public override bool Equals(object? obj) => Equals(obj as BlockKey);
        public override int GetHashCode() => _hash;

        private Type Model { get; } = model;
        private FlatCosts? Flat { get; } = flat;
        private ulong Pc { get; } = pc;
        private uint[] Words { get; } = words;

        private static int Hash(uint[] words)
        {
            var h = new HashCode();
            foreach (uint w in words) h.Add(w);
            return h.ToHashCode();
        }
    }
}
