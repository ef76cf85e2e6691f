#!/usr/bin/env bash
# Rebuilds every guest program image: samples/build.sh [OUTDIR]   (default: samples/bin)
#   src/NAME.c (+ optional src/NAME-asm.S) -> NAME-O0.elf and NAME-O2.elf
#   src/NAME.S                             -> NAME.elf
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
CFLAGS=(--target=aarch64-none-elf -mcpu=cortex-a53 -mgeneral-regs-only -mstrict-align
        -ffreestanding -nostdlib -fno-stack-protector -fno-pic -std=c11
        -Wall -Wextra -Werror -Wno-unused-parameter
        -gdwarf-4 -fdebug-compilation-dir=. -Iruntime)
LDFLAGS=(-T runtime/link.ld -z max-page-size=4096 -z norelro --build-id=none -static)

runtime_c=(runtime/rt.c runtime/uart.c runtime/mmu.c)
runtime_s=(runtime/start.S runtime/vectors.S runtime/el0.S)

compile() { # compile OPT OBJDIR FILES...
    local opt=$1 dir=$2; shift 2
    mkdir -p "$dir"
    for f in "$@"; do
        local o="$dir/$(basename "${f%.*}").o"
        "$CC" "${CFLAGS[@]}" "$opt" -c "$f" -o "$o" || return 1
        echo "$o"
    done
}

for opt in -O0 -O2; do
    list=$(compile "$opt" "$obj/rt$opt" "${runtime_c[@]}" "${runtime_s[@]}"); rt_objs=($list)
    for src in src/*.c; do
        name="$(basename "$src" .c)"
        files=("$src")
        [ -f "src/$name-asm.S" ] && files+=("src/$name-asm.S")
        list=$(compile "$opt" "$obj/$name$opt" "${files[@]}"); objs=($list)
        "$LD" "${LDFLAGS[@]}" -o "$out/$name$opt.elf" "${rt_objs[@]}" "${objs[@]}"
    done
done

list=$(compile -O2 "$obj/rt-asm" "${runtime_c[@]}" "${runtime_s[@]}"); rt_objs=($list)
for src in src/*.S; do
    name="$(basename "$src" .S)"
    case "$name" in *-asm) continue ;; esac
    list=$(compile -O2 "$obj/$name" "$src"); objs=($list)
    "$LD" "${LDFLAGS[@]}" -o "$out/$name.elf" "${rt_objs[@]}" "${objs[@]}"
done
echo "built $(ls "$out"/*.elf | wc -l) images in $out"
