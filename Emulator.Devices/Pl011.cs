using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>
/// Arm PrimeCell UART (PL011), register map from the PL011 TRM (DDI0183).
/// </summary>
public sealed class Pl011 : IMmioDevice
{
    public const ulong UARTDR = 0x000;
    public const ulong UARTFR = 0x018;

    /// <summary>Receives every transmitted byte (the console, or a test buffer).</summary>
    public Action<byte> Transmit { get; set; } = _ => { };

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = offset switch
        {
            UARTFR => 0x90, // TXFE | RXFE: transmit FIFO empty, receive FIFO empty
            _ => 0,
        };
        return true;
    }

    public bool Write(ulong offset, int size, ulong value)
    {
        if (offset == UARTDR) Transmit((byte)value);
        return true;
    }
}
