#!/usr/bin/env python3
"""Hourly AQI for a national network-year: Lantian vs a vectorised numpy implementation.

Same rules (HJ 633-2026 real-time report: six 1-h values, GB/T 8170 input rounding, IAQI rounded
up, SO2 1-h > 800 -> 200, above the table -> 500, section 5.3 missing-data NA), same input, one run.

    python3 bench/aqi_vs_numpy.py [--stations 2000] [--hours 8760] [--repeats 5]

Needs numpy (bench/run_aqi_bench.sh makes a virtualenv with it) and cargo. The input is
generated with a fixed seed: log-normal concentrations with one decimal (two for CO, so the
half-to-even rounding is exercised), 3 % missing, and rare extremes above the tables.
"""
import argparse, json, os, subprocess, sys, tempfile, time

import numpy as np

IAQI = np.array([0, 50, 100, 150, 200, 300, 400, 500], dtype=np.float64)
# HJ 633-2026 Table 3, 1-h columns for SO2/NO2/CO/O3; PM 1-h values use the 24-h columns.
BP = {
    "so2": [0, 150, 500, 650, 800],
    "no2": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "co": [0, 5, 10, 35, 60, 90, 120, 150],
    "o3": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "pm10": [0, 50, 120, 250, 350, 420, 500, 600],
    "pm25": [0, 35, 60, 115, 150, 250, 350, 500],
}
ORDER = ["so2", "no2", "co", "o3", "pm10", "pm25"]


def round_half_even(x, decimals):
    """GB/T 8170 on decimal data: ties recognised within 1e-9 relative, as Lantian does."""
    scale = 10.0 ** decimals
    s = x * scale
    f = np.floor(s)
    frac = s - f
    tol = 1e-9 * np.maximum(1.0, np.abs(s))
    tie = np.abs(frac - 0.5) <= tol
    up = np.where(tie, (f % 2) != 0, frac >= 0.5)
    return (f + up) / scale


def iaqi(c, name):
    bp = np.asarray(BP[name], dtype=np.float64)
    c = round_half_even(c, 1 if name == "co" else 0)
    k = np.clip(np.searchsorted(bp, c, side="left"), 1, len(bp) - 1)
    lo, hi, ilo, ihi = bp[k - 1], bp[k], IAQI[k - 1], IAQI[k]
    v = (ihi - ilo) / (hi - lo) * (np.maximum(c, lo) - lo) + ilo
    v = np.ceil(v - 1e-9 * np.maximum(1.0, np.abs(v)))
    v = np.where(c > bp[-1], 200.0 if name == "so2" else 500.0, v)
    return np.where(np.isnan(c) | (c < 0), np.nan, v)


def aqi_numpy(cols):
    subs = np.vstack([iaqi(cols[k], k) for k in ORDER])
    missing = np.isnan(subs).any(axis=0)
    allnan = np.isnan(subs).all(axis=0)
    mx = np.max(np.where(np.isnan(subs), -1.0, subs), axis=0)
    na = allnan | (missing & (mx <= 100))
    return np.where(na, -1, mx).astype(np.int16)


def generate(n, seed=20261130):
    rng = np.random.default_rng(seed)
    med = {"so2": 8, "no2": 35, "co": 0.8, "o3": 60, "pm10": 60, "pm25": 35}
    sig = {"so2": 0.9, "no2": 0.6, "co": 0.5, "o3": 0.7, "pm10": 0.7, "pm25": 0.8}
    cols = {}
    for k in ORDER:
        x = med[k] * rng.lognormal(0.0, sig[k], n)
        x = np.round(x, 2 if k == "co" else 1)
        x[rng.random(n) < 0.03] = np.nan
        cols[k] = x
    cols["so2"][rng.random(n) < 1e-4] = 950.0  # SO2 1-h above 800
    cols["pm25"][rng.random(n) < 1e-4] = 650.0  # above the table
    return cols


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=2000)
    ap.add_argument("--hours", type=int, default=8760)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    n = a.stations * a.hours
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"input: {a.stations} stations x {a.hours} hours = {n:,} station-hours, 6 pollutants", flush=True)
    cols = generate(n)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "lantian-aqi", "--example", "bench_hourly_aqi"],
                   cwd=root, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    exe = os.path.join(target, "release", "examples", "bench_hourly_aqi")
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = os.path.join(tmp, "in.f64"), os.path.join(tmp, "out.i16")
        with open(inp, "wb") as f:
            for k in ORDER:
                f.write(cols[k].astype("<f8").tobytes())
        runs = subprocess.run([exe, inp, out, str(a.repeats)], capture_output=True, text=True, check=True)
        rust = [json.loads(line) for line in runs.stdout.splitlines() if line.startswith("{")]
        lantian_out = np.fromfile(out, dtype="<i2")
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        np_out = aqi_numpy(cols)
        times.append(time.perf_counter() - t)
    times.sort()
    agree = int((np_out == lantian_out).sum())
    print(f"outputs agree on {agree:,} of {n:,} station-hours ({100.0 * agree / n:.4f} %); "
          f"NA: {int((np_out == -1).sum()):,}")
    print(f"{'implementation':<28}{'best s':>10}{'median s':>10}{'numpy/this':>12}")
    print(f"{'numpy ' + np.__version__ + ' (1 thread)':<28}{times[0]:>10.3f}{times[len(times)//2]:>10.3f}{1.0:>12.2f}")
    for r in rust:
        name = f"lantian ({r['threads']} thread{'s' if r['threads'] > 1 else ''})"
        print(f"{name:<28}{r['best_s']:>10.3f}{r['median_s']:>10.3f}{times[len(times)//2] / r['median_s']:>12.2f}")
    if agree != n:
        sys.exit("outputs differ: the comparison is void")


if __name__ == "__main__":
    main()
