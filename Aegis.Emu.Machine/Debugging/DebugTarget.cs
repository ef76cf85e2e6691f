using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Debugging;

/// <summary>Why a debugger-controlled run stopped.</summary>
public enum StopKind { Step, Breakpoint, Watchpoint, Interrupted, Exited, Stuck, Limit, HistoryStart }

/// <summary>How a breakpoint was set (GDB reports swbreak or hwbreak; both are PC checks here).</summary>
public enum BreakKind { Software, Hardware }

/// <summary>A write watchpoint: <see cref="Length"/> bytes at a virtual address, watched at the physical RAM it mapped to when set.</summary>
public sealed class Watchpoint(ulong address, int length, long ramOffset, byte[] snapshot)
{
    public ulong Address { get; } = address;
    public int Length { get; } = length;
    public long RamOffset { get; } = ramOffset;
    public byte[] Snapshot { get; } = snapshot;
}

/// <summary>The outcome of a step or resume. For a watchpoint, <see cref="WriterPc"/> is the instruction that wrote.</summary>
public sealed record StopInfo(StopKind Kind, ulong Pc, Watchpoint? Watch = null, ulong WriterPc = 0, byte[]? Old = null, byte[]? New = null);

/// <summary>
/// A virt board under debugger control: breakpoints are PC checks between single steps (guest memory is never
/// patched), write watchpoints compare the watched RAM bytes after each step, and memory is accessed as a debugger
/// would (translated in the current regime without permission checks, no guest exception, RAM only).
/// Deterministic: nothing here depends on host time.
/// </summary>
public sealed partial class DebugTarget
{
    /// <summary>How many steps run between checks of the interrupt request (GDB's 0x03, Ctrl-C).</summary>
    public const int InterruptCheckInterval = 4096;

    public VirtBoard Board { get; }
    public Cpu Cpu => Board.Cpu;
    public KernelSymbols Symbols { get; }
    public DwarfLineTable Lines { get; }
    /// <summary>The AegisOS machine when the image is an AegisOS kernel booted as `boot` does (tasks, accounting), else null.</summary>
    public AegisOsMachine? Os { get; }
    /// <summary>The boot bundle's user ELF images (symbols and lines for EL0 code), empty without a bundle.</summary>
    public IReadOnlyList<UserImage> UserImages { get; } = [];
    /// <summary>Directories where source paths of the line tables are looked up (Kernel.Image/ for bin/aegis.elf).</summary>
    public IReadOnlyList<string> SourceRoots { get; }
    public Dictionary<ulong, BreakKind> Breakpoints { get; } = [];
    public List<Watchpoint> Watchpoints { get; } = [];
    public bool Exited { get; private set; }

    /// <summary>A fresh virt board with <paramref name="image"/> loaded (any bare-metal ELF).</summary>
    public DebugTarget(byte[] image, bool el2, string? imagePath = null, string? timing = null)
        : this(NewBoard(image, el2, timing ?? VirtBoardOptions.DefaultTiming), image, imagePath) { }

    /// <summary>An AegisOS kernel booted as `boot` boots it (<paramref name="machine"/>: bundle placed, tasks accounted);
    /// the bundle's user ELFs are read for names and lines of EL0 code.</summary>
    public DebugTarget(AegisOsMachine machine, byte[] image, string? imagePath, byte[]? bundle, string? bundlePath = null)
        : this(machine.Board, image, imagePath)
    {
        Os = machine;
        RestartHistory(); // checkpoints with the task accounting in them
        UserImages = UserImage.FromBundle(bundle);
        // User ELF sources: next to the bundle file (UserImages/bin/ -> UserImages/), as for the kernel.
        if (UserImages.Count > 0 && (bundlePath ?? BootBundle.FindDefault()) is { } b)
            SourceRoots = [.. SourceRoots, .. Coverage.CodeImage.RootsOf(b)];
    }

    /// <summary>A board already created (and the image loaded) as a command creates it: `run --gdb`.</summary>
    public DebugTarget(VirtBoard board, byte[] image, string? imagePath)
    {
        Board = board;
        // A Linux Image or raw binary (`run --kernel`) has no symbol table: gdb brings its own (vmlinux).
        Symbols = ElfImage.HasMagic(image) ? KernelSymbols.Parse(image) : KernelSymbols.None(board.Cpu.PC);
        Lines = DwarfLineTable.FromElf(image);
        SourceRoots = imagePath is null ? [] : Coverage.CodeImage.RootsOf(imagePath);
        History = new ExecutionHistory(board);
    }

    private static VirtBoard NewBoard(byte[] image, bool el2, string timing)
    {
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2, Timing = timing });
        board.LoadElf(image);
        return board;
    }

    // ---- memory -----------------------------------------------------------------------------------

    private bool TryRamOffset(ulong va, int length, out long offset)
    {
        offset = -1;
        // No permission checks (kernel data stays readable from an EL0 stop) and no TLB fills: see TranslateForDebugger.
        if (!Cpu.Mmu.TranslateForDebugger(va, Cpu.EL, out ulong pa)) return false;
        offset = Cpu.Bus.RamOffset(pa, length);
        return offset >= 0;
    }

    /// <summary>Reads as many bytes as are readable from <paramref name="va"/>; returns how many.</summary>
    public int Read(ulong va, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int chunk = (int)Math.Min((ulong)(destination.Length - done), 0x1000 - (va & 0xFFF));
            if (!TryRamOffset(va, chunk, out long off)) break;
            Cpu.Bus.Ram.Slice((int)off, chunk).CopyTo(destination[done..]);
            done += chunk;
            va += (ulong)chunk;
        }
        return done;
    }

    public bool TryReadU64(ulong va, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        bool ok = Read(va, b) == 8;
        value = ok ? BitConverter.ToUInt64(b) : 0;
        return ok;
    }

    public bool TryReadU32(ulong va, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        bool ok = Read(va, b) == 4;
        value = ok ? BitConverter.ToUInt32(b) : 0;
        return ok;
    }

    /// <summary>Writes RAM through the bus (so decoded code in the page is dropped); false at the first unwritable byte.</summary>
    public bool Write(ulong va, ReadOnlySpan<byte> source)
    {
        for (int i = 0; i < source.Length; i++)
        {
            if (!TryRamOffset(va + (ulong)i, 1, out long off)) return false;
            Cpu.Bus.Write(Cpu.Bus.RamBase + (ulong)off, 1, source[i]);
        }
        RefreshWatchSnapshots();
        History.Diverged();
        return true;
    }

    // ---- breakpoints and watchpoints ------------------------------------------------------------------

    /// <summary>Watches writes to [va, va+length); false when that range is not RAM in the current regime.</summary>
    public Watchpoint? AddWatch(ulong va, int length)
    {
        if (length <= 0 || length > 4096 || !TryRamOffset(va, length, out long off)) return null;
        var w = new Watchpoint(va, length, off, Cpu.Bus.Ram.Slice((int)off, length).ToArray());
        Watchpoints.Add(w);
        return w;
    }

    private void RefreshWatchSnapshots()
    {
        foreach (var w in Watchpoints)
            Cpu.Bus.Ram.Slice((int)w.RamOffset, w.Length).CopyTo(w.Snapshot);
    }

    private StopInfo? CheckWatchpoints(ulong writerPc)
    {
        foreach (var w in Watchpoints)
        {
            var now = Cpu.Bus.Ram.Slice((int)w.RamOffset, w.Length);
            if (now.SequenceEqual(w.Snapshot)) continue;
            var old = w.Snapshot.ToArray();
            now.CopyTo(w.Snapshot);
            return new StopInfo(StopKind.Watchpoint, Cpu.PC, w, writerPc, old, now.ToArray());
        }
        return null;
    }

    // ---- execution ----------------------------------------------------------------------------------

    /// <summary>One step: an instruction, or an exception entry (an interrupt taken).</summary>
    public StopInfo Step()
    {
        if (Exited) return new StopInfo(StopKind.Exited, Cpu.PC);
        ulong pc = Cpu.PC;
        var reason = RunForward(1);
        if (reason == StopReason.GuestExit) { Exited = true; return new StopInfo(StopKind.Exited, Cpu.PC); }
        if (reason == StopReason.WaitForever) return new StopInfo(StopKind.Stuck, Cpu.PC);
        return CheckWatchpoints(pc) ?? new StopInfo(StopKind.Step, Cpu.PC);
    }

    /// <summary>
    /// Runs until a breakpoint (never the one at the starting PC: the first step always executes), a watchpoint,
    /// <paramref name="until"/> is reached, <paramref name="maxSteps"/> run out, the guest exits, or
    /// <paramref name="interrupted"/> answers true (asked every <see cref="InterruptCheckInterval"/> steps).
    /// </summary>
    public StopInfo Resume(ulong maxSteps = ulong.MaxValue, ulong? until = null, Func<bool>? interrupted = null) =>
        Resume(maxSteps, until is { } u ? () => Cpu.PC == u : null, interrupted);

    private StopInfo Resume(ulong maxSteps, Func<bool>? arrived, Func<bool>? interrupted)
    {
        for (ulong n = 0; ; )
        {
            if (n >= maxSteps) return new StopInfo(StopKind.Limit, Cpu.PC);
            if (n > 0 && n % InterruptCheckInterval == 0 && interrupted is not null && interrupted())
                return new StopInfo(StopKind.Interrupted, Cpu.PC);
            if (arrived is null && Breakpoints.Count == 0 && Watchpoints.Count == 0 && !Exited)
            {
                // Nothing to check between steps: run a chunk at full speed.
                ulong chunk = Math.Min(maxSteps - n, InterruptCheckInterval - n % InterruptCheckInterval);
                ulong before = Cpu.Steps;
                var reason = RunForward(chunk);
                n += Math.Max(Cpu.Steps - before, 1);
                if (reason == StopReason.GuestExit) { Exited = true; return new StopInfo(StopKind.Exited, Cpu.PC); }
                if (reason == StopReason.WaitForever) return new StopInfo(StopKind.Stuck, Cpu.PC);
                continue;
            }
            var s = Step();
            n++;
            if (s.Kind != StopKind.Step) return s;
            if (arrived is not null && arrived()) return s;
            if (Breakpoints.ContainsKey(Cpu.PC)) return new StopInfo(StopKind.Breakpoint, Cpu.PC);
        }
    }

    /// <summary>The return address when the instruction at PC is BL or BLR (a call to step over), else null.</summary>
    public ulong? CallReturnAddress()
    {
        if (!TryReadU32(Cpu.PC, out uint w)) return null;
        bool bl = (w & 0xFC00_0000) == 0x9400_0000;
        bool blr = (w & 0xFFFF_FC1F) == 0xD63F_0000;
        return bl || blr ? Cpu.PC + 4 : null;
    }

    /// <summary>
    /// Steps once, over a call: a BL/BLR runs until it returns — PC at the return address, at the same EL, with SP
    /// back at or above its value at the call (so a recursive call's inner returns to the same address do not stop it)
    /// — or another stop (breakpoint, watchpoint, exit, interrupt).
    /// </summary>
    public StopInfo Next(Func<bool>? interrupted = null)
    {
        if (CallReturnAddress() is not { } ret) return Step();
        ulong sp = Cpu.SP;
        int el = Cpu.EL;
        return Resume(ulong.MaxValue, () => Cpu.PC == ret && Cpu.EL == el && Cpu.SP >= sp, interrupted);
    }

    // ---- names --------------------------------------------------------------------------------------

    /// <summary>An address, a symbol (kernel, or a user ELF's: TASK:SYMBOL, or SYMBOL when only one user ELF has it),
    /// symbol+offset (hex or decimal offset), pc or sp.</summary>
    public bool TryParseAddress(string text, out ulong address)
    {
        text = text.Trim().TrimStart('*');
        if (TryGetSymbol(text, out var s)) { address = s.Address; return true; }
        int plus = text.IndexOf('+');
        if (plus > 0 && TryGetSymbol(text[..plus], out s) && TryParseNumber(text[(plus + 1)..], out ulong off))
        {
            address = s.Address + off;
            return true;
        }
        if (text.Equals("pc", StringComparison.OrdinalIgnoreCase) || text == "$pc") { address = Cpu.PC; return true; }
        if (text.Equals("sp", StringComparison.OrdinalIgnoreCase) || text == "$sp") { address = Cpu.SP; return true; }
        return TryParseNumber(text, out address);
    }

    /// <summary>A kernel symbol; else "IMAGE:SYMBOL" of a bundle ELF; else a symbol exactly one bundle ELF defines.</summary>
    public bool TryGetSymbol(string name, out KernelSymbol symbol)
    {
        if (Symbols.TryGet(name, out symbol)) return true;
        int colon = name.IndexOf(':');
        if (colon > 0)
        {
            string image = name[..colon], sym = name[(colon + 1)..];
            foreach (var u in UserImages)
                if (u.Name == image && u.Symbols.TryGet(sym, out symbol)) return true;
            return false;
        }
        int found = 0;
        foreach (var u in UserImages)
            if (u.Symbols.TryGet(name, out var s)) { symbol = s; found++; }
        if (found == 1) return true;
        symbol = default;
        return false;
    }

    public static bool TryParseNumber(string text, out ulong value)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out value);
        return ulong.TryParse(text, out value);
    }

    /// <summary>The bundle ELF whose slot holds <paramref name="address"/>, or null.</summary>
    public UserImage? UserImageAt(ulong address)
    {
        foreach (var u in UserImages)
            if (u.Contains(address)) return u;
        return null;
    }

    /// <summary>"symbol" or "symbol+0xoff" ("hello:symbol" in a bundle ELF's slot): a sized symbol containing the
    /// address, else the nearest label below within 64 KiB; ELF mapping symbols ($x, $d) and file names are skipped.
    /// Null when none.</summary>
    public string? Describe(ulong address) =>
        UserImageAt(address) is { } u && u.Symbols.Describe(address) is { } name ? $"{u.Name}:{name}" : Symbols.Describe(address);

    /// <summary>The source line of an address: a bundle ELF's line table in its slot, else the image's.</summary>
    public LineRow? LineAt(ulong address) => UserImageAt(address)?.Lines.Lookup(address) ?? Lines.Lookup(address);

    /// <summary>The address of FILE:LINE in the image's line table, else in a bundle ELF's.</summary>
    public ulong? AddressOfLine(string file, int line)
    {
        if (Lines.AddressOf(file, line) is { } a) return a;
        foreach (var u in UserImages)
            if (u.Lines.AddressOf(file, line) is { } b) return b;
        return null;
    }

    /// <summary>The source file for a line-table path, searched under <see cref="SourceRoots"/>.</summary>
    public string? FindSource(string path)
    {
        if (Path.IsPathRooted(path)) return File.Exists(path) ? path : null;
        foreach (var root in SourceRoots)
        {
            string p = Path.Combine(root, path);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
