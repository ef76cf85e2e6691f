namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Sees each instruction's timeline as the model scheduled it (for --pipeview): the cycle it issued and in which slot,
/// when its result was ready, and when the front end could deliver the next instruction (after a redirect).
/// </summary>
public interface IPipelineObserver
{
    void OnRetire(ulong pc, uint encoding, ulong issueCycle, int slot, ulong resultCycle, ulong nextFetchReady);
}
