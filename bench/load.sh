#!/usr/bin/env bash
# Load test of `lantian serve` on loopback with wrk (Debian's package): requests/s and p50/p99
# latency of the latest-AQI and assessment endpoints at 50 and 200 connections, then a soak run
# of the latest-AQI endpoint at 200 connections with the server's resident memory sampled.
#
#   bench/load.sh STORE [SECONDS_PER_RUN=30] [SOAK_SECONDS=300]
#
# STORE is a store with data (e.g. `lantian --store S ingest ../shared/data/quotsoft_beijing`).
# The server and wrk share the machine's cores, as they would on one host; numbers are printed
# as a Markdown table (docs/serve.md keeps the last run).
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:?usage: bench/load.sh STORE [SECONDS_PER_RUN] [SOAK_SECONDS]}
secs=${2:-30}
soak=${3:-300}
. bench/common.sh
need_wrk
release_binary
log=$(mktemp)
start_server "$store" "$log"
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
latest_time=$(curl -sf "$base/api/v1/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["latest"])')
# The year to date of the latest hour (hour-ending: 24:00 closes the day before).
ytd=$(python3 -c 'import sys,datetime as d; t=d.datetime.fromisoformat(sys.argv[1])-d.timedelta(hours=1); print(f"{t.year}-YTD-{t:%m-%d}")' "$latest_time")
latest_url="$base/api/v1/aqi/latest"
assess_url="$base/api/v1/assessment?period=$ytd"
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "store: $store; latest hour $latest_time; assessment period $ytd"
echo "server memory after start: $(rss) kB"
# The first assessment is computed (then kept for this store version): its time, cold.
cold=$(curl -s -o /dev/null -w '%{time_total}' "$assess_url")
echo "first (uncached) assessment: ${cold} s"
curl -sf -o /dev/null "$latest_url"
echo
echo "| endpoint | connections | requests/s | p50 | p99 | errors (non-2xx + socket) |"
echo "|---|---|---|---|---|---|"
run() { # name url connections seconds
  local out
  out=$(wrk -t2 -c"$3" -d"$4"s --latency "$2")
  local rps p50 p99 non2xx sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
  echo "| $1 | $3 | $rps | $p50 | $p99 | $((non2xx + sock)) |"
}
for c in 50 200; do
  run "latest AQI" "$latest_url" "$c" "$secs"
  run "assessment ($ytd)" "$assess_url" "$c" "$secs"
done
echo
before=$(rss)
echo "soak: latest AQI, 200 connections, ${soak} s; server memory before: ${before} kB"
samples=()
( for _ in $(seq 1 $((soak / 30))); do sleep 30; echo "$(rss)"; done ) >"$log.rss" &
sampler=$!
run "latest AQI (soak)" "$latest_url" 200 "$soak"
wait $sampler || true
echo "memory during the soak (kB, every 30 s): $(tr '\n' ' ' <"$log.rss")"
echo "server memory after: $(rss) kB"
rm -f "$log.rss"
