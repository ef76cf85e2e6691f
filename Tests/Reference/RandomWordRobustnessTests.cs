using System.Text;
using Aegis.Emulator.Cpu;
using StopReason = Aegis.Emulator.Cpu.StopReason;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Reference;

/// <summary>
/// Bad input: seeded random instruction words, executed one at a time from random register states, must only
/// ever produce guest behaviour (an architectural exception, a result, a branch), never a host exception, and
/// leave the architectural state sane. The reference is the Arm ARM's exception model: an exception taken by a
/// word is synchronous, lands on the vector of its target EL (VBAR_ELx + 0x000/0x200/0x400), with ESR.IL = 1,
/// an exception class the architecture defines, and ELR = the word's address or the next one.
/// </summary>
[TestFixture]
public class RandomWordRobustnessTests
{
    private const ulong RamBase = VirtBoard.RamBase;
    private const ulong RamSize = 64 * 1024;
    private const ulong CodePage = RamBase;               // 1024 words per batch
    private const ulong VectorsEl1 = RamBase + 0x1000;    // 2 KiB aligned, filled with NOPs
    private const ulong VectorsEl2 = RamBase + 0x1800;
    private const uint Nop = 0xD503_201F;
    private const ulong Sentinel = 0xDEAD_BEEF_0BAD_F00D;

    [Test]
    public void AMillionRandomWordsAtEl1OnlyRaiseGuestExceptions() => Run(seed: 0xE11, words: 1_000_000, startEl: 1, el2: false);

    [Test]
    public void RandomWordsAtEl0OnlyRaiseGuestExceptions() => Run(seed: 0xE10, words: 200_000, startEl: 0, el2: false);

    [Test]
    public void RandomWordsAtEl2OnlyRaiseGuestExceptions() => Run(seed: 0xE12, words: 200_000, startEl: 2, el2: true);

    [Test]
    public void RandomProgramsAtEl1OnlyRaiseGuestExceptions() => RunPrograms(seed: 0x9E1, programs: 4000, steps: 500, el2: false);

    [Test]
    public void RandomProgramsAtEl2OnlyRaiseGuestExceptions() => RunPrograms(seed: 0x9E2, programs: 1000, steps: 500, el2: true);

    /// <summary>
    /// Random programs: the code page and both vector tables are random words, so state carries from one
    /// instruction to the next (system-register writes, ERET to random SPSRs, MMU enables with garbage tables,
    /// stores over the code). Only the host is checked: no host exception, and EL/NZCV/DAIF stay well-formed.
    /// A watchdog stops a run that spins without retiring (the known nested-abort hang, see below) and counts it.
    /// </summary>
    private static void RunPrograms(int seed, int programs, int steps, bool el2)
    {
        var rng = new Random(seed);
        var before = new Snapshot();
        long retired = 0, stalled = 0;
        var distinctPcs = new HashSet<ulong>();
        for (int p = 0; p < programs; p++)
        {
            var code = new byte[0x2000];                   // code page + EL1 and EL2 vector tables
            rng.NextBytes(code);
            if (p % 2 == 0)
            {
                // Half the programs get handlers that step over the faulting instruction (ELR += 4; ERET; Arm ARM
                // C6.2.79), so execution goes on through the random code instead of looping in a random vector.
                for (int entry = 0; entry < 32; entry++)
                {
                    bool elTwo = entry >= 16;
                    uint[] handler = [elTwo ? 0xD53C_403Eu : 0xD538_403Eu, 0x9100_13DE, elTwo ? 0xD51C_403Eu : 0xD518_403Eu, 0xD69F_03E0];
                    for (int k = 0; k < handler.Length; k++)
                        BitConverter.TryWriteBytes(code.AsSpan(0x1000 + entry * 0x80 + k * 4), handler[k]);
                }
            }
            var board = new VirtBoard(new VirtBoardOptions { El2 = el2, RamSize = RamSize });
            board.Bus.Load(CodePage, code);
            var cpu = board.Cpu;
            cpu.Reset(CodePage + (ulong)rng.Next(1024) * 4);
            Randomize(cpu, rng, el2 ? 2 : 1);
            for (int e = 0; e < 3; e++) cpu.EsrEl[e] = 0;
            before.Capture(cpu);
            int maxEl = el2 ? 2 : 1;
            var run = Task.Run(() =>
            {
                for (int i = 0; i < steps; i++)
                {
                    if (cpu.Run(1) is StopReason.GuestExit or StopReason.Requested) return;
                    if (cpu.EL < 0 || cpu.EL > maxEl || (cpu.Nzcv & 0x0FFF_FFFF) != 0 || (cpu.Daif & ~0x3C0u) != 0)
                        throw new InvalidOperationException($"state out of range after step {i}: EL{cpu.EL} NZCV 0x{cpu.Nzcv:X} DAIF 0x{cpu.Daif:X}");
                }
            });
            try
            {
                if (!run.Wait(TimeSpan.FromSeconds(5)))
                {
                    cpu.RequestStop();
                    run.Wait();
                    stalled++;
                }
            }
            catch (AggregateException e)
            {
                Assert.Fail($"random program {p} (seed 0x{seed:X}), PC 0x{cpu.PC:X}: {e.InnerException}\nstate at start: {before.Describe(0)}");
            }
            retired += (long)cpu.Retired;
            distinctPcs.Add(cpu.PC);
        }
        TestContext.Out.WriteLine($"seed 0x{seed:X}: {programs} random programs at EL{(el2 ? 2 : 1)}, {retired} instructions retired, {stalled} stopped by the watchdog (nested-abort hang), {distinctPcs.Count} distinct final PCs");
    }

    [Test]
    public void RunReturnsWhenEveryExceptionVectorFaults()
    {
        // A guest whose VBAR points at no memory (0x0A00_0000: QEMU's virtio-mmio window, not modelled; 0x0 is flash)
        // and which takes an exception: each vector fetch is an instruction abort taken to the same vector
        // (Arm ARM D1.10), forever. That is the guest's problem; the host's Run(1) must still come back.
        var board = new VirtBoard(new VirtBoardOptions { RamSize = RamSize });
        board.Bus.Load(CodePage, BitConverter.GetBytes(0x0000_0000u));   // UDF #0
        board.Cpu.Reset(CodePage);
        board.Cpu.VbarEl[1] = 0x0A00_0000;
        board.Cpu.Run(1);                       // UDF #0 retires into the EL1 vector at VBAR + 0x200
        var run = Task.Run(() => board.Cpu.Run(1));
        bool returned = run.Wait(TimeSpan.FromSeconds(5));
        if (!returned) { board.Cpu.RequestStop(); run.Wait(); }
        Assert.That(returned, Is.True, "Cpu.Run(1) did not return within 5 s: nested instruction aborts at an unmapped vector never retire or count");
        Assert.That(board.Cpu.EL, Is.EqualTo(1));
        Assert.That(board.Cpu.EsrEl[1] >> 26, Is.EqualTo(0x21UL), "instruction abort, same EL (Arm ARM D17.2.37)");
    }

    private static void Run(int seed, int words, int startEl, bool el2)
    {
        var rng = new Random(seed);
        var batch = new uint[1024];
        var before = new Snapshot();
        VirtBoard? board = null;
        long taken = 0, boards = 0, secondSteps = 0;
        var ecCounts = new SortedDictionary<uint, long>();

        for (int n = 0; n < words; n++)
        {
            int slot = n & 1023;
            if (slot == 0)
            {
                for (int i = 0; i < batch.Length; i++) batch[i] = (uint)rng.NextInt64(0, 1L << 32);
                board = null;
            }
            uint w = batch[slot];
            if (board is null) { board = NewBoard(el2, batch); boards++; }
            var cpu = board.Cpu;
            ulong pc = CodePage + (ulong)slot * 4;
            if (!board.Bus.Read(pc, 4, out ulong present) || (uint)present != w) board.Bus.Write(pc, 4, w);

            cpu.Reset(pc);
            Randomize(cpu, rng, startEl);
            int elBefore = cpu.EL;
            before.Capture(cpu);

            try
            {
                cpu.Run(1);
            }
            catch (Exception e)
            {
                Assert.Fail($"host exception on word #{n} 0x{w:X8} at EL{elBefore}: {e}\nstate before: {before.Describe(w)}");
            }
            CheckSane(cpu, w, n, before);

            bool systemSpace = (w >> 22) == 0b11_0101_0100;       // MSR/MRS/SYS: may write ESR/ELR/VBAR directly
            int hits = 0, t = -1;
            for (int e = 0; e < 3; e++) if (cpu.EsrEl[e] != Sentinel) { hits++; t = e; }
            if (!systemSpace && hits > 0)
            {
                taken++;
                uint esr = (uint)cpu.EsrEl[t];
                uint ec = esr >> 26;
                ecCounts[ec] = ecCounts.GetValueOrDefault(ec) + 1;
                ulong offset = cpu.PC - cpu.VbarEl[t];
                string? problem =
                    hits > 1 ? "more than one ESR_ELx written" :
                    cpu.EL != t ? $"ESR_EL{t} written but EL is {cpu.EL}" :
                    t < Math.Max(elBefore, 1) ? $"exception taken to EL{t}, below the current EL{elBefore}" :
                    (esr & (1u << 25)) == 0 ? $"ESR 0x{esr:X8}: IL must be 1 for an A64 instruction" :
                    !Enum.IsDefined(typeof(ExceptionClass), ec) ? $"ESR 0x{esr:X8}: EC 0x{ec:X2} is not a defined exception class" :
                    cpu.ElrEl[t] != pc && cpu.ElrEl[t] != pc + 4 ? $"ELR_EL{t} 0x{cpu.ElrEl[t]:X} is neither the word nor the next one" :
                    offset is not (0x000 or 0x200 or 0x400) ? $"PC 0x{cpu.PC:X} is not a synchronous vector of EL{t} (VBAR 0x{cpu.VbarEl[t]:X})" :
                    null;
                if (problem is not null) Assert.Fail($"word #{n} 0x{w:X8}: {problem}\nstate before: {before.Describe(w)}");
            }
            else if (!systemSpace && cpu.EL > elBefore)
            {
                Assert.Fail($"word #{n} 0x{w:X8}: EL rose from {elBefore} to {cpu.EL} without an exception\nstate before: {before.Describe(w)}");
            }

            // One more step from wherever the word left the PC: misaligned, outside RAM, a vector, an MMIO page.
            try
            {
                cpu.Run(1);
                secondSteps++;
            }
            catch (Exception e)
            {
                Assert.Fail($"host exception on the step after word #{n} 0x{w:X8} (PC 0x{cpu.PC:X}): {e}\nstate before the word: {before.Describe(w)}");
            }
            CheckSane(cpu, w, n, before);

            // System instructions and exception returns may have changed system registers: start the next word afresh.
            if ((w >> 24) is 0xD4 or 0xD5 or 0xD6) board = null;
        }

        var o = TestContext.Out;
        o.WriteLine($"seed 0x{seed:X}: {words} random words at EL{startEl}, {boards} boards, {taken} synchronous exceptions checked, {secondSteps} second steps");
        o.WriteLine("  exception classes: " + string.Join(", ", ecCounts.Select(kv => $"0x{kv.Key:X2}={kv.Value}")));
        Assert.That(taken, Is.GreaterThan(words / 10), "random words should mostly be UNDEFINED or fault");
    }

    private static VirtBoard NewBoard(bool el2, uint[] batch)
    {
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2, RamSize = RamSize });
        var code = new byte[batch.Length * 4];
        Buffer.BlockCopy(batch, 0, code, 0, code.Length);
        board.Bus.Load(CodePage, code);
        var nops = new byte[0x1000];
        for (int i = 0; i < nops.Length; i += 4) BitConverter.TryWriteBytes(nops.AsSpan(i), Nop);
        board.Bus.Load(VectorsEl1, nops);
        return board;
    }

    private static void Randomize(Cpu cpu, Random rng, int el)
    {
        cpu.SetExceptionLevel(el, el != 0 && rng.Next(2) == 0);
        for (int r = 0; r < 31; r++) cpu.X[r] = Value(rng);
        cpu.SP = Value(rng);
        for (int e = 0; e < 3; e++)
        {
            if ((cpu.SpSel ? cpu.EL : 0) != e) cpu.SpEl[e] = Value(rng);
            cpu.ElrEl[e] = Value(rng);
            cpu.SpsrEl[e] = (ulong)rng.NextInt64();
            cpu.EsrEl[e] = Sentinel;
        }
        cpu.VbarEl[1] = VectorsEl1;
        cpu.VbarEl[2] = VectorsEl2;
        cpu.Nzcv = (uint)rng.Next(16) << 28;
        cpu.Daif = (uint)rng.Next(16) << 6;
    }

    /// <summary>A register value: RAM addresses (so loads and stores mostly succeed), device pages, small numbers and noise.</summary>
    private static ulong Value(Random rng) => rng.Next(10) switch
    {
        < 4 => RamBase + (ulong)rng.Next((int)RamSize) & ~((1UL << rng.Next(5)) - 1),
        4 => (rng.Next(3) switch { 0 => VirtBoard.Uart0Base, 1 => VirtBoard.GicDistributorBase, _ => VirtBoard.GicCpuInterfaceBase }) + (ulong)rng.Next(0x1000),
        5 => (ulong)rng.Next(-16, 64),
        6 => 0xFFFF_0000_0000_0000UL | (ulong)rng.NextInt64(),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40),
    };

    private static void CheckSane(Cpu cpu, uint w, int n, Snapshot before)
    {
        int maxEl = cpu.HasEl2 ? 2 : 1;
        string? problem =
            cpu.EL < 0 || cpu.EL > maxEl ? $"EL {cpu.EL} out of range" :
            (cpu.Nzcv & 0x0FFF_FFFF) != 0 ? $"NZCV 0x{cpu.Nzcv:X} has bits outside [31:28]" :
            (cpu.Daif & ~0x3C0u) != 0 ? $"DAIF 0x{cpu.Daif:X} has bits outside [9:6]" :
            null;
        if (problem is not null) Assert.Fail($"word #{n} 0x{w:X8}: {problem}\nstate before: {before.Describe(w)}");
    }

    /// <summary>The registers before a word, kept without allocating so that a failure can show them.</summary>
    private sealed class Snapshot
    {
        private readonly ulong[] _x = new ulong[31];
        private ulong _pc, _sp;
        private int _el;
        private bool _spSel;
        private uint _nzcv;

        public void Capture(Cpu cpu)
        {
            Array.Copy(cpu.X, _x, 31);
            _pc = cpu.PC; _sp = cpu.SP; _el = cpu.EL; _spSel = cpu.SpSel; _nzcv = cpu.Nzcv;
        }

        public string Describe(uint w)
        {
            var sb = new StringBuilder($"word 0x{w:X8} at PC 0x{_pc:X} EL{_el}{(_spSel ? "h" : "t")} NZCV {_nzcv >> 28:X}");
            for (int r = 0; r < 31; r++) sb.Append($" x{r}={_x[r]:X}");
            sb.Append($" sp={_sp:X}");
            return sb.ToString();
        }
    }
}
