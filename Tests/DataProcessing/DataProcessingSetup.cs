using System.Reflection;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// Assembles every single-instruction [TestCase] line of this namespace with one llvm-mc run, instead
/// of two tool processes per test case (the machine's few cores are shared).
/// </summary>
[SetUpFixture]
public class DataProcessingSetup
{
    [OneTimeSetUp]
    public void AssembleTestCaseInstructionsAtOnce()
    {
        var lines = typeof(DataProcessingSetup).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(DataProcessingSetup).Namespace)
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetCustomAttributes<TestCaseAttribute>())
            .Select(a => a.Arguments.Length > 0 ? a.Arguments[0] as string : null)
            .OfType<string>()
            .Where(s => s.Contains(' ') && !s.Contains('\n') && char.IsLetter(s[0])) // an instruction with operands
            .Distinct().ToArray();
        Exec.Preassemble(lines);
    }
}
