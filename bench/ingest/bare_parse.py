#!/usr/bin/env python3
"""The bare-parse yardstick of an ingest: polars reads every CSV file under the given folders
into memory, every field as a string (no type inference, no conversion, nothing written), the
files in parallel on polars' own thread pool. Prints the files, rows and fields read.

    bare_parse.py DIR [DIR ...]
"""
import os
import sys

import polars as pl


def files(roots):
    out = []
    for r in roots:
        for d, _, names in os.walk(r):
            out += [os.path.join(d, n) for n in names if n.lower().endswith(".csv")]
    return sorted(out)


def main():
    paths = files(sys.argv[1:])
    if not paths:
        sys.exit("bare_parse.py: no CSV files under " + " ".join(sys.argv[1:]))
    rows = fields = 0
    # One lazy frame per file, collected together: polars parses them on all cores.
    frames = [pl.scan_csv(p, infer_schema=False, truncate_ragged_lines=True,
                          ignore_errors=True, encoding="utf8-lossy") for p in paths]
    for i in range(0, len(frames), 64):
        for df in pl.collect_all(frames[i:i + 64]):
            rows += df.height
            fields += df.height * df.width
    print(f"{len(paths)} files, {rows} rows, {fields} fields read as strings")


if __name__ == "__main__":
    main()
