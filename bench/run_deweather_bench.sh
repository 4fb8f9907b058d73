#!/usr/bin/env bash
# Weather normalisation ("deweathering", Grange et al. 2018, as rmweather does it) of hourly PM2.5
# at one UCI Beijing multi-site station: Lantian vs scikit-learn, one run of each per repeat.
#
#   bench/run_deweather_bench.sh --store S --lantian target/release/lantian [--station Dongsi]
#                                [--trees 300] [--resamples 300] [--repeats 1] [--seed 1]
#                                [--data DIR] [--with-hgb] [--models 1]
#
# Lantian side: `lantian --store S deweather --station STATION --source uci-multisite
#   --pollutant PM2.5 --from 2013-03-01 --to 2017-02-28 --trees T --resamples R --seed SEED
#   --quiet --format json`, on a store that ingested the UCI multi-site files. Its model is
#   gradient-boosted trees (forust-ml; T rounds, learning rate 0.3, depth 6), not a random
#   forest: scikit-learn's random forest (rmweather's method) is the peer it is measured against,
#   so that is the reference row; --with-hgb adds scikit-learn's HistGradientBoostingRegressor
#   with Lantian's boosting settings as a second row (the same model family in scikit-learn).
#   --models (default 1) is passed to Lantian: one model of T trees, the same tree count as the
#   forest; Lantian's own default is an ensemble of 10 such models (docs/deweather.md).
# Python side: bench/deweather_vs_sklearn.py (its docstring states the method: 10 features,
#   80/20 random split, RandomForestRegressor with max_features 3 and min_samples_leaf 5, R
#   resamples of the weather) on DIR/uci_beijing_multisite/PRSA_Data_STATION_20130301-20170228.csv
#   (DIR defaults to ../shared/data next to the repository; DIR/PRSA_Data_... also works).
# Both use every core (2 here). Wall time is that of the whole process (start, reading, fit,
# test, normalisation; the Python side's interpreter start and imports included), measured with
# date around the command, best of --repeats, the two alternated so that a change in the
# machine's load touches both alike; max RSS from /usr/bin/time -v when GNU time is there.
# R^2 and RMSE are each tool's own out-of-sample figures on its own 20 % test rows (the two draw
# their splits with different generators, so the test rows differ; the figures come from the
# last repeat, both being deterministic for a seed).
# Targets: python/lantian wall ratio >= 10 and R^2(lantian) - R^2(python) >= -0.02. The script
# prints whether they hold; it exits non-zero only when a run fails or its output is unreadable.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,3\}//' >&2; exit 2; }
die() { echo "error: $*" >&2; exit 1; }

store="" lantian="" station="Dongsi" trees=300 resamples=300 repeats=1 seed=1 with_hgb=0 models=1
data="$root/../shared/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="${2:?--store needs a value}"; shift 2 ;;
    --lantian) lantian="${2:?--lantian needs a value}"; shift 2 ;;
    --station) station="${2:?--station needs a value}"; shift 2 ;;
    --trees) trees="${2:?--trees needs a value}"; shift 2 ;;
    --resamples) resamples="${2:?--resamples needs a value}"; shift 2 ;;
    --repeats) repeats="${2:?--repeats needs a value}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
    --data) data="${2:?--data needs a value}"; shift 2 ;;
    --with-hgb) with_hgb=1; shift ;;
    --models) models="${2:?--models needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
for v in trees resamples repeats models; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "--$v must be a positive integer, not '${!v}'"
done
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$seed'"
[ -n "$store" ] || { echo "--store is required" >&2; usage; }
[ -n "$lantian" ] || { echo "--lantian is required" >&2; usage; }
[ ! -d "$store/observations/_delta_log" ] \
  || die "$store: a store of an earlier layout; upgrade it with: $lantian --store $store migrate"
[ -d "$store/observation_rows/_delta_log" ] \
  || die "$store: no Delta table observation_rows (not a Lantian store?)"
[ -f "$lantian" ] || die "$lantian: no such file (build it: cargo build --release -p lantian-cli)"
[ -x "$lantian" ] || die "$lantian: not executable"

[ -d "$data" ] || die "$data: no such data folder (set --data DIR)"
data="$(cd "$data" && pwd)"
file="PRSA_Data_${station}_20130301-20170228.csv"
if [ -f "$data/uci_beijing_multisite/$file" ]; then
  csv="$data/uci_beijing_multisite/$file"
elif [ -f "$data/$file" ]; then
  csv="$data/$file"
else
  die "no data for station '$station': neither $data/uci_beijing_multisite/$file nor $data/$file (set --data DIR)"
fi

venv="${LANTIAN_BENCH_VENV:-$HOME/.cache/lantian-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import sklearn, pandas, numpy" 2>/dev/null; then
  "$venv/bin/pip" install -q scikit-learn pandas numpy
fi
py="$venv/bin/python"

gnu_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then gnu_time=1; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# timed LABEL CMD...: stdout to $tmp/LABEL.json, stderr to $tmp/LABEL.err; appends
# "wall_seconds max_rss_kb" (NA without GNU time) to $tmp/LABEL.times; stops the script on failure.
timed() {
  local label="$1"; shift
  local t0 t1 rc=0 rss=NA
  t0="$(date +%s.%N)"
  if [ "$gnu_time" = 1 ]; then
    /usr/bin/time -v -o "$tmp/$label.time" "$@" >"$tmp/$label.json" 2>"$tmp/$label.err" || rc=$?
  else
    "$@" >"$tmp/$label.json" 2>"$tmp/$label.err" || rc=$?
  fi
  t1="$(date +%s.%N)"
  if [ "$rc" -ne 0 ]; then
    echo "error: $label failed (exit $rc): $*" >&2
    tail -n 20 "$tmp/$label.err" >&2
    exit 1
  fi
  if [ "$gnu_time" = 1 ]; then
    rss="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/$label.time")"
  fi
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') ${rss:-NA}" >>"$tmp/$label.times"
}

lt_cmd=("$lantian" --store "$store" deweather --station "$station" --source uci-multisite
        --pollutant PM2.5 --from 2013-03-01 --to 2017-02-28 --trees "$trees"
        --resamples "$resamples" --models "$models" --seed "$seed" --quiet --format json)
py_cmd=("$py" "$here/deweather_vs_sklearn.py" --csv "$csv" --trees "$trees"
        --resamples "$resamples" --seed "$seed")

cores="$(nproc 2>/dev/null || echo '?')"
"$py" -c "import platform, sklearn, numpy, pandas; print(f'python {platform.python_version()}, scikit-learn {sklearn.__version__}, numpy {numpy.__version__}, pandas {pandas.__version__}; $cores cores; {platform.platform()}')"
echo "lantian: $lantian $("$lantian" --version 2>/dev/null || echo '(no --version)')"
echo "station $station: store $store, csv $csv; $trees trees, $resamples resamples, seed $seed; best of $repeats"
echo "\$ ${lt_cmd[*]}"
echo "\$ ${py_cmd[*]}"

# Lantian's JSON is checked at once, not after minutes of the Python side.
check_lantian_json() {
  "$py" -c '
import json, sys
keys = ["r2_test", "rmse_test", "rows_train", "rows_test"]
text = open(sys.argv[1]).read()
try:
    m = json.loads(text).get("model")
except (ValueError, AttributeError) as e:
    sys.exit(f"error: lantian output is not a JSON object ({e}): {text[:300]!r}")
if not isinstance(m, dict) or any(k not in m for k in keys):
    sys.exit(f"error: lantian JSON has no object model with {keys}: {text[:300]!r}")
' "$tmp/lantian.json"
}

for ((i = 1; i <= repeats; i++)); do
  timed lantian env RUST_BACKTRACE=0 "${lt_cmd[@]}"
  check_lantian_json
  timed python "${py_cmd[@]}"
  if [ "$with_hgb" = 1 ]; then timed hgb "${py_cmd[@]}" --model hgb; fi
done

TMP="$tmp" "$py" - <<'EOF'
import json, os, sys
import sklearn

tmp = os.environ["TMP"]


def load(label):
    path = os.path.join(tmp, label + ".json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: the {label} output is not JSON ({e}): "
                 f"{open(path, errors='replace').read()[:300]!r}")


def times(label):
    runs = [line.split() for line in open(os.path.join(tmp, label + ".times"))]
    walls = [float(w) for w, _ in runs]
    rss = [int(r) for _, r in runs if r != "NA"]
    return min(walls), walls, (max(rss) / 1024 if rss else None)


lt, py = load("lantian"), load("python")
model = lt.get("model")
keys = ["r2_test", "rmse_test", "rows_train", "rows_test"]
if not isinstance(model, dict) or any(k not in model for k in keys):
    sys.exit(f"error: lantian's JSON has no object 'model' with {keys}: {json.dumps(lt)[:300]}")
rows = [("lantian deweather (GBM)", times("lantian"), model),
        (f"scikit-learn {sklearn.__version__} RF", times("python"), py)]
if os.path.exists(os.path.join(tmp, "hgb.json")):
    rows.append((f"scikit-learn {sklearn.__version__} HGB", times("hgb"), load("hgb")))
print(f"{'tool':<24}{'best s':>9}{'RSS MB':>9}{'R2 test':>9}{'RMSE':>8}{'train':>8}{'test':>7}   runs")
for name, (best, walls, rss), m in rows:
    rss_s = f"{rss:.0f}" if rss is not None else "NA"
    print(f"{name:<24}{best:>9.2f}{rss_s:>9}{m['r2_test']:>9.4f}{m['rmse_test']:>8.2f}"
          f"{m['rows_train']:>8}{m['rows_test']:>7}   {' '.join(f'{w:.2f}' for w in walls)}")
print(f"python stages (last run): fit {py['fit_seconds']:.2f} s, normalise "
      f"{py['normalise_seconds']:.2f} s, total {py['total_seconds']:.2f} s; pool {py['rows_pool']} h")
print(f"python normalised PM2.5: 2015 {py['normalised_mean_2015']:.2f}, 2016 "
      f"{py['normalised_mean_2016']:.2f}, change {py['normalised_change']:+.2f} "
      f"[{py['change_lower']:+.2f}, {py['change_upper']:+.2f}] ug/m3")
ratio = rows[1][1][0] / rows[0][1][0]
dr2 = model["r2_test"] - py["r2_test"]
ok_speed, ok_r2 = ratio >= 10, dr2 >= -0.02
yes = lambda b: "yes" if b else "NO"  # noqa: E731
print(f"ratio python/lantian (wall): {ratio:.2f}   target >= 10: {yes(ok_speed)}")
print(f"R2 difference lantian - python: {dr2:+.4f}   target >= -0.02: {yes(ok_r2)}")
print(f"targets met: {yes(ok_speed and ok_r2)}")
if len(rows) > 2:
    h = rows[2][2]
    print(f"vs scikit-learn HGB (same model family): ratio {rows[2][1][0] / rows[0][1][0]:.2f}, "
          f"R2 difference {model['r2_test'] - h['r2_test']:+.4f}")
EOF
