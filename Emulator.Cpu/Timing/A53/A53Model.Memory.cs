namespace Aegis.Emulator.Cpu.Timing.A53;

public sealed partial class A53Model
{
    private readonly MemoryTiming _memory;
    private readonly FrontEnd _front;

    /// <summary>What the data accesses add to an instruction: result latency, cycles it holds its unit, pipe stall.</summary>
    private readonly record struct AccessCost(ulong Latency, ulong Occupancy, ulong Stall);

    /// <summary>
    /// The data accesses the instruction made. A misaligned load (or one crossing a line or page) takes 2 more cycles
    /// and holds the pipe one more (ldr unaligned: 5.02, 0.50 per cycle); a store crossing a 64-byte line holds it one
    /// more (str cross-cache: 0.50 per cycle). A general-register access logs more than two accesses only on the
    /// bytewise page-crossing path. A SIMD&amp;FP transfer logs one per 8 bytes or element: it is judged by the span it
    /// covers, and each 64-byte line it touches is one cache access.
    /// </summary>
    private AccessCost ChargeAccesses(Cpu cpu, int el, bool simd)
    {
        ulong end = cpu.AccessCount;
        ulong first = end - _accessSeen > Cpu.AccessLogCapacity ? end - Cpu.AccessLogCapacity : _accessSeen;
        _accessSeen = end;
        ref readonly LoggedAccess a0 = ref cpu.AccessLog(first);
        bool misaligned, crossesLine;
        ulong extra = _memory.Data(cpu, in a0), lookups = 1;
        if (!simd)
        {
            misaligned = end - first > 2 || (a0.Va & (ulong)(a0.Size - 1)) != 0;
            crossesLine = end - first > 2 || ((a0.Va & 63) + (ulong)a0.Size > 64);
            for (ulong n = first + 1; n < end; n++) extra = Max(extra, _memory.Data(cpu, in cpu.AccessLog(n)));
            lookups = end - first;
        }
        else
        {
            ulong lo = a0.Va, hi = a0.Va + (ulong)a0.Size - 1, line = a0.Va >> 6;
            for (ulong n = first + 1; n < end; n++)
            {
                ref readonly LoggedAccess a = ref cpu.AccessLog(n);
                lo = Math.Min(lo, a.Va);
                hi = Math.Max(hi, a.Va + (ulong)a.Size - 1);
                if (a.Va >> 6 == line && (a.Va + (ulong)a.Size - 1) >> 6 == line) continue;
                line = a.Va >> 6;
                extra = Max(extra, _memory.Data(cpu, in a));
                lookups++;
            }
            crossesLine = lo >> 6 != hi >> 6;
            misaligned = crossesLine || (a0.Va & (ulong)(a0.Size - 1)) != 0;
        }
        ulong stall = _memory.TakeStall();
        var events = cpu.PerfEvents;
        events.Add(el, PmuEvent.MEM_ACCESS, lookups);
        events.Add(el, a0.IsWrite ? PmuEvent.ST_RETIRED : PmuEvent.LD_RETIRED);
        if (misaligned) events.Add(el, PmuEvent.UNALIGNED_LDST_RETIRED);
        if (a0.IsWrite) return new(0, crossesLine ? 1UL : 0, stall);
        return misaligned || crossesLine ? new(extra + 2, 1, stall) : new(extra, 0, stall);
    }

    /// <summary>Table walks since the last instruction: the pipe waits for them.</summary>
    private ulong ChargeWalks(Cpu cpu)
    {
        Disturbances++;
        var log = cpu.Mmu.WalkLog;
        ulong first = log.Reads - _walkSeen > Mmu.WalkLog.Capacity ? log.Reads - Mmu.WalkLog.Capacity : _walkSeen;
        ulong cycles = _memory.Walk(cpu, log, first, log.Reads, Stats);
        _walkSeen = log.Reads;
        return cycles;
    }
}
