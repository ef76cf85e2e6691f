using System.CommandLine;
using System.Diagnostics;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>`run FILE.elf [--el2] [--max-instructions N]`: runs a bare-metal ELF, streaming its UART.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a bare-metal AArch64 ELF image" };
        var el2 = new Option<bool>("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on" };
        var max = new Option<ulong?>("--max-instructions") { Description = "stop after this many instructions" };
        var cmd = new Command("run", "run a bare-metal ELF on the virt board") { file, el2, max };
        cmd.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(el2), parse.GetValue(max)));
        return cmd;
    }

    private static int Run(FileInfo file, bool el2, ulong? maxInstructions)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file.FullName); }
        catch (IOException e) { return Fail($"cannot read {file.Name}: {e.Message}"); }
        catch (UnauthorizedAccessException e) { return Fail($"cannot read {file.Name}: {e.Message}"); }

        var board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        try { board.LoadElf(bytes); }
        catch (ElfLoadException e) { return Fail($"{file.Name}: {e.Message}"); }
        return Execute(board, maxInstructions ?? ulong.MaxValue);
    }

    internal static int Execute(VirtBoard board, ulong maxInstructions)
    {
        var stdout = Console.OpenStandardOutput();
        board.Uart.Transmit = b => { stdout.WriteByte(b); if (b == '\n') stdout.Flush(); };
        var watch = Stopwatch.StartNew();
        var reason = board.Cpu.Run(maxInstructions);
        watch.Stop();
        stdout.Flush();
        var cpu = board.Cpu;
        double seconds = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine(
            $"[aegis-emu] {reason}: {cpu.Retired} instructions, {cpu.Cycles} cycles, {seconds:F3} s host, " +
            $"{cpu.Retired / Math.Max(seconds, 1e-9) / 1e6:F1} guest MIPS, exit status {cpu.ExitCode}");
        return reason == StopReason.GuestExit ? cpu.ExitCode : reason == StopReason.InstructionLimit ? 0 : 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"aegis-emu: error: {message}");
        return 2;
    }
}
