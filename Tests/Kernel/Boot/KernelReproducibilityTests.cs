using System.Diagnostics;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>
/// The committed Kernel.Image/bin/aegis.elf is exactly what Kernel.Image/build.sh makes from the committed
/// sources: rebuilt into a temporary directory (build.sh OUTPUT_DIR), it matches byte for byte.
/// </summary>
[TestFixture]
public class KernelReproducibilityTests
{
    [Test]
    public void RebuildGivesTheCommittedBytes()
    {
        ReferenceTools.Require(ReferenceTools.Clang);
        ReferenceTools.Require(ReferenceTools.Lld);
        string image = KernelBoot.ImagePath;
        string script = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(image))!, "build.sh");
        var temp = Directory.CreateTempSubdirectory("aegis-kernel-");
        try
        {
            var psi = new ProcessStartInfo("sh", $"\"{script}\" \"{temp.FullName}\"")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using (var p = Process.Start(psi)!)
            {
                var stderr = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                Assert.That(p.WaitForExit(300_000), "build.sh timed out");
                Assert.That(p.ExitCode, Is.EqualTo(0), () => "Kernel.Image/build.sh failed: " + stderr.Result);
            }
            var built = File.ReadAllBytes(Path.Combine(temp.FullName, "aegis.elf"));
            Assert.That(built, Is.EqualTo(File.ReadAllBytes(image)),
                "aegis.elf differs from the committed image: run Kernel.Image/build.sh and commit Kernel.Image/bin/aegis.elf");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
