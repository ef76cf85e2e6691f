using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Cpu.Translation;
using Aegis.Emulator.Cpu.Translation.Inline;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// MRS and MSR of the plain system registers run inline in a translated block, which goes on past them
/// (Translation/Inline/SystemRegisterForms.cs), and hints that execute as NOP likewise; under a53 the block issues them
/// as the model's Retire does (serialising: after everything older has drained, here a multiply and a load). Where the access is not allowed the
/// block leaves before the instruction and its handler takes the exception: SP_EL0 with SPSel = 0, TPIDR_EL1 and a write
/// of TPIDRRO_EL0 at EL0 (each UNDEFINED, Arm ARM D13.2; the vectors skip it). Reference: the interpreter, with the same
/// machine (registers, the moved system registers, cycles under each model) after every slice of 1 to 40 steps, and
/// after the whole run, which the translator makes in fewer block entries than the loop has passes.
/// </summary>
[TestFixture]
public class SystemRegisterMoveEngineTests
{
    private static readonly uint[] Program = Llvm.Assemble("""
            adr x0, vectors
            msr vbar_el1, x0
            mov x1, #0
        loop:
            mrs x2, tpidr_el1
            add x2, x2, #3
            msr tpidr_el1, x2
            msr elr_el1, x2
            mrs x3, elr_el1
            msr spsr_el1, x3
            mrs x4, spsr_el1
            nop
            msr sp_el0, x4
            mrs x5, sp_el0
            msr tpidr_el0, x5
            msr tpidrro_el0, x5
            mrs x6, tpidrro_el0
            mul x16, x2, x2
            mrs x7, esr_el1
            ldr x17, [x0]
            msr far_el1, x6
            mrs x8, far_el1
            add x1, x1, #1
            cmp x1, #100
            b.lo loop
            msr spsel, #0
            mrs x9, sp_el0
            add x10, x10, #1
            msr spsel, #1
            adr x0, el0
            msr elr_el1, x0
            msr spsr_el1, xzr
            eret
        el0:
            mrs x11, tpidrro_el0
            mrs x12, tpidr_el0
            msr tpidrro_el0, x12
            mrs x13, tpidr_el1
            add x14, x11, x12
            yield
            svc #0
            b .
            .balign 2048
        vectors:
            mrs x20, elr_el1
            add x20, x20, #4
            msr elr_el1, x20
            eret
            .balign 1024
            mrs x21, esr_el1
            lsr x21, x21, #26
            cmp x21, #0x15
            b.eq done
            mrs x20, elr_el1
            add x20, x20, #4
            msr elr_el1, x20
            eret
        done:
            mov x15, #1
            b done
        """);

    private const int Passes = 100, Steps = Passes * 22 + 60;

    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    public void SlicedRunsMatchTheInterpreter(string timing)
    {
        var reference = Start(ExecutionEngine.Interpreter, timing);
        var translated = Start(ExecutionEngine.Translator, timing);
        var slices = new Random(15);
        for (int done = 0; done < Steps;)
        {
            int slice = slices.Next(1, 41);
            Assert.That(translated.Run((ulong)slice), Is.EqualTo(reference.Run((ulong)slice)), $"stop after {done} steps");
            done += slice;
            AssertSame(reference, translated, $"after {done} steps");
        }
        Assert.That((reference.Xr(15), reference.Xr(1), reference.Sys.TPIDR_EL1), Is.EqualTo((1UL, (ulong)Passes, 3UL * Passes)),
            "the loop and the EL0 part ran to the SVC");
        Assert.That((reference.Xr(9), reference.Xr(10), reference.Xr(13)), Is.EqualTo((0UL, 1UL, 0UL)), "the UNDEFINED moves were skipped");
        Assert.That(reference.Sys.TPIDRRO_EL0, Is.EqualTo(reference.Xr(5)), "the EL0 write of TPIDRRO_EL0 did not happen");
    }

    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    public void AWholeRunGoesOnPastTheMoves(string timing)
    {
        var reference = Start(ExecutionEngine.Interpreter, timing);
        var translated = Start(ExecutionEngine.Translator, timing);
        reference.Run(Steps);
        translated.Run(Steps);
        AssertSame(reference, translated, "after the run");
        // One block a pass at most would mean a move (or the NOP) ends the block: the loop's are taken again inside it.
        Assert.That(translated.Translations.BlocksRun, Is.LessThan(Passes), "passes taken again inside the loop's block");
    }

    /// <summary>A hook that observes neither system-register writes nor maintenance (here exception entries and returns, as
    /// an AegisOS board's task accounting) leaves the moves inline; one that observes the writes sees each of them, in
    /// order, as under the interpreter, which the block gives it by leaving the MSR to the handler.</summary>
    [TestCase(TimingModels.Simple)]
    [TestCase(TimingModels.A53)]
    public void HooksSeeWhatTheyObserveAndKeepTheMovesInline(string timing)
    {
        var entries = new[] { new ExceptionCounter(), new ExceptionCounter() };
        var writes = new[] { new WriteLog(), new WriteLog() };
        var cpus = new[] { Start(ExecutionEngine.Interpreter, timing), Start(ExecutionEngine.Translator, timing) };
        for (int n = 0; n < 2; n++) cpus[n].AddHook(entries[n]);
        foreach (var cpu in cpus) cpu.Run(Steps);
        AssertSame(cpus[0], cpus[1], "with an exception hook");
        Assert.That((entries[1].Entries, entries[1].Returns), Is.EqualTo((entries[0].Entries, entries[0].Returns)));
        Assert.That(entries[0].Entries, Is.GreaterThan(0), "the program takes exceptions");
        Assert.That(cpus[1].Translations.BlocksRun, Is.LessThan(Passes), "the moves stay inline beside an exception hook");

        cpus = [Start(ExecutionEngine.Interpreter, timing), Start(ExecutionEngine.Translator, timing)];
        for (int n = 0; n < 2; n++) cpus[n].AddHook(writes[n]);
        foreach (var cpu in cpus) cpu.Run(Steps);
        AssertSame(cpus[0], cpus[1], "with a system-register write hook");
        Assert.That(writes[1].Seen, Is.EqualTo(writes[0].Seen), "the writes the hook saw");
        Assert.That(writes[0].Seen.Count(w => w.StartsWith("TPIDR_EL1")), Is.EqualTo(Passes), "every MSR TPIDR_EL1 of the loop");
    }

    private sealed class ExceptionCounter : CpuHook
    {
        public int Entries, Returns;
        public override void OnExceptionEntry(Cpu cpu, int targetEl, Aegis.Emulator.Cpu.Exceptions.ExceptionVector vector, uint esr,
            ulong preferredReturn) => Entries++;
        public override void OnExceptionReturn(Cpu cpu) => Returns++;
    }

    private sealed class WriteLog : CpuHook
    {
        public readonly List<string> Seen = [];
        public override void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value) => Seen.Add($"{register.Name} {value:X}");
    }

    /// <summary>Every MRS and MSR of the table's registers, and of a register it does not have: inline and running on
    /// exactly for the plain ones the decoder resolves (MSR of a register without a write is UNDEFINED).</summary>
    [Test]
    public void OnlyMovesOfPlainRegistersRunInline()
    {
        int plain = 0;
        foreach (var r in SystemRegisterTable.All.Where(r => r.Key >> 14 >= 2))
            foreach (bool read in new[] { true, false })
            {
                uint raw = (read ? 0xD520_0000u : 0xD500_0000u) | ((uint)r.Key << 5) | 3;
                var inst = default(DecodedInst);
                Decoder.Decode(raw, ref inst);
                bool inline = r.Plain && (read ? r.Read : (object?)r.Write) is not null;
                Assert.That((SystemRegisterForms.MovesPlain(in inst), InlineForms.Find(in inst) is not null, BlockTranslator.EndsBlock(in inst)),
                    Is.EqualTo((inline, inline, !inline)), $"{(read ? "MRS" : "MSR")} {r}");
                if (inline) plain++;
            }
        Assert.That(plain, Is.EqualTo(18), "9 plain registers, read and written");
        var unallocated = default(DecodedInst);
        Decoder.Decode(0xD53B_FFE3, ref unallocated); // MRS x3, S3_3_C15_C15_7
        Assert.That(unallocated.Row, Is.EqualTo(Decoder.UndefinedRow));
        Assert.That((SystemRegisterForms.MovesPlain(in unallocated), BlockTranslator.EndsBlock(in unallocated)), Is.EqualTo((false, true)));
    }

    private static Cpu Start(ExecutionEngine engine, string timing)
    {
        var cpu = new CpuHarness(Program, options: new VirtBoardOptions { RamSize = 1UL << 20, Timing = timing, Engine = engine }).Cpu;
        cpu.HotBlock = 1;
        return cpu;
    }

    private static void AssertSame(Cpu a, Cpu b, string where)
    {
        Assert.That((b.PC, b.NextPc, b.Nzcv, b.EL, b.SpSel, b.Retired, b.Cycles, b.Steps),
            Is.EqualTo((a.PC, a.NextPc, a.Nzcv, a.EL, a.SpSel, a.Retired, a.Cycles, a.Steps)), where + ": PC, NextPc, NZCV, EL, SPSel, counts");
        Assert.That(b.X, Is.EqualTo(a.X), where + ": X0-X30");
        Assert.That((b.Sys.TPIDR_EL0, b.Sys.TPIDRRO_EL0, b.Sys.TPIDR_EL1, b.ElrEl[1], b.SpsrEl[1], b.GetSpEl(0), b.EsrEl[1], b.FarEl[1]),
            Is.EqualTo((a.Sys.TPIDR_EL0, a.Sys.TPIDRRO_EL0, a.Sys.TPIDR_EL1, a.ElrEl[1], a.SpsrEl[1], a.GetSpEl(0), a.EsrEl[1], a.FarEl[1])),
            where + ": the moved system registers");
    }
}
