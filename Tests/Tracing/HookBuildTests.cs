using System.Reflection;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// The hook guard (Emulator.Cpu/Hooks/Cpu.HooksBuilt.cs): Release and Debug carry the hooks, the ReleaseNoHooks
/// configuration (Directory.Build.props, AEGIS_NO_HOOKS) compiles them out and refuses to attach one. These tests
/// pass in both builds (dotnet build Tests -c ReleaseNoHooks runs them against the build without hooks).
/// </summary>
[TestFixture]
public class HookBuildTests
{
    private const string NoHooksConfiguration = "ReleaseNoHooks";

    private static string ConfigurationOf(Assembly a) => a.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>Read from the loaded Emulator.Cpu, not the constant the compiler copied into this assembly.</summary>
    private static bool HooksBuilt => (bool)typeof(Cpu).GetField(nameof(Cpu.HooksBuilt))!.GetRawConstantValue()!;

    /// <summary>Reference: Directory.Build.props defines AEGIS_NO_HOOKS in the ReleaseNoHooks configuration only.</summary>
    [Test]
    public void HooksAreCompiledOutExactlyInTheNoHooksConfiguration()
    {
        var cpuAssembly = typeof(Cpu).Assembly;
        Assert.That(ConfigurationOf(cpuAssembly), Is.EqualTo(ConfigurationOf(typeof(HookBuildTests).Assembly)));
        Assert.That(HooksBuilt, Is.EqualTo(ConfigurationOf(cpuAssembly) != NoHooksConfiguration));
    }

    private sealed class Counter : CpuHook
    {
        public int Fetches, Retires, Reads, Writes;
        public readonly List<ulong> Written = [];
        public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) => Fetches++;
        public override void OnRetire(Cpu cpu, ulong pc, uint encoding) => Retires++;
        public override void OnMemoryAccess(Cpu cpu, in MemoryAccess access)
        {
            if (!access.IsWrite) { Reads++; return; }
            Writes++;
            Written.Add(access.Value);
        }
    }

    /// <summary>
    /// A loop storing and loading 3, 2, 1: 2 + 3 x 4 = 14 instructions, 3 stores and 3 loads (the program's own
    /// arithmetic). Run unhooked first so the data fast path holds the page, then hooked (every access must still be
    /// seen), then detached. In the build without hooks AttachHook throws and the guest runs the same.
    /// </summary>
    [Test]
    public void AttachedHookSeesEveryAccessAfterAnUnhookedRunAndDetachingStopsIt()
    {
        var h = CpuHarness.FromAsm(
            "movz x1, #0x4010, lsl #16",
            "mov x2, #3",
            "1: str x2, [x1]",
            "ldr x3, [x1]",
            "subs x2, x2, #1",
            "b.ne 1b");
        void RunFromStart()
        {
            h.Cpu.PC = CpuHarness.CodeBase;
            h.SetX(3, 0).Run();
            Assert.That(h.X(3), Is.EqualTo(1UL));
        }
        var counter = new Counter();

        RunFromStart();
        if (!HooksBuilt)
        {
            Assert.Throws<NotSupportedException>(() => h.Cpu.AddHook(counter));
            Assert.That(h.Cpu.HasHooks, Is.False);
            RunFromStart();
            Assert.That(counter.Fetches + counter.Retires + counter.Reads + counter.Writes, Is.Zero);
            return;
        }

        h.Cpu.AddHook(counter);
        Assert.That(h.Cpu.HasHooks, Is.True);
        RunFromStart();
        Assert.That((counter.Fetches, counter.Retires, counter.Reads, counter.Writes), Is.EqualTo((14, 14, 3, 3)));
        Assert.That(counter.Written, Is.EqualTo(new ulong[] { 3, 2, 1 }));

        h.Cpu.DetachHook(counter);
        Assert.That(h.Cpu.HasHooks, Is.False);
        RunFromStart();
        Assert.That((counter.Fetches, counter.Retires, counter.Reads, counter.Writes), Is.EqualTo((14, 14, 3, 3)));
    }
}
