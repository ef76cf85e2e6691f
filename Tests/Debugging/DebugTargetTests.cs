using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;
using System.Text.RegularExpressions;

namespace Aegis.Tests.Debugging;

/// <summary>Stepping semantics of the debug target on the committed samples (references: llvm-objdump-14, arithmetic).</summary>
public class DebugTargetTests
{
    private static ulong Fib(ulong n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);

    [Test]
    public void NextStepsOverARecursiveCallToTheSameFrame()
    {
        string image = Path.Combine(GuestPrograms.SamplesDir, "bin", "recursion-O0.elf");
        ulong fib = KernelSymbols.Load(image).Address("fib");
        // llvm-objdump: the first `bl <fib>` inside fib itself (fib(n - 1)).
        string dis = ReferenceTools.Run("llvm-objdump-14", $"-d --start-address=0x{fib:x} --stop-address=0x{fib + 0x80:x} {image}");
        var bl = Regex.Match(dis, @"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} ){4}\s*bl\s+0x[0-9a-f]+ <fib>", RegexOptions.Multiline);
        Assert.That(bl.Success, Is.True, dis);
        ulong site = Convert.ToUInt64(bl.Groups[1].Value, 16);

        var t = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        t.Breakpoints[site] = BreakKind.Software;
        // Stop at a call site whose argument is big enough that the callee recurses through the same site.
        StopInfo s;
        do s = t.Resume(maxSteps: 10_000_000); while (s.Kind == StopKind.Breakpoint && (uint)t.Cpu.X[0] < 3);
        Assert.That(s.Kind, Is.EqualTo(StopKind.Breakpoint));
        ulong n = (uint)t.Cpu.X[0], sp = t.Cpu.SP;
        t.Breakpoints.Clear();

        var after = t.Next();
        Assert.That(after.Kind, Is.EqualTo(StopKind.Step));
        Assert.That(t.Cpu.PC, Is.EqualTo(site + 4), "returned to the instruction after the BL");
        Assert.That(t.Cpu.SP, Is.EqualTo(sp), "in the same frame, not an inner recursion's");
        Assert.That(t.Cpu.X[0], Is.EqualTo(Fib(n)), $"fib({n}) returned");
    }

    [Test]
    public void DebuggerReadsNeitherFillTheTlbNorNeedPermissions()
    {
        string image = KernelSymbols.FindImage();
        var sym = KernelSymbols.Load(image);
        var t = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        t.Breakpoints[sym.Address("uart_driver_entry")] = BreakKind.Software;
        Assert.That(t.Resume(maxSteps: 50_000_000).Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(t.Cpu.EL, Is.EqualTo(0), "uart_driver_entry runs at EL0 (TaskTable)");
        Assert.That(t.Cpu.MmuRegs.SCTLR_EL1 & 1, Is.EqualTo(1UL), "MMU on");
        // current_task is kernel data: EL0 may not read it, the debugger may; and its translation stays out of the TLB.
        ulong va = sym.Address("current_task");
        Assert.That(t.Cpu.Mmu.Translate(va, Aegis.Emulator.Mmu.AccessKind.Read, 0, false, out _, out var fault), Is.False, "EL0 has no access");
        Assert.That(fault.Kind, Is.EqualTo(Aegis.Emulator.Mmu.FaultKind.Permission));
        t.Cpu.Mmu.InvalidateAllEl1(); // the kernel's own accesses (and the check above) cached it
        Assert.That(t.Cpu.Mmu.TryGetTlbEntry(va, 0, out _), Is.False);
        var walk = t.Cpu.Mmu.LastWalk;
        Assert.That(t.TryReadU32(va, out uint task), Is.True);
        Assert.That(task, Is.EqualTo(0u), "task 0 is running");
        Assert.That(t.Cpu.Mmu.TryGetTlbEntry(va, 0, out _), Is.False, "the debugger's walk filled nothing");
        Assert.That(t.Cpu.Mmu.LastWalk, Is.EqualTo(walk), "nor changed what tracers see as the last walk");
    }

    [Test]
    public void ContinueWithoutBreakpointsRunsTheSampleToItsExit()
    {
        string image = Path.Combine(GuestPrograms.SamplesDir, "bin", "recursion-O0.elf");
        var t = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        var output = new System.Text.StringBuilder();
        t.Board.ConsoleOutput = b => output.Append((char)b);
        var s = t.Resume(maxSteps: 600_000_000);
        Assert.That(s.Kind, Is.EqualTo(StopKind.Exited), output.ToString());
        // recursion.c checks its own results (fib(24) = 46368 etc.) and exits 0 when all agree.
        Assert.That(t.Cpu.ExitCode, Is.EqualTo(0), output.ToString());
        Assert.That(t.Step().Kind, Is.EqualTo(StopKind.Exited), "an exited guest does not run again");
    }
}
