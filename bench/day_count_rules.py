"""Which rule makes Beijing's published day counts? Candidate rules tried on the raw archive.

An independent reading of the Beijing archive (polars and numpy, no Lantian code): it reads the
BJMEMC daily files, forms the city's day under each candidate rule, rates it with HJ 633—2012
and prints, per year, the excellent, excellent-or-good and heavy days against the published
ones, with the range the archive's gaps leave open. `docs/assessment.md` ("Day counts as
published") gives the results and the rule chosen; Lantian's own counts for the two rules it
implements (`assess annual --day-rule standard|beijing`) equal this script's.

    bench/run_day_count_rules.sh [--data ../shared/data/quotsoft_beijing]

It also checks which 24 file-hours the centre's own 24-h moving means cover (the `PM2.5_24h`
and `PM10_24h` rows, filled in 2014–2016), i.e. which file-hours make a calendar day.
"""

import argparse
import csv
import datetime as dt
import glob
import itertools
import os

import numpy as np
import polars as pl

POLLUTANTS = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
# HJ 633—2012 Table 1, daily report: concentration breakpoints per indicator.
BREAKPOINTS = {
    "SO2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "NO2": [0, 40, 80, 180, 280, 565, 750, 940],
    "CO": [0, 2, 4, 14, 24, 36, 48, 60],
    "PM10": [0, 50, 150, 250, 350, 420, 500, 600],
    "PM2.5": [0, 35, 75, 115, 150, 250, 350, 500],
    "O3_8h": [0, 100, 160, 215, 265, 800],
    "O3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
}
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
# Published (excellent, excellent-or-good, heavy); sources in docs/assessment.md.
PUBLISHED = {
    2014: (None, 172, 47), 2015: (None, 186, 46), 2016: (68, 198, 39), 2017: (66, 226, 23),
    2018: (72, 227, 15), 2019: (85, 240, 4), 2020: (106, 276, 10), 2021: (114, 288, 8),
    2022: (138, 286, 3), 2023: (None, 271, 8), 2024: (None, 290, 2),
}
START = dt.date(2014, 1, 1)
NDAYS = (dt.date(2025, 1, 1) - START).days


def load(root):
    """Every value of the six pollutants and the centre's 24-h means, long."""
    keep = set(POLLUTANTS) | {"PM2.5_24h", "PM10_24h"}
    frames, unreadable = [], 0
    for f in sorted(glob.glob(os.path.join(root, "*", "*.csv"))):
        try:
            df = pl.read_csv(f, infer_schema=False, truncate_ragged_lines=True)
        except Exception:
            unreadable += 1
            continue
        if "type" not in df.columns:  # e.g. an HTML error page saved as .csv
            unreadable += 1
            continue
        stations = [c for c in df.columns if c not in ("date", "hour", "type") and c.strip()]
        df = df.filter(pl.col("type").is_in(list(keep)))
        if df.height:
            frames.append(df.unpivot(index=["date", "hour", "type"], on=stations,
                                     variable_name="station", value_name="v"))
    long = (pl.concat(frames)
            .with_columns(pl.col("v").cast(pl.Float64, strict=False),
                          pl.col("hour").cast(pl.Int32, strict=False),
                          pl.col("date").str.strptime(pl.Date, "%Y%m%d", strict=False))
            .drop_nulls(["v", "hour", "date"])
            .filter(pl.col("hour").is_between(0, 23))
            .unique(subset=["date", "hour", "type", "station"], keep="first"))
    print(f"{long.height} values; {unreadable} unreadable files")
    return long


def window_evidence(long):
    """Share of the centre's 24-h means at file-hour h equal (±0.5) to the mean of file-hours
    h-23..h (hour-ending) or of h-24..h-1 (the window one hour earlier), all 24 hours present."""
    d = long.with_columns((pl.col("date").cast(pl.Datetime) + pl.duration(hours=pl.col("hour"))).alias("t"))
    for p in ["PM2.5", "PM10"]:
        h = d.filter(pl.col("type") == p).select("station", "t", "v").sort("station", "t")
        pub = d.filter(pl.col("type") == p + "_24h").select("station", "t", pl.col("v").alias("pub"))
        roll = h.rolling(index_column="t", period="24h", group_by="station").agg(
            pl.col("v").mean().alias("m"), pl.col("v").count().alias("n"))
        earlier = roll.with_columns(pl.col("t") + pl.duration(hours=1)).rename({"m": "m1", "n": "n1"})
        j = (pub.join(roll, on=["station", "t"]).join(earlier, on=["station", "t"], how="left")
             .filter(pl.col("n") == 24))
        same = ((j["pub"] - j["m"]).abs() < 0.51).mean()
        prev = ((j["pub"] - j["m1"]).abs() < 0.51).mean()
        print(f"{p}_24h at file-hour h: mean of hours h-23..h {same:.4f}, of h-24..h-1 {prev:.4f} "
              f"({j.height} station-hours with 24 values)")


def matrix(long, stations):
    """stations × pollutants × hours, position = day × 24 + file-hour + 24 (a day of padding)."""
    idx = {s: i for i, s in enumerate(stations)}
    arr = np.full((len(stations), 6, NDAYS * 24 + 48), np.nan, dtype=np.float64)
    d = long.filter(pl.col("type").is_in(POLLUTANTS) & pl.col("station").is_in(stations))
    day = (d["date"].to_numpy() - np.datetime64("2014-01-01")).astype("timedelta64[D]").astype(int)
    pos = day * 24 + d["hour"].to_numpy() + 24
    ok = (pos >= 0) & (pos < arr.shape[2])
    si = np.array([idx[s] for s in d["station"].to_list()])
    pi = np.array([POLLUTANTS.index(t) for t in d["type"].to_list()])
    arr[si[ok], pi[ok], pos[ok]] = d["v"].to_numpy()[ok]
    return arr


def days_of(a, hour_ending):
    """(..., hours) → (..., days, 24): file-hours 1..23 of D and 0 of D+1 (hour-ending), or
    0..23 of D."""
    first = 25 if hour_ending else 24
    return a[..., first:first + NDAYS * 24].reshape(a.shape[:-1] + (NDAYS, 24))


def nanmean(x, axis):
    with np.errstate(all="ignore"):
        return np.nanmean(x, axis)


def day_mean(dv, min_hours=20):
    return np.where(np.isfinite(dv).sum(-1) >= min_hours, nanmean(dv, -1), np.nan)


def day_max(dv, min_hours=20):
    with np.errstate(all="ignore"):
        m = np.nanmax(np.where(np.isfinite(dv), dv, -np.inf), -1)
    return np.where(np.isfinite(dv).sum(-1) >= min_hours, m, np.nan)


def mda8(dv):
    """Max of the 17 8-h means ending at the day's 8th..24th hour (≥ 6 values each; ≥ 14)."""
    w = np.stack([np.where(np.isfinite(dv[..., e - 7:e + 1]).sum(-1) >= 6,
                           nanmean(dv[..., e - 7:e + 1], -1), np.nan) for e in range(7, 24)], -1)
    with np.errstate(all="ignore"):
        m = np.nanmax(np.where(np.isfinite(w), w, -np.inf), -1)
    return np.where(np.isfinite(w).sum(-1) >= 14, m, np.nan)


def city_days(arr, hour_ending, hourly_mean):
    """The city's daily values: the mean of the station days, or the day of the stations'
    hourly mean."""
    src = nanmean(arr, 0)[None] if hourly_mean else arr
    dv = days_of(src, hour_ending)
    out = {}
    for i, p in enumerate(POLLUTANTS):
        if p == "O3":
            out["O3_8h"] = nanmean(mda8(dv[:, i]), 0)
            out["O3_1h"] = nanmean(day_max(dv[:, i]), 0)
        else:
            out[p] = nanmean(day_mean(dv[:, i]), 0)
    return out


def iaqi(name, c, rounding):
    """Sub-index, rounded up (§6.2); the concentration first rounded half-even (GB/T 8170),
    truncated, or left as it is."""
    dec = 1 if name == "CO" else 0
    if rounding == "half-even":
        c = np.round(c, dec)
    elif rounding == "truncate":
        c = np.floor(c * 10 ** dec) / 10 ** dec
    bp = np.array(BREAKPOINTS[name], dtype=float)
    out = np.interp(c, bp, np.array(IAQI[:len(bp)], dtype=float))
    out = np.where(c > bp[-1], 500, np.ceil(out - 1e-9))
    return np.where(np.isnan(c), np.nan, out)


def rate(vals, rounding="half-even", o3_1h=True):
    names = ["SO2", "NO2", "CO", "PM10", "PM2.5", "O3_8h"] + (["O3_1h"] if o3_1h else [])
    sub = np.stack([iaqi(n, vals[n], rounding) for n in names])
    have = np.isfinite(sub)
    with np.errstate(all="ignore"):
        least = np.nanmax(np.where(have, sub, -1), 0)
    return np.where(have.any(0), least, np.nan), have[:6].all(0)


def counts(least, complete, incomplete_rule, years):
    """Per year: valid, excellent, excellent-or-good, heavy, and the open ranges."""
    if incomplete_rule == "rated-on-present":
        aqi = least
    else:  # HJ 633—2026 §5.3: an incomplete day only when already above 100
        aqi = np.where(complete | (least > 100), least, np.nan)
    rows = {}
    for y in range(2014, 2025):
        m = years == y
        a, lo, full = aqi[m], least[m], complete[m]
        part = np.isfinite(lo) & ~full
        none = ~np.isfinite(lo)
        rng = lambda cond_sure, cond_maybe: (int((full & cond_sure).sum()),
                                            int((full & cond_sure).sum() + (part & cond_maybe).sum() + none.sum()))
        with np.errstate(invalid="ignore"):
            heavy_sure = int(((full | part) & (lo > 200)).sum())
            rows[y] = dict(
                valid=int(np.isfinite(a).sum()), excellent=int((a <= 50).sum()),
                excellent_or_good=int((a <= 100).sum()), heavy=int((a > 200).sum()),
                r_excellent=rng(lo <= 50, lo <= 50), r_good=rng(lo <= 100, lo <= 100),
                r_heavy=(heavy_sure, heavy_sure + int((part & (lo <= 200)).sum()) + int(none.sum())))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                                    "data", "quotsoft_beijing"))
    ap.add_argument("--stations", default=os.path.join(os.path.dirname(__file__), "..", "crates",
                                                        "lantian-model", "data", "beijing_stations.csv"))
    args = ap.parse_args()
    long = load(args.data)
    window_evidence(long)
    roles = {r["code"]: r for r in csv.DictReader(open(args.stations, encoding="utf-8"))}
    present = sorted(set(long["station"].unique().to_list()) & set(roles))
    arr = matrix(long, present)
    sets = {
        "assessment": np.array([roles[s]["role"] in ("urban", "suburban") for s in present]),
        "national": np.array([bool(roles[s]["national_code"]) and roles[s]["role"] != "control" for s in present]),
        "all": np.ones(len(present), bool),
    }
    years = np.array([(START + dt.timedelta(days=k)).year for k in range(NDAYS)])
    candidates = itertools.product(["hour-ending", "file-date"], ["station-days", "hourly-mean"],
                                   ["assessment", "national", "all"], ["half-even", "truncate", "none"],
                                   [True, False], ["rated-on-present", "only-above-100"])
    cache = {}
    print("rule | year: excellent/published excellent-or-good/published heavy/published (valid) "
          "[open ranges]; '!' = published outside its open range")
    for window, method, stations, rounding, o3_1h, incomplete in candidates:
        key = (window, method, stations)
        if key not in cache:
            cache[key] = city_days(arr[sets[stations]], window == "hour-ending", method == "hourly-mean")
        least, complete = rate(cache[key], rounding, o3_1h)
        rows = counts(least, complete, incomplete, years)
        label = f"{window} {method} {stations} rounding={rounding} o3_1h={o3_1h} {incomplete}"
        cells = []
        for y, r in rows.items():
            pe, pg, ph = PUBLISHED[y]
            flag = lambda p, rng: "" if p is None or rng[0] <= p <= rng[1] else "!"
            cells.append(f"{y}: {r['excellent']}/{pe or '-'}{flag(pe, r['r_excellent'])} "
                         f"{r['excellent_or_good']}/{pg}{flag(pg, r['r_good'])} "
                         f"{r['heavy']}/{ph}{flag(ph, r['r_heavy'])} ({r['valid']}) "
                         f"[{r['r_excellent'][0]}-{r['r_excellent'][1]} {r['r_good'][0]}-{r['r_good'][1]} "
                         f"{r['r_heavy'][0]}-{r['r_heavy'][1]}]")
        print(label + "\n  " + "\n  ".join(cells))


if __name__ == "__main__":
    main()
