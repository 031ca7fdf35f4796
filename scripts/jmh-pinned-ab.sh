#!/usr/bin/env bash
# A/B of two JMH points run AT THE SAME TIME, one CPU each, the CPUs swapped every round:
# prints each round's scores and the ratio A/B, then the median ratio.
#
# Why: on this project's shared 2-vCPU machines the speed of a CPU changes from one minute to
# the next (other tenants), so forks run one after another differ by 5-20% even A/A. Run side
# by side, both points see the same interference; measured A/A (Pekko's default dispatcher
# twice, 8 ping-pong pairs): ratios 1.011-1.034 over 4 rounds, where sequential forks gave
# 0.73-1.11. The price: each JVM has one CPU, so a point's pool threads share it (time-sliced by
# the kernel); that measures what each message and each batch costs, not how a pool spreads
# work over several CPUs. Use JMH on the whole machine for that, with more forks.
#
# usage: scripts/jmh-pinned-ab.sh [-n ROUNDS] [-b B-JAR] JAR BENCHMARK "JMH-PARAMS" "A-DISPATCHER[|JVM-ARGS]" "B-DISPATCHER[|JVM-ARGS]"
#   -b B-JAR: B runs from another build's benchmark jar (a change against the build before it)
#   e.g. scripts/jmh-pinned-ab.sh benchmarks/target/benchmarks.jar MessageHeavyPingPong "-p pairs=8" \
#          "morpheus-default|-Dmorpheus-default.morpheus.hint-source=none" "pekko-default"
set -euo pipefail

rounds=4 jar_b=
while [ "${1:-}" = "-n" ] || [ "${1:-}" = "-b" ]; do
  case $1 in -n) rounds=$2 ;; -b) jar_b=$2 ;; esac
  shift 2
done
if [ $# -ne 5 ]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
jar=$1 bench=$2 params=$3 a=$4 b=$5
case $rounds in '' | *[!0-9]* | 0) echo "jmh-pinned-ab: -n $rounds: want a round count of 1 or more" >&2; exit 2 ;; esac
jar_b=${jar_b:-$jar}
[ -f "$jar" ] || { echo "jmh-pinned-ab: no benchmark jar at $jar (make java builds it)" >&2; exit 2; }
[ -f "$jar_b" ] || { echo "jmh-pinned-ab: -b $jar_b: no such benchmark jar" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "jmh-pinned-ab: needs 2 CPUs, this machine has $(nproc)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# point CPU SPEC OUT JAR: one JMH fork of SPEC on CPU; the score into OUT. jmh.ignoreLock: JMH
# refuses a second instance on the machine otherwise.
point() {
  local d=${2%%|*} ja= jar=$4
  [[ $2 == *"|"* ]] && ja=${2#*|}
  # shellcheck disable=SC2086 # params is a list of JMH options
  taskset -c "$1" java -Djmh.ignoreLock=true -jar "$jar" "$bench" $params -p dispatcher="$d" -f 1 -wi 4 -i 5 \
    ${ja:+-jvmArgsAppend "$ja"} > "$3.log" 2>&1 || true
  grep ' thrpt ' "$3.log" | grep -v ':' | awk '{print $(NF-3)}' | tail -1 > "$3"
}

ratios=()
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then ca=0 cb=1; else ca=1 cb=0; fi
  point $ca "$a" "$tmp/a" "$jar" & pa=$!
  point $cb "$b" "$tmp/b" "$jar_b"
  wait $pa
  sa=$(cat "$tmp/a") sb=$(cat "$tmp/b")
  if [ -z "$sa" ] || [ -z "$sb" ]; then
    echo "jmh-pinned-ab: round $i gave no score; the JMH output follows" >&2
    tail -20 "$tmp/a.log" "$tmp/b.log" >&2
    exit 1
  fi
  r=$(awk -v x="$sa" -v y="$sb" 'BEGIN { printf "%.3f", x / y }')
  ratios+=("$r")
  printf 'round %d  A %.0f ops/s (cpu %d)  B %.0f ops/s (cpu %d)  A/B %s\n' "$i" "$sa" $ca "$sb" $cb "$r"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "median A/B %.3f over %d rounds (min %s, max %s)\n", m, NR, v[1], v[NR] }'
