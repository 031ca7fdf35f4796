#!/usr/bin/env bash
# make bench: runs the JMH benchmarks (checkpoint cost, and the dispatcher ping-pong/fan-out
# ones when present) with the GC profiler, writing JMH JSON under target/morpheus-report/.
#   BENCH=regex      select benchmarks (JMH include pattern; default: all in the jar)
#   JMH_OPTS="..."   extra JMH options (default: none beyond the annotations: 1 fork, 3x1s warmup, 5x1s measurement)
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
