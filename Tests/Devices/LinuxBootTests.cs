using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.DeviceTree;
using Aegis.Emulator.Devices.Linux;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// The arm64 boot protocol (<see cref="LinuxBoot"/>): the Image header, where the kernel, initrd and DTB go, the
/// registers at entry, and the errors; the placement is checked against qemu-system-aarch64 with a tiny Image that
/// prints what it was entered with, and against the /chosen node QEMU writes (-M virt,dumpdtb=).
/// </summary>
public class LinuxBootTests
{
    /// <summary>Prints the entry address, x0-x3, CurrentEL, SCTLR_EL1.M and the word at x0 (byte-reversed: the FDT magic), then PSCI SYSTEM_OFF.</summary>
    private static string Probe(bool el2) => $"""
        code:
          mov x19, x0
          mov x20, x1
          mov x21, x2
          mov x22, x3
          adr x0, _start
          bl puthex
          mov x0, x19
          bl puthex
          mov x0, x20
          bl puthex
          mov x0, x21
          bl puthex
          mov x0, x22
          bl puthex
          mrs x0, CurrentEL
          bl puthex
          mrs x0, SCTLR_EL1
          and x0, x0, #1
          bl puthex
          ldr w0, [x19]
          rev w0, w0
          bl puthex
          movz x0, #0x0008
          movk x0, #0x8400, lsl #16
          {(el2 ? "smc #0" : "hvc #0")}
          b .
        puthex:
          mov x3, #60
          movz x4, #0x0900, lsl #16
        1: lsr x5, x0, x3
          and x5, x5, #15
          cmp x5, #10
          add x6, x5, #'0'
          add x7, x5, #('A'-10)
          csel x5, x6, x7, lt
          strb w5, [x4]
          subs x3, x3, #4
          b.ge 1b
          mov w5, #'\n'
          strb w5, [x4]
          ret
        """;

    private static byte[] Image(bool el2, ulong textOffset = 0, ulong imageSize = 0x10000, ulong flags = 0xA) => Bytes(Llvm.Assemble($"""
        _start:
          b code
          .word 0
          .quad {textOffset}
          .quad {imageSize}
          .quad {flags}
          .quad 0
          .quad 0
          .quad 0
          .word 0x644d5241
          .word 0
        {Probe(el2)}
        """));

    private static byte[] Raw(bool el2) => Bytes(Llvm.Assemble("_start:\n" + Probe(el2)));

    private static byte[] Bytes(uint[] words)
    {
        var b = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, b, 0, b.Length);
        return b;
    }

    private static (string[] Lines, VirtBoard Board) RunOnAegis(LinuxBootOptions options, bool el2 = false)
    {
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        var text = new StringBuilder();
        board.ConsoleOutput = b => text.Append((char)b);
        board.LoadLinux(options);
        Assert.That(board.Cpu.Run(100_000), Is.EqualTo(StopReason.GuestExit), text.ToString());
        return (text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), board);
    }

    private static string[] RunOnQemu(byte[] kernel, bool el2, byte[]? initrd = null, string? append = null, string? dumpDtb = null)
    {
        string dir = Directory.CreateTempSubdirectory("aegis-linuxboot").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "kernel"), kernel);
            string args = $"-M virt{(el2 ? ",virtualization=on" : "")}{(dumpDtb is null ? "" : $",dumpdtb={dumpDtb}")} -cpu cortex-a53 -nographic -nic none -m 128 -kernel {dir}/kernel";
            if (initrd is not null) { File.WriteAllBytes(Path.Combine(dir, "initrd"), initrd); args += $" -initrd {dir}/initrd"; }
            if (append is not null) args += $" -append \"{append}\"";
            return ReferenceTools.Run(ReferenceTools.QemuSystem, args, timeoutMs: 30_000).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string Hex(ulong v) => v.ToString("X16");

    [TestCase(false)]
    [TestCase(true)]
    public void ImageIsEnteredAsOnQemu(bool el2)
    {
        byte[] image = Image(el2);
        var (lines, board) = RunOnAegis(new LinuxBootOptions { Kernel = image }, el2);
        ulong dtb = board.LinuxLayout!.DtbStart;
        Assert.That(lines, Is.EqualTo(new[]
        {
            Hex(0x4020_0000), Hex(dtb), Hex(0), Hex(0), Hex(0), Hex(el2 ? 8UL : 4UL), Hex(0), Hex(FdtWriter.Magic),
        }), "entry at RAM + 2 MiB (text_offset 0), x0 = DTB, x1-x3 = 0, MMU off");
        Assert.That(dtb, Is.EqualTo(0x4400_0000UL), "no initrd: the DTB goes where the initrd would have started (RAM + 64 MiB)");
        Assert.That(RunOnQemu(image, el2), Is.EqualTo(lines));
    }

    [Test]
    public void RawBinaryIsEnteredAtRamPlus512KiBAsOnQemu()
    {
        byte[] raw = Raw(false);
        var (lines, board) = RunOnAegis(new LinuxBootOptions { Kernel = raw });
        Assert.That(lines[0], Is.EqualTo(Hex(0x4008_0000)));
        Assert.That(board.LinuxLayout!.Kernel.IsArm64Image, Is.False);
        Assert.That(RunOnQemu(raw, false), Is.EqualTo(lines));
    }

    [Test]
    public void GzipImageIsDecompressedAsOnQemu()
    {
        byte[] image = Image(false, textOffset: 0x8_0000);
        var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(image);
        var (lines, board) = RunOnAegis(new LinuxBootOptions { Kernel = packed.ToArray() });
        Assert.That(board.LinuxLayout!.Kernel.WasGzip, Is.True);
        Assert.That(lines[0], Is.EqualTo(Hex(0x4008_0000)), "text_offset 0x80000 is above QEMU's 4 KiB stub: no 2 MiB shift");
        Assert.That(RunOnQemu(packed.ToArray(), false), Is.EqualTo(lines));
    }

    [Test]
    public void InitrdAndBootArgsGoWhereQemuPutsThem()
    {
        byte[] image = Image(false);
        var initrd = new byte[300_000];
        new Random(7).NextBytes(initrd);
        const string args = "console=ttyAMA0 quiet";
        var (lines, board) = RunOnAegis(new LinuxBootOptions { Kernel = image, Initrd = initrd, BootArgs = args });
        var layout = board.LinuxLayout!;
        Assert.That(layout.InitrdStart, Is.EqualTo(0x4400_0000UL));
        Assert.That(layout.DtbStart, Is.EqualTo(0x4420_0000UL), "the first 2 MiB boundary after the initrd");
        Assert.That(board.Bus.Ram.Slice(0x0400_0000, initrd.Length).ToArray(), Is.EqualTo(initrd));
        Assert.That(board.Bus.Ram.Slice(0x0420_0000, layout.Dtb.Length).ToArray(), Is.EqualTo(layout.Dtb), "the blob the layout reports is in RAM");
        Assert.That(RunOnQemu(image, false, initrd, args), Is.EqualTo(lines), "same entry and DTB address");

        string dir = Directory.CreateTempSubdirectory("aegis-dumpdtb").FullName;
        try
        {
            string path = Path.Combine(dir, "qemu.dtb");
            RunOnQemu(image, false, initrd, args, dumpDtb: path);
            var qemu = FdtReader.Read(File.ReadAllBytes(path)).Find("/chosen")!;
            var ours = FdtReader.Read(layout.Dtb).Find("/chosen")!;
            foreach (var property in new[] { "bootargs", "linux,initrd-start", "linux,initrd-end", "stdout-path" })
                Assert.That(ours.Get(property), Is.EqualTo(qemu.Get(property)), property);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void HeaderFields()
    {
        var k = KernelImage.Parse(Header(textOffset: 0x1234000, imageSize: 0x20_0000, flags: 0xA));
        Assert.That((k.IsArm64Image, k.TextOffset, k.MemorySize, k.Flags), Is.EqualTo((true, 0x1234000UL, 0x20_0000UL, 0xAUL)));
        var old = KernelImage.Parse(Header(textOffset: 0x1234000, imageSize: 0));
        Assert.That(old.TextOffset, Is.EqualTo(0x8_0000UL), "image_size 0: a pre-3.17 kernel, text_offset 0x80000 (booting.rst)");
        Assert.That(old.MemorySize, Is.EqualTo(64UL), "at least the file");
        Assert.That(() => KernelImage.Parse(Header(flags: 1)), Throws.TypeOf<BootLoadException>().With.Message.Contains("big-endian"));
        Assert.That(() => KernelImage.Parse([]), Throws.TypeOf<BootLoadException>().With.Message.Contains("empty"));
        Assert.That(() => KernelImage.Parse([0x1F, 0x8B, 8, 0, 1, 2]), Throws.TypeOf<BootLoadException>().With.Message.Contains("gzip"));
    }

    private static byte[] Header(ulong textOffset = 0, ulong imageSize = 0x1000, ulong flags = 0)
    {
        var h = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(8), textOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(16), imageSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(24), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(56), KernelImage.Arm64Magic);
        return h;
    }

    [Test]
    public void WhatDoesNotFitIsRefusedWithAReason()
    {
        static string Error(LinuxBootOptions o, int ramMib = 128)
        {
            var board = new VirtBoard(new VirtBoardOptions { RamSize = (ulong)ramMib << 20 });
            try { board.LoadLinux(o); return ""; }
            catch (BootLoadException e) { return e.Message; }
        }
        Assert.That(Error(new() { Kernel = Header(imageSize: 200UL << 20) }), Does.Contain("does not fit in RAM"));
        Assert.That(Error(new() { Kernel = Header(imageSize: 0x1000) , Initrd = new byte[70 << 20] }), Does.Contain("too big to fit into RAM after the kernel"));
        Assert.That(Error(new() { Kernel = Header(imageSize: 70UL << 20), Initrd = new byte[16] }), Does.Contain("would overlap the kernel"));
        Assert.That(Error(new() { Kernel = Header(), Initrd = new byte[(62 << 20) + 1] }), Does.Contain("not enough space for the devicetree blob"));
        Assert.That(Error(new() { Kernel = Header(), Dtb = [1, 2, 3] }), Does.Contain("not a devicetree blob"));
        Assert.That(Error(new() { Kernel = Header(), Dtb = VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions()) }), Is.Empty);
    }

    /// <summary>Seeded random headers and sizes: every kernel either loads or is refused with a <see cref="BootLoadException"/>.</summary>
    [Test]
    public void RandomHeadersLoadOrAreRefused()
    {
        var random = new Random(5);
        int refused = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] kernel = Header(textOffset: (ulong)random.NextInt64() >> random.Next(64), imageSize: (ulong)random.NextInt64() >> random.Next(64),
                flags: (ulong)random.Next(16));
            if (random.Next(4) == 0) kernel = kernel[..random.Next(kernel.Length)];
            var board = new VirtBoard(new VirtBoardOptions { RamSize = (ulong)random.Next(1, 16) << 20 });
            try { board.LoadLinux(new LinuxBootOptions { Kernel = kernel, Initrd = random.Next(2) == 0 ? null : new byte[random.Next(1 << 22)] }); }
            catch (BootLoadException) { refused++; }
        }
        Assert.That(refused, Is.InRange(10, 290), "both outcomes are reached");
    }

    [Test]
    public void UsersDtbGetsChosenAndMemory()
    {
        byte[] given = new FdtNode("").Set("model", "mine").Write();
        var board = new VirtBoard(new VirtBoardOptions { RamSize = 64UL << 20 });
        var layout = board.LoadLinux(new LinuxBootOptions { Kernel = Header(), Dtb = given, BootArgs = "x=1" });
        var tree = FdtReader.Read(layout.Dtb);
        Assert.That(Encoding.ASCII.GetString(tree.Get("model")!), Is.EqualTo("mine\0"));
        Assert.That(Encoding.ASCII.GetString(tree.Find("/chosen")!.Get("bootargs")!), Is.EqualTo("x=1\0"));
        Assert.That(tree.Find("/memory")!.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0x4000_0000, 0, 0x0400_0000)));
        Assert.That(layout.DtbStart, Is.EqualTo(0x4200_0000UL), "64 MiB of RAM: RAM/2");
    }
}
