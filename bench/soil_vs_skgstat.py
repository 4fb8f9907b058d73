#!/usr/bin/env python3
"""Variogram, kriging and cross-validation of Meuse zinc: the scikit-gstat reference.

The Python side of

    bench/run_soil_bench.sh [--data DIR] [--grid 100] [--repeats 3]

which runs the lantian-geostat example `meuse` on the same file and compares parameters,
cross-validated errors and grid time. Alone:

    python3 bench/soil_vs_skgstat.py --file meuse.txt [--grid 100] [--repeats 1]
                                     [--threshold 500] [--grid-out PREFIX]

The method, for zinc (ppm) and for its natural logarithm, with scikit-gstat's defaults
throughout (the settings the Lantian side mirrors; crates/lantian-geostat/src/lib.rs lists
them):
1. skgstat.Variogram(coordinates=x,y in metres, values): 10 even lag classes up to the largest
   distance, the Matheron estimator, a spherical model without nugget fitted with scipy's TRF at
   the classes' upper edges. Reported: effective range, sill (skgstat's name for the partial
   sill), nugget, the fit's RMSE over the classes, and the empirical variogram itself.
2. Variogram.cross_validate(): leave-one-out ordinary kriging with the variogram fitted on all
   samples, the RMSE over the samples that get an estimate. The per-sample errors are also
   computed here the same way (OrdinaryKriging on the other samples, as
   skgstat.util.cross_validation does), for the MAE and the count of samples with an estimate.
3. OrdinaryKriging(V) with its defaults (min_points 5, max_points 15, within the effective
   range, one process) on a GRID x GRID grid of nodes from the samples' smallest to largest
   x and y (numpy linspace), x fastest: the transform call is timed with time.perf_counter,
   best of --repeats. Nodes without an estimate (NaN) are counted.
4. The share of the samples' convex hull above --threshold (zinc; log(threshold) for log zinc):
   grid nodes inside or on the hull (scipy.spatial.Delaunay.find_simplex >= 0), of those the
   ones with an estimate, of those the ones strictly above.

Output: one JSON object on standard output. With --grid-out PREFIX, the grid estimates go to
PREFIX.<variable>.txt, one node a line (x fastest), an empty line for a node without estimate.
"""
import argparse
import json
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd
import scipy
import skgstat as skg
from scipy.spatial import Delaunay


def read_meuse(path):
    df = pd.read_csv(path)
    for col in ("x", "y", "zinc"):
        if col not in df.columns:
            sys.exit(f"error: {path} has no column {col!r} (columns: {list(df.columns)})")
    coords = df[["x", "y"]].to_numpy(dtype=float)
    zinc = df["zinc"].to_numpy(dtype=float)
    return coords, zinc


def leave_one_out(variogram, coords, values):
    """Estimate - observed for each sample, from all the others (NaN: no estimate)."""
    errors = np.full(len(values), np.nan)
    for i in range(len(values)):
        keep = np.arange(len(values)) != i
        ok = skg.OrdinaryKriging(variogram, coordinates=coords[keep], values=values[keep])
        errors[i] = ok.transform([coords[i, 0]], [coords[i, 1]])[0] - values[i]
    return errors


def run(coords, values, grid, repeats, threshold, grid_out):
    t0 = time.perf_counter()
    V = skg.Variogram(coords, values)
    fit_seconds = time.perf_counter() - t0
    d = V.describe()

    t0 = time.perf_counter()
    cv_rmse = float(V.cross_validate())
    cv_seconds = time.perf_counter() - t0
    errors = leave_one_out(V, coords, values)
    got = ~np.isnan(errors)

    xs = np.linspace(coords[:, 0].min(), coords[:, 0].max(), grid)
    ys = np.linspace(coords[:, 1].min(), coords[:, 1].max(), grid)
    xx, yy = np.meshgrid(xs, ys)  # rows are y, columns x: ravel() is x fastest
    ok = skg.OrdinaryKriging(V)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        z = ok.transform(xx.ravel(), yy.ravel())
        best = min(best, time.perf_counter() - t0)
    estimated = ~np.isnan(z)

    inside = Delaunay(coords).find_simplex(np.column_stack((xx.ravel(), yy.ravel()))) >= 0
    in_and_est = inside & estimated
    above = in_and_est & (np.where(estimated, z, -np.inf) > threshold)

    if grid_out is not None:
        with open(grid_out, "w") as f:
            for v in z:
                f.write("" if np.isnan(v) else repr(float(v)))
                f.write("\n")

    return {
        "n_samples": int(len(values)),
        "bins": V.bins.tolist(),
        "experimental": V.experimental.tolist(),
        "bin_count": V.bin_count.tolist(),
        "effective_range": float(d["effective_range"]),
        "sill": float(d["sill"]),
        "nugget": float(d["nugget"]),
        "fit_rmse": float(V.rmse),
        "fit_seconds": fit_seconds,
        "cv_rmse": cv_rmse,
        "cv_rmse_loo": float(np.sqrt(np.mean(errors[got] ** 2))),
        "cv_mae": float(np.mean(np.abs(errors[got]))),
        "cv_mean_error": float(np.mean(errors[got])),
        "cv_predicted": int(got.sum()),
        "cv_seconds": cv_seconds,
        "grid": {
            "nx": grid,
            "ny": grid,
            "estimated": int(estimated.sum()),
            "mean_estimate": float(np.nanmean(z)),
            "seconds": best,
            "repeats": repeats,
        },
        "area": {
            "threshold": threshold,
            "nodes_in_region": int(inside.sum()),
            "nodes_estimated": int(in_and_est.sum()),
            "nodes_above": int(above.sum()),
            "share": float(above.sum() / in_and_est.sum()) if in_and_est.any() else None,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", required=True, help="meuse.txt (x, y in RD New metres, zinc ppm)")
    ap.add_argument("--grid", type=int, default=100, help="nodes along each axis (100)")
    ap.add_argument("--repeats", type=int, default=1, help="grid timings, best of (1)")
    ap.add_argument("--threshold", type=float, default=500.0, help="zinc ppm for the area share")
    ap.add_argument("--grid-out", help="write the grid estimates to PREFIX.<variable>.txt")
    a = ap.parse_args()
    if a.grid < 2 or a.repeats < 1:
        sys.exit("error: --grid must be >= 2 and --repeats >= 1")

    coords, zinc = read_meuse(a.file)
    # skgstat warns about nodes with too few neighbours: they are counted in the output.
    warnings.simplefilter("ignore")
    out = {
        "tool": "scikit-gstat",
        "version": skg.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "file": a.file,
        "variables": {},
    }
    for name, values, threshold in (("zinc", zinc, a.threshold),
                                    ("log_zinc", np.log(zinc), float(np.log(a.threshold)))):
        grid_out = f"{a.grid_out}.{name}.txt" if a.grid_out else None
        out["variables"][name] = run(coords, values, a.grid, a.repeats, threshold, grid_out)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
