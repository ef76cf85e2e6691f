using System.Text.RegularExpressions;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Kernel.Boot;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.PhaseO;

/// <summary>libsyscall is the one place where syscalls are spelled out (seed Q2 / success criterion 3).</summary>
public class UserSourceTests
{
    private static string UserImages => Path.GetDirectoryName(Path.GetDirectoryName(KernelBoot.BundlePath)!)!;

    private static IEnumerable<string> Sources(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".c") || f.EndsWith(".h") || f.EndsWith(".S") || f.EndsWith(".s"));

    [Test]
    public void NoSvcOutsideLibsyscall()
    {
        string lib = Path.Combine(UserImages, "libsyscall");
        var programs = Sources(UserImages).Where(f => !f.StartsWith(lib + Path.DirectorySeparatorChar)).ToList();
        Assert.That(programs.Select(Path.GetFileName), Is.SupersetOf(new[] { "hello.c", "sensor.c", "logger.c" }));
        foreach (var f in programs)
            Assert.That(Regex.IsMatch(File.ReadAllText(f), @"\bsvc\b", RegexOptions.IgnoreCase), Is.False, $"{f} spells out a syscall");
        // libsyscall itself does: one svc per syscall stub (16 functions, print wraps write; syscall_raw for the
        // attack suite's test programs, issue 10).
        int svcs = Sources(lib).Sum(f => Regex.Matches(File.ReadAllText(f), @"^\s*svc\s+#0", RegexOptions.Multiline).Count);
        Assert.That(svcs, Is.EqualTo(16));
    }

    [Test]
    public void LibsyscallNumbersMatchTheKernelAbi()
    {
        // Kernel.Image/Abi/Syscall.cs mirrors abi.h (REF §5).
        string header = File.ReadAllText(Path.Combine(UserImages, "libsyscall", "syscall.h"));
        foreach (Syscall s in Enum.GetValues<Syscall>())
        {
            string name = "SYS_" + Regex.Replace(s.ToString(), "(?<=[a-z])([A-Z])", "_$1").ToUpperInvariant();
            var m = Regex.Match(header, $@"#define {name}\s+(\d+)");
            Assert.That(m.Success, Is.True, name);
            Assert.That(ulong.Parse(m.Groups[1].Value), Is.EqualTo((ulong)s), name);
        }
        foreach (var fn in new[] { "syscall_yield", "syscall_send", "syscall_recv", "syscall_recv2", "syscall_call", "syscall_write",
                     "print", "syscall_notify", "syscall_wait_notify", "syscall_grant_create", "syscall_grant_revoke",
                     "syscall_irq_bind", "syscall_irq_ack", "syscall_device_map", "syscall_heartbeat", "syscall_exit" })
            Assert.That(Regex.IsMatch(header, $@"\b{fn}\("), Is.True, fn);
    }
}
