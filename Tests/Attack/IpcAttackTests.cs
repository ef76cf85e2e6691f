using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 10 point 5 (reply rights), bundle "ipc": the caller (task 2) CALLs the server (task 6) on endpoint 2; the
/// forger (task 5), which may SEND there too, runs between the CALL and the answer and SENDs 0x666. Then a second CALL is
/// queued while the server is busy (UserImages/attack/caller.c, forger.c, server.c). Before deviation 9 the caller sat in
/// the endpoint's receiver slot and took the forger's 0x666 as its reply, and the queued CALL returned at once with the
/// caller's own message.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class IpcAttackTests(bool el2)
{
    private AttackRun Run => AttackBoot.Emu("ipc", el2);
    private string Output => AttackBoot.AfterBootstrap(Run.Output);

    [Test]
    public void OnlyTheServerThatReceivedTheCallAnswersIt()
    {
        KernelScenarioImages.AssertInOrder(Output, new[] { "S:got=0x0000000000C0FFEE\n", "C:reply1=0x0000000000000A11\n" }, "ipc/Emu");
        Assert.That(Output, Does.Contain("S:got=0x0000000000000666\n"), "the forged message went where any SEND goes: to a RECV");
        Assert.That(Output, Does.Not.Contain("C:reply1=0x0000000000000666"));
    }

    [Test]
    public void AQueuedCallWaitsForTheServersAnswer()
    {
        KernelScenarioImages.AssertInOrder(Output, new[] { "S:got=0x0000000000C0FFEF\n", "C:reply2=0x0000000000000A12\n" }, "ipc/Emu");
        AttackBoot.AssertSystemGoesOn(Run, "C:reply2=", "ipc/Emu");
    }
}
