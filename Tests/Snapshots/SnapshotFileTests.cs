using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Snapshots;
using Aegis.Emulator.Mmu.Snapshots;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Snapshots;

/// <summary>The snapshot file format (docs/SNAPSHOTS.md): what it refuses, with which error, leaving the machine untouched.</summary>
[TestFixture]
public sealed class SnapshotFileTests
{
    private static VirtBoard Board(VirtBoardOptions? options = null, ulong cycles = 20_000, string image = "hello-O2.elf")
    {
        var b = new VirtBoard(options ?? new VirtBoardOptions());
        b.LoadElf(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image)));
        b.Cpu.Run(ulong.MaxValue, cycles);
        return b;
    }

    private static byte[] File_(VirtBoard b)
    {
        var s = new MemoryStream();
        b.SaveSnapshot(s);
        return s.ToArray();
    }

    /// <summary>Loading <paramref name="file"/> fails with a message containing <paramref name="expected"/> and leaves the board as it was.</summary>
    private static void Refused(byte[] file, string expected, VirtBoardOptions? options = null)
    {
        var b = Board(options, 5_000);
        var before = b.StateFingerprint();
        var ram = System.Security.Cryptography.SHA256.HashData(b.Bus.Ram);
        var e = Assert.Throws<SnapshotException>(() => b.LoadSnapshot(new MemoryStream(file)));
        Assert.That(e!.Message, Does.Contain(expected));
        Assert.That(b.StateFingerprint(), Is.EqualTo(before), "the machine is untouched");
        Assert.That(System.Security.Cryptography.SHA256.HashData(b.Bus.Ram), Is.EqualTo(ram), "RAM is untouched");
        GC.KeepAlive(b); // the RAM span is native memory the bus's finalizer frees
    }

    [Test]
    public void AFileStartsWithMagicAndVersionAndEndsWithItsSha256()
    {
        var f = File_(Board());
        Assert.That(System.Text.Encoding.ASCII.GetString(f, 0, 8), Is.EqualTo(MachineSnapshot.Magic));
        Assert.That(BitConverter.ToUInt32(f, 8), Is.EqualTo(MachineSnapshot.FormatVersion));
        Assert.That(f[^32..], Is.EqualTo(System.Security.Cryptography.SHA256.HashData(f.AsSpan(0, f.Length - 32))));
        Assert.That(f.Length, Is.LessThan(2 << 20), "sparse: a 128 MiB machine that touched little makes a small file");
    }

    [Test]
    public void NotASnapshot() => Refused(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, "hello-O2.elf")), "not an Aegis.Emu machine snapshot");

    [Test]
    public void EmptyFile() => Refused([], "not an Aegis.Emu machine snapshot");

    [Test]
    public void AnotherVersion()
    {
        var f = File_(Board());
        f[8] = 99;
        Refused(f, "format version 99");
    }

    [TestCase(12)]
    [TestCase(200)]
    [TestCase(-1)]
    [TestCase(-40)]
    public void Truncated(int at)
    {
        var f = File_(Board());
        Refused(f[..(at > 0 ? at : f.Length + at)], "truncated");
    }

    [TestCase(0.3)]
    [TestCase(0.9)]
    public void Corrupt(double where)
    {
        var f = File_(Board());
        f[(int)(f.Length * where)] ^= 0x10;
        Refused(f, "corrupt");
    }

    [Test]
    public void AnotherRamSize() => Refused(File_(Board()), "RAM 128 MiB in the snapshot, 64 MiB here", new VirtBoardOptions { RamSize = 64 << 20 });

    [Test]
    public void AnotherTimingModel() => Refused(File_(Board(new VirtBoardOptions { Timing = TimingModels.A53 })),
        "timing model 'a53' in the snapshot, 'simple' here", new VirtBoardOptions { Timing = TimingModels.Simple });

    [Test]
    public void AnotherA53Configuration() => Refused(File_(Board(new VirtBoardOptions { Timing = TimingModels.A53 })),
        "configuration differs", new VirtBoardOptions
        {
            Timing = TimingModels.A53,
            A53 = new Emulator.Cpu.Timing.A53.A53Config { ExceptionRedirectCycles = 3 },
        });

    [Test]
    public void AnotherEl2() => Refused(File_(Board()), "EL2 off in the snapshot, on here", new VirtBoardOptions { El2 = true });

    [Test]
    public void AnEventOfAnUnknownOwnerCannotBeSaved()
    {
        var b = Board();
        b.Cpu.Events.Schedule(new object(), b.Cpu.Cycles + 100, () => { });
        Assert.That(() => b.TakeSnapshot(), Throws.TypeOf<SnapshotException>().With.Message.Contains("only the machine's own events"));
    }

    [Test]
    public void RestoringTheLastSnapshotCopiesOnlyThePagesWrittenSince()
    {
        var b = Board(cycles: 50_000, image: "compute-O2.elf");
        var s = b.TakeSnapshot();
        Assert.That(b.Bus.DirtyPageCount, Is.Zero);
        b.Cpu.Run(ulong.MaxValue, 2_000_000);
        Assert.That(b.Cpu.Cycles, Is.EqualTo(2_000_000), "compute-O2 runs on");
        int dirty = b.Bus.DirtyPageCount;
        Assert.That(dirty, Is.GreaterThan(0).And.LessThan(64), "a short run writes a few pages of the 128 MiB");
        b.RestoreSnapshot(s);
        Assert.That(b.Bus.DirtyPageCount, Is.Zero);
        Assert.That(b.Cpu.Cycles, Is.EqualTo(s.Cycles));
    }

    [Test]
    public void FlashContentsAndModeAreInTheSnapshot()
    {
        var b = new VirtBoard();
        b.Flash1.LoadImage([1, 2, 3, 4]);
        Assert.That(b.Bus.Write(VirtBoard.Flash1Base, 4, 0x0070_0070), Is.True); // read status: out of array mode
        var file = File_(b);
        var fresh = new VirtBoard();
        fresh.LoadSnapshot(new MemoryStream(file));
        Assert.That(fresh.Flash1.ArrayMode, Is.False);
        Assert.That(fresh.Bus.Write(VirtBoard.Flash1Base, 4, 0x00FF_00FF), Is.True); // back to read array
        Assert.That(fresh.Bus.Read(VirtBoard.Flash1Base, 4, out ulong v), Is.True);
        Assert.That(v, Is.EqualTo(0x0403_0201UL));
    }
}

/// <summary>The field-by-field comparer that the snapshot runs rely on sees a difference when there is one.</summary>
[TestFixture]
public sealed class StateGraphTests
{
    [Test]
    public void SeesAMachineThatRanLonger()
    {
        byte[] elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, "compute-O2.elf"));
        VirtBoard Ran(ulong cycles)
        {
            var b = new VirtBoard(new VirtBoardOptions { Timing = TimingModels.A53 });
            b.LoadElf(elf);
            b.Cpu.Run(ulong.MaxValue, cycles);
            return b;
        }
        Assert.That(StateGraph.Differences(Ran(100_000), Ran(100_000)), Is.Empty);
        var d = StateGraph.Differences(Ran(100_000), Ran(101_000), max: 1000);
        Assert.That(d, Has.Some.Contains("Cycles"));
        Assert.That(d, Has.Some.Contains("_slots"), "the PMU event totals");
        Assert.That(d, Has.Some.Contains("._timing._cycle"), "the A53 model's issue cycle");
    }
}
