using NUnit.Framework;
namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// Base of the kernel-function fixtures: one booted kernel per test process (the boot to sched_bootstrap is
/// about 540,000 emulated instructions, ~0.1 s), restored to the boot snapshot before every case.
/// </summary>
[NonParallelizable] // one shared emulated kernel
public abstract class KernelFunctionTest
{
    private static readonly Lazy<KernelHarness> s_kernel = new(() => new KernelHarness());
    protected static KernelHarness K => s_kernel.Value;

    // TaskState (REF §4.1)
    protected const byte Inactive = 0, Ready = 1, Running = 2, Blocked = 3, Faulted = 4, Exited = 5;
    protected const byte NoTask = KernelLayout.NoTask;

    [SetUp]
    public void RestoreKernel() => K.Reset();
}
