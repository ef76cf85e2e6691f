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
