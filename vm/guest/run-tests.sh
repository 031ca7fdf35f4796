#!/usr/bin/env bash
# run-tests.sh RESULTS - the sched_ext test suite, run inside the test VM (chrooted into the
# host's file system, as root, on Debian's sched_ext kernel). Each test prints its output,
# appends "PASS name" or "FAIL name: why" to RESULTS/results.txt and key numbers as
# "METRIC name key=value..." lines; the host side (vm/test.sh) counts them. Env (passed through
# RESULTS/env): MORPHEUS_VM_BIN (test tools), MORPHEUS_NATIVE (morpheusd, libmorpheus; the
# daemon finds scx_morpheus.bpf.o in ../bpf), MORPHEUS_SOAK_S (mixed-load soak seconds,
# default 60), MORPHEUS_STARVE_S (default 8), MORPHEUS_JAVA_CP (the JVM smoke test's classpath).
# The scheduler is always loaded by the real daemon: morpheusd --scheduler scx.
set -uo pipefail
R=${1:?results dir}
# shellcheck disable=SC1091
. "$R/env"
BIN=$MORPHEUS_VM_BIN; NATIVE=$MORPHEUS_NATIVE; MORPHEUSD=$NATIVE/morpheusd
SOAK=${MORPHEUS_SOAK_S:-60}; STARVE=${MORPHEUS_STARVE_S:-8}
PIN=/sys/fs/bpf/morpheus SOCK=/run/morpheus/morpheusd.sock
RES=$R/results.txt
: > "$RES"
LOADER_PID=

log()  { echo "[guest] $*"; }
pass() { echo "PASS $1" >> "$RES"; log "PASS $1"; }
fail() { echo "FAIL $1: $2" >> "$RES"; log "FAIL $1: $2"; }
metric() { echo "METRIC $*" >> "$RES"; log "METRIC $*"; }
state() { cat /sys/kernel/sched_ext/state 2>/dev/null || echo absent; }
wait_state() { # wait_state WANT SECONDS
  local i; for ((i = 0; i < $2 * 10; i++)); do [ "$(state)" = "$1" ] && return 0; sleep 0.1; done; return 1
}
start_loader() { # start_loader NAME MORPHEUSD_ARGS... : morpheusd --scheduler scx in the background
  local name=$1 i; shift
  : > "$R/loader-$name.log" # the daemon appends (O_APPEND): daemon_stats adds lines to the same file
  # --direct-regions: the test tools own regions of their own (scb_direct), beside the daemon's pool
  "$MORPHEUSD" --scheduler scx --pin-dir "$PIN" --socket "$SOCK" --direct-regions 4 "$@" >> "$R/loader-$name.log" 2>&1 &
  LOADER_PID=$!
  if ! wait_state enabled 20; then cat "$R/loader-$name.log"; return 1; fi
  for ((i = 0; i < 100; i++)); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
  cat "$R/loader-$name.log"; return 1
}
daemon_stats() { # daemon_stats LOG: `morpheusd stats --json` appended as " key=value" pairs
  echo "stats $("$MORPHEUSD" stats --json --socket "$SOCK" --pin-dir "$PIN" 2>&1 | sed 's/[{}]/ /g; s/"\([a-z_]*\)": /\1=/g; s/,//g')" >> "$1"
}
stop_loader() { # stop_loader NAME -> daemon exit status; stats and log printed
  local rc
  daemon_stats "$R/loader-$1.log"
  kill -INT "$LOADER_PID" 2>/dev/null; wait "$LOADER_PID"; rc=$?
  LOADER_PID=; cat "$R/loader-$1.log"; wait_state disabled 10 || true
  return $rc
}
stat_of() { # stat_of LOG NAME
  grep -o " $2=[0-9]*" "$1" | tail -1 | cut -d= -f2
}
hogs_start() { HOGS=(); local i; for ((i = 0; i < $1; i++)); do ( while :; do :; done ) & HOGS+=($!); done; }
hogs_stop() { kill "${HOGS[@]}" 2>/dev/null; wait "${HOGS[@]}" 2>/dev/null; HOGS=(); }
kv() { echo "$1" | grep -o "$2=[-0-9.]*" | head -1 | cut -d= -f2; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a+0 >= b+0)}'; }

log "kernel $(uname -r), $(nproc) CPUs (possible $(cat /sys/devices/system/cpu/possible)), sched_ext state $(state)"
dmesg -C 2>/dev/null || true

# (a) loads, is named, stays enabled through a mixed load, no watchdog abort.
t_soak() {
  local n=soak_mixed_load out
  start_loader $n || { fail $n "scheduler did not reach state enabled"; return; }
  local ops; ops=$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)
  [ "$ops" = morpheus ] || { stop_loader $n; fail $n "root/ops is '$ops', want morpheus"; return; }
  out=$("$BIN/mixload" --duration-s "$SOAK" --spinners 3 --pairs 2); local mrc=$?
  echo "$out"
  local st; st=$(state)
  local alive=1; kill -0 "$LOADER_PID" 2>/dev/null || alive=0
  stop_loader $n; local lrc=$?
  metric $n "$out"
  if [ $mrc -ne 0 ]; then fail $n "a part of the mixed load made no progress"
  elif [ "$st" != enabled ] || [ $alive -ne 1 ] || [ $lrc -ne 0 ]; then fail $n "state=$st loader_alive=$alive loader_rc=$lrc"
  elif dmesg | grep -q 'sched_ext:.*\(error\|stall\|watchdog\)'; then fail $n "kernel logged: $(dmesg | grep sched_ext | tail -2)"
  else pass $n; fi
}

# (b) escalation. The liar spins without ever answering; two hogs keep its run queue busy.
liar_run() { # liar_run NAME LOADER_ARGS -- LIAR_ARGS ; sets LIAR_OUT, LOG
  local n=$1; shift; local la=(); while [ "$1" != -- ]; do la+=("$1"); shift; done; shift
  LOG=$R/loader-$n.log
  start_loader "$n" "${la[@]}" || { LIAR_OUT=""; return 1; }
  hogs_start 2
  local peers; peers=$(IFS=,; echo "${HOGS[*]}")
  if [ -n "${LIAR_CGROUP:-}" ]; then
    LIAR_OUT=$(sh -c "echo \$\$ > $LIAR_CGROUP/cgroup.procs && exec $BIN/liar --pin-dir $PIN --peers $peers $*")
  else
    LIAR_OUT=$("$BIN/liar" --pin-dir "$PIN" --peers "$peers" "$@")
  fi
  hogs_stop
  # CPU time of the liar relative to one hog over the liar's own run, both from the kernel's
  # sum_exec_runtime (thread CPU clock / schedstat); fair = 1.0 (3 spinners on 2 CPUs: 67% each)
  HOG_MS=$(kv "$LIAR_OUT" peer_cpu_ms)
  LIAR_SHARE=$(awk -v l="$(kv "$LIAR_OUT" cpu_ms)" -v h="${HOG_MS:-0}" 'BEGIN{printf "%.2f", (h > 0 ? l / h : 0)}')
  stop_loader "$n"
  echo "$LIAR_OUT"
}
ESC=(--enforce --fixed-hint-budget --hint-budget-ms 5 --grace-ms 50 --max-critical-ms 300)

t_kick() {
  local n=escalation_kick_enforced
  liar_run $n "${ESC[@]}" --escalation kick -- --run-ms 1500 || { fail $n "loader failed"; return; }
  local e d k; e=$(kv "$LIAR_OUT" escalations); d=$(kv "$LIAR_OUT" hint_to_escalation_ms); k=$(stat_of "$LOG" escalations_kick)
  metric $n "escalations=$e hint_to_escalation_ms=$d kicks=$k liar_cpu_pct=$(kv "$LIAR_OUT" cpu_pct)"
  # grace 50 ms, checked on 4 ms ticks: not before the grace, and not absurdly after it
  if [ "${e:-0}" -ge 1 ] && [ "${k:-0}" -ge 1 ] && ge "$d" 46 && ge 400 "$d"; then pass $n
  else fail $n "escalations=$e kicks=$k hint_to_escalation_ms=$d (want >=1, >=1, 46..400)"; fi
}

t_observer() {
  local n=escalation_never_in_observer
  liar_run $n --fixed-hint-budget --hint-budget-ms 5 --grace-ms 50 -- --run-ms 1500 || { fail $n "loader failed"; return; }
  local e h k t; e=$(kv "$LIAR_OUT" escalations); h=$(kv "$LIAR_OUT" hints)
  k=$(stat_of "$LOG" escalations_kick); t=$(stat_of "$LOG" escalations_throttle)
  metric $n "hints=$h escalations=$e kicks=$k throttles=$t liar_share_of_hog=$LIAR_SHARE"
  if [ "${h:-0}" -ge 1 ] && [ "${e:-1}" -eq 0 ] && [ "${k:-1}" -eq 0 ] && [ "${t:-1}" -eq 0 ]; then pass $n
  else fail $n "hints=$h escalations=$e kicks=$k throttles=$t (want hints>=1 and no escalation)"; fi
}

# Fairness: a registered worker that ignores every hint (observer mode: nothing enforced) and
# two unregistered hogs, 3 spinners on 2 CPUs, get equal CPU time (67% each) within TCG noise.
t_fairness() {
  local n=fair_cpu_shares
  liar_run $n -- --run-ms 3000 || { fail $n "loader failed"; return; }
  metric $n "liar_cpu_ms=$(kv "$LIAR_OUT" cpu_ms) hog_avg_cpu_ms=$HOG_MS liar_share_of_hog=$LIAR_SHARE (fair=1.00)"
  if ge "$LIAR_SHARE" 0.7 && ge 1.3 "$LIAR_SHARE"; then pass $n
  else fail $n "liar/hog CPU ratio $LIAR_SHARE, want 0.7..1.3"; fi
}

# A critical section held past max-critical (300 ms) with a hint ignored is escalated no earlier
# than max-critical, in wall time and in the worker's own CPU time (the kernel counts both, so a
# worker kept off its CPU by the hogs is not charged for the wait), and promptly once both have
# passed it: the clock that passed it last (the smaller of the two at the escalation) is within
# max-critical + grace (50 ms) + one 4 ms tick. Not both clocks: the kernel escalates when the
# later one passes, and under TCG the task clock (sched_clock) and CLOCK_MONOTONIC run at
# different rates (seen in CI: 321.9 ms wall, 382.1 ms CPU at the same escalation), so the
# earlier one has overshot by the difference, not by anything the scheduler did. The margin
# also covers a bound passed while the liar waits for its CPU behind a hog (a tick runs only on
# a running task; a hog's slice is at most 10 ms).
t_critical() {
  local n=critical_section_bounded
  liar_run $n "${ESC[@]}" --escalation kick -- --run-ms 1500 --critical-ms 1200 || { fail $n "loader failed"; return; }
  local e c u o later; e=$(kv "$LIAR_OUT" escalations); c=$(kv "$LIAR_OUT" critical_to_escalation_ms)
  u=$(kv "$LIAR_OUT" critical_to_escalation_cpu_ms); o=$(stat_of "$LOG" critical_overruns)
  later=$(awk -v a="$c" -v b="$u" 'BEGIN{print (a+0 < b+0) ? a : b}')
  metric $n "escalations=$e critical_to_escalation_ms=$c critical_to_escalation_cpu_ms=$u later_clock_ms=$later max_critical_ms=300 grace_ms=50 critical_overruns=$o"
  if [ "${e:-0}" -ge 1 ] && ge "$c" 296 && ge "$u" 296 && ge 354 "$later" && [ "${o:-0}" -ge 1 ]; then pass $n
  else fail $n "escalations=$e critical_to_escalation_ms=$c cpu_ms=$u overruns=$o (want >=1; wall and CPU >=296; the later of them <=354 (max-critical + grace + tick); >=1)"; fi
}

t_not_escapable() {
  local n=not_escapable_never_escalated
  liar_run $n "${ESC[@]}" --escalation kick -- --run-ms 1000 --not-escapable || { fail $n "loader failed"; return; }
  local e; e=$(kv "$LIAR_OUT" escalations)
  metric $n "escalations=$e"
  if [ "${e:-1}" -eq 0 ]; then pass $n; else fail $n "escalations=$e (want 0)"; fi
}

# CGROUP_THROTTLE: the scheduler throttles the liar itself (vtime debt, off the CPU) and the
# daemon lowers cpu.max of its cgroup for a bounded time and restores it. The liar's CPU share
# must really drop: compared with one hog's, against 1.0 when fair (t_fairness).
t_throttle() {
  local n=escalation_cgroup_throttle cg=/sys/fs/cgroup/morpheus-liar
  echo +cpu > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
  mkdir -p $cg
  LIAR_CGROUP=$cg liar_run $n "${ESC[@]}" --escalation throttle -- --run-ms 3000 \
    || { fail $n "loader failed"; rmdir $cg 2>/dev/null; return; }
  local k t a r now; k=$(stat_of "$LOG" escalations_kick); t=$(stat_of "$LOG" escalations_throttle)
  # applied throttles only ("tid N, <path> = ..."): a request for a thread that just exited logs "tid N: no cgroup" and applies nothing
  a=$(grep -c 'throttle: tid [0-9]*, ' "$LOG"); r=$(grep -c 'throttle: restored' "$LOG"); now=$(cat $cg/cpu.max)
  rmdir $cg 2>/dev/null
  metric $n "throttle_requests=$t cpu.max_applied=$a cpu.max_restored=$r kicks=$k cpu.max_after='$now' liar_share_of_hog=$LIAR_SHARE (fair=1.00)"
  if [ "${t:-0}" -ge 1 ] && [ "${a:-0}" -ge 1 ] && [ "$a" = "$r" ] && [ "${k:-1}" -eq 0 ] && [ "$now" = "max 100000" ] \
     && ge 0.6 "$LIAR_SHARE"; then pass $n
  else fail $n "throttles requested=$t cpu.max applied=$a restored=$r kicks=$k cpu.max='$now' share=$LIAR_SHARE (want <=0.6)"; fi
}

t_hybrid() {
  local n=escalation_hybrid cg=/sys/fs/cgroup/morpheus-liar
  mkdir -p $cg
  LIAR_CGROUP=$cg liar_run $n "${ESC[@]}" --escalation hybrid -- --run-ms 2500 \
    || { fail $n "loader failed"; rmdir $cg 2>/dev/null; return; }
  rmdir $cg 2>/dev/null
  local k t; k=$(stat_of "$LOG" escalations_kick); t=$(stat_of "$LOG" escalations_throttle)
  metric $n "kicks=$k throttles=$t"
  if [ "${k:-0}" -ge 1 ] && [ "${t:-0}" -ge 1 ]; then pass $n; else fail $n "kicks=$k throttles=$t (want a kick first, then throttles)"; fi
}

# (c) fallback: SIGKILL of morpheusd returns every task to the fair class; the scheduler's
# exit info stays pinned, `morpheusd stats` reports it and a restarted daemon logs it.
t_fallback() {
  local n=fallback_on_sigkill
  start_loader $n || { fail $n "scheduler did not reach state enabled"; return; }
  # The ticker appends one byte per tick: the count only grows, and a read racing a write sees
  # the old or the new count (rewriting a number in place let a read see an empty file).
  local cnt=/tmp/fallback.cnt; : > $cnt
  ( while :; do printf . >> $cnt; sleep 0.05; done ) & local ticker=$!
  hogs_start 2
  sleep 1
  kill -9 "$LOADER_PID"; wait "$LOADER_PID" 2>/dev/null; LOADER_PID=
  local ok=1; wait_state disabled 10 || ok=0
  local c1; c1=$(stat -c %s $cnt); sleep 1; local c2; c2=$(stat -c %s $cnt)
  local alive=1; kill -0 $ticker "${HOGS[@]}" 2>/dev/null || alive=0
  kill $ticker; hogs_stop
  local st; st=$("$MORPHEUSD" stats --socket "$SOCK" --pin-dir "$PIN" 2>&1); echo "$st"
  local xi; xi=$(echo "$st" | grep 'scx_morpheus EXITED')
  rm -f "$SOCK"
  metric $n "state_after=$(state) ticker_progress=$((c2 - c1)) tasks_alive=$alive stats_after_kill='$xi'"
  if [ $ok -eq 1 ] && [ $((c2 - c1)) -gt 0 ] && [ $alive -eq 1 ] && echo "$xi" | grep -q 'kind=64'; then pass $n
  else fail $n "state=$(state) ticker_progress=$((c2 - c1)) alive=$alive exit='$xi' (want disabled, progress, alive, kind=64 SCX_EXIT_UNREG)"; fi
}

# Exit info: when the kernel throws the scheduler out (here: sysrq-S), morpheusd notices on its
# heartbeat, logs kind/reason from ops.exit and exits 1 (runtime error).
t_exit_info() {
  local n=exit_info_reported
  start_loader $n || { fail $n "scheduler did not reach state enabled"; return; }
  echo S > /proc/sysrq-trigger
  local ok=1; wait_state disabled 10 || ok=0
  local i; for ((i = 0; i < 50; i++)); do kill -0 "$LOADER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -INT "$LOADER_PID" 2>/dev/null; wait "$LOADER_PID"; local rc=$?; LOADER_PID=
  cat "$R/loader-$n.log"
  local line; line=$(grep 'unloaded by the kernel' "$R/loader-$n.log" | head -1)
  # the exit info outlives the daemon: `morpheusd stats` reports it after the daemon exited
  local after; after=$("$MORPHEUSD" stats --socket "$SOCK" --pin-dir "$PIN" 2>&1 | grep 'scx_morpheus EXITED')
  metric $n "daemon_rc=$rc ${line#*: } stats_after_exit='$after'"
  if [ $ok -eq 1 ] && [ $rc -eq 1 ] && echo "$line" | grep -q 'kind=67' && echo "$after" | grep -q 'kind=67'; then pass $n
  else fail $n "state=$(state) daemon_rc=$rc exit='$line' stats_after='$after' (want rc 1, kind=67 SCX_EXIT_SYSRQ in the log and in stats)"; fi
}

# (d) starvation: probe wake-up delay under N spinning workers, default scheduler vs scx_morpheus
t_starvation() {
  local n=starvation_probe d s
  d=$("$BIN/starvation" --workers 4 --duration-s "$STARVE" --label default)
  start_loader $n || { fail $n "scheduler did not reach state enabled"; return; }
  s=$("$BIN/starvation" --workers 4 --duration-s "$STARVE" --register --cooperative --pin-dir "$PIN" --label scx_morpheus_coop)
  stop_loader $n
  echo "$d"; echo "$s"
  metric $n "default_p50_us=$(kv "$d" p50_us) default_p99_us=$(kv "$d" p99_us) default_max_us=$(kv "$d" max_us)" \
    "scx_p50_us=$(kv "$s" p50_us) scx_p99_us=$(kv "$s" p99_us) scx_max_us=$(kv "$s" max_us) scx_hints=$(kv "$s" hints)"
  # Asserted: the probe is never starved and cooperative workers were hinted. The p99s are
  # reported side by side, not asserted: speed is a measurement (TCG on a shared host), not a
  # pass/fail unit test.
  if [ "$(kv "$s" samples)" -gt 0 ] && [ "$(kv "$s" hints)" -gt 0 ]; then pass $n
  else fail $n "scx run: $s (want samples>0, hints>0)"; fi
  echo "REPORT starvation probe p99: default $(kv "$d" p99_us) us, scx_morpheus+cooperative $(kv "$s" p99_us) us"
}

t_latency() {
  local n=slice_expiry_to_yield out
  start_loader $n --fixed-hint-budget --hint-budget-ms 5 || { fail $n "scheduler did not reach state enabled"; return; }
  out=$("$BIN/latency" --duration-s 5 --hogs 2 --pin-dir "$PIN")
  stop_loader $n
  echo "$out"
  metric $n "$out"
  local h p99; h=$(kv "$out" hints); p99=$(echo "$out" | sed 's/.*expiry_to_hint_us p50=[0-9]* p99=\([0-9]*\).*/\1/')
  # Asserted: hints arrive under pressure. The expiry-to-hint delay (goal: one tick, 4 ms at
  # HZ=250, plus slack) is reported, not asserted.
  if [ "${h:-0}" -ge 10 ]; then pass $n; else fail $n "hints=$h (want >=10)"; fi
  echo "REPORT slice expiry to hint p99: ${p99} us (goal <= 12000 us under TCG)"
}

# (e) JVM smoke test: the public Java API (hint-source = kernel, JNA libmorpheus) against
# morpheusd running scx_morpheus: a registered Java worker pinned to CPU 0 next to a hog there
# receives and answers kernel hints. Tiny on purpose: Java under TCG is 10-50x slower.
t_jvm() {
  local n=jvm_kernel_hints cp out rc line
  cp=$(cat "${MORPHEUS_JAVA_CP_FILE:-/nonexistent}" 2>/dev/null)
  [ -n "$cp" ] || { fail $n "no classpath: vm/build-jvm-smoke.sh failed on the host (build/vm/jvm-build.log)"; return; }
  start_loader $n --fixed-hint-budget --hint-budget-ms 5 || { fail $n "scheduler did not reach state enabled"; return; }
  LOG=$R/loader-$n.log
  taskset -c 0 bash -c 'while :; do :; done' & local hog=$!
  out=$(timeout 300 java -XX:TieredStopAtLevel=1 -Xss512k -Djna.library.path="$NATIVE" -Djava.io.tmpdir=/tmp \
        -cp "$cp" dev.morpheus.VmKernelHintSmoke "$SOCK" 5 150 2>&1); rc=$?
  kill $hog; wait $hog 2>/dev/null
  stop_loader $n
  echo "$out"
  line=$(echo "$out" | grep '^jvm-smoke:')
  metric $n "${line#jvm-smoke: } java_rc=$rc kernel_hints_posted=$(stat_of "$LOG" hints_posted) kernel_hints_acked=$(stat_of "$LOG" hints_acked)"
  if [ $rc -eq 0 ] && echo "$line" | grep -q 'ok=true'; then pass $n
  else fail $n "java exit $rc: ${line:-$(echo "$out" | tail -3)}"; fi
}

# The Pekko dispatcher on kernel hints (issue 16, VM half): VmPekkoKernelHints (its class
# comment has the three actors) against scx_morpheus, a CPU hog on each CPU so the kernel has a
# reason to hint; once in observer mode, once --enforce --escalation hybrid. Asserted there:
# every message once and in order, batches cut by kernel hints, mode PRESSURED, the hint
# answer delay sane; enforced: the critical actor never escalated, the actor whose one long
# message ignores hints escalated after grace and the JVM still running after; observer:
# nobody escalated. Asserted here: the JVM exited 0; enforced: the daemon escalated a worker
# and no critical section ran past the kernel's max-critical (critical_overruns 0).
pekko_run() { # pekko_run NAME enforced|observer MORPHEUSD_ARGS...
  local n=$1 mode=$2 cp out rc line e o k t; shift 2
  cp=$(cat "${MORPHEUS_JAVA_CP_FILE:-/nonexistent}" 2>/dev/null)
  [ -n "$cp" ] || { fail $n "no classpath: vm/build-jvm-smoke.sh failed on the host (build/vm/jvm-build.log)"; return; }
  start_loader $n "$@" || { fail $n "scheduler did not reach state enabled"; return; }
  LOG=$R/loader-$n.log
  hogs_start 2
  out=$(timeout 600 java -XX:TieredStopAtLevel=1 -Xss512k -Djna.library.path="$NATIVE" -Djava.io.tmpdir=/tmp \
        -cp "$cp" dev.morpheus.pekko.VmPekkoKernelHints "$SOCK" 400 "$mode" 2>&1); rc=$?
  hogs_stop
  stop_loader $n
  echo "$out" | tail -20
  line=$(echo "$out" | grep '^jvm-pekko:')
  k=$(stat_of "$LOG" escalations_kick); t=$(stat_of "$LOG" escalations_throttle); e=$(( ${k:-0} + ${t:-0} ))
  o=$(stat_of "$LOG" critical_overruns)
  metric $n "${line#jvm-pekko: } java_rc=$rc kernel_escalations=$e kernel_hints_posted=$(stat_of "$LOG" hints_posted) kernel_critical_overruns=$o"
  if [ $rc -ne 0 ] || ! echo "$line" | grep -q 'ok=true'; then fail $n "java exit $rc: ${line:-$(echo "$out" | tail -3)}"
  elif [ "$mode" = enforced ] && { [ "$e" -lt 1 ] || [ "${o:-1}" -ne 0 ]; }; then
    fail $n "kernel escalations $e (want >= 1), critical overruns ${o:-none} (want 0)"
  elif [ "$mode" = observer ] && [ "$e" -ne 0 ]; then fail $n "kernel escalations $e in observer mode (want 0)"
  else pass $n; fi
}
t_pekko() {
  pekko_run pekko_dispatcher_kernel_hints_observer observer --fixed-hint-budget --hint-budget-ms 5 --grace-ms 50 --max-critical-ms 300
  pekko_run pekko_dispatcher_kernel_hints_hybrid enforced "${ESC[@]}" --escalation hybrid
}

# Thread churn on the kernel source (issue 13, VM half): MORPHEUS_CHURN_THREADS (default
# 10,000) JVM threads register with morpheusd on scx_morpheus, run checkpoints and end;
# VmKernelChurn asserts the daemon, the kernel's workers map and the JVM's fds and mappings
# are where they were. Asserted here: the JVM exited 0, and the daemon's stats after it agree.
CHURN_THREADS=${MORPHEUS_CHURN_THREADS:-10000}
t_churn() {
  local n=jvm_kernel_churn cp out rc line
  cp=$(cat "${MORPHEUS_JAVA_CP_FILE:-/nonexistent}" 2>/dev/null)
  [ -n "$cp" ] || { fail $n "no classpath: vm/build-jvm-smoke.sh failed on the host (build/vm/jvm-build.log)"; return; }
  start_loader $n || { fail $n "scheduler did not reach state enabled"; return; }
  LOG=$R/loader-$n.log
  out=$(timeout 900 java -XX:TieredStopAtLevel=1 -Xss512k -Djna.library.path="$NATIVE" -Djava.io.tmpdir=/tmp \
        -cp "$cp" dev.morpheus.VmKernelChurn "$SOCK" "$PIN" "$MORPHEUSD" "$CHURN_THREADS" 2>&1); rc=$?
  stop_loader $n
  echo "$out" | tail -5
  line=$(echo "$out" | grep '^jvm-churn:')
  metric $n "${line#jvm-churn: } java_rc=$rc daemon_requests=$(stat_of "$LOG" requests) daemon_registered_workers=$(stat_of "$LOG" registered_workers)"
  if [ $rc -eq 0 ] && echo "$line" | grep -q 'ok=true'; then pass $n
  else fail $n "java exit $rc: ${line:-$(echo "$out" | tail -3)}"; fi
}

# (f) outside load tools (Debian's stress-ng, rt-tests' cyclictest and hackbench): the loads
# sched_ext's users and scx's CI run, under the default scheduler, scx_morpheus observer and
# scx_morpheus --enforce --escalation hybrid, all in this boot. Asserted for each scx run: the
# scheduler stays enabled (state polled every 0.2 s, enable_seq unchanged, daemon alive) and
# the kernel logs no RCU stall, soft lockup, hung task or sched_ext error. Reported (METRIC,
# each against the default scheduler): cyclictest p50/p99/max and cycles (2 threads, 1 ms
# interval, beside stress-ng --cpu 2), hackbench -g 4 -l 200 median, stress-ng bogo-ops and
# usr/sys per stressor of the mixed load the issue names. Durations: MORPHEUS_LOAD_S seconds
# per cyclictest / stress-ng run (default 5), MORPHEUS_LOAD_REPS repeats of each (default 3).
LOAD_S=${MORPHEUS_LOAD_S:-5}; LOAD_REPS=${MORPHEUS_LOAD_REPS:-3}
LT=$R/loadtools
seq_now() { cat /sys/kernel/sched_ext/enable_seq 2>/dev/null || echo 0; }
lt_watch_start() { # poll the state; any sample not "enabled" is written to $LT/$1.state
  : > "$LT/$1.state"
  ( while :; do s=$(state); [ "$s" = enabled ] || echo "$(date +%s.%N) $s" >> "$LT/$1.state"; sleep 0.2; done ) &
  WATCH_PID=$!
}
lt_watch_stop() { kill "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null; WATCH_PID=; }
# cyclictest histogram (bucket count_t0 count_t1 ...) of all runs -> "p50 p99 max cycles"
lt_ct_stats() {
  cat "$@" | awk '
    /^# Max Latencies:/ { for (i = 4; i <= NF; i++) if ($i + 0 > mx) mx = $i + 0; next }
    /^# Histogram Overflows:/ { for (i = 4; i <= NF; i++) of += $i; next }
    /^[0-9]+[ \t]/ { c = 0; for (i = 2; i <= NF; i++) c += $i; if (c) { h[$1 + 0] += c; n += c; if ($1 + 0 > top) top = $1 + 0 } }
    END {
      tot = n + of; if (!tot) { print "-1 -1 -1 0"; exit }
      p50 = -1; p99 = -1; run = 0
      for (b = 0; b <= top; b++) { run += h[b]; if (p50 < 0 && run >= tot * 0.50) p50 = b; if (p99 < 0 && run >= tot * 0.99) p99 = b }
      if (p50 < 0) p50 = mx; if (p99 < 0) p99 = mx
      print p50, p99, mx, tot }'
}
# rescheduling IPIs, function-call IPIs (all CPUs), context switches, khugepaged's run and
# run-queue wait time (ns, schedstat) and THP collapses so far
lt_snap() {
  local kh; kh=$(pgrep -x khugepaged | head -1)
  echo "$(awk '$1 == "RES:" { r = $2 + $3 } $1 == "CAL:" { c = $2 + $3 } END { print r + 0, c + 0 }' /proc/interrupts)" \
    "$(awk '$1 == "ctxt" { print $2 }' /proc/stat)" \
    "$(awk '{ print $1, $2 }' "/proc/${kh:-0}/schedstat" 2>/dev/null || echo 0 0)" \
    "$(awk '$1 == "thp_collapse_alloc" { print $2 }' /proc/vmstat)"
}
# scx_morpheus's policy counters (struct morpheus_sched_counters in its .bss) as key=value
lt_counters() {
  local id; for id in $(bpftool map list 2>/dev/null | awk -F: '/\.bss/ { print $1 }'); do
    bpftool map dump id "$id" 2>/dev/null | grep -q '"enqueues"' || continue
    bpftool map dump id "$id" | tr -d ' \n' | grep -o '"counters":{[^}]*}' | sed 's/"counters":{//; s/}//; s/"\([a-z_]*\)":/\1=/g; s/,/ /g'
    return
  done
}
lt_rep() { # lt_rep MODE I: one repetition of cyclictest, hackbench, stress-ng; results in $LT/MODE.*
  local m=$1 i=$2 s0 s1 t0
  (cd /tmp && exec stress-ng --cpu 2 --timeout $((LOAD_S + 2))s --temp-path /tmp) >/dev/null 2>&1 & local sp=$!
  sleep 0.5
  cyclictest -m -q -t2 -i 1000 -D "${LOAD_S}s" -h 20000 > "$LT/$m.ct.$i" 2>&1
  wait $sp
  hackbench -g 4 -l 200 2>&1 | awk '/^Time:/ { print $2 }' >> "$LT/$m.hb"
  read -r -a s0 <<< "$(lt_snap)"; t0=$(date +%s.%N)
  (cd /tmp && stress-ng --cpu 2 --io 1 --vm 1 --vm-bytes 64M --fork 1 --switch 1 --timeout "${LOAD_S}s" \
    --metrics-brief --temp-path /tmp) > "$LT/$m.sn.$i" 2>&1
  read -r -a s1 <<< "$(lt_snap)"
  echo "$(date +%s.%N) $t0 $((s1[0] - s0[0])) $((s1[1] - s0[1])) $((s1[2] - s0[2])) $((s1[3] - s0[3])) $((s1[4] - s0[4])) $((s1[5] - s0[5]))" >> "$LT/$m.rates"
}
lt_summary() { # lt_summary MODE: METRIC line over all repetitions; sets CT_*, HB_MED
  local m=$1
  read -r CT_P50 CT_P99 CT_MAX CT_N <<< "$(lt_ct_stats "$LT/$m".ct.*)"
  HB_MED=$(sort -n "$LT/$m.hb" | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : -1) }')
  local hb_all; hb_all=$(tr '\n' ',' < "$LT/$m.hb")
  local rates; rates=$(awk '{ d += $1 - $2; r += $3; c += $4; x += $5; kr += $6; kw += $7; th += $8 }
    END { printf "stressng_res_ipi_per_s=%.0f stressng_cal_ipi_per_s=%.0f stressng_ctxt_per_s=%.0f khugepaged_run_ms=%.0f khugepaged_wait_ms=%.0f thp_collapses=%d", r / d, c / d, x / d, kr / 1e6, kw / 1e6, th }' "$LT/$m.rates")
  # per stressor, summed over the runs: bogo-ops usr sys
  cat "$LT/$m".sn.* | awk '$2 == "metrc:" && $4 ~ /^[a-z]+$/ && $5 ~ /^[0-9]+$/ { o[$4] += $5; u[$4] += $7; s[$4] += $8 }
    END { for (k in o) printf "%s %d %.2f %.2f\n", k, o[k], u[k], s[k] }' | sort > "$LT/$m.sn"
  metric "loadtools_$m" "cyclictest_p50_us=$CT_P50 cyclictest_p99_us=$CT_P99 cyclictest_max_us=$CT_MAX cyclictest_cycles=$CT_N" \
    "hackbench_median_s=$HB_MED hackbench_runs_s=${hb_all%,} $rates" \
    "$(awk '{ printf "%s_ops=%s %s_usr_s=%s %s_sys_s=%s ", $1, $2, $1, $3, $1, $4 }' "$LT/$m.sn")"
}
lt_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "nan" }'; }
# The modes take turns, one repetition each (default, observer, enforced, default, ...): the
# host is shared, and its load drifts over minutes; interleaving spreads that over all modes.
t_loadtools() {
  local m i
  mkdir -p $LT; rm -f "$LT"/*
  command -v stress-ng >/dev/null && command -v cyclictest >/dev/null && command -v hackbench >/dev/null \
    || { fail loadtools "stress-ng / cyclictest / hackbench missing on the host (scripts/install-deps.sh)"; return; }
  mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
  echo 1 > /sys/kernel/tracing/events/sched_ext/sched_ext_dump/enable 2>/dev/null
  dmesg -C 2>/dev/null
  local -A why=()
  for ((i = 0; i < LOAD_REPS; i++)); do
    lt_rep default $i
    local kd; kd=$(dmesg | grep -iE 'rcu.*stall|self-detected stall|soft lockup|hung task' | head -2)
    [ -z "$kd" ] || metric loadtools_default_kernel_log "rep=$i $kd"
    dmesg -C 2>/dev/null
    for m in observer enforced; do
      local args=() seq0 seq1 bad alive lrc kl
      [ $m = enforced ] && args=(--enforce --escalation hybrid)
      start_loader "lt-$m-$i" "${args[@]}" || { why[$m]+="rep $i: did not reach state enabled; "; continue; }
      seq0=$(seq_now)
      lt_watch_start $m
      lt_rep $m $i
      if [ $m = enforced ] && [ $i -eq $((LOAD_REPS - 1)) ]; then
        # Enforcement under load: a registered worker that ignores every hint (escalated:
        # kicked, then throttled) beside one more stress-ng mix.
        "$BIN/liar" --pin-dir "$PIN" --run-ms $((LOAD_S * 1000 + 20000)) > "$LT/liar.out" 2>&1 & local lp=$!
        sleep 1
        (cd /tmp && stress-ng --cpu 2 --io 1 --vm 1 --vm-bytes 64M --fork 1 --switch 1 --timeout "${LOAD_S}s" \
          --metrics-brief --temp-path /tmp) > "$LT/worker.sn" 2>&1
        kill "$lp" 2>/dev/null; wait "$lp" 2>/dev/null
        daemon_stats "$LT/wk.stats"
        metric loadtools_enforced_with_liar "liar_cpu_pct=$(kv "$(cat "$LT/liar.out")" cpu_pct)" \
          "$(awk '$2 == "metrc:" && $4 ~ /^[a-z]+$/ && $5 ~ /^[0-9]+$/ { printf "%s_ops=%s ", $4, $5 }' "$LT/worker.sn")" \
          "escalations_kick=$(stat_of "$LT/wk.stats" escalations_kick) escalations_throttle=$(stat_of "$LT/wk.stats" escalations_throttle)"
      fi
      lt_watch_stop
      lt_counters >> "$LT/$m.counters"
      bad=$(head -3 "$LT/$m.state"); alive=1; kill -0 "$LOADER_PID" 2>/dev/null || alive=0
      seq1=$(seq_now)
      stop_loader "lt-$m-$i" > /dev/null; lrc=$?
      kl=$(dmesg | grep -iE 'rcu.*stall|self-detected stall|soft lockup|hard lockup|hung task|sched_ext:.*(error|stall|disabled \(runtime|failed to run)' | head -3)
      if [ -n "$bad" ] || [ "$seq0" != "$seq1" ] || [ $alive -ne 1 ] || [ $lrc -ne 0 ]; then
        why[$m]+="rep $i: scheduler left: state samples '$(echo $bad)' enable_seq $seq0 -> $seq1 daemon_alive=$alive rc=$lrc; $(dmesg | grep sched_ext | tail -2 | tr '\n' ' '); "
        dmesg | grep -A40 'sched_ext:.*disabled' | head -80
        # the kernel's scheduler dump (runnable tasks, their dsq_vtime and wait), from the trace buffer
        grep -a 'sched_ext_dump' /sys/kernel/tracing/trace 2>/dev/null | sed 's/.*sched_ext_dump: //' | head -150
      elif [ -n "$kl" ]; then why[$m]+="rep $i: kernel logged: $kl; "; dmesg | tail -60
      fi
      dmesg -C 2>/dev/null
    done
  done
  lt_summary default
  local d_ct=("$CT_P50" "$CT_P99" "$CT_MAX" "$CT_N") d_hb=$HB_MED
  for m in observer enforced; do
    lt_summary $m
    # counters summed over the repetitions (one scheduler load each)
    metric "loadtools_${m}_counters" "$(tr ' ' '\n' < "$LT/$m.counters" | awk -F= 'NF == 2 { if ($1 == "max_ahead_ns") { if ($2 > v[$1]) v[$1] = $2 } else v[$1] += $2; if (!($1 in o)) { o[$1] = n++ } }
      END { for (k in o) k2[o[k]] = k; for (i = 0; i < n; i++) printf "%s=%s ", k2[i], v[k2[i]] }')"
    metric "loadtools_${m}_vs_default" "cyclictest_p50=$(lt_ratio "$CT_P50" "${d_ct[0]}")x p99=$(lt_ratio "$CT_P99" "${d_ct[1]}")x" \
      "max=$(lt_ratio "$CT_MAX" "${d_ct[2]}")x cycles=$(lt_ratio "$CT_N" "${d_ct[3]}")x hackbench_median=$(lt_ratio "$HB_MED" "$d_hb")x" \
      "$(join "$LT/default.sn" "$LT/$m.sn" | awk '{ printf "%s_ops=%.2fx %s_sys_pct=%.0f(default %.0f) ", $1, ($2 ? $5 / $2 : 0), $1, (($6 + $7) > 0 ? 100 * $7 / ($6 + $7) : 0), (($3 + $4) > 0 ? 100 * $4 / ($3 + $4) : 0) }')"
    if [ -n "${why[$m]:-}" ]; then fail "loadtools_$m" "${why[$m]}"; else pass "loadtools_$m"; fi
  done
}

for t in ${MORPHEUS_VM_TESTS:-t_soak t_kick t_observer t_fairness t_critical t_not_escapable t_throttle t_hybrid t_fallback t_exit_info t_starvation t_latency t_jvm t_pekko t_churn t_loadtools}; do
  log "=== $t"
  $t
  [ -n "$LOADER_PID" ] && { kill -INT "$LOADER_PID"; wait "$LOADER_PID"; LOADER_PID=; }
  rm -rf "$PIN"
done
echo "DONE" >> "$RES"
log "$(grep -c '^PASS' "$RES") passed, $(grep -c '^FAIL' "$RES") failed"
