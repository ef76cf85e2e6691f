using System.Runtime.CompilerServices;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Data accesses by virtual address. Each returns false after it has taken the guest's data abort
/// (translation, permission, alignment or external), so a handler just returns.
/// <para>
/// Fast path: a direct-mapped host-side cache per direction of (VA page) -> RAM offset, filled by the slow path
/// after a successful translation to a page that is entirely RAM. An entry is used only while
/// <see cref="TranslationEpoch"/> (TLBI, translation-register writes, EL changes) and the TLB's
/// <see cref="Tlb.Generation"/> (an entry leaving the modelled TLB, e.g. by replacement) are what they were at
/// fill time, so it never returns anything the modelled TLB would not. Only aligned, privileged-as-current
/// accesses take it: a misaligned access (SCTLR.A, MustBeAligned, Device memory, page crossing) and LDTR/STTR
/// always go through the full checks. Device-typed RAM (the MMU-off data default) is cached too: for an
/// aligned access Device and Normal RAM behave identically here. MMIO never is (the page is not RAM).
/// </para>
/// </summary>
public sealed partial class Cpu
{
    private const int FastPages = 256;

    private struct FastPage
    {
        /// <summary>VA page | 1 (bit 0 marks the entry valid, so a zeroed entry never matches).</summary>
        public ulong Tag;
        public long RamBase;
        public ulong Epoch;
        public ulong TlbGeneration;
        /// <summary>The page's PA and MAIR attribute byte, for the timing model's access log.</summary>
        public ulong PaPage;
        public byte MemAttr;
    }

    private readonly FastPage[] _fastRead = new FastPage[FastPages];
    private readonly FastPage[] _fastWrite = new FastPage[FastPages];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(ulong va, int size, out ulong value, AccessFlags flags = AccessFlags.None) =>
        ((flags & (AccessFlags.Unprivileged | AccessFlags.Misaligned16)) == 0 && FastRead(va, size, out value))
        || ReadSlow(va, size, out value, flags);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(ulong va, int size, ulong value, AccessFlags flags = AccessFlags.None) =>
        ((flags & (AccessFlags.Unprivileged | AccessFlags.Misaligned16)) == 0 && FastWrite(va, size, value))
        || WriteSlow(va, size, value, flags);

    /// <summary>The fast path's entry for an aligned access of <paramref name="size"/> bytes at <paramref name="va"/>,
    /// or a null reference when the access must take the slow path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref FastPage FastEntry(FastPage[] cache, ulong va, int size)
    {
        ref FastPage p = ref cache[(int)(va >> 12) & (FastPages - 1)];
        if (p.Tag == ((va & ~0xFFFUL) | 1) && p.Epoch == TranslationEpoch && p.TlbGeneration == Mmu.Tlb.Generation
            && (va & (ulong)(size - 1)) == 0)
            return ref p;
        return ref Unsafe.NullRef<FastPage>();
    }

    /// <summary>A privileged-as-current read by the fast path alone: false, with nothing done, when it does not apply
    /// (the block translator then runs the instruction's handler, which takes the slow path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool FastRead(ulong va, int size, out ulong value)
    {
        ref FastPage p = ref FastEntry(_fastRead, va, size);
        if (Unsafe.IsNullRef(ref p)) { value = 0; return false; }
        value = Bus.ReadRam(p.RamBase + (long)(va & 0xFFF), size);
        if (_logAccesses) LogAccess(va, p.PaPage | (va & 0xFFF), size, false, p.MemAttr);
        return true;
    }

    /// <summary>The write counterpart of <see cref="FastRead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool FastWrite(ulong va, int size, ulong value)
    {
        ref FastPage p = ref FastEntry(_fastWrite, va, size);
        if (Unsafe.IsNullRef(ref p)) return false;
        ulong pa = p.PaPage | (va & 0xFFF);
        byte attr = p.MemAttr;
        Bus.WriteRam(p.RamBase + (long)(va & 0xFFF), size, value); // may drop code (and so this entry's epoch)
        if (_logAccesses) LogAccess(va, pa, size, true, attr);
        return true;
    }

    /// <summary>Both reads of a pair (LDP) by the fast path, or neither: the pair must lie in one page.</summary>
    internal bool FastReadPair(ulong va, int size, out ulong first, out ulong second)
    {
        // Aligned and in one page, the second read uses the first one's entry, which a read cannot invalidate.
        if ((va & 0xFFF) > (ulong)(0x1000 - 2 * size) || !FastRead(va, size, out first)) { first = second = 0; return false; }
        return FastRead(va + (ulong)size, size, out second);
    }

    /// <summary>Both writes of a pair (STP) by the fast path, or neither. A page whose writes are tracked is left to the
    /// handler: there the first write may drop code, and with it the entry the second one would use.</summary>
    internal bool FastWritePair(ulong va, int size, ulong first, ulong second)
    {
        if ((va & 0xFFF) > (ulong)(0x1000 - 2 * size)) return false;
        ref FastPage p = ref FastEntry(_fastWrite, va, size);
        if (Unsafe.IsNullRef(ref p)) return false;
        long ram = p.RamBase + (long)(va & 0xFFF);
        if (Bus.WriteTracked(ram)) return false;
        ulong pa = p.PaPage | (va & 0xFFF);
        byte attr = p.MemAttr;
        Bus.WriteRam(ram, size, first);
        if (_logAccesses) LogAccess(va, pa, size, true, attr);
        Bus.WriteRam(ram + size, size, second);
        if (_logAccesses) LogAccess(va + (ulong)size, pa + (ulong)size, size, true, attr);
        return true;
    }

    /// <summary>Accesses that went past the RAM fast path: a translated block stops after one (it may have reached a
    /// device, which may raise an interrupt or schedule an event the run loop must see before the next instruction).</summary>
    internal ulong SlowAccesses;

    private bool ReadSlow(ulong va, int size, out ulong value, AccessFlags flags)
    {
        SlowAccesses++;
        value = 0;
        if (!TranslateData(va, size, AccessKind.Read, flags, out ulong pa, out byte attr, out bool crossesPage)) return false;
        if (crossesPage) return ReadBytewise(va, size, out value, flags);
        if (!Bus.Read(pa, size, out value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: false);
            return false;
        }
        if (_logAccesses) LogAccess(va, pa, size, false, attr);
        if (HooksBuilt) HookMemoryAccess(va, pa, size, value, write: false);
        if ((flags & AccessFlags.Unprivileged) == 0) FillFastPage(_fastRead, va, pa, attr);
        return true;
    }

    private bool WriteSlow(ulong va, int size, ulong value, AccessFlags flags)
    {
        SlowAccesses++;
        if (!TranslateData(va, size, AccessKind.Write, flags, out ulong pa, out byte attr, out bool crossesPage)) return false;
        if (crossesPage) return WriteBytewise(va, size, value, flags);
        if (!Bus.Write(pa, size, value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: true);
            return false;
        }
        if (_logAccesses) LogAccess(va, pa, size, true, attr);
        if (HooksBuilt) HookMemoryAccess(va, pa, size, value, write: true);
        if ((flags & AccessFlags.Unprivileged) == 0) FillFastPage(_fastWrite, va, pa, attr);
        return true;
    }

    private void FillFastPage(FastPage[] cache, ulong va, ulong pa, byte attr)
    {
        // Watchpoints must see every access: while any is armed the fast path stays empty. A memory hook must see every
        // access in its range: the pages it covers are never cached (the others keep the fast path).
        if (WatchpointsArmed || (HooksBuilt && _memoryHooks != null && MemoryHooksCover(va & ~0xFFFUL))) return;
        long ramBase = Bus.RamOffset(pa & ~0xFFFUL, 4096);
        if (ramBase < 0) return;
        ref FastPage p = ref cache[(int)(va >> 12) & (FastPages - 1)];
        p.Tag = (va & ~0xFFFUL) | 1;
        p.RamBase = ramBase;
        p.Epoch = TranslationEpoch;
        p.TlbGeneration = Mmu.Tlb.Generation;
        p.PaPage = pa & ~0xFFFUL;
        p.MemAttr = attr;
    }

    /// <summary>Translation plus the alignment rules (Arm ARM B2.5.2): SCTLR.A, Device memory, exclusives and acquire/release.</summary>
    private bool TranslateData(ulong va, int size, AccessKind kind, AccessFlags flags, out ulong pa, out byte attr, out bool crossesPage)
    {
        pa = 0;
        attr = 0;
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
