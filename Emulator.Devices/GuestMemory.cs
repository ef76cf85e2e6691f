using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>
/// Firmware access to guest memory by virtual address, as a debugger would (QEMU's cpu_memory_rw_debug):
/// translated in the current regime, without permission checks, without taking any guest exception.
/// Reads reach RAM and flash in read-array mode (firmware run from flash keeps its strings there); writes reach RAM
/// only; anything else simply fails.
/// </summary>
internal static class GuestMemory
{
    public static bool TryRead(Cpu.Cpu cpu, ulong va, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            int chunk = (int)Math.Min((ulong)destination.Length, 0x1000 - (va & 0xFFF));
            if (!TryTranslate(cpu, va, out ulong pa) || !cpu.Bus.TryReadMemory(pa, destination[..chunk])) return false;
            destination = destination[chunk..];
            va += (ulong)chunk;
        }
        return true;
    }

    /// <summary>Writes through the bus, so that decoded code in the page is dropped.</summary>
    public static bool TryWrite(Cpu.Cpu cpu, ulong va, ReadOnlySpan<byte> source)
    {
        for (int i = 0; i < source.Length; i++)
            if (!TryTranslate(cpu, va + (ulong)i, out ulong pa) || cpu.Bus.RamOffset(pa, 1) < 0 || !cpu.Bus.Write(pa, 1, source[i]))
                return false;
        return true;
    }

    public static bool TryReadU64(Cpu.Cpu cpu, ulong va, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        bool ok = TryRead(cpu, va, b);
        value = ok ? BitConverter.ToUInt64(b) : 0;
        return ok;
    }

    public static bool TryWriteU64(Cpu.Cpu cpu, ulong va, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BitConverter.TryWriteBytes(b, value);
        return TryWrite(cpu, va, b);
    }

    /// <summary>Reads a NUL-terminated string (without the NUL); null when it runs into unreadable memory.</summary>
    public static byte[]? TryReadCString(Cpu.Cpu cpu, ulong va)
    {
        var bytes = new List<byte>();
        Span<byte> span = stackalloc byte[0x1000];
        while (true)
        {
            int chunk = (int)(0x1000 - (va & 0xFFF));
            if (!TryTranslate(cpu, va, out ulong pa) || !cpu.Bus.TryReadMemory(pa, span[..chunk])) return null;
            var page = span[..chunk];
            int nul = page.IndexOf((byte)0);
            if (nul >= 0) { bytes.AddRange(page[..nul]); return bytes.ToArray(); }
            bytes.AddRange(page);
            va += (ulong)chunk;
        }
    }

    private static bool TryTranslate(Cpu.Cpu cpu, ulong va, out ulong pa)
    {
        bool ok = cpu.Mmu.Translate(va, AccessKind.Read, cpu.EL, false, out var t, out _);
        pa = t.PhysicalAddress;
        return ok;
    }
}
