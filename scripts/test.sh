#!/usr/bin/env bash
# The README's test command: installs the reference tools on Debian when missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pair in clang-14:clang-14 ld.lld-14:lld-14 llvm-mc-14:llvm-14 qemu-system-aarch64:qemu-system-arm qemu-aarch64:qemu-user gdb-multiarch:gdb-multiarch genhtml:lcov dtc:device-tree-compiler fdtput:device-tree-compiler frama-c:frama-c-base why3:why3 z3:z3 cvc4:cvc4; do
  tool=${pair%%:*}; pkg=${pair#*:}
  command -v "$tool" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing reference tools: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing reference tools (${need[*]}); their tests will be skipped" >&2
  fi
fi
# Debian's arm64 kernel and busybox for the Linux boot test (Tests/Linux, docs/LINUX.md), cached in build/debian/.
scripts/fetch-debian.sh || echo "fetch-debian failed: the Linux boot test will say why" >&2
# Firmware the tests boot but never commit: Debian's U-Boot for QEMU (Tests/Firmware), into build/debian/.
scripts/fetch-uboot.sh
status=0
proofs_failed=0
coverage_failed=0
log=$(mktemp)
proofs_log=$(mktemp)
coverage=$(mktemp -d)
trap 'rm -f "$log" "$proofs_log"; rm -rf "$coverage"' EXIT
# The kernel's proofs (docs/PROOFS.md): one line per property; a property that no longer proves fails the run. They run
# beside the build and the first test pass (their prover verdicts come from the committed cache, so the load of the
# tests cannot make a prover time out; a goal that changed goes to the provers) and print when the pass is done.
proofs_pid=
if command -v frama-c >/dev/null 2>&1 && command -v cvc4 >/dev/null 2>&1; then
  scripts/prove.sh >"$proofs_log" 2>&1 &
  proofs_pid=$!
else
  echo "frama-c or cvc4 missing: the kernel proofs (scripts/prove.sh) were skipped" >&2
fi
dotnet build Aegis.Emu.sln -c Release -warnaserror --nologo -v q
# The first pass also measures the kernel's coverage on its committed images (docs/COVERAGE.md).
AEGIS_COVERAGE_DIR="$coverage" dotnet test Tests/Tests.csproj -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
if [ -n "$proofs_pid" ]; then
  wait "$proofs_pid" || { status=1; proofs_failed=1; }
  cat "$proofs_log"
fi
if [ $# -eq 0 ]; then
  scripts/kernel-coverage.sh "$coverage/kernel.info" || { status=1; coverage_failed=1; }
fi
# Functional results must depend neither on the timing model nor on the engine: the QEMU differential, kernel and
# tracing tests run again with every board on the Cortex-A53 model and the interpreter (the first pass ran them on
# "simple" and the block translator, the library's defaults), so every QEMU-referenced test runs on both engines (code
# that runs fewer than Cpu.HotBlock times stays interpreted in the first; Tests/Engines translates everything). The
# Slow category (the 2-simulated-second run under every checker, 4 min) runs in the first pass only.
if [ $# -eq 0 ]; then
  AEGIS_TEST_TIMING=a53 AEGIS_TEST_ENGINE=interp dotnet test Tests/Tests.csproj -c Release --no-build --nologo --logger "console;verbosity=normal" \
    --filter "(FullyQualifiedName~Aegis.Tests.Guests|FullyQualifiedName~Aegis.Tests.Kernel|FullyQualifiedName~Aegis.Tests.Tracing|FullyQualifiedName~Differential|FullyQualifiedName~Qemu)&TestCategory!=Slow" \
    | tee -a "$log" || status=$?
fi
# The library as a third party uses it: packed, restored by a separate project (Tests.Package, samples/embed).
if [ $# -eq 0 ]; then
  scripts/test-package.sh | tee -a "$log" || status=$?
fi
# The plain closing line: counts from dotnet test's own summaries, both passes added.
count() { grep -E "^\s+$1:\s+[0-9]+" "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
# CI keeps only the tail of this output: name every failed test here, next to the counts.
grep -E "^\s+Failed [^:]" "$log" | sed 's/^\s*/failed: /' || true
[ "$proofs_failed" = 0 ] || echo "failed: proofs (scripts/prove.sh; a property no longer proves)"
[ "$coverage_failed" = 0 ] || echo "failed: kernel coverage (scripts/kernel-coverage.sh; below its floor)"
echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
exit $status
