using System.Diagnostics;
using Aegis.Emu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.PackageTests;

/// <summary>
/// The machine API as a third party uses it, through the NuGet package. Expected values come from the programs' own
/// arithmetic (hand-encoded A64, encodings as llvm-mc-14 gives them), the Arm ARM's reset values, and the committed
/// guest programs' outputs, which the repository's tests check against QEMU.
/// </summary>
[TestFixture]
public class MachineApiTests
{
    private const ulong Ram = 0x4000_0000;

    // add x0, x0, x1 ; add x0, x0, x0 ; str x0, [x2] ; nop
    private static readonly uint[] Arithmetic = [0x8B010000, 0x8B000000, 0xF9000040, 0xD503201F];

    private static byte[] Bytes(uint[] words) => [.. words.SelectMany(BitConverter.GetBytes)];

    private static string Repo([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(here))!;

    [Test]
    public void SetRegistersRunToAnAddressAndReadMemory()
    {
        var m = new Machine();
        m.LoadRaw(Ram, Bytes(Arithmetic));
        m.WriteRegister("x0", 2);
        m.WriteRegister("X1", 3);
        m.WriteRegister("x2", Ram + 0x1000);
        var r = m.Run(until: Ram + 12);
        Assert.That(r.Stop, Is.EqualTo(RunStop.Address));
        Assert.That((r.Pc, r.Instructions, r.Cycles), Is.EqualTo((Ram + 12, 3UL, 3UL)), "simple timing: one cycle per instruction");
        Assert.That(m.ReadRegister("x0"), Is.EqualTo(10UL));
        Assert.That(m.ReadUInt64(Ram + 0x1000), Is.EqualTo(10UL));
        Assert.That(m.ReadMemory(Ram + 0x1000, 8, AddressSpace.Virtual), Is.EqualTo(BitConverter.GetBytes(10UL)), "MMU off: VA = PA");
        Assert.That(m.TryReadMemory(0x0A00_0000, new byte[4]), Is.False, "no RAM there");
    }

    [Test]
    public void RegistersByNameStartAtTheArchitecturalResetValues()
    {
        var m = new Machine();
        m.LoadRaw(Ram, Bytes(Arithmetic));
        Assert.That(m.ReadRegister("pc"), Is.EqualTo(Ram));
        Assert.That(m.ReadRegister("currentel"), Is.EqualTo(1UL << 2), "EL1");
        Assert.That(m.ReadRegister("sctlr_el1"), Is.EqualTo(0x00C5_0838UL), "QEMU's -kernel reset value");
        Assert.That(m.ReadRegister("midr_el1"), Is.EqualTo(0x410F_D034UL), "Cortex-A53 r0p4");
        Assert.That(m.ReadRegister("daif"), Is.EqualTo(0x3C0UL), "masked");
        m.WriteVector(31, UInt128.MaxValue);
        Assert.That(m.ReadVector(31), Is.EqualTo(UInt128.MaxValue));
        Assert.Throws<ArgumentException>(() => m.ReadRegister("x31"));
        Assert.Throws<ArgumentException>(() => m.WriteRegister("no_such_register", 0));
        Assert.That(new Machine(new MachineOptions { EntryEl = 2 }).ReadRegister("currentel"), Is.EqualTo(2UL << 2));
    }

    [Test]
    public void HooksFireInsideTheirRangeOnlyAndAreRemovedByHandle()
    {
        var m = new Machine();
        m.LoadRaw(Ram, Bytes(Arithmetic));
        m.WriteRegister("x2", Ram + 0x2000);
        var fetched = new List<ulong>();
        var stores = new List<(ulong, ulong)>();
        var onAdd = m.OnFetch((_, pc, _, _) => fetched.Add(pc), Ram + 4, Ram + 4);
        var onPage = m.OnMemoryAccess((Aegis.Emulator.Cpu.Cpu _, in MemoryAccess a) => stores.Add((a.Va, a.Value)), Ram + 0x2000, Ram + 0x2FFF);
        var elsewhere = m.OnMemoryAccess((Aegis.Emulator.Cpu.Cpu _, in MemoryAccess a) => Assert.Fail($"access at 0x{a.Va:x} is outside this hook's page"), Ram + 0x5000, Ram + 0x5FFF);
        m.Run(until: Ram + 12);
        Assert.That(fetched, Is.EqualTo(new[] { Ram + 4 }));
        Assert.That(stores, Is.EqualTo(new[] { (Ram + 0x2000, 0UL) }));

        onAdd.Remove();
        onPage.Dispose();
        elsewhere.Remove();
        m.Reset(Ram);
        m.WriteRegister("x2", Ram + 0x2000);
        m.Run(until: Ram + 12);
        Assert.That((fetched.Count, stores.Count), Is.EqualTo((1, 1)), "removed hooks stay silent");
    }

    [Test]
    public void AGuestProgramRunsToItsExitWithItsConsoleOutput()
    {
        var m = new Machine();
        var console = new MemoryStream();
        m.ConsoleOutput = b => console.WriteByte(b);
        m.LoadElf(File.ReadAllBytes(Path.Combine(Repo(), "samples", "bin", "hello-O2.elf")));
        var r = m.Run(maxSteps: 10_000_000);
        Assert.That((r.Stop, r.ExitCode), Is.EqualTo((RunStop.GuestExit, 0)));
        Assert.That(System.Text.Encoding.ASCII.GetString(console.ToArray()), Does.Contain("Hello"));
        Assert.That(m.Symbol("main"), Is.Not.Zero);
    }

    [Test]
    public void AMalformedImageIsAClearError()
    {
        var m = new Machine();
        var e = Assert.Throws<ElfLoadException>(() => m.LoadElf(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }));
        Assert.That(e!.Message, Is.Not.Empty);
        Assert.Throws<ArgumentException>(() => m.LoadRaw(0x1000_0000, new byte[4]), "not RAM");
        Assert.Throws<ArgumentException>(() => new Machine(new MachineOptions { Timing = "fast" }));
    }

    [Test]
    public void TheEmbeddingSampleCallsAKernelFunctionAsTheApiDoes()
    {
        string kernel = Path.Combine(Repo(), "Kernel.Image", "bin", "aegis.elf");
        var m = new Machine(new MachineOptions { Timing = "a53" });
        m.LoadElf(File.ReadAllBytes(kernel));
        m.WriteRegister("sp", Ram + m.Options.RamSize);
        var r = m.Call(m.Symbol("cap_for_syscall"), [1, 0], maxSteps: 1_000_000);
        Assert.That(r.Stop, Is.EqualTo(RunStop.Address));
        string expected = $"cap_for_syscall(0x1, 0x0) = 0x{m.ReadRegister("x0"):x} in {r.Instructions} instructions, {r.Cycles} cycles";

        var psi = new ProcessStartInfo("dotnet", ["run", "--project", Path.Combine(Repo(), "samples", "embed"), "--", kernel, "cap_for_syscall", "1", "0"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(300_000), Is.True);
        Assert.That(p.ExitCode, Is.Zero, stderr.Result);
        Assert.That(stdout.Trim(), Is.EqualTo(expected));
    }
}
