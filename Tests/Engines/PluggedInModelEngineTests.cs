using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// A timing model a library user plugs in may read the machine in its Retire, after the instruction (ITimingModel): a
/// translated block hands it the registers and PC the interpreter would, though it keeps registers in its locals
/// (BlockTranslator.Retire). The model here charges by X0's low bits, the PC and a load's result. Reference: the
/// interpreter, with the same cycles (and machine) after every slice of 1 to 40 steps.
/// </summary>
[TestFixture]
public class PluggedInModelEngineTests
{
    private static readonly uint[] Program = Llvm.Assemble("""
            adr x3, data
            mov x0, #0
            mov x2, #300
        loop:
            add x0, x0, #1
            ldr x1, [x3]
            add x1, x1, x0
            str x1, [x3]
            eor x4, x0, x1
            cmp x0, x2
            b.lo loop
            b .
            .balign 4096
        data:
            .quad 5
        """);

    /// <summary>1 cycle, plus X0 &amp; 3, plus 2 where PC (the next instruction) is 8-aligned, plus X1 &amp; 1.</summary>
    private sealed class RegisterReadingModel : ITimingModel
    {
        public string Name => "register-reading";
        public bool WantsAccessLog => false;
        public void Attach(Cpu cpu) { }
        public ulong Retire(Cpu cpu, ref DecodedInst inst, ulong pc) =>
            1 + (cpu.Xr(0) & 3) + ((cpu.PC & 7) == 0 ? 2UL : 0) + (cpu.Xr(1) & 1);
        public ulong ExceptionBetweenInstructions(Cpu cpu) => 1;
        public ulong Sleep(Cpu cpu, ulong until) => until - cpu.Cycles;
    }

    [Test]
    public void TheModelSeesWhatTheInterpreterShowsIt()
    {
        var reference = Start(ExecutionEngine.Interpreter);
        var translated = Start(ExecutionEngine.Translator);
        var slices = new Random(16);
        for (int done = 0; done < 300 * 7 + 10;)
        {
            int slice = slices.Next(1, 41);
            Assert.That(translated.Run((ulong)slice), Is.EqualTo(reference.Run((ulong)slice)), $"stop after {done} steps");
            done += slice;
            Assert.That((translated.PC, translated.Retired, translated.Cycles), Is.EqualTo((reference.PC, reference.Retired, reference.Cycles)),
                $"after {done} steps: PC, instructions, cycles");
            Assert.That(translated.X, Is.EqualTo(reference.X), $"after {done} steps: X0-X30");
        }
        Assert.That(reference.Xr(0), Is.EqualTo(300UL), "the loop ran to its end");
    }

    private static Cpu Start(ExecutionEngine engine)
    {
        var cpu = new CpuHarness(Program, options: new VirtBoardOptions { RamSize = 1UL << 20, Engine = engine }).Cpu;
        cpu.Timing = new RegisterReadingModel();
        cpu.HotBlock = 1;
        return cpu;
    }
}
