using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 11 point 4, the context switch with random register values: three churn tasks (UserImages/attack/churn.c,
/// tasks 2, 5 and 6) keep every general register, SP_EL0, NZCV and TPIDR_EL0 full of fresh pseudo-random values and
/// yield about once in 64 passes, next to the sensor and logger, on the attack kernel. For <see cref="Ticks"/> timer
/// ticks the context checker compares the state each task left EL0 with (at a yield, an IPC, or a timer interrupt
/// anywhere in its loop) with the state it resumes with, and the kernel-write checker judges every kernel write.
/// Deterministic: the seeds are the programs'.
/// </summary>
[TestFixture]
public sealed class ContextSwitchTests
{
    public const ulong Ticks = 30;
    private static readonly int[] Churners = [2, 5, 6];

    private static readonly Lazy<(EmuScenario Run, Emu.Tracing.Checkers.ContextChecker Context, Emu.Tracing.Checkers.KernelWriteChecker Writes)> Churn = new(() =>
    {
        var s = new EmuScenario("attack", bundle: File.ReadAllBytes(AttackBoot.BundlePath("churn")));
        var (context, writes) = Support.KernelChecks.Attach(s.Board.Cpu, s.Image);
        s.RunTicks(Ticks);
        TestContext.Progress.WriteLine($"churn: {s.Board.Cpu.Retired} instructions; {context.Summary()}; {writes.Summary()}");
        return (s, context, writes);
    });

    [Test]
    public void EveryTaskResumesWithTheRandomStateItLeftWith()
    {
        var (_, context, _) = Churn.Value;
        Assert.That(context.First, Is.Null, context.Summary());
        Assert.That(context.ResumesAfterSwitch, Is.GreaterThan(10_000UL), "many switches");
        Assert.That(context.ResumesAfterInterrupt, Is.GreaterThanOrEqualTo(Ticks / 2), "timer preemptions in the churn loop");
    }

    [Test]
    public void TheChurnersLeftRandomValuesInTheirSavedFrames()
    {
        // The test is worth what the values are: a switched-out churner's saved X8-X30 are all different, none zero.
        var (s, _, _) = Churn.Value;
        ulong current = s.ReadPhysical(s.Symbol("current_task"), 4);
        foreach (int t in Churners.Where(t => (ulong)t != current))
        {
            ulong tcb = s.Symbol("tcbs") + (ulong)(t * L.Tcb.Size);
            var saved = Enumerable.Range(8, 23).Where(r => r != 28).Select(r => s.ReadPhysical(tcb + (ulong)L.Frame.X(r), 8)).ToArray();
            Assert.That(saved, Is.Unique.And.Not.Contains(0UL), $"task {t}'s saved X8-X30");
        }
    }

    [Test]
    public void TheKernelWritesOnlyItsDataAndTheCallersMemory()
    {
        var (_, _, writes) = Churn.Value;
        Assert.That(writes.First, Is.Null, writes.Summary());
        Assert.That(writes.RamWrites, Is.GreaterThan(10_000UL));
    }
}
