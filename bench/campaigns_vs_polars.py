#!/usr/bin/env python3
"""Progress against time of a plan's measures, in polars: a second, independent implementation
of the arithmetic of `lantian campaigns progress`, to check and time Lantian on a large plan.

    python bench/campaigns_vs_polars.py --measures M.csv --milestones S.csv --updates U.csv
                                        --as-of 2024-06-30 --out MEASURES.csv

Inputs (written by `lantian campaigns generate`): measures.csv (id, campaign, title_zh, title_en,
lead, partners, start, deadline, target, source; one row per measure), milestones.csv (measure,
milestone, name_zh, name_en, weight, due; one row per milestone, weight empty for 1, a measure
without rows has the one milestone "all", weight 1, no due date), joined on the measure, and
updates.csv (measure, milestone, date, percent, evidence, by; the order of the rows is the order of
recording). Writes one row per measure (measure, done, expected, time_elapsed, status, finished),
shares to six decimals, and prints the wall time of the whole run as `polars_seconds=<float>`.

The rules reproduced (docs/campaigns.md):
- a milestone's share on the date is its latest report on or before it (of one day's reports,
  the later row); 0 without one;
- work done = sum(weight * share) / sum(weight); time elapsed = days from the start through the
  date / days from the start through the deadline, both ends counted, 0 before the start and 1
  from the deadline; work expected = the weight share of milestones due by the date when every
  milestone has a due date, else the time elapsed;
- done when every milestone's latest share is 100, dated by the first report of the last run at
  100 of each milestone (the latest of those); done early / on time / late against the deadline;
  else upcoming before the start, overdue after the deadline, behind when done < expected, else
  on schedule; done and expected closer than 1e-9 are equal.
"""
import argparse
import time
from datetime import date

import polars as pl

# Shares closer than this are equal (the two sums behind done and expected differ in the last bit).
SHARE_TOLERANCE = 1e-9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--measures", required=True)
    ap.add_argument("--milestones", required=True)
    ap.add_argument("--updates", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    as_of = date.fromisoformat(a.as_of)
    measures = pl.read_csv(
        a.measures, columns=["id", "start", "deadline"],
        schema_overrides={"id": pl.Utf8, "start": pl.Utf8, "deadline": pl.Utf8},
    ).rename({"id": "measure"})
    milestones = pl.read_csv(
        a.milestones, columns=["measure", "milestone", "weight", "due"],
        schema_overrides={"measure": pl.Utf8, "milestone": pl.Utf8, "weight": pl.Float64,
                          "due": pl.Utf8},
    )
    # The plan flattened one row per milestone, in the order of the measures and of their
    # milestones; a measure without milestone rows has "all", weight 1, no due date.
    ms = (
        measures.with_row_index("measure_order")
        .join(milestones.with_row_index("milestone_order"), on="measure", how="left")
        .sort(["measure_order", "milestone_order"])
        .drop("measure_order", "milestone_order")
        .with_columns(
            pl.col("milestone").fill_null("all"),
            pl.col("weight").fill_null(1.0),
            pl.col("start").str.to_date(), pl.col("deadline").str.to_date(),
            pl.col("due").str.to_date(strict=False),
        )
    )
    ups = (
        pl.read_csv(a.updates, columns=["measure", "milestone", "date", "percent"],
                    schema_overrides={"measure": pl.Utf8, "milestone": pl.Utf8,
                                      "percent": pl.Float64})
        .with_row_index("k")
        .with_columns(pl.col("date").str.to_date())
        .filter(pl.col("date") <= as_of)
        .sort(["date", "k"])
        .with_row_index("rank")
    )
    g = ups.group_by(["measure", "milestone"])
    latest = g.agg(pl.col("percent").last().alias("percent"))
    below = (ups.filter(pl.col("percent") < 100).group_by(["measure", "milestone"])
             .agg(pl.col("rank").max().alias("last_below")))
    full = (
        ups.filter(pl.col("percent") >= 100)
        .join(below, on=["measure", "milestone"], how="left")
        .filter(pl.col("last_below").is_null() | (pl.col("rank") > pl.col("last_below")))
        .group_by(["measure", "milestone"])
        .agg(pl.col("date").min().alias("full_since"))
    )
    x = (
        ms.with_row_index("order")
        .join(latest, on=["measure", "milestone"], how="left")
        .join(full, on=["measure", "milestone"], how="left")
        .with_columns(
            pl.col("percent").fill_null(0.0),
            # full_since counts only while the latest share is 100.
            pl.when(pl.col("percent") >= 100).then(pl.col("full_since")).alias("full_since"),
        )
    )
    days = lambda a_, b_: (b_ - a_).dt.total_days() + 1
    per = (
        x.group_by("measure", maintain_order=True)
        .agg(
            pl.col("order").first(),
            pl.col("start").first(), pl.col("deadline").first(),
            (pl.col("weight") * pl.col("percent") / 100.0).sum().alias("wp"),
            pl.col("weight").sum().alias("w"),
            pl.col("due").is_not_null().all().alias("all_due"),
            pl.when(pl.col("due") <= as_of).then(pl.col("weight")).otherwise(0.0).sum().alias("w_due"),
            pl.col("full_since").is_not_null().all().alias("all_full"),
            pl.col("full_since").max().alias("last_full"),
        )
        .sort("order")
        .with_columns(
            (pl.col("wp") / pl.col("w")).clip(0.0, 1.0).alias("done"),
            pl.when(pl.lit(as_of) < pl.col("start")).then(0.0)
            .when(pl.lit(as_of) >= pl.col("deadline")).then(1.0)
            .otherwise(days(pl.col("start"), pl.lit(as_of)) / days(pl.col("start"), pl.col("deadline")))
            .alias("time_elapsed"),
            pl.when(pl.col("all_full")).then(pl.col("last_full")).alias("finished"),
        )
        .with_columns(
            pl.when(pl.col("all_due")).then(pl.col("w_due") / pl.col("w"))
            .otherwise(pl.col("time_elapsed")).alias("expected"),
        )
        .with_columns(
            pl.when(pl.col("finished") < pl.col("deadline")).then(pl.lit("done_early"))
            .when(pl.col("finished") == pl.col("deadline")).then(pl.lit("done_on_time"))
            .when(pl.col("finished").is_not_null()).then(pl.lit("done_late"))
            .when(pl.lit(as_of) < pl.col("start")).then(pl.lit("upcoming"))
            .when(pl.lit(as_of) > pl.col("deadline")).then(pl.lit("overdue"))
            .when(pl.col("done") + SHARE_TOLERANCE < pl.col("expected")).then(pl.lit("behind"))
            .otherwise(pl.lit("on_schedule")).alias("status")
        )
    )
    out = per.select(
        "measure",
        pl.col("done").map_elements(lambda v: f"{v:.6f}", return_dtype=pl.Utf8),
        pl.col("expected").map_elements(lambda v: f"{v:.6f}", return_dtype=pl.Utf8),
        pl.col("time_elapsed").map_elements(lambda v: f"{v:.6f}", return_dtype=pl.Utf8),
        "status",
        pl.col("finished").cast(pl.Utf8),
    )
    out.write_csv(a.out)
    print(f"polars_seconds={time.perf_counter() - t0:.3f}")


if __name__ == "__main__":
    main()
