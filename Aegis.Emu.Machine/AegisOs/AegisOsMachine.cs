using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.AegisOs;

/// <summary>One task's line of the run summary.</summary>
public sealed record TaskSummary(int Id, string Name, TaskState State, ulong Instructions, ulong Cycles, ulong Syscalls);

/// <summary>
/// The virt board with an AegisOS image loaded and its tasks accounted (<see cref="TaskAccounting"/>),
/// found through the image's symbols (<c>current_task</c>, <c>tcbs</c>). Used by `aegis-emu` with no
/// arguments and `boot`, by the boot tests and by the IPC benchmark.
/// </summary>
public sealed class AegisOsMachine
{
    /// <summary>The machine underneath (docs/API.md).</summary>
    public Machine Machine { get; }
    public VirtBoard Board => Machine.Board;
    public Cpu Cpu => Board.Cpu;
    public KernelSymbols Symbols { get; }
    public TaskAccounting Accounting { get; }
    private readonly long _tcbsRamOffset;

    /// <exception cref="ElfLoadException">The image does not load.</exception>
    /// <exception cref="InvalidDataException">The image is not an AegisOS kernel (no <c>current_task</c> / <c>tcbs</c>).</exception>
    /// <param name="bundle">A boot bundle (docs/BOOT-BUNDLE.md) placed in RAM at <see cref="BootBundle.Address"/>,
    /// as QEMU's <c>-device loader</c> does; null boots without one (the kernel reports it and runs the rest).</param>
    /// <param name="timing">The timing model by name (<see cref="TimingModels"/>); null: the board's default.</param>
    public AegisOsMachine(byte[] image, bool el2 = false, byte[]? bundle = null, string? timing = null)
    {
        Machine = new Machine(new MachineOptions { EntryEl = el2 ? 2 : 1, Timing = timing ?? VirtBoardOptions.DefaultTiming });
        Machine.LoadElf(image);
        if (bundle is not null) Machine.LoadBundle(bundle);
        try { Symbols = KernelSymbols.Parse(image); }
        catch (InvalidDataException e) { throw new InvalidDataException($"not an AegisOS kernel: {e.Message}", e); }
        if (!Symbols.TryGet(TcbLayout.CurrentTaskSymbol, out var current) || !Symbols.TryGet(TcbLayout.TableSymbol, out var tcbs))
            throw new InvalidDataException($"not an AegisOS kernel: no {TcbLayout.CurrentTaskSymbol} / {TcbLayout.TableSymbol} symbols");
        if (tcbs.Size != TcbLayout.TableSize)
            throw new InvalidDataException($"{TcbLayout.TableSymbol} is {tcbs.Size} bytes, expected {TcbLayout.TableSize} (TCB layout changed?)");
        _tcbsRamOffset = Board.Bus.RamOffset(tcbs.Address, TcbLayout.TableSize);
        if (_tcbsRamOffset < 0)
            throw new InvalidDataException($"{TcbLayout.TableSymbol} at 0x{tcbs.Address:X} is outside RAM");
        // Every symbol read from the image is checked here, where a bad one is the image's fault (exit status 2).
        if (Board.Bus.RamOffset(current.Address, 4) < 0)
            throw new InvalidDataException($"{TcbLayout.CurrentTaskSymbol} at 0x{current.Address:X} is outside RAM");
        Accounting = new TaskAccounting(Board.Cpu, current.Address);
    }

    /// <summary>Whether <paramref name="image"/> is an AegisOS kernel: an ELF with the <c>current_task</c> and
    /// <c>tcbs</c> symbols this class needs (what `debug IMAGE` uses to boot it as `boot` would).</summary>
    public static bool IsKernel(byte[] image)
    {
        try
        {
            var symbols = KernelSymbols.Parse(image);
            return symbols.TryGet(TcbLayout.CurrentTaskSymbol, out _) && symbols.TryGet(TcbLayout.TableSymbol, out _);
        }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>The extra section of a snapshot that holds <see cref="Accounting"/>'s counts.</summary>
    public const string AccountingSection = "aegisos.tasks";

    /// <summary>A whole-machine snapshot with the task accounting in it (docs/SNAPSHOTS.md).</summary>
    public Emulator.Devices.Snapshots.MachineSnapshot TakeSnapshot()
    {
        var s = Board.TakeSnapshot();
        s.Extras[AccountingSection] = Accounting.SaveState();
        return s;
    }

    /// <summary>Restores a snapshot taken by <see cref="TakeSnapshot"/> (of a machine booted from the same image).</summary>
    /// <exception cref="Emulator.Mmu.Snapshots.SnapshotException">Another board's snapshot, or one without the task accounting.</exception>
    public void RestoreSnapshot(Emulator.Devices.Snapshots.MachineSnapshot snapshot)
    {
        if (!snapshot.Extras.TryGetValue(AccountingSection, out var tasks))
            throw new Emulator.Mmu.Snapshots.SnapshotException($"the snapshot has no '{AccountingSection}' section: it was not taken by `boot`");
        var before = Accounting.SaveState();
        Accounting.RestoreState(tasks); // checks the kernel before the machine changes
        try { Board.RestoreSnapshot(snapshot); }
        catch { Accounting.RestoreState(before); throw; }
    }

    /// <summary>Runs until the clock reaches <paramref name="maxCycles"/>, the guest powers off, or a stop is requested.</summary>
    public StopReason Run(ulong maxCycles) => Cpu.Run(ulong.MaxValue, maxCycles);

    /// <summary>The TCB state byte of a task, read from guest memory.</summary>
    public TaskState TaskStateOf(int task) =>
        (TaskState)Board.Bus.ReadRam(_tcbsRamOffset + task * TcbLayout.Size + TcbLayout.StateOffset, 1);

    public IReadOnlyList<TaskSummary> Tasks()
    {
        var list = new List<TaskSummary>(TaskAccounting.Tasks);
        for (int t = 0; t < TaskAccounting.Tasks; t++)
        {
            string name = t < TaskTable.Tasks.Count ? TaskTable.Tasks[t].Name : "?";
            list.Add(new TaskSummary(t, name, TaskStateOf(t), Accounting.Instructions(t), Accounting.Cycles(t), Accounting.Syscalls(t)));
        }
        return list;
    }
}
