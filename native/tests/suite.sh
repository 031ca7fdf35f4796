# suite.sh - the bookkeeping shared by the root test suites (test-kernel, test-reliability):
# PASS/FAIL counting, and skipping that turns into a failure under CI=true. Source it after
# setting SUITE to the suite's name.
pass=0; fail=0
ok()   { pass=$((pass + 1)); echo "PASS $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
skip() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL (CI=true, cannot skip): $*"; echo "0 passed, 1 failed"; exit 1; fi
  echo "SKIP $SUITE: $*"; exit 0
}
# Both suites need root and a BTF kernel.
require_root_btf() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (bpf() is privileged)"
  [ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
}
# Programs run as nobody must be reachable by nobody, and a checkout inside a 0700 directory
# (mktemp -d) is not: copy the program (with the libmorpheus.so it finds through $ORIGIN, when
# one lies beside it) into a world-readable directory under $TMP and print the copy's path.
for_nobody() {
  local src=$1 d
  d=$TMP/nobody-bin/$(basename "$(dirname "$src")")
  mkdir -p "$d"
  cp "$src" "$d/"
  [ ! -e "$(dirname "$src")/libmorpheus.so" ] || cp "$(dirname "$src")/libmorpheus.so" "$d/"
  chmod -R a+rX "$TMP/nobody-bin"
  echo "$d/$(basename "$src")"
}
