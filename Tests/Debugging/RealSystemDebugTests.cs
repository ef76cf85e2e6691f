using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>
/// `debug` of the real system: the AegisOS kernel booted with its boot bundle as `boot` does, so the user tasks
/// hello/sensor/logger (phase O) exist and can be stopped in. References: the committed user ELFs
/// (UserImages/bin/*.elf: e_entry, llvm-nm-14 symbols, llvm-objdump-14 bytes), the committed bundle.bin, and the
/// task table of Kernel.Image/Abi (task 2 = hello, ASID = task + 1).
/// </summary>
public class RealSystemDebugTests
{
    private static string UserElf(string name) =>
        Path.Combine(Path.GetDirectoryName(BootBundle.FindDefault(TestContext.CurrentContext.TestDirectory)
            ?? throw new InvalidOperationException("UserImages/bin/bundle.bin not found"))!, name);

    /// <summary>Runs `debug [args]` with piped commands, through the command's own Run (as the CLI calls it).</summary>
    private static (int Status, string Output, string Stderr) Debug(string? bundle, bool noBundle, params string[] commands)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int status = DebugCommand.Run(null, false, null, new StringReader(string.Join('\n', commands) + "\n"), false, stdout, stderr, bundle, noBundle);
        string output = Encoding.UTF8.GetString(stdout.ToArray());
        TestContext.Out.WriteLine(output);
        TestContext.Out.WriteLine(stderr.ToString());
        return (status, output, stderr.ToString());
    }

    /// <summary>The output of one command: from its echoed "(aegis) cmd" line to the next prompt.</summary>
    private static string Reply(string output, string command, int occurrence = 1)
    {
        int start = -1;
        for (int i = 0; i < occurrence; i++)
        {
            start = output.IndexOf($"(aegis) {command}\n", start + 1, StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), $"command {command} (#{occurrence}) not run");
        }
        start += command.Length + 9;
        int end = output.IndexOf("(aegis) ", start, StringComparison.Ordinal);
        return end < 0 ? output[start..] : output[start..end];
    }

    private static ulong NmAddress(string elf, string symbol)
    {
        var m = Regex.Match(ReferenceTools.Run("llvm-nm-14", elf), $@"^([0-9a-f]{{16}}) [Tt] {Regex.Escape(symbol)}$", RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, $"llvm-nm: no {symbol} in {elf}");
        return ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber);
    }

    /// <summary>The first <paramref name="n"/> code bytes at <paramref name="address"/> as llvm-objdump-14 prints them.</summary>
    private static string ObjDumpBytes(string elf, ulong address, int n)
    {
        string dump = ReferenceTools.Run("llvm-objdump-14", $"-d --start-address=0x{address:x} --stop-address=0x{address + (ulong)n:x} {elf}");
        return string.Join(' ', Regex.Matches(dump, @"^\s*[0-9a-f]+:\s+((?:[0-9a-f]{2} ){4})", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static string MemBytes(string reply) =>
        string.Join(' ', Regex.Matches(reply, @"^0x[0-9a-f]+: ([0-9a-f ]+)\|", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Test]
    public void DebugOfTheRealSystemBreaksAtHellosFirstInstructionAtEl0InTask2()
    {
        string hello = UserElf("hello.elf"), sensor = UserElf("sensor.elf");
        // hello's entry: its ELF header's e_entry (the slot 0 base, 0x40100000, in the task table).
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(hello).AsSpan(24));
        Assert.That(entry, Is.EqualTo(TaskTable.Tasks[2].ElfEntry));
        ulong sensorPrint = NmAddress(sensor, "print");

        var (status, output, stderr) = Debug(null, false,
            $"break 0x{entry:x}", "continue", "where", "tasks", "mem pc 16", "break sensor:print", "continue", "where");
        Assert.That(status, Is.EqualTo(0), stderr);

        // Stopped at hello's first instruction, named from hello.elf's .symtab (llvm-nm: _start at the entry).
        Assert.That(NmAddress(hello, "_start"), Is.EqualTo(entry));
        Assert.That(Reply(output, "continue"), Does.Contain($"breakpoint at 0x{entry:x} <hello:_start>\n=> 0x{entry:x16} <hello:_start>:"));
        // The kernel loaded hello from the bundle before (its own boot line), and hello has not printed yet.
        string before = output[..output.IndexOf("(aegis) where", StringComparison.Ordinal)];
        Assert.That(before, Does.Contain($"[AegisOS] task 2 (hello) loaded from ELF (entry=0x{entry:X16})"));
        Assert.That(before, Does.Not.Contain("L5:ELF"));

        // EL0, task 2, ASID 3 (TaskTable.Asid: task + 1), as the task view shows.
        string where = Reply(output, "where");
        Assert.That(where, Does.StartWith($"EL0 SPSel 0, PC 0x{entry:x} <hello:_start>"));
        Assert.That(where, Does.Contain($"AegisOS current_task 2 (hello), TTBR0_EL1 ASID {TaskTable.Asid(2)} (task 2 hello)"));
        Assert.That(TaskTable.Asid(2), Is.EqualTo(3UL));
        Assert.That(Reply(output, "tasks"), Does.Match(@"\n=>2\s+hello\s+Running\s+0\s+0\s+hello @ 0x40100000\n"));

        // The code at PC is hello.elf's, byte for byte (llvm-objdump of the ELF).
        Assert.That(MemBytes(Reply(output, "mem pc 16")), Is.EqualTo(ObjDumpBytes(hello, entry, 16)));

        // A symbol of another bundle ELF: sensor's print, reached in task 3 (ASID 4) after hello printed.
        Assert.That(Reply(output, "break sensor:print"), Does.Contain($"breakpoint at 0x{sensorPrint:x} <sensor:print>"));
        Assert.That(Reply(output, "continue", 2), Does.Contain($"breakpoint at 0x{sensorPrint:x} <sensor:print>"));
        string where2 = Reply(output, "where", 2);
        Assert.That(where2, Does.StartWith($"EL0 SPSel 0, PC 0x{sensorPrint:x} <sensor:print>"));
        Assert.That(where2, Does.Contain($"AegisOS current_task 3 (sensor), TTBR0_EL1 ASID {TaskTable.Asid(3)} (task 3 sensor)"));
        Assert.That(output, Does.Contain("L5:ELF "), "hello ran its first print before sensor's (UserImages/hello/hello.c)");
    }

    [Test]
    public void DebugPlacesTheBundleAsBootDoesAndNoBundleLeavesItOut()
    {
        // The committed bundle's first bytes ("AGBN" magic, docs/BOOT-BUNDLE.md) at 0x42000000 before the first
        // instruction; --no-bundle leaves that RAM zero; --bundle FILE places FILE.
        byte[] committed = File.ReadAllBytes(BootBundle.FindDefault(TestContext.CurrentContext.TestDirectory)!);
        string expected = string.Join(' ', committed.Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        Assert.That(committed.AsSpan(0, 4).ToArray(), Is.EqualTo("AGBN"u8.ToArray()));

        var (_, byDefault, _) = Debug(null, false, "mem 0x42000000 16");
        Assert.That(MemBytes(Reply(byDefault, "mem 0x42000000 16")), Is.EqualTo(expected));
        var (_, none, _) = Debug(null, true, "mem 0x42000000 16", "tasks");
        Assert.That(MemBytes(Reply(none, "mem 0x42000000 16")), Is.EqualTo(string.Join(' ', Enumerable.Repeat("00", 16))));
        Assert.That(Reply(none, "tasks"), Does.Contain("2    hello ").And.Not.Contain(" @ 0x"), "no user ELF to name");

        string dir = Directory.CreateTempSubdirectory("aegis-dbg-").FullName;
        try
        {
            // A bundle of sensor alone in slot 0: its code is then task 2's (`aegis-emu bundle`, docs/BOOT-BUNDLE.md).
            string custom = Path.Combine(dir, "one.bin");
            Assert.That(Emu.Cli.Run(["bundle", "-o", custom, UserElf("sensor.elf") + ":0:only"], Stream.Null, new StringWriter()), Is.EqualTo(0));
            var (status, output, _) = Debug(custom, false, "mem 0x42000000 4", "tasks");
            Assert.That(status, Is.EqualTo(0));
            byte[] bytes = File.ReadAllBytes(custom);
            Assert.That(MemBytes(Reply(output, "mem 0x42000000 4")), Is.EqualTo(string.Join(' ', bytes.Take(4).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))));
            Assert.That(Reply(output, "tasks"), Does.Contain("only @ 0x40100000"));
        }
        finally { Directory.Delete(dir, true); }
    }

    private static (int Status, string Stdout, string Stderr) Cli(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int status = Emu.Cli.Run(args, stdout, stderr);
        return (status, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Test]
    public void BadBundleOptionsAreUsageErrors()
    {
        string dir = Directory.CreateTempSubdirectory("aegis-dbg-").FullName;
        try
        {
            string missing = Path.Combine(dir, "nope.bin");
            string big = Path.Combine(dir, "big.bin");
            File.WriteAllBytes(big, new byte[BootBundle.MaxSize + 1]);
            string sample = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf");
            var cases = new (string[] Args, string Error)[]
            {
                (["debug", "--bundle", missing], $"{missing}: no such file"),
                (["debug", "--bundle", dir], $"{dir}: is a directory, not a boot bundle"),
                (["debug", "--bundle", big], $"{big}: {BootBundle.MaxSize + 1} bytes, a boot bundle is at most {BootBundle.MaxSize}"),
                (["debug", "--bundle", UserElf("bundle.bin"), "--no-bundle"], "give --bundle or --no-bundle, not both"),
                (["debug", sample, "--bundle", UserElf("bundle.bin")], "hello-O2.elf: --bundle needs an AegisOS kernel image (this ELF has no current_task and tcbs symbols)"),
                (["boot", "--bundle", missing], $"{missing}: no such file"),
            };
            foreach (var (args, error) in cases)
            {
                var (status, stdout, stderr) = Cli(args);
                Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage), string.Join(' ', args));
                Assert.That(stderr, Is.EqualTo($"aegis-emu: error: {error}\n"), string.Join(' ', args));
                Assert.That(stdout, Is.Empty, "nothing ran");
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
