namespace Aegis.Emulator.Cpu;

/// <summary>
/// What the board provides above the architecture: PSCI behind HVC/SMC (as QEMU's built-in firmware)
/// and semihosting behind HLT #0xF000. Each call returns true when it handled the instruction;
/// false lets the CPU take the architectural exception.
/// </summary>
public interface IFirmware
{
    bool Hvc(Cpu cpu, ushort imm);
    bool Smc(Cpu cpu, ushort imm);
    bool Hlt(Cpu cpu, ushort imm);
}
