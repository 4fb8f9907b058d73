#!/usr/bin/env python3
"""Surface-water classes and grades recomputed in pandas, independently of Lantian's code.

    python3 water_recompute.py --sections S.csv --auto F1 [F2 ...] [--grab G1 ...]
                               --year 2024 --classes CLASSES.csv --grades GRADES.csv

Rules (GB 3838-2002 Table 1, single factor; MEE assessment method 2011):
- valid reading: automatic row status 正常, cell not `--`; grab flag ok, doubtful or empty;
  value >= 0. `<L` (below detection) counts as L/2, `ND` counts for completeness only.
- 21 counted items: Table 1 without water temperature, total nitrogen, faecal coliforms.
- monthly mean per section and item: automatic readings when n*4 >= 6*days*3, else the
  month's grab samples; a plain left-to-right sum in time order divided by the count, kept to
  ten significant digits (halves away from zero).
- annual mean: mean of the monthly means, needs 8 months.
- section class: worst item class; grade of >= 5 sections by shares of I-III and 劣V.
"""
import argparse
import calendar
import math
import sys

try:
    import pandas as pd
except ImportError:
    print("pandas is not installed", file=sys.stderr)
    sys.exit(3)

NAN = float("nan")
# GB 3838-2002 Table 1, classes I..V, mg/L. DO is a lower bound; pH is 6-9 for every class.
LIMITS = {
    "DO": (7.5, 6, 5, 3, 2), "CODMn": (2, 4, 6, 10, 15), "COD": (15, 15, 20, 30, 40),
    "BOD5": (3, 3, 4, 6, 10), "NH3-N": (0.15, 0.5, 1.0, 1.5, 2.0),
    "TP": (0.02, 0.1, 0.2, 0.3, 0.4), "TP lake": (0.01, 0.025, 0.05, 0.1, 0.2),
    "Cu": (0.01, 1.0, 1.0, 1.0, 1.0), "Zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "F": (1.0, 1.0, 1.0, 1.5, 1.5), "Se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "As": (0.05, 0.05, 0.05, 0.1, 0.1), "Hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "Cd": (0.001, 0.005, 0.005, 0.005, 0.01), "Cr6+": (0.01, 0.05, 0.05, 0.05, 0.1),
    "Pb": (0.01, 0.01, 0.05, 0.05, 0.1), "CN": (0.005, 0.05, 0.2, 0.2, 0.2),
    "phenol": (0.002, 0.002, 0.005, 0.01, 0.1), "oil": (0.05, 0.05, 0.05, 0.5, 1.0),
    "LAS": (0.2, 0.2, 0.2, 0.3, 0.3), "S2-": (0.05, 0.1, 0.2, 0.5, 1.0),
}
COUNTED = {"pH", *LIMITS} - {"TP lake"}
AUTO = {"pH(无量纲)": "pH", "溶解氧(mg/L)": "DO", "高锰酸盐指数(mg/L)": "CODMn",
        "氨氮(mg/L)": "NH3-N", "总磷(mg/L)": "TP"}
NAMES = ["", "I", "II", "III", "IV", "V", "劣V"]
COLS = ["src", "section", "time", "item", "raw", "unit"]


def number(s):
    try:
        x = float(s)
    except ValueError:
        return NAN
    return x if abs(x) != float("inf") else NAN


def read(paths):
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig") for p in paths]
    return pd.concat(frames, ignore_index=True) if frames else None


def readings(a, code):
    """Valid readings of counted items: section, time, item, v (L/2 if below, NaN if ND), lod."""
    parts = []
    auto = read(a.auto)
    if auto is not None:
        auto = auto[auto["站点情况"] == "正常"].rename(
            columns={"断面名称": "section", "监测时间": "time"})
        auto = auto.melt(["section", "time"], list(AUTO), var_name="item", value_name="raw")
        parts.append(auto.assign(src="auto", section=auto.section.map(code),
                                 item=auto.item.map(AUTO), unit=""))
    grab = read(a.grab)
    if grab is not None:
        grab = grab[grab.flag.isin(["ok", "doubtful", ""])]
        parts.append(grab.assign(src="grab", item=grab.item.str.removeprefix("water."),
                                 raw=grab.value))
    r = pd.concat(parts, ignore_index=True)[COLS] if parts else pd.DataFrame(columns=COLS)
    r["time"] = pd.to_datetime(r.time, format="%Y-%m-%d %H:%M", errors="coerce")
    r = r[r.section.notna() & r.item.isin(COUNTED) & (r.time.dt.year == a.year)]
    below, nd = r.raw.str.startswith("<"), r.raw == "ND"
    x = r.raw.str.removeprefix("<").map(number)
    x = x.where(~r.unit.isin(["ug/L", "µg/L", "μg/L"]), x / 1000)
    r = r.assign(v=x.where(~below, x / 2).where(~nd, NAN), lod=x.where(below, NAN))
    r = r[nd | (x >= 0)]
    return r.assign(month=r.time.dt.strftime("%Y-%m")).sort_values("time", kind="stable")


def significant(x):
    """x to ten significant digits, halves away from zero."""
    if x == 0 or not math.isfinite(x):
        return x
    k = 9 - math.floor(math.log10(abs(x)))
    if k >= 0:
        m = 10.0 ** k
        return math.copysign(math.floor(abs(x) * m + 0.5), x) / m
    m = 10.0 ** -k
    return math.copysign(math.floor(abs(x) / m + 0.5), x) * m


def mean_of(vs, lods):
    """(v, lod) of the mean of readings in time order: ND left out, all below L -> below max L."""
    x = [(v, l) for v, l in zip(vs, lods) if v == v]
    if not x:
        return NAN, NAN  # ND
    if all(l == l for _, l in x):
        top = max(l for _, l in x)
        return top / 2, top
    return significant(sum(v for v, _ in x) / len(x)), NAN


def means(df, keys):
    g = df.groupby(keys, sort=False).agg(n=("v", "size"), vs=("v", list), lods=("lod", list))
    m = [mean_of(vs, lods) for vs, lods in zip(g.vs, g.lods)]
    return g.drop(columns=["vs", "lods"]).assign(v=[v for v, _ in m], lod=[l for _, l in m])


def single_class(item, lake, v, lod):
    if v != v:
        return NAN  # ND
    lim = LIMITS.get("TP lake" if item == "TP" and lake else item)
    if lod == lod:  # below L: class I only when L itself meets class I
        return 1 if item not in ("pH", "DO") and lod <= lim[0] else NAN
    if item == "pH":
        return 1 if 6 <= v <= 9 else 6
    ok = [v >= l if item == "DO" else v <= l for l in lim]
    return ok.index(True) + 1 if True in ok else 6


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sections", required=True)
    ap.add_argument("--auto", nargs="*", default=[])
    ap.add_argument("--grab", nargs="*", default=[])
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--classes", required=True)
    ap.add_argument("--grades", required=True)
    a = ap.parse_args()
    sec = read([a.sections])
    if sec.name_zh.duplicated().any():
        sys.exit("sections.csv: a name_zh is used twice (automatic files name sections by it)")
    lake = dict(zip(sec.code, sec.body == "lake"))
    r = readings(a, dict(zip(sec.name_zh, sec.code)))

    # Monthly means: a complete automatic month wins, else the grab samples.
    m = means(r, ["section", "item", "month", "src"]).reset_index()
    days = m.month.map(lambda s: calendar.monthrange(int(s[:4]), int(s[5:]))[1])
    m = m[(m.src == "grab") | (m.n * 4 >= 6 * days * 3)].sort_values("src", kind="stable")
    m = m.drop_duplicates(["section", "item", "month"]).sort_values("month", kind="stable")
    y = means(m, ["section", "item"]).reset_index()
    y = y[y.n * 3 >= 12 * 2].assign(month=str(a.year))

    cls = pd.concat([m, y])
    cls["c"] = [single_class(i, lake[s], v, l)
                for s, i, v, l in zip(cls.section, cls.item, cls.v, cls.lod)]
    worst = cls.groupby(["section", "month"]).c.max()
    periods = pd.concat([r[["section", "month"]], r[["section"]].assign(month=str(a.year))])
    out = periods.drop_duplicates().join(worst, on=["section", "month"])
    out = out.assign(period=out.month,
                     **{"class": out.c.map(lambda c: NAMES[int(c)] if c == c else "")})
    out.sort_values(["section", "period"])[["section", "period", "class"]].to_csv(
        a.classes, index=False, lineterminator="\n")

    year_class = {s: c for (s, p), c in worst.items() if p == str(a.year)}
    annual = sec.assign(c=sec.code.map(year_class).astype(float), all="all")
    rows = []
    for level in ["province", "basin", "water", "all"]:
        for name, g in annual[annual[level] != ""].groupby(level):
            n, good, bad = g.c.notna().sum(), (g.c <= 3).sum(), (g.c == 6).sum()
            grade = ("" if n < 5 else "优" if good * 100 >= 90 * n
                     else "良好" if good * 100 >= 75 * n else "轻度污染" if bad * 100 < 20 * n
                     else "中度污染" if bad * 100 < 40 * n else "重度污染")
            rows.append((level, name, str(a.year), int(n), int(good), int(bad), grade))
    head = ["level", "name", "period", "sections", "good", "worse_than_v", "grade"]
    grades = pd.DataFrame(rows, columns=head).sort_values(["level", "name"])
    grades.to_csv(a.grades, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
