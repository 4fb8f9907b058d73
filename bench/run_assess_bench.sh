#!/usr/bin/env bash
# Run the annual-assessment benchmark (Lantian vs polars) in a virtualenv with polars and deltalake.
#   bench/run_assess_bench.sh [--store lantian-store] [--from 2014] [--to 2024] [--repeats 3]
#                             [--lantian target/release/lantian]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import polars, deltalake" 2>/dev/null; then
  "$venv/bin/pip" install -q polars deltalake
fi
exec "$venv/bin/python" "$here/assess_vs_polars.py" "$@"
