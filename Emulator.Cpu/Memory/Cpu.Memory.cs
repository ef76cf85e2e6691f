using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Data accesses by virtual address. Each returns false after it has taken the guest's data abort
/// (translation, permission, alignment or external), so a handler just returns.
/// </summary>
public sealed partial class Cpu
{
    public bool TryRead(ulong va, int size, out ulong value, AccessFlags flags = AccessFlags.None)
    {
        value = 0;
        if (!TranslateData(va, size, AccessKind.Read, flags, out ulong pa, out bool crossesPage)) return false;
        if (crossesPage) return ReadBytewise(va, size, out value, flags);
        if (!Bus.Read(pa, size, out value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: false);
            return false;
        }
        return true;
    }

    public bool TryWrite(ulong va, int size, ulong value, AccessFlags flags = AccessFlags.None)
    {
        if (!TranslateData(va, size, AccessKind.Write, flags, out ulong pa, out bool crossesPage)) return false;
        if (crossesPage) return WriteBytewise(va, size, value, flags);
        if (!Bus.Write(pa, size, value))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.SynchronousExternal, 0), write: true);
            return false;
        }
        return true;
    }

    /// <summary>Translation plus the alignment rules (Arm ARM B2.5.2): SCTLR.A, Device memory, exclusives and acquire/release.</summary>
    private bool TranslateData(ulong va, int size, AccessKind kind, AccessFlags flags, out ulong pa, out bool crossesPage)
    {
        pa = 0;
        crossesPage = false;
        bool misaligned = (va & (ulong)(size - 1)) != 0;
        ulong sctlr = EL == 2 ? MmuRegs.SCTLR_EL2 : MmuRegs.SCTLR_EL1;
        bool write = kind == AccessKind.Write;
        if (misaligned && ((flags & AccessFlags.MustBeAligned) != 0 || (sctlr & 2) != 0))
        {
            TakeDataAbort(va, new MmuFault(FaultKind.Alignment, 0), write);
            return false;
        }
        int el = (flags & AccessFlags.Unprivileged) != 0 && EL == 1 ? 0 : EL;
        if (!Mmu.Translate(va, kind, EL, el != EL, out var t, out var fault))
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
