using Aegis.Emulator.Cpu;

namespace Aegis.Emulator.Devices;

/// <summary>What QEMU's `virt` board answers above the architecture: PSCI on its conduit and semihosting.</summary>
public sealed class VirtFirmware(Psci psci, Semihosting semihosting) : IFirmware
{
    public Psci Psci { get; } = psci;
    public Semihosting Semihosting { get; } = semihosting;

    public bool Hvc(Cpu.Cpu cpu, ushort imm) => Psci.Hvc(cpu);
    public bool Smc(Cpu.Cpu cpu, ushort imm) => Psci.Smc(cpu);
    public bool Hlt(Cpu.Cpu cpu, ushort imm) => Semihosting.Hlt(cpu, imm);
}
