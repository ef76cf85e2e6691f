using System.Buffers.Binary;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Kernel.Boot;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.PhaseO;

/// <summary>
/// The boot bundle (docs/BOOT-BUNDLE.md): malformed entries are refused one by one with their own line while
/// the rest boots; a bad bundle header loads nothing and the kernel still runs; the `aegis-emu bundle` command
/// reproduces the committed bundle; the kernel's bytes hold no user program.
/// </summary>
public class BundleTests
{
    private static string UserImages => Path.GetDirectoryName(Path.GetDirectoryName(KernelBoot.BundlePath)!)!;
    private static byte[] Elf(string name) => File.ReadAllBytes(Path.Combine(UserImages, "bin", name + ".elf"));

    /// <summary>hello.elf with its first PT_LOAD's flags replaced (ELF64: e_phoff at 32, p_flags at +4).</summary>
    private static byte[] WithFlags(byte[] elf, uint flags)
    {
        var b = (byte[])elf.Clone();
        int ph = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32));
        int phent = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(54)), phnum = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(56));
        for (int i = 0; i < phnum; i++, ph += phent)
            if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(ph)) == 1) { BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(ph + 4), flags); break; }
        return b;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void MalformedEntriesAreRefusedAndTheRestRuns(bool el2)
    {
        byte[] hello = Elf("hello");
        var badMagic = (byte[])hello.Clone(); badMagic[1] = (byte)'X';
        var wrongArch = (byte[])hello.Clone(); BinaryPrimitives.WriteUInt16LittleEndian(wrongArch.AsSpan(18), 62); // EM_X86_64
        byte[] wx = WithFlags(Elf("logger"), 7); // PF_R | PF_W | PF_X, linked for slot 2
        var tooLarge = new byte[17_000]; hello.CopyTo(tooLarge, 0);
        byte[] bundle = BootBundle.Build([
            new(0, 2, "hello", hello),
            new(1, 3, "badmagic", badMagic),
            new(2, 4, "wx", wx),
            new(3, 5, "wrongarch", wrongArch),
            new(4, 6, "toolarge", tooLarge),
            new(5, 7, "badentry", hello), // slot 5 / task 7: the idle task never gets an ELF
        ]);
        var boot = KernelBoot.OnEmulator(KernelBoot.Image(), bundle, el2, 300_000_000);
        string o = boot.Uart;
        // Error lines: src/bundle.c (entry checks) and REF §8's "!!! ELF load failed for <name>: <msg>", with the
        // parser's error name (REF §8 error names) appended.
        Assert.That(KernelBoot.FirstMissing(o, Enumerable.Range(1, 18)), Is.Null, () => PhaseOBoot.Head(o));
        string[] expected =
        [
            "[AegisOS] task 2 (hello) loaded from ELF (entry=0x0000000040100000)\n",
            "!!! ELF load failed for badmagic: ELF parse failed (BadMagic)\n",
            "!!! ELF load failed for wx: ELF load failed (WxViolation)\n",
            "!!! ELF load failed for wrongarch: ELF parse failed (WrongArch)\n",
            "!!! boot bundle entry 4 rejected: image larger than its 16 KiB slot\n",
            "!!! boot bundle entry 5 rejected: task does not match slot (task = slot + 2, never idle)\n",
            "[AegisOS] multi-ELF loading complete\n",
            "[AegisOS] bootstrapping into uart_driver",
            "L5:ELF", KernelBoot.HelloExited, "J4:UserDrv",
        ];
        int pos = 0;
        foreach (var line in expected)
        {
            int i = o.IndexOf(line, pos, StringComparison.Ordinal);
            Assert.That(i, Is.GreaterThanOrEqualTo(0), () => $"missing or out of order: {line}\n{PhaseOBoot.Head(o)}");
            pos = i + line.Length;
        }
        foreach (var bad in new[] { "FAULTED", "WATCHDOG", "PANIC", "HALTED", "SENSOR:init", "LOGGER:init" })
            Assert.That(o, Does.Not.Contain(bad));
        // Tasks whose image was refused are never scheduled (docs/PHASE-O-DECISIONS.md); idle is untouched.
        var tasks = boot.Machine.Tasks();
        foreach (int t in new[] { 3, 4, 5, 6 })
        {
            Assert.That(tasks[t].State, Is.EqualTo(TaskState.Inactive), $"task {t}");
            Assert.That(tasks[t].Instructions, Is.Zero, $"task {t}");
        }
        Assert.That(tasks[2].State, Is.EqualTo(TaskState.Exited));
    }

    /// <summary>
    /// BootBundle.Read (the debugger's view of a bundle) keeps exactly the entries src/bundle.c's header and entry
    /// checks pass to load_elf_to_task: the committed bundle round-trips; of the rows below, the too-large image, the
    /// idle-task row, a reused slot and a non-zero reserved field are dropped (check_entry); a bad checksum keeps none.
    /// </summary>
    [Test]
    public void ReadKeepsTheEntriesTheKernelChecksPass()
    {
        byte[] committed = KernelBoot.Bundle()!;
        var entries = BootBundle.Read(committed);
        Assert.That(entries.Select(e => (e.Slot, e.Task, e.Name)), Is.EqualTo(new[] { ((byte)0, (byte)2, "hello"), ((byte)1, (byte)3, "sensor"), ((byte)2, (byte)4, "logger") }));
        Assert.That(BootBundle.Build(entries), Is.EqualTo(committed), "Read is the inverse of Build");
        Assert.That(entries[0].Image, Is.EqualTo(Elf("hello")));

        byte[] hello = Elf("hello");
        byte[] malformed = BootBundle.Build([
            new(0, 2, "hello", hello), new(1, 3, "badmagic", hello), new(4, 6, "toolarge", new byte[17_000]),
            new(5, 7, "badentry", hello), new(0, 2, "again", hello),
        ]);
        Assert.That(BootBundle.Read(malformed).Select(e => e.Name), Is.EqualTo(new[] { "hello", "badmagic" }), "too large, idle task, slot already used");
        malformed[BootBundle.HeaderSize + BootBundle.EntrySize + 12] = 1; // entry 1's reserved u32
        BootBundle.WriteHeader(malformed, 5);
        Assert.That(BootBundle.Read(malformed).Select(e => e.Name), Is.EqualTo(new[] { "hello" }), "reserved fields not zero");
        malformed[^1] ^= 0x5A;
        Assert.That(BootBundle.Read(malformed), Is.Empty, "checksum mismatch");
    }

    [TestCase("magic", "bad magic", TestName = "Bundle header: no bundle (bad magic) -> nothing loaded, system runs")]
    [TestCase("checksum", "checksum mismatch", TestName = "Bundle header: checksum mismatch -> nothing loaded, system runs")]
    [TestCase("version", "unsupported version", TestName = "Bundle header: wrong version -> nothing loaded, system runs")]
    public void BadHeaderLoadsNothingAndTheKernelRuns(string what, string reason)
    {
        byte[]? bundle = KernelBoot.Bundle();
        switch (what)
        {
            case "magic": bundle = null; break; // RAM at 0x42000000 is zero: no bundle at all
            case "checksum": bundle[^1] ^= 0x5A; break;
            case "version": bundle[4] = 2; break;
        }
        var boot = KernelBoot.OnEmulator(KernelBoot.Image(), bundle, false, 300_000_000);
        Assert.That(boot.Uart, Does.Contain($"!!! boot bundle at 0x0000000042000000 rejected: {reason} (no user ELF loaded)\n"));
        Assert.That(KernelBoot.FirstMissing(boot.Uart, [.. Enumerable.Range(1, 18), 22, .. Enumerable.Range(23, 6), 32]), Is.Null,
            () => PhaseOBoot.Head(boot.Uart));
        Assert.That(boot.Uart, Does.Not.Contain("loaded from ELF"));
        Assert.That(boot.Uart, Does.Not.Contain("FAULTED"));
        // The J4 ping-pong runs from the start (no sensor or logger before it): its first report, and its CALLs.
        Assert.That(KernelBoot.RoundTrips(boot.Uart), Is.EqualTo(new[] { 1UL }));
        Assert.That(boot.Machine.Accounting.Syscalls(1, (ulong)Syscall.Call), Is.GreaterThan(50_000UL));
        foreach (int t in new[] { 2, 3, 4 })
            Assert.That(boot.Machine.TaskStateOf(t), Is.EqualTo(TaskState.Inactive));
    }

    [Test]
    public void BundleCommandReproducesTheCommittedBundle()
    {
        // `aegis-emu bundle -o OUT hello.elf:0 sensor.elf:1 logger.elf:2` is what UserImages/build.sh runs.
        string dir = Path.Combine(Path.GetTempPath(), "aegis-bundle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string outPath = Path.Combine(dir, "bundle.bin");
            var err = new StringWriter();
            string bin = Path.Combine(UserImages, "bin");
            int rc = Aegis.Emu.Cli.Run(["bundle", "-o", outPath, Path.Combine(bin, "hello.elf") + ":0",
                Path.Combine(bin, "sensor.elf") + ":1", Path.Combine(bin, "logger.elf") + ":2"], Stream.Null, err);
            Assert.That(rc, Is.Zero, err.ToString);
            Assert.That(File.ReadAllBytes(outPath), Is.EqualTo(KernelBoot.Bundle()));
            // A slot outside 0-5 is a usage error.
            Assert.That(Aegis.Emu.Cli.Run(["bundle", "-o", outPath, Path.Combine(bin, "hello.elf") + ":6"], Stream.Null, new StringWriter()),
                Is.EqualTo(Aegis.Emu.Cli.ExitUsage));
            // An input that is a directory, or an output that cannot be written: one error line, exit 2, nothing thrown.
            foreach (var (args, message) in new[]
            {
                (new[] { "bundle", "-o", outPath, bin + ":0" }, $"aegis-emu: error: {bin}: is a directory, not an ELF file\n"),
                (new[] { "bundle", "-o", dir, Path.Combine(bin, "hello.elf") + ":0" }, $"aegis-emu: error: cannot write {dir}: "),
            })
            {
                var e = new StringWriter();
                Assert.That(Aegis.Emu.Cli.Run(args, Stream.Null, e), Is.EqualTo(Aegis.Emu.Cli.ExitUsage), e.ToString);
                Assert.That(e.ToString(), Does.StartWith(message));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void TheKernelImageHoldsNoUserProgram()
    {
        // Changing a user program never changes the kernel's bytes: none of their strings or code is in it.
        byte[] kernel = KernelBoot.Image();
        foreach (var s in new[] { "L5:ELF", "SENSOR:init", "LOGGER:init", "LOG:" })
            Assert.That(IndexOf(kernel, System.Text.Encoding.ASCII.GetBytes(s)), Is.LessThan(0), s);
        foreach (var name in new[] { "hello", "sensor", "logger" })
        {
            byte[] elf = Elf(name);
            int off = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(64 + 8)); // first phdr p_offset
            byte[] code = elf.AsSpan(off, 64).ToArray();
            Assert.That(IndexOf(kernel, code), Is.LessThan(0), name);
        }
    }

    private static int IndexOf(byte[] hay, byte[] needle) => hay.AsSpan().IndexOf(needle);

    [Test]
    public void UserImagesAndBundleRebuildByteIdentically()
    {
        ReferenceTools.Require("clang-14");
        ReferenceTools.Require("ld.lld-14");
        string dir = Path.Combine(Path.GetTempPath(), "aegis-user-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The bundle step runs this test's own Aegis.Emu build (same BootBundle code as `aegis-emu bundle`).
            string emu = $"dotnet {EmuExecutable.Dll}";
            var psi = new System.Diagnostics.ProcessStartInfo("sh", $"\"{Path.Combine(UserImages, "build.sh")}\" \"{dir}\"")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["AEGIS_EMU"] = emu;
            using var p = System.Diagnostics.Process.Start(psi)!;
            string stderr = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.Zero, stderr);
            foreach (var f in new[] { "hello.elf", "sensor.elf", "logger.elf", "bundle.bin" })
                Assert.That(File.ReadAllBytes(Path.Combine(dir, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(UserImages, "bin", f))), f);
            // The attack suite's programs and bundles (issue 10), committed too.
            var committed = Directory.GetFiles(Path.Combine(UserImages, "bin", "attack")).Select(Path.GetFileName).Order().ToList();
            Assert.That(Directory.GetFiles(Path.Combine(dir, "attack")).Select(Path.GetFileName).Order(), Is.EqualTo(committed));
            foreach (var f in committed)
                Assert.That(File.ReadAllBytes(Path.Combine(dir, "attack", f!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(UserImages, "bin", "attack", f!))), f);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
