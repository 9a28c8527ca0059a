"""Robust z-scores of rates across the reports of one run, for RANGE003.

A rate is compared with the same rate (family and metric) in the other reports of the run:
z = (value - median) / spread, where the median and the spread are taken over one value per
report (the median of what that report states), so a report that repeats its figure, or its
whole body, does not weigh more. The spread is 1.4826 x the median absolute deviation, which
estimates the standard deviation of normal data without being moved by the outliers it is
looking for; where more than half the reports state the same value (出庭应诉率100%) the MAD is
0, and 1.2533 x the mean absolute deviation stands in for it (Iglewicz and Hoaglin's rule).

Only the columns are computed here; facts.json decides, with the suite parameter
robust_z_max, how far is too far.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from auditor.columns import OUTLIER_COLUMNS

MAD_SCALE = 1.4826      # MAD x this estimates the standard deviation of normal data
MEAN_AD_SCALE = 1.2533  # the same for the mean absolute deviation, used when the MAD is 0
_NOT_COMPARABLE_METRICS = ("", "share")  # 占比: shares of different wholes are different quantities


def robust_z(facts: pd.DataFrame, min_reports: int) -> pd.DataFrame:
    """One row per fact with OUTLIER_COLUMNS; NaN where the fact is no rate, or fewer than
    min_reports reports of the run state its family and metric."""
    columns = pd.DataFrame(math.nan, index=facts.index, columns=list(OUTLIER_COLUMNS))
    rates = facts[facts["kind"] == "rate"]
    eligible = ((rates["family"] != "") & ~rates["metric"].isin(_NOT_COMPARABLE_METRICS)
                & np.isfinite(rates["value_num"].to_numpy(dtype=float)))
    for _, group in rates[eligible].groupby(["family", "metric"], sort=False):
        per_report = group.groupby("report")["value_num"].median()
        if len(per_report) < min_reports:
            continue
        median = float(per_report.median())
        deviations = (per_report - median).abs()
        spread = MAD_SCALE * float(deviations.median()) or MEAN_AD_SCALE * float(deviations.mean())
        z = (group["value_num"] - median) / spread if spread else group["value_num"] * 0.0
        z = z.round(2)
        columns.loc[group.index, "robust_z"] = z
        columns.loc[group.index, "robust_z_abs"] = z.abs()
        columns.loc[group.index, "outlier_median"] = round(median, 4)
        columns.loc[group.index, "outlier_spread"] = round(spread, 2)
        columns.loc[group.index, "outlier_reports"] = len(per_report)
    return columns
