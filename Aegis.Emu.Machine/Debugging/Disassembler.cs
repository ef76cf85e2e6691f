using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;

namespace Aegis.Emu.Debugging;

/// <summary>One disassembled instruction (Capstone's text; ".inst 0x..." when Capstone has none).</summary>
public readonly record struct DisassembledLine(ulong Address, uint Word, string Text);

/// <summary>A64 disassembly with Capstone (the reference disassembler of the tests).</summary>
public static class Disassembler
{
    public static DisassembledLine Disassemble(ulong address, uint word)
    {
        using var d = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.LittleEndian);
        var insts = d.Disassemble(BitConverter.GetBytes(word), (long)address);
        if (insts.Length == 0) return new DisassembledLine(address, word, $".inst 0x{word:x8}");
        var i = insts[0];
        string text = string.IsNullOrEmpty(i.Operand) ? i.Mnemonic : $"{i.Mnemonic} {i.Operand}";
        return new DisassembledLine(address, word, text);
    }
}
