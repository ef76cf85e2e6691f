using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// The virt board's CFI flash (<see cref="CfiFlash"/>): the command scripts of <see cref="CfiFlashScenarios"/> against
/// qemu-system-aarch64 7.2.22's transcripts (re-checked by <see cref="CfiFlashQemuReferenceTests"/>), and execution in
/// place from bank 0 as QEMU's -bios.
/// </summary>
public class CfiFlashTests
{
    public static readonly Dictionary<string, string> QemuTranscripts = new()
    {
        ["UnbackedBanksReadZero"] = """
            bank0=0x0
            bank0_end=0x0
            bank1=0x0
            bank1_byte=0x0
            bank1_half=0x0
            """,
        ["IdentifierAndStatus"] = """
            id_manufacturer=0x890089
            id_device=0x180018
            id_word2=0x0
            id_word3=0x0
            id_word256_wraps=0x890089
            id_word257=0x180018
            id_byte1=0x89
            id_half2=0x18
            status=0x800080
            status_half=0x80
            status_byte=0x80
            after_clear_status_reads_array=0x0
            status_cleared=0x0
            read_array=0x0
            """,
        ["CfiQuery"] = """
            Q10=0x510051
            Q11=0x520052
            Q12=0x590059
            Q13=0x10001
            Q14=0x0
            Q15=0x310031
            Q16=0x0
            Q17=0x0
            Q18=0x0
            Q19=0x0
            Q1A=0x0
            Q1B=0x450045
            Q1C=0x550055
            Q1D=0x0
            Q1E=0x0
            Q1F=0x70007
            Q20=0x70007
            Q21=0xa000a
            Q22=0x0
            Q23=0x40004
            Q24=0x40004
            Q25=0x40004
            Q26=0x0
            Q27=0x190019
            Q28=0x20002
            Q29=0x0
            Q2A=0xb000b
            Q2B=0x0
            Q2C=0x10001
            Q2D=0xff00ff
            Q2E=0x0
            Q2F=0x0
            Q30=0x20002
            Q31=0x500050
            Q32=0x520052
            Q33=0x490049
            Q34=0x310031
            Q35=0x300030
            Q36=0x0
            Q37=0x0
            Q38=0x0
            Q39=0x0
            Q3A=0x0
            Q3B=0x0
            Q3C=0x0
            Q3D=0x0
            Q3E=0x0
            Q3F=0x10001
            Q40=0x0
            Q51=0x0
            Q52_past_table=0x0
            Q10_byte=0x51
            Q10_byte_plus1=0x51
            Q11_half_hi=0x52
            still_query_after_0x90=0x520052
            array=0x0
            """,
        ["WordProgram"] = """
            status_after_program=0x800080
            status_elsewhere=0x800080
            programmed=0x12345678
            neighbour=0x0
            programmed_half=0xabcd0000
            programmed_byte=0x5a00
            reprogrammed_no_and=0xf0f0f0f
            """,
        ["BlockErase"] = """
            status_before_confirm=0x800080
            status_after_confirm=0x800080
            erased_start=0xffffffff
            erased_end=0xffffffff
            next_sector=0x33333333
            previous_sector=0x44444444
            erase_then_read_array=0xffffffff
            erase_then_bad_confirm=0xffffffff
            """,
        ["WriteToBuffer"] = """
            xsr=0x800080
            status_mid_buffer=0x800080
            status_before_confirm=0x800080
            status_after_confirm=0x800080
            w0=0x11111111
            w1=0x22222222
            w2=0x33333333
            w3=0x44444444
            w4_untouched=0x0
            aborted_mode_reads_array=0x0
            aborted_w1=0x0
            single_word_anywhere=0x77777777
            """,
        ["WriteToBufferBlock"] = """
            other_block_status=0x0
            other_block_word=0x0
            count_block_word=0x0
            crossing_status=0x900090
            crossing_confirm_status=0x0
            crossing_first=0x0
            crossing_second=0x0
            second_block_first=0x12340000
            second_block_second=0x5678
            """,
        ["OtherCommands"] = """
            unlock_status=0x800080
            lock_status=0x800080
            bad_lock_reads_array=0x0
            unknown_command_reads_array=0x600df00d
            amd_probe_reads_array=0x600df00d
            zero_reads_array=0x600df00d
            status_via_half_write=0x800080
            read_array_via_byte_write=0x600df00d
            """,
    };

    public static IEnumerable<string> Names => CfiFlashScenarios.All.Keys;

    [TestCaseSource(nameof(Names))]
    public void ScriptMatchesQemuTranscript(string name)
    {
        string actual = MmioScript.RunOnBoard(new VirtBoard(), CfiFlashScenarios.All[name]);
        Assert.That(actual, Is.EqualTo(QemuTranscripts[name] + "\n"));
    }

    [Test]
    public void DoublewordAccessesAreTwoWordAccessesLowFirst()
    {
        // QEMU's pflash ops take at most 4 bytes: an 8-byte store is the command word, then the data word.
        var board = new VirtBoard();
        const ulong f = VirtBoard.Flash1Base;
        Assert.That(board.Bus.Write(f + 0x300, 8, 0x0000_BEEF_0000_0040UL), Is.True);
        board.Bus.Write(f, 4, 0x70);
        Assert.That(board.Bus.Read(f, 8, out ulong status) ? status : 0, Is.EqualTo(0x0080_0080_0080_0080UL), "status in every lane of both words");
        board.Bus.Write(f, 4, 0xFF);
        Assert.That(board.Bus.Read(f + 0x300, 8, out ulong v) ? v : 0, Is.EqualTo(0x0000_BEEF_0000_0000UL), "programmed at offset + 4");
    }

    [Test]
    public void BiosRunsInPlaceFromBank0()
    {
        // Code and its string both in flash, printed through the UART by the code itself.
        var board = Bios("adr x1, msg", "mov x2, #0x09000000", "1: ldrb w3, [x1], #1", "cbz w3, 2f", "str w3, [x2]", "b 1b",
            "2: b .", "msg: .asciz \"from flash\\n\"");
        var output = new List<byte>();
        board.ConsoleOutput = output.Add;
        Assert.That(board.Cpu.PC, Is.Zero, "reset at the flash base, as QEMU -bios");
        board.Cpu.Run(200);
        Assert.That(System.Text.Encoding.ASCII.GetString(output.ToArray()), Is.EqualTo("from flash\n"));
        Assert.That(board.Cpu.PC, Is.EqualTo(0x18), "spinning at the end");
    }

    [Test]
    public void ReprogrammedFlashCodeRunsTheNewInstructions()
    {
        // The function at 0x1000 in flash returns 1; RAM code calls it, erases its sector, programs "mov x0, #2; ret"
        // and calls it again: the decoded instructions of the old contents must be gone.
        uint[] ret2 = Llvm.Assemble("mov x0, #2", "ret");
        var board = Bios(".space 0x1000", "mov x0, #1", "ret");
        var ram = Llvm.Assemble(
            "mov x9, #0x1000", "blr x9", "mov x20, x0",
            "mov x10, #0x20", "str w10, [x9]", "mov x10, #0xD0", "str w10, [x9]",
            "mov x10, #0x40", "str w10, [x9]", "ldr w11, =" + ret2[0], "str w11, [x9]",
            "mov x10, #0x40", "str w10, [x9, #4]", "ldr w11, =" + ret2[1], "str w11, [x9, #4]",
            "mov x10, #0xFF", "str w10, [x9]",
            "blr x9", "mov x21, x0", "b .");
        LoadCode(board, ram);
        board.Cpu.Run(40);
        Assert.That(board.Cpu.X[20], Is.EqualTo(1));
        Assert.That(board.Cpu.X[21], Is.EqualTo(2));
    }

    [Test]
    public void FetchFromFlashOutsideReadArrayModeIsAnExternalAbort()
    {
        // After a status command the bank is in I/O mode (QEMU's romd off): a fetch cannot use the array.
        var board = Bios("mov x0, #1", "ret");
        var ram = Llvm.Assemble("mov x9, #0", "mov x10, #0x70", "str w10, [x9]", "blr x9", "b .");
        LoadCode(board, ram);
        board.Cpu.Run(4);
        Assert.That(board.Cpu.PC, Is.Zero, "at the branch target, not yet fetched");
        board.Cpu.Run(1);
        Assert.That(board.Cpu.EsrEl[1] >> 26, Is.EqualTo(0x21), "instruction abort, same EL");
        Assert.That(board.Cpu.EsrEl[1] & 0x3F, Is.EqualTo(0x10), "synchronous external abort");
        Assert.That(board.Cpu.ElrEl[1], Is.Zero);
    }

    [Test]
    public void OversizedBiosIsRefused()
    {
        var board = new VirtBoard();
        var e = Assert.Throws<ArgumentException>(() => board.LoadBios(new byte[VirtBoard.FlashBankSize + 1]));
        Assert.That(e!.Message, Does.Contain("does not fit flash bank 0"));
    }

    [Test]
    public void LoadBlobPlacesBytesInRamOnly()
    {
        var board = new VirtBoard();
        board.LoadBlob(VirtBoard.RamBase, [0xD0, 0x0D, 0xFE, 0xED]);
        Assert.That(board.Bus.Read(VirtBoard.RamBase, 4, out ulong v) ? v : 0, Is.EqualTo(0xEDFE_0DD0UL));
        Assert.Throws<ArgumentException>(() => board.LoadBlob(VirtBoard.RamBase + board.Bus.RamSize - 2, [1, 2, 3, 4]));
        Assert.Throws<ArgumentException>(() => board.LoadBlob(VirtBoard.Flash1Base, [1]));
    }

    /// <summary>Firmware whose semihosting string and exit block live in flash (QEMU reads them there too).</summary>
    public static readonly string[] SemihostingFirmware =
    [
        "adr x1, msg", "mov x0, #4", "hlt #0xf000", "adr x1, blk", "mov x0, #0x18", "hlt #0xf000", "b .",
        "msg: .asciz \"semihosting from flash\\n\"", ".balign 8", "blk: .quad 0x20026, 0",
    ];

    [Test]
    public void SemihostingReadsStringsAndBlocksInFlash()
    {
        var board = Bios(SemihostingFirmware);
        var output = new List<byte>();
        board.ConsoleOutput = output.Add;
        Assert.That(board.Cpu.Run(100), Is.EqualTo(StopReason.GuestExit), "the exit block was read from flash");
        Assert.That(System.Text.Encoding.ASCII.GetString(output.ToArray()), Is.EqualTo("semihosting from flash\n"));
    }

    public static VirtBoard Bios(params string[] lines)
    {
        var board = new VirtBoard();
        board.LoadBios(Bytes(Llvm.Assemble(lines)));
        return board;
    }

    /// <summary>Code in RAM at its base, where the CPU restarts.</summary>
    private static void LoadCode(VirtBoard board, uint[] code)
    {
        board.LoadBlob(VirtBoard.RamBase, Bytes(code));
        board.Cpu.Reset(VirtBoard.RamBase);
    }

    public static byte[] Bytes(uint[] code)
    {
        var bytes = new byte[code.Length * 4];
        Buffer.BlockCopy(code, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}

[Category("Reference")]
public class CfiFlashQemuReferenceTests
{
    [TestCaseSource(typeof(CfiFlashTests), nameof(CfiFlashTests.Names))]
    public void RecordedTranscriptIsQemus(string name)
    {
        string qemu = MmioScript.RunOnQemu(CfiFlashScenarios.All[name]);
        Assert.That(qemu, Is.EqualTo(CfiFlashTests.QemuTranscripts[name] + "\n"));
    }

    [Test]
    public void FirmwareInFlashPrintsThroughSemihostingAsOnQemu()
    {
        // QEMU -bios with -semihosting: the string and the SYS_EXIT block are read from flash; output on its stderr.
        string path = Path.Combine(Path.GetTempPath(), $"aegis-fw-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, CfiFlashTests.Bytes(Llvm.Assemble(CfiFlashTests.SemihostingFirmware)));
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(ReferenceTools.Require(ReferenceTools.QemuSystem),
                $"-M virt -cpu cortex-a53 -display none -nic none -monitor none -serial none -semihosting -bios {path}")
            { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(30_000)) { p.Kill(true); Assert.Fail("QEMU did not exit: the exit block was not read"); }
            Assert.That(p.ExitCode, Is.Zero);
            Assert.That(stderr.Result, Is.EqualTo("semihosting from flash\n"));
        }
        finally { File.Delete(path); }
    }
}
