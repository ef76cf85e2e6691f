#!/usr/bin/env bash
# Side by side (issue 14, docs/PERFORMANCE.md "Against QEMU"): one CPU-bound guest, compute.c at -O2 with ROUNDS rounds
# (default 52: about 0.9 G instructions), run to its semihosting exit by qemu-system-aarch64 (TCG) and by Aegis.Emu with
# each engine and timing model. Wall time of the whole process, best of RUNS (default 3); Aegis.Emu also prints its own
# run time (the `host` of its summary, without .NET's start-up). Needs clang-14, ld.lld-14 and qemu-system-aarch64.
#   scripts/speed-vs-qemu.sh            ROUNDS=8 RUNS=1 scripts/speed-vs-qemu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-52}
runs=${RUNS:-3}
out=build/speed
mkdir -p "$out"
ONLY=compute EXTRA_FLAGS="-DROUNDS=$rounds" samples/build.sh "$out" >/dev/null
elf="$out/compute-O2.elf"
dotnet build Aegis.Emu -c Release --nologo -v q >/dev/null
emu=(dotnet Aegis.Emu/bin/Release/net10.0/Aegis.Emu.dll)

best() { sort -n | head -1; }
wall() { # wall seconds of one run of the command, its output discarded
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

instructions=$("${emu[@]}" run "$elf" --timing simple --engine jit 2>&1 | sed -n 's/.*status 0: \([0-9]*\) instructions.*/\1/p')
echo "guest: $elf ($rounds rounds), $instructions instructions; host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
qemu=$(for _ in $(seq "$runs"); do wall qemu-system-aarch64 -M virt -cpu cortex-a53 -nographic -nic none -semihosting -kernel "$elf"; done | best)
printf '%-44s %9s %9s %9s %10s\n' "engine" "wall s" "run s" "MIPS" "x QEMU"
printf '%-44s %9.3f %9s %9.0f %10s\n' "qemu-system-aarch64 $(qemu-system-aarch64 --version | head -1 | awk '{print $4}') TCG" "$qemu" "-" \
  "$(echo "$instructions / $qemu / 1000000" | bc -l)" "1.00"
for timing in simple a53; do
  for engine in interp jit; do
    w=9999; r=9999
    for _ in $(seq "$runs"); do
      t0=$(date +%s.%N)
      line=$("${emu[@]}" run "$elf" --timing "$timing" --engine "$engine" 2>&1 | grep -m1 'guest exit')
      t1=$(date +%s.%N)
      w=$(echo "t = $t1 - $t0; if (t < $w) t else $w" | bc -l)
      h=$(echo "$line" | sed -n 's/.* \([0-9.]*\) s host.*/\1/p')
      r=$(echo "if ($h < $r) $h else $r" | bc -l)
    done
    printf '%-44s %9.3f %9.3f %9.0f %10.2f\n' "Aegis.Emu --engine $engine --timing $timing" "$w" "$r" \
      "$(echo "$instructions / $r / 1000000" | bc -l)" "$(echo "$w / $qemu" | bc -l)"
  done
done
