using static Aegis.Tests.Devices.MmioScript;

namespace Aegis.Tests.Devices;

/// <summary>
/// GICv2 register scripts. Each one starts from reset; its transcript on QEMU 7.2 is recorded in
/// <see cref="GicV2Tests"/> and checked against qemu-system-aarch64 by <see cref="GicV2QemuReferenceTests"/>.
/// </summary>
public static class GicV2Scenarios
{
    public const ulong D = 0x0800_0000, C = 0x0801_0000, U = 0x0900_0000;
    // GICD offsets
    public const ulong CTLR = 0x000, TYPER = 0x004, IIDR = 0x008, IGROUPR = 0x080, ISENABLER = 0x100, ICENABLER = 0x180,
        ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300, ICACTIVER = 0x380, IPRIORITYR = 0x400, ITARGETSR = 0x800,
        ICFGR = 0xC00, SGIR = 0xF00, CPENDSGIR = 0xF10, SPENDSGIR = 0xF20;
    // GICC offsets
    public const ulong GICC_CTLR = 0x00, PMR = 0x04, BPR = 0x08, IAR = 0x0C, EOIR = 0x10, RPR = 0x14, HPPIR = 0x18, ABPR = 0x1C,
        AIAR = 0x20, AHPPIR = 0x28, APR0 = 0xD0, NSAPR0 = 0xE0, GICC_IIDR = 0xFC, DIR = 0x1000;

    /// <summary>GICD_SGIR value for SGI <paramref name="id"/> to CPU 0 through the target list.</summary>
    public static uint SgiToCpu0(int id) => (1u << 16) | (uint)id;

    /// <summary>Both groups enabled in the distributor and the CPU interface, PMR open.</summary>
    public static IEnumerable<MmioOp> Enable(uint pmr = 0xFF) => [W(D + CTLR, 1), W(C + GICC_CTLR, 1), W(C + PMR, pmr)];

    public static readonly Dictionary<string, MmioOp[]> All = new()
    {
        ["ResetValues"] =
        [
            R("GICD_CTLR", D + CTLR), R("GICD_TYPER", D + TYPER), R("GICD_IIDR", D + IIDR),
            R("GICD_IGROUPR0", D + IGROUPR), R("GICD_ISENABLER0", D + ISENABLER), R("GICD_ISENABLER1", D + ISENABLER + 4),
            R("GICD_ISPENDR0", D + ISPENDR), R("GICD_ICFGR0", D + ICFGR), R("GICD_ICFGR1", D + ICFGR + 4), R("GICD_ICFGR2", D + ICFGR + 8),
            R("GICD_ITARGETSR0", D + ITARGETSR), R("GICD_ITARGETSR8", D + ITARGETSR + 0x20), R("GICD_IPRIORITYR0", D + IPRIORITYR),
            R("GICD_PIDR4", D + 0xFD0), R("GICD_PIDR0", D + 0xFE0), R("GICD_PIDR1", D + 0xFE4), R("GICD_PIDR2", D + 0xFE8),
            R("GICD_CIDR0", D + 0xFF0), R("GICD_CIDR1", D + 0xFF4), R("GICD_CIDR2", D + 0xFF8), R("GICD_CIDR3", D + 0xFFC),
            R("GICD_0x00C", D + 0x00C), R("GICD_ISENABLER9", D + ISENABLER + 0x24),
            R("GICC_CTLR", C + GICC_CTLR), R("GICC_PMR", C + PMR), R("GICC_BPR", C + BPR), R("GICC_IAR", C + IAR),
            R("GICC_RPR", C + RPR), R("GICC_HPPIR", C + HPPIR), R("GICC_ABPR", C + ABPR), R("GICC_AIAR", C + AIAR),
            R("GICC_APR0", C + APR0), R("GICC_IIDR", C + GICC_IIDR), Isr("ISR"),
        ],
        ["WritableBits"] =
        [
            W(D + CTLR, 0xFFFF_FFFF), R("GICD_CTLR", D + CTLR), W(D + CTLR, 0),
            W(C + GICC_CTLR, 0xFFFF_FFFF), R("GICC_CTLR", C + GICC_CTLR), W(C + GICC_CTLR, 0),
            W(C + PMR, 0xFFFF_FFFF), R("GICC_PMR", C + PMR),
            W(C + BPR, 0xFFFF_FFFF), R("GICC_BPR", C + BPR), W(C + BPR, 0), R("GICC_BPR0", C + BPR),
            W(C + ABPR, 0), R("GICC_ABPR0", C + ABPR), W(C + ABPR, 0xFFFF_FFFF), R("GICC_ABPR", C + ABPR),
            W(D + IPRIORITYR + 0x20, 0xFFFF_FFFF), R("IPRIORITYR8", D + IPRIORITYR + 0x20),
            W8(D + IPRIORITYR + 0x21, 0x12), R("IPRIORITYR8_byte", D + IPRIORITYR + 0x20), R8("IPRIORITYR_0x21", D + IPRIORITYR + 0x21),
            W16(D + IPRIORITYR + 0x22, 0x5566), R("IPRIORITYR8_half", D + IPRIORITYR + 0x20), R16("IPRIORITYR_0x22", D + IPRIORITYR + 0x22),
            W(D + ITARGETSR, 0xFFFF_FFFF), W(D + ITARGETSR + 0x20, 0xFFFF_FFFF), R("ITARGETSR0", D + ITARGETSR), R("ITARGETSR8", D + ITARGETSR + 0x20),
            W(D + ICFGR, 0), R("ICFGR0", D + ICFGR), W(D + ICFGR + 4, 0xFFFF_FFFF), R("ICFGR1", D + ICFGR + 4),
            W(D + ICFGR + 8, 0xFFFF_FFFF), R("ICFGR2", D + ICFGR + 8),
            W(D + ICENABLER, 0xFFFF_FFFF), R("ISENABLER0_after_clear", D + ISENABLER),
            W(D + ISENABLER + 4, 0x0000_0F00), R("ISENABLER1", D + ISENABLER + 4), W(D + ICENABLER + 4, 0x0000_0300), R("ISENABLER1_after_clear", D + ISENABLER + 4),
            W(D + IGROUPR, 0xFFFF_FFFF), R("IGROUPR0", D + IGROUPR),
            W(D + ISPENDR, 0xFFFF_FFFF), R("ISPENDR0", D + ISPENDR), W(D + ICPENDR, 0xFFFF_FFFF), R("ISPENDR0_after_clear", D + ISPENDR),
            W(D + ISACTIVER + 4, 0x30), R("ISACTIVER1", D + ISACTIVER + 4), R("ICACTIVER1", D + ICACTIVER + 4),
            W(D + ICACTIVER + 4, 0x10), R("ISACTIVER1_after_clear", D + ISACTIVER + 4),
            W(C + APR0, 0x10), R("GICC_APR0", C + APR0), R("GICC_RPR_from_APR", C + RPR), W(C + APR0, 0), R("GICC_RPR_idle", C + RPR),
        ],
        ["SgiLifecycle"] =
        [
            .. Enable(0xF0), W(D + IPRIORITYR + 4, 0x8080_8080),
            W(D + SGIR, SgiToCpu0(5)), R("ISPENDR0", D + ISPENDR), R("SPENDSGIR1", D + SPENDSGIR + 4), R("CPENDSGIR1", D + CPENDSGIR + 4),
            R("HPPIR", C + HPPIR), R("RPR", C + RPR), Isr("ISR"),
            R("IAR", C + IAR), R("ISPENDR0_after_ack", D + ISPENDR), R("ISACTIVER0", D + ISACTIVER), R("RPR_running", C + RPR),
            R("APR2", C + APR0 + 8), R("HPPIR_after_ack", C + HPPIR), Isr("ISR_after_ack"), R("IAR_again", C + IAR),
            W(C + EOIR, 5), R("ISACTIVER0_after_eoi", D + ISACTIVER), R("RPR_after_eoi", C + RPR), R("APR2_after_eoi", C + APR0 + 8),
            W(C + EOIR, 1023), R("RPR_after_spurious_eoi", C + RPR),
        ],
        ["SgiTargetsAndSources"] =
        [
            .. Enable(),
            W(D + SGIR, (1u << 24) | 6), R("filter_others", D + ISPENDR),
            W(D + SGIR, (2u << 24) | 7), R("filter_self", D + ISPENDR), R("SPENDSGIR1", D + SPENDSGIR + 4),
            W(D + SGIR, (3u << 24) | 8), R("filter_reserved", D + ISPENDR),
            W(D + SGIR, (2u << 16) | 9), R("list_cpu1", D + ISPENDR),
            W8(D + SGIR, 10), R("byte_sgir", D + ISPENDR),
            W(D + CPENDSGIR + 8, 0x1), R("cleared_sgi8", D + ISPENDR),
            W8(D + SPENDSGIR + 11, 0x05), R("SPENDSGIR2", D + SPENDSGIR + 8), R("spend_sgi11", D + ISPENDR),
            R("IAR1", C + IAR), W(C + EOIR, 7), R("IAR2", C + IAR), W(C + EOIR, 11),
            R("ISPENDR0_src2_left", D + ISPENDR), R("IAR3", C + IAR), W(C + EOIR, 11 | (2 << 10)),
            R("ISPENDR0_end", D + ISPENDR), R("ISACTIVER0_end", D + ISACTIVER), R("SPENDSGIR2_end", D + SPENDSGIR + 8),
        ],
        ["GroupsAckCtlAndFiq"] =
        [
            W(D + IGROUPR, 1u << 3), W(D + CTLR, 3), W(C + GICC_CTLR, 3), W(C + PMR, 0xFF),
            W(D + SGIR, SgiToCpu0(3)), R("grp1_HPPIR", C + HPPIR), Isr("grp1_ISR"), R("grp1_IAR", C + IAR),
            W(C + GICC_CTLR, 7), R("ackctl_HPPIR", C + HPPIR), R("ackctl_IAR", C + IAR), R("ackctl_RPR", C + RPR),
            R("NSAPR2", C + NSAPR0 + 8), R("APR2", C + APR0 + 8), W(C + EOIR, 3), R("RPR_after_eoi", C + RPR),
            W(C + GICC_CTLR, 0xB), W(D + SGIR, SgiToCpu0(4)), Isr("grp0_fiqen_ISR"), R("IAR_fiq", C + IAR), Isr("ISR_after_ack"),
            W(C + EOIR, 4),
            W(C + GICC_CTLR, 0x2), W(D + SGIR, SgiToCpu0(4)), Isr("grp0_disabled_ISR"), R("grp0_disabled_HPPIR", C + HPPIR),
            W(D + CTLR, 2), W(C + GICC_CTLR, 0x3), Isr("dist_grp0_off_ISR"), R("dist_grp0_off_HPPIR", C + HPPIR),
            W(D + CTLR, 0), R("dist_off_HPPIR", C + HPPIR), R("dist_off_IAR", C + IAR),
            W(D + CTLR, 1), R("IAR_end", C + IAR), W(C + EOIR, 4), R("RPR_end", C + RPR),
        ],
        ["PriorityPreemptionBpr3"] =
        [
            .. Enable(), W(C + BPR, 3),
            W8(D + IPRIORITYR + 1, 0x90), W8(D + IPRIORITYR + 2, 0x98), W8(D + IPRIORITYR + 3, 0x80), W8(D + IPRIORITYR + 4, 0x7F),
            W(D + SGIR, SgiToCpu0(1)), R("IAR_1", C + IAR), R("RPR_1", C + RPR),
            W(D + SGIR, SgiToCpu0(2)), R("HPPIR_2", C + HPPIR), Isr("ISR_same_group"), R("IAR_2_blocked", C + IAR),
            W(D + SGIR, SgiToCpu0(3)), Isr("ISR_3"), R("IAR_3", C + IAR), R("RPR_3", C + RPR),
            W(D + SGIR, SgiToCpu0(4)), R("IAR_4", C + IAR), R("RPR_4", C + RPR),
            R("APR1", C + APR0 + 4), R("APR2", C + APR0 + 8),
            W(C + EOIR, 4), R("RPR_eoi4", C + RPR), W(C + EOIR, 3), R("RPR_eoi3", C + RPR),
            R("IAR_still_blocked", C + IAR), W(C + EOIR, 1), R("RPR_eoi1", C + RPR),
            R("IAR_2", C + IAR), W(C + EOIR, 2), R("RPR_end", C + RPR), R("ISACTIVER0", D + ISACTIVER),
        ],
        ["PriorityBpr0AndPmr"] =
        [
            .. Enable(), W(C + BPR, 0),
            W8(D + IPRIORITYR + 1, 0x81), W8(D + IPRIORITYR + 2, 0x80),
            W(D + SGIR, SgiToCpu0(1)), R("IAR_81", C + IAR), R("RPR", C + RPR),
            W(D + SGIR, SgiToCpu0(2)), R("IAR_80_blocked", C + IAR), W(C + EOIR, 1), R("IAR_80", C + IAR), W(C + EOIR, 2),
            W(C + PMR, 0x80), W(D + SGIR, SgiToCpu0(2)), R("pmr80_HPPIR", C + HPPIR), Isr("pmr80_ISR"), R("pmr80_IAR", C + IAR),
            W(C + PMR, 0x81), R("pmr81_HPPIR", C + HPPIR), Isr("pmr81_ISR"), R("pmr81_IAR", C + IAR), W(C + EOIR, 2),
            W8(D + IPRIORITYR + 5, 0x10), W8(D + IPRIORITYR + 6, 0x10), W(C + PMR, 0xFF),
            W(D + SGIR, SgiToCpu0(6)), W(D + SGIR, SgiToCpu0(5)), R("tie_lowest_id", C + IAR), W(C + EOIR, 5),
            R("tie_next", C + IAR), W(C + EOIR, 6),
        ],
        ["EoiModeAndDeactivate"] =
        [
            .. Enable(), W(C + GICC_CTLR, 0x201), W8(D + IPRIORITYR + 2, 0x40),
            W(D + SGIR, SgiToCpu0(2)), R("IAR", C + IAR), W(C + EOIR, 2), R("RPR_after_eoi", C + RPR),
            R("ISACTIVER0_after_eoi", D + ISACTIVER), W(D + SGIR, SgiToCpu0(2)), R("HPPIR_active_and_pending", C + HPPIR),
            W(C + DIR, 2), R("ISACTIVER0_after_dir", D + ISACTIVER), R("HPPIR_after_dir", C + HPPIR),
            W(C + GICC_CTLR, 0x1), R("IAR2", C + IAR), W(C + DIR, 2), R("ISACTIVER0_dir_ignored", D + ISACTIVER),
            W(C + EOIR, 2), R("ISACTIVER0_end", D + ISACTIVER),
            W(D + ISACTIVER, 1u << 2), W(D + SGIR, SgiToCpu0(2)), R("HPPIR_isactiver", C + HPPIR), R("RPR_isactiver", C + RPR),
            W(D + ICACTIVER, 1u << 2), R("HPPIR_icactiver", C + HPPIR), R("IAR3", C + IAR), W(D + ICACTIVER, 1u << 2),
            R("RPR_after_icactiver", C + RPR), W(C + EOIR, 2), R("RPR_end", C + RPR),
        ],
        // SPI 33 is the UART's interrupt: a level-sensitive line we can drive from the guest (TXRIS after a UARTDR write).
        ["LevelAndEdgeSpi"] =
        [
            .. Enable(), W8(D + IPRIORITYR + 33, 0x40), W(U + 0x038, 0x20), W(U + 0x044, 0x7FF),
            W(U + 0, 'a'), R("disabled_ISPENDR1", D + ISPENDR + 4), R("disabled_HPPIR", C + HPPIR),
            W(D + ISENABLER + 4, 1u << 1), R("enabled_HPPIR", C + HPPIR), Isr("enabled_ISR"),
            W(U + 0x044, 0x20), R("latched_by_enable_ISPENDR1", D + ISPENDR + 4), R("IAR_latched", C + IAR), W(C + EOIR, 33),
            R("after_latched_ISPENDR1", D + ISPENDR + 4),
            W(U + 0, 'b'), R("IAR_level", C + IAR), R("level_high_ISPENDR1", D + ISPENDR + 4), R("ISACTIVER1", D + ISACTIVER + 4),
            W(D + ICPENDR + 4, 1u << 1), R("icpendr_level_high", D + ISPENDR + 4),
            W(C + EOIR, 33), R("HPPIR_level_still_high", C + HPPIR), R("IAR_again", C + IAR),
            W(U + 0x044, 0x20), R("line_low_ISPENDR1", D + ISPENDR + 4), R("ISACTIVER1_still", D + ISACTIVER + 4),
            W(C + EOIR, 33), R("HPPIR_idle", C + HPPIR),
            W(D + ISPENDR + 4, 1u << 1), R("software_latch", D + ISPENDR + 4), R("IAR_latch", C + IAR), R("latch_cleared", D + ISPENDR + 4), W(C + EOIR, 33),
            W(D + ICFGR + 8, 0x8), R("ICFGR2_edge", D + ICFGR + 8),
            W(U + 0, 'c'), W(U + 0x044, 0x20), R("edge_latched_after_drop", D + ISPENDR + 4), R("IAR_edge", C + IAR), R("edge_cleared", D + ISPENDR + 4),
            W(C + EOIR, 33), W(U + 0, 'd'), R("second_edge", D + ISPENDR + 4), W(U + 0x044, 0x20),
        ],
    };
}
