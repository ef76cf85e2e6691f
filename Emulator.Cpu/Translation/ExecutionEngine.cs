namespace Aegis.Emulator.Cpu;

/// <summary>How <see cref="Cpu.Run"/> executes guest code (`--engine`). Both give bit-identical runs.</summary>
public enum ExecutionEngine
{
    /// <summary>One instruction at a time through its decoded handler: the reference engine.</summary>
    Interpreter,
    /// <summary>Guest blocks (superblocks) translated to .NET methods (<see cref="Translation.BlockTranslator"/>).</summary>
    Translator,
}
