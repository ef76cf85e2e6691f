using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Data processing (register), Arm ARM C4.1.5 (op0 = x101x), as Armv8.0-A with the CRC32 extension
/// that the Cortex-A53 implements. Encodings without a row (later-architecture opcodes such as PACGA,
/// RMIF, SETF, the S = 1 variants of select and the sf/opcode combinations the tables leave out) and
/// rows whose Prepare refuses them are UNDEFINED.
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    public static EncodingRow[] Rows =>
    [
        // Logical (shifted register): sf opc 01010 shift N imm6 Rm Rn Rd
        new("x0001010_xx0xxxxx_xxxxxxxx_xxxxxxxx", "AND (shifted register)", &AndShifted, TimingClass.AluShifted, PrepareShifted),
        new("x0001010_xx1xxxxx_xxxxxxxx_xxxxxxxx", "BIC (shifted register)", &BicShifted, TimingClass.AluShifted, PrepareShifted),
        new("x0101010_xx0xxxxx_xxxxxxxx_xxxxxxxx", "ORR (shifted register)", &OrrShifted, TimingClass.AluShifted, PrepareShifted),
        new("x0101010_xx1xxxxx_xxxxxxxx_xxxxxxxx", "ORN (shifted register)", &OrnShifted, TimingClass.AluShifted, PrepareShifted),
        new("x1001010_xx0xxxxx_xxxxxxxx_xxxxxxxx", "EOR (shifted register)", &EorShifted, TimingClass.AluShifted, PrepareShifted),
        new("x1001010_xx1xxxxx_xxxxxxxx_xxxxxxxx", "EON (shifted register)", &EonShifted, TimingClass.AluShifted, PrepareShifted),
        new("x1101010_xx0xxxxx_xxxxxxxx_xxxxxxxx", "ANDS (shifted register)", &AndsShifted, TimingClass.AluShifted, PrepareShifted),
        new("x1101010_xx1xxxxx_xxxxxxxx_xxxxxxxx", "BICS (shifted register)", &BicsShifted, TimingClass.AluShifted, PrepareShifted),

        // Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd (shift = 11 reserved)
        new("x0001011_xx0xxxxx_xxxxxxxx_xxxxxxxx", "ADD (shifted register)", &AddShifted, TimingClass.AluShifted, PrepareAddSubShifted),
        new("x0101011_xx0xxxxx_xxxxxxxx_xxxxxxxx", "ADDS (shifted register)", &AddsShifted, TimingClass.AluShifted, PrepareAddSubShifted),
        new("x1001011_xx0xxxxx_xxxxxxxx_xxxxxxxx", "SUB (shifted register)", &SubShifted, TimingClass.AluShifted, PrepareAddSubShifted),
        new("x1101011_xx0xxxxx_xxxxxxxx_xxxxxxxx", "SUBS (shifted register)", &SubsShifted, TimingClass.AluShifted, PrepareAddSubShifted),

        // Add/subtract (extended register): sf op S 01011 opt=00 1 Rm option imm3 Rn Rd (imm3 > 4 reserved)
        new("x0001011_001xxxxx_xxxxxxxx_xxxxxxxx", "ADD (extended register)", &AddExtended, TimingClass.AluShifted, PrepareExtended),
        new("x0101011_001xxxxx_xxxxxxxx_xxxxxxxx", "ADDS (extended register)", &AddsExtended, TimingClass.AluShifted, PrepareExtended),
        new("x1001011_001xxxxx_xxxxxxxx_xxxxxxxx", "SUB (extended register)", &SubExtended, TimingClass.AluShifted, PrepareExtended),
        new("x1101011_001xxxxx_xxxxxxxx_xxxxxxxx", "SUBS (extended register)", &SubsExtended, TimingClass.AluShifted, PrepareExtended),

        // Add/subtract (with carry): sf op S 11010000 Rm 000000 Rn Rd
        new("x0011010_000xxxxx_000000xx_xxxxxxxx", "ADC", &Adc, TimingClass.Alu),
        new("x0111010_000xxxxx_000000xx_xxxxxxxx", "ADCS", &Adcs, TimingClass.Alu),
        new("x1011010_000xxxxx_000000xx_xxxxxxxx", "SBC", &Sbc, TimingClass.Alu),
        new("x1111010_000xxxxx_000000xx_xxxxxxxx", "SBCS", &Sbcs, TimingClass.Alu),

        // Conditional compare: sf op 1 11010010 Rm|imm5 cond (0 register | 1 immediate) o2=0 Rn o3=0 nzcv
        new("x0111010_010xxxxx_xxxx00xx_xxx0xxxx", "CCMN (register)", &CcmnRegister, TimingClass.Alu),
        new("x0111010_010xxxxx_xxxx10xx_xxx0xxxx", "CCMN (immediate)", &CcmnImmediate, TimingClass.Alu),
        new("x1111010_010xxxxx_xxxx00xx_xxx0xxxx", "CCMP (register)", &CcmpRegister, TimingClass.Alu),
        new("x1111010_010xxxxx_xxxx10xx_xxx0xxxx", "CCMP (immediate)", &CcmpImmediate, TimingClass.Alu),

        // Conditional select: sf op 0 11010100 Rm cond op2 Rn Rd (op2 = 1x unallocated)
        new("x0011010_100xxxxx_xxxx00xx_xxxxxxxx", "CSEL", &Csel, TimingClass.Alu),
        new("x0011010_100xxxxx_xxxx01xx_xxxxxxxx", "CSINC", &Csinc, TimingClass.Alu),
        new("x1011010_100xxxxx_xxxx00xx_xxxxxxxx", "CSINV", &Csinv, TimingClass.Alu),
        new("x1011010_100xxxxx_xxxx01xx_xxxxxxxx", "CSNEG", &Csneg, TimingClass.Alu),

        // Data-processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd
        new("x1011010_11000000_000000xx_xxxxxxxx", "RBIT", &Rbit, TimingClass.Bitfield),
        new("x1011010_11000000_000001xx_xxxxxxxx", "REV16", &Rev16, TimingClass.Bitfield),
        new("01011010_11000000_000010xx_xxxxxxxx", "REV", &Rev32Bit, TimingClass.Bitfield),
        new("11011010_11000000_000010xx_xxxxxxxx", "REV32", &Rev32, TimingClass.Bitfield),
        new("11011010_11000000_000011xx_xxxxxxxx", "REV", &Rev64, TimingClass.Bitfield),
        new("x1011010_11000000_000100xx_xxxxxxxx", "CLZ", &Clz, TimingClass.Alu),
        new("x1011010_11000000_000101xx_xxxxxxxx", "CLS", &Cls, TimingClass.Alu),

        // Data-processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd
        new("x0011010_110xxxxx_000010xx_xxxxxxxx", "UDIV", &Udiv, TimingClass.Divide),
        new("x0011010_110xxxxx_000011xx_xxxxxxxx", "SDIV", &Sdiv, TimingClass.Divide),
        new("x0011010_110xxxxx_001000xx_xxxxxxxx", "LSLV", &Lslv, TimingClass.Shift),
        new("x0011010_110xxxxx_001001xx_xxxxxxxx", "LSRV", &Lsrv, TimingClass.Shift),
        new("x0011010_110xxxxx_001010xx_xxxxxxxx", "ASRV", &Asrv, TimingClass.Shift),
        new("x0011010_110xxxxx_001011xx_xxxxxxxx", "RORV", &Rorv, TimingClass.Shift),
        // CRC32: sz selects the operand size; only sf = 1 with sz = 11 and sf = 0 with sz != 11 exist
        new("00011010_110xxxxx_010000xx_xxxxxxxx", "CRC32B", &Crc32B, TimingClass.Crc),
        new("00011010_110xxxxx_010001xx_xxxxxxxx", "CRC32H", &Crc32H, TimingClass.Crc),
        new("00011010_110xxxxx_010010xx_xxxxxxxx", "CRC32W", &Crc32W, TimingClass.Crc),
        new("10011010_110xxxxx_010011xx_xxxxxxxx", "CRC32X", &Crc32X, TimingClass.Crc),
        new("00011010_110xxxxx_010100xx_xxxxxxxx", "CRC32CB", &Crc32CB, TimingClass.Crc),
        new("00011010_110xxxxx_010101xx_xxxxxxxx", "CRC32CH", &Crc32CH, TimingClass.Crc),
        new("00011010_110xxxxx_010110xx_xxxxxxxx", "CRC32CW", &Crc32CW, TimingClass.Crc),
        new("10011010_110xxxxx_010111xx_xxxxxxxx", "CRC32CX", &Crc32CX, TimingClass.Crc),

        // Data-processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd
        new("x0011011_000xxxxx_0xxxxxxx_xxxxxxxx", "MADD", &Madd, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("x0011011_000xxxxx_1xxxxxxx_xxxxxxxx", "MSUB", &Msub, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("10011011_001xxxxx_0xxxxxxx_xxxxxxxx", "SMADDL", &Smaddl, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("10011011_001xxxxx_1xxxxxxx_xxxxxxxx", "SMSUBL", &Smsubl, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("10011011_010xxxxx_0xxxxxxx_xxxxxxxx", "SMULH", &Smulh, TimingClass.MultiplyHigh),
        new("10011011_101xxxxx_0xxxxxxx_xxxxxxxx", "UMADDL", &Umaddl, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("10011011_101xxxxx_1xxxxxxx_xxxxxxxx", "UMSUBL", &Umsubl, TimingClass.MultiplyAccumulate, PrepareMultiply),
        new("10011011_110xxxxx_0xxxxxxx_xxxxxxxx", "UMULH", &Umulh, TimingClass.MultiplyHigh),
    ];
}
