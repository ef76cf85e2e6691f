using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// <c>schedule</c>, <c>epoch_reset</c>, <c>timer_tick_handler</c>, <c>restart_task</c>, <c>fault_current_task</c>,
/// <c>sys_exit</c> against REF §3.5, §4.2, §4.3 and §9 (expected values worked out by hand from those sections).
/// </summary>
public sealed class SchedulerTests : KernelFunctionTest
{
    /// <summary>One letter per task 0..7: I Inactive, R Ready, U rUnning, B Blocked, F Faulted, E Exited.</summary>
    private static byte StateOf(char c) => c switch
    {
        'I' => Inactive, 'R' => Ready, 'U' => Running, 'B' => Blocked, 'F' => Faulted, 'E' => Exited,
        _ => throw new ArgumentException(c.ToString()),
    };

    private static void Setup(string states, string prios, uint current, string? budgets = null, string? ticks = null)
    {
        var p = prios.Split(',').Select(byte.Parse).ToArray();
        var b = budgets?.Split(',').Select(ulong.Parse).ToArray();
        var t = ticks?.Split(',').Select(ulong.Parse).ToArray();
        for (int i = 0; i < 8; i++)
        {
            K.SetState(i, StateOf(states[i]));
            K.SetPriority(i, p[i]);
            K.SetTcbU64(i, L.Tcb.TimeBudget, b?[i] ?? 0);
            K.SetTcbU64(i, L.Tcb.TicksUsed, t?[i] ?? 0);
        }
        K.CurrentTask = current;
    }

    private static uint Schedule()
    {
        K.Call("schedule", K.Frame());
        return K.CurrentTask;
    }

    // REF §4.2 step 3: highest priority among eligible (Ready, within budget); ties go to the first task in
    // round-robin order after the old one, scanning idx = (old+1+off) % 8.
    [TestCase("URRRRIIR", "6,4,5,4,3,0,0,0", 0u, 0u, TestName = "Pick: yielding task alone at top priority is picked again")]
    [TestCase("BRRRRIIR", "6,4,5,4,3,0,0,0", 0u, 2u, TestName = "Pick: highest Ready priority (5) wins")]
    [TestCase("BRBRRIIR", "6,4,5,4,3,0,0,0", 0u, 1u, TestName = "Pick: tie at 4 goes to first after old=0 (task 1)")]
    [TestCase("RUBRRIIR", "6,4,5,4,3,0,0,0", 1u, 0u, TestName = "Pick: old=1 running, task 0 at 6 wins over scan order")]
    [TestCase("BUBRRIIR", "6,4,5,4,3,0,0,0", 1u, 3u, TestName = "Pick: tie at 4, old=1 -> task 3 first in RR order")]
    [TestCase("BRBURIIR", "6,4,5,4,3,0,0,0", 3u, 1u, TestName = "Pick: tie at 4, old=3 -> task 1 first in RR order")]
    [TestCase("BBBBRIIR", "6,4,5,4,3,0,0,0", 0u, 4u, TestName = "Pick: only task 4 (3) above idle")]
    [TestCase("BBBBBIIR", "6,4,5,4,3,0,0,0", 0u, 7u, TestName = "Pick: only idle Ready")]
    [TestCase("EFBBBIIR", "6,4,5,4,3,0,0,0", 0u, 7u, TestName = "Pick: Exited and Faulted are never picked")]
    [TestCase("BBBBBRIR", "6,4,5,4,3,7,0,0", 0u, 5u, TestName = "Pick: priority 7 task wins")]
    [TestCase("BBBBBIRR", "6,4,5,4,3,7,7,0", 0u, 6u, TestName = "Pick: Inactive task with priority 7 is skipped")]
    [TestCase("RRRRRRRR", "1,1,1,1,1,1,1,1", 4u, 5u, TestName = "Pick: all equal -> next in RR order (old+1)")]
    [TestCase("RRRRRRRR", "1,1,1,1,1,1,1,1", 7u, 0u, TestName = "Pick: all equal, old=7 wraps to task 0")]
    [TestCase("RRRRRRRR", "1,1,1,1,1,1,1,2", 0u, 7u, TestName = "Pick: idle is an ordinary candidate by priority")]
    [TestCase("RRRRRRRU", "0,0,0,0,0,0,0,0", 7u, 0u, TestName = "Pick: all priority 0, old=idle -> task 0")]
    public void PickNext(string states, string prios, uint current, uint expected)
    {
        Setup(states, prios, current);
        Assert.That(Schedule(), Is.EqualTo(expected));
        Assert.That(K.State((int)expected), Is.EqualTo(Running), "REF §4.2 step 5: next becomes Running");
    }

    // REF §4.2: eligible = Ready and (budget == 0 or ticks_used < budget).
    [TestCase("2", "2", 3u, TestName = "Budget: used == budget -> not eligible, next is task 3")]
    [TestCase("2", "1", 2u, TestName = "Budget: used < budget -> eligible")]
    [TestCase("0", "1000", 2u, TestName = "Budget: 0 means unlimited")]
    [TestCase("10", "11", 3u, TestName = "Budget: overrun -> not eligible")]
    public void BudgetEligibility(string budget2, string used2, uint expected)
    {
        Setup("BBRRBIIR", "6,4,5,4,3,0,0,0", 0, $"0,0,{budget2},0,0,0,0,0", $"0,0,{used2},0,0,0,0,0");
        Assert.That(Schedule(), Is.EqualTo(expected));
    }

    [Test]
    public void AllOverBudgetFallsBackToIdle()
    {
        // REF §4.2 step 4: nothing eligible -> idle (7).
        Setup("BRRRRIIR", "6,4,5,4,3,0,0,0", 0, "0,5,5,5,5,0,0,5", "0,5,5,5,5,0,0,9");
        Assert.That(Schedule(), Is.EqualTo(7u));
    }

    [Test]
    public void BlockedIdleIsForcedReadyWhenNothingElse()
    {
        // REF §4.2 step 4: "Idle is then forced Ready" (and then Running).
        Setup("BBBBBIIB", "6,4,5,4,3,0,0,0", 0);
        Assert.That(Schedule(), Is.EqualTo(7u));
        Assert.That(K.State(7), Is.EqualTo(Running));
    }

    [Test]
    public void FaultedIdleIsRestartedWhenNothingElse()
    {
        // REF §4.2 step 4: "If idle is Faulted, restart it first" (REF §3.5 prints RESTARTED).
        Setup("BBBBBIIF", "6,4,5,4,3,0,0,0", 0);
        K.TickCount = 5;
        K.SetTcbU64(7, L.Tcb.FaultTick, 5); // delay not elapsed: only the idle fallback restarts it
        Assert.That(Schedule(), Is.EqualTo(7u));
        Assert.That(K.Uart, Does.Contain("[AegisOS] TASK 0000000000000007 RESTARTED\n"));
    }

    [TestCase(Running, Ready, TestName = "Old state: Running becomes Ready")]
    [TestCase(Blocked, Blocked, TestName = "Old state: Blocked stays Blocked")]
    [TestCase(Faulted, Faulted, TestName = "Old state: Faulted stays Faulted")]
    [TestCase(Exited, Exited, TestName = "Old state: Exited stays Exited")]
    public void OldTaskState(byte before, byte after)
    {
        // REF §4.2 step 1. Task 0 at priority 6 would be picked again if Ready, so make task 2 the top.
        Setup("RRRRRIIR", "1,4,5,4,3,0,0,0", 0);
        K.SetState(0, before);
        Assert.That(Schedule(), Is.EqualTo(2u));
        Assert.That(K.State(0), Is.EqualTo(after));
    }

    [Test]
    public void ContextSwitchCopiesFrames()
    {
        Setup("BBRBBIIR", "6,4,5,4,3,0,0,0", 0);
        K.SetContextX(2, 5, 0x5555);
        ulong f = K.Frame(0x4008_1234, (0, 0xAAAA), (30, 0x3030));
        K.Call("schedule", f);
        Assert.That(K.ContextX(0, 0), Is.EqualTo(0xAAAAUL));
        Assert.That(K.ContextX(0, 30), Is.EqualTo(0x3030UL));
        Assert.That(K.TcbU64(0, L.Frame.Elr), Is.EqualTo(0x4008_1234UL));
        Assert.That(K.FrameX(5), Is.EqualTo(0x5555UL));
        Assert.That(K.FrameElr, Is.EqualTo(K.TcbU64(2, L.Frame.Elr)));
        // REF §1.5: TTBR0 = ((task+1) << 48) | L1 of task 2 = page 8+2 of the bank.
        Assert.That(K.Cpu.MmuRegs.TTBR0_EL1, Is.EqualTo((3UL << 48) | (K.Addr("__page_tables_start") + 10 * 4096)));
    }

    // REF §4.4 / Kani proof 6: epoch reset zeroes ticks_used for every state except Inactive and Exited.
    [TestCase(Inactive, 7UL)]
    [TestCase(Ready, 0UL)]
    [TestCase(Running, 0UL)]
    [TestCase(Blocked, 0UL)]
    [TestCase(Faulted, 0UL)]
    [TestCase(Exited, 7UL)]
    public void EpochReset(byte state, ulong expectedTicks)
    {
        K.SetState(5, state);
        K.SetTcbU64(5, L.Tcb.TicksUsed, 7);
        K.SetTcbU64(1, L.Tcb.TicksUsed, 9);
        K.Call("epoch_reset");
        Assert.That(K.TcbU64(5, L.Tcb.TicksUsed), Is.EqualTo(expectedTicks));
        Assert.That(K.TcbU64(1, L.Tcb.TicksUsed), Is.EqualTo(0UL)); // task 1 is Ready at boot
    }

    // REF §4.3: TICK_COUNT++, ticks_used[current]++, EPOCH_TICKS++; at 100 the epoch resets.
    [TestCase(0UL, 0UL, 1UL, 1UL, TestName = "Tick: first tick counts one")]
    [TestCase(98UL, 41UL, 99UL, 42UL, TestName = "Tick: epoch 98 -> 99, no reset")]
    [TestCase(99UL, 41UL, 0UL, 0UL, TestName = "Tick: epoch 99 -> 100 resets epoch and ticks_used")]
    public void TimerTick(ulong epochBefore, ulong usedBefore, ulong epochAfter, ulong usedAfter)
    {
        Setup("URRRRIIR", "6,4,5,4,3,0,0,0", 0);
        K.TickCount = 500;
        K.EpochTicks = epochBefore;
        K.SetTcbU64(0, L.Tcb.TicksUsed, usedBefore);
        K.Call("timer_tick_handler", K.Frame());
        Assert.That(K.TickCount, Is.EqualTo(501UL));
        Assert.That(K.EpochTicks, Is.EqualTo(epochAfter));
        Assert.That(K.TcbU64(0, L.Tcb.TicksUsed), Is.EqualTo(usedAfter));
    }

    [TestCase(9UL, true, TestName = "Tick: count 9 -> 10 runs the watchdog scan")]
    [TestCase(10UL, false, TestName = "Tick: count 10 -> 11 does not scan")]
    public void TimerTickRunsWatchdogEveryTenTicks(ulong before, bool scan)
    {
        // REF §4.3: watchdog_scan when TICK_COUNT % 10 == 0 (after the increment).
        Setup("URRRRIIR", "6,4,5,4,3,0,0,0", 0);
        K.TickCount = before;
        K.SetTcbU64(3, L.Tcb.HeartbeatInterval, 1);
        K.SetTcbU64(3, L.Tcb.LastHeartbeat, 0);
        K.Call("timer_tick_handler", K.Frame());
        Assert.That(K.Uart.Contains("WATCHDOG: task 0000000000000003"), Is.EqualTo(scan));
    }

    // REF §4.4: fault <=> interval > 0 and now - last > interval (strict), for states other than
    // Faulted, Inactive, Exited.
    [TestCase(50UL, 0UL, 50UL, Ready, false, TestName = "Watchdog: elapsed == interval -> no fault")]
    [TestCase(50UL, 0UL, 51UL, Ready, true, TestName = "Watchdog: elapsed > interval -> fault")]
    [TestCase(0UL, 0UL, 1000UL, Ready, false, TestName = "Watchdog: interval 0 is off")]
    [TestCase(10UL, 95UL, 100UL, Ready, false, TestName = "Watchdog: recent heartbeat -> no fault")]
    [TestCase(10UL, 80UL, 100UL, Blocked, true, TestName = "Watchdog: Blocked time counts")]
    [TestCase(10UL, 80UL, 100UL, Running, true, TestName = "Watchdog: Running task faulted")]
    [TestCase(10UL, 80UL, 100UL, Faulted, false, TestName = "Watchdog: Faulted skipped")]
    [TestCase(10UL, 80UL, 100UL, Inactive, false, TestName = "Watchdog: Inactive skipped")]
    [TestCase(10UL, 80UL, 100UL, Exited, false, TestName = "Watchdog: Exited skipped")]
    public void Watchdog(ulong interval, ulong last, ulong now, byte state, bool faults)
    {
        K.SetState(3, state);
        K.SetTcbU64(3, L.Tcb.HeartbeatInterval, interval);
        K.SetTcbU64(3, L.Tcb.LastHeartbeat, last);
        K.SetTcbU8(3, L.Tcb.Priority, 6); // boosted; base is 5 (REF §4.6 says 4; docs/PHASE-O-DECISIONS.md Q7)
        K.TickCount = now;
        K.Call("watchdog_scan");
        bool printed = K.Uart.Contains("[AegisOS] WATCHDOG: task 0000000000000003 missed heartbeat\n");
        Assert.That(printed, Is.EqualTo(faults));
        if (faults)
        {
            Assert.That(K.State(3), Is.EqualTo(Faulted));
            Assert.That(K.TcbU64(3, L.Tcb.FaultTick), Is.EqualTo(now));
            Assert.That(K.Priority(3), Is.EqualTo(5), "priority = base");
            Assert.That(K.TcbU64(3, L.Tcb.HeartbeatInterval), Is.EqualTo(interval), "interval is kept");
        }
        else Assert.That(K.State(3), Is.EqualTo(state));
    }

    // REF §3.5 / Kani proof 4: restart acts only on Faulted tasks.
    [TestCase(Ready)]
    [TestCase(Running)]
    [TestCase(Blocked)]
    [TestCase(Inactive)]
    [TestCase(Exited)]
    public void RestartIgnoresNonFaulted(byte state)
    {
        K.SetState(4, state);
        K.SetTcbU64(4, L.Tcb.TicksUsed, 3);
        K.SetContextX(4, 0, 0x99);
        K.Call("restart_task", 4);
        Assert.That(K.State(4), Is.EqualTo(state));
        Assert.That(K.TcbU64(4, L.Tcb.TicksUsed), Is.EqualTo(3UL));
        Assert.That(K.ContextX(4, 0), Is.EqualTo(0x99UL));
        Assert.That(K.Uart, Is.Empty);
    }

    [Test]
    public void RestartResetsAFaultedTask()
    {
        // REF §3.5: zero stack page and frame; ELR = entry, SPSR = 0, SP_EL0 = stack top; Ready; notify cleared;
        // priority = base; ticks 0; last_heartbeat = now; heartbeat_interval kept; prints RESTARTED.
        ulong top = K.TcbU64(4, L.Tcb.UserStackTop);
        Assert.That(top, Is.EqualTo(K.Addr("__user_stacks_start") + 5 * 4096)); // REF §1.3
        K.SetState(4, Faulted);
        K.W64(top - 8, 0xBAD);
        K.W64(top - 4096, 0xBAD);
        for (int r = 0; r < 31; r++) K.SetContextX(4, r, 0x1000UL + (ulong)r);
        K.SetTcbU64(4, L.Frame.Spsr, 0x3C5);
        K.SetTcbU64(4, L.Tcb.NotifyPending, 0xF0);
        K.SetTcbU8(4, L.Tcb.NotifyWaiting, 1);
        K.SetTcbU8(4, L.Tcb.Priority, 6);
        K.SetTcbU64(4, L.Tcb.TicksUsed, 8);
        K.SetTcbU64(4, L.Tcb.HeartbeatInterval, 30);
        K.TickCount = 777;
        K.Call("restart_task", 4);
        Assert.Multiple(() =>
        {
            Assert.That(K.State(4), Is.EqualTo(Ready));
            Assert.That(K.R64(top - 8), Is.Zero);
            Assert.That(K.R64(top - 4096), Is.Zero);
            for (int r = 0; r < 31; r++) Assert.That(K.ContextX(4, r), Is.Zero, $"x{r}");
            Assert.That(K.TcbU64(4, L.Frame.Elr), Is.EqualTo(K.TcbU64(4, L.Tcb.EntryPoint)));
            Assert.That(K.TcbU64(4, L.Frame.Spsr), Is.Zero);
            Assert.That(K.TcbU64(4, L.Frame.SpEl0), Is.EqualTo(top));
            Assert.That(K.TcbU64(4, L.Tcb.NotifyPending), Is.Zero);
            Assert.That(K.TcbU8(4, L.Tcb.NotifyWaiting), Is.Zero);
            Assert.That(K.Priority(4), Is.EqualTo(5)); // base priority (task_table.c)
            Assert.That(K.TcbU64(4, L.Tcb.TicksUsed), Is.Zero);
            Assert.That(K.TcbU64(4, L.Tcb.LastHeartbeat), Is.EqualTo(777UL));
            Assert.That(K.TcbU64(4, L.Tcb.HeartbeatInterval), Is.EqualTo(30UL));
            Assert.That(K.Uart, Is.EqualTo("[AegisOS] TASK 0000000000000004 RESTARTED\n"));
        });
    }

    // REF §3.5: schedule() restarts a Faulted task once now - fault_tick >= 100.
    [TestCase(0UL, 99UL, false)]
    [TestCase(0UL, 100UL, true)]
    [TestCase(50UL, 149UL, false)]
    [TestCase(50UL, 150UL, true)]
    [TestCase(1000UL, 5000UL, true)]
    public void ScheduleRestartsAfterDelay(ulong faultTick, ulong now, bool restarted)
    {
        Setup("URRRFIIR", "6,4,5,4,3,0,0,0", 0);
        K.SetTcbU64(4, L.Tcb.FaultTick, faultTick);
        K.TickCount = now;
        Schedule();
        Assert.That(K.State(4), Is.EqualTo(restarted ? Ready : Faulted));
    }

    [Test]
    public void FaultCurrentTask()
    {
        // REF §3.3: prints FAULTED, state Faulted, fault_tick = now, cleanup, schedule.
        Setup("BBUBBIIR", "6,4,5,4,3,0,0,0", 2);
        K.TickCount = 42;
        K.Call("fault_current_task", K.Frame());
        Assert.That(K.Uart, Does.StartWith("[AegisOS] TASK 0000000000000002 FAULTED\n"));
        Assert.That(K.State(2), Is.EqualTo(Faulted));
        Assert.That(K.TcbU64(2, L.Tcb.FaultTick), Is.EqualTo(42UL));
        Assert.That(K.CurrentTask, Is.EqualTo(7u));
    }

    [TestCase(0UL, "0")]
    [TestCase(7UL, "7")]
    [TestCase(1234UL, "1234")]
    public void SysExit(ulong code, string printed)
    {
        // REF §9: "[AegisOS] task <dec> exited (code=<dec>)", Exited, heartbeat 0, priority base; then schedule.
        Setup("BBUBBIIR", "6,4,5,4,3,0,0,0", 2);
        K.SetTcbU64(2, L.Tcb.HeartbeatInterval, 50);
        K.SetTcbU8(2, L.Tcb.Priority, 6);
        K.Call("sys_exit", K.Frame(), code);
        Assert.That(K.Uart, Does.StartWith($"[AegisOS] task 2 exited (code={printed})\n"));
        Assert.That(K.State(2), Is.EqualTo(Exited));
        Assert.That(K.TcbU64(2, L.Tcb.HeartbeatInterval), Is.Zero);
        Assert.That(K.Priority(2), Is.EqualTo(5));
        Assert.That(K.CurrentTask, Is.EqualTo(7u));
    }

    [Test]
    public void ExitedTaskIsNeverRestarted()
    {
        // REF §9: an Exited task is never restarted.
        Setup("URRRRIIR", "6,4,5,4,3,0,0,0", 0);
        K.SetState(2, Exited);
        K.TickCount = 10_000;
        Schedule();
        Assert.That(K.State(2), Is.EqualTo(Exited));
    }

    [TestCase(50UL)]
    [TestCase(0UL)]
    public void RecordHeartbeat(ulong interval)
    {
        // REF §4.4: SYS_HEARTBEAT sets interval and last_heartbeat = now.
        K.TickCount = 321;
        K.Call("record_heartbeat", 1, interval);
        Assert.That(K.TcbU64(1, L.Tcb.HeartbeatInterval), Is.EqualTo(interval));
        Assert.That(K.TcbU64(1, L.Tcb.LastHeartbeat), Is.EqualTo(321UL));
    }

    [Test]
    public void RestartKeepsCapsAndPageTables()
    {
        // REF §3.5: restart does not touch caps or page attributes.
        ulong l3 = K.Addr("__page_tables_start") + 28 * 4096UL;
        var before = K.ReadBytes(l3, 4096);
        K.SetState(4, Faulted);
        K.Call("restart_task", 4);
        Assert.That(K.TcbU64(4, L.Tcb.Caps), Is.EqualTo(0x40038UL));
        Assert.That(K.ReadBytes(l3, 4096), Is.EqualTo(before));
    }

    [TestCase(7u, TestName = "Tick: idle's ticks_used counts too")]
    [TestCase(0u, TestName = "Tick: unlimited task's ticks_used counts too")]
    public void TickCountsEveryTask(uint current)
    {
        // REF §4.3: TCB[current].ticks_used++ for every task, idle and unlimited tasks included.
        Setup("RRRRRIIR", "0,0,0,0,0,0,0,0", current);
        K.SetState((int)current, Running);
        K.EpochTicks = 10;
        K.TickCount = 10;
        K.Call("timer_tick_handler", K.Frame());
        Assert.That(K.TcbU64((int)current, L.Tcb.TicksUsed), Is.EqualTo(1UL));
    }

    [TestCase(0, 6, 0UL, 0UL)]
    [TestCase(1, 4, 50UL, 0UL)]
    [TestCase(2, 5, 2UL, 0UL)]
    [TestCase(3, 5, 10UL, 0UL)] // sensor, logger: priority 5, not REF 4 / 3 (docs/PHASE-O-DECISIONS.md Q7)
    [TestCase(4, 5, 10UL, 0UL)]
    [TestCase(7, 0, 0UL, 0UL)]
    public void BootTaskMeta(int task, int priority, ulong budget, ulong heartbeat)
    {
        // REF §4.6 TASK_META: priority = base, budget, heartbeat interval 0 in the meta.
        Assert.That(K.Priority(task), Is.EqualTo(priority));
        Assert.That(K.TcbU8(task, L.Tcb.BasePriority), Is.EqualTo(priority));
        Assert.That(K.TcbU64(task, L.Tcb.TimeBudget), Is.EqualTo(budget));
        Assert.That(K.TcbU64(task, L.Tcb.HeartbeatInterval), Is.EqualTo(heartbeat));
        Assert.That(K.State(task), Is.EqualTo(Ready));
    }

    [TestCase(5)]
    [TestCase(6)]
    public void ReservedTasksAreInactive(int task) => Assert.That(K.State(task), Is.EqualTo(Inactive)); // REF §4.6

    [Test]
    public void BootstrapEretsIntoTaskZeroAtEl0()
    {
        // REF §2 step 10.10: task 0 Running, CURRENT = 0, TTBR0 = task 0's, ELR = entry, SPSR = 0 (EL0t, DAIF
        // clear), SP_EL0 = task 0's user stack top, eret.
        K.Run("sched_bootstrap", c => c.EL == 0);
        Assert.That(K.Cpu.PC, Is.EqualTo(K.Addr("uart_driver_entry")));
        Assert.That(K.Cpu.SP, Is.EqualTo(K.Addr("__user_stacks_start") + 4096));
        Assert.That(K.Cpu.Daif, Is.Zero);
        Assert.That(K.Cpu.MmuRegs.TTBR0_EL1, Is.EqualTo(K.TcbU64(0, L.Tcb.Ttbr0)));
        Assert.That(K.State(0), Is.EqualTo(Running));
        Assert.That(K.CurrentTask, Is.Zero);
    }
}
