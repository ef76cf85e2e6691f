using System.Diagnostics;
using NUnit.Framework;

namespace Aegis.Tests.Support;

/// <summary>
/// The reference and guest tools (Debian packages). A test that needs one calls <see cref="Require"/>:
/// it skips with the reason when the tool is absent, and fails instead under CI, where the README's
/// test command has installed them all.
/// </summary>
public static class ReferenceTools
{
    public const string LlvmMc = "llvm-mc-14";
    public const string LlvmObjcopy = "llvm-objcopy-14";
    public const string Clang = "clang-14";
    public const string Lld = "ld.lld-14";
    public const string QemuSystem = "qemu-system-aarch64";
    public const string QemuUser = "qemu-aarch64";
    public const string GdbMultiarch = "gdb-multiarch";

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    public static string Require(string tool)
    {
        var path = Find(tool);
        if (path is not null) return path;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"{tool} is required under CI (the README's test command installs it)");
        Assert.Ignore($"{tool} not found: install it (see README) to run this reference test");
        return "";
    }

    /// <summary>Runs a tool to completion; throws with its stderr when it fails.</summary>
    public static string Run(string tool, string arguments, string? stdin = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(Require(tool), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); throw new TimeoutException($"{tool} {arguments} timed out"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {arguments} failed ({p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
