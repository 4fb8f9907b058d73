#!/usr/bin/env python3
"""The national benchmark's pipeline in pandas (+ pyarrow for Parquet, numpy for the index
arithmetic), written as an analyst would: read_csv per file, stack, groupby, pivot.

    python pipeline_pandas.py ingest --input DIR --out INGESTED_DIR [--counts C.csv]
    python pipeline_pandas.py aqi --ingested INGESTED_DIR --out AQI.parquet [--year 2023]
    python pipeline_pandas.py assess --ingested INGESTED_DIR --registry REG.csv --year 2023 \
                                     --out ANNUAL.csv

The ingested table is a folder of Parquet files, one per daily file: a year of long rows
(~260 million) does not fit comfortably in one pandas DataFrame, and the later stages read the
folder as one data set with column projection and filters. Same rules as pipeline_polars.py
(the Rust source is the specification, named at each rule).
"""
import csv
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Rounding and IAQI on numpy arrays (lantian-aqi rounding.rs, table.rs, hj633.rs)

def round_half_even_scaled(x, decimals):
    """GB/T 8170 half to even of x to `decimals` places, as the integer-valued x * 10^decimals;
    a tie is recognised within 1e-9 relative of the scaled value (a decimal written in the
    file, not a float artefact: rounding.rs)."""
    s = x * 10.0 ** decimals
    f = np.floor(s)
    frac = s - f
    tie = np.abs(frac - 0.5) <= C.EPS * np.maximum(1.0, np.abs(s))
    return f + np.where(tie, (f % 2) != 0, frac >= 0.5)


def round_half_even(x, decimals):
    return round_half_even_scaled(x, decimals) / 10.0 ** decimals


def ceil_index(v):
    """IAQI rounded up (HJ 633-2012 section 6.2); an integer up to float noise stays it."""
    return np.ceil(v - C.EPS * np.maximum(1.0, np.abs(v)))


def iaqi(c, bp, decimals, above):
    """IAQI of the concentrations `c` (NaN = missing) on the breakpoints `bp`: input rounded,
    the first segment whose upper breakpoint is >= the value, eq. (1), rounded up; `above` for a
    value above the table (NaN: not rated); NaN for missing or negative values."""
    bp = np.asarray(bp, dtype=np.float64)
    idx = np.asarray(C.IAQI, dtype=np.float64)
    c = round_half_even(np.asarray(c, dtype=np.float64), decimals)
    k = np.clip(np.searchsorted(bp, c, side="left"), 1, len(bp) - 1)
    lo, hi, ilo, ihi = bp[k - 1], bp[k], idx[k - 1], idx[k]
    with np.errstate(invalid="ignore"):
        v = ceil_index((ihi - ilo) / (hi - lo) * (np.maximum(c, lo) - lo) + ilo)
        v = np.where(c > bp[-1], above, v)
        return np.where(np.isnan(c) | (c < 0), np.nan, v)


def max_rated(subs):
    """The largest rated sub-index per row, NaN when none is rated."""
    return np.fmax.reduce(np.column_stack(subs), axis=1)


# ---------------------------------------------------------------------------------------------
# Stage 1: ingest

def read_day(path):
    """One daily file as a long DataFrame (station, time_end, variable, averaging, value, flag)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        raw = next(csv.reader(f))
    names = [c.strip() for c in raw]
    # Columns with an empty name hold no station (quotsoft.rs: not stored).
    keep = [i for i, c in enumerate(names) if i < 3 or c]
    df = pd.read_csv(path, usecols=keep, dtype={raw[0]: str, raw[1]: str, raw[2]: str},
                     encoding="utf-8-sig")
    df.columns = [names[i] for i in keep]
    stations = list(df.columns[3:])
    # A column holding text is read as strings: its numbers are numbers, the rest is not
    # stored (parse.rs `parse_field`, `Field::Bad`).
    for s in stations:
        if not pd.api.types.is_numeric_dtype(df.dtypes[s]):
            df[s] = pd.to_numeric(df[s].str.strip(), errors="coerce")
    # What each row measures (quotsoft.rs `parse_type`): unknown types are not stored.
    types = {t: C.parse_type(t) for t in df["type"].dropna().unique()}
    parsed = df["type"].map(types)
    # Beijing local (UTC+8) hour-ending stamp (D, h) ends at D 00:00 + h h, 8 h earlier in UTC
    # (lantian-model time.rs `beijing_hour`; h may be 0..24).
    date = df["date"].str.strip()
    hour = pd.to_numeric(df["hour"].str.strip(), errors="coerce")
    day = pd.to_datetime(date.where(date.str.fullmatch(r"\d{8}")), format="%Y%m%d",
                         errors="coerce")
    ok_hour = hour.between(0, 24) & (hour % 1 == 0)
    keys = pd.DataFrame({
        "time_end": (day + pd.to_timedelta(hour.where(ok_hour) - 8, unit="h"))
        .dt.tz_localize("UTC").astype("datetime64[us, UTC]"),
        "variable": parsed.str[0],
        "averaging": parsed.str[1],
    })
    keys["bound"] = keys["variable"].map(C.BOUND)
    ok = keys["variable"].notna() & keys["time_end"].notna()
    # Wide to long. (stack, not melt: pandas 3's melt takes 4x as long for 2,000 columns.)
    wide = df.loc[ok, stations].set_axis(pd.MultiIndex.from_frame(keys[ok]), axis=0)
    long = wide.rename_axis(columns="station").stack().rename("value").reset_index()
    # Empty, NA, NaN: missing; inf is not a finite number: neither is stored.
    long = long[np.isfinite(long["value"])]
    v = long["value"].to_numpy()
    # parse.rs `judge`: negative -> bad; above the plausibility bound -> doubtful.
    flag = pd.Categorical.from_codes(np.select([v < 0.0, v > long["bound"].to_numpy()], [2, 1], 0),
                                     categories=["ok", "doubtful", "bad"])
    return long.assign(flag=flag)[["station", "time_end", "variable", "averaging", "value",
                                   "flag"]]


def ingest(a):
    os.makedirs(a.out, exist_ok=True)
    counts = []
    for path in C.input_files(a.input):
        long = read_day(path)
        stem = os.path.splitext(os.path.basename(path))[0]
        long.to_parquet(os.path.join(a.out, f"{stem}.parquet"), index=False)
        counts.append(long.groupby(["variable", "averaging", "flag"], observed=True)["value"]
                      .agg(["size", "sum"]))
    c = pd.concat(counts).groupby(level=[0, 1, 2]).sum()
    C.write_counts([(*k, n, s) for k, n, s in zip(c.index, c["size"], c["sum"])],
                   a.counts or C.default_counts_path(a.out))


# ---------------------------------------------------------------------------------------------
# Stage 2: hourly AQI

def read_hourly(ingested, window=None, stations=None):
    """1-h values of the six pollutants flagged ok (lantian-cli aqi.rs `read_hourly_from`),
    optionally inside a UTC time_end window and of some stations; keys read as categoricals."""
    filters = [("averaging", "==", "1h"), ("flag", "==", "ok"),
               ("variable", "in", C.POLLUTANTS)]
    if window:
        filters += [("time_end", ">=", window[0]), ("time_end", "<=", window[1])]
    if stations is not None:
        filters.append(("station", "in", list(stations)))
    df = pd.read_parquet(ingested, columns=["station", "time_end", "variable", "value"],
                         filters=filters, read_dictionary=["station", "variable"])
    return df.dropna(subset=["value"])


def aqi(a):
    window = C.year_window(a.year) if a.year else None
    df = read_hourly(a.ingested, window)
    wide = df.pivot(index=["station", "time_end"], columns="variable", values="value")
    wide = wide.reindex(columns=C.POLLUTANTS)
    # batch.rs `realtime_aqi`, Edition E2012, CNEMC's PM 1-h practice: the largest rated IAQI of
    # the six 1-h values; SO2 1-h above 800 not rated (Table 1 note 2), others above the table
    # 500; NA when nothing is rated (a missing pollutant does not make the 2012 AQI NA).
    subs = [iaqi(wide[p].to_numpy(), C.REALTIME_BP[p], C.DECIMALS[p],
                 np.nan if p == "SO2" else 500.0) for p in C.POLLUTANTS]
    out = wide.index.to_frame(index=False)
    out["aqi"] = max_rated(subs)
    out = out[out["aqi"].notna()].astype({"station": str, "aqi": "int16"})
    out.to_parquet(a.out, index=False)


# ---------------------------------------------------------------------------------------------
# Stage 3: annual assessment

def station_days(df):
    """Daily values of every station-day with data (lantian-aqi series.rs `day_stats`)."""
    # The hour's start in Beijing time (UTC+8 all year): day D holds the stamps D 01:00 ..
    # D+1 00:00, i.e. the hours starting D 00:00 .. D 23:00.
    start = df["time_end"].dt.tz_localize(None) + pd.Timedelta(hours=7)
    df = df.assign(day=start.dt.floor("D"), h=start.dt.hour)
    # 24-h means and the O3 daily maximum 1-h value need 20 hourly values (GB 3095 Table 4).
    g = (df.groupby(["station", "day", "variable"], observed=True)["value"]
         .agg(["size", "mean", "max"]))
    g = g[g["size"] >= C.DAILY_MIN_HOURS]
    means = g["mean"].unstack("variable").reindex(columns=C.POLLUTANTS)
    days = pd.DataFrame({"so2": means["SO2"], "no2": means["NO2"], "co": means["CO"],
                         "pm10": means["PM10"], "pm25": means["PM2.5"],
                         "o3_max_1h": g["max"].unstack("variable").reindex(columns=["O3"])["O3"]})
    # MDA8: the largest of the 8-h means ending 08:00 .. 24:00 (17 windows inside the day), each
    # valid with 6 hourly values, the MDA8 valid with 14 valid windows.
    o3 = (df[df["variable"] == "O3"]
          .pivot(index=["station", "day"], columns="h", values="value")
          .reindex(columns=range(24)))
    x = o3.to_numpy()
    present, filled = ~np.isnan(x), np.nan_to_num(x)
    windows = []
    for k in range(7, 24):
        n = present[:, k - 7:k + 1].sum(axis=1)
        s = np.zeros(len(x))
        for j in range(k - 7, k + 1):  # left to right, as Rust's fold: the same bits
            s = s + filled[:, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            windows.append(np.where(n >= C.O3_8H_MIN_HOURS, s / n, np.nan))
    w = np.column_stack(windows)
    mda8 = np.where((~np.isnan(w)).sum(axis=1) >= C.MDA8_MIN_WINDOWS,
                    np.fmax.reduce(w, axis=1), np.nan)
    days = days.join(pd.Series(mda8, index=o3.index, name="o3_mda8"), how="outer")
    # Station-days with data but no valid value carry nothing: keep the rows with a value.
    return days[C.DAY_COLS].dropna(how="all")


def publish(values, pollutant):
    """GB/T 8170: integers, CO to 0.1 mg/m3 (lantian-assess stats.rs `publish`)."""
    return round_half_even(values, 1 if pollutant == "CO" else 0)


def rust_float(v):
    """A float as Rust's Display writes it: shortest round-trip digits, no exponent."""
    return "" if pd.isna(v) else np.format_float_positional(v, trim="-")


def assess(a):
    if a.year >= 2026:
        sys.exit("days from 2026-03-01 are rated under HJ 633-2026, which this script does not do")
    registry = C.read_registry(a.registry)
    df = read_hourly(a.ingested, C.year_window(a.year), stations=registry)
    if df.empty:  # no station with data: the header alone
        pd.DataFrame(columns=C.header()).to_csv(a.out, index=False)
        return
    sd = station_days(df)
    sd.index = sd.index.set_names(["entity", "day"])
    # Every registry station with a 1-h value in the year has a row, then every city with such
    # an assessment station.
    present = sorted(df["station"].unique().astype(str))
    city = pd.Series({c: registry[c][0] for c in present if registry[c][1]}, name="city",
                     dtype=str)
    # City days (lantian-assess region.rs `MeanOfStationDays`): per pollutant the mean of the
    # valid station daily values of the city's assessment stations.
    member = sd.reset_index()
    member["entity"] = member["entity"].astype(str)
    member = member.join(city, on="entity", how="inner")
    cd = member.groupby(["city", "day"])[C.DAY_COLS].mean()
    cd.index = cd.index.set_names(["entity", "day"])
    sd.index = sd.index.set_levels(sd.index.levels[0].astype(str), level=0)
    days = pd.concat([sd, cd]).reset_index()

    # Day counts (lantian-assess days.rs): HJ 633-2012 daily AQI on 24-h means, O3 MDA8 (not
    # rated above 800, Table 1 note 3) and O3 daily max 1-h; category levels 1..6 (Table 2).
    days["aqi"] = max_rated([iaqi(days[c].to_numpy(), C.DAILY_BP[c], C.DECIMALS[c],
                                  np.nan if c == "o3_mda8" else 500.0) for c in C.DAY_COLS])
    days["level"] = np.searchsorted([50, 100, 150, 200, 300], days["aqi"]) + 1
    days.loc[days["aqi"].isna(), "level"] = 0

    # Annual statistics (lantian-assess stats.rs): means of daily means; HJ 663 Annex A
    # percentiles, the linear/inclusive definition (pandas' default).
    g = days.groupby("entity")
    res = pd.DataFrame(index=pd.Index(present + sorted(set(city)), name="entity"))
    res["year"] = a.year
    res["stations"] = 1
    res.loc[sorted(set(city)), "stations"] = city.value_counts()
    # GB 3095 Table 4 (validity.rs): 27 valid days in every month (25 in February), 324 a year.
    month = days["day"].dt.month
    per_month = days.groupby(["entity", month])[C.DAY_COLS].count()
    minimum = np.where(per_month.index.get_level_values(1) == 2, C.FEBRUARY_MIN_DAYS,
                       C.MONTH_MIN_DAYS)
    months_ok = per_month.ge(minimum, axis=0).groupby(level="entity").sum()
    for p, s, c, q in C.STATS:
        name = C.col_name(p, s)
        value = g[c].mean() if q is None else g[c].quantile(q / 100.0)
        res[name] = value
        res[f"{name}_published"] = publish(res[name].to_numpy(), p)
        res[f"{name}_valid_days"] = g[c].count().reindex(res.index, fill_value=0)
        res[f"{name}_rule_met"] = ((months_ok[c].reindex(res.index, fill_value=0) == 12)
                                   & (res[f"{name}_valid_days"] >= C.ANNUAL_MIN_DAYS))
    res["valid_days"] = g["aqi"].count().reindex(res.index, fill_value=0)
    levels = pd.crosstab(days["entity"], days["level"]).reindex(
        index=res.index, columns=range(1, 7), fill_value=0)
    for k, name in enumerate(C.LEVELS, start=1):
        res[name] = levels[k]
    # Composite index (composite.rs): published figures over the GB 3095-2012 class-II limits,
    # summed left to right, two decimals half to even; only with all six figures.
    total = -0.0
    for name, limit in C.COMPOSITE:
        total = total + res[f"{name}_published"].to_numpy() / limit
    cents = round_half_even_scaled(total, 2)
    res["composite"] = ["" if np.isnan(x) else f"{int(x) // 100}.{int(x) % 100:02d}"
                        for x in cents]
    res["dust_days"] = 0  # --dust none

    out = res.reset_index()
    for h in C.header():
        if h.endswith("_rule_met"):
            out[h] = out[h].map({True: "true", False: "false"})
        elif h.endswith(("_mean", "_p95", "_p90", "_p98", "_published")):
            out[h] = out[h].map(rust_float)
    out[C.header()].to_csv(a.out, index=False, lineterminator="\n")


# ---------------------------------------------------------------------------------------------

if __name__ == "__main__":
    C.main(__doc__, ingest, aqi, assess, "folder of Parquet files")
