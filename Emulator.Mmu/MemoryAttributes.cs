namespace Aegis.Emulator.Mmu;

/// <summary>The result of a successful translation.</summary>
public readonly record struct Translation(ulong PhysicalAddress, bool IsDevice);
