#!/usr/bin/env bash
# campaign.sh - run libFuzzer harnesses for a bounded time each, with a fixed seed.
#   campaign.sh OUT SECONDS SEED harness:corpus_dir [harness:corpus_dir ...]
# For each harness OUT/<harness> it fuzzes from the committed seeds (fuzz/corpus/<dir>) and
# regressions (fuzz/regressions/<dir>) into a scratch corpus OUT/<harness>.work (never into
# the committed directories), then prints one line with the number of inputs executed
# (libFuzzer's stat::number_of_executed_units, named _runs in older releases). A crash, leak, timeout or OOM fails the
# campaign and its input is copied to fuzz/regressions/<dir>/ so that `make test` replays it
# from then on: commit it together with the fix.
set -uo pipefail

OUT=$1 SECONDS_EACH=$2 SEED=$3; shift 3
HERE=$(cd "$(dirname "$0")" && pwd)
status=0 total=0
for spec in "$@"; do
  h=${spec%%:*} dir=${spec#*:}
  work=$OUT/$h.work log=$OUT/$h.log art=$OUT/$h.artifacts/
  mkdir -p "$work" "$art" "$HERE/regressions/$dir"
  rm -f "$art"/*
  "$OUT/$h" -seed="$SEED" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$art" "$work" "$HERE/corpus/$dir" "$HERE/regressions/$dir" \
    >"$log" 2>&1
  rc=$?
  runs=$(sed -En 's/^stat::number_of_executed_(runs|units): *//p' "$log" | tail -n1)
  total=$((total + ${runs:-0}))
  if [ $rc -ne 0 ]; then
    status=1
    grep -E 'ERROR|SUMMARY|^    #[0-9]+ .*(fuzz/|src/)' "$log" | head -n 20
    for f in "$art"*; do
      [ -f "$f" ] || continue
      cp "$f" "$HERE/regressions/$dir/"
      echo "$h: FAILED after ${runs:-?} inputs; input saved as native/fuzz/regressions/$dir/$(basename "$f")"
    done
  else
    echo "$h: ${runs:-?} inputs executed in ${SECONDS_EACH} s (seed $SEED), corpus $(ls "$work" | wc -l) files, no crash"
  fi
done
echo "fuzz campaign: $total inputs executed, $([ $status -eq 0 ] && echo 'no crash' || echo 'FAILED')"
exit $status
