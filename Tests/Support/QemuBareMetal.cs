namespace Aegis.Tests.Support;

/// <summary>
/// Runs a small A64 assembly program bare-metal on qemu-system-aarch64 7.2 (-M virt -cpu cortex-a53, entered at
/// EL1, or at EL2 with virtualization=on) and returns what it printed on the PL011, line by line. The program
/// starts at <c>_start</c> (linked at 0x4008_0000, stack at 0x4020_0000 set up before it) and may use two
/// routines appended to it: <c>bl puthex</c> prints X0 as 16 hex digits and a newline (clobbers x3-x7), and
/// <c>b qemu_exit</c> ends the run through semihosting SYS_EXIT.
/// </summary>
public static class QemuBareMetal
{
    private const string Runtime = """

puthex:
  mov x3, #60
  ldr x4, =0x09000000
1: lsr x5, x0, x3
  and x5, x5, #15
  cmp x5, #10
  add x6, x5, #'0'
  add x7, x5, #('A'-10)
  csel x5, x6, x7, lt
  strb w5, [x4]
  subs x3, x3, #4
  b.ge 1b
  mov w5, #'\n'
  strb w5, [x4]
  ret
qemu_exit:
  mov w0, #0x18          // SYS_EXIT: x1 points to {ADP_Stopped_ApplicationExit, 0}
  adr x1, exit_block
  hlt #0xf000
.balign 8
exit_block:
  .quad 0x20026, 0

""";

    public static string[] RunLines(string program, bool el2)
    {
        ReferenceTools.Require(ReferenceTools.QemuSystem);
        string dir = Directory.CreateTempSubdirectory("aegis-bare").FullName;
        try
        {
            string elf = Build(program, dir);
            string machine = el2 ? "virt,virtualization=on" : "virt";
            string output = ReferenceTools.Run(ReferenceTools.QemuSystem,
                $"-M {machine} -cpu cortex-a53 -nographic -nic none -semihosting -kernel {elf}", timeoutMs: 30_000);
            return Lines(output);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The same program's ELF (clang-14 + ld.lld-14), to run on Aegis.Emu too.</summary>
    public static byte[] BuildElf(string program)
    {
        string dir = Directory.CreateTempSubdirectory("aegis-bare").FullName;
        try { return File.ReadAllBytes(Build(program, dir)); }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Runs an ELF from <see cref="BuildElf"/> on Aegis.Emu's virt board until it exits; its PL011 lines.</summary>
    public static string[] RunOnAegis(byte[] elf, bool el2, ulong maxInstructions = 10_000_000)
    {
        var board = new Aegis.Emulator.Devices.VirtBoard(new Aegis.Emulator.Devices.VirtBoardOptions { El2 = el2 });
        var text = new System.Text.StringBuilder();
        board.Uart.Transmit = b => text.Append((char)b);
        board.LoadElf(elf);
        var reason = board.Cpu.Run(maxInstructions);
        if (reason != Aegis.Emulator.Cpu.StopReason.GuestExit)
            throw new InvalidOperationException($"the program did not exit ({reason}, PC 0x{board.Cpu.PC:X}):\n{text}");
        return Lines(text.ToString());
    }

    // --image-base: the ELF header segment lld emits goes into RAM (0x4007_0000), not into the flash window.
    private static string Build(string program, string dir)
    {
        File.WriteAllText(Path.Combine(dir, "t.S"), ".global _start\n_start:\n  ldr x1, =0x40200000\n  mov sp, x1\n" + program + Runtime);
        ReferenceTools.Run(ReferenceTools.Clang, $"--target=aarch64-none-elf -mcpu=cortex-a53 -c {dir}/t.S -o {dir}/t.o");
        ReferenceTools.Run(ReferenceTools.Lld, $"-Ttext=0x40080000 --image-base=0x40070000 {dir}/t.o -o {dir}/t.elf");
        return Path.Combine(dir, "t.elf");
    }

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
