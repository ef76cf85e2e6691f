namespace Aegis.Emulator.Cpu.Hooks;

/// <summary>One data access as <see cref="CpuHook.OnMemoryAccess"/> sees it; <see cref="Value"/> is the bytes read or written (little-endian, <see cref="Size"/> bytes).</summary>
public readonly record struct MemoryAccess(ulong Va, ulong Pa, int Size, ulong Value, bool IsWrite);
