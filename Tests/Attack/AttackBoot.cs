using System.Collections.Concurrent;
using System.Text;
using Aegis.Tests.Guests;
using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// The attack suite of issue 10: hostile EL0 programs (UserImages/attack/, built by UserImages/build.sh) in boot
/// bundles (UserImages/bin/attack/*.bundle), booted next to the sensor and logger on the kernel build whose task table
/// gives the attackers their rights (Kernel.Image/tests/scenario_attack.c: tasks 2, 5, 6 hold every right but those of
/// endpoint 1; grant 0 is the client's, grant 1 task 5's). One boot per bundle and entry level, shared by the tests
/// that read it; it runs until the bundle's last attack step has printed, then on until the J4 ping-pong prints again
/// (the client, priority 4, runs once the priority-5 sensor and logger have used their budgets: about 20 ticks) and
/// <see cref="TicksAfter"/> ticks more: the rest of the system must go on.
/// </summary>
public static class AttackBoot
{
    public const ulong TicksAfter = 2;
    public const ulong MaxTicks = 100;

    /// <summary>What each bundle's attackers print last (docs in the programs).</summary>
    private static readonly Dictionary<string, string[]> Done = new()
    {
        ["leak"] = ["SPY:done"],
        ["exec"] = ["TASK 0000000000000002 FAULTED", "TASK 0000000000000005 FAULTED", "TASK 0000000000000006 FAULTED"],
        ["grant"] = ["TASK 0000000000000005 FAULTED"],
        ["ipc"] = ["C:reply2="],
        ["deputy"] = ["DP:reply3="],
    };

    public static IEnumerable<string> Bundles => Done.Keys;

    /// <summary>The plain texts the keeper and the grantee hold (UserImages/attack/keeper.c, grantee.c); the images
    /// hold them XOR 0x5A only, so they can reach the UART only through a read of that task's memory. The saved x28
    /// and TPIDR_EL0 values also as the hex the spy would print.</summary>
    public static readonly string[] Secrets =
    [
        "KEEPER-BSS-q7Zr4", "KEEPER-STK-m2Pw9", "KPR-X28!", "KPR-TLS!", "BUNDLE-ONLY-c3Vn", "GRANT-SECRET-h5K",
        "213832582D52504B", "21534C542D52504B",
    ];

    public static string BundlePath(string name) => Path.Combine(GuestPrograms.RepoRoot, "UserImages", "bin", "attack", name + ".bundle");

    private static readonly ConcurrentDictionary<(string, bool), Lazy<AttackRun>> Runs = new();

    /// <summary>The attack kernel with <paramref name="bundle"/> on Aegis.Emu, run as described above (shared).</summary>
    public static AttackRun Emu(string bundle, bool el2 = false) => Runs.GetOrAdd((bundle, el2), key => new Lazy<AttackRun>(() =>
    {
        var s = new EmuScenario("attack", el2, File.ReadAllBytes(BundlePath(bundle)));
        // Nothing is asserted here: each test names what it expects, so that on a kernel that fails one defence (one
        // that halts, say) each test still fails for its own reason.
        var run = new AttackRun(s);
        if (!run.RunUntil(MaxTicks, () => Done[bundle].All(d => s.Output.Contains(d, StringComparison.Ordinal)))) return run;
        run.MarkAttacked();
        // The client reports its round trips only every 0.5 s: the ping-pong's CALLs are counted instead.
        if (run.RunUntil(MaxTicks, () => run.ClientCallsAfterAttack >= 100))
            run.RunUntil(TicksAfter, () => false);
        return run;
    })).Value;

    /// <summary>The output after the bootstrap line (the boot banner's timer line differs between machines).</summary>
    public static string AfterBootstrap(string output)
    {
        int i = output.IndexOf("[AegisOS] bootstrapping", StringComparison.Ordinal);
        Assert.That(i, Is.GreaterThanOrEqualTo(0), "no bootstrap line:\n" + output);
        return output[i..];
    }

    public static void AssertNoSecret(byte[] output, string where)
    {
        string text = Encoding.Latin1.GetString(output);
        foreach (var secret in Secrets)
            Assert.That(text, Does.Not.Contain(secret), $"{where}: another task's secret reached the UART");
    }

    /// <summary>The system outlived the attack: no kernel halt or panic, and after the attack's last line the logger
    /// still logs (each reading the previous + 1, mod 16) and the J4 ping-pong still runs.</summary>
    public static void AssertSystemGoesOn(AttackRun run, string lastAttackLine, string where)
    {
        Assert.That(run.Stopped, Is.Null, $"{where}: the machine stopped (a kernel halt)");
        string output = AfterBootstrap(run.Output);
        foreach (var fatal in new[] { "HALTED", "KERNEL PANIC", "[KERNEL]", "SERROR" })
            Assert.That(output, Does.Not.Contain(fatal), where);
        int at = output.LastIndexOf(lastAttackLine, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), where);
        Assert.That(output, Does.Contain("J4:UserDrv round trips: 1\n"), $"{where}: the J4 ping-pong's first report");
        Assert.That(run.ClientCallsAfterAttack, Is.GreaterThanOrEqualTo(100UL), $"{where}: the J4 ping-pong after the attack");
        var digits = Aegis.Tests.Kernel.PhaseO.PhaseOBoot.Readings(output);
        Assert.That(digits, Is.EqualTo("0123456789abcdef"), $"{where}: the logger's first 16 readings, in order");
        // Its counters (in its own slot: no attacker can reach them) say every reading arrived once and in order.
        var (logger, sent) = Aegis.Tests.Kernel.PhaseO.PhaseOBoot.Counters(run.S.Board.Bus);
        Assert.That(logger.AllInOrder, Is.True, $"{where}: every reading logged, in order: {logger}");
        Assert.That(sent, Is.InRange(logger.Logged - 1, logger.Logged + 1), $"{where}: none lost; {Aegis.Tests.Kernel.PhaseO.PhaseOBoot.InFlight}");
        Assert.That(logger.Logged, Is.GreaterThan(run.LoggedAtAttack), $"{where}: readings after the attack");
    }
}

/// <summary>One attack boot: the machine, and why it stopped if it stopped before its time (a kernel halt).</summary>
public sealed class AttackRun(EmuScenario s)
{
    public EmuScenario S { get; } = s;
    public Aegis.Emulator.Cpu.StopReason? Stopped { get; private set; }
    private readonly Aegis.Emu.AegisOs.TaskAccounting _accounting = s.AttachAccounting();
    private ulong _callsAtAttack;

    /// <summary>Readings the logger had logged when the attack's last step printed.</summary>
    public ulong LoggedAtAttack { get; private set; }

    /// <summary>The J4 client's CALLs since the attack's last step printed.</summary>
    public ulong ClientCallsAfterAttack => _accounting.Syscalls(1, (ulong)Aegis.Kernel.Image.Abi.Syscall.Call) - _callsAtAttack;

    public void MarkAttacked()
    {
        _callsAtAttack = _accounting.Syscalls(1, (ulong)Aegis.Kernel.Image.Abi.Syscall.Call);
        LoggedAtAttack = Aegis.Tests.Kernel.PhaseO.PhaseOBoot.Counters(S.Board.Bus).Logger.Logged;
    }
    public string Output => S.Output;
    public byte[] OutputBytes => S.OutputBytes;

    /// <summary>Runs for up to <paramref name="ticks"/> ticks or until <paramref name="done"/> holds; false when the machine stopped.</summary>
    public bool RunUntil(ulong ticks, Func<bool> done)
    {
        var cpu = S.Board.Cpu;
        ulong until = cpu.Cycles + ticks * EmuScenario.CyclesPerTick;
        while (cpu.Cycles < until && Stopped is null)
        {
            var reason = cpu.Run(2_000_000, until);
            if (reason is not (Aegis.Emulator.Cpu.StopReason.InstructionLimit or Aegis.Emulator.Cpu.StopReason.CycleLimit)) Stopped = reason;
            else if (done()) return true;
        }
        return Stopped is null;
    }
}
