namespace Aegis.Emulator.Devices;

/// <summary>Which instruction carries PSCI calls (QEMU's psci-conduit).</summary>
public enum PsciConduit { Hvc, Smc }

/// <summary>Why the firmware ended the run.</summary>
public enum PowerEvent { None, SystemOff, SystemReset, CpuOff }

/// <summary>
/// The Power State Coordination Interface (Arm DEN 0022) as QEMU 7.2's built-in firmware
/// (target/arm/psci.c) provides it to a single Cortex-A53, checked on qemu-system-aarch64 7.2:
/// <list type="bullet">
/// <item>QEMU 7.2 treats EVERY HVC (resp. SMC) on its conduit, at EL1 or above, as a firmware call, whatever
///   the immediate and X0: an unknown function ID returns NOT_SUPPORTED (-1) instead of trapping. Only
///   the other instruction, or EL0, is left to the architecture (UNDEFINED, or an exception to EL2).</item>
/// <item>PSCI_VERSION = 1.1; MIGRATE_INFO_TYPE = 2 (no trusted OS); AFFINITY_INFO(0, level 0) = ON (0),
///   another MPIDR = INVALID_PARAMETERS, level &gt; 0 = 0; CPU_ON(0) = ALREADY_ON, other targets =
///   INVALID_PARAMETERS; MIGRATE = NOT_SUPPORTED; CPU_SUSPEND with power-state bits [31:17] set =
///   INVALID_PARAMETERS, otherwise it returns 0 at once (QEMU waits in WFI; a WFI may always complete early).</item>
/// <item>PSCI_FEATURES: 0 for VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO (32/64-bit and the PSCI 0.1
///   IDs), MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES; NOT_SUPPORTED for anything else.</item>
/// <item>SYSTEM_OFF ends the run with exit status 0; SYSTEM_RESET with <see cref="SystemResetExitCode"/>;
///   CPU_OFF of the only core (QEMU would sit powered off for ever) with <see cref="CpuOffExitCode"/>.</item>
/// </list>
/// Results are 32-bit signed and sign-extended into X0; X1-X3 are preserved.
/// </summary>
public sealed partial class Psci
{
    public const uint PSCI_VERSION = 0x8400_0000, CPU_SUSPEND = 0x8400_0001, CPU_SUSPEND64 = 0xC400_0001,
        CPU_OFF = 0x8400_0002, CPU_ON = 0x8400_0003, CPU_ON64 = 0xC400_0003, AFFINITY_INFO = 0x8400_0004,
        AFFINITY_INFO64 = 0xC400_0004, MIGRATE = 0x8400_0005, MIGRATE64 = 0xC400_0005,
        MIGRATE_INFO_TYPE = 0x8400_0006, SYSTEM_OFF = 0x8400_0008, SYSTEM_RESET = 0x8400_0009,
        PSCI_FEATURES = 0x8400_000A;
    // PSCI 0.1 function IDs as QEMU numbers them (QEMU_PSCI_0_1_FN_BASE 0x95c1ba5e).
    public const uint V01_CPU_SUSPEND = 0x95C1_BA5E, V01_CPU_OFF = 0x95C1_BA5F, V01_CPU_ON = 0x95C1_BA60, V01_MIGRATE = 0x95C1_BA61;

    public const int Success = 0, NotSupported = -1, InvalidParameters = -2, AlreadyOn = -4;
    public const int Version1_1 = 0x0001_0001;
    public const int MigrateInfoTypeNoTrustedOs = 2;

    /// <summary>Exit status of a run ended by SYSTEM_RESET ('R').</summary>
    public const int SystemResetExitCode = 0x52;
    /// <summary>Exit status of a run ended by CPU_OFF of the only core ('O').</summary>
    public const int CpuOffExitCode = 0x4F;

    private const ulong HcrTsc = 1UL << 19;

    public PsciConduit Conduit { get; }

    /// <summary>The power event that ended the run, if any.</summary>
    public PowerEvent LastEvent { get; private set; }

    public Psci(PsciConduit conduit) => Conduit = conduit;

    /// <summary>HVC: a PSCI call when HVC is the conduit and the caller is at EL1 or EL2.</summary>
    public bool Hvc(Cpu.Cpu cpu)
    {
        if (Conduit != PsciConduit.Hvc || cpu.EL == 0) return false;
        Call(cpu);
        return true;
    }

    /// <summary>
    /// SMC: a PSCI call when SMC is the conduit. As QEMU's pre_smc, HCR_EL2.TSC traps an EL1 SMC to EL2
    /// before PSCI sees it, so then the CPU takes the architectural path.
    /// </summary>
    public bool Smc(Cpu.Cpu cpu)
    {
        if (Conduit != PsciConduit.Smc || cpu.EL == 0) return false;
        if (cpu.EL == 1 && cpu.HasEl2 && (cpu.MmuRegs.HCR_EL2 & HcrTsc) != 0) return false;
        Call(cpu);
        return true;
    }

    /// <summary>Performs the call in X0 with arguments X1-X3 (QEMU arm_handle_psci_call).</summary>
    public void Call(Cpu.Cpu cpu)
    {
        ulong fn = cpu.X[0], a1 = cpu.X[1], a2 = cpu.X[2];
        int ret;
        switch (fn)
        {
            case PSCI_VERSION: ret = Version1_1; break;
            case MIGRATE_INFO_TYPE: ret = MigrateInfoTypeNoTrustedOs; break;
            case AFFINITY_INFO or AFFINITY_INFO64:
                // Only affinity level 0 names a CPU; everything above it is always on.
                ret = a2 != 0 ? 0 : a1 == 0 ? 0 /* ON */ : InvalidParameters;
                break;
            case SYSTEM_OFF: PowerOff(cpu, PowerEvent.SystemOff, 0); return;
            case SYSTEM_RESET: PowerOff(cpu, PowerEvent.SystemReset, SystemResetExitCode); return;
            case CPU_OFF or V01_CPU_OFF: PowerOff(cpu, PowerEvent.CpuOff, CpuOffExitCode); return;
            case CPU_ON or CPU_ON64 or V01_CPU_ON: ret = a1 == 0 ? AlreadyOn : InvalidParameters; break;
            case CPU_SUSPEND or CPU_SUSPEND64 or V01_CPU_SUSPEND:
                ret = (a1 & 0xFFFE_0000) != 0 ? InvalidParameters : Success;
                break;
            case MIGRATE or MIGRATE64 or V01_MIGRATE: ret = NotSupported; break;
            case PSCI_FEATURES: ret = IsImplemented(a1) ? Success : NotSupported; break;
            default: ret = NotSupported; break;
        }
        cpu.X[0] = (ulong)(long)ret;
    }

    private static bool IsImplemented(ulong fn) => fn switch
    {
        PSCI_VERSION or MIGRATE_INFO_TYPE or AFFINITY_INFO or AFFINITY_INFO64 or SYSTEM_OFF or SYSTEM_RESET
            or CPU_ON or CPU_ON64 or V01_CPU_ON or CPU_OFF or V01_CPU_OFF or CPU_SUSPEND or CPU_SUSPEND64
            or V01_CPU_SUSPEND or PSCI_FEATURES => true,
        _ => false,
    };

    private void PowerOff(Cpu.Cpu cpu, PowerEvent evt, int exitCode)
    {
        LastEvent = evt;
        cpu.RequestExit(exitCode);
    }
}
