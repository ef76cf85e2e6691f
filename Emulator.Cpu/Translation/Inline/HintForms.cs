namespace Aegis.Emulator.Cpu.Translation.Inline;

/// <summary>
/// The hints that execute as NOP (Instructions/BranchesExceptionsSystem.Hints.cs: NOP, YIELD and every hint without a
/// meaning of its own): nothing to emit, and they do not end a block (<see cref="BlockTranslator.EndsBlock"/>).
/// </summary>
internal static class HintForms
{
    public static IEnumerable<(string Type, string Handler, InlineForm Form)> All =>
    [
        ("BranchesExceptionsSystem", "Nop", new InlineForm(InlineKind.Register, (_, in _, _) => { })),
    ];

    /// <summary>A hint the decoder gives to Nop: HINT #CRm:op2 other than WFE, WFI, SEV and SEVL (2 to 5).</summary>
    public static bool IsNop(uint raw) => (raw & 0xFFFF_F01F) == 0xD503_201F && ((raw >> 5) & 0x7F) is not (>= 2 and <= 5);
}
