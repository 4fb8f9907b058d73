#!/usr/bin/env python3
"""GB 15618-2018 categories of the Hunan cropland cadmium samples, recomputed in pandas,
independently of Lantian's code.

    python3 soil_recompute.py --hunan pri_Cd_data.csv --out categories.csv

Writes `sample,land_use,ph,cd,category`, one row a sample in file order; a sample is its row
number from 1, as Lantian numbers the rows of a set without identifiers.

Rules, typed from standards/soil-china.md section 2 (GB 15618-2018):
- the file: a title line and a unit line before the column names; SoilCdtot is total soil
  cadmium in mg/kg, pH has no unit;
- land: Paddy is the paddy row of Table 1; Upland is dry cropland, the "other" row;
- pH bands, ends as written: pH <= 5.5, 5.5 < pH <= 6.5, 6.5 < pH <= 7.5, pH > 7.5;
- Table 1 Cd screening values (mg/kg): paddy 0.3 0.4 0.6 0.8, other 0.3 0.3 0.3 0.6;
- Table 3 Cd control values (mg/kg): 1.5 2.0 3.0 4.0;
- category: Cd <= screening value, priority protection; <= control value, safe utilisation;
  above it, strict control.
"""
import argparse
import sys

try:
    import pandas as pd
except ImportError:
    print("pandas is not installed", file=sys.stderr)
    sys.exit(3)

SCREENING = {"Paddy": (0.3, 0.4, 0.6, 0.8), "Upland": (0.3, 0.3, 0.3, 0.6)}
CONTROL = (1.5, 2.0, 3.0, 4.0)


def band(ph):
    return 0 if ph <= 5.5 else 1 if ph <= 6.5 else 2 if ph <= 7.5 else 3


def category(land, ph, cd):
    b = band(ph)
    if cd <= SCREENING[land][b]:
        return "priority_protection"
    if cd <= CONTROL[b]:
        return "safe_utilisation"
    return "strict_control"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hunan", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    units = pd.read_csv(a.hunan, skiprows=1, nrows=1, header=None).iloc[0].tolist()
    if units[4] != "mg/kg":
        sys.exit(f"{a.hunan}: SoilCdtot is in {units[4]!r}, not mg/kg")
    df = pd.read_csv(a.hunan, skiprows=2)
    df = df.assign(sample=range(1, len(df) + 1), ph=df["pH"], cd=df["SoilCdtot"])
    df["category"] = [category(l, p, c) for l, p, c in zip(df.land_use, df.ph, df.cd)]
    df[["sample", "land_use", "ph", "cd", "category"]].to_csv(
        a.out, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
