namespace Aegis.Tests.Reference;

/// <summary>
/// Matches a decode-table row's Arm ARM name with the mnemonic Capstone 4 prints. Capstone prints the
/// preferred disassembly, which is often an alias (Arm ARM C6, each instruction's "Alias conditions" table),
/// so the row "ORR (shifted register)" shows up as "mov", "SUBS (immediate)" as "cmp", and so on.
/// </summary>
public static class MnemonicAliases
{
    /// <summary>Instruction (lower-case Arm ARM mnemonic) -> the aliases Capstone may print for it (Arm ARM C6.2).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        // Data processing -- immediate and register
        ["add"] = ["mov"],                                   // ADD (immediate) to/from SP with #0
        ["adds"] = ["cmn"],                                  // Rd == ZR
        ["sub"] = ["neg"],                                   // SUB (shifted register) with Rn == ZR
        ["subs"] = ["cmp", "negs"],                          // Rd == ZR / Rn == ZR
        ["sbc"] = ["ngc"],
        ["sbcs"] = ["ngcs"],
        ["ands"] = ["tst"],
        ["orr"] = ["mov"],                                   // ORR (immediate / shifted register) with Rn == ZR
        ["orn"] = ["mvn"],
        ["movz"] = ["mov"],
        ["movn"] = ["mov"],
        ["ubfm"] = ["lsl", "lsr", "ubfx", "ubfiz", "uxtb", "uxth"],
        ["sbfm"] = ["asr", "sbfx", "sbfiz", "sxtb", "sxth", "sxtw"],
        ["bfm"] = ["bfi", "bfxil", "bfc"],
        ["extr"] = ["ror"],
        ["csinc"] = ["cset", "cinc"],
        ["csinv"] = ["csetm", "cinv"],
        ["csneg"] = ["cneg"],
        ["madd"] = ["mul"],
        ["msub"] = ["mneg"],
        ["smaddl"] = ["smull"],
        ["smsubl"] = ["smnegl"],
        ["umaddl"] = ["umull"],
        ["umsubl"] = ["umnegl"],
        ["lslv"] = ["lsl"],
        ["lsrv"] = ["lsr"],
        ["asrv"] = ["asr"],
        ["rorv"] = ["ror"],
        ["rev"] = ["rev64"],
        // System: SYS is printed as its AT/DC/IC/TLBI alias when the operation is one Capstone knows.
        ["sys"] = ["at", "dc", "ic", "tlbi"],
        // DSB with CRm = 0 / 4 are SSBB / PSSBB in later architecture versions (still DSB encodings).
        ["dsb"] = ["ssbb", "pssbb"],
        ["ins"] = ["mov"],                                   // INS (element, general)
        ["umov"] = ["mov"],                                  // UMOV Wd, Vn.S[i] / Xd, Vn.D[i]
        ["dup"] = ["mov"],                                   // DUP (element, scalar)
        ["not"] = ["mvn"],
        ["sshll"] = ["sxtl", "sxtl2"],
        ["ushll"] = ["uxtl", "uxtl2"],
    };

    /// <summary>The dedicated hint names of Armv8.0 (HINT #0..#5); any other hint is printed by Capstone
    /// under a later extension's name (ESB, PSB CSYNC, PAC*, BTI, CSDB, ...) or as "hint #imm".</summary>
    private static readonly HashSet<string> V80Hints = ["nop", "yield", "wfe", "wfi", "sev", "sevl"];

    /// <summary>The mnemonics a row name stands for: "ADD (immediate)" -> add; "CRC32B, CRC32H, ..." -> each.</summary>
    public static string[] RowMnemonics(string rowName)
    {
        int paren = rowName.IndexOf(" (", StringComparison.Ordinal);
        string head = paren >= 0 ? rowName[..paren] : rowName;
        return head.Split([',', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Split(' ')[0].ToLowerInvariant()).ToArray();
    }

    /// <summary>True when Capstone's <paramref name="capstone"/> mnemonic is the row's instruction or one of its aliases.</summary>
    public static bool Agree(string rowName, string capstone, uint word)
    {
        capstone = capstone.ToLowerInvariant();
        if (capstone.StartsWith("b.", StringComparison.Ordinal)) capstone = "b.cond";
        var ours = RowMnemonics(rowName);
        foreach (var m in ours)
        {
            if (m == capstone) return true;
            if (m == "b.cond" && capstone == "b.cond") return true;
            if (Aliases.TryGetValue(m, out var alias) && alias.Contains(capstone)) return true;
        }
        // HINT space (D503201F with CRm:op2 free): a row for a specific v8.0 hint must match it exactly;
        // the generic HINT row (or NOP, which unallocated hints behave as) matches any other hint name.
        if ((word & 0xFFFF_F01F) == 0xD503_201F)
        {
            if (V80Hints.Contains(capstone)) return ours.Contains(capstone);
            return ours.Contains("hint") || ours.Contains("nop");
        }
        return false;
    }
}
