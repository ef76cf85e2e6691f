using System.Runtime.CompilerServices;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Data accesses by virtual address. Each returns false after it has taken the guest's data abort
/// (translation, permission, alignment or external), so a handler just returns.
/// <para>
/// Fast path: a direct-mapped host-side cache per direction of (VA page) -> RAM offset, filled by the slow path
/// after a successful translation to a page that is entirely RAM. An entry is used only while its epoch (moved by TLBI,
/// translation-register writes but TTBR0/1, EL2 entered or left; the entries are per EL) and the TLB's
/// <see cref="Tlb.Generation"/> (an entry leaving the modelled TLB, e.g. by replacement) are what they were at fill
/// time, so it never returns anything the modelled TLB would not: while no TTBR was written since, a lookup of the same
/// ASID cannot find another entry (one is filled only where none matched). After a TTBR write
/// (<see cref="TranslationTablesChanged"/>) it is used while the TLB had no fill either (<see cref="Tlb.Fills"/>: its
/// entries are those of then) and the lookup's ASID (<see cref="Aegis.Emulator.Mmu.Translation.Asid"/>) is the current
/// one or any: a task switched back to finds its pages again, and a kernel's global ones stay. Only aligned,
/// privileged-as-current accesses take it: a misaligned access (SCTLR.A, MustBeAligned, Device memory, page crossing)
/// and LDTR/STTR always go through the full checks. Device-typed RAM (the MMU-off data default) is cached too: for an
/// aligned access Device and Normal RAM behave identically here. MMIO never is (the page is not RAM).
/// </para>
/// </summary>
public sealed partial class Cpu
{
    private const int FastPages = 256;
    private const int AnyAsid = Aegis.Emulator.Mmu.Translation.AnyAsid;

    private struct FastPage
    {
        /// <summary>VA page | 1 (bit 0 marks the entry valid, so a zeroed entry never matches).</summary>
        public ulong Tag;
        public long RamBase;
        public ulong Epoch;
        public ulong TlbGeneration;
        /// <summary>The ASID of the lookup, or <see cref="AnyAsid"/> (<see cref="Aegis.Emulator.Mmu.Translation.Asid"/>).</summary>
        public int Asid;
        /// <summary><see cref="ContextEpoch"/> and the TLB's fills at fill time.</summary>
        public ulong ContextEpoch, TlbFills;
        /// <summary>The page's PA and MAIR attribute byte, for the timing model's access log.</summary>
        public ulong PaPage;
        public byte MemAttr;
    }

    // Per EL (an EL0 and an EL1 access to one page may differ in permission), against _fastEpoch: a system call keeps both.
    // _fastEpoch moves with ContextEpoch but at a TTBR write; _fastAsid is EL1&0's ASID (Mmu.El10Asid).
    private readonly FastPage[][] _fastReadAt = [new FastPage[FastPages], new FastPage[FastPages], new FastPage[FastPages]];
    private readonly FastPage[][] _fastWriteAt = [new FastPage[FastPages], new FastPage[FastPages], new FastPage[FastPages]];
    private FastPage[] _fastRead = null!, _fastWrite = null!; // the current EL's

    /// <summary>After every change of <see cref="EL"/>: its fast-path pages become the current ones.</summary>
    private void SelectFastPages() => (_fastRead, _fastWrite) = (_fastReadAt[EL], _fastWriteAt[EL]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(ulong va, int size, out ulong value, AccessFlags flags = AccessFlags.None) =>
        ((flags & (AccessFlags.Unprivileged | AccessFlags.Misaligned16)) == 0 && FastRead(va, size, out value))
        || ReadSlow(va, size, out value, flags);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(ulong va, int size, ulong value, AccessFlags flags = AccessFlags.None) =>
        ((flags & (AccessFlags.Unprivileged | AccessFlags.Misaligned16)) == 0 && FastWrite(va, size, value))
        || WriteSlow(va, size, value, flags);

    /// <summary>A privileged-as-current read by the fast path alone: false, with nothing done, when it does not apply.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FastRead(ulong va, int size, out ulong value)
    {
        long offset = FastOffset(_fastRead, va, size);
        if (offset < 0) { value = 0; return false; }
        value = ReadFastAt(offset, va, size);
        return true;
    }

    /// <summary>The write counterpart of <see cref="FastRead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FastWrite(ulong va, int size, ulong value)
    {
        long offset = FastOffset(_fastWrite, va, size);
        if (offset < 0) return false;
        WriteFastAt(offset, va, size, value);
        return true;
    }

    /// <summary>A read at a RAM offset the fast path gave for <paramref name="va"/>, logged for the timing model.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadFastAt(long offset, ulong va, int size)
    {
        ulong value = Bus.ReadRam(offset, size);
        if (_logAccesses) LogFastAccess(va, size, write: false);
        return value;
    }

    // The fast path in parts, for translated code (Translation/Inline/LoadStoreForms.cs): the host address of an access,
    // then the access through it. No out parameters, so that RyuJIT keeps the values in registers. Out of line: a block
    // asks only for the first access to a page (BlockEmitter.FastPage), and the table lookup inlined at every access
    // made the blocks' host code several times larger than the host's instruction cache.

    /// <summary>The host address of an aligned read of <paramref name="size"/> bytes at <paramref name="va"/> by the fast
    /// path, or 0 when the read must take the slow path.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal nint FastReadPointer(ulong va, int size) => ReadPointer(va, size);

    /// <summary>The write counterpart of <see cref="FastReadPointer"/>; 0 also on a page whose writes are tracked (it
    /// holds decoded code, or is clean since the last snapshot), where the handler's write records what it must and
    /// leaves the page untracked. So a translated block's stores through the address need no check of their own and
    /// never change code; only a handler or the run loop can track a page again.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal nint FastWritePointer(ulong va, int size) => WritePointer(va, size);

    /// <summary>The host address of both accesses of a pair (LDP/STP, each <paramref name="size"/> bytes), which must lie
    /// in one page, or 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal nint FastPairPointer(ulong va, int size, bool write) =>
        (va & 0xFFF) > (ulong)(0x1000 - 2 * size) ? 0 : write ? WritePointer(va, size) : ReadPointer(va, size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nint ReadPointer(ulong va, int size) => RamPointer(FastOffset(_fastRead, va, size), size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nint WritePointer(ulong va, int size)
    {
        long offset = FastOffset(_fastWrite, va, size);
        return offset >= 0 && Bus.WriteTracked(offset) ? 0 : RamPointer(offset, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe nint RamPointer(long offset, int size) => offset < 0 ? 0 : (nint)Bus.RamPointer(offset, size);

    /// <summary>A read through a fast-path address (<see cref="FastReadPointer"/>), logged for the timing model; a block
    /// that charges its accesses itself (<see cref="Timing.A53.A53Model.AccessInBlock"/>) reads the address directly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe ulong ReadLogged(nint p, ulong va, int size)
    {
        if (_logAccesses) LogFastAccess(va, size, write: false);
        return size switch { 1 => *(byte*)p, 2 => *(ushort*)p, 4 => *(uint*)p, _ => *(ulong*)p };
    }

    /// <summary>A write through a fast-path address (<see cref="FastWritePointer"/>), logged for the timing model.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void WriteLogged(nint p, ulong va, int size, ulong value)
    {
        if (_logAccesses) LogFastAccess(va, size, write: true);
        switch (size)
        {
            case 1: *(byte*)p = (byte)value; break;
            case 2: *(ushort*)p = (ushort)value; break;
            case 4: *(uint*)p = (uint)value; break;
            default: *(ulong*)p = value; break;
        }
    }

    /// <summary>The PA and MAIR attribute byte of an access the RAM fast path holds (its page's entry), for the timing
    /// model (<see cref="Timing.A53.A53Model.AccessInBlock"/>).</summary>
    internal LoggedAccess FastAccess(ulong va, int size, bool write)
    {
        ref FastPage p = ref (write ? _fastWrite : _fastRead)[(int)(va >> 12) & (FastPages - 1)];
        return new LoggedAccess(va, p.PaPage | (va & 0xFFF), size, write, p.MemAttr);
    }

    /// <summary>A write at a RAM offset the fast path gave for <paramref name="va"/> (it may drop code), logged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteFastAt(long offset, ulong va, int size, ulong value)
    {
        if (_logAccesses) LogFastAccess(va, size, write: true); // before the write, which may drop the entry
        Bus.WriteRam(offset, size, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long FastOffset(FastPage[] cache, ulong va, int size)
    {
        ref FastPage p = ref cache[(int)(va >> 12) & (FastPages - 1)];
        return p.Tag == ((va & ~0xFFFUL) | 1) && p.Epoch == _fastEpoch && p.TlbGeneration == Mmu.Tlb.Generation
            && (p.ContextEpoch == ContextEpoch || (p.TlbFills == Mmu.Tlb.Fills && (p.Asid == _fastAsid || p.Asid == AnyAsid)))
            && (va & (ulong)(size - 1)) == 0
            ? p.RamBase + (long)(va & 0xFFF)
            : -1;
    }

    /// <summary>Logs a fast-path access (PA and memory type from its entry) for the timing model.</summary>
    private void LogFastAccess(ulong va, int size, bool write)
    {
        var a = FastAccess(va, size, write);
        LogAccess(a.Va, a.Pa, a.Size, a.IsWrite, a.MemAttr);
    }

    /// <summary>Accesses that went past the RAM fast path: a translated block stops after one (it may have reached a
    /// device, which may raise an interrupt or schedule an event the run loop must see before the next instruction).</summary>
    internal ulong SlowAccesses;

    private bool ReadSlow(ulong va, int size, out ulong value, AccessFlags flags)
    {
        SlowAccesses++;
        value = 0;
        if (!TranslateData(va, size, AccessKind.Read, flags, out ulong pa, out byte attr, out int asid, out bool crossesPage)) return false;
        if (crossesPage) return ReadBytewise(va, size, out value, flags);
        if (!Bus.Read(pa, size, out value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: false);
            return false;
        }
        if (_logAccesses) LogAccess(va, pa, size, false, attr);
        if (HooksBuilt) HookMemoryAccess(va, pa, size, value, write: false);
        if ((flags & AccessFlags.Unprivileged) == 0) FillFastPage(_fastRead, va, pa, attr, asid);
        return true;
    }

    private bool WriteSlow(ulong va, int size, ulong value, AccessFlags flags)
    {
        SlowAccesses++;
        if (!TranslateData(va, size, AccessKind.Write, flags, out ulong pa, out byte attr, out int asid, out bool crossesPage)) return false;
        if (crossesPage) return WriteBytewise(va, size, value, flags);
        if (!Bus.Write(pa, size, value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: true);
            return false;
        }
        if (_logAccesses) LogAccess(va, pa, size, true, attr);
        if (HooksBuilt) HookMemoryAccess(va, pa, size, value, write: true);
        if ((flags & AccessFlags.Unprivileged) == 0) FillFastPage(_fastWrite, va, pa, attr, asid);
        return true;
    }

    private void FillFastPage(FastPage[] cache, ulong va, ulong pa, byte attr, int asid)
    {
        // Watchpoints must see every access: while any is armed the fast path stays empty. A memory hook must see every
        // access in its range: the pages it covers are never cached (the others keep the fast path).
        if (WatchpointsArmed || (HooksBuilt && _memoryHooks != null && MemoryHooksCover(va & ~0xFFFUL))) return;
        long ramBase = Bus.RamOffset(pa & ~0xFFFUL, 4096);
        if (ramBase < 0) return;
        ref FastPage p = ref cache[(int)(va >> 12) & (FastPages - 1)];
        p.Tag = (va & ~0xFFFUL) | 1;
        p.RamBase = ramBase;
        p.Epoch = _fastEpoch;
        p.TlbGeneration = Mmu.Tlb.Generation;
        p.Asid = asid;
        p.ContextEpoch = ContextEpoch;
        p.TlbFills = Mmu.Tlb.Fills;
        p.PaPage = pa & ~0xFFFUL;
        p.MemAttr = attr;
    }

    /// <summary>Translation plus the alignment rules (Arm ARM B2.5.2): SCTLR.A, Device memory, exclusives and acquire/release.</summary>
    private bool TranslateData(ulong va, int size, AccessKind kind, AccessFlags flags, out ulong pa, out byte attr, out int asid,
        out bool crossesPage)
    {
        pa = 0;
        attr = 0;
        asid = AnyAsid;
        crossesPage = false;
        bool misaligned = (va & (ulong)(size - 1)) != 0 || (flags & AccessFlags.Misaligned16) != 0;
        ulong sctlr = EL == 2 ? MmuRegs.SCTLR_EL2 : MmuRegs.SCTLR_EL1;
        bool write = kind == AccessKind.Write;
        if (misaligned && ((flags & AccessFlags.MustBeAligned) != 0 || (sctlr & 2) != 0))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.Alignment, 0), write);
            return false;
        }
        int el = (flags & AccessFlags.Unprivileged) != 0 && EL == 1 ? 0 : EL;
        // Watchpoints come after the alignment check and before translation (Arm ARM AArch64.TranslateAddress).
        if (WatchpointsArmed && CheckWatchpoint(va, size, write, el)) return false;
        ulong generation = Mmu.Tlb.Generation;
        bool ok = Mmu.Translate(va, kind, EL, el != EL, out var t, out var fault);
        // A TLB entry was replaced: the fetch window may have been built on it (see Cpu.Run.cs RefillFetch).
        if (Mmu.Tlb.Generation != generation) InvalidateFetch();
        if (!ok)
        {
            TakeDataAbort(va, fault, write);
            return false;
        }
        if (misaligned && t.IsDevice)
        {
            TakeDataAbort(va, new MmuFault(FaultKind.Alignment, 0), write);
            return false;
        }
        pa = t.PhysicalAddress;
        attr = t.MemAttr;
        asid = t.Asid;
        crossesPage = (va & 0xFFF) + (ulong)size > 0x1000;
        return true;
    }

    private bool ReadBytewise(ulong va, int size, out ulong value, AccessFlags flags)
    {
        value = 0;
        for (int i = 0; i < size; i++)
        {
            if (!TryRead(va + (ulong)i, 1, out ulong b, flags)) return false;
            value |= b << (8 * i);
        }
        return true;
    }

    private bool WriteBytewise(ulong va, int size, ulong value, AccessFlags flags)
    {
        for (int i = 0; i < size; i++)
            if (!TryWrite(va + (ulong)i, 1, value >> (8 * i), flags)) return false;
        return true;
    }
}
