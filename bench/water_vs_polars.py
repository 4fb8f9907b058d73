#!/usr/bin/env python3
"""Surface-water classes and grades (GB 3838-2002) in polars: a second, independent
implementation of the rules of `lantian water`, to check and time Lantian on national-size data.

    python bench/water_vs_polars.py --sections S.csv --auto F1 [F2 ...] [--grab G1 ...]
                                    --year 2024 --classes CLASSES.csv --grades GRADES.csv

Writes the same two CSVs as crates/lantian-cli/tests/water_recompute.py (pandas) and prints the
wall time of the whole run (read, classify, grade, write) as `polars_seconds=<float>`.

Inputs: sections.csv (code, name_zh, body river|lake, province, basin, water, ...); automatic
station files in the national network's layout (断面名称 = name_zh, 监测时间 Beijing time, `--`
missing, 站点情况 正常 or not); optional grab-sample long CSVs (section code, time, item `water.X`,
value number | `<L` | `ND`, unit mg/L | ug/L | ..., flag ok | doubtful | bad | empty).

The rules reproduced:
- valid reading: automatic row status 正常 and cell not `--`; grab flag ok, doubtful or empty;
  value >= 0. Automatic columns classed: pH, DO, CODMn, NH3-N, TP.
- counted items (section class): the 21 items of GB 3838 Table 1 other than water temperature,
  total nitrogen and faecal coliforms; TP has river and lake/reservoir limits.
- monthly mean per section, item and month: the automatic readings when complete
  (n*4 >= 6 readings a day * days * 3), else the month's grab samples (one is enough), else none.
  `<L` enters as L/2; `ND` counts for completeness only; all `<L` -> "below max L" (class I when
  L meets the class-I limit, else no class); all ND -> no class.
- single-factor class: best class whose limit the mean meets (DO a lower bound, pH 6-9 or 劣V),
  beyond class V 劣V; section class: the worst item class.
- annual: per item the mean of its monthly means (same treatment of "below" and ND), with at
  least 8 months; section class as above.
- grades per province, basin, water and all: none under 5 classed sections; I-III share >= 90 %
  优, >= 75 % 良好; else 劣V share < 20 % 轻度污染, < 40 % 中度污染, else 重度污染.

Means are kept to ten significant digits, halves away from zero, as the method's means are:
polars sums a group in its own order (and not always the same order from run to run), so the
last bits of a mean that sits exactly on a class limit differ from Lantian's left-to-right sum;
ten digits remove that noise. Everything must match exactly.
"""
import argparse
import time

import polars as pl

# GB 3838-2002 Table 1, classes I..V, mg/L. DO is a lower bound; pH is 6-9 for every class.
LIMITS = {
    "DO": (7.5, 6, 5, 3, 2), "CODMn": (2, 4, 6, 10, 15), "COD": (15, 15, 20, 30, 40),
    "BOD5": (3, 3, 4, 6, 10), "NH3-N": (0.15, 0.5, 1.0, 1.5, 2.0),
    "TP": (0.02, 0.1, 0.2, 0.3, 0.4), "Cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "Zn": (0.05, 1.0, 1.0, 2.0, 2.0), "F": (1.0, 1.0, 1.0, 1.5, 1.5),
    "Se": (0.01, 0.01, 0.01, 0.02, 0.02), "As": (0.05, 0.05, 0.05, 0.1, 0.1),
    "Hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001), "Cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "Cr6+": (0.01, 0.05, 0.05, 0.05, 0.1), "Pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "CN": (0.005, 0.05, 0.2, 0.2, 0.2), "phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "oil": (0.05, 0.05, 0.05, 0.5, 1.0), "LAS": (0.2, 0.2, 0.2, 0.3, 0.3),
    "S2-": (0.05, 0.1, 0.2, 0.5, 1.0),
}
TP_LAKE = (0.01, 0.025, 0.05, 0.1, 0.2)
COUNTED = ["pH", *LIMITS]
# Automatic columns used, by position (header text, name here); the others are not checked, so
# their unit signs (µ or μ in 电导率) do not matter.
AUTO_COLS = {2: ("断面名称", "name"), 3: ("监测时间", "time"), 6: ("pH(无量纲)", "pH"),
             7: ("溶解氧(mg/L)", "DO"), 10: ("高锰酸盐指数(mg/L)", "CODMn"),
             11: ("氨氮(mg/L)", "NH3-N"), 12: ("总磷(mg/L)", "TP"), 16: ("站点情况", "status")}
AUTO_WIDTH = 17
NAMES = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "劣V"}
KEYS = ["section", "item", "month"]
MONTH = pl.col("time").str.slice(0, 7).alias("month")


def in_year(year):
    """Rows of `year` with a well-formed time."""
    return pl.col("time").str.to_datetime("%Y-%m-%d %H:%M", strict=False).dt.year() == year


def read_strings(path):
    return pl.read_csv(path, infer_schema=False).with_columns(pl.all().fill_null(""))


def auto_monthly(paths, sections, year):
    """Monthly sums of the valid automatic readings, one row per section, item and month with a
    reading: n, v = mean (no `<L` nor ND in these files). Summing before going long keeps the
    long frame small (2,000 sections: 120,000 rows instead of 20 million)."""
    with open(paths[0], encoding="utf-8-sig") as f:
        header = f.readline().rstrip("\r\n").split(",")
    if len(header) != AUTO_WIDTH or any(header[i] != n for i, (n, _) in AUTO_COLS.items()):
        raise SystemExit(f"{paths[0]}: not the automatic-station layout: {header}")
    items = [AUTO_COLS[i][1] for i in (6, 7, 10, 11, 12)]
    schema = {h: pl.Float64 if AUTO_COLS.get(i, ("", ""))[1] in items else pl.String
              for i, h in enumerate(header)}
    valid = lambda c: pl.col(c).filter((pl.col(c) >= 0) & pl.col(c).is_finite())  # noqa: E731
    sums = (pl.scan_csv(paths, schema=schema, null_values="--")
            .rename({AUTO_COLS[i][0]: AUTO_COLS[i][1] for i in AUTO_COLS})
            .filter(pl.col("status") == "正常", in_year(year))
            .join(sections.lazy().select("name", "section"), on="name")
            .group_by("section", MONTH)
            .agg([e for i in items for e in (valid(i).count().alias(f"n {i}"),
                                             valid(i).sum().alias(f"s {i}"))]))
    return (pl.concat([sums.select("section", pl.lit(i).alias("item"), "month",
                                   pl.lit(0).alias("src"), pl.col(f"n {i}").alias("n"),
                                   significant(pl.col(f"s {i}") / pl.col(f"n {i}")).alias("v"),
                                   pl.lit(None, pl.Float64).alias("lod"))
                       for i in items])
            .filter(pl.col("n") > 0))


def grab_readings(paths, sections, year):
    """Valid grab readings of counted items: v = value in mg/L (L/2 if below L, null if ND)."""
    g = pl.concat([read_strings(p) for p in paths])
    raw = pl.col("value")
    nd, below = raw == "ND", raw.str.starts_with("<")
    x = raw.str.strip_prefix("<").cast(pl.Float64, strict=False)
    x = pl.when(pl.col("unit").is_in(["ug/L", "µg/L", "μg/L"])).then(x / 1000).otherwise(x)
    return (g.lazy()
            .filter(pl.col("flag").is_in(["ok", "doubtful", ""]))
            .with_columns(pl.col("item").str.strip_prefix("water."))
            .filter(pl.col("item").is_in(COUNTED), nd | ((x >= 0) & x.is_finite()), in_year(year))
            .join(sections.lazy().select("section"), on="section", how="semi")
            .select("section", MONTH, "item",
                    pl.when(nd).then(None).when(below).then(x / 2).otherwise(x).alias("v"),
                    pl.when(below).then(x).alias("lod"), pl.lit(1).alias("src")))


def significant(v):
    """v to ten significant digits, halves away from zero (every classed value is < 1e10)."""
    m = pl.lit(10.0).pow(9 - v.abs().log10().floor())
    return pl.when(v == 0).then(v).otherwise((v * m).round(0, mode="half_away_from_zero") / m)


def mean_of():
    """Group means: ND (null v) left out; every reading below L -> v = max L / 2, lod = max L."""
    m, k, top = pl.col("v").count(), pl.col("lod").count(), pl.col("lod").max()
    return [pl.len().alias("n"),
            pl.when(m == 0).then(None).when(k == m).then(top / 2)
            .otherwise(significant(pl.col("v").sum() / m)).alias("v"),
            pl.when((m > 0) & (k == m)).then(top).alias("lod")]


def single_class():
    v, lod, item = pl.col("v"), pl.col("lod"), pl.col("item")
    lim = [pl.col(f"l{k}") for k in range(1, 6)]
    up, do = pl.lit(6), pl.lit(6)
    for k in range(5, 0, -1):
        up = pl.when(v <= lim[k - 1]).then(k).otherwise(up)
        do = pl.when(v >= lim[k - 1]).then(k).otherwise(do)
    return (pl.when(v.is_null()).then(None)
            .when(lod.is_not_null())
            .then(pl.when(~item.is_in(["pH", "DO"]) & (lod <= lim[0])).then(1))
            .when(item == "pH").then(pl.when((v >= 6) & (v <= 9)).then(1).otherwise(6))
            .when(item == "DO").then(do)
            .otherwise(up)
            .cast(pl.Int32).alias("c"))


def grade(n, good, bad):
    return (pl.when(n < 5).then(pl.lit(None, pl.String))
            .when(good * 100 >= 90 * n).then(pl.lit("优"))
            .when(good * 100 >= 75 * n).then(pl.lit("良好"))
            .when(bad * 100 < 20 * n).then(pl.lit("轻度污染"))
            .when(bad * 100 < 40 * n).then(pl.lit("中度污染"))
            .otherwise(pl.lit("重度污染")))


def run(a):
    sec = read_strings(a.sections).rename({"code": "section", "name_zh": "name"})
    if sec["name"].is_duplicated().any():
        raise SystemExit("sections.csv: a name_zh is used twice (automatic files name sections "
                         "by it)")
    # Means per section, item, month and source (automatic 0, grab 1).
    parts = []
    if a.auto:
        parts.append(auto_monthly(a.auto, sec, a.year))
    if a.grab:
        parts.append(grab_readings(a.grab, sec, a.year).group_by(*KEYS, "src").agg(mean_of()))
    if not parts:
        raise SystemExit("no --auto and no --grab files")
    r = pl.concat(parts, how="vertical_relaxed").collect()

    # Monthly means: a complete automatic month wins, else the grab samples.
    days = pl.concat_str(pl.col("month"), pl.lit("-01")).str.to_date().dt.month_end().dt.day()
    m = (r.lazy()
         .filter((pl.col("src") == 1) | (pl.col("n") * 4 >= 6 * days.cast(pl.Int64) * 3))
         .filter(pl.col("src") == pl.col("src").min().over(KEYS)))
    y = (m.group_by("section", "item").agg(mean_of())
         .filter(pl.col("n") * 3 >= 12 * 2).with_columns(pl.lit(str(a.year)).alias("month")))

    limits = pl.DataFrame(
        [(i, lake, *(TP_LAKE if i == "TP" and lake else LIMITS.get(i, (None,) * 5)))
         for i in COUNTED for lake in (False, True)],
        schema=["item", "lake", "l1", "l2", "l3", "l4", "l5"], orient="row")
    lake = sec.lazy().select("section", (pl.col("body") == "lake").alias("lake"))
    worst = (pl.concat([m.select(*KEYS, "v", "lod"), y.select(*KEYS, "v", "lod")])
             .join(lake, on="section").join(limits.lazy(), on=["item", "lake"])
             .with_columns(single_class())
             .group_by("section", "month").agg(pl.col("c").max()))
    periods = pl.concat([r.lazy().select("section", "month"),
                         r.lazy().select("section", pl.lit(str(a.year)).alias("month"))]).unique()
    classes = (periods.join(worst, on=["section", "month"], how="left")
               .select("section", pl.col("month").alias("period"),
                       pl.col("c").replace_strict(NAMES, default=None, return_dtype=pl.String)
                       .alias("class"))
               .sort("section", "period"))

    annual = (sec.lazy().with_columns(pl.lit("all").alias("all"))
              .join(worst.filter(pl.col("month") == str(a.year)), on="section", how="left"))
    c = pl.col("c")
    per_level = [annual.filter(pl.col(level) != "")
                 .group_by(pl.col(level).alias("name"))
                 .agg(c.count().alias("sections"), (c <= 3).sum().alias("good"),
                      (c == 6).sum().alias("worse_than_v"))
                 .select(pl.lit(level).alias("level"), "name", pl.lit(str(a.year)).alias("period"),
                         "sections", "good", "worse_than_v",
                         grade(pl.col("sections"), pl.col("good"), pl.col("worse_than_v"))
                         .alias("grade"))
                 for level in ("province", "basin", "water", "all")]
    grades = pl.concat(per_level).sort("level", "name")
    classes, grades = pl.collect_all([classes, grades])
    classes.write_csv(a.classes)
    grades.write_csv(a.grades)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sections", required=True)
    ap.add_argument("--auto", nargs="*", default=[])
    ap.add_argument("--grab", nargs="*", default=[])
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--classes", required=True)
    ap.add_argument("--grades", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    run(a)
    print(f"polars_seconds={time.perf_counter() - t0:.3f}")


if __name__ == "__main__":
    main()
