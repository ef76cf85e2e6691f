namespace Aegis.Emulator.Devices;

/// <summary>
/// Arm semihosting (Arm IHI 0099, "Semihosting for AArch32 and AArch64") behind `HLT #0xF000`, as
/// QEMU 7.2's semihosting/arm-compat-semi.c with `-semihosting`. Operation in W0, argument (usually a
/// parameter block address) in X1, result in X0. Behaviour checked on qemu-system-aarch64 7.2:
/// <code>
///   0x01 SYS_OPEN       only ":tt" (the console): mode 0-3 reads, 4-11 writes; handles count up from 1
///   0x02 SYS_CLOSE      0x03 SYS_WRITEC   0x04 SYS_WRITE0   (X0 := 0xDEADBEEF, "corrupted", as QEMU)
///   0x05 SYS_WRITE      {handle, buffer, length} -> bytes NOT written (length on a bad handle or buffer)
///   0x06 SYS_READ       {handle, buffer, length} on a ":tt" read handle -> bytes NOT read: takes what the console
///                       input holds, up to length; length when it is exhausted (end of file), and on a bad handle,
///                       a write handle or a bad buffer (errno unchanged, as QEMU)
///   0x07 SYS_READC      the next console input byte; at the end of the input -1 with errno EIO (QEMU blocks)
///   0x08 SYS_ISERROR    0x09 SYS_ISTTY    0x10 SYS_CLOCK (centiseconds)   0x11 SYS_TIME (seconds)
///   0x13 SYS_ERRNO      0x16 SYS_HEAPINFO {heap base = image end, heap limit = RAM end, stack base = RAM end, stack limit = image end}
///   0x18 SYS_EXIT, 0x20 SYS_EXIT_EXTENDED  {reason, subcode}: ADP_Stopped_ApplicationExit ends with status
///                       subcode, any other reason with status 1 (both read the block on AArch64)
///   0x30 SYS_ELAPSED (writes a 64-bit tick count at [X1])   0x31 SYS_TICKFREQ
/// </code>
/// Time is the machine's: the clocks count <see cref="Cpu.Cpu.Cycles"/> at <see cref="CyclesPerSecond"/>,
/// and SYS_TIME starts at the epoch (0), so runs are deterministic (QEMU reads host clocks).
/// No host file is ever opened: any other name for SYS_OPEN fails with ENOENT, and the operations that
/// would need the host (SEEK, FLEN, TMPNAM, REMOVE, RENAME, SYSTEM, GET_CMDLINE, and any
/// unknown number, on which QEMU aborts) return -1 with errno ENOSYS. Console output goes to
/// <see cref="Output"/>. From EL0 `HLT #0xF000` is not semihosting (QEMU's default): it is UNDEFINED.
/// <para>
/// Console input comes from <see cref="Input"/>, which the board connects to the PL011's receive side: one stream,
/// read in order by whichever asks first, the UART (UARTDR) or semihosting, as QEMU shares one chardev between
/// them (-semihosting-config chardev=). Where QEMU 7.2.22 differs (checked on it): its READC takes the chardev's
/// input, but its READ on ":tt" reads the host's stdin directly; a READC that has to wait returns 0 when the input
/// arrives; and both wait forever for input that never comes. Here the input is all known before the run
/// (--uart-input), so nothing waits: the end of the input is an end of file, and runs stay deterministic.
/// </para>
/// </summary>
public sealed partial class Semihosting
{
    public const ushort HltImmediate = 0xF000;
    public const uint SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
        SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13,
        SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31;
    public const ulong ADP_Stopped_ApplicationExit = 0x20026;
    public const ulong CorruptedResult = 0xDEAD_BEEF;
    // Linux errno values, which QEMU on a Linux host reports.
    public const int ENOENT = 2, EIO = 5, EBADF = 9, EFAULT = 14, EINVAL = 22, ENOSYS = 38;

    private enum Handle { Unused, ConsoleIn, ConsoleOut }
    private readonly List<Handle> _handles = [Handle.Unused]; // handle 0 is never returned

    /// <summary>Where console output goes (by default the board routes it with the UART's).</summary>
    public Action<byte> Output { get; set; } = _ => { };

    /// <summary>The next console input byte, or -1 at the end of the input (the board takes it from the PL011's stream).</summary>
    public Func<int> Input { get; set; } = () => -1;

    /// <summary>The rate of the clocks seen through SYS_CLOCK, SYS_TIME, SYS_ELAPSED and SYS_TICKFREQ: the CPU's clock.</summary>
    public const ulong CyclesPerSecond = Cpu.Cpu.ClockHz;

    /// <summary>RAM as SYS_HEAPINFO reports it: base, size and where the loaded image ends.</summary>
    public ulong RamBase { get; set; }
    public ulong RamSize { get; set; }
    public ulong ImageEnd { get; set; }

    /// <summary>The semihosting errno (SYS_ERRNO); set only by failing calls, as QEMU.</summary>
    public int Errno { get; private set; }

    /// <summary>Handles `HLT #imm`; false leaves it to the architecture.</summary>
    public bool Hlt(Cpu.Cpu cpu, ushort imm)
    {
        if (imm != HltImmediate || cpu.EL == 0) return false;
        Call(cpu);
        return true;
    }

    /// <summary>Performs the operation in W0 with the argument in X1.</summary>
    public void Call(Cpu.Cpu cpu)
    {
        uint op = (uint)cpu.X[0];
        ulong arg = cpu.X[1];
        switch (op)
        {
            case SYS_WRITEC:
            {
                Span<byte> c = stackalloc byte[1];
                if (GuestMemory.TryRead(cpu, arg, c)) Output(c[0]);
                cpu.X[0] = CorruptedResult;
                break;
            }
            case SYS_WRITE0:
            {
                var s = GuestMemory.TryReadCString(cpu, arg);
                if (s is not null) foreach (byte b in s) Output(b);
                cpu.X[0] = CorruptedResult;
                break;
            }
            case SYS_WRITE: Write(cpu, arg); break;
            case SYS_READ: Read(cpu, arg); break;
            case SYS_READC:
            {
                int c = Input();
                if (c < 0) Fail(cpu, EIO);
                else cpu.X[0] = (ulong)c;
                break;
            }
            case SYS_OPEN: Open(cpu, arg); break;
            case SYS_CLOSE:
            {
                if (!Arg(cpu, arg, 0, out ulong h)) break;
                if (!IsOpen(h)) { Fail(cpu, EBADF); break; }
                _handles[(int)h] = Handle.Unused;
                cpu.X[0] = 0;
                break;
            }
            case SYS_ISTTY:
            {
                if (!Arg(cpu, arg, 0, out ulong h)) break;
                if (!IsOpen(h)) { Fail(cpu, EBADF); break; }
                cpu.X[0] = 1;
                break;
            }
            case SYS_ISERROR:
                if (Arg(cpu, arg, 0, out ulong status)) cpu.X[0] = (long)status < 0 ? 1UL : 0UL;
                break;
            case SYS_ERRNO: cpu.X[0] = (ulong)Errno; break;
            case SYS_CLOCK: cpu.X[0] = (ulong)(cpu.Cycles * (UInt128)100 / CyclesPerSecond); break;
            case SYS_TIME: cpu.X[0] = cpu.Cycles / CyclesPerSecond; break;
            case SYS_TICKFREQ: cpu.X[0] = CyclesPerSecond; break;
            case SYS_ELAPSED:
                if (!GuestMemory.TryWriteU64(cpu, arg, cpu.Cycles)) { Fail(cpu, EFAULT); break; }
                cpu.X[0] = 0;
                break;
            case SYS_HEAPINFO: HeapInfo(cpu, arg); break;
            case SYS_EXIT or SYS_EXIT_EXTENDED:
            {
                // On AArch64 both take the {reason, subcode} block.
                if (!Arg(cpu, arg, 0, out ulong reason) || !Arg(cpu, arg, 1, out ulong subcode)) break;
                cpu.RequestExit(reason == ADP_Stopped_ApplicationExit ? (int)(uint)subcode : 1);
                break;
            }
            default: Fail(cpu, ENOSYS); break;
        }
    }

    private void Write(Cpu.Cpu cpu, ulong block)
    {
        if (!Arg(cpu, block, 0, out ulong h) || !Arg(cpu, block, 1, out ulong buffer) || !Arg(cpu, block, 2, out ulong length)) return;
        // A bad handle or buffer reports every byte unwritten; QEMU leaves errno alone here.
        if (!IsOpen(h) || _handles[(int)h] != Handle.ConsoleOut || length > RamSize) { cpu.X[0] = length; return; } // longer than RAM: cannot be readable
        var bytes = new byte[length];
        if (!GuestMemory.TryRead(cpu, buffer, bytes)) { cpu.X[0] = length; return; }
        foreach (byte b in bytes) Output(b);
        cpu.X[0] = 0;
    }

    private void Read(Cpu.Cpu cpu, ulong block)
    {
        if (!Arg(cpu, block, 0, out ulong h) || !Arg(cpu, block, 1, out ulong buffer) || !Arg(cpu, block, 2, out ulong length)) return;
        // As WRITE: a bad handle or buffer reads nothing and leaves errno alone (QEMU 7.2 run). The buffer is checked
        // before any input is taken, so that none is lost.
        var bytes = length <= RamSize && IsOpen(h) && _handles[(int)h] == Handle.ConsoleIn ? new byte[length] : null;
        if (bytes is null || !GuestMemory.TryRead(cpu, buffer, bytes)) { cpu.X[0] = length; return; }
        int n = 0;
        for (int c; n < bytes.Length && (c = Input()) >= 0; n++) bytes[n] = (byte)c;
        GuestMemory.TryWrite(cpu, buffer, bytes.AsSpan(0, n));
        cpu.X[0] = length - (ulong)n;
    }

    private void Open(Cpu.Cpu cpu, ulong block)
    {
        if (!Arg(cpu, block, 0, out ulong name) || !Arg(cpu, block, 1, out ulong mode) || !Arg(cpu, block, 2, out ulong length)) return;
        var bytes = length <= 4096 ? new byte[length] : null;
        if (bytes is null || !GuestMemory.TryRead(cpu, name, bytes)) { Fail(cpu, EFAULT); return; }
        if (mode > 11) { Fail(cpu, EINVAL); return; }
        if (bytes.Length != 3 || bytes[0] != ':' || bytes[1] != 't' || bytes[2] != 't') { Fail(cpu, ENOENT); return; }
        var kind = mode < 4 ? Handle.ConsoleIn : Handle.ConsoleOut;
        int h = _handles.IndexOf(Handle.Unused, 1);
        if (h < 0) { h = _handles.Count; _handles.Add(kind); }
        else _handles[h] = kind;
        cpu.X[0] = (ulong)h;
    }

    private void HeapInfo(Cpu.Cpu cpu, ulong arg)
    {
        if (!Arg(cpu, arg, 0, out ulong block)) return;
        ulong ramEnd = RamBase + RamSize;
        ulong heapBase = ImageEnd > RamBase && ImageEnd <= ramEnd ? ImageEnd : RamBase;
        ulong[] values = [heapBase, ramEnd, ramEnd, heapBase];
        for (int i = 0; i < values.Length; i++)
            if (!GuestMemory.TryWriteU64(cpu, block + (ulong)i * 8, values[i])) { Fail(cpu, EFAULT); return; }
        cpu.X[0] = 0;
    }

    private bool IsOpen(ulong h) => h < (ulong)_handles.Count && _handles[(int)h] != Handle.Unused;

    /// <summary>Reads field <paramref name="n"/> of a parameter block; on failure X0 = -1, errno EFAULT (QEMU GET_ARG).</summary>
    private bool Arg(Cpu.Cpu cpu, ulong block, int n, out ulong value)
    {
        if (GuestMemory.TryReadU64(cpu, block + (ulong)n * 8, out value)) return true;
        Fail(cpu, EFAULT);
        return false;
    }

    private void Fail(Cpu.Cpu cpu, int errno)
    {
        Errno = errno;
        cpu.X[0] = ulong.MaxValue;
    }
}
