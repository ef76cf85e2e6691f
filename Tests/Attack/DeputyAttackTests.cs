using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 10 point 5 (confused deputy), bundle "deputy": task 2 asks the UART driver to print 128 bytes of the driver's
/// own stack and then a kernel address, in the (address, length) form of REF §9's protocol, and sends one proper request
/// (UserImages/attack/deputy.c). Before deviation 10 the driver printed its stack for the caller, then faulted on the
/// kernel address, and the J4 ping-pong died with it.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class DeputyAttackTests(bool el2)
{
    private AttackRun Run => AttackBoot.Emu("deputy", el2);
    private string Output => AttackBoot.AfterBootstrap(Run.Output);

    [Test]
    public void TheDriverNeverDereferencesACallersPointer()
    {
        Assert.That(Output, Does.Contain("DP:reply1=0x0000000000004E4F\n"), "an (address, length) request is refused: \"NO\"");
        Assert.That(Output, Does.Contain("DP:reply3=0x0000000000004E4F\n"));
        Assert.That(Output, Does.Not.Contain("TASK 0000000000000000 FAULTED"));
        Assert.That(Output, Does.Not.Contain("\0"), "no stack bytes printed");
    }

    [Test]
    public void ARequestCarriesItsBytesInTheMessageRegisters()
    {
        Assert.That(Output, Does.Contain("ATK:regsDP:reply2=0x0000000000004F4B\n"));
        AttackBoot.AssertSystemGoesOn(Run, "DP:reply3=", "deputy/Emu");
    }
}
