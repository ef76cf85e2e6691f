using System.Reflection;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// The attached <see cref="CpuHook"/>s, one array per <see cref="HookKinds"/> flag, null when no hook of that kind is
/// attached: each call site tests only its own kind's array, on paths that are slow anyway, except the code kinds,
/// which the run loop handles per fetch page (Cpu.Run.cs). The memory-access and code kinds are also behind the build
/// constant <see cref="HooksBuilt"/>.
/// </summary>
public sealed partial class Cpu
{
    private HookHandle[] _all = [];
    private HookHandle[]? _fetchHooks, _retireHooks, _memoryHooks, _entryHooks, _returnHooks, _sysRegHooks, _maintenanceHooks,
        _codeWriteHooks, _tlbHooks;

    /// <summary>True while any hook is attached.</summary>
    public bool HasHooks => _all.Length != 0;

    /// <summary>The attached hooks, in attachment order.</summary>
    public IReadOnlyList<HookHandle> Hooks => _all;

    /// <summary>
    /// Attaches a hook for the kinds it overrides, called only for addresses in [<paramref name="lo"/>, <paramref name="hi"/>]
    /// (inclusive; which address each kind filters on: <see cref="HookKinds"/>). Takes effect at the next instruction.
    /// Throws <see cref="NotSupportedException"/> for a fetch, retire or memory-access hook in a build without them
    /// (<see cref="HooksBuilt"/> false).
    /// </summary>
    public HookHandle AddHook(CpuHook hook, ulong lo = 0, ulong hi = ulong.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (lo > hi) throw new ArgumentException($"empty hook range 0x{lo:X}-0x{hi:X}");
        var kinds = KindsOf(hook.GetType());
        if (!HooksBuilt && (kinds & (HookKinds.Code | HookKinds.MemoryAccess)) != 0)
            throw new NotSupportedException("this Emulator.Cpu was built without per-instruction and memory hooks (configuration " +
                "ReleaseNoHooks, AEGIS_NO_HOOKS): build Release or Debug to attach one");
        var handle = new HookHandle(this, hook, kinds, lo, hi);
        _all = [.. _all, handle];
        RebuildHookArrays();
        return handle;
    }

    /// <summary>Detaches every attachment of <paramref name="hook"/> (prefer <see cref="HookHandle.Remove"/>).</summary>
    public void DetachHook(CpuHook hook)
    {
        foreach (var h in _all)
            if (h.Hook == hook) h.Remove();
    }

    internal void RemoveHook(HookHandle handle)
    {
        int i = Array.IndexOf(_all, handle);
        if (i < 0) return;
        _all = [.. _all[..i], .. _all[(i + 1)..]];
        RebuildHookArrays();
    }

    private void RebuildHookArrays()
    {
        HookHandle[]? Of(HookKinds k)
        {
            var a = Array.FindAll(_all, h => (h.Kinds & k) != 0);
            return a.Length == 0 ? null : a;
        }
        _fetchHooks = Of(HookKinds.Fetch);
        _retireHooks = Of(HookKinds.Retire);
        _memoryHooks = Of(HookKinds.MemoryAccess);
        _entryHooks = Of(HookKinds.ExceptionEntry);
        _returnHooks = Of(HookKinds.ExceptionReturn);
        _sysRegHooks = Of(HookKinds.SystemRegisterWrite);
        _maintenanceHooks = Of(HookKinds.Maintenance);
        _codeWriteHooks = Of(HookKinds.CodePageWrite);
        _tlbHooks = Of(HookKinds.TlbFill);
        Mmu.Tlb.Filled = _tlbHooks is null ? null : OnTlbFilled;
        // The fetch window and the data fast path were set up for the old hooks: both are rebuilt on first use.
        InvalidateFetch();
    }

    private static readonly Dictionary<Type, HookKinds> KindsByType = [];

    /// <summary>The kinds a hook class overrides (what it observes), found once per class.</summary>
    private static HookKinds KindsOf(Type type)
    {
        lock (KindsByType)
        {
            if (KindsByType.TryGetValue(type, out var known)) return known;
            var kinds = HookKinds.None;
            // The overrides of CpuHook's methods (not overloads that share a name).
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                if (m.DeclaringType != typeof(CpuHook) && m.GetBaseDefinition().DeclaringType == typeof(CpuHook))
                    foreach (var (name, kind) in KindByMethod)
                        if (m.Name == name) kinds |= kind;
            return KindsByType[type] = kinds;
        }
    }

    private static readonly (string, HookKinds)[] KindByMethod =
    [
        (nameof(CpuHook.OnFetch), HookKinds.Fetch), (nameof(CpuHook.OnRetire), HookKinds.Retire),
        (nameof(CpuHook.OnMemoryAccess), HookKinds.MemoryAccess), (nameof(CpuHook.OnExceptionEntry), HookKinds.ExceptionEntry),
        (nameof(CpuHook.OnExceptionReturn), HookKinds.ExceptionReturn), (nameof(CpuHook.OnSystemRegisterWrite), HookKinds.SystemRegisterWrite),
        (nameof(CpuHook.OnMaintenance), HookKinds.Maintenance), (nameof(CpuHook.OnCodePageWrite), HookKinds.CodePageWrite),
        (nameof(CpuHook.OnTlbFill), HookKinds.TlbFill),
    ];

    /// <summary>Whether a fetch or retire hook covers the VA page <paramref name="vaPage"/>: that page runs in the hooked loop.</summary>
    private bool CodeHooksCover(ulong vaPage)
    {
        if (_fetchHooks is { } f) foreach (var h in f) if (h.CoversPage(vaPage)) return true;
        if (_retireHooks is { } r) foreach (var h in r) if (h.CoversPage(vaPage)) return true;
        return false;
    }

    /// <summary>Whether a memory-access hook covers the VA page <paramref name="vaPage"/>: the data fast path must not cache it.</summary>
    private bool MemoryHooksCover(ulong vaPage)
    {
        if (_memoryHooks is { } m) foreach (var h in m) if (h.CoversPage(vaPage)) return true;
        return false;
    }

    internal void HookMemoryAccess(ulong va, ulong pa, int size, ulong value, bool write)
    {
        if (_memoryHooks is not { } hooks) return;
        var access = new MemoryAccess(va, pa, size, value, write);
        foreach (var h in hooks)
            if (h.Covers(va)) h.Hook.OnMemoryAccess(this, in access);
    }

    private void HookFetch(HookHandle[] hooks, ulong pc, ulong pa, uint raw)
    {
        foreach (var h in hooks)
            if (h.Covers(pc)) h.Hook.OnFetch(this, pc, pa, raw);
    }

    private void HookRetire(HookHandle[] hooks, ulong pc, uint raw)
    {
        foreach (var h in hooks)
            if (h.Covers(pc)) h.Hook.OnRetire(this, pc, raw);
    }

    private void HookExceptionEntry(int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        foreach (var h in _entryHooks!)
            if (h.Covers(preferredReturn)) h.Hook.OnExceptionEntry(this, targetEl, vector, esr, preferredReturn);
    }

    private void HookExceptionReturn()
    {
        foreach (var h in _returnHooks!)
            if (h.Covers(NextPc)) h.Hook.OnExceptionReturn(this);
    }

    internal void HookSystemWrite(SystemRegister r, ulong value)
    {
        if ((r.Key >> 14) == 1)
        {
            if (_maintenanceHooks is { } m)
                foreach (var h in m) if (h.Covers(value)) h.Hook.OnMaintenance(this, r, value);
        }
        else if (_sysRegHooks is { } s)
            foreach (var h in s) h.Hook.OnSystemRegisterWrite(this, r, value);
    }

    private void HookCodePageWrite(ulong physicalPage)
    {
        foreach (var h in _codeWriteHooks!)
            if (h.CoversPage(physicalPage)) h.Hook.OnCodePageWrite(this, physicalPage);
    }

    private void OnTlbFilled(in TlbEntry entry)
    {
        if (_tlbHooks is not { } hooks) return;
        foreach (var h in hooks)
            if (entry.VaBase <= h.Hi && entry.VaBase + entry.Size - 1 >= h.Lo) h.Hook.OnTlbFill(this, in entry);
    }
}
