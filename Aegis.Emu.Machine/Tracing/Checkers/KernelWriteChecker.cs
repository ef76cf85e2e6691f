using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// The kernel writes only its own data and the memory of the task it serves. Every RAM write made at EL1 or EL2 is
/// judged by who may reach its physical page from EL0: the owners of a page are the address spaces (ASIDs of the
/// TTBR0_EL1 roots: each written root, and for AegisOS each TCB's <c>ttbr0</c>) with a valid EL0-accessible
/// translation to it (AP[1] = 1 and no APTable[0] on the way).
/// <list type="bullet">
/// <item>A page no address space reaches from EL0 is kernel memory: the write must lie in a writable (PF_W) load
/// segment of the kernel image; elsewhere (free RAM, text, read-only data, a boot bundle) it is a violation.</item>
/// <item>A page some address space reaches is task memory: once a task has run, the write must be on behalf of one
/// of its owners, the task whose exception from EL0 the kernel is handling (the ASID of TTBR0_EL1 at that entry);
/// or, on AegisOS, an owner that is Faulted (its restart clears its stack). Before the first return to EL0 (boot
/// loading the tasks' images) the first rule alone applies.</item>
/// </list>
/// Device writes (MMIO) are counted, not judged: they reach only the devices the board maps.
/// </summary>
public sealed class KernelWriteChecker : Checker
{
    private readonly record struct Owned(ulong Pa, ulong Size, ushort Asid);

    private readonly IReadOnlyList<(ulong Lo, ulong Hi)> _kernelData;
    /// <summary>AegisOS TCBs in the image (the size of <c>tcbs</c>), 0 for another kernel.</summary>
    private readonly int _taskCount;
    private readonly Dictionary<ulong, ulong> _ttbr0ByAsid = [];
    private readonly HashSet<ulong> _tablePages = [];
    private readonly List<Owned> _owned = [];
    private readonly Dictionary<ulong, ushort[]> _ownersByPage = [];
    private bool _dirty = true;
    private bool _taskRan;
    private int _callerAsid = -1;

    public override string Name => "kwrite";

    /// <summary>RAM writes judged, and device writes seen.</summary>
    public ulong RamWrites { get; private set; }
    public ulong DeviceWrites { get; private set; }
    /// <summary>RAM writes into task memory that were allowed (the caller's, or a Faulted owner's).</summary>
    public ulong TaskMemoryWrites { get; private set; }

    protected override string? Checked => $"{RamWrites} kernel RAM writes checked ({TaskMemoryWrites} into task memory), {DeviceWrites} device writes";

    /// <param name="kernelData">The kernel image's writable segments, [Lo, Hi) physical.</param>
    public KernelWriteChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks, IReadOnlyList<(ulong Lo, ulong Hi)> kernelData)
        : base(cpu, symbols, tasks)
    {
        _kernelData = kernelData;
        _taskCount = symbols?.TryGet(TcbLayout.TableSymbol, out var s) == true ? (int)(s.Size / TcbLayout.Size) : 0;
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) => NoteFetch(pc, encoding);

    public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        if (cpu.EL == 0) _callerAsid = (int)(cpu.MmuRegs.TTBR0_EL1 >> 48);
    }

    public override void OnExceptionReturn(Cpu cpu)
    {
        if (cpu.EL == 0) _taskRan = true;
    }

    public override void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value)
    {
        switch (register.Name)
        {
            case "TTBR0_EL1":
                if (!_ttbr0ByAsid.TryGetValue(value >> 48, out ulong old) || old != value) _dirty = true;
                _ttbr0ByAsid[value >> 48] = value;
                break;
            case "TCR_EL1" or "SCTLR_EL1":
                _dirty = true;
                break;
        }
    }

    public override void OnMemoryAccess(Cpu cpu, in MemoryAccess a)
    {
        if (!a.IsWrite) return;
        // The table pages are tracked at every EL: a task may own none, but its tables may change under any store.
        if (_tablePages.Contains(a.Pa >> 12)) _dirty = true;
        if (cpu.EL == 0) return;
        if (!cpu.Bus.IsRam(a.Pa, a.Size))
        {
            DeviceWrites++;
            return;
        }
        RamWrites++;
        ulong last = a.Pa + (ulong)a.Size - 1;
        Judge(a, a.Pa);
        if ((last >> 12) != (a.Pa >> 12)) Judge(a, last);
    }

    private void Judge(in MemoryAccess a, ulong pa)
    {
        if (_dirty) Rebuild();
        var owners = OwnersOf(pa);
        if (owners.Length == 0)
        {
            if (!InKernelData(pa))
                Report($"EL{Cpu.EL} writes {a.Size} bytes at PA 0x{a.Pa:x} (VA 0x{a.Va:x}), outside the kernel's writable segments " +
                    "and in no task's memory");
            return;
        }
        if (!_taskRan) return;
        if (owners.Contains((ushort)_callerAsid) || owners.Any(Faulted))
        {
            TaskMemoryWrites++;
            return;
        }
        Report($"EL{Cpu.EL} writes {a.Size} bytes at PA 0x{a.Pa:x} (VA 0x{a.Va:x}), memory of ASID {string.Join("/", owners)} " +
            $"(task {string.Join("/", owners.Select(o => o - 1))}), while serving ASID {_callerAsid} (task {_callerAsid - 1})");
    }

    private bool InKernelData(ulong pa)
    {
        foreach (var (lo, hi) in _kernelData)
            if (pa >= lo && pa < hi) return true;
        return false;
    }

    /// <summary>AegisOS gives task t ASID t + 1; the restart of a Faulted task clears its stack page.</summary>
    private bool Faulted(ushort asid) =>
        asid >= 1 && asid <= _taskCount && ReadKernel(TcbLayout.TableSymbol, (asid - 1) * TcbLayout.Size + TcbLayout.StateOffset, 1)
            is { } state && state == (ulong)TaskState.Faulted;


    private ushort[] OwnersOf(ulong pa)
    {
        ulong page = pa >> 12;
        if (_ownersByPage.TryGetValue(page, out var cached)) return cached;
        var owners = _owned.Where(o => pa - o.Pa < o.Size).Select(o => o.Asid).Distinct().ToArray();
        _ownersByPage[page] = owners;
        return owners;
    }

    private void Rebuild()
    {
        _dirty = false;
        _owned.Clear();
        _ownersByPage.Clear();
        _tablePages.Clear();
        var r = Cpu.MmuRegs;
        if ((r.SCTLR_EL1 & 1) == 0 || (r.TCR_EL1 & (1UL << 7)) != 0) return; // no EL0 translations: no task memory
        _ttbr0ByAsid[r.TTBR0_EL1 >> 48] = r.TTBR0_EL1;
        for (int t = 0; t < _taskCount; t++)
            if (ReadKernel(TcbLayout.TableSymbol, t * TcbLayout.Size + TcbLayout.Ttbr0Offset, 8) is { } ttbr && ttbr != 0)
                _ttbr0ByAsid[ttbr >> 48] = ttbr;
        foreach (var (asid, ttbr) in _ttbr0ByAsid)
            TranslationTables.Walk(Cpu, ttbr, (int)(r.TCR_EL1 & 63), upper: false, _tablePages, m =>
            {
                if (m.El0Access) _owned.Add(new Owned(m.Pa, m.Size, (ushort)asid));
            });
    }
}
