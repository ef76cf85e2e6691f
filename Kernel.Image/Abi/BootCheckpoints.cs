namespace Aegis.Kernel.Image.Abi;

/// <summary>The 32 boot checkpoints of the upstream QEMU boot test (REFERENCE §10), numbered 1..32.</summary>
public static class BootCheckpoints
{
    public static readonly IReadOnlyList<string> All =
    [
        "[AegisOS] boot", "[AegisOS] MMU enabled", "[AegisOS] W^X enforced", "[AegisOS] exceptions ready",
        "[AegisOS] scheduler ready", "[AegisOS] capabilities assigned", "[AegisOS] priority scheduler configured",
        "[AegisOS] time budget enforcement enabled", "[AegisOS] watchdog heartbeat enabled",
        "[AegisOS] notification system ready", "[AegisOS] grant system ready", "[AegisOS] IRQ routing ready",
        "[AegisOS] device MMIO mapping ready", "[AegisOS] per-task address spaces assigned",
        "[AegisOS] arch separation: module tree ready", "[AegisOS] arch separation: complete",
        "[AegisOS] ELF64 parser ready", "[AegisOS] ELF loader ready",
        "[AegisOS] task 2 (hello) loaded from ELF", "[AegisOS] task 3 (sensor) loaded from ELF",
        "[AegisOS] task 4 (logger) loaded from ELF", "[AegisOS] multi-ELF loading complete",
        "[AegisOS] timer started", "[AegisOS] enhanced panic handler ready", "[AegisOS] klog ready",
        "[AegisOS] safety audit complete", "[AegisOS] bootstrapping into uart_driver", "DRV:ready",
        "L5:ELF", "[AegisOS] task 2 exited (code=0)", "SENSOR:init", "J4:UserDrv",
    ];

    /// <summary>Checkpoint numbers the kernel prints before the user ELF images exist (1-18, 23-28, 32).</summary>
    public static readonly IReadOnlyList<int> KernelOnlyStage =
        [.. Enumerable.Range(1, 18), .. Enumerable.Range(23, 6), 32];

    public static string Get(int number) => All[number - 1];
}
