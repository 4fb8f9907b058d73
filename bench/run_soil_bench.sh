#!/usr/bin/env bash
# Spatial interpolation of Meuse zinc: lantian-geostat vs scikit-gstat, side by side.
#
#   bench/run_soil_bench.sh [--data DIR] [--grid 100] [--repeats 3] [--threshold 500]
#
# Lantian side: the crate's example, built here in release,
#   `meuse DIR/soil_meuse/meuse.txt --grid N --repeats R --threshold T --grid-out ...`
#   (crates/lantian-geostat/examples/meuse.rs).
# Python side: bench/soil_vs_skgstat.py on the same file (its docstring states the method:
#   skgstat.Variogram with every default, Variogram.cross_validate(), OrdinaryKriging with its
#   defaults on an N x N grid of nodes over the samples' bounding box).
# DIR defaults to ../shared/data next to the repository (DIR/meuse.txt also works).
# Both sides do the same steps for zinc and for ln(zinc): empirical variogram (10 even lags,
# Matheron), spherical fit without nugget, leave-one-out cross-validation with the fitted
# variogram, the grid, and the share of the samples' convex hull above the threshold
# (ln(threshold) for ln zinc).
# Grid time is the prediction call alone (no start-up, reading or fitting), best of --repeats:
# skgstat's on one process (its default n_jobs=1), Lantian's in parallel over every core and on
# one thread; the ratio is python / lantian for both. The grids themselves are compared node by
# node (largest absolute difference, nodes estimated on one side only).
# Targets: effective range, sill and nugget within 5 % of skgstat's (the nugget, fixed at 0 by
# both, must be equal), cross-validated RMSE within 5 %, and the grid faster. The script prints
# whether they hold; it exits non-zero only when a run fails or its output is unreadable.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

usage() { sed -n '4,4p' "$0" | sed 's/^# \{0,3\}//' >&2; exit 2; }
die() { echo "error: $*" >&2; exit 1; }

grid=100 repeats=3 threshold=500
data="$root/../shared/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="${2:?--data needs a value}"; shift 2 ;;
    --grid) grid="${2:?--grid needs a value}"; shift 2 ;;
    --repeats) repeats="${2:?--repeats needs a value}"; shift 2 ;;
    --threshold) threshold="${2:?--threshold needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
[[ "$grid" =~ ^[1-9][0-9]*$ ]] && [ "$grid" -ge 2 ] || die "--grid must be an integer >= 2, not '$grid'"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive integer, not '$repeats'"
[[ "$threshold" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--threshold must be a positive number, not '$threshold'"

[ -d "$data" ] || die "$data: no such data folder (set --data DIR)"
data="$(cd "$data" && pwd)"
if [ -f "$data/soil_meuse/meuse.txt" ]; then
  file="$data/soil_meuse/meuse.txt"
elif [ -f "$data/meuse.txt" ]; then
  file="$data/meuse.txt"
else
  die "neither $data/soil_meuse/meuse.txt nor $data/meuse.txt (set --data DIR)"
fi

venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import skgstat, pandas, numpy, scipy" 2>/dev/null; then
  "$venv/bin/pip" install -q scikit-gstat pandas numpy scipy
fi
py="$venv/bin/python"

echo "building the example (release)..." >&2
(cd "$root" && nice cargo build --release -q -p lantian-geostat --example meuse)
lantian="${CARGO_TARGET_DIR:-$root/target}/release/examples/meuse"
[ -x "$lantian" ] || die "$lantian: not built"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

lt_cmd=("$lantian" "$file" --grid "$grid" --repeats "$repeats" --threshold "$threshold"
        --grid-out "$tmp/lantian")
py_cmd=("$py" "$here/soil_vs_skgstat.py" --file "$file" --grid "$grid" --repeats "$repeats"
        --threshold "$threshold" --grid-out "$tmp/python")

cores="$(nproc 2>/dev/null || echo '?')"
"$py" -c "import platform, skgstat, numpy, scipy; print(f'python {platform.python_version()}, scikit-gstat {skgstat.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}; $cores cores; {platform.platform()}')"
echo "file $file; grid ${grid} x ${grid}; best of $repeats; threshold $threshold"
echo "\$ ${lt_cmd[*]}"
echo "\$ ${py_cmd[*]}"

"${lt_cmd[@]}" >"$tmp/lantian.json" 2>"$tmp/lantian.err" \
  || { tail -n 20 "$tmp/lantian.err" >&2; die "the lantian example failed"; }
"${py_cmd[@]}" >"$tmp/python.json" 2>"$tmp/python.err" \
  || { tail -n 20 "$tmp/python.err" >&2; die "the python side failed"; }

TMP="$tmp" "$py" - <<'EOF'
import json, math, os, sys

tmp = os.environ["TMP"]


def load(label):
    path = os.path.join(tmp, label + ".json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: the {label} output is not JSON ({e}): "
                 f"{open(path, errors='replace').read()[:300]!r}")


def grid_values(label, var):
    with open(os.path.join(tmp, f"{label}.{var}.txt")) as f:
        return [float(v) if v else None for v in f.read().split("\n")[:-1]]


lt, py = load("lantian"), load("python")
yes = lambda b: "yes" if b else "NO"  # noqa: E731


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / abs(b) if b else math.inf


all_ok = True
for var in ("zinc", "log_zinc"):
    try:
        L, P = lt["variables"][var], py["variables"][var]
    except KeyError as e:
        sys.exit(f"error: no variable {e} in an output")
    print(f"\n== {var} ({L['n_samples']} samples)")
    print(f"{'':<26}{'lantian-geostat':>18}{'scikit-gstat ' + py['version']:>22}{'rel. diff':>12}")
    rows = [
        ("effective range (m)", L["effective_range"], P["effective_range"]),
        ("sill (partial)", L["partial_sill"], P["sill"]),
        ("nugget", L["nugget"], P["nugget"]),
        ("fit RMSE over lags", L["fit_rmse"], P["fit_rmse"]),
        ("CV RMSE", L["cv_rmse"], P["cv_rmse"]),
        ("CV MAE", L["cv_mae"], P["cv_mae"]),
        ("CV mean error", L["cv_mean_error"], P["cv_mean_error"]),
        ("CV samples estimated", L["cv_predicted"], P["cv_predicted"]),
        ("grid nodes estimated", L["grid"]["estimated"], P["grid"]["estimated"]),
        ("grid mean estimate", L["grid"]["mean_estimate"], P["grid"]["mean_estimate"]),
        ("hull nodes", L["area"]["nodes_in_region"], P["area"]["nodes_in_region"]),
        ("hull share above", L["area"]["share"], P["area"]["share"]),
    ]
    for name, a, b in rows:
        print(f"{name:<26}{a:>18.6g}{b:>22.6g}{rel(a, b):>12.2e}")
    lags_same = L["bin_count"] == P["bin_count"] and all(
        rel(a, b) < 1e-9 for a, b in zip(L["experimental"], P["experimental"]))
    print(f"{'empirical variogram':<26}{'same counts and semivariances' if lags_same else 'DIFFERENT':>52}")
    gl, gp = grid_values("lantian", var), grid_values("python", var)
    both = [(a, b) for a, b in zip(gl, gp) if a is not None and b is not None]
    one_side = sum((a is None) != (b is None) for a, b in zip(gl, gp))
    diff = max((abs(a - b) for a, b in both), default=0.0)
    print(f"{'grid, node by node':<26}{f'max |diff| {diff:.3g}, {one_side} nodes estimated on one side only':>52}")
    t_lt, t_lt1, t_py = L["grid"]["seconds"], L["grid"]["seconds_one_thread"], P["grid"]["seconds"]
    print(f"{'grid time (s), best of ' + str(P['grid']['repeats']):<26}{t_lt:>18.4f}{t_py:>22.4f}"
          f"   ratio python/lantian {t_py / t_lt:.1f}x ({lt['threads']} threads), "
          f"{t_py / t_lt1:.1f}x on one thread ({t_lt1:.4f} s)")
    print(f"{'fit / CV time (s)':<26}{L['fit_seconds']:>9.4f}{L['cv_seconds']:>9.4f}"
          f"{P['fit_seconds']:>13.4f}{P['cv_seconds']:>9.4f}   (python fit includes numba "
          f"compilation on the first variable)")
    params_ok = (rel(L["effective_range"], P["effective_range"]) <= 0.05
                 and rel(L["partial_sill"], P["sill"]) <= 0.05
                 and (L["nugget"] == P["nugget"] or rel(L["nugget"], P["nugget"]) <= 0.05))
    cv_ok = rel(L["cv_rmse"], P["cv_rmse"]) <= 0.05
    fast_ok = t_lt < t_py
    print(f"parameters within 5 %: {yes(params_ok)}   CV RMSE within 5 %: {yes(cv_ok)}   "
          f"grid faster: {yes(fast_ok)}")
    all_ok = all_ok and params_ok and cv_ok and fast_ok
print(f"\ntargets met: {yes(all_ok)}")
EOF
