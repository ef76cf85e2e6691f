using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Snapshots;
using NUnit.Framework;

namespace Aegis.Tests.Snapshots;

/// <summary>The end of a run: what a snapshot test compares between the uninterrupted run and a restored one.</summary>
public sealed record RunEnd(byte[] Console, StopReason Stop, ulong Retired, ulong Cycles, ulong Pc, ulong[] X, ulong[] V, byte[] Fingerprint, byte[] Ram)
{
    public static RunEnd Of(VirtBoard board, IEnumerable<byte> console, StopReason stop)
    {
        byte[] ram = System.Security.Cryptography.SHA256.HashData(board.Bus.Ram);
        // The span points into the bus's native memory, which its finalizer frees: the board must outlive the hashing.
        GC.KeepAlive(board);
        return new(console.ToArray(), stop, board.Cpu.Retired, board.Cpu.Cycles, board.Cpu.PC, (ulong[])board.Cpu.X.Clone(),
            (ulong[])board.Cpu.Vreg.Clone(), board.StateFingerprint(), ram);
    }

    /// <summary>Asserts that <paramref name="other"/> ended exactly as this run did.</summary>
    public void AssertSame(RunEnd other, string what)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Text(other.Console), Is.EqualTo(Text(Console)), $"{what}: console bytes");
            Assert.That(other.Stop, Is.EqualTo(Stop), $"{what}: stop reason");
            Assert.That(other.Retired, Is.EqualTo(Retired), $"{what}: instructions");
            Assert.That(other.Cycles, Is.EqualTo(Cycles), $"{what}: cycles");
            Assert.That(other.Pc, Is.EqualTo(Pc), $"{what}: PC");
            Assert.That(other.X, Is.EqualTo(X), $"{what}: X0-X30");
            Assert.That(other.V, Is.EqualTo(V), $"{what}: V0-V31");
            Assert.That(other.Ram, Is.EqualTo(Ram), $"{what}: RAM (SHA-256)");
            if (!other.Fingerprint.AsSpan().SequenceEqual(Fingerprint))
                Assert.Fail($"{what}: machine state differs from byte {FirstDifference(Fingerprint, other.Fingerprint)} of the state fingerprint " +
                    $"({Fingerprint.Length} and {other.Fingerprint.Length} bytes): a component's state is not saved or not restored");
        });
    }

    private static string Text(byte[] b) => System.Text.Encoding.Latin1.GetString(b);

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }
}

/// <summary>
/// Runs a guest program uninterrupted, then again with snapshots at several points, and checks that restoring each
/// (in memory into the same board, and from its file into a fresh board) and running on ends exactly as the
/// uninterrupted run: console bytes, stop reason, instructions, cycles, registers, RAM and the whole component state.
/// The run limit counts steps from reset (<see cref="Cpu.Steps"/>), as `run --max-instructions` does.
/// </summary>
public static class SnapshotRuns
{
    public static readonly byte[] UartInput = "snapshot input\n"u8.ToArray();

    public sealed record Setup(Func<VirtBoardOptions, VirtBoard> Create, VirtBoardOptions Options, ulong StepLimit, ulong CycleLimit = ulong.MaxValue);

    private static StopReason RunToEnd(VirtBoard b, Setup s) =>
        b.Cpu.Steps >= s.StepLimit ? StopReason.InstructionLimit : b.Cpu.Run(s.StepLimit - b.Cpu.Steps, s.CycleLimit);

    /// <summary>Returns how many snapshot points were checked.</summary>
    public static int Check(Setup s, string name, int points = 3)
    {
        // The uninterrupted run.
        var console = new List<byte>();
        var u = s.Create(s.Options);
        u.ConsoleOutput = console.Add;
        var expected = RunEnd.Of(u, console, RunToEnd(u, s));
        void SameGraph(VirtBoard other, string what)
        {
            var d = StateGraph.Differences(u, other);
            Assert.That(d, Is.Empty, $"{what}: fields differ from the uninterrupted run (a component's state not saved or not restored?)");
        }
        ulong total = expected.Cycles;
        if (total < 4) Assert.Fail($"{name}: ran {total} cycles");

        // The same run, stopping at each point to take a snapshot (in memory) and write its file.
        var at = new SortedSet<ulong> { Math.Min(1000, total / 2) };
        for (int i = 1; i < points; i++) at.Add(total * (ulong)i / (ulong)points);
        var taken = new List<(ulong Cycle, MachineSnapshot Snapshot, byte[] File, int ConsoleBytes)>();
        console = new List<byte>();
        var b = s.Create(s.Options);
        b.ConsoleOutput = console.Add;
        foreach (ulong cycle in at)
        {
            var stop = b.Cpu.Run(s.StepLimit - b.Cpu.Steps, Math.Min(cycle, s.CycleLimit));
            Assert.That(stop, Is.EqualTo(StopReason.CycleLimit), $"{name}: the run ended ({stop}) before cycle {cycle}");
            var file = new MemoryStream();
            var snapshot = b.SaveSnapshot(file);
            taken.Add((b.Cpu.Cycles, snapshot, file.ToArray(), console.Count));
        }
        expected.AssertSame(RunEnd.Of(b, console, RunToEnd(b, s)), $"{name}: the run that took the snapshots");

        // Restore the last one first (only the pages written since are copied back), then the others (pages that
        // differ), then the first again (the one restored last: dirty pages only).
        var order = Enumerable.Range(0, taken.Count).Reverse().Append(taken.Count - 1).ToList();
        foreach (int k in order)
        {
            var (cycle, snapshot, file, consoleBytes) = taken[k];
            var after = console.Take(consoleBytes).ToList();
            b.ConsoleOutput = after.Add;
            b.RestoreSnapshot(snapshot);
            Assert.That(b.Cpu.Cycles, Is.EqualTo(cycle));
            expected.AssertSame(RunEnd.Of(b, after, RunToEnd(b, s)), $"{name}: restored in memory at cycle {cycle}");
            SameGraph(b, $"{name}: restored in memory at cycle {cycle}");
        }
        foreach (var (cycle, _, file, consoleBytes) in taken)
        {
            var fresh = new VirtBoard(s.Options);
            var after = console.Take(consoleBytes).ToList();
            fresh.ConsoleOutput = after.Add;
            fresh.LoadSnapshot(new MemoryStream(file));
            expected.AssertSame(RunEnd.Of(fresh, after, RunToEnd(fresh, s)), $"{name}: restored from its file at cycle {cycle}");
            SameGraph(fresh, $"{name}: restored from its file at cycle {cycle}");
        }
        return taken.Count;
    }
}
