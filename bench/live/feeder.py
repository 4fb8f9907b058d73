#!/usr/bin/env python3
"""Publish real daily files hour by hour, as BJMEMC does: each tick rewrites the day's
`beijing_all_*` and `beijing_extra_*` files with one more hour of rows (written to a hidden
name, then renamed, as a copy tool would).

    feeder.py SOURCE_DAY_FOLDER OUT_FOLDER SECONDS_PER_HOUR SECONDS LOG

Logs one line per hour published: the day, the hour, and the values (non-empty cells) the two
files hold after it. Stops after SECONDS, or when the source days are used up.
"""
import csv
import io
import os
import sys
import time

src, out, every, total, log = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
days = sorted(f[len("beijing_all_"):-4] for f in os.listdir(src) if f.startswith("beijing_all_"))


def rows(name):
    path = os.path.join(src, name)
    if not os.path.exists(path):
        return None, []
    with open(path, encoding="utf-8", newline="") as f:
        r = list(csv.reader(f))
    return r[0], r[1:]


def publish(name, header, body):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    tmp = os.path.join(out, "." + name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    os.replace(tmp, os.path.join(out, name))


t0 = time.monotonic()
with open(log, "w") as logf:
    tick = 0
    for day in days:
        files = {kind: rows(f"beijing_{kind}_{day}.csv") for kind in ("all", "extra")}
        for hour in range(24):
            due = t0 + tick * every
            if due - t0 >= total:
                sys.exit(0)
            time.sleep(max(0.0, due - time.monotonic()))
            cells = 0
            for kind, (header, body) in files.items():
                if header is None:
                    continue
                part = [r for r in body if len(r) > 1 and r[1].isdigit() and int(r[1]) <= hour]
                publish(f"beijing_{kind}_{day}.csv", header, part)
                cells += sum(1 for r in part for c in r[3:] if c.strip())
            logf.write(f"{day} {hour} {cells}\n")
            logf.flush()
            tick += 1
