using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    /// <summary>
    /// FPCR/FPSR: stored (FP execution comes later) behind the FP/SIMD access trap. FPCR keeps AHP, DN, FZ
    /// and RMode: the A53 does not trap FP exceptions, so the trap enables are RAZ/WI (as QEMU).
    /// </summary>
    private static void AddFloatingPoint(List<SystemRegister> t)
    {
        t.Add(Rw("FPCR", 3, 3, 4, 4, 0, 0, static c => c.Sys.FPCR, static (c, v) => c.Sys.FPCR = v & 0x07C0_0000, Fp));
        t.Add(Rw("FPSR", 3, 3, 4, 4, 1, 0, static c => c.Sys.FPSR, static (c, v) => c.Sys.FPSR = v & 0xF800_009F, Fp));
    }
}
