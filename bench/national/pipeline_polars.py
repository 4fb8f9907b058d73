#!/usr/bin/env python3
"""The national benchmark's pipeline in polars: CNEMC daily files -> long Parquet -> hourly AQI
-> annual HJ 663 assessment of every station and city. Each stage is one process (run.py times
them under /usr/bin/time):

    python pipeline_polars.py ingest --input DIR --out INGESTED.parquet [--counts C.csv]
    python pipeline_polars.py aqi --ingested INGESTED.parquet --out AQI.parquet [--year 2023]
    python pipeline_polars.py assess --ingested INGESTED.parquet --registry REG.csv --year 2023 \
                                     --out ANNUAL.csv

Every stage is one lazy query (scan -> transform -> sink/collect), run by polars' streaming
engine where it can. The rules are Lantian's (the Rust source is the specification, named at
each rule); the assessment reuses the expressions of bench/assess_vs_polars.py, which match
`lantian assess annual` cell for cell.
"""
import os
import sys

import polars as pl

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import common as C  # noqa: E402
# GB/T 8170 rounding, IAQI ceiling, HJ 663 percentile, Rust's float formatting.
from assess_vs_polars import (ceil_index, div, fmt_float, percentile,  # noqa: E402
                              round_half_even, round_half_even_scaled)


# ---------------------------------------------------------------------------------------------
# Stage 1: ingest

# The vocabularies of the long table (lantian-model pollutant.rs, quality.rs): Enums, so that
# the 260 million rows of a year carry one byte per key instead of a string.
VARIABLES = pl.Enum(["AQI", "SO2", "NO2", "CO", "O3", "PM10", "PM2.5", "NOx", "TSP"])
AVERAGINGS = pl.Enum(["1h", "8h", "24h", "1h_max_24h", "8h_max_day"])
FLAGS = pl.Enum(["ok", "doubtful", "bad"])


def lookup(e, mapping):
    """mapping[e], null for other values, as a when/then chain. (Not `replace_strict`: in
    polars 2.1 it makes the streaming engine load the whole CSV scan into memory first.)"""
    (k0, v0), *rest = mapping.items()
    out = pl.when(e == k0).then(pl.lit(v0))
    for k, v in rest:
        out = out.when(e == k).then(pl.lit(v))
    return out


def type_exprs():
    """(variable, averaging) of the `type` column as expressions: common.parse_type (quotsoft.rs
    `parse_type`) on the 360 rows of a file, before the unpivot multiplies them by 2,026."""
    t = pl.col("type").str.strip_chars()
    special = t.is_in(list(C.SPECIAL_O3))
    averaging = (pl.when(special).then(lookup(t, C.SPECIAL_O3))
                 .when(t.str.ends_with("_24h")).then(pl.lit("24h"))
                 .otherwise(pl.lit("1h")))
    base = pl.when(special).then(pl.lit("O3")).otherwise(t.str.strip_suffix("_24h"))
    pollutant = lookup(base.str.strip_chars().str.to_uppercase().str.replace_all(r"[_ ]", ""),
                       C.POLLUTANT_CODES)
    variable = (pl.when(base == "AQI").then(pl.when(averaging == "1h").then(pl.lit("AQI")))
                .otherwise(pollutant))
    return (variable.cast(VARIABLES).alias("variable"),
            averaging.cast(AVERAGINGS).alias("averaging"))


def ingest_plan(files):
    """The long table of `files` as one lazy query."""
    stations = list(dict.fromkeys(s for f in files for s in C.station_columns(f)))
    # One scan over all files, matched by column name: a station missing from a day's file is
    # null there, and unnamed columns (empty header cells) are ignored. Cells that are not
    # numbers (text, as the Rust reader's `Field::Bad`) become null: not stored either way.
    schema = {"date": pl.String, "hour": pl.String, "type": pl.String,
              **{s: pl.Float64 for s in stations}}
    wide = pl.scan_csv(files, schema=schema, missing_columns="insert", extra_columns="ignore",
                       ignore_errors=True)
    variable, averaging = type_exprs()
    date = pl.col("date").str.strip_chars()
    hour = pl.col("hour").str.strip_chars().cast(pl.Int64, strict=False)
    # Beijing local (UTC+8) hour-ending stamp (D, h) ends at D 00:00 + h hours; in UTC, 8 h
    # earlier (lantian-model time.rs `beijing_hour`; h may be 0..24).
    time_end = ((date.str.strptime(pl.Date, "%Y%m%d", strict=False).cast(pl.Datetime("us"))
                 + pl.duration(hours=hour - 8))
                .dt.replace_time_zone("UTC"))
    keys = (wide
            .with_columns(variable, averaging,
                          pl.when(date.str.contains(r"^\d{8}$") & hour.is_between(0, 24))
                          .then(time_end).alias("time_end"))
            # Unknown types and unreadable date/hour: the row is not stored (quotsoft.rs).
            .filter(pl.col("variable").is_not_null(), pl.col("time_end").is_not_null())
            .with_columns(lookup(pl.col("variable"), C.BOUND).alias("bound")))
    value = pl.col("value")
    return (keys
            .unpivot(on=stations, index=["time_end", "variable", "averaging", "bound"],
                     variable_name="station", value_name="value")
            # Empty, NA, NaN: missing; inf: not a finite number (parse.rs `parse_field`).
            .filter(value.is_finite())
            # parse.rs `judge`: negative -> bad; above the plausibility bound -> doubtful.
            .with_columns(pl.when(value < 0.0).then(pl.lit("bad"))
                          .when(value > pl.col("bound")).then(pl.lit("doubtful"))
                          .otherwise(pl.lit("ok")).cast(FLAGS).alias("flag"))
            .select(pl.col("station").cast(pl.Enum(stations)), "time_end", "variable",
                    "averaging", "value", "flag"))


def ingest(a):
    long = ingest_plan(C.input_files(a.input))
    counts = (long.group_by("variable", "averaging", "flag")
              .agg(pl.len().alias("n"), pl.col("value").sum().alias("s")))
    # One pass over the files feeds both the Parquet file and the counts.
    _, c = pl.collect_all([long.sink_parquet(a.out, lazy=True), counts], engine="streaming")
    C.write_counts(c.rows(), a.counts or C.default_counts_path(a.out))


# ---------------------------------------------------------------------------------------------
# Stage 2: hourly AQI

def hourly_plan(ingested, window=None):
    """1-h values of the six pollutants flagged ok (lantian-cli aqi.rs `read_hourly_from`:
    doubtful and bad values are not used), optionally inside a UTC time_end window."""
    lf = pl.scan_parquet(ingested)
    cond = [pl.col("averaging") == "1h", pl.col("flag") == "ok",
            pl.col("variable").is_in(C.POLLUTANTS), pl.col("value").is_not_null()]
    if window:
        cond.append(pl.col("time_end").is_between(*window))
    return lf.filter(*cond).select("station", "time_end", "variable", "value")


def iaqi_exprs(columns, tables, not_rated_above=(), prefix=""):
    """HJ 633 IAQI of each column in `columns` (lantian-aqi hj633.rs `iaqi`), in three steps
    so that each is computed once per value: GB/T 8170 input rounding (CO to 0.1, the rest to
    integers; rounding.rs); eq. (1) on the first segment whose upper breakpoint is >= the
    rounded value (table.rs `lookup`), 500 above the table (hj633.rs `AboveTable`) except for
    the columns in `not_rated_above` (not rated); the index rounded up (section 6.2). Negative,
    NaN and missing values have no index. Returns three lists of expressions, to apply in turn;
    the IAQI of column c is column prefix + c."""
    rounded = [round_half_even(pl.col(c), C.DECIMALS[c]).alias(prefix + c) for c in columns]
    segments = []
    for c in columns:
        x, bp = pl.col(prefix + c), tables[c]
        e = pl.when(x.is_null() | x.is_nan() | (x < 0.0)).then(None)
        for k in range(len(bp) - 1):
            slope = (C.IAQI[k + 1] - C.IAQI[k]) / (bp[k + 1] - bp[k])
            # Rust interpolates at max(c, bp_lo): the same as c for c >= 0 on this segment.
            e = e.when(x <= bp[k + 1]).then(slope * (x - bp[k]) + C.IAQI[k])
        segments.append(e.otherwise(None if c in not_rated_above else 500.0).alias(prefix + c))
    return rounded, segments, [ceil_index(pl.col(prefix + c)).alias(prefix + c) for c in columns]


def aqi(a):
    window = C.year_window(a.year) if a.year else None
    # One row per station-hour with the six values side by side: each pollutant's value in a
    # column of its own, then the group's max (a station-hour has one value per pollutant).
    wide = (hourly_plan(a.ingested, window)
            .select("station", "time_end",
                    *[pl.when(pl.col("variable") == p).then(pl.col("value")).alias(p)
                      for p in C.POLLUTANTS])
            .group_by("station", "time_end").agg(pl.col(C.POLLUTANTS).max()))
    # batch.rs `realtime_aqi`, Edition E2012, with CNEMC's practice of rating PM 1-h values on
    # the 24-h table: SO2 1-h above 800 is not rated (Table 1 note 2); the AQI is the largest
    # rated IAQI, NA when none is (a missing pollutant does not make the 2012 AQI NA, unlike
    # HJ 633-2026 section 5.3).
    rounded, segments, indices = iaqi_exprs(C.POLLUTANTS, C.REALTIME_BP, not_rated_above={"SO2"})
    (wide.with_columns(rounded).with_columns(segments).with_columns(indices)
     .select("station", "time_end", pl.max_horizontal(C.POLLUTANTS).alias("aqi"))
     .filter(pl.col("aqi").is_not_null())
     .with_columns(pl.col("station").cast(pl.String), pl.col("aqi").cast(pl.Int16))
     .sink_parquet(a.out))


# ---------------------------------------------------------------------------------------------
# Stage 3: annual assessment (bench/assess_vs_polars.py `annual_plan`, for every station of the
# registry and every city instead of Beijing's stations and the city of Beijing)

def annual_plan(ingested, year, registry):
    codes = sorted(registry)
    city_of = pl.LazyFrame(
        {"entity": [c for c in codes if registry[c][1]],
         "city": [registry[c][0] for c in codes if registry[c][1]]},
        schema={"entity": pl.String, "city": pl.String})
    hourly = (hourly_plan(ingested, C.year_window(year))
              .filter(pl.col("station").is_in(codes))
              # Enum keys: cheaper group-bys and joins than strings.
              .select(pl.col("station").cast(pl.Enum(codes)),
                      pl.col("variable").cast(pl.Enum(C.POLLUTANTS)), "time_end", "value"))
    # The hour's start in Beijing time (UTC+8 all year): day D holds the stamps D 01:00 ..
    # D+1 00:00, i.e. the hours starting D 00:00 .. D 23:00.
    start = pl.col("time_end").dt.replace_time_zone(None) + pl.duration(hours=7)
    variable, value, h = pl.col("variable"), pl.col("value"), start.dt.hour()

    # Station days (lantian-aqi series.rs `day_stats`) from one row per station-day: each
    # pollutant's hourly values in a column of its own, and O3 also in 24 hour columns ("o3_0"
    # is the hour ending 01:00) for the 8-h windows.
    per_day = (hourly
               .select("station", start.dt.date().alias("day"),
                       *[pl.when(variable == p).then(value).alias(p) for p in C.POLLUTANTS],
                       *[pl.when((variable == "O3") & (h == i)).then(value).alias(f"o3_{i}")
                         for i in range(24)])
               .group_by("station", "day")
               .agg(*[pl.col(p).count().alias(f"n_{p}") for p in C.POLLUTANTS],
                    *[pl.col(p).mean().alias(f"mean_{p}") for p in C.POLLUTANTS],
                    pl.col("O3").max().alias("max_O3"),
                    pl.col([f"o3_{i}" for i in range(24)]).max()))
    # A 24-h mean needs 20 hourly values, and so does the O3 daily maximum 1-h value.
    valid = {p: pl.col(f"n_{p}") >= C.DAILY_MIN_HOURS for p in C.POLLUTANTS}
    # MDA8: the largest of the 8-h means ending 08:00 .. 24:00, the 17 windows inside the day
    # (window k covers hours k-7 .. k), each valid with 6 values; valid with 14 valid windows
    # (GB 3095 Table 4; series.rs).
    hours = [pl.col(f"o3_{i}") for i in range(24)]
    windows = []
    for k in range(7, 24):
        w = hours[k - 7:k + 1]
        n = pl.sum_horizontal([c.is_not_null() for c in w])
        total = pl.lit(0.0)
        for c in w:  # left to right, as Rust's fold: the same bits
            total = total + c.fill_null(0.0)
        windows.append(pl.when(n >= C.O3_8H_MIN_HOURS).then(total / n).alias(f"w{k}"))
    w = pl.col([f"w{k}" for k in range(7, 24)])
    station_days = (per_day
                    .with_columns(windows)
                    .select(pl.col("station").cast(pl.String).alias("entity"), "day",
                            *[pl.when(valid[p]).then(pl.col(f"mean_{p}")).alias(c)
                              for p, c in [("SO2", "so2"), ("NO2", "no2"), ("CO", "co"),
                                           ("PM10", "pm10"), ("PM2.5", "pm25")]],
                            pl.when(pl.sum_horizontal(w.is_not_null()) >= C.MDA8_MIN_WINDOWS)
                            .then(pl.max_horizontal(w)).alias("o3_mda8"),
                            pl.when(valid["O3"]).then(pl.col("max_O3")).alias("o3_max_1h"))
                    .cache())

    # City days (lantian-assess region.rs `MeanOfStationDays`): per pollutant, the mean of the
    # valid station daily values of the city's assessment stations.
    city_days = (station_days.join(city_of, on="entity", how="inner")
                 .group_by("city", "day").agg(pl.col(C.DAY_COLS).mean())
                 .rename({"city": "entity"}))
    days = pl.concat([station_days, city_days], how="diagonal")

    # Day counts (lantian-assess days.rs): the HJ 633-2012 daily AQI (24-h means, O3 MDA8 and
    # O3 daily max 1-h) and its category 1..6 (HJ 633-2012 Table 2).
    aqi = pl.col("aqi")
    rounded, segments, indices = iaqi_exprs(C.DAY_COLS, C.DAILY_BP, not_rated_above={"o3_mda8"},
                                            prefix="iaqi_")
    days = (days.with_columns(rounded).with_columns(segments).with_columns(indices)
            .with_columns(pl.max_horizontal(pl.col("^iaqi_.*$")).alias("aqi"))
            .with_columns(pl.when(aqi <= 50).then(1).when(aqi <= 100).then(2)
                          .when(aqi <= 150).then(3).when(aqi <= 200).then(4)
                          .when(aqi <= 300).then(5).when(aqi.is_not_null()).then(6)
                          .alias("level")))
    # Annual statistics (lantian-assess stats.rs): means of daily means, HJ 663 percentiles.
    aggs = []
    for p, s, c, q in C.STATS:
        name = C.col_name(p, s)
        v = pl.col(c)
        aggs.append((v.mean() if q is None else percentile(v, q)).alias(name))
        aggs.append(v.count().cast(pl.Int64).alias(f"{name}_valid_days"))
    aggs.append(aqi.count().cast(pl.Int64).alias("valid_days"))
    aggs += [(pl.col("level") == k).sum().cast(pl.Int64).alias(name)
             for k, name in enumerate(C.LEVELS, start=1)]
    # GB 3095 Table 4 (validity.rs): 27 valid days in every month (25 in February), 324 a year.
    day_cols = list(dict.fromkeys(c for _, _, c, _ in C.STATS))
    month_min = pl.when(pl.col("day").dt.month() == 2).then(C.FEBRUARY_MIN_DAYS) \
        .otherwise(C.MONTH_MIN_DAYS)
    months_ok = (days.group_by("entity", pl.col("day").dt.month().alias("m"))
                 .agg([(pl.col(c).count() >= month_min.first()).alias(c) for c in day_cols])
                 .group_by("entity").agg(pl.col(day_cols).sum()))
    annual = (days.group_by("entity").agg(aggs)
              .join(months_ok, on="entity", how="left")
              .with_columns([((pl.col(c).fill_null(0) == 12)
                              & (pl.col(f"{C.col_name(p, st)}_valid_days") >= C.ANNUAL_MIN_DAYS))
                             .alias(f"{C.col_name(p, st)}_rule_met") for p, st, c, _ in C.STATS]))

    # Rows: every registry station with an hourly value in the year, then every city with such
    # an assessment station ("stations": how many).
    present = station_days.select("entity").unique()
    cities = (present.join(city_of, on="entity", how="inner")
              .group_by("city").agg(pl.len().cast(pl.Int64).alias("stations"))
              .select(pl.col("city").alias("entity"), "stations", pl.lit(1).alias("order")))
    entities = pl.concat([present.select("entity", pl.lit(1, pl.Int64).alias("stations"),
                                         pl.lit(0).alias("order")), cities])
    counts = ["valid_days", *C.LEVELS] + [f"{C.col_name(p, s)}_valid_days"
                                          for p, s, _, _ in C.STATS]
    rules = [f"{C.col_name(p, s)}_rule_met" for p, s, _, _ in C.STATS]
    res = (entities.join(annual, on="entity", how="left")
           .with_columns(pl.col(counts).fill_null(0), pl.lit(year).alias("year"))
           .with_columns([pl.when(pl.col(r).fill_null(False)).then(pl.lit("true"))
                          .otherwise(pl.lit("false")).alias(r) for r in rules])
           # GB/T 8170 half to even: integers, CO to 0.1 mg/m3 (stats.rs `publish`).
           .with_columns([round_half_even(pl.col(C.col_name(p, s)), 1 if p == "CO" else 0)
                          .alias(f"{C.col_name(p, s)}_published") for p, s, _, _ in C.STATS]))
    # Composite index (composite.rs): published figures over the GB 3095-2012 class-II limits,
    # summed left to right, to two decimals half to even; only with all six figures.
    total = pl.lit(-0.0)
    for name, limit in C.COMPOSITE:
        total = total + div(pl.col(f"{name}_published"), limit)
    cents = round_half_even_scaled(total, 2).cast(pl.Int64)
    res = res.with_columns(
        pl.when(cents.is_not_null())
        .then(pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2)))
        .alias("composite"),
        pl.lit(0).alias("dust_days"))  # --dust none
    head = C.header()
    floats = [h for h in head[3:] if not h.endswith(("_days", "_rule_met"))
              and h not in C.LEVELS and h != "composite"]
    return (res.sort("order", "entity")
            .select([fmt_float(h) if h in floats else pl.col(h) for h in head]))


def assess(a):
    if a.year >= 2026:
        sys.exit("days from 2026-03-01 are rated under HJ 633-2026, which this script does not do")
    annual_plan(a.ingested, a.year, C.read_registry(a.registry)).collect().write_csv(
        a.out, null_value="")


# ---------------------------------------------------------------------------------------------

if __name__ == "__main__":
    C.main(__doc__, ingest, aqi, assess, "Parquet file")
