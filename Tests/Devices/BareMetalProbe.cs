using System.Diagnostics;
using System.Text;
using Aegis.Tests.Support;

namespace Aegis.Tests.Devices;

/// <summary>
/// Builds a tiny bare-metal C program (clang-14 + ld.lld-14) and runs it on
/// qemu-system-aarch64 -M virt -cpu cortex-a53 -semihosting: the reference for the device tests.
/// The program prints with semihosting SYS_WRITE0, which QEMU sends to its stderr, so that UART traffic
/// the probe itself causes (on stdout) never mixes with the results.
/// </summary>
public static class BareMetalProbe
{
    private const string Prelude = """
        typedef unsigned long u64; typedef unsigned int u32; typedef unsigned short u16; typedef unsigned char u8;
        static inline void w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
        static inline void w16(u64 a, u16 v) { *(volatile u16 *)a = v; }
        static inline void w8(u64 a, u8 v) { *(volatile u8 *)a = v; }
        static inline u32 r32(u64 a) { return *(volatile u32 *)a; }
        static inline u32 r16(u64 a) { return *(volatile u16 *)a; }
        static inline u32 r8(u64 a) { return *(volatile u8 *)a; }
        static u64 semi(u64 op, u64 arg) {
            register u64 x0 asm("x0") = op, x1 asm("x1") = arg;
            asm volatile("hlt #0xf000" : "+r"(x0), "+r"(x1) :: "memory");
            return x0;
        }
        /* volatile: byte stores only. With the MMU off data accesses are Device memory, where the merged
           unaligned stores clang would emit fault architecturally (QEMU 7.2 does not check). */
        static volatile char line[128];
        static void kv(const char *k, u64 v) {
            int n = 0;
            while (*k) line[n++] = *k++;
            line[n++] = '='; line[n++] = '0'; line[n++] = 'x';
            int started = 0;
            for (int i = 60; i >= 0; i -= 4) {
                int d = (v >> i) & 15;
                if (d || started || i == 0) { started = 1; line[n++] = "0123456789abcdef"[d]; }
            }
            line[n++] = '\n'; line[n] = 0;
            semi(4, (u64)line);
        }
        static u64 isr(void) { u64 v; asm volatile("mrs %0, isr_el1" : "=r"(v)); return v; }
        static u64 hvc(u64 a0, u64 a1, u64 a2, u64 a3) {
            register u64 x0 asm("x0") = a0, x1 asm("x1") = a1, x2 asm("x2") = a2, x3 asm("x3") = a3;
            asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
            return x0;
        }
        """;

    private const string Start = """
        .section .text.start
        .global _start
        _start:
            ldr x0, =stack_top
            mov sp, x0
            bl main
            adr x1, exit_block
            mov x0, #0x18
            hlt #0xf000
        1:  b 1b
        .data
        .balign 8
        exit_block: .quad 0x20026, 0
        .bss
        .balign 16
        .space 16384
        stack_top:
        """;

    private const string LinkerScript = """
        ENTRY(_start)
        SECTIONS {
          . = 0x40080000;
          .text : { *(.text.start) *(.text*) }
          .rodata : { *(.rodata*) }
          .data : { *(.data*) }
          .bss : { *(.bss*) *(COMMON) }
        }
        """;

    /// <summary>Compiles <paramref name="mainBody"/> (statements of main) into a bare-metal ELF for the virt board.</summary>
    public static byte[] BuildElf(string mainBody)
    {
        ReferenceTools.Require(ReferenceTools.Clang);
        ReferenceTools.Require(ReferenceTools.Lld);
        string dir = Directory.CreateTempSubdirectory("aegis-probe-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "probe.c"), Prelude + "\nint main(void) {\n" + mainBody + "\nreturn 0;\n}\n");
            File.WriteAllText(Path.Combine(dir, "start.S"), Start + "\n");
            File.WriteAllText(Path.Combine(dir, "link.ld"), LinkerScript + "\n");
            const string flags = "--target=aarch64-none-elf -mcpu=cortex-a53 -mgeneral-regs-only -ffreestanding -nostdlib -O1 -c";
            ReferenceTools.Run(ReferenceTools.Clang, $"{flags} {dir}/probe.c -o {dir}/probe.o");
            ReferenceTools.Run(ReferenceTools.Clang, $"{flags} {dir}/start.S -o {dir}/start.o");
            ReferenceTools.Run(ReferenceTools.Lld, $"-T {dir}/link.ld -z max-page-size=4096 {dir}/start.o {dir}/probe.o -o {dir}/probe.elf");
            return File.ReadAllBytes(Path.Combine(dir, "probe.elf"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Compiles <paramref name="mainBody"/> and returns what QEMU printed through semihosting.</summary>
    public static string RunOnQemu(string mainBody, string machine = "virt")
    {
        var elf = BuildElf(mainBody);
        ReferenceTools.Require(ReferenceTools.QemuSystem);
        string path = Path.Combine(Path.GetTempPath(), $"aegis-probe-{Guid.NewGuid():N}.elf");
        try
        {
            File.WriteAllBytes(path, elf);
            return RunQemuCapturingStderr($"-M {machine} -cpu cortex-a53 -nographic -nic none -monitor none -serial null -semihosting -kernel {path}");
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// Runs a probe ELF on our virt board and returns what it printed through semihosting (UART output is
    /// dropped, as QEMU's -serial null). A watchdog stops a run that takes longer than <paramref name="seconds"/>.
    /// </summary>
    public static (Aegis.Emulator.Cpu.StopReason Reason, int ExitCode, string Output) RunOnAegis(byte[] elf, int seconds = 30)
    {
        var board = new Aegis.Emulator.Devices.VirtBoard();
        board.LoadElf(elf);
        var output = new StringBuilder();
        board.Uart.Transmit = _ => { };
        board.Semihosting.Output = b => output.Append((char)b);
        using var watchdog = new Timer(_ => board.Cpu.RequestStop(), null, seconds * 1000, Timeout.Infinite);
        var reason = board.Cpu.Run(200_000_000);
        return (reason, board.Cpu.ExitCode, output.ToString());
    }

    private static string RunQemuCapturingStderr(string arguments)
    {
        var psi = new ProcessStartInfo(ReferenceTools.Require(ReferenceTools.QemuSystem), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("qemu-system-aarch64 probe timed out"); }
        _ = stdout.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"probe exited with {p.ExitCode}: {stderr.Result}");
        return stderr.Result.Replace("\r\n", "\n");
    }

    public static string Hex(ulong v) => "0x" + v.ToString("x");
}

/// <summary>
/// One device-register access of a probe script. The same script runs on our board (C#) and, turned into
/// C, on QEMU; the tests compare the two transcripts line for line.
/// </summary>
public abstract record MmioOp
{
    public sealed record Write(ulong Address, uint Value, int Size = 4) : MmioOp;
    public sealed record Read(string Label, ulong Address, int Size = 4) : MmioOp;
    /// <summary>ISR_EL1 as the CPU sees the GIC's outputs: I (0x80) for IRQ, F (0x40) for FIQ.</summary>
    public sealed record Isr(string Label) : MmioOp;
}

public static class MmioScript
{
    public static MmioOp W(ulong address, uint value) => new MmioOp.Write(address, value);
    public static MmioOp W8(ulong address, uint value) => new MmioOp.Write(address, value, 1);
    public static MmioOp W16(ulong address, uint value) => new MmioOp.Write(address, value, 2);
    public static MmioOp R(string label, ulong address) => new MmioOp.Read(label, address);
    public static MmioOp R8(string label, ulong address) => new MmioOp.Read(label, address, 1);
    public static MmioOp R16(string label, ulong address) => new MmioOp.Read(label, address, 2);
    public static MmioOp Isr(string label) => new MmioOp.Isr(label);

    /// <summary>Runs the script on our virt board's physical bus.</summary>
    public static string RunOnBoard(Aegis.Emulator.Devices.VirtBoard board, IEnumerable<MmioOp> ops)
    {
        var sb = new StringBuilder();
        foreach (var op in ops)
        {
            switch (op)
            {
                case MmioOp.Write w:
                    if (!board.Bus.Write(w.Address, w.Size, w.Value)) throw new InvalidOperationException($"write 0x{w.Address:X} aborted");
                    break;
                case MmioOp.Read r:
                    if (!board.Bus.Read(r.Address, r.Size, out ulong v)) throw new InvalidOperationException($"read 0x{r.Address:X} aborted");
                    sb.Append(r.Label).Append('=').Append(BareMetalProbe.Hex(v)).Append('\n');
                    break;
                case MmioOp.Isr i:
                    ulong isr = (board.Cpu.IrqLine ? 0x80UL : 0) | (board.Cpu.FiqLine ? 0x40UL : 0);
                    sb.Append(i.Label).Append('=').Append(BareMetalProbe.Hex(isr)).Append('\n');
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The statements of a C main() that perform the script and print each read.</summary>
    public static string ToC(IEnumerable<MmioOp> ops)
    {
        var sb = new StringBuilder();
        foreach (var op in ops)
        {
            switch (op)
            {
                case MmioOp.Write w:
                    sb.AppendLine($"w{w.Size * 8}(0x{w.Address:X}UL, 0x{w.Value:X}u);");
                    break;
                case MmioOp.Read r:
                    sb.AppendLine($"kv(\"{r.Label}\", r{r.Size * 8}(0x{r.Address:X}UL));");
                    break;
                case MmioOp.Isr i:
                    sb.AppendLine($"kv(\"{i.Label}\", isr() & 0xC0);");
                    break;
            }
        }
        return sb.ToString();
    }

    public static string RunOnQemu(IEnumerable<MmioOp> ops) => BareMetalProbe.RunOnQemu(ToC(ops));
}
