using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary><c>grant_create</c>, <c>grant_revoke</c>, <c>grant_cleanup_task</c> (REF §7.3, §11 proofs 13–15, deviations 2
/// and 11). The committed task table gives grant 0 to the client (task 1) and grant 1 to no task; these tests also give
/// grant 1 to task 3, as another task table would.</summary>
public sealed class GrantTests : KernelFunctionTest
{
    [SetUp]
    public void AssignGrantOne() => K.AssignGrants(3, 0b10);

    private const ulong UserDataNg = 0x0060_0000_0000_0F4B;   // USER_DATA_PAGE | nG (REF §1.4, README deviation 2)
    private const ulong KernelDataNg = 0x0060_0000_0000_0F0B; // KERNEL_DATA_PAGE | nG

    private static ulong Page(int g) => K.Addr("__grant_pages_start") + (ulong)g * 4096;
    /// <summary>The L3 entry of task t for grant page g: bank page 24 + t (REF §1.4 pt_index).</summary>
    private static ulong L3(int t, int g) => K.R64(K.Addr("__page_tables_start") + (ulong)(24 + t) * 4096 + (Page(g) - 0x4000_0000) / 4096 * 8);
    private static (byte Owner, byte Peer, byte Active) Slot(int g) =>
        (K.R8(K.GrantSlot(g) + L.Grant.Owner), K.R8(K.GrantSlot(g) + L.Grant.Peer), K.R8(K.GrantSlot(g) + L.Grant.Active));

    [Test]
    public void GrantPagesAreInTheFirstTwoMiB()
    {
        // REF §7.3: page = __grant_pages_start + id*4096, below 0x4010_0000; at boot every table maps it EL1-only.
        Assert.That(Page(1), Is.LessThan(0x4010_0000UL));
        for (int t = 0; t < 8; t++) Assert.That(L3(t, 0), Is.EqualTo(Page(0) | KernelDataNg));
    }

    // REF §5 / §7.3: checks in this order: id < 2, (deviation 11) the id is the caller's, not active, peer < 8, owner != peer.
    [TestCase(2UL, 1u, 0UL, 0xFFFF_0001UL, TestName = "GrantCreate: id 2 -> bad id")]
    [TestCase(99UL, 1u, 99UL, 0xFFFF_0001UL, TestName = "GrantCreate: bad id checked before bad peer")]
    [TestCase(0UL, 1u, 8UL, 0xFFFF_0003UL, TestName = "GrantCreate: peer 8 -> bad peer")]
    [TestCase(1UL, 3u, 3UL, 0xFFFF_0004UL, TestName = "GrantCreate: owner == peer")]
    [TestCase(0UL, 1u, 0UL, 0x0UL, TestName = "GrantCreate: client -> driver succeeds")]
    [TestCase(1UL, 3u, 2UL, 0x0UL, TestName = "GrantCreate: grant 1 by its owner succeeds")]
    [TestCase(0UL, 2u, 3UL, 0xFFFF_0005UL, TestName = "GrantCreate: grant 0 by another task -> not owner")]
    [TestCase(1UL, 7u, 2UL, 0xFFFF_0005UL, TestName = "GrantCreate: grant 1 by another task -> not owner")]
    [TestCase(0UL, 0u, 8UL, 0xFFFF_0005UL, TestName = "GrantCreate: ownership checked before the peer")]
    public void CreateChecks(ulong id, uint owner, ulong peer, ulong expected) =>
        Assert.That(K.Call("grant_create", id, owner, peer), Is.EqualTo(expected));

    [Test]
    public void NoTaskOwnsGrantOneInTheCommittedTable()
    {
        // Deviation 11: an id no task is assigned cannot be created at all (here before SetUp's assignment counts: reset it).
        K.AssignGrants(3, 0);
        for (uint t = 0; t < 8; t++)
            Assert.That(K.Call("grant_create", 1, t, t == 2 ? 3UL : 2UL), Is.EqualTo(0xFFFF_0005UL), $"task {t}");
    }

    [Test]
    public void ASquatterCannotTakeTheClientsGrantBeforeIt()
    {
        // Issue 10 point 5: before deviation 11 any task with CAP_GRANT_CREATE could create grant 0 first, and the
        // client's own create then failed with 0xFFFF_0002.
        Assert.That(K.Call("grant_create", 0, 2, 6), Is.EqualTo(0xFFFF_0005UL));
        Assert.That(Slot(0).Active, Is.Zero);
        Assert.That(K.Call("grant_create", 0, 1, 0), Is.Zero, "the owner still can");
    }

    [Test]
    public void CreateStartsWithAZeroPage()
    {
        // Deviation 11: nothing a former sharer left in the page reaches the new peer.
        K.WriteBytes(Page(0), "left by an earlier sharer"u8);
        Assert.That(K.Call("grant_create", 0, 1, 0), Is.Zero);
        Assert.That(K.ReadBytes(Page(0), 4096), Is.All.Zero);
    }

    [Test]
    public void CreateMapsOwnerAndPeerOnly()
    {
        Assert.That(K.Call("grant_create", 0, 1, 0), Is.Zero);
        Assert.That(Slot(0), Is.EqualTo(((byte)1, (byte)0, (byte)1)));
        Assert.That(L3(1, 0), Is.EqualTo(Page(0) | UserDataNg));
        Assert.That(L3(0, 0), Is.EqualTo(Page(0) | UserDataNg));
        Assert.That(L3(2, 0), Is.EqualTo(Page(0) | KernelDataNg), "a third task keeps EL1-only");
        Assert.That(L3(0, 1), Is.EqualTo(Page(1) | KernelDataNg), "grant 1 untouched");
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] GRANT: task 0000000000000001 -> task 0000000000000000 (grant 0000000000000000)\n"));
    }

    [Test]
    public void CreateOnActiveSlotFailsBeforePeerCheck()
    {
        K.Call("grant_create", 0, 1, 0);
        Assert.That(K.Call("grant_create", 0, 1, 9), Is.EqualTo(0xFFFF_0002UL));
    }

    [Test]
    public void ExhaustionLeavesStateUnchanged()
    {
        // Proof 15: create on a full table -> 0xFFFF_0002, state unchanged.
        K.Call("grant_create", 0, 1, 0);
        K.Call("grant_create", 1, 3, 4);
        var before = K.ReadBytes(K.Addr("grants"), 6);
        Assert.That(K.Call("grant_create", 0, 1, 6), Is.EqualTo(0xFFFF_0002UL));
        Assert.That(K.Call("grant_create", 1, 3, 6), Is.EqualTo(0xFFFF_0002UL));
        Assert.That(K.Call("grant_create", 2, 1, 6), Is.EqualTo(0xFFFF_0001UL));
        Assert.That(K.ReadBytes(K.Addr("grants"), 6), Is.EqualTo(before));
        Assert.That(L3(6, 0), Is.EqualTo(Page(0) | KernelDataNg));
    }

    [TestCase(2UL, 1u, 0xFFFF_0001UL, TestName = "GrantRevoke: bad id")]
    [TestCase(0UL, 1u, 0x0UL, TestName = "GrantRevoke: inactive grant -> 0")]
    [TestCase(1UL, 5u, 0x0UL, TestName = "GrantRevoke: inactive grant -> 0 before owner check")]
    public void RevokeOnInactive(ulong id, uint caller, ulong expected) =>
        Assert.That(K.Call("grant_revoke", id, caller), Is.EqualTo(expected));

    [Test]
    public void RevokeByNonOwnerFails()
    {
        K.Call("grant_create", 0, 1, 0);
        Assert.That(K.Call("grant_revoke", 0, 0), Is.EqualTo(0xFFFF_0005UL), "the peer is not the owner");
        Assert.That(Slot(0).Active, Is.EqualTo(1));
    }

    [Test]
    public void RevokeUnmapsPeerAndOwner()
    {
        // Deviation 11 (issue 10 point 4): revoke takes the page from both sides; REF §7.3 left the owner's mapping, so a
        // later grant of the same page reached the old owner. The slot keeps its owner; active = false, peer = None.
        K.Call("grant_create", 0, 1, 0);
        K.TakeUart();
        Assert.That(K.Call("grant_revoke", 0, 1), Is.Zero);
        Assert.That(Slot(0), Is.EqualTo(((byte)1, NoTask, (byte)0)));
        Assert.That(L3(0, 0), Is.EqualTo(Page(0) | KernelDataNg));
        Assert.That(L3(1, 0), Is.EqualTo(Page(0) | KernelDataNg));
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] GRANT REVOKED: grant 0000000000000000\n"));
        Assert.That(K.Call("grant_create", 0, 1, 2), Is.Zero, "can be created again");
    }

    [Test]
    public void CleanupOfOwnerUnmapsBothAndEmptiesSlot()
    {
        Assert.That(K.Call("grant_create", 1, 3, 4), Is.Zero);
        K.Call("grant_cleanup_task", 3);
        Assert.That(Slot(1), Is.EqualTo((NoTask, NoTask, (byte)0)));
        Assert.That(L3(3, 1), Is.EqualTo(Page(1) | KernelDataNg));
        Assert.That(L3(4, 1), Is.EqualTo(Page(1) | KernelDataNg));
    }

    [Test]
    public void CleanupOfPeerUnmapsPeerKeepsOwner()
    {
        // REF §7.3: the documented asymmetry - peer cleanup keeps the owner (and its mapping). Kept: only that owner may
        // create the id again (deviation 11), and a new grant starts zeroed.
        Assert.That(K.Call("grant_create", 1, 3, 4), Is.Zero);
        K.Call("grant_cleanup_task", 4);
        Assert.That(Slot(1), Is.EqualTo(((byte)3, NoTask, (byte)0)));
        Assert.That(L3(4, 1), Is.EqualTo(Page(1) | KernelDataNg));
        Assert.That(L3(3, 1), Is.EqualTo(Page(1) | UserDataNg));
    }

    [Test]
    public void CleanupOfUnrelatedTaskChangesNothing()
    {
        K.Call("grant_create", 0, 1, 0);
        K.Call("grant_cleanup_task", 5);
        Assert.That(Slot(0), Is.EqualTo(((byte)1, (byte)0, (byte)1)));
    }

    [Test]
    public void ExitCleanupReleasesGrants()
    {
        // REF §9: SYS_EXIT's cleanup_task_resources includes grant cleanup (proof 14: no active grant names it).
        Assert.That(K.Call("grant_create", 0, 1, 0), Is.Zero);
        Assert.That(K.Call("grant_create", 1, 3, 1), Is.Zero);
        K.Call("cleanup_task_resources", 1);
        Assert.That(Slot(0).Active, Is.Zero);
        Assert.That(Slot(1).Active, Is.Zero);
    }
}
