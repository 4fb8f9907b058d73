#!/usr/bin/env bash
# Progress against time of a generated plan (10,000 measures, 100,000 progress reports by
# default; `lantian campaigns generate`) on one date, by Lantian (release binary,
# `campaigns progress --measures-csv`) and by the same arithmetic in polars
# (bench/campaigns_vs_polars.py), on the same files in one run. Both write every measure's
# done, expected, time elapsed, status and finishing date; the files must be identical. Prints
# the wall time and peak memory of each (best of N runs) and the ratio.
#
# Then the five-campaign PDF bulletin of a half-year (`lantian report --campaigns --format
# pdf`) on STORE when one is given (a store with the period's air data), best of N.
#
#   bench/run_campaigns_bench.sh [MEASURES=10000] [UPDATES=100000] [RUNS=3] [STORE] [PERIOD=2023-H1]
set -euo pipefail
cd "$(dirname "$0")/.."
measures=${1:-10000}
updates=${2:-100000}
runs=${3:-3}
store=${4:-}
period=${5:-2023-H1}
. bench/common.sh
release_binary
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import polars" 2>/dev/null || "$venv/bin/pip" install -q polars
py="$venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan="$work/plan"
"$bin" campaigns generate --out "$plan" --measures "$measures" --updates "$updates" --year 2024 --seed 1 2>/dev/null
as_of=2024-06-30

timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.t" "$@" >/dev/null 2>"$work/$name.err" || {
    cat "$work/$name.err" >&2
    exit 1
  }
  cat "$work/$name.t" >>"$work/$name"
}
for _ in $(seq 1 "$runs"); do
  # No store: the plan's own files only (a store path that does not exist is not created).
  timed lantian "$bin" --store "$work/no-store" campaigns progress --plan "$plan" --as-of "$as_of" \
    --measures-csv "$work/lantian.csv" --format csv
  timed polars "$py" bench/campaigns_vs_polars.py --measures "$plan/measures.csv" \
    --milestones "$plan/milestones.csv" --updates "$plan/updates.csv" --as-of "$as_of" \
    --out "$work/polars.csv"
done
if ! cmp -s "$work/lantian.csv" "$work/polars.csv"; then
  echo "the measures' rows differ (first lines):" >&2
  diff "$work/lantian.csv" "$work/polars.csv" | head -20 >&2
  exit 1
fi
best() { sort -n "$work/$1" | head -1; }
read -r lt lm < <(best lantian)
read -r pt pm < <(best polars)
echo "machine: $(nproc) cores; $("$py" -c 'import polars, platform; print(f"python {platform.python_version()}, polars {polars.__version__}")')"
echo "input: $measures measures ($(($(wc -l <"$plan/milestones.csv") - 1)) milestones), $updates reports, as of $as_of; measures.csv $(($(wc -c <"$plan/measures.csv") / 1024)) KiB, milestones.csv $(($(wc -c <"$plan/milestones.csv") / 1024)) KiB"
echo "statuses: $(cut -d, -f5 "$work/lantian.csv" | tail -n +2 | sort | uniq -c | awk '{printf "%s %s; ", $2, $1}')identical in both"
echo
echo "| | wall (best of $runs) | peak memory |"
echo "|---|---|---|"
echo "| Lantian \`campaigns progress\` (read plan.toml, measures.csv, milestones.csv and updates.csv, compute, write) | ${lt} s | $((lm / 1024)) MiB |"
echo "| polars (bench/campaigns_vs_polars.py, read measures.csv, milestones.csv and updates.csv) | ${pt} s | $((pm / 1024)) MiB |"
echo "| ratio polars / Lantian | $(awk -v a="$pt" -v b="$lt" 'BEGIN { printf "%.1f×", a / b }') | |"
if [ -n "$store" ]; then
  for _ in $(seq 1 "$runs"); do
    timed pdf "$bin" --store "$store" report --campaigns --period "$period" --format pdf --out "$work/campaigns.pdf"
  done
  read -r dt dm < <(best pdf)
  echo
  echo "| five-campaign PDF bulletin, $period (\`report --campaigns --format pdf\`) | ${dt} s | $((dm / 1024)) MiB |"
fi
