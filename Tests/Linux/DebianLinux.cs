using System.Diagnostics;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Linux;

/// <summary>
/// Debian's arm64 kernel (the cloud flavour, linux-image-*-cloud-arm64-unsigned) and busybox-static, as
/// scripts/fetch-debian.sh unpacks them into build/debian/ (gitignored). The README's test command runs the script
/// first; a test that finds nothing runs it itself, and skips with the reason when it cannot fetch (not root, no apt,
/// no network), or fails under CI, where the packages must be fetched.
/// </summary>
public static class DebianLinux
{
    private static readonly Lazy<(string? Vmlinuz, string? Busybox, string? Kernel, string? Error)> Fetched = new(Fetch);

    /// <summary>The kernel Image and busybox paths, or the test is ignored (failed under CI) with the reason.</summary>
    public static (string Vmlinuz, string Busybox, string Package) Require()
    {
        var f = Fetched.Value;
        if (f.Error is null) return (f.Vmlinuz!, f.Busybox!, f.Kernel!);
        string reason = $"Debian's arm64 kernel and busybox-static could not be fetched: {f.Error}";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason);
        Assert.Ignore(reason);
        return default;
    }

    private static (string?, string?, string?, string?) Fetch()
    {
        string script = Path.Combine(GuestPrograms.RepoRoot, "scripts", "fetch-debian.sh");
        string ready = Path.Combine(GuestPrograms.RepoRoot, "build", "debian", "ready");
        if (!File.Exists(ready))
        {
            var psi = new ProcessStartInfo("bash", $"\"{script}\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(300_000)) { p.Kill(true); return (null, null, null, "scripts/fetch-debian.sh timed out after 300 s"); }
            if (p.ExitCode != 0 || !File.Exists(ready))
                return (null, null, null, $"scripts/fetch-debian.sh failed ({p.ExitCode}): {err.Result.Trim()}");
        }
        // Paths in the file are relative to the repository.
        var values = File.ReadAllLines(ready).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        if (!values.TryGetValue("vmlinuz", out var vmlinuz) || !values.TryGetValue("busybox", out var busybox))
            return (null, null, null, $"{ready} lacks vmlinuz= or busybox=: delete build/debian/ and fetch again");
        vmlinuz = Path.Combine(GuestPrograms.RepoRoot, vmlinuz);
        busybox = Path.Combine(GuestPrograms.RepoRoot, busybox);
        if (!File.Exists(vmlinuz) || !File.Exists(busybox))
            return (null, null, null, $"{ready} names files that are not there: delete build/debian/ and fetch again");
        return (vmlinuz, busybox, values.GetValueOrDefault("kernel", "?"), null);
    }
}
