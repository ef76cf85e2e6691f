using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using NUnit.Framework;

/// <summary>
/// Runs the whole assembly under the timing model named by AEGIS_TEST_TIMING ("simple" when unset): every board
/// whose options name no model gets it. scripts/test.sh runs the differential and kernel tests a second time
/// with "a53", so functional results are checked under both models.
/// </summary>
[SetUpFixture]
public sealed class TimingSelection
{
    public const string Variable = "AEGIS_TEST_TIMING";
    /// <summary>"interp" or "jit": the engine of every board whose options name none. The translator keeps its default
    /// threshold (code that runs a few times stays in the interpreter): translating every block of the random
    /// differential tests' one-shot programs costs minutes; Tests/Engines translates everything it runs.</summary>
    public const string EngineVariable = "AEGIS_TEST_ENGINE";

    [OneTimeSetUp]
    public void Select()
    {
        string? engine = Environment.GetEnvironmentVariable(EngineVariable);
        if (!string.IsNullOrEmpty(engine))
        {
            VirtBoardOptions.DefaultEngine = engine switch
            {
                "interp" => ExecutionEngine.Interpreter,
                "jit" => ExecutionEngine.Translator,
                _ => throw new ArgumentException($"{EngineVariable}={engine}: unknown engine (known: interp, jit)"),
            };
            TestContext.Progress.WriteLine($"engine for this run: {engine}");
        }
        string? name = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(name)) return;
        if (!TimingModels.Names.Contains(name))
            throw new ArgumentException($"{Variable}={name}: unknown timing model (known: {string.Join(", ", TimingModels.Names)})");
        VirtBoardOptions.DefaultTiming = name;
        TestContext.Progress.WriteLine($"timing model for this run: {name}");
    }
}
