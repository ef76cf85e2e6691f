using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// PSCI through the board's firmware. The call table runs on our Psci and, as `hvc #0` from EL1, on
/// qemu-system-aarch64 7.2; the recorded transcript below is QEMU's (re-checked by PsciQemuReferenceTests).
/// </summary>
public class PsciTests
{
    public static readonly (string Name, ulong X0, ulong X1, ulong X2)[] Calls =
    [
        ("VERSION", 0x8400_0000, 0, 0),
        ("MIGRATE_INFO_TYPE", 0x8400_0006, 0, 0),
        ("AFFINITY_INFO32_cpu0", 0x8400_0004, 0, 0),
        ("AFFINITY_INFO64_cpu0", 0xC400_0004, 0, 0),
        ("AFFINITY_INFO64_cpu1", 0xC400_0004, 1, 0),
        ("AFFINITY_INFO64_mpidr_bit31", 0xC400_0004, 0x8000_0000, 0),
        ("AFFINITY_INFO64_level1", 0xC400_0004, 5, 1),
        ("CPU_ON64_cpu0", 0xC400_0003, 0, 0x4008_0000),
        ("CPU_ON64_cpu1", 0xC400_0003, 1, 0x4008_0000),
        ("CPU_ON32_cpu0", 0x8400_0003, 0, 0x4008_0000),
        ("CPU_ON01_cpu3", 0x95C1_BA60, 3, 0x4008_0000),
        ("CPU_SUSPEND32_bad_state", 0x8400_0001, 0x1000_0000, 0),
        ("CPU_SUSPEND64_bad_state", 0xC400_0001, 0x2_0000, 0),
        ("MIGRATE32", 0x8400_0005, 0, 0),
        ("MIGRATE01", 0x95C1_BA61, 0, 0),
        ("MIGRATE_INFO_UP_CPU", 0x8400_0007, 0, 0),
        ("SYSTEM_SUSPEND", 0x8400_000E, 0, 0),
        ("SMCCC_VERSION", 0x8000_0000, 0, 0),
        ("unknown_zero", 0, 0, 0),
        ("VERSION_with_high_bits", 0x1_8400_0000, 0, 0),
        ("FEATURES_VERSION", 0x8400_000A, 0x8400_0000, 0),
        ("FEATURES_CPU_SUSPEND64", 0x8400_000A, 0xC400_0001, 0),
        ("FEATURES_CPU_OFF", 0x8400_000A, 0x8400_0002, 0),
        ("FEATURES_CPU_ON64", 0x8400_000A, 0xC400_0003, 0),
        ("FEATURES_AFFINITY_INFO32", 0x8400_000A, 0x8400_0004, 0),
        ("FEATURES_MIGRATE", 0x8400_000A, 0x8400_0005, 0),
        ("FEATURES_MIGRATE_INFO_TYPE", 0x8400_000A, 0x8400_0006, 0),
        ("FEATURES_MIGRATE_INFO_UP_CPU", 0x8400_000A, 0x8400_0007, 0),
        ("FEATURES_SYSTEM_OFF", 0x8400_000A, 0x8400_0008, 0),
        ("FEATURES_SYSTEM_RESET", 0x8400_000A, 0x8400_0009, 0),
        ("FEATURES_FEATURES", 0x8400_000A, 0x8400_000A, 0),
        ("FEATURES_SYSTEM_SUSPEND", 0x8400_000A, 0x8400_000E, 0),
        ("FEATURES_SYSTEM_RESET2", 0x8400_000A, 0xC400_0012, 0),
        ("FEATURES_V01_CPU_SUSPEND", 0x8400_000A, 0x95C1_BA5E, 0),
        ("FEATURES_V01_MIGRATE", 0x8400_000A, 0x95C1_BA61, 0),
        ("FEATURES_SMCCC_VERSION", 0x8400_000A, 0x8000_0000, 0),
    ];

    /// <summary>qemu-system-aarch64 7.2, -M virt -cpu cortex-a53, each call made with `hvc #0` at EL1.</summary>
    public const string QemuTranscript = """
        VERSION=0x10001
        MIGRATE_INFO_TYPE=0x2
        AFFINITY_INFO32_cpu0=0x0
        AFFINITY_INFO64_cpu0=0x0
        AFFINITY_INFO64_cpu1=0xfffffffffffffffe
        AFFINITY_INFO64_mpidr_bit31=0xfffffffffffffffe
        AFFINITY_INFO64_level1=0x0
        CPU_ON64_cpu0=0xfffffffffffffffc
        CPU_ON64_cpu1=0xfffffffffffffffe
        CPU_ON32_cpu0=0xfffffffffffffffc
        CPU_ON01_cpu3=0xfffffffffffffffe
        CPU_SUSPEND32_bad_state=0xfffffffffffffffe
        CPU_SUSPEND64_bad_state=0xfffffffffffffffe
        MIGRATE32=0xffffffffffffffff
        MIGRATE01=0xffffffffffffffff
        MIGRATE_INFO_UP_CPU=0xffffffffffffffff
        SYSTEM_SUSPEND=0xffffffffffffffff
        SMCCC_VERSION=0xffffffffffffffff
        unknown_zero=0xffffffffffffffff
        VERSION_with_high_bits=0xffffffffffffffff
        FEATURES_VERSION=0x0
        FEATURES_CPU_SUSPEND64=0x0
        FEATURES_CPU_OFF=0x0
        FEATURES_CPU_ON64=0x0
        FEATURES_AFFINITY_INFO32=0x0
        FEATURES_MIGRATE=0xffffffffffffffff
        FEATURES_MIGRATE_INFO_TYPE=0x0
        FEATURES_MIGRATE_INFO_UP_CPU=0xffffffffffffffff
        FEATURES_SYSTEM_OFF=0x0
        FEATURES_SYSTEM_RESET=0x0
        FEATURES_FEATURES=0x0
        FEATURES_SYSTEM_SUSPEND=0xffffffffffffffff
        FEATURES_SYSTEM_RESET2=0xffffffffffffffff
        FEATURES_V01_CPU_SUSPEND=0x0
        FEATURES_V01_MIGRATE=0xffffffffffffffff
        FEATURES_SMCCC_VERSION=0xffffffffffffffff

        """;

    /// <summary>A board reset as -kernel leaves it: EL1h (the constructor leaves the CPU unreset).</summary>
    private static VirtBoard NewBoard()
    {
        var board = new VirtBoard();
        board.Cpu.Reset(VirtBoard.RamBase);
        return board;
    }

    public static string CallsAsC()
    {
        var sb = new StringBuilder();
        foreach (var (name, x0, x1, x2) in Calls)
            sb.AppendLine($"kv(\"{name}\", hvc(0x{x0:X}UL, 0x{x1:X}UL, 0x{x2:X}UL, 0));");
        return sb.ToString();
    }

    [Test]
    public void CallsAnswerAsQemu()
    {
        var board = NewBoard();
        var cpu = board.Cpu;
        var sb = new StringBuilder();
        foreach (var (name, x0, x1, x2) in Calls)
        {
            cpu.X[0] = x0; cpu.X[1] = x1; cpu.X[2] = x2; cpu.X[3] = 0;
            Assert.That(board.Firmware.Hvc(cpu, 0), Is.True, name);
            sb.Append(name).Append('=').Append(BareMetalProbe.Hex(cpu.X[0])).Append('\n');
        }
        Assert.That(sb.ToString(), Is.EqualTo(QemuTranscript));
        Assert.That(cpu.StopRequest, Is.Null, "none of these calls ends the run");
    }

    [Test]
    public void ArgumentRegistersArePreserved()
    {
        // QEMU 7.2 run: X1-X3 = 0x1111/0x2222/0x3333 unchanged after PSCI_VERSION.
        var board = NewBoard();
        var cpu = board.Cpu;
        cpu.X[0] = Psci.PSCI_VERSION; cpu.X[1] = 0x1111; cpu.X[2] = 0x2222; cpu.X[3] = 0x3333;
        board.Firmware.Hvc(cpu, 0);
        Assert.That(new[] { cpu.X[0], cpu.X[1], cpu.X[2], cpu.X[3] }, Is.EqualTo(new ulong[] { 0x10001, 0x1111, 0x2222, 0x3333 }));
    }

    [Test]
    public void ConduitIsHvcAtEl1AndSmcAtEl2()
    {
        // QEMU 7.2: at EL1 `smc #0` with PSCI_VERSION is UNDEFINED (ESR 0x02000000), `hvc #1` is still PSCI;
        // with virtualization=on (entry at EL2) `smc #0` returns 0x10001.
        var el1 = NewBoard();
        el1.Cpu.X[0] = Psci.PSCI_VERSION;
        Assert.That(el1.Firmware.Smc(el1.Cpu, 0), Is.False, "SMC is left to the architecture");
        Assert.That(el1.Cpu.X[0], Is.EqualTo(Psci.PSCI_VERSION));
        Assert.That(el1.Firmware.Hvc(el1.Cpu, 1), Is.True, "any HVC immediate");
        Assert.That(el1.Cpu.X[0], Is.EqualTo(0x10001));

        var el2 = new VirtBoard(new VirtBoardOptions { El2 = true });
        el2.Cpu.Reset(VirtBoard.RamBase);
        Assert.That(el2.Cpu.EL, Is.EqualTo(2));
        el2.Cpu.X[0] = Psci.PSCI_VERSION;
        Assert.That(el2.Firmware.Hvc(el2.Cpu, 0), Is.False, "HVC at EL2 is the architecture's");
        Assert.That(el2.Firmware.Smc(el2.Cpu, 0), Is.True);
        Assert.That(el2.Cpu.X[0], Is.EqualTo(0x10001));
        el2.Cpu.X[0] = 0x12345;
        Assert.That(el2.Firmware.Smc(el2.Cpu, 0), Is.True, "QEMU 7.2: unknown SMC on the conduit = NOT_SUPPORTED");
        Assert.That(el2.Cpu.X[0], Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void SmcFromEl1IsLeftToTheCpuWhenHcrTscTraps()
    {
        // QEMU pre_smc: HCR_EL2.TSC routes an EL1 SMC to EL2 before the PSCI check.
        var board = new VirtBoard(new VirtBoardOptions { El2 = true });
        var cpu = board.Cpu;
        cpu.Reset(VirtBoard.RamBase);
        cpu.SetExceptionLevel(1, true);
        cpu.X[0] = Psci.PSCI_VERSION;
        Assert.That(board.Firmware.Smc(cpu, 0), Is.True, "TSC clear: PSCI");
        cpu.X[0] = Psci.PSCI_VERSION;
        cpu.MmuRegs.HCR_EL2 |= 1UL << 19;
        Assert.That(board.Firmware.Smc(cpu, 0), Is.False, "TSC set: trap to EL2");
        Assert.That(cpu.X[0], Is.EqualTo(Psci.PSCI_VERSION));
    }

    [Test]
    public void El0CallsAreNeverPsci()
    {
        // QEMU: HVC and SMC are UNDEFINED at EL0 before any PSCI check.
        var board = NewBoard();
        board.Cpu.SetExceptionLevel(0, false);
        board.Cpu.X[0] = Psci.PSCI_VERSION;
        Assert.That(board.Firmware.Hvc(board.Cpu, 0), Is.False);
        Assert.That(board.Cpu.X[0], Is.EqualTo(Psci.PSCI_VERSION));
    }

    [TestCase(Psci.SYSTEM_OFF, 0, PowerEvent.SystemOff)]
    [TestCase(Psci.SYSTEM_RESET, Psci.SystemResetExitCode, PowerEvent.SystemReset)]
    [TestCase(Psci.CPU_OFF, Psci.CpuOffExitCode, PowerEvent.CpuOff)]
    [TestCase(Psci.V01_CPU_OFF, Psci.CpuOffExitCode, PowerEvent.CpuOff)]
    public void PowerCallsEndTheRun(uint function, int exitCode, PowerEvent evt)
    {
        // QEMU 7.2: SYSTEM_OFF/SYSTEM_RESET request shutdown/reset and power the CPU off; they never return.
        var board = NewBoard();
        board.Cpu.X[0] = function;
        Assert.That(board.Firmware.Hvc(board.Cpu, 0), Is.True);
        Assert.That(board.Cpu.StopRequest, Is.EqualTo(StopReason.GuestExit));
        Assert.That(board.Cpu.ExitCode, Is.EqualTo(exitCode));
        Assert.That(board.Psci.LastEvent, Is.EqualTo(evt));
        Assert.That(board.Cpu.X[0], Is.EqualTo(function), "X0 is not written by a call that does not return");
    }

    [Test]
    public void CpuSuspendWithAValidStateReturnsSuccess()
    {
        // QEMU: power state without bits [31:17] -> X0 = 0 and WFI (which may complete at once).
        var board = NewBoard();
        board.Cpu.X[0] = Psci.CPU_SUSPEND64; board.Cpu.X[1] = 0x1_0000;
        board.Firmware.Hvc(board.Cpu, 0);
        Assert.That(board.Cpu.X[0], Is.Zero);
    }
}

[Category("Reference")]
public class PsciQemuReferenceTests
{
    [Test]
    public void RecordedTranscriptIsQemus()
    {
        Assert.That(BareMetalProbe.RunOnQemu(PsciTests.CallsAsC()), Is.EqualTo(PsciTests.QemuTranscript));
    }
}
