#!/usr/bin/env bash
# test.sh BUILD - the sched_ext VM test suite, host side (`make -C vm test`, `make vm-test`).
# Fetches Debian's sched_ext kernel (cached), builds scx_morpheus against that kernel's BTF, morpheusd and
# the test tools, boots the VM and runs vm/guest/run-tests.sh inside, then prints the guest's
# results and the closing line "N passed, N failed". Exits non-zero on any failure, or when the
# guest never reported. Without root, qemu or the kernel the suite is skipped, except with
# CI=true, where a skip is a failure.
set -uo pipefail
BUILD=${1:?usage: test.sh BUILD}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VMB=$BUILD/vm
start=$(date +%s)

skip() {
  if [ "${CI:-}" = true ]; then echo "vm-test: FAILED (CI=true, cannot skip): $*"; echo "0 passed, 1 failed"; exit 1; fi
  echo "vm-test: SKIPPED: $*"; exit 0
}
[ "$(id -u)" -eq 0 ] || skip "needs root (qemu's 9p share of / and BPF inside the guest run as root)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/install-deps.sh)"
command -v busybox >/dev/null || skip "busybox not installed (busybox-static)"
KERNEL=$(bash "$ROOT/vm/fetch-kernel.sh") || skip "could not fetch a sched_ext kernel from Debian"

make --no-print-directory -C "$ROOT/vm" build ROOT="$ROOT" BUILD="$BUILD" KERNEL="$KERNEL" \
  || { echo "vm-test: build of scx_morpheus / the test tools failed"; echo "0 passed, 1 failed"; exit 1; }

# The JVM smoke test's classpath (Maven reactor package of morpheus-api, no install).
echo "vm-test: building the JVM smoke test (morpheus-api jar + classpath), log in $VMB/jvm-build.log"
jcp=
if bash "$ROOT/vm/build-jvm-smoke.sh" "$ROOT" "$BUILD" > "$VMB/jvm-build.log" 2>&1; then jcp=$VMB/jvm/classpath
else echo "vm-test: JVM smoke build failed (the guest's t_jvm will FAIL):"; tail -5 "$VMB/jvm-build.log"; fi

RES=$VMB/results
boot() {
  rm -rf "$RES"; mkdir -p "$RES"
  cat > "$RES/env" <<ENV
MORPHEUS_VM_BIN=$VMB/bin
MORPHEUS_NATIVE=$BUILD/native
MORPHEUS_SOAK_S=${MORPHEUS_SOAK_S:-60}
MORPHEUS_STARVE_S=${MORPHEUS_STARVE_S:-8}
MORPHEUS_LOAD_S=${MORPHEUS_LOAD_S:-5}
MORPHEUS_LOAD_REPS=${MORPHEUS_LOAD_REPS:-3}
MORPHEUS_JAVA_CP_FILE=$jcp
ENV
  [ -z "${MORPHEUS_VM_TESTS:-}" ] || printf 'MORPHEUS_VM_TESTS=%q\n' "$MORPHEUS_VM_TESTS" >> "$RES/env"
  # The guest runs a copy: bash reads a script as it goes, so editing the tree mid-run is safe.
  cp "$ROOT/vm/guest/run-tests.sh" "$RES/run-tests.sh"
  echo "vm-test: booting $(readlink -f "$KERNEL" | xargs basename) under qemu (TCG), results in $RES"
  bash "$ROOT/vm/run-vm.sh" --kernel "$KERNEL" --build "$BUILD" --results "$RES" \
    --timeout "${MORPHEUS_VM_TIMEOUT:-1800}" "$RES/run-tests.sh" > "$RES/qemu.out" 2>&1
  qrc=$?
}
boot
# A guest kernel that oopses under TCG (seen once in ~10 runs while the kernel patched its own
# code during scheduler enable) is the emulator's fault, not a test result: boot once more, and
# say so. Test failures are never retried.
if ! grep -q '^DONE' "$RES/results.txt" 2>/dev/null \
   && grep -aqE 'Oops|BUG:|Kernel panic|general protection fault' "$RES/console.log" 2>/dev/null; then
  echo "vm-test: the guest kernel crashed before the suite finished (not a test failure):"
  grep -aE 'Oops|BUG:|Kernel panic|general protection fault' "$RES/console.log" | head -3
  rm -rf "$RES.crashed"; mv "$RES" "$RES.crashed"
  echo "vm-test: booting once more; the crashed run is kept in $RES.crashed"
  boot
fi
# The guest's own lines, without the firmware's terminal noise.
grep -a '^\[guest\]\|^MORPHEUS-VM\|^morpheusd\|^stats \|^scheduler\|^starvation\|^latency\|^liar\|^mixload\|^jvm-smoke\|^jvm-pekko\|sched_ext' "$RES/console.log" 2>/dev/null
echo "vm-test: --- results ---"
grep -a '^METRIC\|^FAIL' "$RES/results.txt" 2>/dev/null
passed=$(grep -c '^PASS' "$RES/results.txt" 2>/dev/null); passed=${passed:-0}
failed=$(grep -c '^FAIL' "$RES/results.txt" 2>/dev/null); failed=${failed:-0}
if ! grep -q '^DONE' "$RES/results.txt" 2>/dev/null; then
  echo "vm-test: the guest never finished its tests (qemu exit $qrc; 124 = timed out); see $RES/console.log"
  failed=$((failed + 1))
fi
echo "vm-test: $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
