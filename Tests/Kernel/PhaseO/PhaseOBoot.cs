using System.Text;
using System.Text.RegularExpressions;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Kernel.Boot;

namespace Aegis.Tests.Kernel.PhaseO;

/// <summary>Phase O expectations shared by the emulator and QEMU tests.</summary>
internal static class PhaseOBoot
{
    /// <summary>The 34 checkpoints: the 32 of REF §10 plus the logger's first two (issue "Phase O").</summary>
    public static IReadOnlyList<string> Checkpoints { get; } = [.. BootCheckpoints.All, "LOGGER:init", "LOG:1"];

    /// <summary>The checkpoints missing from <paramref name="output"/> (REF §10 checks presence, not order).</summary>
    public static List<string> Missing(string output) => Checkpoints.Where(c => !output.Contains(c, StringComparison.Ordinal)).ToList();

    /// <summary>The hex digits the logger printed, in order ("LOG:" + one digit, REF §9): its first 16 readings
    /// (UserImages/logger/logger.c; after them it reports counts, <see cref="LoggerReports"/>).</summary>
    public static string Readings(string output) =>
        string.Concat(Regex.Matches(output, "LOG:([0-9a-f])").Select(m => m.Groups[1].Value));

    /// <summary>Length of the run of consecutive readings from the first one: each is the previous + 1 mod 16.</summary>
    public static int ConsecutiveRun(string digits)
    {
        if (digits.Length == 0) return 0;
        int n = 1;
        while (n < digits.Length && Convert.ToInt32(digits[n].ToString(), 16) == (Convert.ToInt32(digits[n - 1].ToString(), 16) + 1) % 16) n++;
        return n;
    }

    /// <summary>One report of the logger: "LOGGER: n readings logged (last r, k out of order)".</summary>
    public sealed record LoggerReport(ulong Logged, ulong Last, ulong OutOfOrder)
    {
        /// <summary>Every reading arrived, once and in order: the sensor counts from 0, so the n-th is n - 1.</summary>
        public bool AllInOrder => OutOfOrder == 0 && Logged > 0 && Last == Logged - 1;
    }

    public static List<LoggerReport> LoggerReports(string output) =>
        Regex.Matches(output, @"LOGGER: ([0-9]+) readings logged \(last ([0-9]+), ([0-9]+) out of order\)\n")
            .Select(m => new LoggerReport(ulong.Parse(m.Groups[1].Value), ulong.Parse(m.Groups[2].Value), ulong.Parse(m.Groups[3].Value))).ToList();

    /// <summary>Why the sensor's count of readings sent and the logger's count of readings logged may differ by one,
    /// either way: a SEND that found the logger waiting returns before the logger counts the reading, and a SEND queued
    /// until the logger's RECV is counted by the logger before the sensor runs again.</summary>
    public const string InFlight = "one reading may be in flight (sent, not yet logged; or logged, the SEND not yet returned)";

    /// <summary>The counts of the sensor's reports, "SENSOR: n readings sent".</summary>
    public static List<ulong> SensorReports(string output) =>
        Regex.Matches(output, @"SENSOR: ([0-9]+) readings sent\n").Select(m => ulong.Parse(m.Groups[1].Value)).ToList();

    /// <summary>The logger's own counters (.bss of UserImages/bin/logger.elf, slot 2) and the sensor's count of
    /// readings sent (sensor.elf, slot 1), read from guest RAM: the slots are identity-mapped.</summary>
    public static (LoggerReport Logger, ulong Sent) Counters(Aegis.Emulator.Mmu.PhysicalBus bus) =>
        Counters(bus, Path.Combine(Guests.GuestPrograms.RepoRoot, "UserImages", "bin"));

    /// <summary>The same with the ELF files in <paramref name="dir"/>.</summary>
    public static (LoggerReport Logger, ulong Sent) Counters(Aegis.Emulator.Mmu.PhysicalBus bus, string dir)
    {
        byte[] logger = File.ReadAllBytes(Path.Combine(dir, "logger.elf")), sensor = File.ReadAllBytes(Path.Combine(dir, "sensor.elf"));
        ulong Read(byte[] elf, string name) =>
            bus.Read(Scenarios.ElfSymbols.Find(elf, name), 8, out ulong v) ? v : throw new InvalidOperationException(name + " unreadable");
        return (new LoggerReport(Read(logger, "logger_logged"), Read(logger, "logger_last"), Read(logger, "logger_out_of_order")),
            Read(sensor, "sensor_sent"));
    }

    public static string Head(string s) => KernelBoot.Head(s);

    public static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}
