using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Snapshots;

/// <summary>
/// Every guest program of samples/bin, under both timing models (and at EL2 for the EL2 programs), with UART input
/// queued: snapshots at several points restore, in memory and from their files, to runs identical to the uninterrupted
/// one (<see cref="SnapshotRuns"/>). A component whose state is not saved makes the state fingerprints differ.
/// </summary>
[TestFixture, Parallelizable(ParallelScope.All)]
public sealed class GuestSnapshotTests
{
    /// <summary>Steps from reset: every program's whole run except compute-O0/O2 and the longest, which stop here.</summary>
    public const ulong StepLimit = 1_000_000;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string image in GuestPrograms.Images())
            foreach (string timing in TimingModels.Names)
            {
                yield return new TestCaseData(image, false, timing).SetArgDisplayNames(image, "EL1", timing);
                if (image.StartsWith("el2", StringComparison.Ordinal))
                    yield return new TestCaseData(image, true, timing).SetArgDisplayNames(image, "EL2", timing);
            }
    }

    [TestCaseSource(nameof(Cases))]
    public void RestoredRunsEqualTheUninterruptedRun(string image, bool el2, string timing)
    {
        byte[] elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image));
        var setup = new SnapshotRuns.Setup(o =>
        {
            var board = new VirtBoard(o);
            board.LoadElf(elf);
            board.Uart.Receive(SnapshotRuns.UartInput);
            return board;
        }, new VirtBoardOptions { El2 = el2, Timing = timing }, StepLimit);
        int points = SnapshotRuns.Check(setup, $"{image} at EL{(el2 ? 2 : 1)} under {timing}");
        Assert.That(points, Is.GreaterThanOrEqualTo(2));
    }
}
