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

# The attack suite (issue 10; Tests/Attack): hostile programs in attack/, each built for one slot as
# name=source:slot[:extra compiler flags], into $OUT/attack/, and one boot bundle per attack
# (bundle:member,member,... with member = a name above or hello/sensor/logger, each at its own slot).
ATTACKS="spy=spy:0 keeper=keeper:4 jump-bundle=jumper:0:-DJUMP=1 jump-kernel=jumper:3:-DJUMP=2 jump-ram=jumper:4:-DJUMP=3
 squatter=squatter:0 revoker=revoker:3 grantee=grantee:4 caller=caller:0 forger=forger:3 server=server:4 deputy=deputy:0
 fuzz-a=fuzzer:0:-ffixed-x28 fuzz-b=fuzzer:3:-ffixed-x28 fuzz-c=fuzzer:4:-ffixed-x28
 churn-a=churn:0 churn-b=churn:3 churn-c=churn:4"
ATTACK_BUNDLES="leak:spy,sensor,logger,keeper exec:jump-bundle,sensor,logger,jump-kernel,jump-ram
 grant:squatter,sensor,logger,revoker,grantee ipc:caller,sensor,logger,forger,server deputy:deputy,sensor,logger
 fuzz:fuzz-a,sensor,logger,fuzz-b,fuzz-c churn:churn-a,sensor,logger,churn-b,churn-c"

bundle() {
    if [ -n "${AEGIS_EMU:-}" ]; then
        $AEGIS_EMU bundle "$@"
    else
        dotnet run --project ../Aegis.Emu -c Release -- bundle "$@"
    fi
}

# link NAME OBJECTS SLOT OUTDIR: one program linked for its slot with libsyscall, at most 16 KiB.
link() {
    base=$(printf '0x%x' $((0x40100000 + $3 * 0x4000)))
    $LD -T user.ld --defsym SLOT_BASE=$base -z max-page-size=4096 -static --no-undefined \
        --build-id=none -o "$4/$1.elf" $2 "$OBJ/syscall.o" "$OBJ/print.o"
    size=$(wc -c < "$4/$1.elf")
    [ "$size" -le 16384 ] || { echo "$1.elf is $size bytes, more than 16384" >&2; exit 1; }
}

rm -rf "$OBJ"
mkdir -p "$OBJ" "$OUT/attack"
$CC $CFLAGS -c libsyscall/syscall.S -o "$OBJ/syscall.o"
$CC $CFLAGS -c libsyscall/print.c -o "$OBJ/print.o"
$CC $CFLAGS -c libsyscall/raw.S -o "$OBJ/raw.o"
ARGS=""
for p in $PROGRAMS; do
    name=${p%%:*}
    slot=${p##*:}
    $CC $CFLAGS -c "$name/$name.c" -o "$OBJ/$name.o"
    link "$name" "$OBJ/$name.o" "$slot" "$OUT"
    ARGS="$ARGS $OUT/$name.elf:$slot"
done
for a in $ATTACKS; do
    name=${a%%=*}
    rest=${a#*=}
    src=${rest%%:*}
    rest=${rest#*:}
    slot=${rest%%:*}
    flags=""
    [ "$rest" = "$slot" ] || flags=${rest#*:}
    $CC $CFLAGS -Iattack -DSLOT=$slot $flags -c "attack/$src.c" -o "$OBJ/$name.o"
    link "$name" "$OBJ/$name.o $OBJ/raw.o" "$slot" "$OUT/attack"
done
rm -rf "$OBJ"
bundle -o "$OUT/bundle.bin" $ARGS
for b in $ATTACK_BUNDLES; do
    members=""
    for m in $(echo "${b#*:}" | tr ',' ' '); do
        case $m in
            hello) members="$members $OUT/hello.elf:0" ;;
            sensor) members="$members $OUT/sensor.elf:1" ;;
            logger) members="$members $OUT/logger.elf:2" ;;
            *) slot=$(echo " $ATTACKS " | sed -n "s/.* $m=[a-z-]*:\([0-9]\).*/\1/p")
               members="$members $OUT/attack/$m.elf:$slot" ;;
        esac
    done
    bundle -o "$OUT/attack/${b%%:*}.bundle" $members
done
echo "built $OUT/{hello,sensor,logger}.elf, $OUT/bundle.bin and the attack suite in $OUT/attack/"
