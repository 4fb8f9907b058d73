#!/usr/bin/env bash
# A national-scale year of surface-water automatic stations (generated: about 2,000 stations,
# as China's network, × 6 readings a day × 365 days × 9 items plus chlorophyll and algae, one
# file per province), classified and graded by Lantian (release binary) and by the same rules in
# polars (bench/water_vs_polars.py), on the same files in one run. Both write every section's
# monthly and annual class and the grades of every province, basin and river; the files must be
# identical (Lantian's district level, which the polars script has no column for, is left out of
# the comparison). Prints the wall time and peak memory of each (best of N runs) and the ratio.
#
#   bench/run_water_bench.sh [STATIONS=2000] [RUNS=3] [DATA_DIR=$HOME/.cache/lantian-water-national]
set -euo pipefail
cd "$(dirname "$0")/.."
stations=${1:-2000}
runs=${2:-3}
data=${3:-$HOME/.cache/lantian-water-national}
. bench/common.sh
release_binary
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import polars" 2>/dev/null || "$venv/bin/pip" install -q polars
py="$venv/bin/python"
year=2023
# The generator is deterministic: a folder written for the same count is reused.
if [ ! -f "$data/sections.csv" ] || [ "$(($(wc -l <"$data/sections.csv") - 1))" != "$stations" ]; then
  rm -rf "$data"
  "$bin" water generate --out "$data" --national "$stations" --years "$year" --seed 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
auto=("$data"/auto_"$year"_*.csv)

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
  timed lantian "$bin" water assess --sections "$data/sections.csv" --readings "${auto[@]}" \
    --period "$year" --months --classes-csv "$work/lantian_classes.csv" \
    --grades-csv "$work/lantian_grades.csv" --format csv
  timed polars "$py" bench/water_vs_polars.py --sections "$data/sections.csv" --auto "${auto[@]}" \
    --year "$year" --classes "$work/polars_classes.csv" --grades "$work/polars_grades.csv"
done
grep -v '^district,' "$work/lantian_grades.csv" >"$work/lantian_grades_nd.csv"
for f in classes grades; do
  a="$work/lantian_$f.csv"
  [ "$f" = grades ] && a="$work/lantian_grades_nd.csv"
  if ! cmp -s "$a" "$work/polars_$f.csv"; then
    echo "the $f differ (first lines):" >&2
    diff "$a" "$work/polars_$f.csv" | head -20 >&2
    exit 1
  fi
done
rows=$(cat "${auto[@]}" | wc -l)
bytes=$(cat "${auto[@]}" | wc -c)
best() { sort -n "$work/$1" | head -1; }
read -r lt lm < <(best lantian)
read -r pt pm < <(best polars)
echo "machine: $(nproc) cores; $("$py" -c 'import polars, platform; print(f"python {platform.python_version()}, polars {polars.__version__}")')"
echo "input: $stations stations, ${#auto[@]} files, $((rows - ${#auto[@]})) rows, $((bytes / 1048576)) MiB"
echo "classes: $(($(wc -l <"$work/lantian_classes.csv") - 1)) section-periods, grades: $(($(wc -l <"$work/polars_grades.csv") - 1)) rows, identical in both"
echo
echo "| | wall (best of $runs) | peak memory |"
echo "|---|---|---|"
echo "| Lantian \`water assess --months\` | ${lt} s | $((lm / 1024)) MiB |"
echo "| polars (bench/water_vs_polars.py) | ${pt} s | $((pm / 1024)) MiB |"
echo "| ratio polars / Lantian | $(awk -v a="$pt" -v b="$lt" 'BEGIN { printf "%.1f×", a / b }') | |"
