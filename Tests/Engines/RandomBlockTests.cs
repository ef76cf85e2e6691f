using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Translation;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// Seeded random code on both engines (issue 14): the interpreter is the reference, the block translator must give
/// the same machine after every slice of a run, the slices cut blocks anywhere (1 to 12 steps). Each seed writes a
/// random program of 1 to 24 A64 words (half of them instructions the translator generates inline, the others any word
/// the decoder takes, system and undefined ones now and then; loads and stores based on registers that point into RAM, often aligned)
/// and vectors that skip the faulting instruction, then runs 96 steps. Every block is translated at its first run.
/// At least 10,000 random blocks under the A53 model (cycles compared) and 10,000 under `simple`.
/// </summary>
[TestFixture]
public class RandomBlockTests
{
    private const ulong Code = 0x4000_0000, Vectors = 0x4000_8000, Data = 0x4001_0000;
    private const ulong Ram = 1UL << 20;
    private const int Steps = 96;

    [TestCase(TimingModels.A53, 0, 1_000, 10_000)]
    [TestCase(TimingModels.Simple, 10_000, 2_000, 10_000)]
    public void RandomProgramsRunTheSameOnBothEngines(string timing, int firstSeed, int seeds, int minimumBlocks)
    {
        long blocks = 0, runs = 0;
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            var program = RandomProgram(seed);
            var reference = Start(program, seed, timing, ExecutionEngine.Interpreter);
            var translated = Start(program, seed, timing, ExecutionEngine.Translator);
            var slices = new Random(seed);
            for (int done = 0; done < Steps;)
            {
                int slice = slices.Next(1, 13);
                var a = reference.Cpu.Run((ulong)slice);
                var b = translated.Cpu.Run((ulong)slice);
                done += slice;
                Assert.That(b, Is.EqualTo(a), $"seed {seed}: stop reason after {done} steps");
                AssertSameState(reference, translated, $"seed {seed} ({timing}) after {done} steps, program {Words(program)}");
                if (a != StopReason.InstructionLimit) break;
            }
            Assert.That(translated.Bus.Ram.SequenceEqual(reference.Bus.Ram), Is.True, $"seed {seed}: RAM");
            Assert.That(translated.StateFingerprint(), Is.EqualTo(reference.StateFingerprint()), $"seed {seed}: whole machine");
            blocks += translated.Cpu.Translations.Blocks;
            runs += translated.Cpu.Translations.BlocksRun;
        }
        Assert.That(blocks, Is.GreaterThanOrEqualTo(minimumBlocks), "random blocks translated");
        TestContext.Progress.WriteLine($"{seeds} random programs under {timing}: {blocks} blocks translated, {runs} run, state equal after every slice");
    }

    /// <summary>Random words that decode; one in 16 may be anything (undefined, system, exception generating).</summary>
    private static uint[] RandomProgram(int seed)
    {
        var rng = new Random(seed);
        var words = new uint[rng.Next(1, 25)];
        for (int i = 0; i < words.Length; i++)
        {
            bool inline = rng.Next(2) == 0;
            while (true)
            {
                uint w = (uint)rng.NextInt64(0, 1L << 32);
                if (rng.Next(16) == 0) { words[i] = w; break; }
                var inst = default(DecodedInst);
                var row = Decoder.Decode(w, ref inst);
                if (inline && InlineForms.Find(in inst) is null) continue;
                if (row == Decoder.Undefined || inst.Timing is TimingClass.System or TimingClass.Exception or TimingClass.Barrier
                    or TimingClass.CacheMaintenance or TimingClass.Hint) continue;
                words[i] = w;
                break;
            }
        }
        return words;
    }

    private static VirtBoard Start(uint[] program, int seed, string timing, ExecutionEngine engine)
    {
        var board = new VirtBoard(new VirtBoardOptions { RamSize = Ram, Timing = timing, Engine = engine });
        board.Bus.Load(Code, Bytes(program));
        // Every vector: skip the instruction that took the exception (mrs x30, elr_el1; add x30, x30, #4; msr elr_el1, x30; eret).
        var vector = new uint[] { 0xD538403E, 0x910013DE, 0xD518403E, 0xD69F03E0 };
        for (ulong slot = 0; slot < 16; slot++) board.Bus.Load(Vectors + slot * 0x80, Bytes(vector));
        var cpu = board.Cpu;
        cpu.HotBlock = 1;
        cpu.Reset(Code);
        cpu.VbarEl[1] = Vectors;
        cpu.Sys.CPACR_EL1 = 3UL << 20; // FP/SIMD enabled: random FP code runs instead of trapping
        var rng = new Random(~seed);
        // A third anything, a third any byte of the data, a third 16-byte aligned: loads and stores then often take the
        // translated fast path (aligned), whose timing the A53 block part computes itself.
        for (int n = 0; n < 31; n++)
            cpu.X[n] = rng.Next(3) switch
            {
                0 => (ulong)rng.NextInt64(),
                1 => Data + (ulong)rng.Next(0, 0x8000),
                _ => Data + (ulong)rng.Next(0, 0x800) * 16,
            };
        cpu.SP = Data + 0x8000 + (ulong)rng.Next(0, 0x1000) * 16;
        cpu.Nzcv = (uint)rng.Next(16) << 28;
        for (int n = 0; n < cpu.Vreg.Length; n++) cpu.Vreg[n] = (ulong)rng.NextInt64();
        return board;
    }

    private static void AssertSameState(VirtBoard reference, VirtBoard translated, string where)
    {
        Cpu a = reference.Cpu, b = translated.Cpu;
        Assert.That((b.PC, b.NextPc, b.SP, b.Nzcv, b.Daif, b.EL), Is.EqualTo((a.PC, a.NextPc, a.SP, a.Nzcv, a.Daif, a.EL)), where + ": PC, NextPc, SP, PSTATE");
        Assert.That((b.Retired, b.Cycles, b.Steps, b.ExceptionsTaken), Is.EqualTo((a.Retired, a.Cycles, a.Steps, a.ExceptionsTaken)),
            where + ": instructions, cycles, steps, exceptions");
        Assert.That(b.X, Is.EqualTo(a.X), where + ": X0-X30");
        Assert.That(b.Vreg, Is.EqualTo(a.Vreg), where + ": V0-V31");
        Assert.That((b.ElrEl[1], b.SpsrEl[1], b.EsrEl[1], b.FarEl[1]), Is.EqualTo((a.ElrEl[1], a.SpsrEl[1], a.EsrEl[1], a.FarEl[1])), where + ": EL1 exception registers");
        // The memory the programs reach (the rest is compared at the end): code and vectors, then the data area.
        Assert.That(translated.Bus.Ram[..0x20000].SequenceEqual(reference.Bus.Ram[..0x20000]), Is.True, where + ": RAM");
        GC.KeepAlive(reference);
        GC.KeepAlive(translated);
    }

    private static byte[] Bytes(uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static string Words(uint[] words) => string.Join(" ", words.Select(w => w.ToString("X8")));
}
