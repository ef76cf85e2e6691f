using System.Diagnostics;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>
/// The committed scenario images (Kernel.Image/bin/scenarios/*.elf) are exactly what
/// <c>Kernel.Image/build.sh --scenarios</c> makes from the committed sources: each scenario rebuilt into a
/// temporary BUILD_DIR matches byte for byte (the build is reproducible, Kernel.Image/README.md).
/// </summary>
[TestFixture]
public class ScenarioImageTests
{
    [Test]
    public void EveryScenarioImageIsCommitted()
    {
        var dir = Path.Combine(KernelScenarioImages.KernelDir, "bin", "scenarios");
        var present = Directory.GetFiles(dir, "*.elf").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);
        Assert.That(present, Is.EqualTo(KernelScenarioImages.Names.Order(StringComparer.Ordinal)));
        var buildSh = File.ReadAllText(Path.Combine(KernelScenarioImages.KernelDir, "build.sh"));
        Assert.That(buildSh, Does.Contain($"SCENARIOS=\"{string.Join(' ', KernelScenarioImages.Names)}\""), "build.sh builds the same list");
    }

    [TestCaseSource(typeof(KernelScenarioImages), nameof(KernelScenarioImages.Names))]
    public void RebuildGivesTheCommittedBytes(string name)
    {
        ReferenceTools.Require(ReferenceTools.Clang);
        ReferenceTools.Require(ReferenceTools.Lld);
        var temp = Directory.CreateTempSubdirectory("aegis-kscen-");
        try
        {
            var psi = new ProcessStartInfo("sh", $"\"{Path.Combine(KernelScenarioImages.KernelDir, "build.sh")}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.Environment["SCENARIO"] = name;
            psi.Environment["BUILD_DIR"] = temp.FullName;
            using (var p = Process.Start(psi)!)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                Assert.That(p.WaitForExit(300_000), "build.sh timed out");
                Assert.That(p.ExitCode, Is.EqualTo(0), () => "build.sh failed: " + stderr.Result);
            }
            var built = File.ReadAllBytes(Path.Combine(temp.FullName, $"scenario-{name}", "aegis.elf"));
            var committed = File.ReadAllBytes(KernelScenarioImages.Path(name));
            Assert.That(built, Is.EqualTo(committed), $"{name}: run Kernel.Image/build.sh --scenarios and commit bin/scenarios");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
