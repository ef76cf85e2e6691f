namespace Aegis.Emulator.Devices.Snapshots;

/// <summary>
/// The board options a snapshot needs the restoring board to share: RAM size, EL2, the timing model and its
/// configuration (the A53 model's caches, predictor and latencies, as the record prints them).
/// </summary>
public sealed record SnapshotBoard(ulong RamSize, bool El2, string Timing, string TimingConfig)
{
    public static SnapshotBoard Of(VirtBoardOptions o) =>
        new(o.RamSize, o.El2, o.Timing, o.Timing == Cpu.TimingModels.A53 ? o.A53.ToString() : "");

    /// <summary>What differs from <paramref name="other"/> (this is the snapshot's), for an error message; empty when nothing does.</summary>
    public string Differences(SnapshotBoard other)
    {
        var d = new List<string>();
        if (RamSize != other.RamSize) d.Add($"RAM {Mib(RamSize)} in the snapshot, {Mib(other.RamSize)} here");
        if (El2 != other.El2) d.Add($"EL2 {(El2 ? "on" : "off")} in the snapshot, {(other.El2 ? "on" : "off")} here");
        if (Timing != other.Timing) d.Add($"timing model '{Timing}' in the snapshot, '{other.Timing}' here");
        else if (TimingConfig != other.TimingConfig) d.Add($"the {Timing} model's configuration differs (snapshot: {TimingConfig}; here: {other.TimingConfig})");
        return string.Join("; ", d);
    }

    private static string Mib(ulong bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
