using System.Runtime.InteropServices;
using System.Text;

namespace Aegis.Tests.Support;

/// <summary>
/// A thin, allocation-free binding to the Capstone 4 library that the Gee.External.Capstone 2.3.0
/// package ships (the same native <c>libcapstone</c>), through <c>cs_disasm_iter</c>: the decoder
/// cross-check disassembles millions of words, which the managed wrapper's per-call arrays make slow.
/// </summary>
public sealed unsafe class CapstoneA64 : IDisposable
{
    private const string Lib = "capstone";
    private const int CsArchArm64 = 1, CsModeLittleEndian = 0;

    // cs_insn of Capstone 4 (capstone.h): id, address, size, bytes[16], mnemonic[32], op_str[160], detail*.
    private const int MnemonicOffset = 34, OpStrOffset = 66;

    [DllImport(Lib)] private static extern int cs_open(int arch, int mode, out nint handle);
    [DllImport(Lib)] private static extern int cs_close(ref nint handle);
    [DllImport(Lib)] private static extern uint cs_version(out int major, out int minor);
    [DllImport(Lib)] private static extern nint cs_malloc(nint handle);
    [DllImport(Lib)] private static extern void cs_free(nint insn, nuint count);
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool cs_disasm_iter(nint handle, ref byte* code, ref nuint size, ref ulong address, nint insn);

    private nint _handle;
    private readonly nint _insn;
    private readonly byte* _buffer;

    public CapstoneA64()
    {
        int err = cs_open(CsArchArm64, CsModeLittleEndian, out _handle);
        if (err != 0) throw new InvalidOperationException($"cs_open failed: {err}");
        _insn = cs_malloc(_handle);
        _buffer = (byte*)NativeMemory.Alloc(4);
    }

    /// <summary>The library's (major, minor) version: 4.x for the package this project pins.</summary>
    public static (int Major, int Minor) Version
    {
        get { cs_version(out int major, out int minor); return (major, minor); }
    }

    /// <summary>Disassembles one little-endian word; false when Capstone does not decode it.</summary>
    public bool TryDecode(uint word, out string mnemonic, out string operands)
    {
        if (!TryDecode(word)) { mnemonic = operands = ""; return false; }
        mnemonic = Mnemonic;
        operands = CString((byte*)_insn + OpStrOffset, 160);
        return true;
    }

    /// <summary>Disassembles one word without allocating; read <see cref="Mnemonic"/> afterwards.</summary>
    public bool TryDecode(uint word)
    {
        *(uint*)_buffer = word;
        byte* code = _buffer;
        nuint size = 4;
        ulong address = 0;
        return cs_disasm_iter(_handle, ref code, ref size, ref address, _insn);
    }

    /// <summary>The mnemonic of the last successful <see cref="TryDecode(uint)"/>.</summary>
    public string Mnemonic => CString((byte*)_insn + MnemonicOffset, 32);

    /// <summary>"mnemonic operands" of one word, or ".inst 0x..." when Capstone does not decode it.</summary>
    public string Disassemble(uint word) =>
        TryDecode(word, out var m, out var o) ? (o.Length > 0 ? $"{m} {o}" : m) : $".inst 0x{word:x8}";

    private static string CString(byte* p, int max)
    {
        int n = 0;
        while (n < max && p[n] != 0) n++;
        return Encoding.ASCII.GetString(p, n);
    }

    public void Dispose()
    {
        if (_handle == 0) return;
        cs_free(_insn, 1);
        NativeMemory.Free(_buffer);
        cs_close(ref _handle);
        _handle = 0;
    }
}
