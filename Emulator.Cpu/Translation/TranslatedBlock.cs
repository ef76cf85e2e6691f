using System.Runtime.ExceptionServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Runs a block's instructions from its first, stopping early after a conditional branch that was taken (unless back to
/// the block's start, which runs it again) or an instruction that took an exception, went past the fast memory path (a
/// device, a page's first access) or wrote code, or once the clock reaches <paramref name="stopAt"/>. The run loop enters
/// it only when a whole pass fits in <paramref name="budget"/> steps, and a self-loop runs another pass only then, so
/// within a pass the steps need no check. Returns the instructions run: at least 1,
/// but 0, with <see cref="Cpu.BlockMispredicted"/> set, when the timing model's outcomes it was made to predict do not
/// hold at its entry (<see cref="Timing.A53.A53Model.PredictsFlat"/>).
/// A null <paramref name="cpu"/> returns 0 at once: the call that has RyuJIT compile the block (<see cref="TranslatedBlock.Prepare"/>).
/// </summary>
internal delegate int BlockCode(Cpu cpu, DecodedInst[] page, ulong stopAt, ulong budget);

/// <summary>A guest block translated to a .NET method: its code, its length and what it cost to make.</summary>
internal sealed class TranslatedBlock(BlockCode code, ulong pc, int length, int ilBytes, int inlined)
{
    public readonly BlockCode Code = code;
    /// <summary>The virtual address it was made for: its code holds PC values. The same physical code may run at
    /// another address (Linux runs its first instructions identity-mapped, then at its link address).</summary>
    public readonly ulong Pc = pc;
    /// <summary>Guest instructions in the block (all in one 4 KiB page).</summary>
    public readonly int Length = length;
    /// <summary>Size of the generated IL: the cache's size measure.</summary>
    public readonly int IlBytes = ilBytes;
    /// <summary>Instructions generated inline (the others call their handler).</summary>
    public readonly int Inlined = inlined;

    /// <summary>How often the run has met the block not <see cref="Ready"/> (and interpreted it instead): the
    /// <see cref="BackgroundCompiler"/>'s priority. Counted without a lock: a lost or stale count only reorders.</summary>
    public int Demand;

    /// <summary>Whether the code is compiled (<see cref="BackgroundCompiler"/>); a block compiled on first call is always ready.</summary>
    public bool Ready => _ready;
    private volatile bool _ready = true;

    /// <summary>The block is to be compiled on another thread: not <see cref="Ready"/> until then.</summary>
    public void CompileInBackground()
    {
        _ready = false;
        BackgroundCompiler.Enqueue(this);
    }

    /// <summary>Has RyuJIT compile the code, without running it.</summary>
    public void Prepare()
    {
        Code(null!, null!, 0, 0);
        _ready = true;
    }

    /// <summary><see cref="Prepare"/> on the compiler's thread: a block that does not compile (a translator defect) keeps
    /// what went wrong for the run's thread, which throws it when it meets the block (<see cref="ThrowIfFailed"/>), as it
    /// would have compiling the block itself.</summary>
    public void PrepareInBackground()
    {
        try { Prepare(); }
        catch (Exception e) { _failure = ExceptionDispatchInfo.Capture(e); }
    }

    public void ThrowIfFailed() => _failure?.Throw();
    private volatile ExceptionDispatchInfo? _failure;
}
