namespace Aegis.Emulator.Cpu.Timing.A53;

public sealed partial class A53Model
{
    private readonly MemoryTiming _memory;
    private readonly FrontEnd _front;

    /// <summary>
    /// The data accesses the instruction made. A misaligned load (or one crossing a line or page) takes 2 more cycles
    /// and holds the pipe one more (ldr unaligned: 5.02, 0.50 per cycle); a store crossing a 64-byte line holds it one
    /// more (str cross-cache: 0.50 per cycle). Only the bytewise page-crossing path logs more than two accesses.
    /// </summary>
    private void ChargeAccesses(Cpu cpu, int el, ref ulong latency, ref ulong latency2, ref ulong occupancy, ref ulong stall)
    {
        ulong first = cpu.AccessCount - _accessSeen > Cpu.AccessLogCapacity ? cpu.AccessCount - Cpu.AccessLogCapacity : _accessSeen;
        ulong count = cpu.AccessCount - first;
        ref readonly LoggedAccess a0 = ref cpu.AccessLog(first);
        bool misaligned = count > 2 || (a0.Va & (ulong)(a0.Size - 1)) != 0;
        bool crossesLine = count > 2 || ((a0.Va & 63) + (ulong)a0.Size > 64);
        ulong extra = 0;
        for (ulong n = first; n < cpu.AccessCount; n++)
        {
            _memory.Data(cpu, in cpu.AccessLog(n), out ulong e, out ulong s);
            extra = Max(extra, e);
            stall += s;
        }
        _accessSeen = cpu.AccessCount;
        var events = cpu.PerfEvents;
        events.Add(el, a0.IsWrite ? PmuEvent.ST_RETIRED : PmuEvent.LD_RETIRED);
        if (misaligned) events.Add(el, PmuEvent.UNALIGNED_LDST_RETIRED);
        if (a0.IsWrite)
        {
            if (crossesLine) occupancy++;
            return;
        }
        if (misaligned || crossesLine)
        {
            latency += 2;
            if (latency2 != 0) latency2 += 2;
            occupancy++;
        }
        latency += extra;
        if (latency2 != 0) latency2 += extra;
    }

    /// <summary>Table walks since the last instruction: the pipe waits for them.</summary>
    private ulong ChargeWalks(Cpu cpu)
    {
        var log = cpu.Mmu.WalkLog;
        ulong first = log.Reads - _walkSeen > Mmu.WalkLog.Capacity ? log.Reads - Mmu.WalkLog.Capacity : _walkSeen;
        ulong cycles = _memory.Walk(cpu, log, first, log.Reads, Stats);
        _walkSeen = log.Reads;
        return cycles;
    }
}
