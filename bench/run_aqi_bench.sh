#!/usr/bin/env bash
# Run the AQI benchmark (Lantian vs numpy) in a virtualenv that has numpy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "numpy>=1.26"
fi
exec "$venv/bin/python" "$here/aqi_vs_numpy.py" "$@"
