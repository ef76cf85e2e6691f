using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Two made-up blocks translated on the <see cref="BackgroundCompiler"/>'s thread when a command will compile in the
/// background (Cpu.WarmUpTranslator), while it reads and loads the image: the translator's own code (a few hundred
/// methods, which the runtime compiles at their first call) is then compiled there, not on the run's thread at its
/// first hot block (60 ms of the boot's first 10 ms of guest time, and a few ms at each block with a form not met
/// before). The blocks are thrown away: they are not in any cache and no machine runs them.
/// </summary>
internal static class TranslatorWarmUp
{
    // The forms a kernel's hot blocks use (llvm-mc-14 encodings): ALU, register-offset, pair, post-index and immediate
    // loads and stores, a move, a shift, a select, a system-register move, a side exit (CBZ), and an indirect end (RET).
    private static readonly uint[] Straight =
    [
        0x91000400, // add  x0, x0, #1
        0xCB020021, // sub  x1, x1, x2
        0xF8686829, // ldr  x9, [x1, x8]
        0xF8286809, // str  x9, [x0, x8]
        0xA9417BFD, // ldp  x29, x30, [sp, #16]
        0xA9BF7BFD, // stp  x29, x30, [sp, #-16]!
        0x38401429, // ldrb w9, [x1], #1
        0x38001509, // strb w9, [x8], #1
        0xB9400403, // ldr  w3, [x0, #4]
        0xB9000001, // str  w1, [x0]
        0xAA0003E8, // mov  x8, x0
        0xD37DF0A4, // lsl  x4, x5, #3
        0x9A8610E6, // csel x6, x7, x6, ne
        0xD538D08A, // mrs  x10, TPIDR_EL1
        0xB4000042, // cbz  x2, .+8
        0xEB02011F, // cmp  x8, x2
        0xD65F03C0, // ret
    ];

    // A copy loop (the kernel's memcpy): a self-loop short enough for a carried pass.
    private static readonly uint[] Loop =
    [
        0xF8686829, // ldr  x9, [x1, x8]
        0xF8286809, // str  x9, [x0, x8]
        0x91002108, // add  x8, x8, #8
        0xEB02011F, // cmp  x8, x2
        0x54FFFF83, // b.lo .-16 (the block's start)
    ];

    private const ulong Pc = 0x1000;

    /// <summary>Translates the blocks for <paramref name="model"/>'s kind of model (and, for the A53's, also as MMU-off
    /// blocks: <see cref="A53Model.PredictsFlat"/>), and returns them. Reads of the model only what the translator
    /// does (its type, whether it wants the access log). Not compiled: the run's thread would wait for the emitters'
    /// code, not for RyuJIT, which compiles blocks on this thread anyway.</summary>
    public static List<TranslatedBlock> Run(ITimingModel model)
    {
        var blocks = new List<TranslatedBlock>();
        FlatCosts?[] flats = model is A53Model ? [null, new FlatCosts(0, 0)] : [null];
        foreach (var words in new[] { Straight, Loop })
        {
            var page = new DecodedInst[1024];
            for (int n = 0; n < words.Length; n++) Decoder.Decode(words[n], ref page[n]);
            foreach (var flat in flats) blocks.Add(BlockTranslator.Translate(page, 0, words.Length, Pc, model, flat));
        }
        return blocks;
    }

    /// <summary>The made-up blocks' lengths, in the order <see cref="Run"/> makes them (per MMU-off variant).</summary>
    public static int[] Lengths => [Straight.Length, Loop.Length];
}
