using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Translation.Inline;

/// <summary>
/// Inline forms of MRS and MSR (register) for the <see cref="SystemRegister.Plain"/> registers (Instructions/
/// BranchesExceptionsSystem.MrsMsr.cs): the thread ID registers, SPSR_EL1, ELR_EL1, SP_EL0, ESR_EL1 and FAR_EL1, which
/// an exception handler saves and restores on every entry. The access rules are checked at run time
/// (Cpu.PlainMoveAllowed); where they would trap, or a hook waits for the write, the block leaves before the instruction
/// and its handler runs it (<see cref="InlineKind.Memory"/>'s way out). Such a move does not end a block
/// (<see cref="BlockTranslator.EndsBlock"/>).
/// </summary>
internal static class SystemRegisterForms
{
    private const string Type = "BranchesExceptionsSystem";
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly MethodInfo Allowed = typeof(Cpu).GetMethod(nameof(Cpu.PlainMoveAllowed), Internal)!;
    private static readonly MethodInfo Read = typeof(Cpu).GetMethod(nameof(Cpu.ReadPlain), Internal)!;
    private static readonly MethodInfo Write = typeof(Cpu).GetMethod(nameof(Cpu.WritePlain), Internal)!;

    public static IEnumerable<(string Type, string Handler, InlineForm Form)> All =>
    [
        (Type, "Mrs", new InlineForm(InlineKind.Memory, (e, in i, _) =>
        {
            BailUnlessAllowed(e, i, read: true);
            e.LoadCpu(); e.Constant((int)i.Imm); e.Call(Read); e.StoreX(i.Rt);
        }, MovesPlain)),
        (Type, "Msr", new InlineForm(InlineKind.Memory, (e, in i, _) =>
        {
            BailUnlessAllowed(e, i, read: false);
            e.LoadCpu(); e.Constant((int)i.Imm); e.LoadX(i.Rt); e.Call(Write);
        }, MovesPlain)),
    ];

    /// <summary>Whether <paramref name="i"/> is an MRS or MSR (register) of a plain register (not one the decoder made
    /// UNDEFINED: a register the table does not have, or cannot read or write).</summary>
    public static bool MovesPlain(in DecodedInst i) =>
        IsMove(i.Raw) && i.Row != Decoder.UndefinedRow && SystemRegisterTable.All[(int)i.Imm].Plain;

    /// <summary>MRS (L = 1) or MSR (register) (L = 0), op0 = 2 or 3: the instruction's register was resolved at decode
    /// (Imm: its index in the table).</summary>
    private static bool IsMove(uint raw) => (raw & 0xFFD0_0000) == 0xD510_0000;

    private static void BailUnlessAllowed(BlockEmitter e, in DecodedInst i, bool read)
    {
        e.LoadCpu(); e.Constant((int)i.Imm); e.Constant(read ? 1 : 0); e.Call(Allowed);
        e.Emit(OpCodes.Brfalse, e.Bail);
    }
}
