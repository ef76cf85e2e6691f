using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Exception generation and return (Arm ARM C6.2: SVC, HVC, SMC, BRK, HLT, ERET). HVC/SMC/HLT are first
/// offered to the board's firmware (PSCI, semihosting), as QEMU does, after the checks QEMU makes first.
/// </summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    private static ushort Imm16(uint raw) => (ushort)(raw >> 5);

    /// <summary>SVC: EC 0x15, ISS = imm16, preferred return = the next instruction.</summary>
    internal static void Svc(Cpu cpu, ref DecodedInst i) =>
        cpu.TakeSyncException(ExceptionClass.Svc64, Imm16(i.Raw), cpu.PC + 4);

    /// <summary>
    /// HVC (QEMU translate-a64.c disas_exc + helper pre_hvc): UNDEFINED at EL0; then PSCI; then UNDEFINED
    /// without EL2 or with HCR_EL2.HCD; else EC 0x16 to EL2, return = the next instruction.
    /// </summary>
    internal static void Hvc(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.EL == 0) { cpu.Undefined(); return; }
        ushort imm = Imm16(i.Raw);
        if (cpu.Firmware?.Hvc(cpu, imm) == true) return;
        if (!cpu.HasEl2 || (cpu.MmuRegs.HCR_EL2 & SysRegTraps.HCR_HCD) != 0) { cpu.Undefined(); return; }
        cpu.TakeSyncException(ExceptionClass.Hvc64, imm, cpu.PC + 4, targetEl: 2);
    }

    /// <summary>
    /// SMC (QEMU helper pre_smc, no EL3): UNDEFINED at EL0; at EL1 HCR_EL2.TSC traps it to EL2 with EC 0x17
    /// and return = the SMC itself (before PSCI sees it); then PSCI; otherwise UNDEFINED.
    /// </summary>
    internal static void Smc(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.EL == 0) { cpu.Undefined(); return; }
        ushort imm = Imm16(i.Raw);
        if (cpu.EL == 1 && cpu.HasEl2 && (cpu.MmuRegs.HCR_EL2 & SysRegTraps.HCR_TSC) != 0)
        {
            cpu.TakeSyncException(ExceptionClass.Smc64, imm, cpu.PC, targetEl: 2);
            return;
        }
        if (cpu.Firmware?.Smc(cpu, imm) == true) return;
        cpu.Undefined();
    }

    /// <summary>BRK: EC 0x3C, ISS = imm16, preferred return = the BRK itself.</summary>
    internal static void Brk(Cpu cpu, ref DecodedInst i) =>
        cpu.TakeSyncException(ExceptionClass.Brk64, Imm16(i.Raw), cpu.PC);

    /// <summary>
    /// HLT: halting debug is disabled, so it is UNDEFINED unless the firmware (semihosting, HLT #0xF000)
    /// takes it; as QEMU's -semihosting without userspace=on, not offered at EL0.
    /// </summary>
    internal static void Hlt(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.EL != 0 && cpu.Firmware?.Hlt(cpu, Imm16(i.Raw)) == true) return;
        cpu.Undefined();
    }

    /// <summary>ERET: UNDEFINED at EL0, else AArch64.ExceptionReturn.</summary>
    internal static void Eret(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.EL == 0) { cpu.Undefined(); return; }
        cpu.ExceptionReturn();
    }
}
