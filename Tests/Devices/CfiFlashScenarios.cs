using static Aegis.Tests.Devices.MmioScript;

namespace Aegis.Tests.Devices;

/// <summary>CFI flash command scripts on bank 1 (and a read of bank 0), recorded on QEMU 7.2 in <see cref="CfiFlashTests"/>.</summary>
public static class CfiFlashScenarios
{
    public const ulong F0 = 0x0000_0000, F1 = 0x0400_0000;

    /// <summary>Query word n is at byte offset 4n (bank width 4): the whole table QEMU builds, 0x10 to 0x40, and past it.</summary>
    private static IEnumerable<MmioOp> QueryTable()
    {
        for (ulong n = 0x10; n <= 0x40; n++) yield return R($"Q{n:X2}", F1 + 4 * n);
        yield return R("Q51", F1 + 4 * 0x51);
        yield return R("Q52_past_table", F1 + 4 * 0x52);
    }

    public static readonly Dictionary<string, MmioOp[]> All = new()
    {
        ["UnbackedBanksReadZero"] =
        [
            R("bank0", F0), R("bank0_end", F0 + 0x3FF_FFFC), R("bank1", F1), R8("bank1_byte", F1 + 0x123), R16("bank1_half", F1 + 0x2000),
        ],
        ["IdentifierAndStatus"] =
        [
            W(F1, 0x90), R("id_manufacturer", F1), R("id_device", F1 + 4), R("id_word2", F1 + 8), R("id_word3", F1 + 12),
            R("id_word256_wraps", F1 + 0x400), R("id_word257", F1 + 0x404), R8("id_byte1", F1 + 1), R16("id_half2", F1 + 6),
            W(F1, 0x70), R("status", F1), R16("status_half", F1 + 0x10), R8("status_byte", F1 + 3),
            W(F1, 0x50), R("after_clear_status_reads_array", F1), W(F1, 0x70), R("status_cleared", F1),
            W(F1, 0xFF), R("read_array", F1),
        ],
        ["CfiQuery"] =
        [
            W(F1 + 0x55 * 4, 0x98), .. QueryTable(), R8("Q10_byte", F1 + 0x40), R8("Q10_byte_plus1", F1 + 0x41),
            R16("Q11_half_hi", F1 + 0x46), W(F1, 0x90), R("still_query_after_0x90", F1 + 0x44), W(F1, 0xFF), R("array", F1 + 0x44),
        ],
        ["WordProgram"] =
        [
            W(F1 + 0x100, 0x40), W(F1 + 0x100, 0x1234_5678), R("status_after_program", F1 + 0x100), R("status_elsewhere", F1 + 0x8000),
            W(F1, 0xFF), R("programmed", F1 + 0x100), R("neighbour", F1 + 0x104),
            W(F1, 0x10), W16(F1 + 0x202, 0xABCD), W(F1, 0xFF), R("programmed_half", F1 + 0x200),
            W(F1, 0x40), W8(F1 + 0x301, 0x5A), W(F1, 0xFF), R("programmed_byte", F1 + 0x300),
            W(F1 + 0x100, 0x40), W(F1 + 0x100, 0x0F0F_0F0F), W(F1, 0xFF), R("reprogrammed_no_and", F1 + 0x100),
        ],
        ["BlockErase"] =
        [
            W(F1 + 0x4_0000, 0x40), W(F1 + 0x4_0000, 0x1111_1111), W(F1 + 0x7_FFFC, 0x40), W(F1 + 0x7_FFFC, 0x2222_2222),
            W(F1 + 0x8_0000, 0x40), W(F1 + 0x8_0000, 0x3333_3333), W(F1 + 0x3_FFFC, 0x40), W(F1 + 0x3_FFFC, 0x4444_4444),
            W(F1 + 0x5_0010, 0x20), R("status_before_confirm", F1), W(F1 + 0x4_0000, 0xD0), R("status_after_confirm", F1 + 0x4_0000),
            W(F1, 0xFF), R("erased_start", F1 + 0x4_0000), R("erased_end", F1 + 0x7_FFFC), R("next_sector", F1 + 0x8_0000),
            R("previous_sector", F1 + 0x3_FFFC),
            W(F1 + 0x8_0000, 0x20), W(F1 + 0x8_0000, 0xFF), R("erase_then_read_array", F1 + 0x8_0000),
            W(F1 + 0xC_0000, 0x20), W(F1 + 0xC_0000, 0x42), R("erase_then_bad_confirm", F1 + 0xC_0000),
        ],
        ["WriteToBuffer"] =
        [
            W(F1 + 0x1000, 0xE8), R("xsr", F1 + 0x1000), W(F1 + 0x1000, 3),
            W(F1 + 0x1000, 0x1111_1111), W(F1 + 0x1004, 0x2222_2222), R("status_mid_buffer", F1),
            W(F1 + 0x1008, 0x3333_3333), W(F1 + 0x100C, 0x4444_4444), R("status_before_confirm", F1),
            W(F1 + 0x1000, 0xD0), R("status_after_confirm", F1), W(F1, 0xFF),
            R("w0", F1 + 0x1000), R("w1", F1 + 0x1004), R("w2", F1 + 0x1008), R("w3", F1 + 0x100C), R("w4_untouched", F1 + 0x1010),
            W(F1 + 0x2000, 0xE8), W(F1 + 0x2000, 0x0001_0001), W(F1 + 0x2000, 0xAAAA_5555), W(F1 + 0x2004, 0x5555_AAAA),
            W(F1 + 0x2000, 0xFF), R("aborted_mode_reads_array", F1 + 0x2000), R("aborted_w1", F1 + 0x2004),
            W(F1 + 0x3000, 0xE8), W(F1 + 0x3000, 0), W(F1 + 0x3008, 0x7777_7777), W(F1 + 0x3000, 0xD0), W(F1, 0xFF),
            R("single_word_anywhere", F1 + 0x3008),
        ],
        ["WriteToBufferBlock"] =
        [
            W(F1 + 0x5000, 0xE8), W(F1 + 0x5000, 0), W(F1 + 0x6000, 0x5555_5555), W(F1 + 0x5000, 0xD0), R("other_block_status", F1),
            W(F1, 0x50), W(F1, 0xFF), R("other_block_word", F1 + 0x6000), R("count_block_word", F1 + 0x5000),
            W(F1 + 0x7004, 0xE8), W(F1 + 0x7004, 1), W(F1 + 0x7FFC, 0x6666_6666), W(F1 + 0x8000, 0x7777_7777), R("crossing_status", F1),
            W(F1 + 0x7000, 0xD0), R("crossing_confirm_status", F1), W(F1, 0x50), W(F1, 0xFF),
            R("crossing_first", F1 + 0x7FFC), R("crossing_second", F1 + 0x8000),
            W(F1 + 0x9000, 0xE8), W(F1 + 0x9000, 1), W(F1 + 0x9100, 0x1234_0000), W(F1 + 0x9104, 0x0000_5678), W(F1 + 0x9000, 0xD0),
            W(F1, 0xFF), R("second_block_first", F1 + 0x9100), R("second_block_second", F1 + 0x9104),
        ],
        ["OtherCommands"] =
        [
            W(F1, 0x60), W(F1, 0xD0), R("unlock_status", F1), W(F1, 0x60), W(F1, 0x01), R("lock_status", F1),
            W(F1, 0x60), W(F1, 0x33), R("bad_lock_reads_array", F1 + 0x100),
            W(F1 + 0x100, 0x40), W(F1 + 0x100, 0x600D_F00D), W(F1, 0x42), R("unknown_command_reads_array", F1 + 0x100),
            W(F1, 0x70), W(F1, 0xF0), R("amd_probe_reads_array", F1 + 0x100), W(F1, 0x70), W(F1, 0x00), R("zero_reads_array", F1 + 0x100),
            W16(F1 + 2, 0x70), R("status_via_half_write", F1), W8(F1, 0xFF), R("read_array_via_byte_write", F1 + 0x100),
        ],
    };
}
