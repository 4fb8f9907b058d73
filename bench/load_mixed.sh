#!/usr/bin/env bash
# A load that misses the cache: a dashboard crowd's varied requests (bench/live/dashboard_urls.py:
# assessments, rankings, calendars, series and bulletins of many periods, regions and stations,
# and the latest AQI) against a server whose cache is empty, as it is after each new hour lands.
#
#   bench/load_mixed.sh STORE [SECONDS_PER_RUN=60] [FIRST_YEAR]
#
# For 50 and then 200 connections: a fresh server (empty cache), wrk with bench/live/mixed.lua
# for SECONDS_PER_RUN, then the server's resident memory and its cache's entries and bytes
# (/api/v1/health) against the cache's bounds. Prints a Markdown table (docs/reliability.md
# keeps the last run). FIRST_YEAR: the first year the store holds, when it holds less than the
# latest hour's year and the one before (periods before it would be 404s). wrk's timeout is 30 s: a request slower than that counts as an error.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:?usage: bench/load_mixed.sh STORE [SECONDS_PER_RUN]}
secs=${2:-60}
first_year=${3:-}
. bench/common.sh
need_wrk
release_binary
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
start() { start_server "$store" "$work/log"; }
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
start
python3 bench/live/dashboard_urls.py "$base" 1 $first_year >"$work/urls"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "store: $store; $(wc -l <"$work/urls") requests in the mix, $(sort -u "$work/urls" | wc -l) distinct"
echo "mix: $(grep -c 'aqi/latest' "$work/urls") latest AQI, $(grep -c '/assessment' "$work/urls") assessments, $(grep -c '/ranking' "$work/urls") rankings, $(grep -c '/calendar' "$work/urls") calendars, $(grep -c '/series/' "$work/urls") series, $(grep -c '/report' "$work/urls") bulletins ($(grep -c 'format=pdf' "$work/urls") PDF)"
stop
echo
echo "| connections | requests/s | p50 | p90 | p99 | max | errors (non-2xx + socket) | server RSS after (MB) | cache entries / bytes (bound 512 / 64 MiB) |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in 50 200; do
  start
  out=$(URLS="$work/urls" wrk -t2 -c"$c" -d"${secs}s" --timeout 30s --latency -s bench/live/mixed.lua "$base")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p90=$(awk '$1=="90%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  max=$(awk '$1=="Latency" {print $4}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
  cache=$(curl -sf "$base/api/v1/health" | python3 -c 'import json,sys; c=json.load(sys.stdin)["cache"]; print("%d / %.1f MiB" % (c["entries"], c["bytes"] / 1048576))')
  echo "| $c | $rps | $p50 | $p90 | $p99 | $max | $((non2xx + sock)) | $(( $(rss) / 1024 )) | $cache |"
  stop
done
