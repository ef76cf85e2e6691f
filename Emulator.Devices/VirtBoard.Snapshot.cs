using Aegis.Emulator.Devices.Snapshots;
using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

/// <summary>
/// Whole-machine snapshots (docs/SNAPSHOTS.md). Each component saves and restores its own state (its .Snapshot.cs
/// file); the board puts them in one order and adds the memory image of RAM and flash, which the bus keeps
/// dirty-page-tracked so that taking a snapshot copies only the pages written since the last one and restoring the last
/// one taken or restored copies back only the pages written since. A restored machine then runs exactly as the one that
/// was saved: same console bytes, registers, instructions and cycles. Host-side wiring (console output, hooks, the
/// tracer and checkers, the pipeline observer) is not part of a snapshot and stays as it is.
/// </summary>
public sealed partial class VirtBoard
{
    /// <summary>The state of the whole machine now. Cheap: the component state (about a hundred KiB with the A53
    /// model's caches) and a copy of each page written since the previous snapshot.</summary>
    /// <exception cref="SnapshotException">Some state cannot be saved (a timing model without snapshot support, an event
    /// scheduled on the clock by something outside the machine).</exception>
    public MachineSnapshot TakeSnapshot()
    {
        var state = SaveComponents();
        return new MachineSnapshot(SnapshotBoard.Of(Options), Cpu.Cycles, Cpu.Retired, state, Bus.TakeImage());
    }

    /// <summary>
    /// Puts the machine back in the state of <paramref name="snapshot"/>. The component state is restored first (if it
    /// does not fit this board, the machine is put back as it was and a <see cref="SnapshotException"/> thrown), then
    /// the memory.
    /// </summary>
    public void RestoreSnapshot(MachineSnapshot snapshot)
    {
        if (snapshot.Board.Differences(SnapshotBoard.Of(Options)) is { Length: > 0 } differences)
            throw new SnapshotException($"the snapshot was taken on another board: {differences}");
        if (snapshot.Memory.RamSize != Bus.RamSize || snapshot.Memory.CodeSpaceSize != Bus.CodeSpaceSize)
            throw new SnapshotException($"the snapshot's memory image ({snapshot.Memory.CodeSpaceSize} bytes of RAM and flash) does not fit this board's ({Bus.CodeSpaceSize})");
        var before = SaveComponents();
        try { RestoreComponents(snapshot.State); }
        catch (Exception e)
        {
            RestoreComponents(before);
            throw e as SnapshotException ?? new SnapshotException($"the snapshot's machine state does not fit this board: {e.Message}", e);
        }
        var (epoch, context) = (Cpu.TranslationEpoch, Cpu.ContextEpoch);
        Bus.RestoreImage(snapshot.Memory);
        Cpu.FinishRestore(epoch, context);
    }

    /// <summary>Writes a snapshot of the machine now to <paramref name="stream"/> (the file format of docs/SNAPSHOTS.md).</summary>
    public MachineSnapshot SaveSnapshot(Stream stream)
    {
        var s = TakeSnapshot();
        s.WriteTo(stream);
        return s;
    }

    /// <summary>Reads a snapshot file and restores it; a bad file or another board's leaves the machine untouched.</summary>
    public MachineSnapshot LoadSnapshot(Stream stream)
    {
        var s = MachineSnapshot.ReadFrom(stream);
        RestoreSnapshot(s);
        return s;
    }

    /// <summary>
    /// The component state (no memory) with the values that only key host-side caches zeroed
    /// (<see cref="SnapshotWriter.Canonical"/>): two machines in the same state have the same fingerprint. For tests that
    /// compare a restored run with the uninterrupted one field by field.
    /// </summary>
    public byte[] StateFingerprint() => SaveComponents(canonical: true);

    private byte[] SaveComponents(bool canonical = false)
    {
        var w = new SnapshotWriter { Canonical = canonical };
        w.Section("virt");
        Cpu.SaveState(w);
        Gic.SaveState(w);
        Uart.SaveState(w);
        Flash0.SaveState(w);
        Flash1.SaveState(w);
        Psci.SaveState(w);
        Semihosting.SaveState(w);
        w.Section("end");
        return w.ToArray();
    }

    private void RestoreComponents(byte[] state)
    {
        var r = new SnapshotReader(state);
        r.Section("virt");
        Cpu.RestoreState(r);
        Gic.RestoreState(r);
        Uart.RestoreState(r);
        Flash0.RestoreState(r);
        Flash1.RestoreState(r);
        Psci.RestoreState(r);
        Semihosting.RestoreState(r);
        r.Section("end");
        if (!r.AtEnd) throw new SnapshotException("the snapshot's machine state is longer than this board's");
    }
}
