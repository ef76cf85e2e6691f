#!/bin/sh
# Scenario checks: build test variants of the kernel (never committed) and run them on QEMU
# at EL1 and EL2. Needs clang-14/ld.lld-14 and qemu-system-aarch64 (exit 77 = skipped).
#
# SCENARIO=faults: task 2 calls SEND without the capability, task 3 executes an FP
# instruction, task 4 calls SYS_EXIT(7), and the UART driver (task 0) faults once with a
# store to kernel .data while the client waits for its reply. Expected, in order: cap denial
# + fault of task 2, FP trap + fault of task 3, the driver's data abort and fault, the client
# woken with ERR_IPC_PARTNER_GONE (prints "J4:PartnerGone", deviation 4), the driver
# restarted 100 ticks later. Task 4's exit is printed exactly once (never restarted).
#
# SCENARIO=elf: the ELF loader with test images (tests/): a stand-in hello in task 2 / slot 0
# (prints "L5:ELF ", yields twice, exits 0), an image with a W+X segment for task 3 and one
# with a bad magic for task 4, both refused. Expected: REF §10 checkpoints 19, 22, 29, 30
# around the usual ones, then the ping-pong.
#
# Both: nothing halts, panics or hits the unhandled-exception path (EL0 wfi does not trap
# at EL2 either, deviation 3).
set -u
cd "$(dirname "$0")"
QEMU=${QEMU:-qemu-system-aarch64}
RUN_SECONDS=${SECONDS_PER_RUN:-5}
for tool in "$QEMU" clang-14 ld.lld-14; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
FAULTS_EXPECTED='!!! CAP DENIED: task 0000000000000002 syscall #0000000000000001 needs IPC_SEND_EP0 — faulting
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

ELF_EXPECTED='[AegisOS] ELF loader ready
[AegisOS] task 2 (hello) loaded from ELF (entry=0x0000000040100000)
!!! ELF load failed for wx: ELF load failed
!!! ELF load failed for badmagic: ELF parse failed
[AegisOS] multi-ELF loading complete
[AegisOS] timer started (10ms, freq=62MHz)
[AegisOS] bootstrapping into uart_driver (EL0)...
DRV:ready
L5:ELF
[AegisOS] task 2 exited (code=0)
[AegisOS] GRANT: task 0000000000000001 -> task 0000000000000000 (grant 0000000000000000)
J4:UserDrv'

fail=0
run_scenario() {
    scenario=$1 expected=$2
    SCENARIO=$scenario ./build.sh >/dev/null || { echo "FAIL [$scenario]: build"; fail=1; return; }
    image=build/scenario-$scenario/aegis.elf
    for run in "EL1 virt" "EL2 virt,virtualization=on"; do
        name="$scenario/${run% *}" machine=${run#* }
        out=$(mktemp)
        timeout "$RUN_SECONDS" "$QEMU" -M "$machine" -cpu cortex-a53 -nographic -nic none -kernel "$image" >"$out" 2>&1
        missing=$(printf '%s\n' "$expected" | awk -v f="$out" '
            BEGIN { RS = "\001"; getline text < f; RS = "\n"; pos = 1 }
            { i = index(substr(text, pos), $0); if (i == 0) { print $0; exit } pos += i - 1 + length($0) }')
        if [ -n "$missing" ]; then echo "FAIL [$name]: missing or out of order: $missing"; fail=1
        else echo "ok   [$name]: $(printf '%s\n' "$expected" | wc -l) expected lines in order"; fi
        bad=$(grep -a -E 'HALTED|PANIC|UNHANDLED|SERROR' "$out" | head -3)
        if [ -n "$bad" ]; then echo "FAIL [$name]: $bad"; fail=1
        else echo "ok   [$name]: no kernel halt, no unhandled exception"; fi
        case $scenario in
        faults)
            exits=$(grep -ac 'task 4 exited (code=7)' "$out")
            if [ "$exits" -ne 1 ]; then echo "FAIL [$name]: task 4 exit printed $exits times (want 1)"; fail=1
            else echo "ok   [$name]: task 4 exited once and stayed down"; fi ;;
        elf)
            faults=$(grep -a -E 'FAULTED|WATCHDOG' "$out" | head -2)
            if [ -n "$faults" ]; then echo "FAIL [$name]: $faults"; fail=1
            else echo "ok   [$name]: no task fault"; fi ;;
        esac
        rm -f "$out"
    done
}

run_scenario faults "$FAULTS_EXPECTED"
run_scenario elf "$ELF_EXPECTED"
[ $fail -eq 0 ] && echo "PASS" || echo "FAIL"
exit $fail
