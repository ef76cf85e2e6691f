using Aegis.Emu.Tracing;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// The exit checker's resource audit on a hand-made "kernel" ELF (llvm-mc + ld.lld) whose data holds tables laid out
/// as AegisOS's (src/ipc.c endpoints, src/grant.c grants, src/irq.c bindings) under the same symbol names. Task 0
/// (TTBR0 ASID 1) calls SYS_EXIT; the "kernel" forgets to clean up and ERETs into task 1 (ASID 2), so the exit
/// completes with task 0 still the receiver of endpoint 2, owner of active grant 1, bound to INTID 33, waited on by
/// Blocked task 1 and owed a reply by task 2 (src/sched.c tcbs: state @0x120, ipc_partner @0x188, reply_to @0x189).
/// </summary>
[TestFixture]
public class ExitResourceTests
{
    private const string Source = """
        .text
        .globl _start
        _start:
            adr x0, vectors
            msr vbar_el1, x0
            mov x0, #1
            lsl x0, x0, #48
            msr ttbr0_el1, x0          // ASID 1: task 0
            msr spsr_el1, xzr
            adr x0, task0
            msr elr_el1, x0
            eret
        task0:
            mov x7, #13                // SYS_EXIT
            svc #0
            b .
        task1:
            nop
            b task1
        .balign 2048
        vectors:
            .skip 0x400
            mov x0, #2                 // lower-EL synchronous: "schedule" task 1 without any cleanup
            lsl x0, x0, #48
            msr ttbr0_el1, x0
            adr x0, task1
            msr elr_el1, x0
            eret
        .data
        .globl endpoints, grants, bindings
        endpoints:                     // 4 x { tasks[4], head, count, receiver, server }
            .byte 0xff,0xff,0xff,0xff, 0,0, 0xff, 0xff
            .byte 0xff,0xff,0xff,0xff, 0,0, 0xff, 0xff
            .byte 0xff,0xff,0xff,0xff, 0,0, 0,    0xff
            .byte 0xff,0xff,0xff,0xff, 0,0, 0xff, 0xff
        .size endpoints, 32
        grants:                        // 2 x { owner, peer, active }
            .byte 0xff, 0xff, 0
            .byte 0, 1, 1
        .size grants, 6
        .balign 8
        bindings:                      // 8 x { u32 intid, u8 task, u64 notify_bit @8, bool active @16, bool pending @17 }
            .word 33
            .byte 0, 0, 0, 0
            .quad 1
            .byte 1, 0, 0, 0, 0, 0, 0, 0
            .skip 24 * 7
        .size bindings, 192
        .balign 16
        .globl tcbs
        tcbs:                          // 8 x struct tcb (416 bytes)
            .skip 0x120                // task 0: Exited (5), its own fields clean (0xff = NO_TASK)
            .byte 5
            .skip 0x188 - 0x121
            .byte 0xff, 0xff
            .skip 416 - 0x18a
            .skip 0x120                // task 1: Blocked (3) waiting on task 0
            .byte 3
            .skip 0x188 - 0x121
            .byte 0, 0xff
            .skip 416 - 0x18a
            .skip 0x120                // task 2: Ready (1), owes task 0 a reply
            .byte 1
            .skip 0x188 - 0x121
            .byte 0xff, 0
            .skip 416 - 0x18a
            .rept 5                    // tasks 3-7: Ready (one names task 0 as partner but is not Blocked)
            .skip 0x120
            .byte 1
            .skip 0x188 - 0x121
            .byte 0, 0xff
            .skip 416 - 0x18a
            .endr
        .size tcbs, 3328
        """;

    private static byte[] Build(string source)
    {
        string dir = Directory.CreateTempSubdirectory("aegis-exit").FullName;
        try
        {
            string s = Path.Combine(dir, "k.s"), o = Path.Combine(dir, "k.o"), elf = Path.Combine(dir, "k.elf");
            File.WriteAllText(s, source);
            string ld = Path.Combine(dir, "k.ld");
            File.WriteAllText(ld, "SECTIONS { . = 0x40080000; .text : { *(.text) } . = 0x40090000; .data : { *(.data) } }");
            ReferenceTools.Run(ReferenceTools.LlvmMc, $"-triple=aarch64 -filetype=obj -o {o} {s}");
            ReferenceTools.Run(ReferenceTools.Lld, $"-static -T {ld} -e _start -o {elf} {o}");
            return File.ReadAllBytes(elf);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void ExitCheckerNamesEveryResourceTheExitedTaskStillHolds()
    {
        byte[] image = Build(Source);
        var board = new VirtBoard(new VirtBoardOptions());
        board.LoadElf(image);
        var symbols = KernelSymbols.Parse(image);
        var exit = new ExitChecker(board.Cpu, symbols, new TaskResolver(board.Cpu, null)) { StopOnViolation = true };
        board.Cpu.AddHook(exit);
        board.Cpu.Run(100);
        Assert.That(exit.Exited, Is.EqualTo(new[] { 0 }));
        Assert.That(exit.First, Is.Not.Null, exit.Summary());
        Assert.That(exit.First!.What, Does.Contain("task 0 still holds after SYS_EXIT")
            .And.Contain("endpoint 2 receiver")
            .And.Contain("grant 1 (owner 0, peer 1, active")
            .And.Contain("IRQ binding 0 (INTID 33")
            .And.Contain("task 1 Blocked waiting on it")
            .And.Contain("task 2 still owes it a reply"));
        Assert.That(exit.First.What, Does.Not.Contain("endpoint 0").And.Not.Contain("grant 0"), "released entries are not named");
        Assert.That(exit.First.What, Does.Not.Contain("task 3").And.Not.Contain("its own"), "a Ready task's stale partner and clean own fields are not named");
        Assert.That(exit.First.Pc, Is.EqualTo(symbols.Address("vectors") + 0x414), "reported at the ERET that completed the exit");
        Assert.That(exit.First.El, Is.EqualTo(1));
    }
}
