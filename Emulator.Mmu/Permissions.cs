namespace Aegis.Emulator.Mmu;

/// <summary>
/// Stage-1 access permission checks (Arm ARM D5.4.3-D5.4.6; pseudocode AArch64.CheckPermission, Armv8.0 without PAN).
/// </summary>
public static class Permissions
{
    /// <summary>
    /// True when <paramref name="kind"/> is allowed by the entry. <paramref name="privileged"/> is false for EL0 and
    /// for unprivileged (LDTR/STTR) accesses from EL1. <paramref name="wxn"/> is SCTLR_ELx.WXN of the regime.
    /// </summary>
    public static bool Allows(in TlbEntry e, AccessKind kind, bool privileged, bool wxn)
    {
        bool r, w, xn;
        if (e.Regime == TranslationRegime.El2)
        {
            // One privilege level: AP[1] is RES1, PXN is RES0 (D5.4.4, table "Data access permissions for
            // stage 1 translations that support one Exception level").
            r = true;
            w = !e.ReadOnly;
            xn = e.Uxn || (w && wxn);
        }
        else
        {
            bool userW = !e.ReadOnly && e.UserAccess;
            if (privileged)
            {
                r = true;
                w = !e.ReadOnly;
                // Memory writable at EL0 is never executable at EL1 (D5.4.6: "PXN implied").
                xn = e.Pxn || (w && wxn) || userW;
            }
            else
            {
                r = e.UserAccess;
                w = userW;
                // EL0 execute does not need read permission (execute-only memory; QEMU get_S1prot agrees).
                xn = e.Uxn || (userW && wxn);
            }
        }
        return kind switch
        {
            AccessKind.Fetch => !xn,
            AccessKind.Write => w,
            _ => r,
        };
    }
}
