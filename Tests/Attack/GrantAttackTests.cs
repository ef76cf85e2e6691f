using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 10 points 4 and 5 (grants), bundle "grant": the squatter (task 2) tries to create grant 0 before the client,
/// its owner; the revoker (task 5, owner of grant 1) creates grant 1 for task 2, revokes it, lets the grantee (task 6)
/// try to create grant 1 for its secret, then reads the page. Before deviation 11 the squatter got grant 0 (the J4
/// client's create then failed), the grantee got grant 1 and stored its secret there, and the revoker, still mapped,
/// printed it.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class GrantAttackTests(bool el2)
{
    private AttackRun Run => AttackBoot.Emu("grant", el2);
    private string Output => AttackBoot.AfterBootstrap(Run.Output);

    [Test]
    public void ASquatterCannotTakeTheClientsGrant()
    {
        Assert.That(Output, Does.Contain("SQ:create0=0x00000000FFFF0005\n"));
        Assert.That(Output, Does.Contain("[AegisOS] GRANT: task 0000000000000001 -> task 0000000000000000 (grant 0000000000000000)\n"));
        Assert.That(Output, Does.Not.Contain("TASK 0000000000000001 FAULTED"), "the J4 client");
    }

    [Test]
    public void AfterItsRevokeTheOwnerCanNoLongerReadThePage()
    {
        ulong page = Run.S.Symbol("__grant_pages_start") + 4096;
        KernelScenarioImages.AssertInOrder(Output, new[]
        {
            "[AegisOS] GRANT: task 0000000000000005 -> task 0000000000000002 (grant 0000000000000001)\n",
            "R:create1=0x0000000000000000\n",
            "[AegisOS] GRANT REVOKED: grant 0000000000000001\n",
            "R:revoke1=0x0000000000000000\n",
            "G:create1=0x00000000FFFF0005\n",
            "R:reading\n",
            "!!! DATA ABORT !!! [EL0 task]\n",
            "  DFSC: 0x000000000000000F (Permission fault L0000000000000003)\n",
            "  Access: READ\n",
            $"  FAR:  0x{page:X16}\n",
            "[AegisOS] TASK 0000000000000005 FAULTED\n",
        }, "grant/Emu");
        Assert.That(Output, Does.Not.Contain("R:read="));
    }

    [Test]
    public void NoGrantedDataCrossesTasks()
    {
        AttackBoot.AssertNoSecret(Run.OutputBytes, "grant/Emu");
        AttackBoot.AssertSystemGoesOn(Run, "TASK 0000000000000005 FAULTED", "grant/Emu");
    }
}
