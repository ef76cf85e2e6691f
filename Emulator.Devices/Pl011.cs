using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>
/// Arm PrimeCell UART (PL011, Arm DDI 0183) as QEMU 7.2's hw/char/pl011.c models it on `-M virt`
/// (base 0x0900_0000, 4 KiB, SPI 1 = INTID 33). Register map, word offsets:
/// <code>
///   0x000 UARTDR     data: write transmits at once; read pops the receive FIFO
///   0x004 UARTRSR    receive status (read) / UARTECR error clear (write)
///   0x018 UARTFR     flags: TXFE 0x80, RXFF 0x40, TXFF 0x20, RXFE 0x10 (writes ignored)
///   0x020 UARTILPR   IrDA low-power counter      0x024 UARTIBRD  integer baud divisor
///   0x028 UARTFBRD   fractional baud divisor     0x02C UARTLCR_H line control (FEN = bit 4)
///   0x030 UARTCR     control (reset 0x300)       0x034 UARTIFLS  FIFO level select (reset 0x12)
///   0x038 UARTIMSC   interrupt mask set/clear    0x03C UARTRIS   raw interrupt status
///   0x040 UARTMIS    masked interrupt status     0x044 UARTICR   interrupt clear (write)
///   0x048 UARTDMACR  DMA control (stored, DMA not modelled)
///   0xFE0-0xFFC      UARTPeriphID0-3, UARTPCellID0-3: 0x11 0x10 0x14 0x00, 0x0D 0xF0 0x05 0xB1
/// </code>
/// As QEMU 7.2 (all checked on qemu-system-aarch64 7.2): registers keep every bit written; transmission
/// is instantaneous (TXFE always set, TXFF never) and raises TXRIS after every write to UARTDR whatever
/// UARTCR says; the receive FIFO is 16 deep with LCR_H.FEN set and 1 deep otherwise, and RXRIS rises
/// as soon as one character is waiting (QEMU's read trigger is always 1). Bytes the host supplies wait
/// in a host-side queue until the FIFO has room, like QEMU's character backend, so none is lost.
/// The register is selected by offset / 4 (QEMU); accesses are bytes, halfwords or words (the bus cuts a narrower
/// read of a register to its low bytes and makes an 8-byte access two word accesses).
/// </summary>
public sealed partial class Pl011 : IMmioDevice
{
    public const ulong UARTDR = 0x000, UARTRSR = 0x004, UARTFR = 0x018, UARTILPR = 0x020, UARTIBRD = 0x024,
        UARTFBRD = 0x028, UARTLCR_H = 0x02C, UARTCR = 0x030, UARTIFLS = 0x034, UARTIMSC = 0x038,
        UARTRIS = 0x03C, UARTMIS = 0x040, UARTICR = 0x044, UARTDMACR = 0x048;
    public const int FifoDepth = 16;

    public const uint FlagTxfe = 0x80, FlagRxff = 0x40, FlagTxff = 0x20, FlagRxfe = 0x10;
    public const uint IntRx = 1 << 4, IntTx = 1 << 5;
    private const uint LcrFen = 1 << 4;

    private static readonly byte[] Id = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private readonly byte[] _readFifo = new byte[FifoDepth];
    private int _readPos, _readCount;
    private readonly Queue<byte> _hostRx = new();
    private uint _flags, _lcr, _rsr, _cr, _dmacr, _intEnabled, _intLevel, _ilpr, _ibrd, _fbrd, _ifl;
    private bool _irq;

    /// <summary>Receives every transmitted byte (the console, or a test buffer).</summary>
    public Action<byte> Transmit { get; set; } = _ => { };

    /// <summary>The interrupt output (UARTINTR, the OR of UARTMIS); the board wires it to SPI 33.</summary>
    public Action<bool> Interrupt { get; set; } = _ => { };

    public bool InterruptLevel => _irq;

    /// <summary>Bytes supplied by the host but not yet in the receive FIFO.</summary>
    public int HostBytesWaiting => _hostRx.Count;

    public Pl011() => Reset();

    public void Reset()
    {
        _flags = FlagTxfe | FlagRxfe;
        _lcr = 0; _rsr = 0; _cr = 0x300; _dmacr = 0; _intEnabled = 0; _intLevel = 0;
        _ilpr = 0; _ibrd = 0; _fbrd = 0; _ifl = 0x12;
        _readPos = 0; _readCount = 0;
        Array.Clear(_readFifo);
        UpdateInterrupt();
    }

    /// <summary>The host sends bytes to the guest; they enter the FIFO as it has room.</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _hostRx.Enqueue(b);
        FillFromHost();
    }

    /// <summary>
    /// Takes the oldest byte of console input the guest has not read, for semihosting's console reads: first from the
    /// receive FIFO (as a UARTDR read would: flags and interrupt follow), else from the host queue; false at the end
    /// of the input. The UART and semihosting thus share one input stream, in order, as QEMU's shared chardev.
    /// </summary>
    public bool TryTakeInput(out byte value)
    {
        value = 0;
        if (_readCount == 0) FillFromHost();
        if (_readCount == 0) return false;
        value = (byte)ReadDr();
        return true;
    }

    private bool CanReceive => _readCount < ((_lcr & LcrFen) != 0 ? FifoDepth : 1);

    private void FillFromHost()
    {
        while (_hostRx.Count > 0 && CanReceive) PutFifo(_hostRx.Dequeue());
    }

    /// <summary>QEMU pl011_put_fifo.</summary>
    private void PutFifo(byte value)
    {
        int slot = (_readPos + _readCount) % FifoDepth;
        _readFifo[slot] = value;
        _readCount++;
        _flags &= ~FlagRxfe;
        if ((_lcr & LcrFen) == 0 || _readCount == FifoDepth) _flags |= FlagRxff;
        if (_readCount == 1) // the read trigger level
        {
            _intLevel |= IntRx;
            UpdateInterrupt();
        }
    }

    private uint ReadDr()
    {
        _flags &= ~FlagRxff;
        uint c = _readFifo[_readPos]; // an empty FIFO returns the stale slot, as QEMU
        if (_readCount > 0)
        {
            _readCount--;
            _readPos = (_readPos + 1) % FifoDepth;
        }
        if (_readCount == 0)
        {
            _flags |= FlagRxfe;
            _intLevel &= ~IntRx;
        }
        _rsr = c >> 8;
        UpdateInterrupt();
        FillFromHost();
        return c;
    }

    private void UpdateInterrupt()
    {
        bool level = (_intLevel & _intEnabled) != 0;
        if (level == _irq) return;
        _irq = level;
        Interrupt(level);
    }

    public MmioAccessSizes AccessSizes => MmioAccessSizes.UpToWord;

    /// <summary>QEMU pl011_read: an offset with no register reads as zero (QEMU's "pl011_read: Bad offset").</summary>
    public MmioStatus Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        switch (offset >> 2)
        {
            case 0: value = ReadDr(); break;
            case 1: value = _rsr; break;
            case 6: value = _flags; break;
            case 8: value = _ilpr; break;
            case 9: value = _ibrd; break;
            case 10: value = _fbrd; break;
            case 11: value = _lcr; break;
            case 12: value = _cr; break;
            case 13: value = _ifl; break;
            case 14: value = _intEnabled; break;
            case 15: value = _intLevel; break;
            case 16: value = _intLevel & _intEnabled; break;
            case 18: value = _dmacr; break;
            case >= 0x3F8 and <= 0x3FF: value = Id[(offset - 0xFE0) >> 2]; break;
            default: return MmioStatus.Unimplemented;
        }
        return MmioStatus.Ok;
    }

    /// <summary>QEMU pl011_write: a write where no register takes it (UARTRIS, UARTMIS, the IDs, reserved) is ignored.</summary>
    public MmioStatus Write(ulong offset, int size, ulong value)
    {
        uint v = (uint)value;
        switch (offset >> 2)
        {
            case 0:
                Transmit((byte)v);
                _intLevel |= IntTx;
                UpdateInterrupt();
                break;
            case 1: _rsr = 0; break;
            case 6: break; // UARTFR is read-only
            case 8: _ilpr = v; break;
            case 9: _ibrd = v; break;
            case 10: _fbrd = v; break;
            case 11:
                // Enabling or disabling the FIFOs empties them (QEMU leaves the flags as they were).
                if (((_lcr ^ v) & LcrFen) != 0) { _readCount = 0; _readPos = 0; }
                _lcr = v;
                FillFromHost();
                break;
            case 12: _cr = v; break;
            case 13: _ifl = v; break;
            case 14: _intEnabled = v; UpdateInterrupt(); break;
            case 17: _intLevel &= ~v; UpdateInterrupt(); break;
            case 18: _dmacr = v; break;
            default: return MmioStatus.Unimplemented;
        }
        return MmioStatus.Ok;
    }
}
