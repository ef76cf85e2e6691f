#!/bin/sh
# Build the AegisOS kernel image: Kernel.Image/bin/aegis.elf (reproducible).
# Usage: Kernel.Image/build.sh [OUTPUT_DIR | --scenarios]
#   OUTPUT_DIR: build there instead (objects in OUTPUT_DIR/obj, image OUTPUT_DIR/aegis.elf), leaving
#   bin/aegis.elf alone; the flags and inputs are the same, so the image must equal the committed one.
#   --scenarios: see "Test variants" below.
set -eu
OUTPUT_DIR=
if [ $# -gt 0 ] && [ "$1" != --scenarios ]; then
    mkdir -p "$1"
    OUTPUT_DIR=$(cd "$1" && pwd)
fi
cd "$(dirname "$0")"

CC=${CC:-clang-14}
LD=${LD:-ld.lld-14}
CFLAGS="--target=aarch64-none-elf -mcpu=cortex-a53 -mgeneral-regs-only -ffreestanding -fno-builtin
 -nostdlib -O2 -std=c11 -Wall -Wextra -Werror -mstrict-align -fno-stack-protector -fno-pic
 -fno-common -fno-omit-frame-pointer -gdwarf-4 -fdebug-compilation-dir=. -Iinclude"

# Link order is fixed: boot.S first (its .text._start is placed first anyway).
SRCS="src/boot.S src/vectors.S src/uaccess.S src/main.c src/mmu.c src/cache.c src/exception.c src/syscall.c
 src/sched.c src/timer.c src/gic.c src/ipc.c src/grant.c src/irq.c src/task_exit.c src/cap.c src/elf.c
 src/uart.c src/panic.c src/lib.c src/task_table.c src/user_tasks.c src/user_elfs.c src/bundle.c"

# Test variants (scenarios), used by qemu-scenario-check.sh and Tests/Kernel/Scenarios:
#   SCENARIO=<name> build.sh   builds one into $BUILD_DIR/scenario-<name>/aegis.elf;
#   build.sh --scenarios        builds the main image, then every scenario in SCENARIOS, and copies
#                               each to bin/scenarios/<name>.elf (committed, so that the tests need
#                               no cross toolchain; Tests/Kernel/Scenarios checks a rebuild matches).
# The main image never contains scenario code: it is compiled only under -DAEGIS_SCENARIO_<NAME>.
# A scenario with its own task programs, tests/scenario_<name>.c, links that file instead of
# src/task_table.c: it defines task_meta and task_boot_entries and the tasks themselves.
SCENARIOS="faults elf ipc misc exit attack fuzz"
BUILD_DIR=${BUILD_DIR:-build}
if [ "${1:-}" = --scenarios ]; then
    SCENARIO= ./build.sh
    mkdir -p bin/scenarios
    for s in $SCENARIOS; do
        SCENARIO=$s BUILD_DIR=$BUILD_DIR ./build.sh
        cp "$BUILD_DIR/scenario-$s/aegis.elf" "bin/scenarios/$s.elf"
    done
    echo "copied $SCENARIOS to Kernel.Image/bin/scenarios/"
    exit 0
fi
SCENARIO=${SCENARIO:-}
if [ -n "$SCENARIO" ]; then
    DEF=$(echo "AEGIS_SCENARIO_$SCENARIO" | tr 'a-z' 'A-Z')
    OUTDIR="$BUILD_DIR/scenario-$SCENARIO"
    CFLAGS="$CFLAGS -D$DEF"
    OUT="$OUTDIR/aegis.elf"
else
    OUTDIR="$BUILD_DIR/main"
    OUT="bin/aegis.elf"
fi
if [ -n "$OUTPUT_DIR" ]; then
    OUTDIR="$OUTPUT_DIR/obj"
    OUT="$OUTPUT_DIR/aegis.elf"
fi

rm -rf "$OUTDIR"
mkdir -p "$OUTDIR" "$(dirname "$OUT")"
if [ "$SCENARIO" = elf ]; then
    # Test-only user ELF, embedded by tests/scenario_elf_images.S.
    $CC $CFLAGS -c tests/hello_elf.S -o "$OUTDIR/hello_elf.o"
    $LD -T tests/user.ld -z max-page-size=4096 -static -o "$OUTDIR/hello.elf" "$OUTDIR/hello_elf.o"
    $LD -T tests/user_wx.ld -z max-page-size=4096 -static -o "$OUTDIR/wx.elf" "$OUTDIR/hello_elf.o"
    printf '#define HELLO_ELF_PATH "%s/hello.elf"\n#define WX_ELF_PATH "%s/wx.elf"\n' "$OUTDIR" "$OUTDIR" > "$OUTDIR/scenario_elf_paths.h"
    CFLAGS="$CFLAGS -I$OUTDIR"
    SRCS="$SRCS tests/scenario_elf_images.S"
fi
if [ "$SCENARIO" = faults ]; then
    SRCS="$SRCS tests/scenario_faults_tasks.c"
fi
if [ -n "$SCENARIO" ] && [ -f "tests/scenario_$SCENARIO.c" ]; then
    SRCS=$(echo $SRCS | sed "s#src/task_table.c#tests/scenario_$SCENARIO.c#")
fi
OBJS=""
for s in $SRCS; do
    o="$OUTDIR/$(basename "$s").o"
    $CC $CFLAGS -c "$s" -o "$o"
    OBJS="$OBJS $o"
done
$LD -T linker.ld -z max-page-size=4096 -nostdlib -static --no-undefined -o "$OUT" $OBJS
case "$OUT" in /*) echo "built $OUT" ;; *) echo "built Kernel.Image/$OUT" ;; esac
