using System.Globalization;
using System.Text.RegularExpressions;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>
/// The console debugger driven by piped commands (as `debug IMAGE &lt; script`). References: the ELF's symbol
/// table, llvm-objdump-14 (bytes and mnemonics), llvm-addr2line-14 (file:line), the committed C sources.
/// </summary>
public class DebugConsoleTests
{
    private static string Session(string image, params string[] commands)
    {
        var target = new DebugTarget(File.ReadAllBytes(image), el2: false, image);
        var output = new StringWriter();
        target.Board.ConsoleOutput = b => output.Write((char)b);
        new DebugConsole(target, new StringReader(string.Join('\n', commands) + "\n"), output).Run();
        TestContext.Out.WriteLine(output.ToString());
        return output.ToString();
    }

    /// <summary>The output of one command: from its echoed "(aegis) cmd" line to the next prompt.</summary>
    private static string Reply(string output, string command)
    {
        int start = output.IndexOf($"(aegis) {command}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"command {command} not run");
        start += command.Length + 9;
        int end = output.IndexOf("(aegis) ", start, StringComparison.Ordinal);
        return end < 0 ? output[start..] : output[start..end];
    }

    private static string ObjDump(string image, ulong from, ulong to) =>
        ReferenceTools.Run("llvm-objdump-14", $"-d --start-address=0x{from:x} --stop-address=0x{to:x} {image}");

    [Test]
    public void KernelBreakStepNextRegsMemDisasListWhere()
    {
        string image = KernelSymbols.FindImage();
        var sym = KernelSymbols.Load(image);
        ulong km = sym.Address("kernel_main");
        string output = Session(image, "break kernel_main", "continue", "regs", "mem kernel_main 24", "disas kernel_main 6", "list", "where",
            "step 4", "next", "quit", "step");

        // break/continue by symbol: the ELF's address.
        Assert.That(Reply(output, "break kernel_main"), Does.Contain($"breakpoint at 0x{km:x} <kernel_main>"));
        Assert.That(Reply(output, "continue"), Does.StartWith($"breakpoint at 0x{km:x} <kernel_main>\n=> 0x{km:x16} <kernel_main>:"));

        // regs: pc, EL1 with SP_EL1 selected (the kernel runs on SP_EL1), all of x0..x30.
        string regs = Reply(output, "regs");
        Assert.That(regs, Does.Contain($"pc  0x{km:x16} <kernel_main>"));
        Assert.That(regs, Does.Contain("EL1  SPSel 1"));
        for (int r = 0; r < 31; r++) Assert.That(regs, Does.Match($@"\bx{r}\s+0x[0-9a-f]{{16}}"));

        // mem and disas: bytes and mnemonics as llvm-objdump shows them in the ELF (code is not modified at boot).
        string dump = ObjDump(image, km, km + 24);
        var objLines = Regex.Matches(dump, @"^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} ){4})\s*(\S+)", RegexOptions.Multiline);
        Assert.That(objLines, Has.Count.EqualTo(6));
        string objBytes = string.Concat(objLines.Select(m => m.Groups[2].Value));
        string mem = Reply(output, "mem kernel_main 24");
        string memBytes = string.Join(' ', Regex.Matches(mem, @"^0x[0-9a-f]+: ([0-9a-f ]+)\|", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.That(memBytes, Is.EqualTo(objBytes.Trim()));
        var disLines = Reply(output, "disas kernel_main 6").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(disLines, Has.Length.EqualTo(6));
        Assert.That(disLines[0], Does.StartWith("=> "), "PC is marked");
        for (int i = 0; i < 6; i++)
        {
            Assert.That(disLines[i], Does.Contain($"0x{km + (ulong)(4 * i):x16} <kernel_main{(i == 0 ? "" : $"+0x{4 * i:x}")}>"));
            string mnemonic = objLines[i].Groups[3].Value;
            Assert.That(Regex.Match(disLines[i], @":\s+[0-9a-f]{8}\s+(\S+)").Groups[1].Value, Is.EqualTo(mnemonic), disLines[i]);
        }

        // list: file:line as llvm-addr2line gives it, then the committed source line, marked.
        string a2l = ReferenceTools.Run("llvm-addr2line-14", $"-e {image} 0x{km:x}").Trim();
        string fileLine = a2l.StartsWith("./", StringComparison.Ordinal) ? a2l[2..] : a2l;
        string list = Reply(output, "list");
        Assert.That(list, Does.StartWith(fileLine + "\n"));
        int line = int.Parse(fileLine[(fileLine.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        string source = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(image))!, fileLine[..fileLine.LastIndexOf(':')]))[line - 1];
        Assert.That(list, Does.Contain($"=>{line,5}  {source}\n"));

        // where: before the scheduler runs, current_task is 0 and TTBR0 holds the boot address space (ASID 0).
        Assert.That(Reply(output, "where"), Does.Contain("AegisOS current_task 0 (uart_driver), TTBR0_EL1 ASID 0"));

        // step 4 reaches the BL to uart_print (llvm-objdump: kernel_main+0x10); next runs the call and stops after it.
        Assert.That(objLines[4].Groups[3].Value, Is.EqualTo("bl"));
        Assert.That(Reply(output, "step 4"), Does.StartWith($"=> 0x{km + 0x10:x16}"));
        Assert.That(Reply(output, "next"), Does.Contain($"=> 0x{km + 0x14:x16}"));
        Assert.That(output, Does.Not.Contain("(aegis) step\n"), "quit ends the session");
    }

    [Test]
    public void WatchStopsAtTheWritingInstruction()
    {
        string image = KernelSymbols.FindImage();
        var sym = KernelSymbols.Load(image);
        ulong currentTask = sym.Address("current_task");
        string output = Session(image, "watch current_task", "continue", "where");
        string hit = Reply(output, "continue");
        var m = Regex.Match(hit, @"watchpoint 0x([0-9a-f]+) \(4 bytes\) written by 0x([0-9a-f]+) <([^>]+)>: 00000000 -> ([0-9a-f]{8})");
        Assert.That(m.Success, Is.True, hit);
        Assert.That(ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber), Is.EqualTo(currentTask));
        ulong writer = ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber);
        // llvm-objdump: the writer is a 32-bit store whose immediate offset is current_task's page offset.
        var store = Regex.Match(ObjDump(image, writer, writer + 4), @"^\s*[0-9a-f]+:.*\tstr\tw\d+, \[x\d+, #(\d+)\]", RegexOptions.Multiline);
        Assert.That(store.Success, Is.True);
        Assert.That(ulong.Parse(store.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(currentTask & 0xFFF));
        // The stop is at the instruction after the writer.
        Assert.That(hit, Does.Contain($"=> 0x{writer + 4:x16}"));
        uint newValue = BitConverter.ToUInt32(Convert.FromHexString(m.Groups[4].Value));
        Assert.That(Reply(output, "where"), Does.Contain($"AegisOS current_task {newValue} "));
    }

    [Test]
    public void BreakAtFileLineUsesTheLineTable()
    {
        string image = KernelSymbols.FindImage();
        // The line of the scheduler that switches tasks, found in the committed source (its number may change).
        var src = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(image))!, "src", "sched.c"));
        int line = Array.FindIndex(src, l => l.Trim() == "current_task = next;") + 1;
        Assert.That(line, Is.GreaterThan(0));
        string where = $"src/sched.c:{line}";
        string output = Session(image, $"break {where}", "continue", "list");
        var m = Regex.Match(Reply(output, $"break {where}"), $@"breakpoint at 0x([0-9a-f]+) <schedule\+0x[0-9a-f]+> at {Regex.Escape(where)}");
        Assert.That(m.Success, Is.True, output);
        // llvm-addr2line maps the chosen address back to the same line.
        string a2l = ReferenceTools.Run("llvm-addr2line-14", $"-e {image} 0x{m.Groups[1].Value}").Trim();
        Assert.That(a2l, Is.EqualTo("./" + where));
        Assert.That(Reply(output, "continue"), Does.Contain($"breakpoint at 0x{m.Groups[1].Value} <schedule"));
        Assert.That(Reply(output, "list"), Does.Contain($"=>{line,5}  {src[line - 1]}\n"));
    }

    [Test]
    public void WhereInAUserTaskNamesItAndItsAsid()
    {
        // uart_driver_entry is task 0's EL0 entry (Kernel.Image/Abi/TaskTable.cs); its ASID is task + 1.
        string output = Session(KernelSymbols.FindImage(), "break uart_driver_entry", "continue", "where", "mem current_task 4");
        string where = Reply(output, "where");
        Assert.That(where, Does.StartWith("EL0 SPSel 0, PC "));
        Assert.That(where, Does.Contain($"AegisOS current_task 0 (uart_driver), TTBR0_EL1 ASID {Aegis.Kernel.Image.Abi.TaskTable.Asid(0)} (task 0 uart_driver)"));
        // Kernel data stays readable from an EL0 stop (a debugger ignores permissions).
        Assert.That(Reply(output, "mem current_task 4"), Does.Contain(": 00 00 00 00"));
    }

    [Test]
    public void SampleRunsToExitWithBreakpointAndListOnHello()
    {
        string image = Path.Combine(GuestPrograms.SamplesDir, "bin", "hello-O2.elf");
        ulong main = KernelSymbols.Load(image).Address("main");
        string output = Session(image, "b main", "c", "list", "delete main", "c");
        Assert.That(Reply(output, "c"), Does.StartWith($"breakpoint at 0x{main:x} <main>"));
        string a2l = ReferenceTools.Run("llvm-addr2line-14", $"-e {image} 0x{main:x}").Trim();
        Assert.That(Reply(output, "list"), Does.StartWith(a2l.TrimStart('.', '/') + "\n"));
        Assert.That(Reply(output, "delete main"), Does.Contain($"deleted 0x{main:x}"));
        // hello prints its greeting and exits with status 0 by semihosting (as under QEMU, see Tests/Guests).
        Assert.That(output, Does.Contain("guest exited with status 0"));
    }

    [Test]
    public void DisassemblyLabelsAreSymbolsNotFileNamesOrMappingSymbols()
    {
        // hello-O2 starts at _start = the first RAM page of the image; what precedes it has no symbol
        // (llvm-nm: only STT_FILE names like uart.c, whose value 0 is not an address).
        string output = Session(Path.Combine(GuestPrograms.SamplesDir, "bin", "hello-O2.elf"), "disas");
        string disas = Reply(output, "disas");
        Assert.That(disas, Does.Not.Contain(".c+").And.Not.Contain("<$"));
        Assert.That(disas, Does.Contain("=> 0x0000000040080000 <_start>:"));
    }

    [Test]
    public void BadCommandsAndAddressesAreReportedNotThrown()
    {
        string output = Session(KernelSymbols.FindImage(), "frobnicate", "break no_such_symbol", "mem 0xffffffffffff0000 16", "watch 0x10", "x", "disas 0x0 1");
        Assert.That(Reply(output, "frobnicate"), Does.Contain("unknown command"));
        Assert.That(Reply(output, "break no_such_symbol"), Does.Contain("unknown address or symbol"));
        Assert.That(Reply(output, "mem 0xffffffffffff0000 16"), Does.Contain("<not readable>"));
        Assert.That(Reply(output, "watch 0x10"), Does.Contain("cannot watch"));
        Assert.That(Reply(output, "x"), Does.Contain("usage"));
        Assert.That(Reply(output, "disas 0x0 1"), Does.Contain("<not readable>"));
    }
}
