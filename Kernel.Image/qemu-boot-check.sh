#!/bin/sh
# Boot the committed kernel image on QEMU at EL1 (-M virt) and at EL2
# (-M virt,virtualization=on) and check the REFERENCE §10 checkpoints that this
# stage provides (1-18, 23-28, 32), in order, plus:
#  - the first line is preceded by "\n";
#  - the driver/client ping-pong keeps running until the end of the run: the client reports its round trips through
#    the driver, "J4:UserDrv round trips: N", after the first one and then every 0.5 s of guest time (QEMU's clock is
#    the host's, so the counts vary from run to run): at least one report per second of the run (about two are
#    printed), each count larger than the one before;
#  - the console stays under 200 lines (the demo tasks print at a human rate);
#  - no task faults, no watchdog, no panic, no "!!!" diagnostic.
# Usage: Kernel.Image/qemu-boot-check.sh [IMAGE] (default bin/aegis.elf); SECONDS_PER_RUN=5;
# BUNDLE=file (default ../UserImages/bin/bundle.bin, loaded at 0x42000000; BUNDLE= boots without one).
set -u
cd "$(dirname "$0")"
IMAGE=${1:-bin/aegis.elf}
RUN_SECONDS=${SECONDS_PER_RUN:-5}
BUNDLE=${BUNDLE-../UserImages/bin/bundle.bin}
LOADER=
[ -n "$BUNDLE" ] && LOADER="-device loader,file=$BUNDLE,addr=0x42000000"
QEMU=${QEMU:-qemu-system-aarch64}
command -v "$QEMU" >/dev/null 2>&1 || { echo "SKIP: $QEMU not installed"; exit 77; }
[ -f "$IMAGE" ] || { echo "FAIL: no image $IMAGE"; exit 2; }

CHECKPOINTS='[AegisOS] boot
[AegisOS] MMU enabled
[AegisOS] W^X enforced
[AegisOS] exceptions ready
[AegisOS] scheduler ready
[AegisOS] capabilities assigned
[AegisOS] priority scheduler configured
[AegisOS] time budget enforcement enabled
[AegisOS] watchdog heartbeat enabled
[AegisOS] notification system ready
[AegisOS] grant system ready
[AegisOS] IRQ routing ready
[AegisOS] device MMIO mapping ready
[AegisOS] per-task address spaces assigned
[AegisOS] arch separation: module tree ready
[AegisOS] arch separation: complete
[AegisOS] ELF64 parser ready
[AegisOS] ELF loader ready
[AegisOS] timer started
[AegisOS] enhanced panic handler ready
[AegisOS] klog ready
[AegisOS] safety audit complete
[AegisOS] bootstrapping into uart_driver
DRV:ready
J4:UserDrv'

fail=0
check_run() {
    name=$1 machine=$2
    out=$(mktemp)
    timeout "$RUN_SECONDS" "$QEMU" -M "$machine" -cpu cortex-a53 -nographic -nic none -kernel "$IMAGE" $LOADER >"$out" 2>&1
    # In order: each checkpoint must occur after the previous one (awk on the whole output).
    missing=$(printf '%s\n' "$CHECKPOINTS" | awk -v f="$out" '
        BEGIN { RS = "\001"; getline text < f; RS = "\n"; pos = 1 }
        { i = index(substr(text, pos), $0); if (i == 0) { print $0; exit } pos += i - 1 + length($0) }')
    if [ -n "$missing" ]; then
        echo "FAIL [$name]: checkpoint missing or out of order: $missing"; fail=1
    else
        echo "ok   [$name]: all 25 checkpoints in order"
    fi
    if [ "$(head -c 15 "$out")" != "
[AegisOS] boot" ]; then
        echo "FAIL [$name]: output does not start with \"\\n[AegisOS] boot\""; fail=1
    fi
    bad=$(grep -a -E 'FAULTED|WATCHDOG|PANIC|!!!|HALTED|RESTARTED' "$out" | head -3)
    if [ -n "$bad" ]; then
        echo "FAIL [$name]: unexpected fault output:"; echo "$bad"; fail=1
    fi
    counts=$(grep -ao 'J4:UserDrv round trips: [0-9]*' "$out" | sed 's/.*: //')
    n=$(printf '%s\n' "$counts" | grep -c .)
    grows=$(printf '%s\n' "$counts" | awk 'NR > 1 && $1 <= prev { bad = 1 } { prev = $1 } END { print bad ? "no" : "yes" }')
    last=$(printf '%s\n' "$counts" | tail -1)
    if [ "$n" -lt "$RUN_SECONDS" ] || [ "$grows" != yes ]; then
        echo "FAIL [$name]: ping-pong stalled ($n round-trip reports, growing: $grows): $(echo $counts)"; fail=1
    else
        echo "ok   [$name]: ping-pong alive ($n round-trip reports, growing, last $last)"
    fi
    lines=$(wc -l < "$out")
    if [ "$lines" -gt 200 ]; then
        echo "FAIL [$name]: $lines console lines in $RUN_SECONDS s (the demo tasks print at a human rate)"; fail=1
    fi
    if [ $fail -ne 0 ]; then
        echo "---- first 40 lines of [$name] output ----"; head -40 "$out" | cut -c1-200
    fi
    rm -f "$out"
}

check_run EL1 virt
check_run EL2 virt,virtualization=on
[ $fail -eq 0 ] && echo "PASS" || echo "FAIL"
exit $fail
