#!/bin/sh
# Fault-path check: builds the SCENARIO=faults variant (not committed) and runs it on QEMU
# at EL1 and EL2. In that build task 2 calls SEND without the capability, task 3 executes
# an FP instruction, task 4 calls SYS_EXIT(7), and the UART driver (task 0) faults once with
# a store to kernel .data while the client waits for its reply. Expected, in order:
# cap denial + fault of task 2, FP trap + fault of task 3, the driver's data abort and
# fault, the client woken with ERR_IPC_PARTNER_GONE (prints "J4:PartnerGone", deviation 4),
# and the driver restarted 100 ticks later. Task 4's exit is printed exactly once (never
# restarted), and nothing halts or panics (EL0 wfi does not trap, deviation 3).
# Needs clang-14/ld.lld-14 and qemu-system-aarch64 (exit 77 = skipped).
set -u
cd "$(dirname "$0")"
QEMU=${QEMU:-qemu-system-aarch64}
RUN_SECONDS=${SECONDS_PER_RUN:-5}
for tool in "$QEMU" clang-14 ld.lld-14; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
SCENARIO=faults ./build.sh >/dev/null || { echo "FAIL: scenario build"; exit 2; }
IMAGE=build/scenario-faults/aegis.elf

EXPECTED='!!! CAP DENIED: task 0000000000000002 syscall #0000000000000001 needs IPC_SEND_EP0 — faulting
[AegisOS] TASK 0000000000000002 FAULTED
!!! FP/SIMD TRAP !!! [EL0 task]
[AegisOS] TASK 0000000000000003 FAULTED
!!! DATA ABORT !!! [EL0 task]
  DFSC: 0x000000000000000F (Permission fault L0000000000000003)
  Access: WRITE
[AegisOS] TASK 0000000000000000 FAULTED
J4:PartnerGone
[AegisOS] TASK 0000000000000000 RESTARTED
[AegisOS] DEVICE MAP: UART0 -> task 0000000000000000'

fail=0
for run in "EL1 virt" "EL2 virt,virtualization=on"; do
    name=${run% *} machine=${run#* }
    out=$(mktemp)
    timeout "$RUN_SECONDS" "$QEMU" -M "$machine" -cpu cortex-a53 -nographic -nic none -kernel "$IMAGE" >"$out" 2>&1
    missing=$(printf '%s\n' "$EXPECTED" | awk -v f="$out" '
        BEGIN { RS = "\001"; getline text < f; RS = "\n"; pos = 1 }
        { i = index(substr(text, pos), $0); if (i == 0) { print $0; exit } pos += i - 1 + length($0) }')
    if [ -n "$missing" ]; then echo "FAIL [$name]: missing or out of order: $missing"; fail=1
    else echo "ok   [$name]: fault, deviation-4 wake-up and restart lines in order"; fi
    exits=$(grep -ac 'task 4 exited (code=7)' "$out")
    if [ "$exits" -ne 1 ]; then echo "FAIL [$name]: task 4 exit printed $exits times (want 1)"; fail=1
    else echo "ok   [$name]: task 4 exited once and stayed down"; fi
    bad=$(grep -a -E 'HALTED|PANIC|UNHANDLED|SERROR' "$out" | head -3)
    if [ -n "$bad" ]; then echo "FAIL [$name]: $bad"; fail=1
    else echo "ok   [$name]: no kernel halt, no unhandled exception"; fi
    rm -f "$out"
done
[ $fail -eq 0 ] && echo "PASS" || echo "FAIL"
exit $fail
