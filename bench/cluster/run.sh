#!/usr/bin/env bash
# A distributed query over Lantian's store with DataFusion Ballista on loopback (one scheduler and
# two executor processes), checked equal to Lantian's single-machine result; exits 1 on mismatch.
#
#   bench/cluster/run.sh --store STORE [--lantian PATH] [--release] [--port-base 50050]
#
# Builds cluster/ (its own Cargo project; debug unless --release; CARGO_TARGET_DIR defaults to
# ~/.cache/lantian-cluster-target; JOBS=1 cargo jobs), starts the cluster in the background (logs in
# a temp dir; the processes are stopped on exit), lists the table's current Parquet files from the
# Delta log (delta_files.py), runs two queries over Lantian's `current` view through Ballista and
# through `lantian sql`, and compares them (compare.py). See bench/cluster/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

store=""
lantian="${CARGO_TARGET_DIR:-$HOME/.cache/lantian-target}/release/lantian"
profile=debug
port=50050
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --lantian) lantian=$2; shift 2 ;;
    --release) profile=release; shift ;;
    --port-base) port=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$store" ] || { echo "usage: bench/cluster/run.sh --store STORE [--lantian PATH] [--release]" >&2; exit 2; }
[ -d "$store/observation_rows/_delta_log" ] || { echo "run.sh: $store has no observation_rows table (a store of an earlier layout: lantian migrate)" >&2; exit 2; }
[ -x "$lantian" ] || { echo "run.sh: $lantian is not an executable (--lantian PATH)" >&2; exit 2; }
store=$(cd "$store" && pwd)

# ---- build
# Its own target folder: the cluster project has its own lock file, and sharing the workspace's
# folder would make the two builds evict each other's artefacts.
export CARGO_TARGET_DIR=${LANTIAN_CLUSTER_TARGET:-$HOME/.cache/lantian-cluster-target}
release_flag=""; [ "$profile" = release ] && release_flag=--release
echo "== build (cluster/, $profile, target $CARGO_TARGET_DIR)"
t0=$SECONDS
(cd "$root/cluster" && nice -n 19 cargo build -q -j "${JOBS:-1}" $release_flag)
echo "built in $((SECONDS - t0)) s"
bin=$CARGO_TARGET_DIR/$profile/lantian-cluster

# ---- cluster
tmp=$(mktemp -d -t lantian-cluster.XXXXXX)
pids=()
status=1
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$status" -eq 0 ] && [ -z "${KEEP_LOGS:-}" ]; then rm -rf "$tmp"; else echo "logs kept in $tmp"; fi
}
trap cleanup EXIT

sched=$port
e1=$((port + 1)); e2=$((port + 11))   # each executor: flight port, grpc +1, health +2
for p in $sched $e1 $((e1 + 1)) $((e1 + 2)) $e2 $((e2 + 1)) $((e2 + 2)); do
  if (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
    echo "run.sh: port $p is in use (--port-base N)" >&2; exit 2
  fi
done
echo "== cluster on 127.0.0.1: scheduler :$sched, executors :$e1 and :$e2 (logs in $tmp)"
"$bin" scheduler --port "$sched" >"$tmp/scheduler.log" 2>&1 &
pids+=($!)
for e in 1 2; do
  p=$([ $e = 1 ] && echo $e1 || echo $e2)
  "$bin" executor --scheduler-port "$sched" --port "$p" --grpc-port $((p + 1)) \
    --health-port $((p + 2)) --work-dir "$tmp/work$e" --vcores 2 >"$tmp/executor$e.log" 2>&1 &
  pids+=($!)
done
t0=$SECONDS
for p in $((e1 + 2)) $((e2 + 2)); do
  until curl -fs "http://127.0.0.1:$p/readyz" >/dev/null 2>&1; do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "run.sh: a cluster process exited; logs:" >&2; tail -n 20 "$tmp"/*.log >&2; exit 1; }
    done
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "run.sh: the executors did not register within 60 s" >&2; tail -n 20 "$tmp"/*.log >&2; exit 1; fi
    sleep 0.2
  done
done
echo "up in $((SECONDS - t0)) s (both executors registered with the scheduler)"

# ---- the table's current files
for t in observation_rows sites variables source_files; do
  "${PYTHON:-python3}" "$here/delta_files.py" "$store/$t" >"$tmp/$t.tsv"
done
echo "== $(wc -l <"$tmp/observation_rows.tsv") current Parquet files of $store/observation_rows, and those of its dimension tables (Delta log: add minus remove)"

# ---- queries: the same SQL through Ballista and through `lantian sql`
q1="SELECT station, COUNT(value) AS n, SUM(value) AS sum_value, AVG(value) AS mean_value FROM current WHERE variable = 'PM2.5' AND averaging = '1h' AND flag = 'ok' GROUP BY station"
q2="SELECT variable, averaging, COUNT(*) AS n_rows, COUNT(value) AS n_values, SUM(value) AS sum_value FROM current GROUP BY variable, averaging"
failed=0
run() { # name keys sql
  local name=$1 keys=$2 sql=$3 t
  echo
  echo "== $name: $sql"
  t=$EPOCHREALTIME
  "$bin" query --scheduler "127.0.0.1:$sched" --files "$tmp/observation_rows.tsv" \
    --sites "$tmp/sites.tsv" --variables "$tmp/variables.tsv" --source-files "$tmp/source_files.tsv" --sql "$sql" \
    >"$tmp/$name.ballista.csv" 2>"$tmp/$name.ballista.err" || { cat "$tmp/$name.ballista.err" >&2; failed=1; return; }
  local tb; tb=$(awk "BEGIN { print $EPOCHREALTIME - $t }")
  t=$EPOCHREALTIME
  "$lantian" sql --store "$store" --format csv "$sql" >"$tmp/$name.lantian.unsorted.csv"
  local tl; tl=$(awk "BEGIN { print $EPOCHREALTIME - $t }")
  { head -n 1 "$tmp/$name.lantian.unsorted.csv"; tail -n +2 "$tmp/$name.lantian.unsorted.csv" | LC_ALL=C sort; } >"$tmp/$name.lantian.csv"
  local rows; rows=$(($(wc -l <"$tmp/$name.ballista.csv") - 1))
  echo "ballista (distributed), $rows rows$([ "$rows" -gt 20 ] && echo ", first 15"):"
  head -n 16 "$tmp/$name.ballista.csv" | column -s, -t | sed 's/^/  /'
  printf 'times: ballista %.2f s (client process, incl. connecting and planning; %s), lantian sql %.2f s\n' \
    "$tb" "$(grep -o 'in [0-9.]* s' "$tmp/$name.ballista.err" | tail -1 | sed 's/^in/query/')" "$tl"
  python3 "$here/compare.py" --keys "$keys" --name "$name" "$tmp/$name.ballista.csv" "$tmp/$name.lantian.csv" || failed=1
}
run Q1 1 "$q1"
run Q2 2 "$q2"

# ---- who did the work: tasks per executor, from their logs (push mode logs "Execute task",
# pull mode "Received task")
echo
echo "== tasks run per executor (from the executor logs)"
busy=0
for e in 1 2; do
  n=$(grep -cE 'Execute task|Received task' "$tmp/executor$e.log" || true)
  echo "executor $e: $n tasks"
  [ "$n" -gt 0 ] && busy=$((busy + 1))
done
echo "$busy of 2 executors took tasks"

echo
if [ "$failed" -eq 0 ]; then
  echo "RESULT: MATCH (Ballista on 2 executors = lantian sql, both queries)"
  status=0
else
  echo "RESULT: MISMATCH or failure (see above)"
  status=1
fi
exit $status
