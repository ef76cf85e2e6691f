namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// What the front end did with one retired branch, which decides the bubble the pipeline charges
/// (<see cref="BranchPenalty"/>).
/// </summary>
public enum BranchOutcome : byte
{
    /// <summary>Predicted not taken and not taken: fetch simply ran on.</summary>
    CorrectNotTaken,
    /// <summary>Predicted taken and taken, with the target instructions supplied in F1 by the single-entry BTIC: no bubble.</summary>
    CorrectTakenEarly,
    /// <summary>Predicted taken and taken, target computed later in the front end (BTIC miss): the taken-branch bubble.</summary>
    CorrectTakenLate,
    /// <summary>RET whose target the return stack supplied correctly.</summary>
    ReturnStackHit,
    /// <summary>BR/BLR whose target the BTAC (indirect predictor) supplied correctly.</summary>
    IndirectHit,
    /// <summary>Direction or target wrong (including an empty return stack or a BTAC miss): pipeline flush.</summary>
    Mispredicted,
    /// <summary>Prediction disabled (MMU off): fetch runs on sequentially, so a taken branch costs a flush.</summary>
    NotPredicted,
}
