using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>Prints QEMU's transcript of every device script, to record expectations (run explicitly).</summary>
[Explicit("a tool for recording QEMU transcripts, not a test")]
public class DumpQemuTranscripts
{
    [Test]
    public void Dump()
    {
        var path = Environment.GetEnvironmentVariable("AEGIS_DUMP") ?? "/tmp/qemu-transcripts.txt";
        using var w = new StreamWriter(path);
        string only = Environment.GetEnvironmentVariable("AEGIS_DUMP_ONLY") ?? ""; // a part of the scripts' names
        foreach (var (name, ops) in GicV2Scenarios.All.Concat(Pl011Scenarios.All).Concat(CfiFlashScenarios.All))
        {
            if (!name.Contains(only)) continue;
            w.WriteLine($"== {name}");
            w.Write(MmioScript.RunOnQemu(ops));
        }
    }
}
