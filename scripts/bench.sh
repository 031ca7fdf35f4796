#!/usr/bin/env bash
# make bench: runs the JMH benchmarks (checkpoint cost, the dispatcher ping-pong/fan-out ones,
# and the message-heavy ones: ping-pong pairs, request/response, tell-only against Pekko's
# default dispatcher) with the GC profiler, writing JMH JSON under target/morpheus-report/;
# when the run has message-heavy results it then prints their summary (MessageHeavySummary:
# ratios to pekko-default, median over forks, A/A beside, the 0.98x verdict).
#   BENCH=regex      select benchmarks (JMH include pattern; default: all in the jar; MessageHeavy: that suite)
#   JMH_OPTS="..."   extra JMH options (default: none beyond the annotations, e.g. CheckpointBenchmark
#                    1 fork, the MessageHeavy ones 3 forks; both 3x1s warmup, 5x1s measurement)
#   JAVA=/path/java  the JVM to run on (default: java on PATH, or $JAVA_HOME/bin/java)
# Expects `make java` (mvn package) to have built benchmarks/target/benchmarks.jar.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/jar-env.sh"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
require_jar bench "$JAR" benchmarks
mkdir -p "$REPORT"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$REPORT/jmh-$stamp.json"
echo "bench: JMH ${BENCH:-<all>} -> $out"
# shellcheck disable=SC2086
"$JAVA" -jar "$JAR" ${BENCH:-} -prof gc -rf json -rff "$out" ${JMH_OPTS:-}
cp "$out" "$REPORT/jmh-latest.json"
echo "bench: wrote $out (and jmh-latest.json)"
if grep -q '"dev.morpheus.benchmarks.dispatcher.MessageHeavy' "$out"; then
  "$JAVA" -cp "$JAR" dev.morpheus.benchmarks.dispatcher.MessageHeavySummary --json "$out"
fi
