#!/usr/bin/env python3
"""Compare two CSV results of one GROUP BY query: exit 0 when they hold the same rows, 1 otherwise.

    python3 bench/cluster/compare.py --keys 1 --name Q1 ballista.csv lantian.csv

The first KEYS columns identify a row (station; variable, averaging). The other columns are
compared as numbers: integers (counts) exactly, other numbers within a relative 1e-9 (sums and
means: the two engines add the values in different orders, and floating-point addition is not
associative, so the last digits may differ), empty fields (NULL) only with empty fields. Headers
must be equal. Standard library only.
"""

import argparse
import csv
import math
import sys

REL_TOL = 1e-9


def read(path, keys):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"compare: {path} is empty (no header)")
    header, data = rows[0], rows[1:]
    table = {}
    for row in data:
        key = tuple(row[:keys])
        if key in table:
            sys.exit(f"compare: {path}: key {key} occurs twice")
        table[key] = row[keys:]
    return header, table


def is_int(s):
    try:
        int(s)
        return True
    except ValueError:
        return False


def same(a, b):
    """(equal, relative difference or None) of two fields."""
    if a == "" or b == "":
        return a == b, None
    if is_int(a) and is_int(b):
        return int(a) == int(b), None
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b, None
    if x == y:
        return True, 0.0
    rel = abs(x - y) / max(abs(x), abs(y))
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=0.0), rel


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--keys", type=int, required=True, help="leading key columns")
    ap.add_argument("--name", default="query")
    ap.add_argument("distributed")
    ap.add_argument("local")
    args = ap.parse_args()

    h1, t1 = read(args.distributed, args.keys)
    h2, t2 = read(args.local, args.keys)
    problems = []
    if h1 != h2:
        problems.append(f"headers differ: {h1} vs {h2}")
    only1 = sorted(set(t1) - set(t2))
    only2 = sorted(set(t2) - set(t1))
    for k in only1[:5]:
        problems.append(f"{k}: only in the distributed result")
    for k in only2[:5]:
        problems.append(f"{k}: only in the local result")
    matched, mismatched, max_rel = 0, 0, 0.0
    for key in sorted(set(t1) & set(t2)):
        r1, r2 = t1[key], t2[key]
        ok = len(r1) == len(r2)
        for a, b in zip(r1, r2):
            eq, rel = same(a, b)
            ok &= eq
            if rel is not None:
                max_rel = max(max_rel, rel)
        if ok:
            matched += 1
        else:
            mismatched += 1
            if mismatched <= 5:
                problems.append(f"{key}: distributed {r1} vs local {r2}")
    status = "MATCH" if not problems else "MISMATCH"
    print(f"{args.name}: {status}: {matched} of {len(t2)} local rows matched "
          f"({len(t1)} distributed rows; {mismatched} differ, {len(only1)} only distributed, "
          f"{len(only2)} only local); counts compared exactly, largest relative difference of the sums and "
          f"means {max_rel:.2e} (tolerance {REL_TOL:g})")
    for p in problems:
        print(f"  {p}")
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
