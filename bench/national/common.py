"""Rules and helpers shared by the polars and pandas pipelines of the national benchmark.

Pure Python (no polars, no pandas, no numpy): each pipeline imports only its own library, so
neither pays for the other's import in its measured wall time and peak memory.

The Rust sources are the specification; each rule names the file it reproduces.
"""
import csv
import os
import re
from datetime import datetime, timedelta, timezone

# lantian_aqi::series::POLLUTANTS: the six pollutants of HJ 633 / GB 3095 Table 1.
POLLUTANTS = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]

# lantian-model pollutant.rs `implausible_above`: above it an hourly value is flagged `doubtful`
# (kept, not used by the AQI or the assessment). The AQI scale ends at 500 (parse.rs `judge`).
BOUND = {"SO2": 5000.0, "NO2": 4000.0, "CO": 150.0, "O3": 1500.0, "PM10": 20000.0,
         "PM2.5": 5000.0, "NOx": 10000.0, "TSP": 30000.0, "AQI": 500.0}

# lantian-model pollutant.rs `Pollutant::from_str`: upper-cased, '_' and ' ' removed.
POLLUTANT_CODES = {"SO2": "SO2", "NO2": "NO2", "CO": "CO", "O3": "O3", "PM10": "PM10",
                   "PM2.5": "PM2.5", "PM25": "PM2.5", "NOX": "NOx", "TSP": "TSP"}
# lantian-model pollutant.rs `Averaging::code`.
SPECIAL_O3 = {"O3_8h_24h": "8h_max_day", "O3_8h": "8h", "O3_24h": "1h_max_24h"}


def parse_type(t):
    """(variable, averaging) of a `type` cell, or None for an unknown type (row not stored).
    lantian-ingest quotsoft.rs `parse_type`: O3's `_24h` row is a 24-h moving MAXIMUM of 1-h
    values, `O3_8h_24h` the day's maximum 8-h mean so far; other `X_24h` rows are 24-h moving
    means; `AQI` is the real-time AQI (averaging 1h), `AQI_24h` is unknown."""
    t = t.strip()
    if t in SPECIAL_O3:
        base, avg = "O3", SPECIAL_O3[t]
    elif t.endswith("_24h"):
        base, avg = t[: -len("_24h")], "24h"
    else:
        base, avg = t, "1h"
    if base == "AQI":
        return ("AQI", "1h") if avg == "1h" else None
    p = POLLUTANT_CODES.get(re.sub(r"[_ ]", "", base.strip().upper()))
    return (p, avg) if p else None


def input_files(folder):
    """The CNEMC daily files of `folder`, in date order."""
    names = sorted(n for n in os.listdir(folder)
                   if re.fullmatch(r"china_sites_\d{8}\.csv", n))
    if not names:
        raise SystemExit(f"{folder}: no china_sites_YYYYMMDD.csv file")
    return [os.path.join(folder, n) for n in names]


def header_of(path):
    """The column names of a CNEMC file's first line, stripped (the Rust reader trims them)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [c.strip() for c in next(csv.reader(f))]


def station_columns(path):
    """Station columns of a file: every named column after date,hour,type. A column without a
    name holds no station (quotsoft.rs: value "in a column with no station name; not stored";
    the real 20230121 file ends with six of them)."""
    return [c for c in header_of(path)[3:] if c]


def year_window(year):
    """UTC time_end bounds (inclusive) of the natural days of `year` in Beijing time (UTC+8,
    hour-ending): D holds the stamps D 01:00 .. D+1 00:00 (GB 3095 natural day; lantian-aqi
    series.rs), so the year runs from 01-01 01:00 to the next 01-01 00:00 local."""
    t0 = datetime(year, 1, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8)
    t1 = datetime(year + 1, 1, 1, 0, tzinfo=timezone.utc) - timedelta(hours=8)
    return t0, t1


def read_registry(path):
    """{code: (city, is_assessment)} of a registry CSV (lantian-model registry.rs columns). The
    generator writes the city into `district_zh`; a city's value is formed from its urban and
    suburban (assessment) stations (station.rs `is_assessment`, `--stations assessment`)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "code" not in rows[0] or "district_zh" not in rows[0]:
        raise SystemExit(f"{path}: not a Lantian registry CSV (needs code, district_zh, role)")
    return {r["code"].strip(): (r["district_zh"].strip(),
                                r.get("role", "").strip() in ("urban", "suburban"))
            for r in rows}


# ---------------------------------------------------------------------------------------------
# Ingest counts: what `lantian sql "SELECT variable, averaging, flag, count(*) AS n,
# sum(value) AS s FROM current GROUP BY 1,2,3" --format csv` prints, for the cross-check.

COUNT_COLUMNS = ["variable", "averaging", "flag", "n", "s"]


def write_counts(rows, path):
    """rows: (variable, averaging, flag, n, s). Written sorted, and printed."""
    rows = sorted(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COUNT_COLUMNS)
        for v, a, fl, n, s in rows:
            w.writerow([v, a, fl, int(n), repr(float(s))])
    total = sum(int(r[3]) for r in rows)
    print(f"{total:,} values stored; per variable, averaging and flag:")
    for v, a, fl, n, s in rows:
        print(f"  {v:<6} {a:<11} {fl:<9} {int(n):>13,}  sum {float(s):.6g}")
    print(f"counts: {path}")


def default_counts_path(out):
    return out.rstrip("/\\") + ".counts.csv"


# ---------------------------------------------------------------------------------------------
# The annual CSV of `lantian assess annual --format csv` (lantian-cli assess.rs `annual`).

# (pollutant, statistic, day-value column, percentile or None), in the CSV's order.
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
# The daily values of a station or city day (lantian-assess stats.rs `DayValues`).
DAY_COLS = ["so2", "no2", "co", "pm10", "pm25", "o3_mda8", "o3_max_1h"]
# GB 3095-2012 class II: the composite-index denominators, in the order of the sum
# (lantian-assess composite.rs).
COMPOSITE = [("so2_mean", 60.0), ("no2_mean", 40.0), ("pm10_mean", 70.0), ("pm25_mean", 35.0),
             ("co_p95", 4.0), ("o3_p90", 160.0)]

# GB 3095 Table 4 (lantian-assess validity.rs, moving.rs).
DAILY_MIN_HOURS = 20
O3_8H_MIN_HOURS = 6
MDA8_MIN_WINDOWS = 14
ANNUAL_MIN_DAYS = 324
MONTH_MIN_DAYS = 27
FEBRUARY_MIN_DAYS = 25

EPS = 1e-9  # lantian-aqi rounding.rs DECIMAL_EPS

# HJ 633-2012 Table 1, IAQI column and breakpoints (lantian-aqi hj633.rs).
IAQI = [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0]
# Real-time report with CNEMC's practice (`--pm-1h`, batch.rs `realtime_aqi`): the six 1-h
# values; PM 1-h values rated on the 24-h table. SO2 1-h above 800 is not rated (Table 1 note 2;
# the 24-h fallback needs the 24-h value, which the six 1-h columns do not hold); every other
# value above its table is rated 500 (hj633.rs `AboveTable`).
REALTIME_BP = {
    "SO2": [0.0, 150.0, 500.0, 650.0, 800.0],
    "NO2": [0.0, 100.0, 200.0, 700.0, 1200.0, 2340.0, 3090.0, 3840.0],
    "CO": [0.0, 5.0, 10.0, 35.0, 60.0, 90.0, 120.0, 150.0],
    "O3": [0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
    "PM10": [0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0],
    "PM2.5": [0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0],
}
# Daily report (lantian-assess days.rs `daily_aqi`, Edition 2012): 24-h means, O3 MDA8 and O3
# daily maximum 1-h; O3 8-h above 800 is not rated (Table 1 note 3: O3 is then rated on 1-h).
DAILY_BP = {
    "so2": [0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0],
    "no2": [0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0],
    "co": [0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0],
    "pm10": [0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0],
    "pm25": [0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0],
    "o3_mda8": [0.0, 100.0, 160.0, 215.0, 265.0, 800.0],
    "o3_max_1h": [0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
}
# The GB/T 8170 input rounding of HJ 633 (hj633.rs `input_decimals`): CO to 0.1 mg/m3, the rest
# to integers.
DECIMALS = {k: 1 if k.lower() == "co" else 0 for k in [*REALTIME_BP, *DAILY_BP]}


def col_name(pollutant, stat):
    return f"{pollutant.lower().replace('.', '')}_{stat}"


def header():
    h = ["year", "entity", "stations"]
    for p, s, _, _ in STATS:
        n = col_name(p, s)
        h += [n, f"{n}_published", f"{n}_valid_days", f"{n}_rule_met"]
    return h + ["valid_days"] + LEVELS + ["composite", "dust_days"]


def main(doc, ingest, aqi, assess, ingested_is):
    """The command line shared by the pipelines: `ingest`, `aqi`, `assess`, each stage one process.
    `ingested_is` says what `ingest --out` writes (a file or a folder of Parquet files)."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    sub = ap.add_subparsers(dest="stage", required=True)
    p = sub.add_parser("ingest", help="CNEMC daily files -> long Parquet and counts")
    p.add_argument("--input", required=True, help="folder of china_sites_YYYYMMDD.csv")
    p.add_argument("--out", required=True, help=f"the {ingested_is} to write")
    p.add_argument("--counts", help="counts CSV (default: OUT.counts.csv)")
    p.set_defaults(run=ingest)
    p = sub.add_parser("aqi", help="hourly real-time AQI of every station-hour")
    p.add_argument("--ingested", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=int, help="only the hours of this year's natural days")
    p.set_defaults(run=aqi)
    p = sub.add_parser("assess", help="annual assessment of every station and city")
    p.add_argument("--ingested", required=True)
    p.add_argument("--registry", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=assess)
    a = ap.parse_args()
    a.run(a)
