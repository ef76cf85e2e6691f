using Aegis.Emu;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Cli;

/// <summary>The progress line of long `run` and `boot` runs on a terminal (Aegis.Emu.Cli/ProgressLine.cs, issue 13).</summary>
[TestFixture]
public class ProgressLineTests
{
    [Test]
    public void FormatsGuestSecondsInstructionsAndMips()
    {
        Assert.That(ProgressLine.Format(1_250_000_000, 1_000_000_000, 50.0, 1e9),
            Is.EqualTo("[aegis-emu] 1.250 s guest, 1000000000 instructions, 20.0 guest MIPS"));
    }

    [Test]
    public void DrawsInPlaceStepsAsideForTheConsoleAndClearsItself()
    {
        var board = new VirtBoard(new VirtBoardOptions());
        var stderr = new LockedWriter();
        var progress = new ProgressLine(board.Cpu, stderr, 1e9, enabled: true, delay: TimeSpan.Zero, interval: TimeSpan.FromMilliseconds(10));
        SpinWait.SpinUntil(() => stderr.ToString().Length > 0, 5000);
        string? during = null;
        progress.Flush(() => during = stderr.ToString());
        progress.Dispose();
        string all = stderr.ToString();
        Assert.That(all, Does.StartWith("\r[aegis-emu] 0.000 s guest, 0 instructions, "));
        Assert.That(during, Does.EndWith("\r"), "the console writes at the start of an empty line");
        Assert.That(all, Does.EndWith("\r"), "cleared before the summary");
        Assert.That(all, Does.Not.Contain("\n"), "one line, rewritten in place");
        Thread.Sleep(50);
        Assert.That(stderr.ToString(), Is.EqualTo(all), "nothing after Dispose");
    }

    [Test]
    public void StaysOffWhenStderrIsNotTheTerminal()
    {
        var board = new VirtBoard(new VirtBoardOptions());
        var stderr = new StringWriter();
        using (var progress = new ProgressLine(board.Cpu, stderr, 1e9, delay: TimeSpan.Zero, interval: TimeSpan.FromMilliseconds(10)))
        {
            Thread.Sleep(50);
            progress.Flush(() => { });
        }
        Assert.That(stderr.ToString(), Is.Empty, "a writer other than the process's stderr: no progress line");
    }

    /// <summary>A StringWriter the timer thread and the test may use at once.</summary>
    private sealed class LockedWriter : StringWriter
    {
        public override void Write(string? value) { lock (this) base.Write(value); }
        public override string ToString() { lock (this) return base.ToString(); }
    }
}
