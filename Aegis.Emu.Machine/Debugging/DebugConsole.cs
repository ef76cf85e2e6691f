using System.Globalization;
using System.Text;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.Debugging;

/// <summary>
/// The `debug` command's console: reads one command a line (interactive or piped) and prints plain text.
/// Commands: step|s|si [N], next|n [N], continue|c [N], break|b [ADDR|SYMBOL[+OFF]|FILE:LINE], delete|d [ADDR|SYMBOL],
/// watch ADDR [LEN], regs|r, mem|x ADDR [LEN], disas [ADDR] [N], where|info, list|l [ADDR], tasks|t, help, quit|q.
/// Addresses: a number, a kernel symbol, a boot-bundle ELF's symbol as IMAGE:SYMBOL (hello:_start), each with +OFF.
/// Plain text unless <c>color</c> (a terminal): then the current line is highlighted with ANSI colours.
/// </summary>
public sealed class DebugConsole(DebugTarget target, TextReader input, TextWriter output, bool interactive = false, bool color = false)
{
    /// <summary>For `disas`: one Capstone handle for the console's life (its SafeHandle frees it with the console).</summary>
    private readonly Disassembler _disassembler = new();

    /// <summary>Set by Ctrl-C (interactive) to stop a running continue.</summary>
    public volatile bool InterruptRequested;

    /// <summary>Reads and runs commands until quit or the end of the input. Returns 0.</summary>
    public int Run()
    {
        output.WriteLine($"aegis debugger: PC 0x{target.Cpu.PC:x} {Label(target.Cpu.PC)}, EL{target.Cpu.EL}. Type help for commands.");
        string? last = null;
        while (true)
        {
            if (interactive) { output.Write("(aegis) "); output.Flush(); }
            string? line = input.ReadLine();
            if (line is null) break;
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                if (!interactive || last is null || line.StartsWith('#')) continue;
                line = last;
            }
            if (!interactive) output.WriteLine($"(aegis) {line}");
            last = line;
            if (!Execute(line)) break;
            output.Flush();
        }
        output.Flush();
        return 0;
    }

    /// <summary>Runs one command; false for quit.</summary>
    public bool Execute(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string cmd = words[0].ToLowerInvariant();
        var args = words[1..];
        try
        {
            switch (cmd)
            {
                case "step" or "s" or "si" or "stepi": Repeat(args, () => target.Step()); break;
                case "next" or "n" or "ni" or "nexti": Repeat(args, () => target.Next(() => InterruptRequested)); break;
                case "continue" or "c" or "cont":
                    {
                        ulong max = args.Length > 0 && DebugTarget.TryParseNumber(args[0], out ulong m) ? m : ulong.MaxValue;
                        InterruptRequested = false;
                        Report(target.Resume(max, interrupted: () => InterruptRequested));
                        break;
                    }
                case "back" or "reverse-stepi" or "rsi":
                    Report(target.StepBack(args.Length > 0 && DebugTarget.TryParseNumber(args[0], out ulong back) ? Math.Max(back, 1) : 1));
                    break;
                case "reverse-continue" or "rc": Report(target.ReverseContinue()); break;
                case "break" or "b": Break(args); break;
                case "delete" or "d": Delete(args); break;
                case "watch" or "w": Watch(args); break;
                case "regs" or "r" or "registers": Registers(); break;
                case "vregs" or "v": VectorRegisters(); break;
                case "mem" or "x": Memory(args); break;
                case "disas" or "disassemble": Disassemble(args); break;
                case "where" or "info" or "bt": Where(); break;
                case "list" or "l": List(args); break;
                case "tasks" or "t": Tasks(); break;
                case "help" or "h" or "?": Help(); break;
                case "quit" or "q" or "exit": return false;
                default: output.WriteLine($"unknown command '{cmd}' (help lists them)"); break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.WriteLine($"error: {e.GetType().Name}: {e.Message}");
        }
        return true;
    }

    private void Repeat(string[] args, Func<StopInfo> step)
    {
        ulong n = args.Length > 0 && DebugTarget.TryParseNumber(args[0], out ulong v) ? Math.Max(v, 1) : 1;
        StopInfo s = new(StopKind.Step, target.Cpu.PC);
        for (ulong i = 0; i < n; i++)
        {
            s = step();
            if (s.Kind != StopKind.Step) break;
            // A breakpoint met while stepping several instructions stops the count, as in gdb.
            if (i + 1 < n && target.Breakpoints.ContainsKey(target.Cpu.PC)) { s = s with { Kind = StopKind.Breakpoint }; break; }
        }
        Report(s);
    }

    private void Report(StopInfo s)
    {
        ulong pc = target.Cpu.PC;
        switch (s.Kind)
        {
            case StopKind.Breakpoint: output.WriteLine($"breakpoint at 0x{pc:x} {Label(pc)}"); break;
            case StopKind.Watchpoint:
                output.WriteLine($"watchpoint 0x{s.Watch!.Address:x} ({s.Watch.Length} bytes) written by 0x{s.WriterPc:x} {Label(s.WriterPc)}: " +
                    $"{Convert.ToHexString(s.Old!).ToLowerInvariant()} -> {Convert.ToHexString(s.New!).ToLowerInvariant()}");
                break;
            case StopKind.Interrupted: output.WriteLine("interrupted"); break;
            case StopKind.Exited: output.WriteLine($"guest exited with status {target.Cpu.ExitCode}"); break;
            case StopKind.Stuck: output.WriteLine("WFI with nothing left to wake the CPU"); break;
            case StopKind.Limit: output.WriteLine("step limit reached"); break;
            case StopKind.HistoryStart: output.WriteLine($"start of the recorded history (step {target.History.Start})"); break;
        }
        output.WriteLine(Highlight(FormatLine(pc, current: true)));
    }

    /// <summary>Bold green on a terminal; plain text otherwise (pipes, tests).</summary>
    private string Highlight(string text) => color ? $"\u001b[1;32m{text}\u001b[0m" : text;

    private void Break(string[] args)
    {
        if (args.Length == 0)
        {
            if (target.Breakpoints.Count == 0) output.WriteLine("no breakpoints");
            foreach (var a in target.Breakpoints.Keys.Order()) output.WriteLine($"breakpoint 0x{a:x} {Label(a)}");
            foreach (var w in target.Watchpoints) output.WriteLine($"watchpoint 0x{w.Address:x} ({w.Length} bytes)");
            return;
        }
        if (!TryAddress(args[0], out ulong addr)) return;
        target.Breakpoints[addr] = BreakKind.Software;
        output.WriteLine($"breakpoint at 0x{addr:x} {Label(addr)}{SourceSuffix(addr)}");
    }

    private void Delete(string[] args)
    {
        if (args.Length == 0 || args[0] == "all")
        {
            target.Breakpoints.Clear();
            target.Watchpoints.Clear();
            output.WriteLine("deleted all breakpoints and watchpoints");
            return;
        }
        if (!TryAddress(args[0], out ulong addr)) return;
        bool removed = target.Breakpoints.Remove(addr) | target.Watchpoints.RemoveAll(w => w.Address == addr) > 0;
        output.WriteLine(removed ? $"deleted 0x{addr:x}" : $"nothing set at 0x{addr:x}");
    }

    private void Watch(string[] args)
    {
        if (args.Length == 0) { output.WriteLine("usage: watch ADDR [LEN]"); return; }
        if (!TryAddress(args[0], out ulong addr)) return;
        int len = 8;
        if (args.Length > 1)
        {
            if (!DebugTarget.TryParseNumber(args[1], out ulong l) || l == 0 || l > 4096) { output.WriteLine("LEN must be 1 to 4096"); return; }
            len = (int)l;
        }
        else if (target.TryGetSymbol(args[0], out var sym) && sym.Size is > 0 and <= 4096) len = (int)sym.Size;
        var w = target.AddWatch(addr, len);
        output.WriteLine(w is null ? $"cannot watch 0x{addr:x}: not RAM in the current translation regime" : $"watchpoint 0x{addr:x} ({len} bytes)");
    }

    private void Registers()
    {
        var c = target.Cpu;
        var sb = new StringBuilder();
        for (int i = 0; i < 31; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{"x" + i,-4}0x{c.X[i]:x16}");
            sb.Append(i % 3 == 2 ? "\n" : "  ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"{"sp",-4}0x{c.SP:x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{"pc",-4}0x{c.PC:x16} {Label(c.PC)}\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"cpsr 0x{c.PstateToSpsr():x8}  [{(c.N ? 'N' : '-')}{(c.Z ? 'Z' : '-')}{(c.C ? 'C' : '-')}{(c.V ? 'V' : '-')}]  EL{c.EL}  SPSel {(c.SpSel ? 1 : 0)}  " +
            $"DAIF={((c.Daif & 0x200) != 0 ? 'D' : '-')}{((c.Daif & 0x100) != 0 ? 'A' : '-')}{((c.Daif & 0x80) != 0 ? 'I' : '-')}{((c.Daif & 0x40) != 0 ? 'F' : '-')}\n");
        var m = c.MmuRegs;
        sb.Append(CultureInfo.InvariantCulture, $"SP_EL0   0x{c.GetSpEl(0):x16}  SP_EL1   0x{c.GetSpEl(1):x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"ELR_EL1  0x{c.ElrEl[1]:x16}  SPSR_EL1 0x{c.SpsrEl[1]:x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"ESR_EL1  0x{c.EsrEl[1]:x16}  FAR_EL1  0x{c.FarEl[1]:x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"VBAR_EL1 0x{c.VbarEl[1]:x16}  SCTLR_EL1 0x{m.SCTLR_EL1:x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"TTBR0_EL1 0x{m.TTBR0_EL1:x16}  TTBR1_EL1 0x{m.TTBR1_EL1:x16}  TCR_EL1 0x{m.TCR_EL1:x16}\n");
        if (c.HasEl2)
            sb.Append(CultureInfo.InvariantCulture, $"HCR_EL2  0x{m.HCR_EL2:x16}  ELR_EL2  0x{c.ElrEl[2]:x16}  ESR_EL2 0x{c.EsrEl[2]:x16}  VBAR_EL2 0x{c.VbarEl[2]:x16}\n");
        sb.Append(CultureInfo.InvariantCulture, $"FPSR     0x{c.Sys.FPSR:x8}  FPCR     0x{c.Sys.FPCR:x8}  CPACR_EL1 0x{c.Sys.CPACR_EL1:x8}\n");
        output.Write(sb.ToString());
    }

    private void VectorRegisters()
    {
        var c = target.Cpu;
        var sb = new StringBuilder();
        for (int n = 0; n < 32; n++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{"v" + n,-4}0x{c.Vreg[2 * n + 1]:x16}:{c.Vreg[2 * n]:x16}");
            sb.Append(n % 2 == 1 ? "\n" : "  ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"FPSR 0x{c.Sys.FPSR:x8}  FPCR 0x{c.Sys.FPCR:x8}\n");
        output.Write(sb.ToString());
    }

    private void Memory(string[] args)
    {
        if (args.Length == 0) { output.WriteLine("usage: mem ADDR [LEN]"); return; }
        if (!TryAddress(args[0], out ulong addr)) return;
        int len = 64;
        if (args.Length > 1)
        {
            if (!DebugTarget.TryParseNumber(args[1], out ulong l) || l == 0 || l > 65536) { output.WriteLine("LEN must be 1 to 65536"); return; }
            len = (int)l;
        }
        var buf = new byte[len];
        int got = target.Read(addr, buf);
        for (int off = 0; off < got; off += 16)
        {
            int n = Math.Min(16, got - off);
            var hex = new StringBuilder();
            var ascii = new StringBuilder();
            for (int i = 0; i < 16; i++)
            {
                if (i < n) { hex.Append(CultureInfo.InvariantCulture, $"{buf[off + i]:x2} "); ascii.Append(buf[off + i] is >= 0x20 and < 0x7F ? (char)buf[off + i] : '.'); }
                else hex.Append("   ");
                if (i == 7) hex.Append(' ');
            }
            output.WriteLine($"0x{addr + (ulong)off:x16}: {hex}|{ascii}|");
        }
        if (got < len) output.WriteLine($"0x{addr + (ulong)got:x16}: <not readable>");
    }

    private void Disassemble(string[] args)
    {
        ulong pc = target.Cpu.PC;
        ulong start;
        int count = 10;
        if (args.Length > 0)
        {
            if (!TryAddress(args[0], out start)) return;
            if (args.Length > 1 && DebugTarget.TryParseNumber(args[1], out ulong n)) count = (int)Math.Clamp(n, 1, 1000);
        }
        else start = pc >= 16 ? pc - 16 : 0; // a little context before PC
        start &= ~3UL;
        for (int i = 0; i < count; i++)
        {
            ulong a = start + (ulong)(4 * i);
            output.WriteLine(a == pc ? Highlight(FormatLine(a, true)) : FormatLine(a, false));
        }
    }

    /// <summary>"=> 0x... &lt;sym+off&gt;: a9bf7bfd  stp x29, x30, [sp, #-0x10]!" (current line marked "=>").</summary>
    private string FormatLine(ulong address, bool current)
    {
        string mark = current ? "=>" : "  ";
        string where = Label(address) is { Length: > 0 } l ? $"0x{address:x16} {l}" : $"0x{address:x16}";
        if (!target.TryReadU32(address, out uint word)) return $"{mark} {where}: <not readable>";
        return $"{mark} {where}: {word:x8}  {_disassembler.Disassemble(address, word)}";
    }

    private void Where()
    {
        var c = target.Cpu;
        output.WriteLine($"EL{c.EL} SPSel {(c.SpSel ? 1 : 0)}, PC 0x{c.PC:x} {Label(c.PC)}{SourceSuffix(c.PC)}, {c.Retired} instructions, {c.Cycles} cycles");
        ulong asid = c.MmuRegs.TTBR0_EL1 >> 48;
        if (target.Symbols.TryGet(TcbLayout.CurrentTaskSymbol, out var cur))
        {
            if (target.TryReadU32(cur.Address, out uint task))
            {
                string name = task < TaskTable.Tasks.Count ? TaskTable.Tasks[(int)task].Name : "?";
                output.WriteLine($"AegisOS current_task {task} ({name}), TTBR0_EL1 ASID {asid}" +
                    (asid == 0 ? " (kernel boot address space)" : asid - 1 < (ulong)TaskTable.Tasks.Count ? $" (task {asid - 1} {TaskTable.Tasks[(int)(asid - 1)].Name})" : ""));
            }
            else output.WriteLine($"AegisOS current_task at 0x{cur.Address:x} is not readable; TTBR0_EL1 ASID {asid}");
        }
        else output.WriteLine($"TTBR0_EL1 ASID {asid} (not an AegisOS image: no {TcbLayout.CurrentTaskSymbol} symbol)");
    }

    private void Tasks()
    {
        if (target.Os is not { } os) { output.WriteLine("not an AegisOS kernel booted as `boot` does: no task table"); return; }
        uint current = target.Symbols.TryGet(TcbLayout.CurrentTaskSymbol, out var cur) && target.TryReadU32(cur.Address, out uint t) ? t : uint.MaxValue;
        output.WriteLine($"  {"task",-4} {"name",-12} {"state",-9} {"EL0 instr",12} {"syscalls",10}  code");
        foreach (var task in os.Tasks())
        {
            var image = target.UserImages.FirstOrDefault(u => u.Task == task.Id);
            string code = image is not null ? $"{image.Name} @ 0x{image.Base:x}" : task.Id < TaskTable.Tasks.Count && TaskTable.Tasks[task.Id].EntrySymbol is { } e ? e : "";
            output.WriteLine($"{(task.Id == current ? "=>" : "  ")}{task.Id,-4} {task.Name,-12} {task.State,-9} {task.Instructions,12} {task.Syscalls,10}  {code}");
        }
    }

    private void List(string[] args)
    {
        ulong pc = target.Cpu.PC;
        if (args.Length > 0 && !TryAddress(args[0], out pc)) return;
        if (target.LineAt(pc) is not { } row) { output.WriteLine($"no line information for 0x{pc:x}"); return; }
        output.WriteLine($"{row.File}:{row.Line}");
        string? path = target.FindSource(row.File);
        if (path is null) { output.WriteLine($"(source {row.File} not found)"); return; }
        var lines = File.ReadAllLines(path);
        int first = Math.Max(1, row.Line - 4), last = Math.Min(lines.Length, row.Line + 5);
        for (int n = first; n <= last; n++)
        {
            string text = $"{(n == row.Line ? "=>" : "  ")}{n,5}  {lines[n - 1]}";
            output.WriteLine(n == row.Line ? Highlight(text) : text);
        }
    }

    private void Help() => output.WriteLine("""
        step|s [N]          execute N instructions (default 1)
        next|n [N]          like step, but a BL/BLR runs until it returns
        continue|c [N]      run until a breakpoint, a watchpoint, the guest's exit (or N steps)
        back [N]            go back N steps (default 1) in the recorded history (reverse-stepi)
        reverse-continue|rc go back to the last breakpoint or watchpoint change, or to where the session started
        break|b [ADDR|SYM]  set a breakpoint at ADDR, SYMBOL[+OFF] or FILE:LINE (no argument: list them);
                            a boot-bundle ELF's symbol is IMAGE:SYMBOL, e.g. hello:_start or sensor:print
        delete|d [ADDR|all] delete a breakpoint or watchpoint
        watch ADDR [LEN]    stop after an instruction changes any of LEN bytes (default: the symbol's size, or 8)
        regs|r              registers, flags, EL, SPSel, DAIF, FPSR/FPCR and key system registers
        vregs|v             the SIMD&FP registers v0-v31 (128 bits, as two 64-bit halves: high:low)
        mem|x ADDR [LEN]    hex dump of memory (debugger access: no guest exceptions)
        disas [ADDR] [N]    disassemble N instructions (default: around PC)
        where|info          EL, PC, and for AegisOS the current task and ASID
        tasks|t             AegisOS tasks: state (TCB), EL0 instructions and syscalls so far; current marked
        list|l [ADDR]       source file and line of PC or ADDR (DWARF .debug_line), with the source around it
        quit|q              leave
        """);

    private bool TryAddress(string text, out ulong addr)
    {
        if (target.TryParseAddress(text, out addr)) return true;
        int colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), out int line) && target.AddressOfLine(text[..colon], line) is { } a)
        {
            addr = a;
            return true;
        }
        output.WriteLine($"unknown address or symbol '{text}'");
        return false;
    }

    private string Label(ulong address) => target.Describe(address) is { } s ? $"<{s}>" : "";

    private string SourceSuffix(ulong address) => target.LineAt(address) is { } r ? $" at {r.File}:{r.Line}" : "";
}
