#!/usr/bin/env python3
"""Weather normalisation of hourly PM2.5 at one station: the scikit-learn reference.

Deweathering after Grange et al. (2018, Atmos. Chem. Phys. 18, 6223) as the R package rmweather
does it, on one station file of the UCI Beijing multi-site data set
(PRSA_Data_<station>_20130301-20170228.csv). It is the Python side of

    bench/run_deweather_bench.sh --store S --lantian target/release/lantian [--station Dongsi]

which runs `lantian deweather` on the same station (from a store that ingested the same files)
and compares wall time and out-of-sample skill. Alone:

    python3 bench/deweather_vs_sklearn.py --csv PRSA_Data_Dongsi_20130301-20170228.csv
                                          [--trees 300] [--resamples 300] [--seed 1]

The method, step by step:
1. Features of each hour (the file's times are Beijing local time, hour-beginning): trend = days
   since 1970-01-01 of the hour start (day + hour/24), day of year (1..366), weekday (0 = Monday),
   hour (0..23), TEMP, PRES, DEWP, RAIN, WSPM and the wind direction in degrees (the 16-point
   compass: N = 0, NNE = 22.5, ..., NNW = 337.5). The rows with every meteorological feature
   present form the normalisation pool; those of them with PM2.5 present are the modelling rows.
2. One numpy default_rng(seed) draws everything, in this order: a permutation of the modelling
   rows, whose first floor(0.8 n) rows train the model and the rest test it; then the resamples.
3. Model: RandomForestRegressor(n_estimators=trees, max_features=3 (ranger's default for 10
   features, floor(sqrt(10)), which rmweather uses), min_samples_leaf=5, n_jobs=-1,
   random_state=seed). R^2 (1 - SSE/SST about the test mean) and RMSE on the test rows.
   With --model hgb instead: HistGradientBoostingRegressor with Lantian's default boosting
   settings (max_iter=trees, learning_rate 0.3, max_depth 6, no leaf-count cap, min_samples_leaf
   1, l2_regularization 1, no early stopping): scikit-learn's own version of the model Lantian
   fits, as a second peer.
4. Normalisation: per resample, n row indices (n = pool size) drawn with replacement from the
   pool; every feature but trend is replaced by the drawn rows' values (drawn jointly, so the
   weather of one hour stays together) and the model predicts. The normalised series is, hour by
   hour, the mean over the resamples. Each resample's mean over the calendar years 2015 and 2016
   (local time) is kept too: the normalised change 2016 - 2015 is the difference of the
   normalised means, its 95 % interval the 2.5 and 97.5 percentiles (numpy's linear definition)
   of the per-resample differences.

Output: one JSON object on standard output (keys below). fit_seconds and normalise_seconds are
time.perf_counter intervals; total_seconds = reading + features + fit + test + normalisation
(interpreter start and imports are not in it; the runner measures the process too).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

# The 16-point compass, clockwise from north, 22.5 degrees apart.
COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
           "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
WD_DEGREES = {p: 22.5 * i for i, p in enumerate(COMPASS)}
MET = ["TEMP", "PRES", "DEWP", "RAIN", "WSPM", "wd"]
# Model features in this order; column 0 (trend) is the one the normalisation keeps.
FEATURES = ["trend", "day_of_year", "weekday", "hour",
            "TEMP", "PRES", "DEWP", "RAIN", "WSPM", "wd_deg"]
TRAIN_FRACTION = 0.8
MAX_FEATURES = 3        # floor(sqrt(10)): ranger's default mtry, used by rmweather
MIN_SAMPLES_LEAF = 5
YEARS = (2015, 2016)    # the normalised change is YEARS[1] - YEARS[0]


def read(path):
    """The station file, NA as missing."""
    return pd.read_csv(path, usecols=["year", "month", "day", "hour", "PM2.5", *MET],
                       na_values=["NA"], keep_default_na=True)


def features(df):
    """(X of the pool rows as float64, y (NaN where PM2.5 is missing), year of each pool row)."""
    unknown = set(df["wd"].dropna().unique()) - set(WD_DEGREES)
    if unknown:
        sys.exit(f"unknown wind directions: {sorted(unknown)}")
    pool = df[df[MET].notna().all(axis=1)]
    date = pd.to_datetime(pool[["year", "month", "day"]])
    days = ((date - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)).to_numpy(np.float64)
    hour = pool["hour"].to_numpy(np.float64)
    x = np.column_stack([
        days + hour / 24.0,
        date.dt.day_of_year.to_numpy(np.float64),
        date.dt.day_of_week.to_numpy(np.float64),
        hour,
        *[pool[c].to_numpy(np.float64) for c in ["TEMP", "PRES", "DEWP", "RAIN", "WSPM"]],
        pool["wd"].map(WD_DEGREES).to_numpy(np.float64),
    ])
    return x, pool["PM2.5"].to_numpy(np.float64), pool["year"].to_numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", required=True, help="a PRSA_Data_<station>_20130301-20170228.csv")
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--resamples", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--model", choices=["rf", "hgb"], default="rf",
                    help="rf: the random forest of rmweather (default); hgb: boosted trees")
    a = ap.parse_args()
    if not os.path.isfile(a.csv):
        sys.exit(f"{a.csv}: no such file")
    if a.trees < 1 or a.resamples < 1:
        sys.exit("--trees and --resamples must be at least 1")

    t0 = time.perf_counter()
    x, y, year = features(read(a.csv))
    t_read = time.perf_counter() - t0
    n_pool = len(x)
    if n_pool == 0:
        sys.exit(f"{a.csv}: no hour with every meteorological feature present")
    in_year = [year == yr for yr in YEARS]
    if not all(m.any() for m in in_year):
        sys.exit(f"{a.csv}: the pool has no hour in {YEARS[0]} or in {YEARS[1]}")

    rng = np.random.default_rng(a.seed)
    model_rows = np.flatnonzero(~np.isnan(y))
    perm = rng.permutation(model_rows)
    n_train = int(np.floor(TRAIN_FRACTION * len(perm)))
    train, test = perm[:n_train], perm[n_train:]
    if len(train) == 0 or len(test) < 2:
        sys.exit(f"{a.csv}: too few hours with PM2.5 ({len(model_rows)})")

    t0 = time.perf_counter()
    if a.model == "rf":
        rf = RandomForestRegressor(n_estimators=a.trees, max_features=MAX_FEATURES,
                                   min_samples_leaf=MIN_SAMPLES_LEAF, n_jobs=-1,
                                   random_state=a.seed)
    else:
        rf = HistGradientBoostingRegressor(max_iter=a.trees, learning_rate=0.3, max_depth=6,
                                           max_leaf_nodes=None, min_samples_leaf=1,
                                           l2_regularization=1.0, early_stopping=False,
                                           random_state=a.seed)
    rf.fit(x[train], y[train])
    t_fit = time.perf_counter() - t0

    t0 = time.perf_counter()
    pred = rf.predict(x[test])
    obs = y[test]
    sse = float(np.sum((obs - pred) ** 2))
    sst = float(np.sum((obs - obs.mean()) ** 2))
    r2 = 1.0 - sse / sst
    rmse = float(np.sqrt(sse / len(obs)))
    t_test = time.perf_counter() - t0

    t0 = time.perf_counter()
    total = np.zeros(n_pool)
    year_means = np.empty((a.resamples, len(YEARS)))
    xs = x.copy()
    for s in range(a.resamples):
        idx = rng.integers(0, n_pool, size=n_pool)
        xs[:, 1:] = x[idx, 1:]          # trend (column 0) stays
        p = rf.predict(xs)
        total += p
        for k, m in enumerate(in_year):
            year_means[s, k] = p[m].mean()
    normalised = total / a.resamples    # the normalised hourly series
    t_norm = time.perf_counter() - t0

    m0, m1 = (float(normalised[m].mean()) for m in in_year)
    lower, upper = np.percentile(year_means[:, 1] - year_means[:, 0], [2.5, 97.5])
    print(json.dumps({
        "rows_pool": int(n_pool),
        "rows_train": int(len(train)),
        "rows_test": int(len(test)),
        "r2_test": r2,
        "rmse_test": rmse,
        "fit_seconds": t_fit,
        "normalise_seconds": t_norm,
        "total_seconds": t_read + t_fit + t_test + t_norm,
        "normalised_mean_2015": m0,
        "normalised_mean_2016": m1,
        "normalised_change": m1 - m0,
        "change_lower": float(lower),
        "change_upper": float(upper),
    }))


if __name__ == "__main__":
    main()
