namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The branch classes the Cortex-A53 instruction fetch unit predicts differently. ERET and data-processing
/// writes to the PC are not here: the A53 does not predict them (A53 TRM DDI0500, program flow prediction),
/// so the pipeline charges them <see cref="BranchPenalty.MispredictBubble"/> without asking the predictor.
/// </summary>
public enum BranchKind : byte
{
    /// <summary>B.cond, CBZ/CBNZ, TBZ/TBNZ: direction from the global-history predictor, target from the encoding.</summary>
    Conditional,
    /// <summary>B: always taken, target from the encoding.</summary>
    Unconditional,
    /// <summary>BL: as B, and pushes pc+4 on the return stack.</summary>
    Call,
    /// <summary>BR: target from the 256-entry BTAC (the A53's indirect predictor).</summary>
    Indirect,
    /// <summary>BLR: as BR, and pushes pc+4 on the return stack.</summary>
    IndirectCall,
    /// <summary>RET: target popped from the return stack.</summary>
    Return,
}
