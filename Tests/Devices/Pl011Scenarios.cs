using static Aegis.Tests.Devices.MmioScript;

namespace Aegis.Tests.Devices;

/// <summary>PL011 register scripts (transmit side and interrupts), recorded on QEMU 7.2 in <see cref="Pl011Tests"/>.</summary>
public static class Pl011Scenarios
{
    public const ulong U = 0x0900_0000, D = 0x0800_0000, C = 0x0801_0000;
    public const ulong DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02C, CR = 0x030,
        IFLS = 0x034, IMSC = 0x038, RIS = 0x03C, MIS = 0x040, ICR = 0x044, DMACR = 0x048;

    public static readonly Dictionary<string, MmioOp[]> All = new()
    {
        ["ResetValuesAndIds"] =
        [
            R("FR", U + FR), R("CR", U + CR), R("IFLS", U + IFLS), R("IMSC", U + IMSC), R("RIS", U + RIS), R("MIS", U + MIS),
            R("LCR_H", U + LCR_H), R("IBRD", U + IBRD), R("FBRD", U + FBRD), R("ILPR", U + ILPR), R("RSR", U + RSR),
            R("DMACR", U + DMACR), R("ICR_read", U + ICR), R("reserved_0x4C", U + 0x4C), R("reserved_0xFD0", U + 0xFD0),
            R("PeriphID0", U + 0xFE0), R("PeriphID1", U + 0xFE4), R("PeriphID2", U + 0xFE8), R("PeriphID3", U + 0xFEC),
            R("PCellID0", U + 0xFF0), R("PCellID1", U + 0xFF4), R("PCellID2", U + 0xFF8), R("PCellID3", U + 0xFFC),
            R8("FR_byte", U + FR), R8("FR_plus1_byte", U + FR + 1), R16("PeriphID0_half", U + 0xFE0),
        ],
        ["RegistersKeepWrittenBits"] =
        [
            W(U + IMSC, 0xFFFF_FFFF), R("IMSC", U + IMSC), W(U + IMSC, 0),
            W(U + CR, 0xFFFF_FFFF), R("CR", U + CR), W(U + LCR_H, 0xFFFF_FFFF), R("LCR_H", U + LCR_H),
            W(U + IBRD, 0xFFFF_FFFF), R("IBRD", U + IBRD), W(U + FBRD, 0xFFFF_FFFF), R("FBRD", U + FBRD),
            W(U + IFLS, 0xFFFF_FFFF), R("IFLS", U + IFLS), W(U + ILPR, 0xFFFF_FFFF), R("ILPR", U + ILPR),
            W(U + DMACR, 0xFFFF_FFFF), R("DMACR", U + DMACR), W(U + FR, 0), R("FR_after_write", U + FR),
            W(U + RSR, 0xFF), R("RSR_after_ecr", U + RSR), W(U + LCR_H, 0), R("FR_after_fifo_toggle", U + FR),
        ],
        ["TransmitInterrupt"] =
        [
            W(D + 0, 1), W(C + 0, 1), W(C + 4, 0xFF), W(D + 0x104, 1u << 1),
            W(U + DR, 'x'), R("RIS_after_tx", U + RIS), R("MIS_masked", U + MIS), R("SPI33_pending_masked", D + 0x204),
            W(U + IMSC, 0x20), R("MIS", U + MIS), R("SPI33_pending", D + 0x204), Isr("ISR"), R("HPPIR", C + 0x18),
            W(U + ICR, 0x20), R("RIS_after_icr", U + RIS), R("SPI33_after_icr", D + 0x204), Isr("ISR_after_icr"),
            W(U + CR, 0), W8(U + DR, 'y'), R("RIS_tx_with_uart_disabled", U + RIS), R("FR", U + FR),
            W(U + IMSC, 0), R("SPI33_unmasked_off", D + 0x204), W(U + ICR, 0x7FF), R("RIS_end", U + RIS),
        ],
    };
}
