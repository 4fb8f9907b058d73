"""The EU ETS compliance-letter oracle in pandas: the same rules as lantian-carbon's
`eu_letters` (docs/carbon.md), written independently over whole columns.

    python oracle_pandas.py DATA_DIR OUT.csv

Reads the EUTL panel (installations, verified emissions, units surrendered, compliance codes),
recomputes A or B for every installation-year with a published letter, and writes
account_id,year,published,recomputed sorted by account and year.

Rules: the balance (surrendered minus verified emissions) is cumulative within a trading
period (2005-2007, 2008-2012, 2013-2020); a shortfall crosses into the next period, a surplus
does not, except that Bulgaria's 2005-2007 shortfall is not carried; from 2008 a starred year
with a partial surrender (0 < surrendered < emissions) counts its emissions as the surrender.
"Not Reported", "Excluded" and empty cells put no obligation on the balance.
"""

import sys

import numpy as np
import pandas as pd


def main(data: str, out: str) -> None:
    read = lambda f: pd.read_csv(f"{data}/{f}", dtype=str, keep_default_na=False).set_index("account_id")
    inst = pd.read_csv(f"{data}/installations.csv", dtype=str, keep_default_na=False).set_index("account_id")
    E, S, C = read("verified_emissions.csv"), read("units_surrendered.csv"), read("compliance_code.csv")
    years = [c for c in C.columns if 2005 <= int(c) <= 2020]
    idx = inst.index
    num = lambda df: df.reindex(idx)[years].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    e, s = num(E), num(S)
    code = C.reindex(idx)[years].fillna("")
    star = code.apply(lambda c: c.str.endswith("*"))
    bulgaria = (inst["country"] == "BG").to_numpy()
    bal = np.zeros(len(idx))
    pred = {}
    for y in years:
        yi = int(y)
        if yi in (2008, 2013):
            bal = np.minimum(bal, 0.0)
            if yi == 2008:
                bal[bulgaria] = 0.0
        ey, sy = e[y].to_numpy(), s[y].to_numpy()
        if yi >= 2008:
            fix = star[y].to_numpy() & (sy > 0) & (sy < ey)
            ey = np.where(fix, sy, ey)
        bal = bal + sy - ey
        pred[y] = np.where(bal >= 0, "A", "B")
    pred = pd.DataFrame(pred, index=idx)
    long = pd.DataFrame(
        {
            "published": code.stack(),
            "recomputed": pred.stack(),
        }
    ).reset_index()
    long.columns = ["account_id", "year", "published", "recomputed"]
    long = long[long["published"] != ""]
    order = pd.Series(range(len(idx)), index=idx)
    long = long.assign(_o=order.reindex(long["account_id"]).to_numpy(), year=long["year"].astype(int))
    long = long.sort_values(["_o", "year"]).drop(columns="_o")
    long.to_csv(out, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
