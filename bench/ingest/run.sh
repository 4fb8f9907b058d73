#!/usr/bin/env bash
# The ingest against its physical limits, on the same files in one run (BENCHMARKS.md):
#   1. cat | wc -l       the files' bytes read and their lines counted;
#   2. bare parse        polars reads every file, every field as a string, nothing written
#                        (bare_parse.py);
#   3. polars ingest     the national pipeline's polars ingest (bench/national), where the input
#                        is a folder of CNEMC daily files;
#   4. lantian ingest    each binary given, into a fresh store (e.g. the previous build and
#                        this one: both in the same run).
# Each is timed with GNU time (wall seconds, peak memory); every ingest is reported as a
# multiple of the first two.
#
#   bench/ingest/run.sh --input DIR [--runs N] [--work DIR] LANTIAN [LANTIAN ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
export PYTHONDONTWRITEBYTECODE=1
input="" runs=1 work=""
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --input) input="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) bins+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
die() { echo "run.sh: $*" >&2; exit 2; }
[ -d "$input" ] || die "--input DIR is required (a folder of CSV files)"
[ ${#bins[@]} -gt 0 ] || die "give at least one lantian binary"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed"
input="$(cd "$input" && pwd)"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/python" -c "import polars" 2>/dev/null || "$venv/bin/pip" install -q polars pyarrow
work="${work:-$(mktemp -d)}"
mkdir -p "$work"
national=0
ls "$input"/china_sites_*.csv >/dev/null 2>&1 && national=1

bytes=$(find "$input" -type f -name '*.csv' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
nfiles=$(find "$input" -type f -name '*.csv' | wc -l)
echo "input: $input ($nfiles CSV files, $((bytes / 1000000)) MB); $(nproc) cores; runs: $runs"
# Read once so that no contender pays for the first read from disk.
find "$input" -type f -name '*.csv' -exec cat {} + >/dev/null

results="$work/results.tsv"
: >"$results"
timed() { # name, command...
  local name="$1"; shift
  local t="$work/time" log="$work/log"
  /usr/bin/time -f '%e %M' -o "$t" "$@" >"$log" 2>&1 || { echo "$name failed:"; tail -5 "$log"; exit 1; }
  read -r wall kib <"$t"
  printf '%s\t%s\t%s\n' "$name" "$wall" "$((kib / 1024))" >>"$results"
  printf '  %-28s %8.2f s %7d MiB   %s\n' "$name" "$wall" "$((kib / 1024))" "$(tail -1 "$log" | cut -c1-70)"
}
for r in $(seq "$runs"); do
  echo "run $r"
  timed "cat | wc -l" sh -c "find '$input' -type f -name '*.csv' -print0 | sort -z | xargs -0 cat | wc -l"
  timed "bare parse (polars)" "$venv/bin/python" "$here/bare_parse.py" "$input"
  if [ "$national" = 1 ]; then
    rm -rf "$work/polars.parquet"
    timed "polars ingest" "$venv/bin/python" "$here/../national/pipeline_polars.py" ingest \
      --input "$input" --out "$work/polars.parquet" --counts "$work/polars-counts.csv"
  fi
  i=0
  for b in "${bins[@]}"; do
    i=$((i + 1))
    rm -rf "$work/store$i"
    timed "lantian ingest #$i" "$b" --store "$work/store$i" ingest "$input" --quiet
  done
done
echo
echo "best of $runs (wall s); ratios: the ingest's time ÷ the yardstick's"
"$venv/bin/python" - "$results" "${bins[@]}" <<'PY'
import sys, collections
best = collections.defaultdict(lambda: float("inf"))
mem = {}
for line in open(sys.argv[1]):
    name, wall, mib = line.rstrip("\n").split("\t")
    best[name] = min(best[name], float(wall))
    mem[name] = max(mem.get(name, 0), int(mib))
cat, parse = best["cat | wc -l"], best["bare parse (polars)"]
print("| step | wall (s) | peak (MiB) | ÷ cat \\| wc -l | ÷ bare parse |")
print("|---|---:|---:|---:|---:|")
for name, wall in best.items():
    print(f"| {name} | {wall:.2f} | {mem[name]} | {wall / cat:.1f} | {wall / parse:.2f} |")
for i, b in enumerate(sys.argv[2:], 1):
    print(f"lantian ingest #{i}: {b}")
if "polars ingest" in best:
    for i in range(1, len(sys.argv) - 1):
        l = best[f"lantian ingest #{i}"]
        print(f"lantian ingest #{i} vs polars ingest: {best['polars ingest'] / l:.2f}x")
PY
