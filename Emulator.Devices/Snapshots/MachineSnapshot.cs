using System.Security.Cryptography;
using System.Text;
using Aegis.Emulator.Mmu;
using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices.Snapshots;

/// <summary>
/// The complete state of a <see cref="VirtBoard"/> at one moment (<see cref="VirtBoard.TakeSnapshot"/>): the state of
/// every component (CPU, system registers, timer, PMU, exclusive monitor, MMU and TLB, timing model, event queue, GIC,
/// PL011, flash, PSCI, semihosting) and the memory image of RAM and flash, plus named extra sections that host-side
/// observers add (the AegisOS task accounting). Immutable once taken: restore it any number of times, into the board it
/// came from (in memory: only the pages written since are copied back) or into another board with the same options.
/// <see cref="WriteTo"/> and <see cref="ReadFrom"/> are the file format of docs/SNAPSHOTS.md.
/// </summary>
public sealed class MachineSnapshot
{
    public const string Magic = "AEGISNAP";
    public const uint FormatVersion = 4;
    private const int HashBytes = 32;

    public SnapshotBoard Board { get; }
    /// <summary>The clock and instructions retired when it was taken (also in the state; here for people and tools).</summary>
    public ulong Cycles { get; }
    public ulong Retired { get; }
    internal byte[] State { get; }
    public MemoryImage Memory { get; }
    /// <summary>Sections of host-side observers, by name; written to and read from the file with the rest.</summary>
    public Dictionary<string, byte[]> Extras { get; } = new();

    internal MachineSnapshot(SnapshotBoard board, ulong cycles, ulong retired, byte[] state, MemoryImage memory)
    {
        Board = board;
        Cycles = cycles;
        Retired = retired;
        State = state;
        Memory = memory;
    }

    // ---- file format --------------------------------------------------------------------------------------------

    /// <summary>Writes the snapshot (docs/SNAPSHOTS.md): magic, version, board, sections, SHA-256 of everything before it.</summary>
    public void WriteTo(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashing = new HashingStream(stream, hash, writing: true);
        using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(FormatVersion);
            w.Write(Board.RamSize); w.Write(Board.El2); w.Write(Board.Timing); w.Write(Board.TimingConfig);
            w.Write(Cycles); w.Write(Retired);
            WriteSection(w, "state", State.Length, s => s.Write(State));
            int pages = Memory.StoredPageCount;
            WriteSection(w, "memory", 8 + 8 + 4 + (long)pages * (4 + 4096), s =>
            {
                s.Write(Memory.RamSize); s.Write(Memory.CodeSpaceSize); s.Write(pages);
                foreach (var (page, bytes) in Memory.StoredPages()) { s.Write(page); s.Write(bytes); }
            });
            foreach (var (name, bytes) in Extras.OrderBy(e => e.Key, StringComparer.Ordinal))
                WriteSection(w, "x." + name, bytes.Length, s => s.Write(bytes));
            WriteSection(w, "end", 0, _ => { });
        }
        stream.Write(hash.GetHashAndReset());
    }

    private static void WriteSection(BinaryWriter w, string name, long length, Action<BinaryWriter> body)
    {
        w.Write(name);
        w.Write(length);
        long start = w.BaseStream.Position;
        body(w);
        if (w.BaseStream.Position - start != length) throw new InvalidOperationException($"section {name}: wrote {w.BaseStream.Position - start} bytes, announced {length}");
    }

    /// <summary>
    /// Reads a snapshot file whole and checks it before anything uses it: a stream that is not a snapshot, of another
    /// format version, truncated or whose SHA-256 does not match its contents is a <see cref="SnapshotException"/>.
    /// </summary>
    public static MachineSnapshot ReadFrom(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var hashing = new HashingStream(stream, hash, writing: false);
        using var r = new BinaryReader(hashing, Encoding.UTF8, leaveOpen: true);
        string where = "the header";
        try
        {
            var magic = r.ReadBytes(Magic.Length);
            if (magic.Length < Magic.Length || Encoding.ASCII.GetString(magic) != Magic)
                throw new SnapshotException($"not an Aegis.Emu machine snapshot (no {Magic} magic at its start)");
            uint version = r.ReadUInt32();
            if (version != FormatVersion)
                throw new SnapshotException($"snapshot format version {version}; this Aegis.Emu reads version {FormatVersion} only");
            var board = new SnapshotBoard(r.ReadUInt64(), r.ReadBoolean(), r.ReadString(), r.ReadString());
            ulong cycles = r.ReadUInt64(), retired = r.ReadUInt64();
            byte[]? state = null;
            MemoryImage? memory = null;
            var extras = new Dictionary<string, byte[]>();
            while (true)
            {
                where = "a section header";
                string name = r.ReadString();
                long length = r.ReadInt64();
                where = $"the '{name}' section";
                if (length < 0 || (stream.CanSeek && length > stream.Length - stream.Position)) throw new EndOfStreamException();
                if (name == "end") break;
                if (name == "state") state = ReadExactly(r, length);
                else if (name == "memory") memory = ReadMemory(r, length);
                else if (name.StartsWith("x.", StringComparison.Ordinal)) extras[name[2..]] = ReadExactly(r, length);
                else throw new SnapshotException($"unknown section '{name}' in a version {FormatVersion} snapshot");
            }
            where = "the checksum";
            byte[] expected = hash.GetHashAndReset();
            var stored = new byte[HashBytes];
            stream.ReadExactly(stored);
            if (!CryptographicOperations.FixedTimeEquals(expected, stored))
                throw new SnapshotException("the snapshot is corrupt: its SHA-256 checksum does not match its contents");
            if (state is null || memory is null) throw new SnapshotException("the snapshot has no 'state' or no 'memory' section");
            if (memory.RamSize != board.RamSize) throw new SnapshotException($"the snapshot's memory image has {memory.RamSize} bytes of RAM, its board {board.RamSize}");
            var snapshot = new MachineSnapshot(board, cycles, retired, state, memory);
            foreach (var (k, v) in extras) snapshot.Extras[k] = v;
            return snapshot;
        }
        catch (EndOfStreamException) { throw new SnapshotException($"the snapshot is truncated (it ends in {where})"); }
        catch (IOException e) when (e is not EndOfStreamException) { throw new SnapshotException($"the snapshot cannot be read: {e.Message}", e); }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        { throw new SnapshotException($"the snapshot is corrupt (in {where}): {e.Message}", e); }
    }

    private static byte[] ReadExactly(BinaryReader r, long length)
    {
        if (length > int.MaxValue) throw new SnapshotException($"a section of {length} bytes is too large");
        var bytes = new byte[length];
        r.BaseStream.ReadExactly(bytes);
        return bytes;
    }

    private static MemoryImage ReadMemory(BinaryReader r, long length)
    {
        ulong ramSize = r.ReadUInt64(), codeSpaceSize = r.ReadUInt64();
        int count = r.ReadInt32();
        if (count < 0 || 20 + (long)count * (4 + 4096) != length || codeSpaceSize < ramSize || (codeSpaceSize & 0xFFF) != 0 || codeSpaceSize > (1UL << 40))
            throw new SnapshotException("the snapshot's memory section is corrupt (its sizes disagree)");
        var pages = new List<(int, byte[])>(count);
        for (int i = 0; i < count; i++)
        {
            int page = r.ReadInt32();
            var bytes = new byte[4096];
            r.BaseStream.ReadExactly(bytes);
            pages.Add((page, bytes));
        }
        return MemoryImage.FromPages(ramSize, codeSpaceSize, pages);
    }

    /// <summary>Passes bytes through to or from the file and into the hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash, bool writing) : Stream
    {
        public override bool CanRead => !writing;
        public override bool CanSeek => false;
        public override bool CanWrite => writing;
        public override long Length => inner.Length;
        private long _position;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            _position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            hash.AppendData(buffer);
            _position += buffer.Length;
        }
    }
}
