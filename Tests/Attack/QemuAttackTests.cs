using System.Text;
using System.Text.RegularExpressions;
using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// The attack suite on qemu-system-aarch64 7.2, the reference machine: every bundle at EL1 and EL2 gives the attackers
/// the same results there as on Aegis.Emu, and no secret reaches QEMU's UART either. QEMU runs for a fixed wall time
/// (its clock follows the host), so the results are compared as sets of lines: a task restarted 100 ticks after its
/// fault repeats its lines, and tasks may interleave differently after the first tick.
/// </summary>
[TestFixture]
public sealed class QemuAttackTests
{
    private const int Milliseconds = 3000; // J4 starts after about 20 ticks; the margin is for a loaded host

    /// <summary>The attackers' own lines (UserImages/attack/*.c) and the kernel's verdicts on them.</summary>
    private static readonly Regex Result = new(
        @"\b(?:SPY|JMP|SQ|R|G|C|F|DP):[^\n]*|S:got=[^\n]*|ATK:regs|\[AegisOS\] (?:TASK \S+ FAULTED|GRANT[^\n]*|task \d+ exited[^\n]*)" +
        @"|!!! [A-Z/ ]+ !!![^\n]*|  (?:IFSC|DFSC|FAR|Access):[^\n]*", RegexOptions.Compiled);

    public static List<string> Results(string output) =>
        Result.Matches(AttackBoot.AfterBootstrap(output)).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Each bundle's defended outcome, checked on QEMU itself (the Emu tests check it in detail).</summary>
    private static readonly Dictionary<string, string[]> Defended = new()
    {
        ["leak"] = ["SPY:tpidr=0x0000000000000000", "SPY:keeper-bss written=0 refused=16", "SPY:done"],
        ["exec"] = ["JMP:2 to 0x0000000042001140", "  FAR:  0x0000000042001140", "[AegisOS] TASK 0000000000000002 FAULTED"],
        ["grant"] = ["SQ:create0=0x00000000FFFF0005", "G:create1=0x00000000FFFF0005", "[AegisOS] TASK 0000000000000005 FAULTED"],
        ["ipc"] = ["C:reply1=0x0000000000000A11", "C:reply2=0x0000000000000A12"],
        ["deputy"] = ["DP:reply1=0x0000000000004E4F", "ATK:regs", "DP:reply3=0x0000000000004E4F"],
    };

    public static IEnumerable<TestCaseData> Cases() =>
        AttackBoot.Bundles.SelectMany(b => new[] { false, true }.Select(el2 => new TestCaseData(b, el2)));

    [TestCaseSource(nameof(Cases))]
    public void QemuGivesTheAttackersTheSameResults(string bundle, bool el2)
    {
        var emu = AttackBoot.Emu(bundle, el2);
        string qemu = QemuScenario.Run("attack", Milliseconds, el2, bundle: AttackBoot.BundlePath(bundle));
        AttackBoot.AssertNoSecret(Encoding.Latin1.GetBytes(qemu), $"{bundle}/QEMU");
        foreach (var fatal in new[] { "HALTED", "KERNEL PANIC", "[KERNEL]" })
            Assert.That(qemu, Does.Not.Contain(fatal), $"{bundle}/QEMU");
        Assert.That(AttackBoot.AfterBootstrap(qemu), Does.Contain("J4:UserDrv"), $"{bundle}/QEMU: the J4 ping-pong");
        Assert.That(emu.Stopped, Is.Null, $"{bundle}/Emu stopped");
        var e = Results(emu.Output);
        Assert.That(Results(qemu), Is.SupersetOf(Defended[bundle]), $"{bundle}/QEMU: the defended outcome");
        Assert.That(Results(qemu), Is.EqualTo(e), $"{bundle}: Aegis.Emu vs QEMU\n--- QEMU:\n{AttackBoot.AfterBootstrap(qemu)[..Math.Min(4000, AttackBoot.AfterBootstrap(qemu).Length)]}");
    }
}
