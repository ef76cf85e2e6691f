namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Has RyuJIT compile translated blocks on a thread of its own (<see cref="Cpu.CompileInBackground"/>): a block costs
/// about a millisecond to compile, and the run's thread would otherwise wait for each new one. Until a block is
/// <see cref="TranslatedBlock.Ready"/> the interpreter runs its code, so the run is the same, only which engine ran
/// which instruction differs. Process-wide, like <see cref="TranslationCache"/>.
/// </summary>
internal static class BackgroundCompiler
{
    // The blocks waiting, in no order: the next one compiled is the one the run wants most (Next).
    private static readonly List<TranslatedBlock> Pending = [];

    static BackgroundCompiler() =>
        new Thread(Work) { IsBackground = true, Name = "Aegis block compiler" }.Start();

    // The timing models (by name) whose translator the thread is to warm up (TranslatorWarmUp), and those asked for.
    private static readonly Queue<string> WarmUps = new();
    private static readonly HashSet<string> WarmedUp = [];

    public static void Enqueue(TranslatedBlock block)
    {
        lock (Pending)
        {
            Pending.Add(block);
            Monitor.Pulse(Pending);
        }
    }

    /// <summary>Has the thread warm the translator up for the timing model named <paramref name="timing"/> before any
    /// block (<see cref="TranslatorWarmUp"/>), once per model; the thread makes the model it translates for.</summary>
    public static void WarmUp(string timing)
    {
        lock (Pending)
        {
            if (!WarmedUp.Add(timing)) return;
            WarmUps.Enqueue(timing);
            Monitor.Pulse(Pending);
        }
    }

    private static void Work()
    {
        while (true)
        {
            TranslatedBlock? block = null;
            string? warmUp = null;
            lock (Pending)
            {
                while (Pending.Count == 0 && WarmUps.Count == 0) Monitor.Wait(Pending);
                if (!WarmUps.TryDequeue(out warmUp)) block = Next();
            }
            if (block != null) block.PrepareInBackground();
            else
            {
                // Only host time is at stake: a defect would show in the blocks of the run (and Tests/Engines translates
                // these blocks on the test's thread).
                try { TranslatorWarmUp.Run(TimingModels.Create(warmUp!)); }
                catch (Exception) { }
            }
        }
    }

    /// <summary>
    /// Takes the waiting block whose code saves the run the most interpreted instructions per byte of IL: its length
    /// times how often the run has met it not ready (<see cref="TranslatedBlock.Demand"/>), over its IL size (RyuJIT's
    /// time grows faster than the IL). In order of arrival, the boot's copy loop waited 0.2 s behind two long blocks
    /// that had run a few hundred times (one took RyuJIT 0.1 s).
    /// </summary>
    private static TranslatedBlock Next()
    {
        int best = 0;
        for (int n = 1; n < Pending.Count; n++)
            if (Worth(Pending[n]) > Worth(Pending[best])) best = n;
        var block = Pending[best];
        Pending[best] = Pending[^1];
        Pending.RemoveAt(Pending.Count - 1);
        return block;

        static double Worth(TranslatedBlock b) => (b.Demand + 1.0) * b.Length / b.IlBytes;
    }
}
