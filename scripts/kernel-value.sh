#!/usr/bin/env bash
# make kernel-value: issue 16's scenarios where only the kernel knows (root): S4 noisy neighbours
# (steady and bursty CPU hogs) and S5 a 1-CPU cgroup quota, the request/response workload at every
# stock Pekko point and at the Morpheus dispatcher on the kernel (morpheusd's BPF observer, started
# here when none runs), procfs and queue sources. Writes kernel-value.json and prints the verdicts.
#   scripts/kernel-value.sh            2 s per point after 0.5 s warm-up, 3 interleaved rounds
#   scripts/kernel-value.sh --quick    1 s per point, one round
# Any further arguments go to the runner. Expects `make native` and `make java`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/jar-env.sh"
JAR="$ROOT/samples/target/morpheus-samples.jar"
require_jar kernel-value "$JAR" samples
[[ "$(id -u)" -eq 0 ]] || { echo "kernel-value: needs root (morpheusd loads BPF; S5 creates a cgroup)" >&2; exit 1; }
args=(--pareto-duration 2 --pareto-warmup 0.5 --repeat 3)
if [[ "${1:-}" == "--quick" ]]; then
  shift
  args=(--pareto-duration 1 --pareto-warmup 0.3 --repeat 1)
fi
mkdir -p "$REPORT"
export ROOT
exec "$JAVA" -XX:+UseParallelGC -Xms256m -Djna.library.path="${BUILD:-$ROOT/build}/native" -jar "$JAR" \
  --out "$REPORT" --suites kernel-value --morpheusd "${BUILD:-$ROOT/build}/native/morpheusd" "${args[@]}" "$@"
