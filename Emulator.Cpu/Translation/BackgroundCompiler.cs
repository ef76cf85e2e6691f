using System.Collections.Concurrent;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Has RyuJIT compile translated blocks on a thread of its own (<see cref="Cpu.CompileInBackground"/>): a block costs
/// about a millisecond to compile, and the run's thread would otherwise wait for each new one. Until a block is
/// <see cref="TranslatedBlock.Ready"/> the interpreter runs its code, so the run is the same, only which engine ran
/// which instruction differs. Process-wide, like <see cref="TranslationCache"/>.
/// </summary>
internal static class BackgroundCompiler
{
    private static readonly BlockingCollection<TranslatedBlock> Queue = [];

    static BackgroundCompiler() =>
        new Thread(Work) { IsBackground = true, Name = "Aegis block compiler" }.Start();

    public static void Enqueue(TranslatedBlock block) => Queue.Add(block);

    private static void Work()
    {
        foreach (var block in Queue.GetConsumingEnumerable())
            block.PrepareInBackground();
    }
}
