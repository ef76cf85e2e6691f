using Aegis.Emu.Tracing;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;

namespace Aegis.Tests.Support;

/// <summary>The binary-level checks of issue 11 point 4 on a kernel run: the context checker and the kernel-write
/// checker, attached to <paramref name="cpu"/> for the whole run of the AegisOS <paramref name="image"/>.</summary>
public static class KernelChecks
{
    public static (ContextChecker Context, KernelWriteChecker Writes) Attach(Cpu cpu, byte[] image)
    {
        var symbols = KernelSymbols.Parse(image);
        var tasks = new TaskResolver(cpu, symbols.Address("current_task"));
        var context = new ContextChecker(cpu, symbols, tasks);
        var writes = new KernelWriteChecker(cpu, symbols, tasks, Emu.Debugging.ElfSections.WritableSegments(image));
        cpu.AddHook(context);
        cpu.AddHook(writes);
        return (context, writes);
    }
}
