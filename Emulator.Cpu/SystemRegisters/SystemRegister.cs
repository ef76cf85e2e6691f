namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>What an access to a system register (or a SYS operation) does before it reaches the register.</summary>
public enum SysRegAccess : byte
{
    Ok,
    /// <summary>UNDEFINED: EC 0x00 at the current (or TGE-routed) EL.</summary>
    Undefined,
    /// <summary>Trapped with EC 0x18 to EL1 (EL2 when HCR_EL2.TGE routes EL0 there).</summary>
    TrapToEl1,
    /// <summary>Trapped with EC 0x18 to EL2.</summary>
    TrapToEl2,
    /// <summary>FP/SIMD access trap (EC 0x07) by CPACR_EL1.FPEN.</summary>
    FpTrapToEl1,
    /// <summary>FP/SIMD access trap (EC 0x07) by CPTR_EL2.TFP.</summary>
    FpTrapToEl2,
}

public delegate ulong SysRegRead(Cpu cpu);
public delegate void SysRegWrite(Cpu cpu, ulong value);
public delegate SysRegAccess SysRegCheck(Cpu cpu, bool read);

/// <summary>
/// One entry of the system-register table: a register reached by MRS/MSR (op0 = 2, 3) or an operation
/// reached by SYS (op0 = 1: DC, IC, AT, TLBI, whose "write" is the operation on Xt).
/// </summary>
public sealed class SystemRegister
{
    public string Name { get; }
    /// <summary>op0:op1:CRn:CRm:op2 packed as in the instruction's bits [20:5].</summary>
    public ushort Key { get; }
    /// <summary>The lowest EL that may access it; below it the access is UNDEFINED.</summary>
    public int MinEl { get; init; } = 1;
    public SysRegRead? Read { get; init; }
    public SysRegWrite? Write { get; init; }
    /// <summary>Configurable traps (EL0 enables, HCR_EL2/CNTHCTL_EL2/CPTR_EL2 controls), checked after the EL rule.</summary>
    public SysRegCheck? Check { get; init; }
    /// <summary>HCR_EL2 bits that trap an EL1 (and, for EL0-accessible entries, EL0) read to EL2.</summary>
    public ulong HcrTrapRead { get; init; }
    /// <summary>HCR_EL2 bits that trap an EL1 (and, for EL0-accessible entries, EL0) write to EL2.</summary>
    public ulong HcrTrapWrite { get; init; }
    /// <summary>Reading and writing it only move a value kept in the CPU: no side effect, not the clock, nothing that
    /// changes what the run loop checks or that a translated block keeps in its locals (flags, the current SP). A block
    /// moves it inline where the access is allowed (Translation/Inline/SystemRegisterForms.cs).</summary>
    public bool Plain { get; init; }

    public SystemRegister(string name, int op0, int op1, int crn, int crm, int op2)
    {
        Name = name;
        Key = KeyOf(op0, op1, crn, crm, op2);
    }

    public static ushort KeyOf(int op0, int op1, int crn, int crm, int op2) =>
        (ushort)((op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2);

    /// <summary>The key of an MRS/MSR/SYS instruction word: its bits [20:5].</summary>
    public static ushort KeyOf(uint raw) => (ushort)((raw >> 5) & 0xFFFF);

    public override string ToString()
    {
        int k = Key;
        return $"{Name} (S{k >> 14}_{(k >> 11) & 7}_C{(k >> 7) & 15}_C{(k >> 3) & 15}_{k & 7})";
    }
}
