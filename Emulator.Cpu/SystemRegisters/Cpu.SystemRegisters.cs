namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    /// <summary>Reset values of the system registers (filled in by the system-register table).</summary>
    partial void SystemRegisterReset();
}
