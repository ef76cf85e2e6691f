namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// One instruction as the model scheduled it, on the machine clock: when the front end could deliver it (its fetch
/// cycle: after the previous redirect or I-side miss), when it issued and in which slot (0 or 1), when its result
/// was ready, and whether it redirected the stream after it (a mispredict, exception entry or ERET, ISB).
/// </summary>
public readonly record struct PipelineRecord(ulong Pc, uint Encoding, ulong FetchCycle, ulong IssueCycle, int Slot,
    ulong ResultCycle, bool Redirected);

/// <summary>Sees each instruction's timeline (for --pipeview). With none attached the model pays one null test per instruction.</summary>
public interface IPipelineObserver
{
    void OnRetire(in PipelineRecord record);
}
