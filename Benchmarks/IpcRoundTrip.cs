using Aegis.Emu;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Benchmarks;

/// <summary>
/// The committed AegisOS kernel in its steady state: client task 1 CALLs the UART driver (task 0) on endpoint 0,
/// the driver RECVs, prints the request's bytes from EL0 (none: the client's CALLs are empty requests but for its
/// round-trip report every 0.5 s of guest time) and answers with SEND. One round trip = from one CALL of
/// task 1 to the next (HEARTBEAT + CALL by the client, SEND + HEARTBEAT + RECV by the driver, plus the timer
/// ticks and scheduling that fall in between). Round trips are counted from the SVCs themselves
/// (<see cref="TaskAccounting.SyscallMade"/>, x7 = SYS_CALL from task 1); a run is stopped right after the
/// N-th one with <c>Cpu.RequestStop</c>, so nothing else runs per instruction.
/// </summary>
public sealed class IpcRoundTrip
{
    public AegisOsMachine Machine { get; }
    private ulong _calls, _target = ulong.MaxValue;
    private ulong _lastRetired, _lastCycles;

    /// <summary>Instructions and cycles between the two most recent CALLs of task 1.</summary>
    public ulong LastInstructions { get; private set; }
    public ulong LastCycles { get; private set; }
    /// <summary>The shortest round trip seen (one no timer tick or budget exhaustion interrupted).</summary>
    public ulong MinInstructions { get; private set; } = ulong.MaxValue;
    public ulong MinCycles { get; private set; } = ulong.MaxValue;

    public ulong Calls => _calls;

    public IpcRoundTrip(bool el2 = false, string timing = TimingModels.A53)
    {
        Machine = new AegisOsMachine(KernelGuest.Load() ?? throw new InvalidOperationException("no bundled aegis.elf"), el2, timing: timing);
        Machine.Board.ConsoleOutput = _ => { };
        var cpu = Machine.Cpu;
        Machine.Accounting.SyscallMade = (task, number) =>
        {
            if (task != 1 || number != (ulong)Syscall.Call) return;
            _calls++;
            if (_calls > 1)
            {
                LastInstructions = cpu.Retired - _lastRetired;
                LastCycles = cpu.Cycles - _lastCycles;
                if (LastInstructions < MinInstructions) MinInstructions = LastInstructions;
                if (LastCycles < MinCycles) MinCycles = LastCycles;
            }
            _lastRetired = cpu.Retired;
            _lastCycles = cpu.Cycles;
            if (_calls >= _target) cpu.RequestStop();
        };
    }

    private static readonly Dictionary<string, (double, double)> SteadyState = [];

    /// <summary>
    /// Mean guest instructions and cycles per round trip in steady state under a timing model: 10,000 round trips after
    /// 2,000 of warm-up, measured once per process (the machine is deterministic). For the guest MIPS columns.
    /// </summary>
    public static (double Instructions, double Cycles) SteadyStateMean(string timing = TimingModels.A53)
    {
        lock (SteadyState)
        {
            if (!SteadyState.TryGetValue(timing, out var mean)) SteadyState[timing] = mean = MeasureSteadyState(timing);
            return mean;
        }
    }

    private static (double, double) MeasureSteadyState(string timing)
    {
        const ulong n = 10_000;
        var ipc = new IpcRoundTrip(timing: timing);
        ipc.Run(2000);
        var cpu = ipc.Machine.Cpu;
        ulong r0 = cpu.Retired, c0 = cpu.Cycles;
        ipc.Run(n);
        return ((double)(cpu.Retired - r0) / n, (double)(cpu.Cycles - c0) / n);
    }

    /// <summary>Runs until <paramref name="n"/> more CALLs of task 1 have been made.</summary>
    public void Run(ulong n)
    {
        _target = _calls + n;
        Machine.Run(ulong.MaxValue);
        if (_calls < _target) throw new InvalidOperationException($"the ping-pong stopped after {_calls} round trips");
    }
}
