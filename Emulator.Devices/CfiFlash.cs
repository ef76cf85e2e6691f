using System.Buffers.Binary;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>
/// CFI parallel NOR flash with the Intel/Sharp command set (CFI primary command set 0x0001), as QEMU 7.2's
/// hw/block/pflash_cfi01.c models it. On `-M virt` two banks of 64 MiB (0x0000_0000 and 0x0400_0000) each
/// emulate two x16 devices side by side on a 32-bit bus: "width" (bank width) 4, "device-width" 2, 256 KiB
/// sectors, little-endian, ID codes 0x89 (manufacturer, Intel) and 0x18 (device).
/// <code>
///   write  cycle 0           then                          reads return
///   0xFF / 0x00 / 0xF0       read array (0xF0: AMD probe)  the array (the CPU may execute from it)
///   0x70                     read status register          status in each device's lane
///   0x90                     read identifier               0x89 at word 0, 0x18 at word 1, else 0
///   0x98                     CFI query                     the query table (byte n at word n); 0xFF leaves
///   0x50                     clear status                  the array
///   0x10 / 0x40              word program: one data write  status
///   0x20                     block erase (erases AT ONCE), 0xD0 confirms                 status
///   0xE8                     write to buffer: count N-1, N data writes, 0xD0 commits     status
///   0x60                     lock setup: 0xD0 / 0x01 (locks are not modelled)            status
///   status bits              0x80 ready (WSMS, always set), 0x10 program error (0x20, erase error, only on
///                            read-only banks in QEMU, which virt's -bios and unbacked banks are not)
/// </code>
/// As QEMU: operations complete instantly; erase writes 0xFF over the 256 KiB sector as soon as 0x20 is written;
/// a write-to-buffer collects its words in a buffer for the write block (4 KiB, aligned) holding the address the
/// count was written to, and copies it into the array on the 0xD0 confirm; a word outside that block sets the
/// program error bit, and a confirm with the error set, or any other final write, discards the buffer and returns to
/// read-array mode (QEMU 7.2.22 as Debian ships it, checked on it); an unknown command returns to read-array mode;
/// a bank given no image reads as zeros (QEMU's ROM device memory starts zeroed); the device takes accesses of 1, 2
/// and 4 bytes (the bus makes an 8-byte access two 4-byte ones, lower address first, as QEMU's default for the ops). Status and query answers are replicated
/// into each device's 16-bit lane of the bank width, as pflash_cfi_query/pflash_devid_query do, and truncated to
/// the access size. Reads and data writes need no alignment.
/// <para>Leaving read-array mode (any first write cycle other than a return to it) makes the bank's array
/// unavailable to instruction fetch, as QEMU's "romd" switch: a fetch from the bank then takes an external abort
/// (QEMU 7.2 would fetch the status words through the device and execute them).</para>
/// </summary>
public sealed partial class CfiFlash : IRomDevice
{
    public const byte CmdReadArrayQemu = 0x00, CmdProgramAlt = 0x10, CmdBlockErase = 0x20, CmdProgram = 0x40,
        CmdClearStatus = 0x50, CmdLockSetup = 0x60, CmdReadStatus = 0x70, CmdReadIdentifier = 0x90, CmdCfiQuery = 0x98,
        CmdConfirm = 0xD0, CmdWriteToBuffer = 0xE8, CmdAmdProbe = 0xF0, CmdReadArray = 0xFF, CmdLockBlock = 0x01;
    public const byte StatusReady = 0x80, StatusProgramError = 0x10;

    private readonly byte[] _cfiTable = new byte[0x52];
    private readonly ushort _id0, _id1;
    private RomStorage? _storage;
    private int _wcycle;
    private byte _cmd;
    private byte _status;
    private ulong _counter;
    private bool _romd = true;
    private readonly byte[] _blockBytes; // QEMU blk_bytes: the write-to-buffer block until confirmed
    private long _blockOffset = -1;     // QEMU blk_offset: -1 when no buffer is open

    public ulong Size { get; }
    public ulong SectorLength { get; }
    /// <summary>QEMU "width": bytes of the bus the bank answers on.</summary>
    public int BankWidth { get; }
    /// <summary>QEMU "device-width" (= "max-device-width"): bytes of one flash chip of the bank.</summary>
    public int DeviceWidth { get; }

    public CfiFlash(ulong size, ulong sectorLength, int bankWidth = 4, int deviceWidth = 2, ushort id0 = 0x89, ushort id1 = 0x18)
    {
        if (sectorLength == 0 || (sectorLength & (sectorLength - 1)) != 0 || size % sectorLength != 0 || size == 0)
            throw new ArgumentException("the size must be a non-zero multiple of a power-of-two sector length");
        if (bankWidth is not (1 or 2 or 4) || deviceWidth is not (1 or 2 or 4) || deviceWidth > bankWidth)
            throw new ArgumentException("bank and device widths must be 1, 2 or 4 bytes, the device no wider than the bank");
        Size = size;
        SectorLength = sectorLength;
        BankWidth = bankWidth;
        DeviceWidth = deviceWidth;
        _id0 = id0;
        _id1 = id1;
        FillCfiTable();
        _blockBytes = new byte[WriteBlockSize];
        Reset();
    }

    /// <summary>Bytes one buffered write may cover: the buffer of each device times the devices (QEMU writeblock_size).</summary>
    public int WriteBlockSize => (1 << _cfiTable[0x2A]) * (BankWidth / DeviceWidth);

    public bool ArrayMode => _romd;

    public void Attach(RomStorage storage)
    {
        if ((ulong)storage.Size != Size) throw new ArgumentException("the storage does not match the flash size");
        _storage = storage;
    }

    private RomStorage Storage => _storage ?? throw new InvalidOperationException("the flash is not mapped on a bus");

    /// <summary>System reset (QEMU pflash_cfi01_system_reset): read-array mode, status ready.</summary>
    public void Reset()
    {
        _cmd = CmdReadArrayQemu;
        _wcycle = 0;
        _status = StatusReady;
        _blockOffset = -1;
        SetRomd(true);
    }

    /// <summary>Writes an image at the start of the array, as QEMU's -bios or a pflash drive; the rest is unchanged.</summary>
    public void LoadImage(ReadOnlySpan<byte> image)
    {
        if ((ulong)image.Length > Size) throw new ArgumentException($"the image ({image.Length} bytes) is larger than the flash ({Size} bytes)");
        Storage.Write(0, image);
    }

    /// <summary>QEMU pflash_cfi01_fill_cfi_table (device_width set, not old-multiple-chip-handling).</summary>
    private void FillCfiTable()
    {
        int devices = BankWidth / DeviceWidth;
        ulong blocksPerDevice = Size / SectorLength;
        ulong sectorPerDevice = SectorLength / (ulong)devices;
        ulong deviceLength = sectorPerDevice * blocksPerDevice;
        byte[] t = _cfiTable;
        t[0x10] = (byte)'Q'; t[0x11] = (byte)'R'; t[0x12] = (byte)'Y';
        t[0x13] = 0x01; t[0x14] = 0x00;   // primary command set: Intel/Sharp extended
        t[0x15] = 0x31; t[0x16] = 0x00;   // primary extended table at 0x31
        t[0x1B] = 0x45; t[0x1C] = 0x55;   // Vcc min / max
        t[0x1F] = 0x07; t[0x20] = 0x07; t[0x21] = 0x0A; // typical timeouts: word write, buffer write, block erase
        t[0x23] = 0x04; t[0x24] = 0x04; t[0x25] = 0x04; // maximum timeouts
        t[0x27] = (byte)System.Numerics.BitOperations.TrailingZeroCount(deviceLength); // device size, log2 bytes
        t[0x28] = 0x02; t[0x29] = 0x00;   // interface: x8/x16
        t[0x2A] = (byte)(BankWidth == 1 ? 0x08 : 0x0B); // log2 of the write buffer
        t[0x2C] = 0x01;                   // one erase block region
        t[0x2D] = (byte)(blocksPerDevice - 1); t[0x2E] = (byte)((blocksPerDevice - 1) >> 8);
        t[0x2F] = (byte)(sectorPerDevice >> 8); t[0x30] = (byte)(sectorPerDevice >> 16);
        t[0x31] = (byte)'P'; t[0x32] = (byte)'R'; t[0x33] = (byte)'I'; t[0x34] = (byte)'1'; t[0x35] = (byte)'0';
        t[0x3F] = 0x01;                   // protection fields
    }

    public MmioAccessSizes AccessSizes => MmioAccessSizes.UpToWord;

    /// <summary>QEMU pflash_read; the bus keeps the low <paramref name="size"/> bytes of the answer. Every offset is an
    /// array address, so no access is a guest error (QEMU logs an unknown command sequence as unimplemented, not as one).</summary>
    public MmioStatus Read(ulong offset, int size, out ulong value)
    {
        value = _cmd switch
        {
            CmdReadArrayQemu => DataRead(offset, size),
            CmdProgramAlt or CmdBlockErase or CmdProgram or CmdClearStatus or CmdLockSetup or CmdReadStatus or CmdWriteToBuffer => StatusRead(size),
            CmdReadIdentifier => PerBank(offset, size, IdentifierQuery),
            CmdCfiQuery => PerBank(offset, size, CfiQuery),
            _ => DataRead(offset, size),
        };
        return MmioStatus.Ok;
    }

    private uint DataRead(ulong offset, int size)
    {
        var bytes = Storage.Bytes.Slice((int)offset, size);
        return size switch { 1 => bytes[0], 2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes), _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes) };
    }

    /// <summary>The status of each device in its lane (QEMU: repeated while a whole device width fits the access).</summary>
    private uint StatusRead(int size)
    {
        uint ret = _status;
        for (int shift = DeviceWidth * 8; shift + DeviceWidth * 8 <= size * 8; shift += DeviceWidth * 8) ret |= (uint)_status << shift;
        return ret;
    }

    /// <summary>QEMU: an access wider than the bank combines one answer per bank width (one answer at virt's width 4).</summary>
    private uint PerBank(ulong offset, int size, Func<ulong, uint> query)
    {
        uint ret = uint.MaxValue;
        for (int i = 0; i < size; i += BankWidth)
        {
            int bits = BankWidth * 8;
            uint mask = bits == 32 ? uint.MaxValue : ((1u << bits) - 1) << (i * 8);
            ret = (ret & ~mask) | ((query(offset + (ulong)(i * BankWidth)) << (i * 8)) & mask);
        }
        return ret;
    }

    /// <summary>Query addresses count in device words across the bank (max device width = device width here).</summary>
    private int WordIndex(ulong offset) => (int)Math.Min(offset >> System.Numerics.BitOperations.TrailingZeroCount(BankWidth), int.MaxValue);

    private uint CfiQuery(ulong offset)
    {
        int boff = WordIndex(offset);
        return boff >= _cfiTable.Length ? 0 : Replicate(_cfiTable[boff]);
    }

    private uint IdentifierQuery(ulong offset) => (WordIndex(offset) & 0xFF) switch
    {
        0 => Replicate(_id0),
        1 => Replicate(_id1),
        _ => 0, // block lock status (words 2, 3) is not modelled
    };

    /// <summary>One device's answer copied into every device lane of the bank.</summary>
    private uint Replicate(uint resp)
    {
        for (int i = DeviceWidth; i < BankWidth; i += DeviceWidth)
        {
            int bits = DeviceWidth * 8;
            uint mask = ((1u << bits) - 1) << (i * 8);
            resp = (resp & ~mask) | ((resp << (i * 8)) & mask);
        }
        return resp;
    }

    public MmioStatus Write(ulong offset, int size, ulong value)
    {
        PflashWrite(offset, (uint)value, size);
        return MmioStatus.Ok;
    }

    /// <summary>QEMU pflash_write: the command state machine.</summary>
    private void PflashWrite(ulong offset, uint value, int width)
    {
        byte cmd = (byte)value;
        if (_wcycle == 0) SetRomd(false); // I/O mode until a return to read array
        switch (_wcycle)
        {
            case 0:
                switch (cmd)
                {
                    case CmdReadArrayQemu or CmdAmdProbe or CmdReadArray: ReadArrayMode(); return;
                    case CmdProgramAlt or CmdProgram: break;
                    case CmdBlockErase:
                        Storage.Fill((int)(offset & ~(SectorLength - 1)), (int)SectorLength, 0xFF);
                        _status |= StatusReady;
                        break;
                    case CmdClearStatus: _status = 0; ReadArrayMode(); return;
                    case CmdLockSetup: break;
                    case CmdReadStatus or CmdReadIdentifier: _cmd = cmd; return;
                    case CmdCfiQuery: break;
                    case CmdWriteToBuffer: _status |= StatusReady; break;
                    default: ReadArrayMode(); return; // unimplemented sequence
                }
                _wcycle++;
                _cmd = cmd;
                return;
            case 1:
                switch (_cmd)
                {
                    case CmdProgramAlt or CmdProgram:
                        DataWrite(offset, value, width);
                        _status |= StatusReady;
                        _wcycle = 0;
                        return;
                    case CmdBlockErase:
                        if (cmd == CmdConfirm) { _wcycle = 0; _status |= StatusReady; }
                        else ReadArrayMode(); // 0xFF reads the array; anything else is an unimplemented sequence
                        return;
                    case CmdWriteToBuffer:
                        _counter = value & (DeviceWidth == 4 ? uint.MaxValue : (1u << (8 * DeviceWidth)) - 1); // words - 1, in one device's lane
                        _wcycle++;
                        // The buffer covers the write block of the address the count is written to.
                        _blockOffset = (long)(offset & ~(ulong)(WriteBlockSize - 1));
                        Storage.Bytes.Slice((int)_blockOffset, WriteBlockSize).CopyTo(_blockBytes);
                        return;
                    case CmdLockSetup:
                        if (cmd is CmdConfirm or CmdLockBlock) { _wcycle = 0; _status |= StatusReady; }
                        else ReadArrayMode();
                        return;
                    case CmdCfiQuery:
                        if (cmd == CmdReadArray) ReadArrayMode(); // any other write stays in query mode
                        return;
                    default: ReadArrayMode(); return;
                }
            case 2:
                if (_cmd != CmdWriteToBuffer) { ReadArrayMode(); return; }
                BufferWrite(offset, value, width);
                _status |= StatusReady;
                if (_counter == 0) _wcycle++;
                _counter--;
                return;
            case 3:
                if (_cmd == CmdWriteToBuffer && cmd == CmdConfirm && (_status & StatusProgramError) == 0)
                {
                    Storage.Write((int)_blockOffset, _blockBytes);
                    _blockOffset = -1;
                    _wcycle = 0;
                    _status |= StatusReady;
                }
                else
                {
                    _blockOffset = -1; // discarded
                    ReadArrayMode();
                }
                return;
            default: ReadArrayMode(); return;
        }
    }

    private void DataWrite(ulong offset, uint value, int width)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Storage.Write((int)offset, bytes[..width]);
    }

    /// <summary>A word of a write-to-buffer: into the buffer, or the program error bit when outside its block.</summary>
    private void BufferWrite(ulong offset, uint value, int width)
    {
        if (_blockOffset < 0 || offset < (ulong)_blockOffset || offset + (ulong)width > (ulong)_blockOffset + (ulong)WriteBlockSize)
        {
            _status |= StatusProgramError;
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        bytes[..width].CopyTo(_blockBytes.AsSpan((int)(offset - (ulong)_blockOffset)));
    }

    /// <summary>QEMU's mode_read_array label.</summary>
    private void ReadArrayMode()
    {
        SetRomd(true);
        _wcycle = 0;
        _cmd = CmdReadArrayQemu;
    }

    private void SetRomd(bool romd)
    {
        if (romd == _romd) return;
        _romd = romd;
        _storage?.ArrayModeChanged();
    }
}
