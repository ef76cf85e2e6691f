using System.Buffers.Binary;
using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Attack;

/// <summary>
/// Issue 10 point 2, bundle "exec": three tasks branch at EL0 to code they were not given (UserImages/attack/jumper.c):
/// task 2 to its own image inside the boot bundle (0x4200_0000, a RAM block), task 5 to the kernel's _start, task 6 to
/// the RAM block at 0x4020_0000. Before deviation 12 the RAM blocks had no UXN and kernel text was EL0-executable:
/// task 2 ran its payload from the bundle and exited with code 119; tasks 5 and 6 executed kernel code and zeros
/// until an undefined instruction.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class ExecAttackTests(bool el2)
{
    private AttackRun Run => AttackBoot.Emu("exec", el2);

    [TestCase(2, 0x4200_1140UL, 2, TestName = "{m}(bundle)")]
    [TestCase(5, 0x4008_0000UL, 3, TestName = "{m}(kernel text)")]
    [TestCase(6, 0x4020_0000UL, 2, TestName = "{m}(RAM block)")]
    public void AnEl0BranchOutsideItsOwnCodeIsAnInstructionAbort(int task, ulong target, int level)
    {
        string output = AttackBoot.AfterBootstrap(Run.Output);
        Assert.That(output, Does.Contain($"JMP:{task} to 0x{target:X16}\n"));
        KernelScenarioImages.AssertInOrder(output, new[]
        {
            $"JMP:{task} to 0x{target:X16}\n",
            "!!! INSTRUCTION ABORT !!! [EL0 task]\n",
            $"  IFSC: 0x{0xC + level:X16} (Permission fault L{level:X16})\n",
            $"  FAR:  0x{target:X16}\n",
            $"[AegisOS] TASK {task:X16} FAULTED\n",
        }, $"exec task {task}");
    }

    [Test]
    public void ThePayloadInTheBundleNeverRuns()
    {
        Assert.That(Run.Output, Does.Not.Contain("exited (code=119)"));
        Assert.That(Run.Output, Does.Not.Contain("JMP:returned"));
        AttackBoot.AssertSystemGoesOn(Run, "TASK 0000000000000006 FAULTED", "exec/Emu");
    }

    /// <summary>The jumper's target is its payload's own bytes in the bundle, so that on a kernel that let it run, it
    /// would run (and did, before deviation 12): the bytes there are jump_payload's.</summary>
    [Test]
    public void TheBundleTargetHoldsThePayload()
    {
        var bundle = File.ReadAllBytes(AttackBoot.BundlePath("exec"));
        var elf = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(AttackBoot.BundlePath("exec"))!, "jump-bundle.elf"));
        ulong payload = ElfSymbols.Find(elf, "jump_payload"), start = ElfSymbols.Find(elf, "_start");
        const ulong textOffset = 0x1000; // jumper.c ELF_TEXT_OFFSET
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bundle.AsSpan(16 + 4)), Is.EqualTo(16 + 32 * 5), "entry 0's image offset");
        int inBundle = (int)(0x4200_1140UL - 0x4200_0000UL);
        int inElf = (int)(textOffset + payload - start);
        Assert.That(bundle.AsSpan(inBundle, 16).ToArray(), Is.EqualTo(elf.AsSpan(inElf, 16).ToArray()));
    }
}
