using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Monotonic totals of the PMU events (event number &lt; 64) per exception level (0..2), as the performance
/// monitors read them. The timing model calls <see cref="Add"/> for the events it sees (caches, TLBs, branches,
/// memory); the CPU adds EXC_TAKEN, EXC_RETURN and CID_WRITE_RETIRED. INST_RETIRED, CPU_CYCLES and BUS_CYCLES
/// are never added: <see cref="Total"/> takes them from the CPU's per-EL accounting
/// (<see cref="Cpu.RetiredAtEl"/>, <see cref="Cpu.CyclesAtEl"/>), so that they work under any timing model.
/// <para>
/// Each (EL, event) slot has an alarm threshold: when an <see cref="Add"/> makes the total reach it,
/// <see cref="AlarmCrossed"/> is called (once: the alarm is disarmed first, and the callback re-arms). The
/// PMU sets the thresholds where one of its counters would overflow, so that overflow is seen at the exact event.
/// </para>
/// </summary>
public sealed partial class PerformanceEvents
{
    public const int EventSlots = 64;
    public const int ExceptionLevels = 3;

    /// <summary>The events the CPU itself counts, whatever the timing model (see the class summary).</summary>
    public const ulong CpuCountedEvents =
        (1UL << (int)PmuEvent.SW_INCR) | (1UL << (int)PmuEvent.INST_RETIRED) | (1UL << (int)PmuEvent.EXC_TAKEN)
        | (1UL << (int)PmuEvent.EXC_RETURN) | (1UL << (int)PmuEvent.CID_WRITE_RETIRED)
        | (1UL << (int)PmuEvent.CPU_CYCLES) | (1UL << (int)PmuEvent.BUS_CYCLES);

    // Slot i's total at [2i] and its alarm threshold at [2i + 1]: Add reads both from one array and one cache line.
    private readonly ulong[] _slots = new ulong[ExceptionLevels * EventSlots * 2];
    private readonly Cpu? _cpu;

    /// <summary>Totals without a CPU: only what <see cref="Add"/> adds (unit tests, tools).</summary>
    public PerformanceEvents() => DisarmAll();

    internal PerformanceEvents(Cpu cpu) : this()
    {
        _cpu = cpu;
        Implemented = CpuCountedEvents;
    }

    /// <summary>
    /// Bit n set: event n is counted by someone, and PMCEID0_EL0/PMCEID1_EL0 advertise it (bits 0-31 and 32-63).
    /// Starts as <see cref="CpuCountedEvents"/> (with a CPU); a timing model ORs in what it reports through <see cref="Add"/>.
    /// An event whose bit is clear counts nothing in the PMU's counters, whatever was added.
    /// </summary>
    public ulong Implemented { get; set; }

    /// <summary>Called when an <see cref="Add"/> reaches a slot's alarm threshold: (EL, event).</summary>
    public Action<int, PmuEvent>? AlarmCrossed { get; set; }

    /// <summary>Counts <paramref name="n"/> occurrences of <paramref name="e"/> at exception level <paramref name="el"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int el, PmuEvent e, ulong n = 1)
    {
        // el is 0..2 and the slot is masked: 2i + 1 is always inside the array, so no bounds checks.
        int i = (el << 6) | ((int)e & (EventSlots - 1));
        ref ulong total = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), 2 * i);
        ulong t = total += n;
        if (t >= Unsafe.Add(ref total, 1)) Crossed(i);
    }

    /// <summary><see cref="Add"/> for an event whose bit in <see cref="Armed"/> is clear: no alarm threshold can be
    /// reached (every one of its thresholds is ulong.MaxValue), so none is compared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddUnarmed(int el, PmuEvent e, ulong n)
    {
        int i = (el << 6) | ((int)e & (EventSlots - 1));
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), 2 * i) += n;
    }

    private void Crossed(int i)
    {
        _slots[2 * i + 1] = ulong.MaxValue;
        AlarmCrossed?.Invoke(i >> 6, (PmuEvent)(i & (EventSlots - 1)));
    }

    /// <summary>The total of <paramref name="e"/> at <paramref name="el"/> so far (CPU-counted cycles and instructions included).</summary>
    public ulong Total(PmuEvent e, int el)
    {
        ulong t = _slots[2 * Slot(el, e)];
        if (_cpu is null) return t;
        return e switch
        {
            PmuEvent.INST_RETIRED => t + _cpu.RetiredAtEl(el),
            PmuEvent.CPU_CYCLES or PmuEvent.BUS_CYCLES => t + _cpu.CyclesAtEl(el), // one clock: the bus runs at the core's rate
            _ => t,
        };
    }

    /// <summary>Only what <see cref="Add"/> added to the slot (the alarm thresholds compare against this).</summary>
    public ulong Added(PmuEvent e, int el) => _slots[2 * Slot(el, e)];

    /// <summary>Arms the slot's alarm: <see cref="AlarmCrossed"/> when <see cref="Added"/> reaches <paramref name="threshold"/>.</summary>
    public void SetAlarm(int el, PmuEvent e, ulong threshold)
    {
        int slot = Slot(el, e);
        _slots[2 * slot + 1] = threshold;
        if (threshold != ulong.MaxValue) Armed |= EventBit(slot);
    }

    /// <summary>Bit n set: an alarm on event n may be armed (set since <see cref="ClearAlarms"/>, at some EL). Such an
    /// event must be added as it happens: translated blocks that add one on their way out do not run then.</summary>
    public ulong Armed { get; private set; }

    public ulong Alarm(int el, PmuEvent e) => _slots[2 * Slot(el, e) + 1];

    /// <summary>Disarms every alarm. With none armed every threshold is already ulong.MaxValue (only
    /// <see cref="SetAlarm"/> lowers one, and it sets the event's bit): nothing to write. The PMU disarms and re-arms
    /// at every EL change, where usually nothing is armed.</summary>
    public void ClearAlarms()
    {
        if (Armed != 0) DisarmAll();
    }

    private void DisarmAll()
    {
        for (int i = 1; i < _slots.Length; i += 2) _slots[i] = ulong.MaxValue;
        Armed = 0;
    }

    private static int Slot(int el, PmuEvent e) => (el << 6) | ((int)e & (EventSlots - 1));

    /// <summary>The slot's event as its bit in <see cref="Armed"/>.</summary>
    private static ulong EventBit(int slot) => 1UL << (slot & (EventSlots - 1));

    /// <summary>Zeroes the added totals and disarms the alarms (the CPU's own cycle and instruction totals are kept).</summary>
    public void Reset()
    {
        for (int i = 0; i < _slots.Length; i += 2) _slots[i] = 0;
        ClearAlarms();
    }
}
