using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aegis.Emulator.Cpu;

/// <summary>One data access as the timing model sees it: VA, PA, size, direction and the MAIR attribute byte that applied.</summary>
public readonly record struct LoggedAccess(ulong Va, ulong Pa, int Size, bool IsWrite, byte MemAttr);

/// <summary>
/// What the CPU tells its timing model beyond the instruction itself: the data accesses (a ring written by the RAM
/// fast path and the slow path alike, only while the model asks for it), the exceptions taken and returned from,
/// and the fetch's PA and memory type. Every counter only grows; a model remembers what it last saw.
/// </summary>
public sealed partial class Cpu
{
    public const int AccessLogCapacity = 32;
    private readonly LoggedAccess[] _accessLog = new LoggedAccess[AccessLogCapacity];
    private bool _logAccesses;
    private ITimingModel _timing = new OneCyclePerInstruction(); // its Attach does nothing
    private byte _fetchMemAttr;

    /// <summary>The timing model that owns <see cref="Cycles"/>.</summary>
    public ITimingModel Timing
    {
        get => _timing;
        set
        {
            _timing = value;
            _logAccesses = value.WantsAccessLog;
            PerfEvents.Implemented = PerformanceEvents.CpuCountedEvents;
            value.Attach(this);
        }
    }

    /// <summary>Data accesses since reset; access <c>n</c> is <see cref="AccessLog"/>(n) while AccessCount - n &lt;= capacity.</summary>
    public ulong AccessCount { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly LoggedAccess AccessLog(ulong n) => ref LogSlot(n);

    // The index is masked to the ring's fixed capacity: always inside the array, so no bounds check.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref LoggedAccess LogSlot(ulong n) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_accessLog), (int)(n & (AccessLogCapacity - 1)));

    /// <summary>Exceptions taken (synchronous and asynchronous) and exception returns, since reset.</summary>
    public ulong ExceptionsTaken { get; private set; }
    public ulong ExceptionReturns { get; private set; }

    /// <summary>The PA and MAIR attribute byte the current fetch page translated to.</summary>
    public ulong FetchPa(ulong pc) => _fetchPaPage | (pc & 0xFFF);
    public byte FetchMemAttr => _fetchMemAttr;

    // Kept out of line so that TryRead/TryWrite stay small enough to inline into every handler.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LogAccess(ulong va, ulong pa, int size, bool write, byte attr)
    {
        LogSlot(AccessCount) = new LoggedAccess(va, pa, size, write, attr);
        AccessCount++;
    }

    /// <summary>Counts <paramref name="n"/> accesses a translated block charged to the model itself without logging
    /// them (<see cref="Timing.A53.A53Model.AccessInBlock"/>): the count stays the interpreter's.</summary>
    internal void CountUnloggedAccesses(long n) => AccessCount += (ulong)n;

    /// <summary>WFI/WFE sleeping until the next scheduled event: the model says how long that takes.</summary>
    internal void SleepUntil(ulong until) => Cycles += _timing.Sleep(this, until);
}
