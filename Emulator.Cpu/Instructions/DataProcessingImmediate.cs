using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Data processing (immediate), Arm ARM C4.1.2 (op0 = x100x): PC-relative addressing, add/subtract,
/// logical, move wide, bitfield and extract. Encodings without a row (e.g. MOVZ's opc = 01, add/sub
/// shift = 1x) and rows whose Prepare refuses them are UNDEFINED.
/// </summary>
internal static unsafe partial class DataProcessingImmediate
{
    public static EncodingRow[] Rows =>
    [
        // PC-rel. addressing: op immlo 10000 immhi Rd
        new("0xx10000_xxxxxxxx_xxxxxxxx_xxxxxxxx", "ADR", &Adr, TimingClass.Alu, PrepareAdr),
        new("1xx10000_xxxxxxxx_xxxxxxxx_xxxxxxxx", "ADRP", &Adrp, TimingClass.Alu, PrepareAdrp),

        // Add/subtract (immediate): sf op S 100010 sh imm12 Rn Rd (the v8.0 shift field 1x is reserved)
        new("x0010001_0xxxxxxx_xxxxxxxx_xxxxxxxx", "ADD (immediate)", &AddImmediate, TimingClass.Alu, PrepareAddSubImmediate),
        new("x0110001_0xxxxxxx_xxxxxxxx_xxxxxxxx", "ADDS (immediate)", &AddsImmediate, TimingClass.Alu, PrepareAddSubImmediate),
        new("x1010001_0xxxxxxx_xxxxxxxx_xxxxxxxx", "SUB (immediate)", &SubImmediate, TimingClass.Alu, PrepareAddSubImmediate),
        new("x1110001_0xxxxxxx_xxxxxxxx_xxxxxxxx", "SUBS (immediate)", &SubsImmediate, TimingClass.Alu, PrepareAddSubImmediate),

        // Logical (immediate): sf opc 100100 N immr imms Rn Rd
        new("x0010010_0xxxxxxx_xxxxxxxx_xxxxxxxx", "AND (immediate)", &AndImmediate, TimingClass.Alu, PrepareLogicalImmediate),
        new("x0110010_0xxxxxxx_xxxxxxxx_xxxxxxxx", "ORR (immediate)", &OrrImmediate, TimingClass.Alu, PrepareLogicalImmediate),
        new("x1010010_0xxxxxxx_xxxxxxxx_xxxxxxxx", "EOR (immediate)", &EorImmediate, TimingClass.Alu, PrepareLogicalImmediate),
        new("x1110010_0xxxxxxx_xxxxxxxx_xxxxxxxx", "ANDS (immediate)", &AndsImmediate, TimingClass.Alu, PrepareLogicalImmediate),

        // Move wide (immediate): sf opc 100101 hw imm16 Rd (opc = 01 unallocated)
        new("x0010010_1xxxxxxx_xxxxxxxx_xxxxxxxx", "MOVN", &MoveWideConstant, TimingClass.Alu, PrepareMovn),
        new("x1010010_1xxxxxxx_xxxxxxxx_xxxxxxxx", "MOVZ", &MoveWideConstant, TimingClass.Alu, PrepareMovzMovk),
        new("x1110010_1xxxxxxx_xxxxxxxx_xxxxxxxx", "MOVK", &Movk, TimingClass.Alu, PrepareMovzMovk),

        // Bitfield: sf opc 100110 N immr imms Rn Rd (opc = 11 unallocated)
        new("x0010011_0xxxxxxx_xxxxxxxx_xxxxxxxx", "SBFM", &Sbfm, TimingClass.Bitfield, PrepareBitfield),
        new("x0110011_0xxxxxxx_xxxxxxxx_xxxxxxxx", "BFM", &Bfm, TimingClass.Bitfield, PrepareBitfield),
        new("x1010011_0xxxxxxx_xxxxxxxx_xxxxxxxx", "UBFM", &Ubfm, TimingClass.Bitfield, PrepareBitfield),

        // Extract: sf op21 100111 N o0 Rm imms Rn Rd; only op21 = 00, o0 = 0, N = sf, and imms<5> = 0 when sf = 0
        new("00010011_100xxxxx_0xxxxxxx_xxxxxxxx", "EXTR", &Extr32, TimingClass.Bitfield),
        new("10010011_110xxxxx_xxxxxxxx_xxxxxxxx", "EXTR", &Extr64, TimingClass.Bitfield),
    ];
}
