using System.Numerics;

namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>
/// The A64 decoder, built from <see cref="A64Table.Rows"/>: rows are bucketed on bits [31:21]
/// (2048 buckets), most specific pattern first, so a decode is a short scan of one bucket.
/// Anything no row accepts is UNDEFINED.
/// </summary>
public static unsafe class Decoder
{
    private const int BucketShift = 21;
    private static readonly int[][] Buckets = BuildBuckets();

    /// <summary>The row that handles UNDEFINED encodings.</summary>
    public static readonly EncodingRow Undefined =
        new("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "UNDEFINED", &Exceptions.ExceptionHandlers.Undefined, TimingClass.Exception);

    public const ushort UndefinedRow = ushort.MaxValue;

    private static int[][] BuildBuckets()
    {
        var rows = A64Table.Rows;
        // Most fixed bits first; the table's own order breaks ties.
        var order = Enumerable.Range(0, rows.Length)
            .OrderByDescending(i => BitOperations.PopCount(rows[i].Mask)).ThenBy(i => i).ToArray();
        // A row goes in every bucket its fixed top bits allow: its fixed value with each subset of its free top bits
        // (enumerated as submasks), not a test of every row against every bucket (a start-up cost of every run).
        var lists = new List<int>[1 << (32 - BucketShift)];
        for (int b = 0; b < lists.Length; b++) lists[b] = [];
        foreach (int i in order)
        {
            uint fixedTop = (rows[i].Value & rows[i].Mask) >> BucketShift, freeTop = ~rows[i].Mask >> BucketShift;
            uint subset = freeTop;
            while (true)
            {
                lists[fixedTop | subset].Add(i);
                if (subset == 0) break;
                subset = (subset - 1) & freeTop;
            }
        }
        return Array.ConvertAll(lists, l => l.ToArray());
    }

    /// <summary>Decodes <paramref name="raw"/> into <paramref name="inst"/>. Returns the row, or <see cref="Undefined"/>.</summary>
    public static EncodingRow Decode(uint raw, ref DecodedInst inst)
    {
        var rows = A64Table.Rows;
        foreach (int i in Buckets[raw >> BucketShift])
        {
            var row = rows[i];
            if (!row.Matches(raw)) continue;
            Fill(ref inst, raw, row, (ushort)i);
            if (row.Prepare is null || row.Prepare(raw, ref inst))
            {
                StaticOperands.Derive(raw, ref inst);
                return row;
            }
        }
        Fill(ref inst, raw, Undefined, UndefinedRow);
        StaticOperands.Derive(raw, ref inst);
        return Undefined;
    }

    /// <summary>The row an encoding decodes to, without keeping the decoded form.</summary>
    public static EncodingRow RowOf(uint raw)
    {
        var inst = default(DecodedInst);
        return Decode(raw, ref inst);
    }

    public static EncodingRow RowAt(ushort index) => index == UndefinedRow ? Undefined : A64Table.Rows[index];

    private static void Fill(ref DecodedInst inst, uint raw, EncodingRow row, ushort index)
    {
        inst = default;
        inst.Raw = raw;
        inst.Row = index;
        inst.Execute = row.Execute;
        inst.Timing = row.Timing;
        inst.Rd = (byte)(raw & 31);
        inst.Rn = (byte)((raw >> 5) & 31);
        inst.Rm = (byte)((raw >> 16) & 31);
        inst.Ra = (byte)((raw >> 10) & 31);
    }
}
