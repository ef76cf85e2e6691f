using System.Diagnostics;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Guests;

/// <summary>
/// The committed images are exactly what samples/build.sh makes from the committed sources
/// (ARCHITECTURE.md section 6): rebuilt into a temporary directory, every file matches byte for byte.
/// </summary>
[TestFixture]
public class GuestImageReproducibilityTests
{
    [Test]
    public void RebuildGivesTheCommittedBytes()
    {
        ReferenceTools.Require(ReferenceTools.Clang);
        ReferenceTools.Require(ReferenceTools.Lld);
        var temp = Directory.CreateTempSubdirectory("aegis-guests-");
        try
        {
            var psi = new ProcessStartInfo("bash", $"\"{Path.Combine(GuestPrograms.SamplesDir, "build.sh")}\" \"{temp.FullName}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using (var p = Process.Start(psi)!)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                Assert.That(p.WaitForExit(300_000), "build.sh timed out");
                Assert.That(p.ExitCode, Is.EqualTo(0), () => "samples/build.sh failed: " + stderr.Result);
            }
            var built = Directory.GetFiles(temp.FullName, "*.elf").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            var committed = GuestPrograms.Images().ToArray();
            Assert.That(built, Is.EqualTo(committed), "the same set of images");
            foreach (var name in committed)
            {
                var a = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, name));
                var b = File.ReadAllBytes(Path.Combine(temp.FullName, name));
                Assert.That(b, Is.EqualTo(a), $"{name} differs from the committed image: run samples/build.sh and commit samples/bin");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
