using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// GICv2 register semantics: each script of <see cref="GicV2Scenarios"/> runs on our virt board and must print
/// exactly what it printed on qemu-system-aarch64 7.2 (-M virt -cpu cortex-a53), recorded below and re-checked
/// against QEMU by <see cref="GicV2QemuReferenceTests"/>.
/// </summary>
public class GicV2Tests
{
    /// <summary>Transcripts recorded from QEMU 7.2 runs of the scripts (BareMetalProbe, semihosting output).</summary>
    public static readonly Dictionary<string, string> QemuTranscripts = new()
    {
        ["ResetValues"] = """
            GICD_CTLR=0x0
            GICD_TYPER=0x8
            GICD_IIDR=0x43b
            GICD_IGROUPR0=0x0
            GICD_ISENABLER0=0xffff
            GICD_ISENABLER1=0x0
            GICD_ISPENDR0=0x0
            GICD_ICFGR0=0xaaaaaaaa
            GICD_ICFGR1=0x0
            GICD_ICFGR2=0x0
            GICD_ITARGETSR0=0x0
            GICD_ITARGETSR8=0x0
            GICD_IPRIORITYR0=0x0
            GICD_PIDR4=0x4
            GICD_PIDR0=0x90
            GICD_PIDR1=0xb4
            GICD_PIDR2=0x2b
            GICD_CIDR0=0xd
            GICD_CIDR1=0xf0
            GICD_CIDR2=0x5
            GICD_CIDR3=0xb1
            GICD_0x00C=0x0
            GICD_ISENABLER9=0x0
            GICC_CTLR=0x0
            GICC_PMR=0x0
            GICC_BPR=0x0
            GICC_IAR=0x3ff
            GICC_RPR=0xff
            GICC_HPPIR=0x3ff
            GICC_ABPR=0x1
            GICC_AIAR=0x0
            GICC_APR0=0x0
            GICC_IIDR=0x2043b
            ISR=0x0
            """,
        ["WritableBits"] = """
            GICD_CTLR=0x3
            GICC_CTLR=0x21f
            GICC_PMR=0xff
            GICC_BPR=0x7
            GICC_BPR0=0x0
            GICC_ABPR0=0x1
            GICC_ABPR=0x7
            IPRIORITYR8=0xffffffff
            IPRIORITYR8_byte=0xffff12ff
            IPRIORITYR_0x21=0x12
            IPRIORITYR8_half=0x556612ff
            IPRIORITYR_0x22=0x5566
            ITARGETSR0=0x0
            ITARGETSR8=0x0
            ICFGR0=0xaaaaaaaa
            ICFGR1=0xaaaaaaaa
            ICFGR2=0xaaaaaaaa
            ISENABLER0_after_clear=0xffff
            ISENABLER1=0xf00
            ISENABLER1_after_clear=0xc00
            IGROUPR0=0xffffffff
            ISPENDR0=0xffff0000
            ISPENDR0_after_clear=0x0
            ISACTIVER1=0x30
            ICACTIVER1=0x30
            ISACTIVER1_after_clear=0x20
            GICC_APR0=0x10
            GICC_RPR_from_APR=0x8
            GICC_RPR_idle=0xff
            """,
        ["SgiLifecycle"] = """
            ISPENDR0=0x20
            SPENDSGIR1=0x100
            CPENDSGIR1=0x100
            HPPIR=0x5
            RPR=0xff
            ISR=0x80
            IAR=0x5
            ISPENDR0_after_ack=0x0
            ISACTIVER0=0x20
            RPR_running=0x80
            APR2=0x1
            HPPIR_after_ack=0x3ff
            ISR_after_ack=0x0
            IAR_again=0x3ff
            ISACTIVER0_after_eoi=0x0
            RPR_after_eoi=0xff
            APR2_after_eoi=0x0
            RPR_after_spurious_eoi=0xff
            """,
        ["SgiTargetsAndSources"] = """
            filter_others=0x0
            filter_self=0x80
            SPENDSGIR1=0x1000000
            filter_reserved=0x180
            list_cpu1=0x180
            byte_sgir=0x180
            cleared_sgi8=0x80
            SPENDSGIR2=0x5000000
            spend_sgi11=0x880
            IAR1=0x7
            IAR2=0xb
            ISPENDR0_src2_left=0x800
            IAR3=0x80b
            ISPENDR0_end=0x0
            ISACTIVER0_end=0x0
            SPENDSGIR2_end=0x0
            """,
        ["GroupsAckCtlAndFiq"] = """
            grp1_HPPIR=0x3fe
            grp1_ISR=0x80
            grp1_IAR=0x3fe
            ackctl_HPPIR=0x3
            ackctl_IAR=0x3
            ackctl_RPR=0x0
            NSAPR2=0x0
            APR2=0x0
            RPR_after_eoi=0xff
            grp0_fiqen_ISR=0x40
            IAR_fiq=0x4
            ISR_after_ack=0x0
            grp0_disabled_ISR=0x0
            grp0_disabled_HPPIR=0x4
            dist_grp0_off_ISR=0x0
            dist_grp0_off_HPPIR=0x4
            dist_off_HPPIR=0x3ff
            dist_off_IAR=0x3ff
            IAR_end=0x4
            RPR_end=0xff
            """,
        ["PriorityPreemptionBpr3"] = """
            IAR_1=0x1
            RPR_1=0x90
            HPPIR_2=0x2
            ISR_same_group=0x0
            IAR_2_blocked=0x3ff
            ISR_3=0x80
            IAR_3=0x3
            RPR_3=0x80
            IAR_4=0x4
            RPR_4=0x70
            APR1=0x1000000
            APR2=0x101
            RPR_eoi4=0x80
            RPR_eoi3=0x90
            IAR_still_blocked=0x3ff
            RPR_eoi1=0xff
            IAR_2=0x2
            RPR_end=0xff
            ISACTIVER0=0x0
            """,
        ["PriorityBpr0AndPmr"] = """
            IAR_81=0x1
            RPR=0x80
            IAR_80_blocked=0x3ff
            IAR_80=0x2
            pmr80_HPPIR=0x3ff
            pmr80_ISR=0x0
            pmr80_IAR=0x3ff
            pmr81_HPPIR=0x2
            pmr81_ISR=0x80
            pmr81_IAR=0x2
            tie_lowest_id=0x5
            tie_next=0x6
            """,
        ["EoiModeAndDeactivate"] = """
            IAR=0x2
            RPR_after_eoi=0xff
            ISACTIVER0_after_eoi=0x4
            HPPIR_active_and_pending=0x3ff
            ISACTIVER0_after_dir=0x0
            HPPIR_after_dir=0x2
            IAR2=0x2
            ISACTIVER0_dir_ignored=0x4
            ISACTIVER0_end=0x0
            HPPIR_isactiver=0x3ff
            RPR_isactiver=0xff
            HPPIR_icactiver=0x2
            IAR3=0x2
            RPR_after_icactiver=0x40
            RPR_end=0xff
            """,
        ["LevelAndEdgeSpi"] = """
            disabled_ISPENDR1=0x2
            disabled_HPPIR=0x3ff
            enabled_HPPIR=0x21
            enabled_ISR=0x80
            latched_by_enable_ISPENDR1=0x0
            IAR_latched=0x3ff
            after_latched_ISPENDR1=0x0
            IAR_level=0x21
            level_high_ISPENDR1=0x2
            ISACTIVER1=0x2
            icpendr_level_high=0x2
            HPPIR_level_still_high=0x21
            IAR_again=0x21
            line_low_ISPENDR1=0x0
            ISACTIVER1_still=0x2
            HPPIR_idle=0x3ff
            software_latch=0x2
            IAR_latch=0x21
            latch_cleared=0x0
            ICFGR2_edge=0x8
            edge_latched_after_drop=0x2
            IAR_edge=0x21
            edge_cleared=0x0
            second_edge=0x2
            """,
    };

    public static IEnumerable<string> Names => GicV2Scenarios.All.Keys;

    [TestCaseSource(nameof(Names))]
    public void ScriptMatchesQemuTranscript(string name)
    {
        string actual = MmioScript.RunOnBoard(new VirtBoard(), GicV2Scenarios.All[name]);
        Assert.That(actual, Is.EqualTo(QemuTranscripts[name] + "\n"));
    }
}

/// <summary>Re-runs every GIC script on qemu-system-aarch64 and checks the recorded transcript is still QEMU's.</summary>
[Category("Reference")]
public class GicV2QemuReferenceTests
{
    [TestCaseSource(typeof(GicV2Tests), nameof(GicV2Tests.Names))]
    public void RecordedTranscriptIsQemus(string name)
    {
        string qemu = MmioScript.RunOnQemu(GicV2Scenarios.All[name]);
        Assert.That(qemu, Is.EqualTo(GicV2Tests.QemuTranscripts[name] + "\n"));
    }
}
