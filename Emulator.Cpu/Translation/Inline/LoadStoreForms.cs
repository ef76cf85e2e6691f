using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation.Inline;

/// <summary>
/// Inline forms of the general-purpose loads and stores (Instructions/LoadsAndStores*.cs): immediate (unsigned offset,
/// pre- and post-index), unscaled, register offset, and pairs. Each first proves that its handler would take the RAM
/// fast path with no fault (an SP base 16-byte aligned, every access aligned and in a page the fast path holds), and
/// otherwise goes to the bail label having changed nothing; past that point it cannot fail.
/// </summary>
internal static class LoadStoreForms
{
    private const string Type = "LoadsAndStores";

    public static IEnumerable<(string Type, string Handler, InlineForm Form)> All =>
    [
        (Type, "LoadOffset", Form((e, in i, _) => Single(e, i, Addressing.Offset))),
        (Type, "LoadPreIndex", Form((e, in i, _) => Single(e, i, Addressing.PreIndex))),
        (Type, "LoadPostIndex", Form((e, in i, _) => Single(e, i, Addressing.PostIndex))),
        (Type, "StoreOffset", Form((e, in i, _) => Single(e, i, Addressing.Offset))),
        (Type, "StorePreIndex", Form((e, in i, _) => Single(e, i, Addressing.PreIndex))),
        (Type, "StorePostIndex", Form((e, in i, _) => Single(e, i, Addressing.PostIndex))),
        (Type, "LoadRegisterOffset", Form((e, in i, _) => Single(e, i, Addressing.RegisterOffset))),
        (Type, "StoreRegisterOffset", Form((e, in i, _) => Single(e, i, Addressing.RegisterOffset))),
        (Type, "LoadPairOffset", Form((e, in i, _) => Pair(e, i, Addressing.Offset))),
        (Type, "LoadPairPreIndex", Form((e, in i, _) => Pair(e, i, Addressing.PreIndex))),
        (Type, "LoadPairPostIndex", Form((e, in i, _) => Pair(e, i, Addressing.PostIndex))),
        (Type, "StorePairOffset", Form((e, in i, _) => Pair(e, i, Addressing.Offset))),
        (Type, "StorePairPreIndex", Form((e, in i, _) => Pair(e, i, Addressing.PreIndex))),
        (Type, "StorePairPostIndex", Form((e, in i, _) => Pair(e, i, Addressing.PostIndex))),
    ];

    private enum Addressing { Offset, PreIndex, PostIndex, RegisterOffset }

    private static InlineForm Form(InlineEmit emit) => new(InlineKind.Memory, emit);

    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly MethodInfo FastReadPointer = typeof(Cpu).GetMethod(nameof(Cpu.FastReadPointer), Internal)!;
    private static readonly MethodInfo FastWritePointer = typeof(Cpu).GetMethod(nameof(Cpu.FastWritePointer), Internal)!;
    private static readonly MethodInfo FastPairPointer = typeof(Cpu).GetMethod(nameof(Cpu.FastPairPointer), Internal)!;
    private static readonly MethodInfo ReadLogged = typeof(Cpu).GetMethod(nameof(Cpu.ReadLogged), Internal)!;
    private static readonly MethodInfo WriteLogged = typeof(Cpu).GetMethod(nameof(Cpu.WriteLogged), Internal)!;

    /// <summary>LDR/STR and their byte, halfword and signed forms: size [31:30], opc [23:22] (00 store, 01 load,
    /// 10 load sign-extended to 64 bits, 11 to 32).</summary>
    private static void Single(BlockEmitter e, in DecodedInst i, Addressing mode)
    {
        int sizeLog2 = (int)(i.Raw >> 30), size = 1 << sizeLog2;
        uint opc = (i.Raw >> 22) & 3;
        var address = BaseAndAddress(e, i, mode);
        var pointer = Pointer(e, address, size, 1, opc == 0, () => e.Call(opc == 0 ? FastWritePointer : FastReadPointer));
        e.Access = (address, pointer, 1, size);
        if (opc == 0)
        {
            // The original Rt is stored, also when it is the base written back (as the handler).
            byte rt = i.Rt;
            WriteAt(e, pointer, address, 0, size, () => e.LoadX(rt));
        }
        else
        {
            ReadAt(e, pointer, address, 0, size);
            if (opc >= 2) SignExtend(e, 8 << sizeLog2, to32: opc == 3);
            e.StoreX(i.Rt);
        }
        WriteBack(e, i, mode, address);
    }

    /// <summary>LDP/STP/LDNP/STNP/LDPSW: opc [31:30] (10: X registers; 01 on a load: LDPSW).</summary>
    private static void Pair(BlockEmitter e, in DecodedInst i, Addressing mode)
    {
        uint opc = i.Raw >> 30;
        bool load = (i.Flags & InstFlags.Load) != 0;
        int size = load ? (opc == 0b10 ? 8 : 4) : ((i.Raw >> 31) != 0 ? 8 : 4);
        var address = BaseAndAddress(e, i, mode);
        var pointer = Pointer(e, address, size, 2, !load, () => { e.Constant(load ? 0 : 1); e.Call(FastPairPointer); });
        e.Access = (address, pointer, 2, size);
        if (!load)
        {
            byte rt = i.Rt, rt2 = i.Rt2;
            WriteAt(e, pointer, address, 0, size, () => e.LoadX(rt));
            WriteAt(e, pointer, address, size, size, () => e.LoadX(rt2));
        }
        else
        {
            // Both reads, then Rt2 and Rt, as the handler (LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE).
            var second = e.Temp(typeof(ulong));
            ReadAt(e, pointer, address, 0, size);
            ReadAt(e, pointer, address, size, size); e.Store(second);
            e.Load(second); if (opc == 0b01) SignExtend(e, 32, to32: false); e.StoreX(i.Rt2);
            if (opc == 0b01) SignExtend(e, 32, to32: false);
            e.StoreX(i.Rt);
        }
        WriteBack(e, i, mode, address);
    }

    /// <summary>
    /// pointer = the host address the fast path gives for the <paramref name="count"/> accesses of <paramref name="size"/>
    /// bytes at address (<paramref name="call"/> asks it: Cpu.FastReadPointer and its kin); to the bail label when 0. An
    /// access in the page the block's last read (or write) was proved on (<see cref="BlockEmitter.FastPage"/>) needs only
    /// its alignment (and a pair, to stay in the page) checked.
    /// </summary>
    private static LocalBuilder Pointer(BlockEmitter e, LocalBuilder address, int size, int count, bool write, Action call)
    {
        var pointer = e.Temp(typeof(nint));
        var asked = e.Label();
        var done = e.Label();
        var page = e.FastPage(write);
        PageTag(e, address);
        e.Load(page.Tag); e.Emit(OpCodes.Bne_Un, asked);
        if (size > 1) { e.Load(address); e.Constant((ulong)(size - 1)); e.Emit(OpCodes.And); e.Emit(OpCodes.Brtrue, asked); }
        if (count == 2) { e.Load(address); e.Constant(0xFFFUL); e.Emit(OpCodes.And); e.Constant((ulong)(0x1000 - 2 * size)); e.Emit(OpCodes.Bgt_Un, asked); }
        e.Load(page.Base); PageOffset(e, address); e.Emit(OpCodes.Add); e.Store(pointer);
        e.Goto(done);
        e.Mark(asked);
        e.LoadCpu(); e.Load(address); e.Constant(size); call();
        e.Store(pointer);
        e.Load(pointer); e.Emit(OpCodes.Brfalse, e.Bail);
        PageTag(e, address); e.Store(page.Tag);
        e.Load(pointer); PageOffset(e, address); e.Emit(OpCodes.Sub); e.Store(page.Base);
        e.Mark(done);
        return pointer;
    }

    /// <summary>Pushes the fast-path tag of address's page: its VA page | 1 (<see cref="BlockEmitter.FastPage"/>).</summary>
    private static void PageTag(BlockEmitter e, LocalBuilder address)
    {
        e.Load(address); e.Constant(~0xFFFUL); e.Emit(OpCodes.And); e.Constant(1UL); e.Emit(OpCodes.Or);
    }

    /// <summary>Pushes address &amp; 0xFFF as a native int.</summary>
    private static void PageOffset(BlockEmitter e, LocalBuilder address)
    {
        e.Load(address); e.Constant(0xFFFUL); e.Emit(OpCodes.And); e.Emit(OpCodes.Conv_I);
    }

    /// <summary>Pushes the read at pointer + <paramref name="delta"/> (address + delta): logged for the timing model
    /// unless the block charges it itself (<see cref="BlockEmitter.LogAccesses"/>), else a plain host load.</summary>
    private static void ReadAt(BlockEmitter e, LocalBuilder pointer, LocalBuilder address, int delta, int size)
    {
        if (e.LogAccesses) e.LoadCpu();
        e.Load(pointer); if (delta != 0) { e.Constant(delta); e.Emit(OpCodes.Add); }
        if (e.LogAccesses)
        {
            e.Load(address); if (delta != 0) { e.Constant((ulong)delta); e.Emit(OpCodes.Add); }
            e.Constant(size); e.Call(ReadLogged);
            return;
        }
        e.Emit(size switch { 1 => OpCodes.Ldind_U1, 2 => OpCodes.Ldind_U2, 4 => OpCodes.Ldind_U4, _ => OpCodes.Ldind_I8 });
        if (size < 8) e.Emit(OpCodes.Conv_U8);
    }

    private static void WriteAt(BlockEmitter e, LocalBuilder pointer, LocalBuilder address, int delta, int size, Action value)
    {
        if (e.LogAccesses) e.LoadCpu();
        e.Load(pointer); if (delta != 0) { e.Constant(delta); e.Emit(OpCodes.Add); }
        if (e.LogAccesses)
        {
            e.Load(address); if (delta != 0) { e.Constant((ulong)delta); e.Emit(OpCodes.Add); }
            e.Constant(size); value(); e.Call(WriteLogged);
            return;
        }
        value();
        if (size < 8) e.Emit(OpCodes.Conv_U4); // stind.i1/i2/i4 take an int32 and keep its low bytes
        e.Emit(size switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
    }

    /// <summary>
    /// The base (X[n], or SP when n is 31, which must then be 16-byte aligned or the handler takes its SP alignment
    /// check) and the access address, in a local; for post-index the address is the base.
    /// </summary>
    private static LocalBuilder BaseAndAddress(BlockEmitter e, in DecodedInst i, Addressing mode)
    {
        var address = e.Temp(typeof(ulong));
        e.LoadXSp(i.Rn);
        if (i.Rn == 31)
        {
            e.Emit(OpCodes.Dup); e.Constant(15UL); e.Emit(OpCodes.And); e.Constant(0UL);
            var aligned = e.Label();
            e.Emit(OpCodes.Beq, aligned);
            e.Emit(OpCodes.Pop); e.Goto(e.Bail);
            e.Mark(aligned);
        }
        switch (mode)
        {
            case Addressing.Offset or Addressing.PreIndex: e.Constant(i.Imm); e.Emit(OpCodes.Add); break;
            case Addressing.RegisterOffset:
                // ExtendReg(Xm, option) << shift: UXTW and SXTW take the low word; LSL/UXTX and SXTX the whole register.
                e.LoadX(i.Rm);
                switch ((i.Raw >> 13) & 7)
                {
                    case 0b010: e.ZeroExtend32(); break;
                    case 0b110: e.Emit(OpCodes.Conv_I4); e.Emit(OpCodes.Conv_I8); break;
                }
                if (i.Imm != 0) { e.Constant((int)i.Imm); e.Emit(OpCodes.Shl); }
                e.Emit(OpCodes.Add);
                break;
        }
        e.Store(address);
        return address;
    }

    private static void WriteBack(BlockEmitter e, in DecodedInst i, Addressing mode, LocalBuilder address)
    {
        if (mode == Addressing.PreIndex) { e.Load(address); e.StoreXSp(i.Rn); }
        else if (mode == Addressing.PostIndex) { e.Load(address); e.Constant(i.Imm); e.Emit(OpCodes.Add); e.StoreXSp(i.Rn); }
    }

    /// <summary>Sign-extends the low <paramref name="bits"/> of the value on the stack to 64 bits (then zero-extends the
    /// low word when <paramref name="to32"/>).</summary>
    private static void SignExtend(BlockEmitter e, int bits, bool to32)
    {
        switch (bits)
        {
            case 8: e.Emit(OpCodes.Conv_I1); break;
            case 16: e.Emit(OpCodes.Conv_I2); break;
            case 32: e.Emit(OpCodes.Conv_I4); break;
            default: return;
        }
        e.Emit(OpCodes.Conv_I8);
        if (to32) e.ZeroExtend32();
    }
}
