#!/usr/bin/env bash
# Security tests of morpheusd (issue 14), run by `make -C native test-reliability` after run.sh.
# Each numbered step is an attack that got through before the fix, replayed by our own
# attacker code (tests/reliability/attacker.c, run as unprivileged users) against the
# daemon on the host kernel; the step's checks fail on the old daemon and pass on the new:
#  (1) stale peer pid: connect, fork, the connecting process exits and a root process gets
#      its pid (clone3 set_tid): REGISTER of that root thread is refused (pidfd identity).
#  (2) REGISTER/exit race: threads that send REGISTER for themselves and exit at once, many
#      times: afterwards no slot is left for a dead thread (re-check after insertion, sweep).
#  (3) per-uid limits: one uid holding 300 sockets does not lock out another uid nor root's
#      `stats`; HELLO'd connections without workers time out; per-uid slot limit.
#  (4) a client that keeps (or pins) its region fds after disconnecting: they count against
#      its uid's region limit until the kernel freed them; kernel maps stay bounded.
#  (5) HELLO/close storm by 4 uids: STATS p99 of a bystander within 10 ms.
#  (6) pin dir squatting on a world-writable bpffs: a pre-created pin dir not owned by the
#      daemon is refused with a clear message, the daemon's own is 0700, a planted exit_info
#      pin is not reported by `stats`.
#  (7) CLI: a regular file at --socket is never replaced, --group is resolved before any BPF
#      is loaded, numbers are plain decimal.
# Needs root, bpffs, a BTF kernel, setpriv; skips otherwise (a failure under CI=true).
set -uo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
BIN=$BUILD/native
MORPHEUSD=${MORPHEUSD:-$BIN/morpheusd}
MORPHEUSD_SAN=${MORPHEUSD_SAN:-$BIN/san/morpheusd}
ATTACKER=${ATTACKER:-$BIN/san/attacker}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SUITE=test-reliability-security
. "$(dirname "${BASH_SOURCE[0]}")/../suite.sh"
require_root_btf
for f in "$MORPHEUSD" "$MORPHEUSD_SAN" "$ATTACKER"; do [ -e "$f" ] || skip "$f not built"; done
command -v setpriv >/dev/null || skip "setpriv missing"
if ! mountpoint -q /sys/fs/bpf; then
  mount -t bpf bpf /sys/fs/bpf || skip "cannot mount bpffs on /sys/fs/bpf"
fi

TMP=$(mktemp -d /tmp/morpheus-sec.XXXXXX)
chmod 0755 "$TMP"
SOCK=$TMP/run/morpheusd.sock
PIN=/sys/fs/bpf/morpheus-sec-$$
NOBODY_GROUP=$(getent group 65534 | cut -d: -f1)
# attackers and bystanders: distinct uids, all in the socket's group (nogroup)
as_uid() { local u=$1; shift; setpriv --reuid="$u" --regid=65534 --clear-groups "$@"; }
ATTACKER_ROOT=$ATTACKER           # the root half of the pid-reuse attack
ATTACKER=$(for_nobody "$ATTACKER")
DAEMON_PID=
BG_PIDS=()
cleanup() {
  [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$PIN" "$PIN"-* /sys/fs/bpf/morpheus-sec-ww-$$ 2>/dev/null; rm -rf "$TMP"
}
trap cleanup EXIT

field() { grep -o "$1=[-0-9.]*" | head -n1 | cut -d= -f2; }   # key=value from stdin
stat_json() { "$MORPHEUSD" stats --json --socket "$SOCK" | grep -o "\"$1\": [0-9]*" | awk '{print $2}'; }
sanitizer_clean() { ! grep -Eq 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error' "$@"; }

start_daemon() {   # start_daemon BINARY LOG [extra flags]: waits for the socket
  local bin=$1 log=$2; shift 2
  rm -f "$SOCK"
  $bin --socket "$SOCK" --pin-dir "$PIN" --group "$NOBODY_GROUP" "$@" >>"$log" 2>&1 &   # $bin: may carry a prefix (nice)
  DAEMON_PID=$!
  for _ in $(seq 150); do [ -S "$SOCK" ] && return 0; kill -0 "$DAEMON_PID" 2>/dev/null || return 1; sleep 0.1; done
  return 1
}
stop_daemon() {   # SIGTERM, returns the exit status
  local rc
  kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID"; rc=$?; DAEMON_PID=
  return $rc
}

# ---- (1) a stale peer pid, recycled by a root process ----
start_daemon "$MORPHEUSD_SAN" "$TMP/d1.log" --max-slots-per-client 255 || bad "(1) sanitized daemon starts"
for attempt in 1 2 3; do
  "$ATTACKER_ROOT" pid-reuse --socket "$SOCK" --uid 65534 >"$TMP/reuse.out" 2>&1 && break
done
echo "  (1) $(cat "$TMP/reuse.out")"
RP=$(field reused_pid <"$TMP/reuse.out"); RS=$(field register_status <"$TMP/reuse.out")
check "(1) pid of the connecting process recycled by root (pid ${RP:-?}): REGISTER of root's thread refused (status ${RS:-?}; 0 = accepted)" \
  test "${RP:-0}" -gt 0 -a "${RS:-0}" != 0
check "(1) ... and no worker is registered afterwards" test "$(stat_json registered_workers)" = 0

# ---- (2) REGISTER racing the thread's exit ----
RACE_N=${RACE_N:-1500}
as_uid 65534 "$ATTACKER" exit-race --socket "$SOCK" --attempts "$RACE_N" --hold 4 >"$TMP/race.out" 2>&1 & RACE_PID=$!
for _ in $(seq 300); do grep -q accepted= "$TMP/race.out" && break; sleep 0.1; done
sleep 2.5   # > one sweep period, the attacker's connection still open
LEFT=$(stat_json registered_workers)
wait "$RACE_PID"
echo "  (2) $RACE_N threads registering themselves while exiting: $(cat "$TMP/race.out"); slots left for dead threads: $LEFT"
check "(2) no slot is left for a thread that exited while registering ($LEFT left)" test "$LEFT" = 0
stop_daemon; rc=$?
check "(1)/(2) sanitized daemon: SIGTERM exit 0, no sanitizer report" bash -c "[ $rc = 0 ] && ! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' '$TMP/d1.log'"

# ---- (3) per-uid limits: connections, idle regions, slots; root's stats always answered ----
start_daemon "$MORPHEUSD" "$TMP/d3.log" --idle-timeout-ms 1000 --max-slots-per-client 16 --max-slots-per-uid 20 \
  || bad "(3) daemon starts with --idle-timeout-ms, --max-slots-per-uid"
as_uid 65534 "$ATTACKER" hog --socket "$SOCK" --connections 300 --seconds 3 >"$TMP/hog.out" 2>&1 & HOG_PID=$!
sleep 1
as_uid 65533 "$ATTACKER" connects --socket "$SOCK" --count 20 >"$TMP/bystander.out" 2>&1
"$MORPHEUSD" stats --socket "$SOCK" >"$TMP/rootstats.out" 2>&1; rc=$?
wait "$HOG_PID"
echo "  (3) uid 65534 holding sockets: $(cat "$TMP/hog.out"); uid 65533 meanwhile: $(cat "$TMP/bystander.out"); root's stats: exit $rc"
check "(3) one uid holding (and reopening) 300 sockets gets at most --max-connections-per-uid (32) ($(field held_max <"$TMP/hog.out"))" \
  test "$(field held_max <"$TMP/hog.out")" -le 32
check "(3) ... another uid connects 20 of 20 times meanwhile ($(field ok <"$TMP/bystander.out"))" test "$(field ok <"$TMP/bystander.out")" = 20
check "(3) ... and root's stats is answered (exit $rc)" test "$rc" = 0
as_uid 65534 "$ATTACKER" idle --socket "$SOCK" --seconds 5 >"$TMP/idle.out" 2>&1
echo "  (3) HELLO'd connection without workers: $(cat "$TMP/idle.out")"
check "(3) a HELLO'd connection without workers is closed after --idle-timeout-ms 1000 ($(field after_ms <"$TMP/idle.out") ms)" \
  bash -c "[ \"\$(grep -o 'dropped=[01]' '$TMP/idle.out')\" = dropped=1 ] && [ $(field after_ms <"$TMP/idle.out" | cut -d. -f1) -lt 2500 ]"
as_uid 65534 "$ATTACKER" slots --socket "$SOCK" --connections 2 --threads 32 >"$TMP/slots.out" 2>&1
echo "  (3) 32 threads of one uid over 2 connections (16 slots each): $(cat "$TMP/slots.out")"
check "(3) --max-slots-per-uid 20 holds over connections (32 attempted, $(field registered <"$TMP/slots.out") registered)" \
  test "$(field registered <"$TMP/slots.out")" = 20
stop_daemon >/dev/null
# the whole table full (one uid allowed 256): root still gets its reserved connection
start_daemon "$MORPHEUSD" "$TMP/d3b.log" --max-connections-per-uid 256 || bad "(3) daemon starts"
as_uid 65534 "$ATTACKER" hog --socket "$SOCK" --connections 300 --seconds 2.5 >"$TMP/hog2.out" 2>&1 & HOG_PID=$!
sleep 1.2
"$MORPHEUSD" stats --socket "$SOCK" >"$TMP/rootstats2.out" 2>&1; rc=$?
wait "$HOG_PID"
check "(3) with all 256 user connections taken ($(field held_max <"$TMP/hog2.out") held), root's stats is still answered (exit $rc)" \
  test "$rc" = 0 -a "$(field held_max <"$TMP/hog2.out")" -ge 250
stop_daemon >/dev/null

# ---- (4) region fds kept (and pinned) past the connection ----
KEEP=/sys/fs/bpf/morpheus-sec-keep-$$; mkdir -p "$KEEP"; chown 65534 "$KEEP"
start_daemon "$MORPHEUSD" "$TMP/d4.log" --max-clients-per-uid 4 || bad "(4) daemon starts"
as_uid 65534 "$ATTACKER" keep-fds --socket "$SOCK" --count 40 --pin "$KEEP" >"$TMP/keep.out" 2>&1
PINNED=$(ls "$KEEP" | wc -l)
echo "  (4) 40 x (HELLO, keep and pin the region fd, close): $(cat "$TMP/keep.out"); regions pinned by nobody: $PINNED"
check "(4) a uid keeping its region fds gets at most --max-clients-per-uid (4) regions ($(field hello_ok <"$TMP/keep.out") HELLOs accepted, $PINNED pinned)" \
  test "$(field hello_ok <"$TMP/keep.out")" -le 4 -a "$PINNED" -le 4
as_uid 65533 "$ATTACKER" connects --socket "$SOCK" --count 5 >"$TMP/keep2.out" 2>&1
check "(4) ... another uid is not affected ($(cat "$TMP/keep2.out"))" test "$(field ok <"$TMP/keep2.out")" = 5
rm -rf "$KEEP"; sleep 0.5
as_uid 65534 "$ATTACKER" connects --socket "$SOCK" --count 3 >"$TMP/keep3.out" 2>&1
check "(4) ... and once its pins are gone the uid gets regions again ($(cat "$TMP/keep3.out"))" test "$(field ok <"$TMP/keep3.out")" = 3
stop_daemon >/dev/null

# ---- (5) HELLO/close storm by 4 uids; a bystander's STATS latency ----
# The daemon and the bystander run at nice -10 here (a service may, Nice= in its unit): on this
# 2-core, shared machine, at the attackers' priority they wait in the run queue behind them and
# everyone else's load, and that is not what this step measures: that the daemon's loop never
# blocks in the kernel (it did, 8-16 ms per HELLO and per close, in RCU grace periods; the old
# daemon's p99 was 95-439 ms measured the same way). STATS alone is measured first.
start_daemon "nice -n -10 $MORPHEUSD" "$TMP/d5.log" || bad "(5) daemon starts"
BYSTANDER=(nice -n -10 setpriv --reuid=65530 --regid=65534 --clear-groups "$ATTACKER" stats-latency --socket "$SOCK")
"${BYSTANDER[@]}" --seconds 1 >"$TMP/lat0.out" 2>&1
# Up to 3 storms: the machine is shared, and a p99 of 10 ms is within reach of its run-queue
# noise; the old daemon blocked 8-16 ms per HELLO and per close and never came near (95-439 ms).
P99S=""
for attempt in 1 2 3; do
  STORM_PIDS=()
  for u in 65531 65532 65533 65534; do
    as_uid "$u" "$ATTACKER" storm --socket "$SOCK" --seconds 3.5 >"$TMP/storm$u.out" 2>&1 & STORM_PIDS+=($!)
  done
  sleep 0.3
  "${BYSTANDER[@]}" --seconds 3 >"$TMP/lat1.out" 2>&1
  wait "${STORM_PIDS[@]}"
  CYCLES=$(cat "$TMP"/storm*.out | awk -F'[ =]' '{c += $2; h += $4} END {print c" cycles, "h" HELLOs accepted"}')
  echo "  (5) STATS alone: $(cat "$TMP/lat0.out"); during storm $attempt ($CYCLES): $(cat "$TMP/lat1.out")"
  P99=$(field p99_ms <"$TMP/lat1.out")
  P99S="$P99S ${P99:-?}"
  grep -q 'failures=0' "$TMP/lat1.out" && [ "$(echo "${P99:-99999} < 10" | bc)" = 1 ] && break
done
check "(5) STATS p99 during a 4-uid HELLO/close storm within 10 ms, no failure (p99 of each storm:$P99S ms)" \
  bash -c "[ \"\$(echo '${P99:-99999} < 10' | bc)\" = 1 ] && grep -q 'failures=0' '$TMP/lat1.out'"
stop_daemon; rc=$?
check "(5) daemon stops cleanly after the storm (exit $rc)" test "$rc" = 0

# ---- (7) command line: files and names checked before anything is loaded ----
mkdir -p "$TMP/run"
echo "precious" >"$SOCK"
timeout 10 "$MORPHEUSD" --socket "$SOCK" --pin-dir "$PIN" >"$TMP/c1.out" 2>&1; rc=$?
echo "  (7) regular file at --socket: $(grep -v '^libbpf' "$TMP/c1.out" | tail -n1)"
check "(7) a regular file at --socket: exit 1, \"exists and is not a socket\", the file intact, nothing pinned" \
  bash -c "[ $rc = 1 ] && grep -qF -- \"--socket '$SOCK': exists and is not a socket; refusing to replace it\" '$TMP/c1.out' && [ \"\$(cat '$SOCK')\" = precious ] && [ ! -e '$PIN' ]"
rm -f "$SOCK"
timeout 10 "$MORPHEUSD" --socket "$SOCK" --pin-dir "$PIN" --group nosuchgroup-$$ >"$TMP/c2.out" 2>&1; rc=$?
echo "  (7) --group nosuchgroup: $(tr '\n' '|' <"$TMP/c2.out")"
check "(7) --group naming no group: exit 2, one line naming it, before any BPF is loaded (nothing pinned, no libbpf output)" \
  bash -c "[ $rc = 2 ] && [ \"\$(cat '$TMP/c2.out')\" = \"morpheusd: --group 'nosuchgroup-$$': no such group\" ] && [ ! -e '$PIN' ] && [ ! -e '$SOCK' ]"
for flag in --max-slots-per-client --hint-budget-ms --slice-ms; do
  for v in 0x10 " 7" 1e1; do
    timeout 10 "$MORPHEUSD" --socket "$SOCK" --pin-dir "$PIN" "$flag" "$v" >"$TMP/c3.out" 2>&1; rc=$?
    check "(7) $flag '$v': exit 2 naming flag, value and range" \
      bash -c "[ $rc = 2 ] && grep -qF -- \"$flag '$v': must be\" '$TMP/c3.out' && [ ! -e '$PIN' ]"
  done
done

# ---- (6) the pin directory on a world-writable bpffs ----
WW=/sys/fs/bpf/morpheus-sec-ww-$$        # like /sys/fs/bpf itself on many hosts: 1777
mkdir -p "$WW"; chmod 1777 "$WW"
as_uid 65534 "$ATTACKER" squat --dir "$WW/squat" --seconds 4 >"$TMP/squat.out" 2>&1 & SQUAT_PID=$!
sleep 0.3
timeout 10 "$MORPHEUSD" --socket "$SOCK" --pin-dir "$WW/squat" >"$TMP/p1.out" 2>&1; rc=$?
echo "  (6) squatted pin dir ($(cat "$TMP/squat.out")): $(grep -v '^libbpf' "$TMP/p1.out" | tail -n1)"
check "(6) a pin dir created (and flocked) by nobody: refused, exit 1, naming its owner" \
  bash -c "[ $rc = 1 ] && grep -qF -- \"--pin-dir '$WW/squat': owned by uid 65534, not by this daemon (uid 0)\" '$TMP/p1.out'"
kill "$SQUAT_PID" 2>/dev/null; wait "$SQUAT_PID" 2>/dev/null
start_daemon "$MORPHEUSD" "$TMP/p2.log" || bad "(6) daemon starts"
check "(6) the daemon's own pin dir is root's and 0700 (got $(stat -c '%u %a' "$PIN"))" test "$(stat -c '%u %a' "$PIN")" = "0 700"
as_uid 65534 "$ATTACKER" plant-exit-info --socket "$SOCK" --dir "$WW/planted" >"$TMP/plant.out" 2>&1
"$MORPHEUSD" stats --socket "$SOCK" --pin-dir "$WW/planted" >"$TMP/p3.out" 2>"$TMP/p3.err"; rc=$?
echo "  (6) $(cat "$TMP/plant.out"); stats: $(grep -i 'scheduler\|ignoring' "$TMP/p3.out" "$TMP/p3.err" | head -n1)"
check "(6) an exit_info pinned by nobody is not reported by stats (exit 0, no 'planted by nobody')" \
  bash -c "grep -q planted=1 '$TMP/plant.out' && [ $rc = 0 ] && ! grep -q 'planted by nobody' '$TMP/p3.out'"
stop_daemon >/dev/null
rm -rf "$WW"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
