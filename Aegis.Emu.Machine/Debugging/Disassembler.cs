using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;

namespace Aegis.Emu.Debugging;

/// <summary>
/// A64 disassembly by Capstone (Gee.External.Capstone, the reference disassembler of the tests), for the debugger,
/// the tracer and the pipeline view: one Capstone handle per instance, answers cached per (address, encoding)
/// because PC-relative operands depend on the address. (Tests/Support/CapstoneA64.cs binds the same native library
/// without allocating, for the decoder cross-check's millions of words.)
/// </summary>
public sealed class Disassembler : IDisposable
{
    private const int CacheLimit = 1 << 20;
    private readonly CapstoneArm64Disassembler _cs = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.LittleEndian);
    private readonly Dictionary<(ulong, uint), string?> _cache = [];
    private readonly byte[] _bytes = new byte[4];

    /// <summary>"mnemonic operands", or null when Capstone has no decoding for the word.</summary>
    public string? TryDisassemble(ulong address, uint encoding)
    {
        if (_cache.TryGetValue((address, encoding), out var text)) return text;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_bytes, encoding);
        var insts = _cs.Disassemble(_bytes, (long)address);
        text = insts.Length == 0 ? null : string.IsNullOrEmpty(insts[0].Operand) ? insts[0].Mnemonic : $"{insts[0].Mnemonic} {insts[0].Operand}";
        if (_cache.Count >= CacheLimit) _cache.Clear();
        _cache[(address, encoding)] = text;
        return text;
    }

    /// <summary>The instruction's text; <paramref name="undefined"/> (default ".inst 0x...", as llvm-objdump) when Capstone has none.</summary>
    public string Disassemble(ulong address, uint encoding, string? undefined = null) =>
        TryDisassemble(address, encoding) ?? undefined ?? $".inst 0x{encoding:x8}";

    public void Dispose() => _cs.Dispose();
}
