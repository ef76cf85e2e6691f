using Aegis.Tests.Support;
using NUnit.Framework;

/// <summary>Writes the kernel coverage the run collected (<see cref="KernelCoverage"/>) once every test has run.</summary>
[SetUpFixture]
public sealed class KernelCoverageReport
{
    [OneTimeTearDown]
    public void Write() => KernelCoverage.Write();
}
