using System.CommandLine;
using System.Globalization;
using Aegis.Emulator.Devices.Snapshots;
using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emu;

/// <summary>
/// `--save-at CYCLE FILE` and `--restore FILE` of `run` and `boot` (docs/SNAPSHOTS.md): the run stops at the first
/// instruction boundary at or after CYCLE (counted from reset), writes the whole machine to FILE and goes on; a restored
/// run starts where the saved one stopped, and its limits still count from reset, so it ends where the uninterrupted
/// run ends, with the same console output after the save point, registers, instructions and cycles.
/// </summary>
internal sealed record SnapshotOptions(ulong? SaveAtCycle, string? SaveFile, string? RestoreFile)
{
    public static readonly SnapshotOptions None = new(null, null, null);

    public static Option<string[]> SaveAtOption() => new("--save-at")
    {
        Description = "at the first instruction boundary at or after CYCLE (from reset), write a snapshot of the whole machine to FILE and run on",
        HelpName = "CYCLE FILE",
        Arity = new ArgumentArity(2, 2),
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> RestoreOption() => new("--restore")
    {
        Description = "start from the machine snapshot in FILE (made by --save-at with the same board options); limits still count from reset",
        HelpName = "FILE",
    };

    /// <summary>The parsed options, or the error line's text.</summary>
    public static string? Parse(string[]? saveAt, string? restore, out SnapshotOptions options)
    {
        options = None;
        if (saveAt is null or { Length: 0 }) { options = new(null, null, restore); return null; }
        if (saveAt.Length != 2) return "--save-at takes CYCLE FILE";
        if (!ulong.TryParse(saveAt[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong cycle))
            return $"--save-at {saveAt[0]}: CYCLE must be a number of cycles";
        options = new(cycle, saveAt[1], restore);
        return null;
    }

    public bool Any => SaveAtCycle is not null || RestoreFile is not null;

    /// <summary>Reads the --restore file; the error line's text (exit 2) or null.</summary>
    public string? Read(out MachineSnapshot? snapshot)
    {
        snapshot = null;
        if (RestoreFile is not { } path) return null;
        if (Directory.Exists(path)) return $"{path}: is a directory, not a machine snapshot";
        if (!File.Exists(path)) return $"{path}: no such file";
        try
        {
            using var f = File.OpenRead(path);
            snapshot = MachineSnapshot.ReadFrom(f);
            return null;
        }
        catch (SnapshotException e) { return $"{path}: {e.Message}"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot read {path}: {e.Message}"; }
    }

    /// <summary>Writes a snapshot to the --save-at file and says so; the error line's text or null.</summary>
    public string? Write(MachineSnapshot snapshot, TextWriter stderr)
    {
        try
        {
            using (var f = File.Create(SaveFile!)) snapshot.WriteTo(f);
            stderr.WriteLine($"[aegis-emu] snapshot at cycle {snapshot.Cycles} ({snapshot.Retired} instructions) written to {SaveFile}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot write {SaveFile}: {e.Message}"; }
    }
}
