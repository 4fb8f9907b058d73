#!/usr/bin/env python3
"""Cross-check two tools' outputs of the national benchmark; exit 1 on any mismatch.

    python compare.py --names polars,pandas [--counts A.csv B.csv] [--aqi A.parquet B.parquet]
                      [--annual A.csv B.csv]

- counts (ingest): values per (variable, averaging, flag) identical; their sums within 1e-9
  relative (float sums in another order differ in the last bits);
- aqi: the tables equal as sets of (station, time_end, aqi);
- annual (`lantian assess annual --format csv` columns): the same rows (year, entity) and cells;
  published figures, counts, rule flags and the composite index identical, unrounded figures
  within 1e-9 relative (as bench/assess_vs_polars.py: Rust sums left to right, the dataframe
  libraries in their own order).

Needs pyarrow (for the Parquet files) and nothing else.
"""
import argparse
import csv
import sys

REL = 1e-9


def rel_diff(x, y):
    return 0.0 if x == y else abs(x - y) / max(abs(x), abs(y))


# ---------------------------------------------------------------------------------------------

def read_counts(path):
    """{(variable, averaging, flag): (n, s)} of a counts CSV (columns variable, averaging, flag,
    n, s: our pipelines' files and `lantian sql ... --format csv` alike)."""
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["variable"].strip(), r["averaging"].strip(), r["flag"].strip())
            s = (r.get("s") or "").strip()
            out[key] = (int(float(r["n"])), float(s) if s else 0.0)
    return out


def compare_counts(path_a, path_b, names):
    a, b = read_counts(path_a), read_counts(path_b)
    bad, worst = [], 0.0
    for k in sorted(set(a) | set(b)):
        (na, sa), (nb, sb) = a.get(k, (0, 0.0)), b.get(k, (0, 0.0))
        if na != nb:
            bad.append(f"{'/'.join(k)}: {names[0]} {na:,} values, {names[1]} {nb:,}")
        r = rel_diff(sa, sb)
        worst = max(worst, r)
        if r > REL:
            bad.append(f"{'/'.join(k)}: sum {names[0]} {sa!r}, {names[1]} {sb!r}")
    n = sum(x[0] for x in a.values())
    summary = (f"ingest: {len(set(a) | set(b))} (variable, averaging, flag) groups, {n:,} values; "
               f"{len(bad)} mismatches; largest relative difference of the sums {worst:.1e}")
    return not bad, summary, bad


# ---------------------------------------------------------------------------------------------

def read_aqi(path):
    """The AQI table with normalised types: station string, time_end int64 µs UTC, aqi int64."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    t = pq.read_table(path, columns=["station", "time_end", "aqi"])
    time_end = t.column("time_end")
    if pa.types.is_timestamp(time_end.type):
        # Arrow stores instants as UTC whatever the zone; naive stamps are taken as UTC.
        time_end = pc.cast(pc.cast(time_end, pa.timestamp("us", tz=time_end.type.tz)), pa.int64())
    return pa.table({"station": pc.cast(t.column("station"), pa.string()), "time_end": time_end,
                     "aqi": pc.cast(t.column("aqi"), pa.int64())})


def compare_aqi(path_a, path_b, names):
    import pyarrow as pa
    import pyarrow.compute as pc
    # Sets: duplicate rows count once.
    a = read_aqi(path_a).group_by(["station", "time_end", "aqi"]).aggregate([])
    b = read_aqi(path_b).group_by(["station", "time_end", "aqi"]).aggregate([])
    bad = []
    for name, t in zip(names, (a, b)):
        keys = t.group_by(["station", "time_end"]).aggregate([]).num_rows
        if keys != t.num_rows:
            bad.append(f"{name}: {t.num_rows - keys:,} station-hours with two different AQIs")
    j = a.rename_columns(["station", "time_end", "aqi_a"]).join(
        b.rename_columns(["station", "time_end", "aqi_b"]), keys=["station", "time_end"],
        join_type="full outer")
    only_a = pc.is_null(j.column("aqi_b"))
    only_b = pc.is_null(j.column("aqi_a"))
    differ = pc.fill_null(pc.not_equal(j.column("aqi_a"), j.column("aqi_b")), False)
    n_a, n_b, n_d = (pc.sum(pc.cast(x, pa.int64())).as_py() or 0 for x in (only_a, only_b, differ))
    if n_a or n_b or n_d:
        bad.append(f"{n_a:,} station-hours only in {names[0]}, {n_b:,} only in {names[1]}, "
                   f"{n_d:,} with different AQIs")
        shown = j.filter(pc.or_(pc.or_(only_a, only_b), differ)).slice(0, 10).to_pylist()
        for r in shown:
            bad.append(f"  {r['station']} {r['time_end']} µs: {names[0]} {r['aqi_a']}, "
                       f"{names[1]} {r['aqi_b']}")
    if a.num_rows == 0 and b.num_rows == 0:
        bad.append("no AQI at all in either table: nothing was compared")
    summary = (f"aqi: {a.num_rows:,} ({names[0]}) and {b.num_rows:,} ({names[1]}) station-hours "
               f"with an AQI; {'identical sets' if not bad else 'DIFFERENT'}")
    return not bad, summary, bad


# ---------------------------------------------------------------------------------------------

def read_annual(path):
    """Header, rows by (year, entity), row count. Lantian names a registry area `area:城市001`
    and adds the region's row `city:all` (the whole network as one area), which the Python
    pipelines do not compute: areas are compared under their bare name, the region row is
    left out."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    body = []
    for r in rows[1:]:
        if r[1].startswith("city:"):
            continue
        if r[1].startswith("area:"):
            r = r[:1] + [r[1][len("area:"):]] + r[2:]
        body.append(r)
    return rows[0], {(r[0], r[1]): r for r in body}, len(body)


def cell(s):
    if s in ("true", "false"):
        return s == "true"
    return None if s == "" else float(s)


def compare_annual(path_a, path_b, names):
    h_a, rows_a, n_a = read_annual(path_a)
    h_b, rows_b, n_b = read_annual(path_b)
    bad = []
    if h_a != h_b:
        return False, "annual: the headers differ", [f"{names[0]}: {h_a}", f"{names[1]}: {h_b}"]
    if n_a != len(rows_a) or n_b != len(rows_b):
        bad.append(f"duplicate (year, entity): {names[0]} {n_a} rows / {len(rows_a)} keys, "
                   f"{names[1]} {n_b} rows / {len(rows_b)} keys")
    for k in sorted(set(rows_a) - set(rows_b)):
        bad.append(f"{k}: row only in {names[0]}")
    for k in sorted(set(rows_b) - set(rows_a)):
        bad.append(f"{k}: row only in {names[1]}")
    if not rows_a and not rows_b:
        bad.append("no row in either file: nothing was compared")
    cells = inexact = 0
    worst = 0.0
    for k in sorted(set(rows_a) & set(rows_b)):
        a, b = rows_a[k], rows_b[k]
        for i, name in enumerate(h_a[2:], start=2):
            cells += 1
            try:
                x, y = cell(a[i]), cell(b[i])
            except (ValueError, IndexError):
                bad.append(f"{k[0]} {k[1]} {name}: unreadable cell")
                continue
            if x is None or y is None:
                same = x is None and y is None
            elif name.endswith(("_mean", "_p95", "_p90", "_p98")):  # unrounded figures
                r = rel_diff(x, y)
                same = r <= REL
                inexact += x != y
                worst = max(worst, r)
            else:
                same = x == y
            if not same:
                bad.append(f"{k[0]} {k[1]} {name}: {names[0]} {a[i]!r}, {names[1]} {b[i]!r}")
    summary = (f"annual: {len(set(rows_a) & set(rows_b))} rows (year x entity), {cells:,} cells; "
               f"{len(bad)} mismatches; unrounded figures not bit-identical: {inexact} cells, "
               f"largest relative difference {worst:.1e} (allowed {REL:.0e})")
    return not bad, summary, bad


# ---------------------------------------------------------------------------------------------

def run(names, counts=None, aqi=None, annual=None, out=sys.stdout, show=10):
    """Run the checks asked for; print a summary; return {check: {"ok", "summary"}}."""
    results = {}
    for check, paths, fn in (("ingest", counts, compare_counts), ("aqi", aqi, compare_aqi),
                             ("assess", annual, compare_annual)):
        if not paths:
            continue
        ok, summary, bad = fn(paths[0], paths[1], names)
        print(f"[{'ok' if ok else 'MISMATCH'}] {names[0]} vs {names[1]}: {summary}", file=out)
        for line in bad[:show]:
            print("    " + line, file=out)
        if len(bad) > show:
            print(f"    ... and {len(bad) - show} more", file=out)
        results[check] = {"ok": ok, "summary": summary, "mismatches": len(bad)}
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--names", default="a,b", help="the two tools' names, e.g. polars,pandas")
    ap.add_argument("--counts", nargs=2, metavar=("A", "B"))
    ap.add_argument("--aqi", nargs=2, metavar=("A", "B"))
    ap.add_argument("--annual", nargs=2, metavar=("A", "B"))
    a = ap.parse_args()
    names = a.names.split(",")
    if len(names) != 2:
        sys.exit("--names: two names, comma-separated")
    if not (a.counts or a.aqi or a.annual):
        sys.exit("nothing to compare: give --counts, --aqi and/or --annual")
    results = run(names, a.counts, a.aqi, a.annual)
    sys.exit(0 if all(r["ok"] for r in results.values()) else 1)


if __name__ == "__main__":
    main()
