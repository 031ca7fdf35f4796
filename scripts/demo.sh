#!/usr/bin/env bash
# make demo: the Morpheus throughput comparison, short version (< 3 minutes on a 2-core machine,
# no root, embedded default hint source), writing target/morpheus-report/throughput.json, the
# other suites' JSON, pareto.json (the Pareto suite's points and verdicts, also printed on
# stderr), PNG charts and BENCHMARK_REPORT.md.
#   scripts/demo.sh            short version (what `make demo` runs; Pareto: S1 at 2 and 10 us, S2 at 10 us, S3, 1 s per point)
#   scripts/demo.sh --full     full version: workers 1..32, 4 s windows, hint sources auto and queue, 3 interleaved repeats;
#                              Pareto: every scenario, 2 s per point after 0.5 s warm-up, 3 rounds (~30 min in all)
#   scripts/demo.sh --full --contend 2   ... with 2 competing CPU-hog processes
# Any further arguments go to the runner (java -jar samples/target/morpheus-samples.jar --help).
# Expects `make java` (mvn package) to have built samples/target/morpheus-samples.jar.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/jar-env.sh"
JAR="$ROOT/samples/target/morpheus-samples.jar"
require_jar demo "$JAR" samples
args=()
if [[ "${1:-}" == "--full" ]]; then
  shift
  args=(--workers 1,2,4,8,16,32 --hint-sources auto,queue --duration 4 --warmup 1 --repeat 3 --pareto-duration 2 --pareto-warmup 0.5)
else
  args=(--quick)
fi
mkdir -p "$REPORT"
exec "$JAVA" -XX:+UseParallelGC -Xms256m -jar "$JAR" --out "$REPORT" "${args[@]}" "$@"
