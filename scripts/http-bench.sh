#!/usr/bin/env bash
# The HTTP sample (samples/.../http/QueryServer: Pekko HTTP, GET /query/<id> asks an actor, CPU-bound
# background jobs beside) under wrk, with Pekko's stock default-dispatcher and with the Morpheus
# dispatcher as pekko.actor.default-dispatcher, quiet and beside 2 CPU-hog processes. Rounds
# alternate stock/Morpheus; the median round of each is reported, with ratios to stock.
#
# Why wrk: Debian packages it, it saturates a local HTTP/1.1 server from few threads, and
# requests/s is what it measures best. Its latency is that of a closed loop (each connection
# sends its next request when the last answer came): a stall delays requests that were never
# sent, which it does not record (coordinated omission), so its p99 understates stalls. It is
# reported as wrk's, side by side for both dispatchers under the same load; the runner's S3/S4/S5
# scenarios measure open-loop latency from the scheduled send time.
#   scripts/http-bench.sh [SECONDS per run, default 10] [ROUNDS, default 3]
# Expects `make java`; wrk from scripts/install-deps.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/jar-env.sh"
JAR="$ROOT/samples/target/morpheus-samples.jar"
require_jar http-bench "$JAR" samples
command -v wrk >/dev/null || { echo "http-bench: wrk not installed (scripts/install-deps.sh)" >&2; exit 1; }
DUR=${1:-10}
ROUNDS=${2:-3}
CONNS=${HTTP_CONNS:-32}
out="$REPORT/http"
mkdir -p "$out"
lua="$out/ids.lua"
cat > "$lua" <<'LUA'
-- every request asks for another id, spread over the query actors
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/query/" .. counter)
end
LUA

server_pid=
hogs=()
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  for h in "${hogs[@]}"; do kill "$h" 2>/dev/null || true; done
}
trap cleanup EXIT

start_server() { # dispatcher
  local log="$out/server-$1.log"
  "$JAVA" -XX:+UseParallelGC -Xms256m -Djna.library.path="${BUILD:-$ROOT/build}/native" \
    -cp "$JAR" dev.morpheus.samples.http.QueryServer --port 0 --dispatcher "$1" > "$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    port=$(sed -n 's/^listening on port \([0-9]*\).*/\1/p' "$log")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "http-bench: server ($1) died:"; tail -5 "$log"; exit 1; }
    sleep 0.1
  done
  echo "http-bench: server ($1) did not start"; exit 1
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

run_one() { # dispatcher hogs round -> "rps p50 p99" in $out/last (not a subshell: the trap must see the server)
  start_server "$1"
  wrk -t2 -c"$CONNS" -d2s -s "$lua" "http://127.0.0.1:$port" > /dev/null  # warm-up (JIT, pools)
  wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s "$lua" "http://127.0.0.1:$port" > "$out/wrk-$1-h$2-r$3.txt"
  stop_server
  awk '/Requests\/sec:/ {rps=$2}
       /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
       END {print rps, p50, p99}' "$out/wrk-$1-h$2-r$3.txt" > "$out/last"
}

to_ms() { # wrk's "1.23ms" / "456.00us" / "1.2s" -> ms
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "http-bench: $ROUNDS rounds of ${DUR}s per point, wrk -t2 -c$CONNS, results in $out"
json="$out/http.json"
echo '{"runs":[' > "$json"
first=1
for h in 0 2; do
  hogs=()
  for _ in $(seq 1 "$h"); do sh -c 'while :; do :; done' & hogs+=($!); done
  for d in stock morpheus; do : > "$out/$d-h$h.tsv"; done
  for r in $(seq 1 "$ROUNDS"); do
    for d in stock morpheus; do
      run_one "$d" "$h" "$r"
      read -r rps p50 p99 < "$out/last"
      p50=$(to_ms "$p50"); p99=$(to_ms "$p99")
      echo "$rps $p50 $p99" >> "$out/$d-h$h.tsv"
      [ $first -eq 1 ] || echo ',' >> "$json"; first=0
      printf '{"dispatcher":"%s","cpu_hogs":%d,"round":%d,"requests_per_s":%s,"wrk_p50_ms":%s,"wrk_p99_ms":%s}' \
        "$d" "$h" "$r" "$rps" "$p50" "$p99" >> "$json"
      echo "  hogs=$h round $r $d: $rps req/s, wrk p50 $p50 ms, p99 $p99 ms"
    done
  done
  for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done
  hogs=()
  s_rps=$(cut -d' ' -f1 "$out/stock-h$h.tsv" | median); m_rps=$(cut -d' ' -f1 "$out/morpheus-h$h.tsv" | median)
  s_p99=$(cut -d' ' -f3 "$out/stock-h$h.tsv" | median); m_p99=$(cut -d' ' -f3 "$out/morpheus-h$h.tsv" | median)
  awk -v h="$h" -v sr="$s_rps" -v mr="$m_rps" -v sp="$s_p99" -v mp="$m_p99" 'BEGIN {
    printf "http-bench: hogs=%d median: stock %.0f req/s p99 %.2f ms; morpheus %.0f req/s p99 %.2f ms; morpheus/stock req/s %.3fx, p99 %.2fx\n",
      h, sr, sp, mr, mp, mr/sr, mp/sp }'
done
echo ']}' >> "$json"
echo "http-bench: wrote $json"
