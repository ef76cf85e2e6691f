using Aegis.Emulator.Mmu;
using NUnit.Framework;

namespace Aegis.Tests.Mmu;

/// <summary>
/// The bus fits every access to the sizes a device implements (QEMU memory.c access_with_adjusted_size): wider
/// accesses are split lower address first, narrower ones widened, reads cut to the access size, writes given only
/// their bytes.
/// </summary>
public class MmioAccessSizeTests
{
    private const ulong Base = 0x0900_0000;

    /// <summary>Answers every read with a fixed pattern and records each call.</summary>
    private sealed class Recorder(int min, int max) : IMmioDevice
    {
        public readonly List<string> Calls = new();
        public ulong Answer = 0x8877_6655_4433_2211;
        public bool AbortAt4;

        public MmioAccessSizes AccessSizes { get; } = new(min, max);

        public MmioStatus Read(ulong offset, int size, out ulong value)
        {
            Calls.Add($"R{size}@{offset:X}");
            value = Answer + offset;
            return AbortAt4 && offset == 4 ? MmioStatus.Abort : MmioStatus.Ok;
        }

        public MmioStatus Write(ulong offset, int size, ulong value)
        {
            Calls.Add($"W{size}@{offset:X}={value:X}");
            return AbortAt4 && offset == 4 ? MmioStatus.Abort : MmioStatus.Ok;
        }
    }

    private static (PhysicalBus, Recorder) Board(int min, int max)
    {
        var bus = new PhysicalBus(0x4000_0000, 0x1000);
        var dev = new Recorder(min, max);
        bus.Map(Base, 0x1000, dev);
        return (bus, dev);
    }

    [Test]
    public void AnEightByteAccessToAWordDeviceIsTwoWordAccessesLowAddressFirst()
    {
        var (bus, dev) = Board(1, 4);
        Assert.That(bus.Read(Base + 0x10, 8, out ulong v), Is.True);
        Assert.That(v, Is.EqualTo(((0x4433_2211UL + 0x14) << 32) | (0x4433_2211UL + 0x10)), "each half cut to 4 bytes");
        Assert.That(bus.Write(Base + 0x10, 8, 0x1122_3344_5566_7788), Is.True);
        Assert.That(dev.Calls, Is.EqualTo(new[] { "R4@10", "R4@14", "W4@10=55667788", "W4@14=11223344" }));
    }

    [Test]
    public void ANarrowAccessIsPassedThroughWithItsBytesOnly()
    {
        var (bus, dev) = Board(1, 4);
        Assert.That(bus.Read(Base + 0x19, 1, out ulong b), Is.True);
        Assert.That(bus.Read(Base + 0x1A, 2, out ulong h), Is.True);
        Assert.That((b, h), Is.EqualTo((0x11UL + 0x19, (0x2211UL + 0x1A) & 0xFFFF)), "the device's whole answer is cut to the access");
        bus.Write(Base + 0x19, 1, 0xFFFF_FF42);   // a STRB passes the whole register
        bus.Write(Base + 0x1A, 2, 0xABCD_1234);
        Assert.That(dev.Calls, Is.EqualTo(new[] { "R1@19", "R2@1A", "W1@19=42", "W2@1A=1234" }));
    }

    [Test]
    public void ANarrowAccessToADeviceWithALargerMinimumIsWidened()
    {
        var (bus, dev) = Board(4, 4);
        Assert.That(bus.Read(Base + 0x20, 1, out ulong b), Is.True);
        Assert.That(b, Is.EqualTo(0x11UL + 0x20));
        bus.Write(Base + 0x20, 2, 0xFFFF_BEEF);
        Assert.That(dev.Calls, Is.EqualTo(new[] { "R4@20", "W4@20=BEEF" }));
    }

    [Test]
    public void AnEightByteDeviceTakesEightBytesAtOnce()
    {
        var (bus, dev) = Board(1, 8);
        Assert.That(bus.Read(Base, 8, out ulong v), Is.True);
        Assert.That(v, Is.EqualTo(0x8877_6655_4433_2211));
        Assert.That(dev.Calls, Is.EqualTo(new[] { "R8@0" }));
    }

    [Test]
    public void APartThatAbortsAbortsTheAccessAfterEveryPartIsMade()
    {
        var (bus, dev) = Board(1, 4);
        dev.AbortAt4 = true;
        Assert.That(bus.Read(Base, 8, out _), Is.False);
        Assert.That(bus.Write(Base, 8, 0), Is.False);
        Assert.That(dev.Calls, Is.EqualTo(new[] { "R4@0", "R4@4", "W4@0=0", "W4@4=0" }));
    }

    [Test]
    public void AccessSizesMustBePowersOfTwoUpToEight()
    {
        Assert.That(() => new MmioAccessSizes(3, 4), Throws.ArgumentException);
        Assert.That(() => new MmioAccessSizes(4, 2), Throws.ArgumentException);
        Assert.That(() => new MmioAccessSizes(1, 16), Throws.ArgumentException);
    }
}
