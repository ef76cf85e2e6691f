using System.Buffers.Binary;
using System.Text;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.DeviceTree;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>The flattened devicetree writer and reader, and the board's devicetree against the nodes it must list.</summary>
public class DeviceTreeTests
{
    private static FdtNode Sample()
    {
        var root = new FdtNode("").Cells("#address-cells", 2).Set("compatible", "a,b", "c");
        root.Add(new FdtNode("node@1000")).Cells64("reg", 0x1000, 0x20).Flag("empty").Set("odd", [1, 2, 3]);
        root.Add(new FdtNode("chosen")).Set("bootargs", "console=ttyAMA0");
        return root;
    }

    [Test]
    public void HeaderIsVersion17WithBlocksInOrder()
    {
        byte[] blob = Sample().Write();
        uint U(int o) => BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(o));
        Assert.That(U(0), Is.EqualTo(0xD00DFEED));
        Assert.That(U(4), Is.EqualTo((uint)blob.Length), "totalsize");
        Assert.That(U(16), Is.EqualTo(40), "off_mem_rsvmap right after the header");
        Assert.That(U(8), Is.EqualTo(56), "off_dt_struct after the empty reservation map (16 bytes)");
        Assert.That(U(20), Is.EqualTo(17));
        Assert.That(U(24), Is.EqualTo(16));
        Assert.That(U(12), Is.EqualTo(U(8) + U(36)), "strings follow the structure block");
        Assert.That(U(12) + U(32), Is.EqualTo((uint)blob.Length));
        Assert.That(Encoding.ASCII.GetString(blob, (int)U(12), (int)U(32)).Split('\0').Count(s => s == "reg"), Is.EqualTo(1), "names stored once");
    }

    [Test]
    public void ReaderReadsBackWhatTheWriterWrote()
    {
        var back = FdtReader.Read(Sample().Write());
        Assert.That(back.Name, Is.EqualTo(""));
        Assert.That(back.Get("compatible"), Is.EqualTo("a,b\0c\0"u8.ToArray()));
        var node = back.Find("/node@1000")!;
        Assert.That(node.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0x1000, 0, 0x20)));
        Assert.That(node.Get("empty"), Is.Empty);
        Assert.That(node.Get("odd"), Is.EqualTo(new byte[] { 1, 2, 3 }), "unaligned lengths are padded, not lost");
        Assert.That(back.Find("/node")!.Name, Is.EqualTo("node@1000"), "a name without unit address finds the node, as libfdt");
        Assert.That(Encoding.ASCII.GetString(back.Find("/chosen")!.Get("bootargs")!), Is.EqualTo("console=ttyAMA0\0"));
        Assert.That(back.Write(), Is.EqualTo(Sample().Write()), "read and rewrite gives the same bytes");
    }

    [Test]
    public void DtcDecompilesTheBoardsBlob()
    {
        ReferenceTools.Require("dtc");
        string dir = Directory.CreateTempSubdirectory("aegis-dtb").FullName;
        try
        {
            string path = Path.Combine(dir, "board.dtb");
            File.WriteAllBytes(path, VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions { BootArgs = "console=ttyAMA0", Initrd = (0x4400_0000, 0x4410_0000) }));
            string dts = RunDtc(path);
            Assert.That(dts, Does.Contain("memory@40000000 {\n\t\treg = <0x00 0x40000000 0x00 0x8000000>;"));
            Assert.That(dts, Does.Contain("bootargs = \"console=ttyAMA0\";"));
            Assert.That(dts, Does.Contain("linux,initrd-start = <0x44000000>;"));
            Assert.That(dts, Does.Contain("linux,initrd-end = <0x44100000>;"));
            Assert.That(dts, Does.Contain("interrupts = <0x01 0x0d 0x104 0x01 0x0e 0x104 0x01 0x0b 0x104 0x01 0x0a 0x104>;"));
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string RunDtc(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(ReferenceTools.Require("dtc"), $"-I dtb -O dts {path}")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, errors);
        Assert.That(errors, Is.Empty, "dtc warns about nothing");
        return output;
    }

    [Test]
    public void BoardTreeListsWhatTheBoardModelsAndNothingElse()
    {
        var tree = VirtDeviceTree.BuildTree(new VirtBoardOptions { RamSize = 256UL << 20 }, new ChosenOptions());
        Assert.That(tree.Children.Select(c => c.Name), Is.EqualTo(new[]
            { "psci", "memory@40000000", "flash@0", "pl011@9000000", "pmu", "intc@8000000", "cpus", "timer", "apb-pclk", "chosen" }));
        Assert.That(tree.Find("/memory@40000000")!.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0x4000_0000, 0, 0x1000_0000)));
        Assert.That(Text(tree, "/psci", "method"), Is.EqualTo("hvc\0"));
        Assert.That(Text(tree, "/psci", "compatible"), Is.EqualTo("arm,psci-1.0\0arm,psci-0.2\0arm,psci\0"));
        Assert.That(Text(tree, "/cpus/cpu@0", "compatible"), Is.EqualTo("arm,cortex-a53\0"));
        Assert.That(Text(tree, "/cpus/cpu@0", "enable-method"), Is.EqualTo("psci\0"));
        Assert.That(tree.Find("/intc@8000000")!.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0x0800_0000, 0, 0x1000, 0, 0x0801_0000, 0, 0x2000)));
        Assert.That(tree.Find("/pl011@9000000")!.Get("interrupts"), Is.EqualTo(FdtNode.CellBytes(0, 1, 4)), "SPI 1 = INTID 33, level-high");
        Assert.That(tree.Find("/pmu")!.Get("interrupts"), Is.EqualTo(FdtNode.CellBytes(1, 7, 0x104)), "PPI 7 = INTID 23, the board's PMU line");
        Assert.That(tree.Find("/flash@0")!.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0, 0, 0x0400_0000, 0, 0x0400_0000, 0, 0x0400_0000)), "the two CFI banks, as QEMU");
        Assert.That(tree.Find("/flash@0")!.Get("bank-width"), Is.EqualTo(FdtNode.CellBytes(4)));
        Assert.That(Text(tree, "/flash@0", "compatible"), Is.EqualTo("cfi-flash\0"));
        Assert.That(tree.Find("/pl011@9000000")!.Get("clocks"), Is.EqualTo(FdtNode.CellBytes(0x8000, 0x8000)));
        Assert.That(tree.Find("/apb-pclk")!.Get("phandle"), Is.EqualTo(FdtNode.CellBytes(0x8000)));
        var chosen = tree.Find("/chosen")!;
        Assert.That(Text(tree, "/chosen", "stdout-path"), Is.EqualTo("/pl011@9000000\0"));
        Assert.That(chosen.Get("bootargs"), Is.Null, "no empty bootargs, as QEMU");
        Assert.That(chosen.Get("linux,initrd-start"), Is.Null);
        Assert.That(chosen.Get("rng-seed"), Has.Length.EqualTo(32));
        Assert.That(chosen.Get("kaslr-seed"), Has.Length.EqualTo(8));
    }

    [Test] // QEMU gives -bios firmware its devicetree at the start of RAM (U-Boot's qemu_arm64 reads it there)
    public void FirmwareGetsTheBoardTreeAtTheRamBase()
    {
        var board = new VirtBoard();
        ulong end = board.LoadBios(new byte[] { 0x1F, 0x20, 0x03, 0xD5 }); // nop
        var expected = VirtDeviceTree.Build(board.Options, new ChosenOptions());
        var ram = new byte[expected.Length];
        Assert.That(board.Bus.TryReadMemory(VirtBoard.RamBase, ram), Is.True);
        Assert.That(ram, Is.EqualTo(expected));
        Assert.That(end, Is.EqualTo(VirtBoard.RamBase + (ulong)expected.Length));
        Assert.That(board.Cpu.PC, Is.EqualTo(VirtBoard.Flash0Base));
        var given = new byte[] { 0xD0, 0x0D, 0xFE, 0xED, 1, 2, 3, 4 };
        board.LoadBios(new byte[4], given);
        Assert.That(board.Bus.TryReadMemory(VirtBoard.RamBase, ram.AsSpan(0, 8)), Is.True);
        Assert.That(ram[..8], Is.EqualTo(given), "--dtb FILE: that blob instead");
    }

    [Test]
    public void El2BoardUsesSmcAsItsPsci()
    {
        var tree = VirtDeviceTree.BuildTree(new VirtBoardOptions { El2 = true }, new ChosenOptions());
        Assert.That(Text(tree, "/psci", "method"), Is.EqualTo("smc\0"));
        Assert.That(new VirtBoard(new VirtBoardOptions { El2 = true }).Psci.Conduit, Is.EqualTo(PsciConduit.Smc), "the method is the board's conduit");
    }

    [Test]
    public void SeedsAreFixedByTheSeedOption()
    {
        var a = VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions());
        var b = VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions());
        var c = VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions { Seed = 1 });
        Assert.That(a, Is.EqualTo(b), "deterministic");
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(FdtReader.Read(a).Find("/chosen")!.Get("kaslr-seed"), Is.Not.EqualTo(new byte[8]), "a zero kaslr-seed would turn KASLR off");
    }

    [Test]
    public void SetChosenPatchesAUsersTreeAsQemu()
    {
        var tree = FdtReader.Read(new FdtNode("").Write());
        VirtDeviceTree.SetChosen(tree, new VirtBoardOptions(), new ChosenOptions { BootArgs = "quiet", Initrd = (0x4400_0000, 0x4400_1000) });
        Assert.That(tree.Find("/memory")!.Get("reg"), Is.EqualTo(FdtNode.CellBytes(0, 0x4000_0000, 0, 0x0800_0000)));
        Assert.That(Text(tree, "/chosen", "bootargs"), Is.EqualTo("quiet\0"));
        Assert.That(tree.Find("/chosen")!.Get("linux,initrd-end"), Is.EqualTo(FdtNode.CellBytes(0x4400_1000)));
    }

    [TestCase(new byte[0], "shorter than its 40-byte header")]
    [TestCase(new byte[] { 0xD0, 0x0D, 0xFE, 0xEE, 0, 0, 0, 40, 0, 0, 0, 56, 0, 0, 0, 56, 0, 0, 0, 40, 0, 0, 0, 17, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "magic 0xD00DFEEE")]
    public void ReaderRefusesBadBlobs(byte[] blob, string message) =>
        Assert.That(() => FdtReader.Read(blob), Throws.TypeOf<FdtFormatException>().With.Message.Contains(message));

    [Test]
    public void ReaderRefusesTruncatedAndCorruptStructures()
    {
        byte[] good = Sample().Write();
        Assert.That(() => FdtReader.Read(good[..^4]), Throws.TypeOf<FdtFormatException>().With.Message.Contains("truncated"));
        var badToken = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(badToken.AsSpan(56), 7);
        Assert.That(() => FdtReader.Read(badToken), Throws.TypeOf<FdtFormatException>().With.Message.Contains("unknown token 0x7"));
        var oldVersion = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(oldVersion.AsSpan(20), 3);
        Assert.That(() => FdtReader.Read(oldVersion), Throws.TypeOf<FdtFormatException>().With.Message.Contains("version 3"));
    }

    /// <summary>Seeded mutations of a real blob: the reader answers with a tree or an FdtFormatException, never another exception.</summary>
    [Test]
    public void MutatedBlobsAreReadOrRefused()
    {
        byte[] good = VirtDeviceTree.Build(new VirtBoardOptions(), new ChosenOptions { BootArgs = "console=ttyAMA0" });
        var random = new Random(12);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var blob = (byte[])good.Clone();
            for (int n = random.Next(1, 4); n > 0; n--)
            {
                int at = random.Next(blob.Length);
                if (random.Next(2) == 0) blob[at] = (byte)random.Next(256);
                else if (at + 4 <= blob.Length) BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at & ~3), (uint)random.Next() | (uint)random.Next(2) << 31);
            }
            if (random.Next(8) == 0) blob = blob[..random.Next(blob.Length)];
            try { FdtReader.Read(blob); }
            catch (FdtFormatException) { refused++; }
        }
        Assert.That(refused, Is.GreaterThan(1000), "the mutations reach the checks");
    }

    private static string Text(FdtNode tree, string path, string property) => Encoding.ASCII.GetString(tree.Find(path)!.Get(property)!);
}
