#!/usr/bin/env bash
# A long live run of `lantian serve --watch`: real Beijing hourly data published hour by hour
# into the watched folder while a crowd of dashboard clients reads, then the checks that every
# hour was ingested exactly once.
#
#   bench/live_run.sh [SECONDS=3600] [SECONDS_PER_HOUR=5] [CONNECTIONS=20]
#
# The store starts with 2023 (../shared/data/quotsoft_beijing/2023); 2024's files are then
# published one hour at a time (bench/live/feeder.py: each tick rewrites the day's two files with
# one more hour, as BJMEMC's site does). wrk reads with bench/live/mixed.lua over the varied
# requests of bench/live/dashboard_urls.py. Every 30 s the server's resident memory, threads,
# snapshot and cache are sampled. At the end:
# - the values stored from the published files were each written once (no revision, as many
#   rows in `observations` as in `current`),
# - they equal a one-shot ingest of the same files into a fresh store (count and sum),
# - every published hour is in the store.
# Prints a Markdown report (docs/reliability.md keeps the last run).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3600}
every=${2:-5}
conns=${3:-20}
data=../shared/data/quotsoft_beijing
[ -d "$data/2024" ] && [ -d "$data/2023" ] || { echo "live_run: $data/2023 and 2024 are needed" >&2; exit 1; }
. bench/common.sh
need_wrk
release_binary
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --store "$work/store" ingest --quiet "$data/2023" >/dev/null
mkdir "$work/in"
start_server "$work/store" "$work/log" --watch "$work/in" --watch-interval 1
pids+=("$pid")
python3 bench/live/dashboard_urls.py "$base" 1 2023 >"$work/urls"
status() { awk '/VmRSS/ {r=$2} /Threads/ {t=$2} END {printf "%s %s\n", r, t}' "/proc/$pid/status"; }
health() { curl -sf "$base/api/v1/health" | python3 -c 'import json,sys; h=json.load(sys.stdin); print(h["generation"], h["latest"], h["cache"]["entries"], h["cache"]["bytes"])'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); run of ${secs} s, an hour of data every ${every} s, ${conns} connections"
echo "start: $(status) (RSS kB, threads); $(health) (snapshot, latest hour, cache entries, cache bytes)"
(
  echo "| minute | RSS (kB) | threads | snapshot | latest hour | cache entries | cache bytes |"
  echo "|---|---|---|---|---|---|---|"
  t=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30; t=$((t + 30))
    read -r rss th < <(status)
    read -r gen latest entries bytes < <(health || echo "- - - -")
    echo "| $((t / 60)):$(printf %02d $((t % 60))) | $rss | $th | $gen | $latest | $entries | $bytes |"
  done
) >"$work/samples" &
pids+=("$!")
python3 bench/live/feeder.py "$data/2024" "$work/in" "$every" "$secs" "$work/fed" &
feeder=$!; pids+=("$feeder")
URLS="$work/urls" wrk -t2 -c"$conns" -d"${secs}s" --timeout 30s --latency -s bench/live/mixed.lua "$base" >"$work/wrk" 2>&1 || true
wait "$feeder" || true
# Let the watcher take the last hour (a file is taken once unchanged over an interval).
sleep 10
echo
echo "## Reads"
sed -n '/Latency/,/Transfer/p' "$work/wrk"
echo
echo "## Memory and state every 30 s"
cat "$work/samples"
echo
hours=$(wc -l <"$work/fed")
sql() { "$bin" --store "$1" sql --format csv "$2" | sed -n 2p; }
live=$(sql "$work/store" "SELECT COUNT(*), ROUND(SUM(value), 3), MAX(revision) FROM observations WHERE source_file LIKE '%/in/%'")
live_current=$(sql "$work/store" "SELECT COUNT(*), ROUND(SUM(value), 3) FROM current WHERE source_file LIKE '%/in/%'")
stored_hours=$(sql "$work/store" "SELECT COUNT(DISTINCT time_end) FROM current WHERE source_file LIKE '%/in/%'")
"$bin" --store "$work/reference" ingest --quiet "$work/in" >/dev/null
reference=$(sql "$work/reference" "SELECT COUNT(*), ROUND(SUM(value), 3) FROM current")
taken=$(grep -c "lantian serve: watch: .*new" "$work/log" || true)
failed=$(grep -c "ingest failed\|panicked" "$work/log" || true)
echo "## Exactly once"
echo "- hours published: $hours (last: $(tail -1 "$work/fed" | cut -d' ' -f1,2)); file ingests by the watcher: $taken; failures in the server log: $failed"
echo "- distinct hours stored from the published files: $stored_hours"
echo "- rows written from them (count, sum, highest revision): $live"
echo "- current values from them (count, sum): $live_current"
echo "- a one-shot ingest of the same files into a fresh store (count, sum): $reference"
ok=yes
[ "${live%,*}" = "$live_current" ] || ok=no
[ "$live_current" = "$reference" ] || ok=no
[ "${live##*,}" = "0" ] || ok=no
[ "$failed" = "0" ] || ok=no
[ "$stored_hours" = "$hours" ] || ok=no
echo "- every hour ingested exactly once: $ok"
[ "$ok" = yes ]
