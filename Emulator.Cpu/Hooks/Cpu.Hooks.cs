using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// The attached <see cref="CpuHook"/>s. The array is null when none is attached: <see cref="HasHooks"/> (that
/// field, and the build constant <see cref="HooksBuilt"/>) is all the unhooked paths test: once per
/// <see cref="Run"/> call, and on the rare slow paths (data fast-path misses, exceptions, MSR/SYS, DC ZVA).
/// </summary>
public sealed partial class Cpu
{
    private CpuHook[]? _hooks;

    /// <summary>True while a hook is attached; constant false in a build without hooks (the JIT drops the guarded code).</summary>
    public bool HasHooks => HooksBuilt && _hooks != null;

    /// <summary>
    /// Attaches a hook. Takes effect at the next <see cref="Run"/> call (a running loop keeps its kind).
    /// Throws <see cref="NotSupportedException"/> in a build without hooks (<see cref="HooksBuilt"/> false).
    /// </summary>
    public void AttachHook(CpuHook hook)
    {
        if (!HooksBuilt)
            throw new NotSupportedException("this Emulator.Cpu was built without hooks (configuration ReleaseNoHooks, " +
                "AEGIS_NO_HOOKS): build Release or Debug to attach one");
#pragma warning disable CS0162 // unreachable in the build without hooks (HooksBuilt is a constant), by design
        _hooks = _hooks is null ? [hook] : [.. _hooks, hook];
        // Drop the data fast path's entries: while hooked it is neither used nor filled (see FillFastPage).
        InvalidateFetch();
#pragma warning restore CS0162
    }

    public void DetachHook(CpuHook hook)
    {
        if (_hooks is null) return;
        var rest = Array.FindAll(_hooks, h => h != hook);
        _hooks = rest.Length == 0 ? null : rest;
    }

    internal void HookMemoryAccess(ulong va, ulong pa, int size, ulong value, bool write)
    {
        var access = new MemoryAccess(va, pa, size, value, write);
        foreach (var h in _hooks!) h.OnMemoryAccess(this, in access);
    }

    private void HookExceptionEntry(int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        foreach (var h in _hooks!) h.OnExceptionEntry(this, targetEl, vector, esr, preferredReturn);
    }

    private void HookExceptionReturn()
    {
        foreach (var h in _hooks!) h.OnExceptionReturn(this);
    }

    internal void HookSystemWrite(SystemRegister r, ulong value)
    {
        bool op = (r.Key >> 14) == 1;
        foreach (var h in _hooks!)
        {
            if (op) h.OnMaintenance(this, r, value);
            else h.OnSystemRegisterWrite(this, r, value);
        }
    }
}
