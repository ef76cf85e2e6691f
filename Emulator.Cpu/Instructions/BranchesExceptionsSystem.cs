using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>The rows of "Branches, Exception Generating and System instructions" (Arm ARM C4.1.3, op0 = x101).</summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    public static EncodingRow[] Rows =>
    [
        // ---- Unconditional branch (immediate) ----
        new("000101xx_xxxxxxxx_xxxxxxxx_xxxxxxxx", "B", &B, TimingClass.Branch, PrepareImm26),
        new("100101xx_xxxxxxxx_xxxxxxxx_xxxxxxxx", "BL", &BL, TimingClass.Branch, PrepareImm26),
        // ---- Conditional branch (immediate) ----
        new("01010100_xxxxxxxx_xxxxxxxx_xxx0xxxx", "B.cond", &BCond, TimingClass.Branch, PrepareImm19),
        // ---- Compare and branch (immediate) ----
        new("x0110100_xxxxxxxx_xxxxxxxx_xxxxxxxx", "CBZ", &Cbz, TimingClass.Branch, PrepareImm19),
        new("x0110101_xxxxxxxx_xxxxxxxx_xxxxxxxx", "CBNZ", &Cbnz, TimingClass.Branch, PrepareImm19),
        // ---- Test and branch (immediate) ----
        new("x0110110_xxxxxxxx_xxxxxxxx_xxxxxxxx", "TBZ", &Tbz, TimingClass.Branch, PrepareImm14),
        new("x0110111_xxxxxxxx_xxxxxxxx_xxxxxxxx", "TBNZ", &Tbnz, TimingClass.Branch, PrepareImm14),
        // ---- Unconditional branch (register) ----
        new("11010110_00011111_000000xx_xxx00000", "BR", &Br, TimingClass.BranchIndirect),
        new("11010110_00111111_000000xx_xxx00000", "BLR", &Blr, TimingClass.BranchIndirect),
        new("11010110_01011111_000000xx_xxx00000", "RET", &Br, TimingClass.BranchIndirect),
        new("11010110_10011111_00000011_11100000", "ERET", &Eret, TimingClass.Exception),
        // ---- Exception generation ----
        new("11010100_000xxxxx_xxxxxxxx_xxx00001", "SVC", &Svc, TimingClass.Exception),
        new("11010100_000xxxxx_xxxxxxxx_xxx00010", "HVC", &Hvc, TimingClass.Exception),
        new("11010100_000xxxxx_xxxxxxxx_xxx00011", "SMC", &Smc, TimingClass.Exception),
        new("11010100_001xxxxx_xxxxxxxx_xxx00000", "BRK", &Brk, TimingClass.Exception),
        new("11010100_010xxxxx_xxxxxxxx_xxx00000", "HLT", &Hlt, TimingClass.Exception),
        // ---- Hints ----
        new("11010101_00000011_00100000_00011111", "NOP", &Nop, TimingClass.Hint),
        new("11010101_00000011_00100000_00111111", "YIELD", &Nop, TimingClass.Hint),
        new("11010101_00000011_00100000_01011111", "WFE", &Wfe, TimingClass.Hint),
        new("11010101_00000011_00100000_01111111", "WFI", &Wfi, TimingClass.Hint),
        new("11010101_00000011_00100000_10011111", "SEV", &Sev, TimingClass.Hint),
        new("11010101_00000011_00100000_10111111", "SEVL", &Sevl, TimingClass.Hint),
        new("11010101_00000011_0010xxxx_xxx11111", "HINT (other hints execute as NOP)", &Nop, TimingClass.Hint),
        // ---- Barriers ----
        new("11010101_00000011_0011xxxx_01011111", "CLREX", &Clrex, TimingClass.Barrier),
        new("11010101_00000011_0011xxxx_10011111", "DSB", &Dsb, TimingClass.Barrier),
        new("11010101_00000011_0011xxxx_10111111", "DMB", &Dmb, TimingClass.Barrier),
        new("11010101_00000011_0011xxxx_11011111", "ISB", &Isb, TimingClass.Barrier),
        // ---- PSTATE (MSR immediate) ----
        new("11010101_00000000_0100xxxx_10111111", "MSR (immediate) SPSel", &MsrImmSpSel, TimingClass.System),
        new("11010101_00000011_0100xxxx_11011111", "MSR (immediate) DAIFSet", &MsrImmDaifSet, TimingClass.System),
        new("11010101_00000011_0100xxxx_11111111", "MSR (immediate) DAIFClr", &MsrImmDaifClr, TimingClass.System),
        // ---- System instructions and system register moves ----
        new("11010101_00001xxx_xxxxxxxx_xxxxxxxx", "SYS", &Msr, TimingClass.CacheMaintenance, PrepareMsr),
        new("11010101_0001xxxx_xxxxxxxx_xxxxxxxx", "MSR (register)", &Msr, TimingClass.System, PrepareMsr),
        new("11010101_0011xxxx_xxxxxxxx_xxxxxxxx", "MRS", &Mrs, TimingClass.System, PrepareMrs),
    ];
}
