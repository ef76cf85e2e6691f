namespace Aegis.Emulator.Cpu.Hooks;

/// <summary>What a <see cref="CpuHook"/> observes: one flag per overridable method.</summary>
[Flags]
public enum HookKinds
{
    None = 0,
    /// <summary><see cref="CpuHook.OnFetch"/>; the range filters the instruction's VA.</summary>
    Fetch = 1 << 0,
    /// <summary><see cref="CpuHook.OnRetire"/>; the range filters the instruction's VA.</summary>
    Retire = 1 << 1,
    /// <summary><see cref="CpuHook.OnMemoryAccess"/>; the range filters the access's VA.</summary>
    MemoryAccess = 1 << 2,
    /// <summary><see cref="CpuHook.OnExceptionEntry"/>; the range filters the preferred return address.</summary>
    ExceptionEntry = 1 << 3,
    /// <summary><see cref="CpuHook.OnExceptionReturn"/>; the range filters the return target (ELR).</summary>
    ExceptionReturn = 1 << 4,
    /// <summary><see cref="CpuHook.OnSystemRegisterWrite"/>; no address, the range is ignored.</summary>
    SystemRegisterWrite = 1 << 5,
    /// <summary><see cref="CpuHook.OnMaintenance"/> (TLBI, DC, IC, AT); the range filters the operand X[t].</summary>
    Maintenance = 1 << 6,
    /// <summary><see cref="CpuHook.OnCodePageWrite"/>; the range filters the page's PA.</summary>
    CodePageWrite = 1 << 7,
    /// <summary><see cref="CpuHook.OnTlbFill"/>; the range filters the entry's VA base.</summary>
    TlbFill = 1 << 8,

    /// <summary>The kinds that need the per-instruction loop on the pages they cover.</summary>
    Code = Fetch | Retire,
}

/// <summary>
/// A hook attached with <see cref="Cpu.AddHook"/>: removing it (<see cref="Remove"/> or <see cref="Dispose"/>) detaches
/// exactly this attachment, so two subscribers never unhook each other.
/// </summary>
public sealed class HookHandle : IDisposable
{
    private Cpu? _cpu;

    internal HookHandle(Cpu cpu, CpuHook hook, HookKinds kinds, ulong lo, ulong hi)
    {
        _cpu = cpu;
        Hook = hook;
        Kinds = kinds;
        Lo = lo;
        Hi = hi;
    }

    public CpuHook Hook { get; }
    public HookKinds Kinds { get; }
    /// <summary>The inclusive address range the hook is called for (see <see cref="HookKinds"/> for which address).</summary>
    public ulong Lo { get; }
    public ulong Hi { get; }
    public bool IsAttached => _cpu is not null;

    internal bool Covers(ulong address) => address - Lo <= Hi - Lo;

    /// <summary>Whether the range meets the 4 KiB page at <paramref name="page"/> (page-aligned).</summary>
    internal bool CoversPage(ulong page) => Lo <= page + 0xFFF && Hi >= page;

    /// <summary>Detaches the hook; takes effect at the next instruction. Removing twice does nothing.</summary>
    public void Remove()
    {
        _cpu?.RemoveHook(this);
        _cpu = null;
    }

    public void Dispose() => Remove();
}
