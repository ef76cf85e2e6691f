#!/bin/sh
# Rebuild the AegisOS user programs and the default boot bundle (reproducible):
#   UserImages/bin/{hello,sensor,logger}.elf   each linked for its own 16 KiB ELF slot from user.ld
#   UserImages/bin/bundle.bin                  the boot bundle (docs/BOOT-BUNDLE.md), built by
#                                              `aegis-emu bundle` from the three ELF files
# Usage: UserImages/build.sh [OUTPUT_DIR]   (default: UserImages/bin, committed)
# Needs clang-14 and ld.lld-14; the bundle step needs dotnet (Aegis.Emu), or AEGIS_EMU=<command>.
set -eu
OUTPUT_DIR=
if [ $# -gt 0 ]; then
    mkdir -p "$1"
    OUTPUT_DIR=$(cd "$1" && pwd)
fi
cd "$(dirname "$0")"
OUT=${OUTPUT_DIR:-bin}
OBJ="$OUT/obj"

CC=${CC:-clang-14}
LD=${LD:-ld.lld-14}
# Same code-generation rules as the kernel: no FP/SIMD (EL0 FP traps), strict alignment, static,
# reproducible (relative paths, no build id).
CFLAGS="--target=aarch64-none-elf -mcpu=cortex-a53 -mgeneral-regs-only -ffreestanding -fno-builtin
 -nostdlib -O2 -std=c11 -Wall -Wextra -Werror -mstrict-align -fno-stack-protector -fno-pic
 -fno-common -ffunction-sections -Ilibsyscall"

# program:slot; task = slot + 2 (REFERENCE §8: slot 0 -> task 2 hello, 1 -> 3 sensor, 2 -> 4 logger).
PROGRAMS="hello:0 sensor:1 logger:2"

rm -rf "$OBJ"
mkdir -p "$OBJ"
$CC $CFLAGS -c libsyscall/syscall.S -o "$OBJ/syscall.o"
$CC $CFLAGS -c libsyscall/print.c -o "$OBJ/print.o"
ARGS=""
for p in $PROGRAMS; do
    name=${p%%:*}
    slot=${p##*:}
    base=$(printf '0x%x' $((0x40100000 + slot * 0x4000)))
    $CC $CFLAGS -c "$name/$name.c" -o "$OBJ/$name.o"
    $LD -T user.ld --defsym SLOT_BASE=$base -z max-page-size=4096 -static --no-undefined \
        --build-id=none -o "$OUT/$name.elf" "$OBJ/$name.o" "$OBJ/syscall.o" "$OBJ/print.o"
    size=$(wc -c < "$OUT/$name.elf")
    [ "$size" -le 16384 ] || { echo "$name.elf is $size bytes, more than 16384" >&2; exit 1; }
    ARGS="$ARGS $OUT/$name.elf:$slot"
done
rm -rf "$OBJ"
if [ -n "${AEGIS_EMU:-}" ]; then
    $AEGIS_EMU bundle -o "$OUT/bundle.bin" $ARGS
else
    dotnet run --project ../Aegis.Emu -c Release -- bundle -o "$OUT/bundle.bin" $ARGS
fi
echo "built $OUT/{hello,sensor,logger}.elf and $OUT/bundle.bin"
