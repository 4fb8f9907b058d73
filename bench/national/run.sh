#!/usr/bin/env bash
# The national-scale benchmark (ingest -> hourly AQI -> annual assessment; Lantian vs polars vs
# pandas) in a virtualenv with polars, pandas and pyarrow. Arguments go to run.py:
#   bench/national/run.sh --input DIR --registry REG.csv --year 2023 --work WORK \
#                         [--lantian target/release/lantian | --skip-lantian] [--tools lantian,polars,pandas]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the work tree
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import polars, pandas, pyarrow" 2>/dev/null; then
  "$venv/bin/pip" install -q polars pandas pyarrow
fi
exec "$venv/bin/python" "$here/run.py" "$@"
