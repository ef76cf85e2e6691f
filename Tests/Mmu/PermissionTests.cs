using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// Stage-1 permissions. Expected values from the Arm ARM D5.4 "Memory access control" (data access permissions
/// AP[2:1], execute-never UXN/PXN, hierarchical APTable/UXNTable/PXNTable, SCTLR_ELx.WXN) and the pseudocode
/// AArch64.CheckPermission for Armv8.0 (no PAN). Permission faults report the level of the final descriptor
/// (DFSC 0b0011LL).
/// </summary>
public class MmuPermissionTests
{
    private static readonly AccessKind R = AccessKind.Read, W = AccessKind.Write, X = AccessKind.Fetch;

    /// <summary>True when the access is allowed; a fault must be a permission fault at level 3.</summary>
    private static bool Allowed(PageTableRig r, ulong va, AccessKind kind, int el, bool unprivileged = false)
    {
        if (r.Mmu.Translate(va, kind, el, unprivileged, out _, out var f)) return true;
        Assert.That((f.Kind, f.Level, f.StatusCode), Is.EqualTo((FaultKind.Permission, 3, 0b001111u)), $"{kind} EL{el}");
        return false;
    }

    // D5.4.3 table "Data access permissions for stage 1 translations" plus D5.4.6 execute rules:
    //   AP[2:1] 00: EL1 RW, EL0 none;  01: EL1 RW, EL0 RW;  10: EL1 RO, EL0 none;  11: EL1 RO, EL0 RO.
    //   EL1 execute is forbidden where EL0 can write (AP = 01), whatever PXN says.
    //   EL0 execute depends only on UXN (and WXN): execute-only EL0 memory (AP = 00, UXN = 0) is allowed in
    //   Armv8.0, as QEMU's get_S1prot (user_xn = UXN) and Linux's PAGE_EXECONLY rely on.
    [TestCase(0b00, true, true, true, false, false, true)]
    [TestCase(0b01, true, true, false, true, true, true)]
    [TestCase(0b10, true, false, true, false, false, true)]
    [TestCase(0b11, true, false, true, true, false, true)]
    public void AccessPermissionBits(int ap, bool el1R, bool el1W, bool el1X, bool el0R, bool el0W, bool el0X)
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000, (ulong)ap << 6);
        ulong va = PageVa(1);
        Assert.That(new[] { Allowed(r, va, R, 1), Allowed(r, va, W, 1), Allowed(r, va, X, 1) }, Is.EqualTo(new[] { el1R, el1W, el1X }), "EL1");
        Assert.That(new[] { Allowed(r, va, R, 0), Allowed(r, va, W, 0), Allowed(r, va, X, 0) }, Is.EqualTo(new[] { el0R, el0W, el0X }), "EL0");
        // LDTR/STTR at EL1 check the EL0 permissions (D5.4.3, unprivileged accesses).
        Assert.That(new[] { Allowed(r, va, R, 1, true), Allowed(r, va, W, 1, true) }, Is.EqualTo(new[] { el0R, el0W }), "unprivileged");
    }

    [Test]
    public void UxnAndPxn()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000, ApRo | ApEl0 | Uxn);   // RO everywhere, EL0 execute-never
        r.MapPage(2, 0x4000_2000, ApRo | ApEl0 | Pxn);   // RO everywhere, EL1 execute-never
        Assert.That(Allowed(r, PageVa(1), X, 0), Is.False, "UXN forbids EL0 execution");
        Assert.That(Allowed(r, PageVa(1), X, 1), Is.True, "UXN does not affect EL1");
        Assert.That(Allowed(r, PageVa(2), X, 1), Is.False, "PXN forbids EL1 execution");
        Assert.That(Allowed(r, PageVa(2), X, 0), Is.True, "PXN does not affect EL0");
        Assert.That(Allowed(r, PageVa(2), R, 1), Is.True, "XN bits do not affect data reads");
    }

    [Test]
    public void WxnMakesWritableMemoryExecuteNever()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000);                        // AP = 00: EL1 RW
        r.MapPage(2, 0x4000_2000, ApRo);                  // AP = 10: EL1 RO
        r.MapPage(3, 0x4000_3000, ApEl0 | Pxn);           // AP = 01: EL0 RW
        Assert.That(Allowed(r, PageVa(1), X, 1), Is.True);
        Assert.That(Allowed(r, PageVa(3), X, 0), Is.True);
        r.Regs.SCTLR_EL1 |= 1UL << 19;                    // WXN
        // SCTLR_EL1.WXN: a region writable at an EL is execute-never at that EL (applied at use time).
        Assert.That(Allowed(r, PageVa(1), X, 1), Is.False);
        Assert.That(Allowed(r, PageVa(2), X, 1), Is.True, "read-only stays executable");
        Assert.That(Allowed(r, PageVa(3), X, 0), Is.False, "EL0-writable is EL0 execute-never");
    }

    [Test]
    public void HierarchicalTableAttributes()
    {
        var r = new PageTableRig();
        // Four L3 tables under four L2 entries, each with one table attribute (D5.4.5 hierarchical control).
        ulong[] tables = [Spare1, Spare2, Spare3, 0x4400_6000];
        ulong[] attrs = [ApTableRo, ApTableNoEl0, UxnTable, PxnTable];
        for (int i = 0; i < 4; i++)
        {
            r.Set(L2, 8 + i, Table(tables[i], attrs[i]));
            r.Set(tables[i], 0, Page(0x4000_0000, ApEl0));  // the page alone: RW at EL0 and EL1, executable at EL0
        }
        ulong Va(int i) => 0x4000_0000UL + (ulong)(8 + i) * 0x20_0000;

        // APTable[1] = 1: no writes at any EL.
        Assert.That((Allowed(r, Va(0), W, 1), Allowed(r, Va(0), W, 0), Allowed(r, Va(0), R, 0)), Is.EqualTo((false, false, true)));
        // APTable[0] = 1: no EL0 access; and since EL0 can no longer write, EL1 may execute.
        Assert.That((Allowed(r, Va(1), R, 0), Allowed(r, Va(1), W, 1), Allowed(r, Va(1), X, 1)), Is.EqualTo((false, true, true)));
        // UXNTable: no EL0 execution.
        Assert.That((Allowed(r, Va(2), X, 0), Allowed(r, Va(2), R, 0)), Is.EqualTo((false, true)));
        // PXNTable on an EL0-writable page: EL1 execute-never either way, EL0 execution unaffected.
        Assert.That((Allowed(r, Va(3), X, 1), Allowed(r, Va(3), X, 0)), Is.EqualTo((false, true)));
    }

    [Test]
    public void PermissionFaultOnABlockReportsItsLevel()
    {
        var r = new PageTableRig();
        r.Set(L2, 4, Block(0x4080_0000, ApRo));
        Assert.That(r.Mmu.Translate(0x4080_1000, W, 1, false, out _, out var f), Is.False);
        Assert.That((f.Kind, f.Level, f.StatusCode), Is.EqualTo((FaultKind.Permission, 2, 0b001110u)));
        r.Set(L1, 3, Block(0xC000_0000, ApRo));
        Assert.That(r.Mmu.Translate(0xC000_0000, W, 1, false, out _, out f), Is.False);
        Assert.That(f.StatusCode, Is.EqualTo(0b001101u));
    }

    [Test]
    public void CacheMaintenanceByVaIsCheckedLikeARead()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000);                        // AP = 00: no EL0 access
        r.MapPage(2, 0x4000_2000, ApRo | ApEl0 | Uxn);    // read-only at both ELs
        // D5.4 / AArch64.CheckPermission: DC by VA (CVAC, CIVAC, CVAU) needs read permission, not write.
        var c = AccessKind.CacheMaintenance;
        Assert.That((Allowed(r, PageVa(1), c, 1), Allowed(r, PageVa(1), c, 0)), Is.EqualTo((true, false)));
        Assert.That((Allowed(r, PageVa(2), c, 1), Allowed(r, PageVa(2), c, 0)), Is.EqualTo((true, true)));
    }
}
