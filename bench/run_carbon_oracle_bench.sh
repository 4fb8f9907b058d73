#!/usr/bin/env bash
# The EU ETS compliance-letter oracle: Lantian (release binary) against the same rules in pandas
# (bench/carbon/oracle_pandas.py), on the same panel in one run. Each writes every
# installation-year's published and recomputed letter; the two files must be identical. Prints
# the wall time and peak memory of each (best of N runs) and the ratio.
#
#   bench/run_carbon_oracle_bench.sh [DATA_DIR=../shared/data/carbon_eu_ets] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/carbon_eu_ets}
runs=${2:-5}
[ -f "$data/compliance_code.csv" ] || { echo "run_carbon_oracle_bench: $data/compliance_code.csv not found" >&2; exit 1; }
. bench/common.sh
release_binary
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import pandas, numpy" 2>/dev/null || "$venv/bin/pip" install -q pandas numpy
py="$venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# timed NAME CMD...: appends "seconds max_rss_kb" to $work/NAME.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.t" "$@" >/dev/null
  cat "$work/$name.t" >>"$work/$name"
}
for _ in $(seq 1 "$runs"); do
  timed lantian "$bin" carbon oracle --data "$data" --letters "$work/lantian.csv" --format json
  timed pandas "$py" bench/carbon/oracle_pandas.py "$data" "$work/pandas.csv"
done
if ! cmp -s "$work/lantian.csv" "$work/pandas.csv"; then
  echo "the letters differ:" >&2
  diff "$work/lantian.csv" "$work/pandas.csv" | head -20 >&2
  exit 1
fi
rows=$(($(wc -l <"$work/lantian.csv") - 1))
best() { sort -n "$work/$1" | head -1; }
read -r lt lm < <(best lantian)
read -r pt pm < <(best pandas)
echo "machine: $(nproc) cores; $("$py" -c 'import pandas, numpy, platform; print(f"python {platform.python_version()}, pandas {pandas.__version__}, numpy {numpy.__version__}")')"
echo "letters: $rows installation-years, identical in both"
echo
echo "| | wall (best of $runs) | peak memory |"
echo "|---|---|---|"
echo "| Lantian \`carbon oracle --letters\` | ${lt} s | $((lm / 1024)) MiB |"
echo "| pandas (bench/carbon/oracle_pandas.py) | ${pt} s | $((pm / 1024)) MiB |"
echo "| ratio pandas / Lantian | $(awk -v a="$pt" -v b="$lt" 'BEGIN { printf "%.1f×", a / b }') | |"
