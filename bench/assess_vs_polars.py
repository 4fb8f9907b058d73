#!/usr/bin/env python3
"""Annual air-quality assessment of every station and of the city: Lantian vs polars.

The same stored data (a Lantian store: a folder of Delta Lake tables), the same rules, one run:

    lantian --store STORE assess annual --from 2014 --to 2024 --dust none

against a polars implementation that reads the same Delta tables (`observation_rows` and its names) and writes the
same CSV. Both are timed (wall clock, best of --repeats) and their outputs compared cell by cell:
published figures, valid-day counts, day counts and the composite index must be identical;
unrounded figures must agree within 1e-9 relative.

    bench/run_assess_bench.sh [--store lantian-store] [--from 2014] [--to 2024] [--repeats 3]
                              [--lantian target/debug/lantian]

Without --lantian the script builds `cargo build --release -p lantian-cli` and uses
$CARGO_TARGET_DIR (or ./target)/release/lantian.

The rules reproduced (the Rust source is the specification):
- input: the `current` view (a row of revision r is superseded when the same key
  (source, station, variable, averaging, time_end) has a row of revision r + 1), averaging '1h',
  value not null, flag 'ok', the six pollutants, stations of the region in the shipped registry
  (crates/lantian-model/data/beijing_stations.csv); lantian-cli aqi.rs `read_hourly`;
- Beijing time (UTC+8), hour-ending stamps: natural day D holds the stamps D 01:00 .. D+1 00:00;
- station day (lantian-aqi series.rs `day_stats`): a daily mean needs 20 hourly values; the O3
  daily maximum 1-h value needs 20 hours of O3 too; the MDA8 is the largest of the 8-h means ending
  D 08:00 .. D+1 00:00 (17 windows, each needing 6 values), valid with 14 valid windows;
- city day (lantian-assess region.rs, MeanOfStationDays): per pollutant, the mean of the valid
  station daily values of the urban and suburban (assessment) stations;
- annual statistics (stats.rs): means of daily means; HJ 663 percentiles (percentile.rs, the
  linear/inclusive definition); published with GB/T 8170 half-to-even (integers, CO one decimal)
  recognising ties within 1e-9 relative (lantian-aqi rounding.rs);
- day counts (days.rs, hj633.rs): daily AQI of HJ 633-2012 (every date here is before
  2026-03-01): 24-h means, O3 MDA8 and O3 daily max 1-h; inputs rounded with GB/T 8170, IAQI
  rounded up; O3 8-h above 800 not rated, other values above the table rated 500;
- composite index (composite.rs): sum of published figure / GB 3095-2012 class-II limit, two
  decimals (half to even).

Daily, city and annual means are polars group-by means, whose summation order differs from
Rust's left-to-right sums: unrounded figures differ in the last bits (reported), published
figures do not (ties are recognised within 1e-9, as Lantian does). The MDA8 windows, percentiles
and the composite index are computed in Lantian's order and come out bit for bit.
"""
import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

import polars as pl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGISTRY_CSV = os.path.join(ROOT, "crates", "lantian-model", "data", "beijing_stations.csv")

# lantian_aqi::series::POLLUTANTS
POLLUTANTS = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
# Output columns of `assess annual`: (pollutant, statistic, day-value column, p or None).
STATS = [
    ("SO2", "mean", "so2", None),
    ("NO2", "mean", "no2", None),
    ("PM10", "mean", "pm10", None),
    ("PM2.5", "mean", "pm25", None),
    ("CO", "p95", "co", 95.0),
    ("O3", "p90", "o3_mda8", 90.0),
    ("SO2", "p98", "so2", 98.0),
    ("NO2", "p98", "no2", 98.0),
    ("PM10", "p95", "pm10", 95.0),
    ("PM2.5", "p95", "pm25", 95.0),
]
LEVELS = ["excellent", "good", "lightly", "moderately", "heavily", "severely"]
DAILY_MIN_HOURS = 20
O3_8H_MIN_HOURS = 6
MDA8_MIN_WINDOWS = 14
EPS = 1e-9  # lantian_aqi::rounding::DECIMAL_EPS

# HJ 633-2012 Table 1 (daily report indicators).
IAQI = [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0]
BP = {
    "so2": [0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0],
    "no2": [0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0],
    "co": [0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0],
    "o3_max_1h": [0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
    "o3_mda8": [0.0, 100.0, 160.0, 215.0, 265.0, 800.0],
    "pm10": [0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0],
    "pm25": [0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0],
}
# GB 3095-2012 class II: the composite index denominators, in the order of the sum.
COMPOSITE = [("so2_mean", 60.0), ("no2_mean", 40.0), ("pm10_mean", 70.0), ("pm25_mean", 35.0),
             ("co_p95", 4.0), ("o3_p90", 160.0)]
DAY_COLS = ["so2", "no2", "co", "pm10", "pm25", "o3_mda8", "o3_max_1h"]


def col_name(pollutant, stat):
    return f"{pollutant.lower().replace('.', '')}_{stat}"


def header():
    h = ["year", "entity", "stations"]
    for p, s, _, _ in STATS:
        n = col_name(p, s)
        h += [n, f"{n}_published", f"{n}_valid_days", f"{n}_rule_met"]
    return h + ["valid_days"] + LEVELS + ["composite", "dust_days"]


def read_registry(region="beijing"):
    """(codes of the region, codes of its assessment stations), as lantian-cli `region_stations`
    and `Common::codes` (--stations assessment) select them from the shipped registry."""
    with open(REGISTRY_CSV, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    r = region.strip()
    everything = r.lower() in ("beijing", "北京", "北京市")
    codes, city = [], []
    for row in rows:
        d_zh, d_en = row["district_zh"].strip(), row["district_en"].strip()
        if everything or d_zh == r or d_zh.rstrip("区县") == r or d_en.lower() == r.lower():
            codes.append(row["code"].strip())
            if row["role"].strip() in ("urban", "suburban"):
                city.append(row["code"].strip())
    return codes, city


# ---------------------------------------------------------------------------------------------
# Rounding rules as expressions (lantian-aqi rounding.rs)

def div(x, d):
    """x / d as IEEE division. With a scalar divisor polars multiplies by the reciprocal
    (12.0 / 10 gives 1.2000000000000002); Rust divides (1.2). A full-length divisor keeps the
    division exact (x is finite here)."""
    return x / (x * 0.0 + d)


def round_half_even_scaled(x, decimals):
    """GB/T 8170 half to even of x to `decimals` places, as the integer-valued x * 10^decimals;
    a tie is recognised within 1e-9 relative of the scaled value (lantian-aqi rounding.rs)."""
    s = x * (10.0 ** decimals)
    f = s.floor()
    frac = s - f
    tol = EPS * pl.max_horizontal(s.abs(), pl.lit(1.0))
    odd = (f % 2.0) != 0.0
    return (pl.when((frac - 0.5).abs() <= tol).then(pl.when(odd).then(f + 1.0).otherwise(f))
            .when(frac < 0.5).then(f)
            .otherwise(f + 1.0))


def round_half_even(x, decimals):
    r = round_half_even_scaled(x, decimals)
    return r if decimals == 0 else div(r, 10.0 ** decimals)


def ceil_index(x):
    return (x - EPS * pl.max_horizontal(x.abs(), pl.lit(1.0))).ceil()


def iaqi(name):
    """HJ 633-2012 IAQI of the day value `name`: input rounded (CO to 0.1), interpolated on the
    first segment whose upper breakpoint is >= the value, rounded up; above the table 500 (the
    O3 8-h value above 800 is not rated under the 2012 edition); negative values are invalid."""
    c = round_half_even(pl.col(name), 1 if name == "co" else 0)
    bp = BP[name]
    e = pl.when(c.is_null() | c.is_nan() | (c < 0.0)).then(None)
    for k in range(len(bp) - 1):
        slope = (IAQI[k + 1] - IAQI[k]) / (bp[k + 1] - bp[k])
        e = e.when(c <= bp[k + 1]).then(
            ceil_index(slope * (pl.max_horizontal(c, pl.lit(bp[k])) - bp[k]) + IAQI[k]))
    return e.otherwise(None if name == "o3_mda8" else 500.0)


def percentile(values, p):
    """HJ 663 Annex A on the non-null `values` of a group: position (n - 1) p / 100 of the sorted
    values, linear between neighbours (lantian-assess percentile.rs)."""
    x = values.drop_nulls().sort()
    n = x.len()
    pos = div((n - 1).cast(pl.Float64) * p, 100.0)
    s = pos.floor()
    frac = pos - s
    si = s.cast(pl.Int64)
    lo = x.get(si, null_on_oob=True)
    hi = x.get(pl.min_horizontal(si + 1, n.cast(pl.Int64) - 1), null_on_oob=True)
    return (pl.when(n == 0).then(None)
            .when((si + 1 >= n) | (frac == 0.0)).then(lo)
            .otherwise(lo + (hi - lo) * frac))


def fmt_float(name):
    """f64 as Rust's Display writes it: integers without '.0', others in shortest form."""
    v = pl.col(name)
    return (pl.when((v == v.floor()) & (v.abs() < 1e15)).then(v.cast(pl.Int64).cast(pl.String))
            .otherwise(v.cast(pl.String))
            .alias(name))


# ---------------------------------------------------------------------------------------------
# The assessment

def assess_polars(store, y0, y1, out_path):
    """Write the CSV of `lantian assess annual --from y0 --to y1 --dust none` to out_path."""
    codes, city_codes = read_registry()
    df = annual_plan(store, y0, y1, codes, city_codes).collect()
    if df["dup"].any():
        sys.exit("the store holds two current values for one station-hour (several sources?); "
                 "Lantian would keep one of them, arbitrarily: no comparison possible")
    df.drop("dup").write_csv(out_path, null_value="")


def scan_observations(store):
    """Lantian's `observations` view in polars: the keyed rows joined to their names (the
    dimension tables `sites` and `variables`; flags are codes 0 ok, 1 doubtful, 2 bad,
    3 withdrawn, see crates/lantian-store/src/schema.rs)."""
    rows = pl.scan_delta(os.path.join(store, "observation_rows"))
    sites = pl.scan_delta(os.path.join(store, "sites")).select("site_id", "station")
    variables = pl.scan_delta(os.path.join(store, "variables"))
    flags = pl.LazyFrame({"flag_code": [0, 1, 2, 3],
                          "flag": ["ok", "doubtful", "bad", "withdrawn"]},
                         schema={"flag_code": pl.Int8, "flag": pl.String})
    return (rows.join(sites, on="site_id").join(variables, on="variable_id")
            .join(flags, on="flag_code"))


def annual_plan(store, y0, y1, codes, city_codes):
    """The lazy query of the assessment, one row per year and entity in the CSV's columns."""
    # Hour-ending Beijing stamps y0-01-01 01:00 .. (y1+1)-01-01 00:00, in UTC.
    t0 = datetime(y0, 1, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8)
    t1 = datetime(y1 + 1, 1, 1, 0, tzinfo=timezone.utc) - timedelta(hours=8)
    obs = scan_observations(store)
    key = ["source", "station", "variable", "time_end"]  # + averaging, constant '1h' here
    base = (obs.filter(pl.col("averaging") == "1h",
                       pl.col("variable").is_in(POLLUTANTS),
                       pl.col("station").is_in(codes),
                       pl.col("time_end").is_between(t0, t1))
            # Categorical keys: cheaper joins and group-bys than strings.
            .select("source",
                    pl.col("station").cast(pl.Enum(codes)),
                    pl.col("variable").cast(pl.Enum(POLLUTANTS)),
                    "time_end", "revision", "value", "flag"))
    # The `current` view: a row of revision r is superseded when its key has a row of revision
    # r + 1. Revisions are rare: the revised keys are collected first (the revision statistics of
    # the Parquet files let the scan skip nearly everything), and the anti join runs only if any.
    superseded = (base.filter(pl.col("revision") > 0)
                  .select(*key, (pl.col("revision") - 1).alias("revision"))
                  .collect())
    current = (base.join(superseded.lazy(), on=[*key, "revision"], how="anti")
               if superseded.height else base)
    start = pl.col("time_end").dt.replace_time_zone(None) + pl.duration(hours=7)  # hour start, local
    hourly = (current
              .filter(pl.col("value").is_not_null(), pl.col("flag") == "ok")
              .select("station", "variable",
                      start.dt.date().alias("day"),
                      start.dt.hour().alias("h"),
                      "value")
              .cache())

    # Station days: 24-h means (>= 20 hours) and the O3 daily max 1-h (>= 20 hours).
    per_var = (hourly.group_by("station", "day", "variable")
               .agg(pl.len().alias("n"),
                    pl.col("value").mean().alias("mean"),
                    pl.col("value").max().alias("max"),
                    # An hour with two values (two sources of one station; Lantian would keep
                    # one of them) is refused, not averaged.
                    (pl.col("h").n_unique() != pl.len()).alias("dup")))
    valid = pl.col("n") >= DAILY_MIN_HOURS
    means = (per_var.select("station", "day", "variable", "dup",
                            pl.when(valid).then(pl.col("mean")).alias("mean"),
                            pl.when(valid).then(pl.col("max")).alias("max"))
             .pivot(on="variable", on_columns=POLLUTANTS, index=["station", "day"],
                    values=["mean", "max", "dup"], aggregate_function="first")
             .select("station", "day",
                     *[pl.col(f"mean_{p}").alias(c) for p, c in
                       [("SO2", "so2"), ("NO2", "no2"), ("CO", "co"), ("PM10", "pm10"),
                        ("PM2.5", "pm25")]],
                     pl.col("max_O3").alias("o3_max_1h"),
                     pl.any_horizontal(pl.col("^dup_.*$")).alias("dup")))
    # MDA8: the 8-h means ending 08:00 .. 24:00 lie inside the day: with the day's O3 in a row of
    # 24 hour columns ("0" is the hour ending 01:00), window k covers columns k-7 .. k.
    hours = [pl.col(str(i)) for i in range(24)]

    def n_of(cols):
        return pl.sum_horizontal([c.is_not_null() for c in cols])

    def sum_of(cols):  # left to right, as Rust's fold
        e = pl.lit(0.0)
        for c in cols:
            e = e + c.fill_null(0.0)
        return e

    m8 = []
    for k in range(7, 24):
        w = hours[k - 7:k + 1]
        m8.append(pl.when(n_of(w) >= O3_8H_MIN_HOURS).then(sum_of(w) / n_of(w)))
    o3 = (hourly.filter(pl.col("variable") == "O3")
          .pivot(on="h", on_columns=list(range(24)), index=["station", "day"], values="value",
                 aggregate_function="first")
          .select("station", "day",
                  pl.when(n_of(m8) >= MDA8_MIN_WINDOWS).then(pl.max_horizontal(m8))
                  .alias("o3_mda8")))
    station_days = (means.join(o3, on=["station", "day"], how="left")
                    .select(pl.col("station").cast(pl.String).alias("entity"),
                            pl.col("day").dt.year().alias("year"), "day", *DAY_COLS, "dup")
                    .cache())

    # City days: mean of the valid station days of the assessment stations.
    city_days = (station_days.filter(pl.col("entity").is_in(city_codes))
                 .group_by("year", "day")
                 .agg(pl.col(DAY_COLS).mean())
                 .with_columns(pl.lit("city:beijing").alias("entity")))
    days = pl.concat([station_days, city_days], how="diagonal")

    # Day counts: HJ 633-2012 daily AQI and its category level 1..6.
    aqi = pl.col("aqi")
    days = (days.with_columns(pl.max_horizontal(*[iaqi(c) for c in DAY_COLS]).alias("aqi"))
            .with_columns(pl.when(aqi <= 50).then(1).when(aqi <= 100).then(2)
                          .when(aqi <= 150).then(3).when(aqi <= 200).then(4)
                          .when(aqi <= 300).then(5).when(aqi.is_not_null()).then(6)
                          .alias("level")))
    # Annual statistics per entity and year.
    aggs = []
    for p, s, c, q in STATS:
        name = col_name(p, s)
        v = pl.col(c)
        aggs.append((v.mean() if q is None else percentile(v, q)).alias(name))
        aggs.append(v.count().cast(pl.Int64).alias(f"{name}_valid_days"))
    aggs.append(aqi.count().cast(pl.Int64).alias("valid_days"))
    # GB 3095 Table 4 (validity.rs): every month 27 valid days (February 25), the year 324.
    month_min = pl.when(pl.col("day").dt.month() == 2).then(25).otherwise(27)
    monthly = (days.with_columns(pl.col("day").dt.month().alias("m"))
               .group_by("entity", "year", "m")
               .agg([(pl.col(c).count() >= month_min.first()).alias(f"ok_{c}")
                     for c in dict.fromkeys(c for _, _, c, _ in STATS)]))
    months_ok = (monthly.group_by("entity", "year")
                 .agg([pl.col(f"ok_{c}").sum().alias(f"okm_{c}")
                       for c in dict.fromkeys(c for _, _, c, _ in STATS)]))
    aggs += [(pl.col("level") == k).sum().cast(pl.Int64).alias(name)
             for k, name in enumerate(LEVELS, start=1)]
    aggs.append(pl.col("dup").any().alias("dup"))
    annual = (days.group_by("entity", "year").agg(aggs)
              .join(months_ok, on=["entity", "year"], how="left")
              .with_columns([((pl.col(f"okm_{c}").fill_null(0) == 12)
                              & (pl.col(f"{col_name(p, st)}_valid_days") >= 324))
                             .alias(f"{col_name(p, st)}_rule_met") for p, st, c, _ in STATS]))

    # Every station with an hourly value in the year has a row; the city a row each such year.
    present = station_days.select(pl.col("entity").alias("station"), "year").unique()
    n_city = (present.filter(pl.col("station").is_in(city_codes)).group_by("year")
              .agg(pl.len().cast(pl.Int64).alias("stations")))
    entities = pl.concat([
        present.select("year", pl.col("station").alias("entity"),
                       pl.lit(1, pl.Int64).alias("stations"), pl.lit(0).alias("order")),
        present.select("year").unique().join(n_city, on="year", how="left")
        .select("year", pl.lit("city:beijing").alias("entity"),
                pl.col("stations").fill_null(0), pl.lit(1).alias("order")),
    ])
    counts = ["valid_days", *LEVELS] + [f"{col_name(p, s)}_valid_days" for p, s, _, _ in STATS]
    rules = [f"{col_name(p, s)}_rule_met" for p, s, _, _ in STATS]
    res = (entities.join(annual, on=["entity", "year"], how="left")
           .with_columns(pl.col(counts).fill_null(0))
           .with_columns([pl.when(pl.col(r).fill_null(False)).then(pl.lit("true"))
                          .otherwise(pl.lit("false")).alias(r) for r in rules])
           .with_columns([round_half_even(pl.col(col_name(p, s)), 1 if p == "CO" else 0)
                         .alias(f"{col_name(p, s)}_published") for p, s, _, _ in STATS]))
    # Composite index: published figures over the GB 3095-2012 limits, summed left to right.
    total = pl.lit(-0.0)
    for name, limit in COMPOSITE:
        total = total + div(pl.col(f"{name}_published"), limit)
    cents = round_half_even_scaled(total, 2).cast(pl.Int64)
    res = res.with_columns(
        pl.when(cents.is_not_null())
        .then(pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2)))
        .alias("composite"),
        pl.lit(0).alias("dust_days"))
    floats = [h for h in header()[3:] if not h.endswith(("_days", "_rule_met"))
              and h not in LEVELS and h != "composite"]
    return (res.sort("year", "order", "entity")
            .select([pl.col(h) if h not in floats else fmt_float(h) for h in header()]
                    + [pl.col("dup").fill_null(False)]))


# ---------------------------------------------------------------------------------------------
# Comparison

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], {(r[0], r[1]): r for r in rows[1:]}, len(rows) - 1


def num(s):
    if s in ("true", "false"):
        return s == "true"
    return None if s == "" else float(s)


def compare(lantian_csv, polars_csv):
    h_l, rows_l, n_l = read_csv(lantian_csv)
    h_p, rows_p, n_p = read_csv(polars_csv)
    mismatches = []
    if h_l != h_p:
        mismatches.append(f"headers differ: lantian {h_l} / polars {h_p}")
        return 0, 0, mismatches, 0, 0.0
    if n_l != len(rows_l) or n_p != len(rows_p):
        mismatches.append(f"duplicate keys: lantian {n_l} rows / {len(rows_l)} keys, "
                          f"polars {n_p} rows / {len(rows_p)} keys")
    for k in sorted(set(rows_l) - set(rows_p)):
        mismatches.append(f"{k}: row only in Lantian's output")
    for k in sorted(set(rows_p) - set(rows_l)):
        mismatches.append(f"{k}: row only in the polars output")
    rows = cells = inexact = 0
    worst = 0.0
    for k in sorted(set(rows_l) & set(rows_p)):
        a, b = rows_l[k], rows_p[k]
        rows += 1
        for i, name in enumerate(h_l[2:], start=2):
            cells += 1
            x, y = num(a[i]), num(b[i])
            unrounded = name.endswith(("_mean", "_p95", "_p90", "_p98"))
            if x is None or y is None:
                same = x is None and y is None
            elif unrounded:
                rel = abs(x - y) / max(abs(x), abs(y)) if x != y else 0.0
                same = rel <= 1e-9
                inexact += x != y
                worst = max(worst, rel)
            else:
                same = x == y
            if not same:
                mismatches.append(f"{k[0]} {k[1]} {name}: lantian {a[i]!r} polars {b[i]!r}")
    return rows, cells, mismatches, inexact, worst


# ---------------------------------------------------------------------------------------------

def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def delta_version(store):
    import deltalake
    return deltalake.DeltaTable(os.path.join(store, "observation_rows")).version()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=os.environ.get("LANTIAN_STORE", "lantian-store"))
    ap.add_argument("--from", dest="y0", type=int, default=2014)
    ap.add_argument("--to", dest="y1", type=int, default=2024)
    ap.add_argument("--lantian", help="the lantian binary (default: cargo build --release)")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each, best taken")
    ap.add_argument("--keep", help="folder to keep both CSVs in")
    a = ap.parse_args()
    if a.y1 < a.y0:
        sys.exit(f"--to {a.y1} is before --from {a.y0}")
    if a.y1 >= 2026:
        sys.exit("days from 2026-03-01 are rated under HJ 633-2026, which this script does not do")
    if os.path.isdir(os.path.join(a.store, "observations", "_delta_log")):
        sys.exit(f"{a.store}: a store of an earlier layout; upgrade it with `lantian migrate`")
    if not os.path.isdir(os.path.join(a.store, "observation_rows", "_delta_log")):
        sys.exit(f"{a.store}: no Delta table observation_rows (not a Lantian store?)")
    if a.lantian is None:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "lantian-cli"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", "target")
        a.lantian = os.path.join(ROOT, target, "release", "lantian")
    import deltalake
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print(f"python {platform.python_version()}, polars {pl.__version__} "
          f"({pl.thread_pool_size()} threads), deltalake {deltalake.__version__}; "
          f"{cores} cores ({usable} usable); {platform.platform()}")
    version = subprocess.run([a.lantian, "--version"], capture_output=True, text=True)
    print(f"lantian: {a.lantian} {version.stdout.strip()}")
    v0 = delta_version(a.store)
    print(f"store: {a.store} (observation_rows: Delta version {v0}); years {a.y0}-{a.y1}; "
          f"best of {a.repeats}", flush=True)
    cmd = [a.lantian, "--store", a.store, "assess", "annual", "--from", str(a.y0),
           "--to", str(a.y1), "--dust", "none"]
    env = dict(os.environ, RUST_BACKTRACE="0")
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = a.keep or tmp
        os.makedirs(out_dir, exist_ok=True)
        lt_csv = os.path.join(out_dir, "lantian.csv")
        pl_csv = os.path.join(out_dir, "polars.csv")

        def run_lantian():
            with open(lt_csv, "wb") as f:
                r = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, env=env)
            if r.returncode != 0:
                sys.exit(f"lantian failed ({r.returncode}): {r.stderr.decode(errors='replace')}")

        print("$ " + " ".join(cmd), flush=True)
        # Alternate the two, so that a change in the machine's load touches both alike.
        all_lantian, all_polars = [], []
        for _ in range(a.repeats):
            all_lantian.append(timed(run_lantian))
            all_polars.append(timed(lambda: assess_polars(a.store, a.y0, a.y1, pl_csv)))
        t_lantian, t_polars = min(all_lantian), min(all_polars)
        rows, cells, mismatches, inexact, worst = compare(lt_csv, pl_csv)
        with open(lt_csv, "rb") as f1, open(pl_csv, "rb") as f2:
            identical = f1.read() == f2.read()
    v1 = delta_version(a.store)
    if v1 != v0:
        print(f"warning: the store changed during the run (Delta version {v0} -> {v1})")
    print(f"compared {rows} rows (year x entity), {cells} cells; "
          f"{len(mismatches)} mismatches; CSV text byte-identical: {identical}")
    print(f"unrounded figures not bit-identical: {inexact} cells, largest relative difference "
          f"{worst:.1e} (allowed 1e-9)")
    for m in mismatches[:10]:
        print("  " + m)
    if len(mismatches) > 10:
        print(f"  ... and {len(mismatches) - 10} more")
    fmt = lambda ts: " ".join(f"{t:.3f}" for t in ts)  # noqa: E731
    print(f"{'implementation':<34}{'best s':>10}   runs")
    print(f"{'polars ' + pl.__version__:<34}{t_polars:>10.3f}   {fmt(all_polars)}")
    print(f"{'lantian (assess annual)':<34}{t_lantian:>10.3f}   {fmt(all_lantian)}")
    print(f"{'ratio polars/Lantian':<34}{t_polars / t_lantian:>10.2f}")
    if mismatches or rows == 0:
        sys.exit("outputs differ" if mismatches else "no rows to compare")


if __name__ == "__main__":
    main()
