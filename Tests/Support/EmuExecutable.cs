using System.Reflection;
using Aegis.Tests.Guests;

namespace Aegis.Tests.Support;

/// <summary>
/// The `aegis-emu` executable as a user runs it (`dotnet Aegis.Emu.dll ...`): the Aegis.Emu project's own build output
/// in the same configuration as these tests. Tests reference the command-line library, not the executable project,
/// so the solution build (scripts/test.sh builds Aegis.Emu.sln) is what puts it there.
/// </summary>
public static class EmuExecutable
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        string configuration = typeof(EmuExecutable).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string dll = Path.Combine(GuestPrograms.RepoRoot, "Aegis.Emu", "bin", configuration, "net10.0", "Aegis.Emu.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found: build the solution (dotnet build Aegis.Emu.sln -c {configuration})");
    }
}
