using System.Collections.Concurrent;

namespace Aegis.Emu;

/// <summary>
/// `--uart-input -`: the host's standard input fed to the PL011 as it arrives, for an interactive shell. A background
/// thread reads stdin into a queue; the run loop moves what has arrived into the UART between instruction batches
/// (<see cref="RunCommand.BatchInstructions"/>) and, when the guest sleeps with nothing scheduled to wake it, blocks
/// here until a byte comes. Which instruction sees a byte depends on host timing, so such a run is not deterministic;
/// `--uart-input FILE` (read whole before the run) is.
/// </summary>
internal sealed class InteractiveInput
{
    private readonly BlockingCollection<byte[]> _chunks = new();
    private readonly Stream _input;

    public InteractiveInput(Stream input)
    {
        _input = input;
        var reader = new Thread(Pump) { IsBackground = true, Name = "uart-input" };
        reader.Start();
    }

    private void Pump()
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = _input.Read(buffer, 0, buffer.Length)) > 0) _chunks.Add(buffer[..n]);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { } // stdin closed under us: its end
        finally { _chunks.CompleteAdding(); }
    }

    /// <summary>Everything that has arrived, without waiting.</summary>
    public byte[] Take()
    {
        var all = new List<byte>();
        while (_chunks.TryTake(out var chunk)) all.AddRange(chunk);
        return all.ToArray();
    }

    /// <summary>Waits for the next bytes; empty when stdin has ended (the guest then can never be woken by input).</summary>
    public byte[] WaitForMore()
    {
        try { return _chunks.Take(); }
        catch (InvalidOperationException) { return []; } // completed: end of input
    }
}
