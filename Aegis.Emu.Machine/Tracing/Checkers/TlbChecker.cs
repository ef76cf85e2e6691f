using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Mmu;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// TLB maintenance (Arm ARM D5.10.2, D5.10.1 "break-before-make"): a translation the TLB holds must not be used
/// after its descriptor changed in memory, until a TLBI covering it removed it. Descriptor addresses of the
/// TLB's entries are watched (<see cref="CpuHook.OnTlbFill"/>); a write that changes one marks it; a later fetch or data
/// access whose TLB entry (what the translation would use now) has a marked descriptor whose memory value differs
/// from the cached one is the violation. Entries leave with TLBI (or replacement) and are then no longer found.
/// </summary>
public sealed class TlbChecker : Checker
{
    private readonly HashSet<ulong> _watched = [];
    private readonly HashSet<ulong> _changed = [];

    public override string Name => "tlb";

    public TlbChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks) : base(cpu, symbols, tasks)
    {
        foreach (var e in cpu.Mmu.Tlb.Entries()) _watched.Add(e.DescriptorAddress);
    }

    public override void OnTlbFill(Cpu cpu, in TlbEntry entry) => _watched.Add(entry.DescriptorAddress);

    public override void OnMemoryAccess(Cpu cpu, in MemoryAccess a)
    {
        if (a.IsWrite)
        {
            for (ulong d = a.Pa & ~7UL; d < a.Pa + (ulong)a.Size; d += 8)
                if (_watched.Contains(d)) _changed.Add(d);
        }
        Use(a.Va, a.IsWrite ? "write" : "read");
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        NoteFetch(pc, encoding);
        Use(pc, "fetch");
    }

    private void Use(ulong va, string kind)
    {
        if (_changed.Count == 0) return;
        if (!Cpu.Mmu.TryGetTlbEntry(va, Cpu.EL, out var e) || !_changed.Contains(e.DescriptorAddress)) return;
        long off = Cpu.Bus.RamOffset(e.DescriptorAddress, 8);
        if (off < 0) return;
        ulong now = Cpu.Bus.ReadRam(off, 8);
        if (now == e.Descriptor) return;
        Report($"{kind} of VA 0x{va:x} used the stale TLB entry [{e}]: the descriptor at PA 0x{e.DescriptorAddress:x} " +
            $"is now 0x{now:x16} (was 0x{e.Descriptor:x16}) and no TLBI removed the entry");
    }

    public override void OnMaintenance(Cpu cpu, SystemRegister op, ulong operand)
    {
        if (!op.Name.StartsWith("TLBI", StringComparison.Ordinal) || _changed.Count == 0) return;
        // Forget descriptors no entry refers to any more.
        _watched.Clear();
        foreach (var e in cpu.Mmu.Tlb.Entries()) _watched.Add(e.DescriptorAddress);
        _changed.IntersectWith(_watched);
    }
}
