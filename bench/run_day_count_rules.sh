#!/usr/bin/env bash
# Try the candidate day-count rules on the raw Beijing archive (polars, numpy; no Lantian code).
#   bench/run_day_count_rules.sh [--data ../shared/data/quotsoft_beijing]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import polars, numpy" 2>/dev/null; then
  "$venv/bin/pip" install -q polars numpy
fi
exec "$venv/bin/python" "$here/day_count_rules.py" "$@"
