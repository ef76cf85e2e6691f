using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation.Inline;

/// <summary>
/// Inline forms of the branches (Instructions/BranchesExceptionsSystem.Branches.cs): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ,
/// and BR, RET and BLR. Each leaves the next PC on the stack: a constant or one of two, or (indirect) the register
/// through Cpu.BranchAddr, which removes a top-byte tag as TCR says.
/// </summary>
internal static class BranchForms
{
    private const string Type = "BranchesExceptionsSystem";
    private static readonly MethodInfo BranchAddr = typeof(Cpu).GetMethod(nameof(Cpu.BranchAddr))!;

    public static IEnumerable<(string Type, string Handler, InlineForm Form)> All =>
    [
        (Type, "B", Form((e, in i, pc) => e.Constant(pc + i.Imm))),
        (Type, "BL", Form((e, in i, pc) => { e.Constant(pc + 4); e.StoreX(30); e.Constant(pc + i.Imm); })),
        (Type, "BCond", Form((e, in i, pc) => { e.ConditionHolds(i.Raw & 0xF); Select(e, pc, i.Imm, OpCodes.Brtrue); })),
        (Type, "Cbz", Form((e, in i, pc) => { e.LoadReg(i.Rt, i.Sf); Select(e, pc, i.Imm, OpCodes.Brfalse); })),
        (Type, "Cbnz", Form((e, in i, pc) => { e.LoadReg(i.Rt, i.Sf); Select(e, pc, i.Imm, OpCodes.Brtrue); })),
        (Type, "Tbz", Form((e, in i, pc) => { TestBit(e, i); Select(e, pc, i.Imm, OpCodes.Brfalse); })),
        (Type, "Tbnz", Form((e, in i, pc) => { TestBit(e, i); Select(e, pc, i.Imm, OpCodes.Brtrue); })),
        (Type, "Br", Form((e, in i, _) => { e.LoadCpu(); e.LoadX(i.Rn); e.Call(BranchAddr); })), // BR and RET
        (Type, "Blr", Form((e, in i, pc) =>
        {
            e.LoadCpu(); e.LoadX(i.Rn); // read before X30 is written: BLR X30 branches to the old X30
            e.Constant(pc + 4); e.StoreX(30);
            e.Call(BranchAddr);
        })),
    ];

    private static InlineForm Form(InlineEmit emit) => new(InlineKind.Branch, emit);

    /// <summary>Pops a test value; pushes pc + offset when <paramref name="taken"/> branches on it, else pc + 4.</summary>
    private static void Select(BlockEmitter e, ulong pc, ulong offset, OpCode taken)
    {
        var branch = e.Label();
        var done = e.Label();
        e.Emit(taken, branch);
        e.Constant(pc + 4);
        e.Goto(done);
        e.Mark(branch);
        e.Constant(pc + offset);
        e.Mark(done);
    }

    /// <summary>Xr(Rt) &amp; (1 &lt;&lt; b5:b40).</summary>
    private static void TestBit(BlockEmitter e, in DecodedInst i)
    {
        int bit = (int)(((i.Raw >> 26) & 0x20) | ((i.Raw >> 19) & 0x1F));
        e.LoadX(i.Rt); e.Constant(1UL << bit); e.Emit(OpCodes.And);
    }
}
