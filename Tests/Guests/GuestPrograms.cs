using System.Collections.Concurrent;
using System.Diagnostics;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;

namespace Aegis.Tests.Guests;

/// <summary>
/// What one run of a guest program produced: its UART bytes, its semihosting console bytes (QEMU
/// writes those to its stderr), and its exit status.
/// </summary>
public sealed record GuestRun(byte[] Output, byte[] Semihosting, int ExitCode, string Stop, ulong Instructions = 0, ulong Cycles = 0)
{
    public string Text => global::System.Text.Encoding.Latin1.GetString(Output);
    public string SemihostingText => global::System.Text.Encoding.Latin1.GetString(Semihosting);
}

/// <summary>
/// The committed guest images in samples/bin, and the two ways of running them: on Aegis.Emu's
/// virt board and on qemu-system-aarch64 (the reference), each at EL1 or EL2 entry.
/// </summary>
public static class GuestPrograms
{
    /// <summary>Enough for compute-O0 (about 110 million instructions) with room to spare.</summary>
    public const ulong InstructionLimit = 600_000_000;
    public const int QemuTimeoutMs = 60_000;
    public const int EmulatorTimeoutMs = 60_000;

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string SamplesDir => Path.Combine(RepoRoot, "samples");
    public static string BinDir => Path.Combine(SamplesDir, "bin");

    public static IEnumerable<string> Images() =>
        Directory.Exists(BinDir)
            ? Directory.GetFiles(BinDir, "*.elf").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : [];

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Aegis.Emu.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Aegis.Emu.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// A guest that prints nothing for this many instructions is stuck (an exception loop, say):
    /// the longest silent stretch of a working program is compute-O0's ~30 million per round, and every
    /// program prints its first line within a few thousand instructions.
    /// </summary>
    public const ulong SilenceLimit = 80_000_000, FirstOutputLimit = 10_000_000;

    /// <summary>Runs an image on Aegis.Emu, capturing what the guest writes to the PL011.</summary>
    public static GuestRun RunEmulator(string image, bool el2, ulong limit = InstructionLimit)
    {
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        var output = new MemoryStream();
        var semihosting = new MemoryStream();
        board.Uart.Transmit = b => output.WriteByte(b);
        CaptureSemihosting(board, b => semihosting.WriteByte(b));
        board.LoadElf(File.ReadAllBytes(Path.Combine(BinDir, image)));
        var cpu = board.Cpu;
        StopReason reason = StopReason.Requested;
        bool timedOut = false;
        var run = Task.Run(() =>
        {
            long lastLength = 0;
            ulong lastOutputAt = 0;
            while (true)
            {
                // In slices, so that a stuck guest ends the test early; slicing does not change the run.
                reason = cpu.Run(Math.Min(5_000_000, limit - cpu.Retired));
                if (reason != StopReason.InstructionLimit || cpu.Retired >= limit) break;
                if (output.Length != lastLength) { lastLength = output.Length; lastOutputAt = cpu.Retired; }
                else if (cpu.Retired - lastOutputAt >= (lastLength == 0 ? FirstOutputLimit : SilenceLimit)) break;
            }
        });
        // A host-side watchdog only (the machine itself never reads host time): a loop that retires
        // nothing, such as an instruction abort on every fetch, or a run past the timeout is ended
        // from outside with RequestStop.
        string why = "";
        ulong seen = ulong.MaxValue;
        int still = 0;
        for (int waited = 0; !run.Wait(1000); waited += 1000)
        {
            ulong retired = cpu.Retired;
            still = retired == seen ? still + 1 : 0;
            if (still >= 3) { why = $"no instruction retired for 3 s at PC 0x{cpu.PC:X}"; }
            else if (waited >= EmulatorTimeoutMs) { why = $"host timeout after {EmulatorTimeoutMs} ms at PC 0x{cpu.PC:X}"; }
            seen = retired;
            if (why.Length == 0) continue;
            timedOut = true;
            cpu.RequestStop();
            if (!run.Wait(10_000)) throw new TimeoutException($"{image}: Cpu.Run did not stop after RequestStop");
            break;
        }
        if (timedOut) return new GuestRun(output.ToArray(), semihosting.ToArray(), -1, why, cpu.Retired, cpu.Cycles);
        int exit = reason == StopReason.GuestExit ? board.Cpu.ExitCode : -1;
        return new GuestRun(output.ToArray(), semihosting.ToArray(), exit, reason.ToString(), board.Cpu.Retired, board.Cpu.Cycles);
    }

    /// <summary>
    /// Routes the board's semihosting console (VirtBoard.Semihosting.Output, an Action&lt;byte&gt;) to
    /// <paramref name="sink"/>, apart from the UART. Looked up by name so that these tests build
    /// against a board without semihosting too; false when there is none.
    /// </summary>
    public static bool CaptureSemihosting(VirtBoard board, Action<byte> sink)
    {
        var semihosting = board.GetType().GetProperty("Semihosting")?.GetValue(board);
        var output = semihosting?.GetType().GetProperty("Output");
        if (output is null || output.PropertyType != typeof(Action<byte>) || !output.CanWrite) return false;
        output.SetValue(semihosting, sink);
        return true;
    }

    /// <summary>The QEMU command line (arguments after the program name) for an image.</summary>
    public static string QemuArguments(string imagePath, bool el2) =>
        $"-M virt{(el2 ? ",virtualization=on" : "")} -cpu cortex-a53 -nographic -nic none -semihosting -kernel \"{imagePath}\"";

    // QEMU processes run in parallel, at most this many at once (they are single-threaded TCG runs).
    private static readonly SemaphoreSlim QemuSlots = new(Math.Max(2, Environment.ProcessorCount));
    private static readonly ConcurrentDictionary<(string, bool, int), Lazy<Task<GuestRun>>> QemuRuns = new();

    /// <summary>The QEMU run of an image (started once and cached; <paramref name="instance"/> asks for another run).</summary>
    public static Task<GuestRun> Qemu(string qemu, string image, bool el2, int instance = 0) =>
        QemuRuns.GetOrAdd((image, el2, instance), key => new Lazy<Task<GuestRun>>(() => Task.Run(() => RunQemu(qemu, key.Item1, key.Item2)))).Value;

    /// <summary>Starts every image's QEMU runs in the background so that they overlap with the emulator runs.</summary>
    public static void PrefetchQemu(string qemu, int instances = 1)
    {
        foreach (var image in Images())
            for (int i = 0; i < instances; i++)
            {
                _ = Qemu(qemu, image, el2: false, i);
                _ = Qemu(qemu, image, el2: true, i);
            }
    }

    private static async Task<GuestRun> RunQemu(string qemu, string image, bool el2)
    {
        await QemuSlots.WaitAsync();
        try
        {
            var psi = new ProcessStartInfo(qemu, QemuArguments(Path.Combine(BinDir, image), el2))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var copyOut = p.StandardOutput.BaseStream.CopyToAsync(stdout);
            var copyErr = p.StandardError.BaseStream.CopyToAsync(stderr);
            using var cts = new CancellationTokenSource(QemuTimeoutMs);
            try { await p.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                p.Kill(true);
                return new GuestRun(stdout.ToArray(), stderr.ToArray(), -1, $"QEMU timed out after {QemuTimeoutMs} ms");
            }
            await copyOut;
            await copyErr;
            return new GuestRun(stdout.ToArray(), stderr.ToArray(), p.ExitCode, "exit");
        }
        finally
        {
            QemuSlots.Release();
        }
    }

    /// <summary>"line N: expected ... / actual ..." for the first line where two outputs differ.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? x = i < e.Length ? e[i] : null, y = i < a.Length ? a[i] : null;
            if (x != y)
                return $"first difference at line {i + 1}:\n  QEMU:     {x ?? "<end of output>"}\n  Aegis.Emu: {y ?? "<end of output>"}";
        }
        return "outputs are identical";
    }
}
