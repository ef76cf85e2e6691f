using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;

namespace Aegis.Emu.Tracing;

/// <summary>A64 disassembly by Capstone, cached per (address, encoding): PC-relative operands depend on the address.</summary>
public sealed class Disassembler : IDisposable
{
    private readonly CapstoneArm64Disassembler _cs = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.Arm);
    private readonly Dictionary<(ulong, uint), string> _cache = [];
    private readonly byte[] _bytes = new byte[4];

    public string Disassemble(ulong address, uint encoding)
    {
        if (_cache.TryGetValue((address, encoding), out var text)) return text;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_bytes, encoding);
        var insts = _cs.Disassemble(_bytes, (long)address);
        text = insts.Length == 0 ? "(undefined)" : (insts[0].Mnemonic + " " + insts[0].Operand).TrimEnd();
        if (_cache.Count > 1 << 20) _cache.Clear();
        _cache[(address, encoding)] = text;
        return text;
    }

    public void Dispose() => _cs.Dispose();
}
