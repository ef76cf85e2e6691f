#!/usr/bin/env bash
# Rebuilds every guest program image: samples/build.sh [OUTDIR]   (default: samples/bin)
#   src/NAME.c (+ optional src/NAME-asm.S) -> NAME-O0.elf and NAME-O2.elf
#   src/NAME.S                             -> NAME.elf
# An optional src/NAME.build (sourced) may set FLAGS=(...) (extra compiler flags for that program's own files)
# and LEVELS=(...) (optimisation levels, default -O0 -O2).
# ONLY=NAME builds that program alone; EXTRA_FLAGS="..." adds flags to the programs' own files (scripts/speed-vs-qemu.sh
# builds a longer compute with EXTRA_FLAGS=-DROUNDS=N). The committed images are built with neither.
# Programs may use FP/SIMD (start.S enables it); the runtime's C is built -mgeneral-regs-only, as kernels are,
# so its exception path never touches the V registers.
# Needs clang-14 and ld.lld-14 (Debian: clang-14, lld-14). The output is reproducible: the same
# sources give the same bytes in any directory (relative paths, -fdebug-compilation-dir=., no build id).
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/bin}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
obj="$(mktemp -d)"
trap 'rm -rf "$obj"' EXIT
cd "$here"

CC=clang-14
LD=ld.lld-14
CFLAGS=(--target=aarch64-none-elf -mcpu=cortex-a53 -mstrict-align
        -ffreestanding -nostdlib -fno-stack-protector -fno-pic -std=c11
        -Wall -Wextra -Werror -Wno-unused-parameter
        -gdwarf-4 -fdebug-compilation-dir=. -Iruntime)
LDFLAGS=(-T runtime/link.ld -z max-page-size=4096 -z norelro --build-id=none -static)

runtime_c=(runtime/rt.c runtime/uart.c runtime/mmu.c)
runtime_s=(runtime/start.S runtime/vectors.S runtime/el0.S)

compile() { # compile "OPT [FLAGS...]" OBJDIR FILES...
    local opt=($1) dir=$2; shift 2
    mkdir -p "$dir"
    for f in "$@"; do
        local o="$dir/$(basename "${f%.*}").o"
        "$CC" "${CFLAGS[@]}" "${opt[@]}" -c "$f" -o "$o" || return 1
        echo "$o"
    done
}

runtime() { # runtime OPT: the runtime's objects at that level (built once per level)
    local dir="$obj/rt$1"
    if [ ! -d "$dir" ]; then
        compile "$1 -mgeneral-regs-only" "$dir" "${runtime_c[@]}" >/dev/null || return 1
        compile "$1" "$dir" "${runtime_s[@]}" >/dev/null || return 1
    fi
    for f in "${runtime_c[@]}" "${runtime_s[@]}"; do echo "$dir/$(basename "${f%.*}").o"; done
}

for src in src/*.c; do
    name="$(basename "$src" .c)"
    [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ] && continue
    FLAGS=(); LEVELS=(-O0 -O2)
    [ -f "src/$name.build" ] && source "src/$name.build"
    files=("$src")
    [ -f "src/$name-asm.S" ] && files+=("src/$name-asm.S")
    for opt in "${LEVELS[@]}"; do
        list=$(runtime "$opt") || exit 1; rt_objs=($list)
        list=$(compile "$opt ${FLAGS[*]} ${EXTRA_FLAGS:-}" "$obj/$name$opt" "${files[@]}"); objs=($list)
        "$LD" "${LDFLAGS[@]}" -o "$out/$name$opt.elf" "${rt_objs[@]}" "${objs[@]}"
    done
done

list=$(runtime -O2) || exit 1; rt_objs=($list)
for src in src/*.S; do
    name="$(basename "$src" .S)"
    case "$name" in *-asm) continue ;; esac
    [ -n "${ONLY:-}" ] && [ "$name" != "$ONLY" ] && continue
    list=$(compile -O2 "$obj/$name" "$src"); objs=($list)
    "$LD" "${LDFLAGS[@]}" -o "$out/$name.elf" "${rt_objs[@]}" "${objs[@]}"
done
echo "built $(ls "$out"/*.elf | wc -l) images in $out"
