"""Whole-number feasibility (RATE002, CONS002), robust z-scores across reports (RANGE003), and
what the new consistency rules find in the sample reports.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from auditor.frames.outliers import robust_z
from auditor.extract.feasibility import base_for_rate, previous_for_change

F = Fraction


# --- rates without a base ---------------------------------------------------------------------

@pytest.mark.parametrize("numerator, lo, hi, feasible, whole", [
    (900, F("66.885"), F("66.895"), False, 1345),   # 1345.39–1345.59
    (145, F("59.665"), F("59.675"), True, 243),     # 145 / 243 = 59.671%
    (3, F("39.5"), F("40.5"), False, 8),             # 3/7 = 42.9%, 3/8 = 37.5%: 8 comes nearer 40
    (3, F("37.5"), F("37.5"), True, 8),              # a boundary is inside
    (38, F("99.5"), F("100.5"), True, 38),           # 100%: the base is the numerator itself
])
def test_base_for_rate(numerator, lo, hi, feasible, whole):
    solution = base_for_rate(numerator, lo, hi)
    assert solution.feasible == feasible
    assert solution.whole == whole
    assert (lo <= solution.achieved <= hi) == feasible
    assert solution.achieved == Fraction(100 * numerator, whole)


@pytest.mark.parametrize("numerator, lo, hi", [(0, F(1), F(2)), (5, F(0), F(1)), (5, F(-1), F(1))])
def test_no_base_is_pinned_down_by_a_zero(numerator, lo, hi):
    assert base_for_rate(numerator, lo, hi) is None


# --- changes of a whole count -----------------------------------------------------------------

@pytest.mark.parametrize("level, lo, hi, rising, feasible, whole", [
    (2, F("94.05"), F("94.15"), False, True, 34),    # 33.61–34.19
    (3, F("39.5"), F("40.5"), False, True, 5),       # exactly 5 -> 3
    (7, F("66.65"), F("66.75"), True, False, 4),     # 4.197–4.200: 4 gives 75%, 5 gives 40%
    (40, F("9.5"), F("10.5"), True, False, 36),      # 36 gives 11.1%
    (2189, F("4.75"), F("4.85"), False, True, 2299),  # 2298.16–2300.58: the middle
])
def test_previous_for_change(level, lo, hi, rising, feasible, whole):
    solution = previous_for_change(level, lo, hi, rising)
    assert solution.feasible == feasible
    assert solution.whole == whole
    assert solution.lo <= solution.hi
    assert (lo <= solution.achieved <= hi) == feasible


def test_a_fall_of_100_percent_or_more_is_not_decided():
    assert previous_for_change(5, F(99), F(101), rising=False) is None
    assert previous_for_change(0, F(10), F(11), rising=True) is None


# --- robust z across reports ------------------------------------------------------------------

def _rates(values: dict[str, list[float]], family="people_mediation", metric="success_rate") -> pd.DataFrame:
    rows = [{"report": report, "kind": "rate", "family": family, "metric": metric, "value_num": v}
            for report, vs in values.items() for v in vs]
    return pd.DataFrame(rows)


def test_robust_z_marks_the_far_rate():
    facts = _rates({"a": [98.2], "b": [97.6], "c": [98.9], "d": [97.1], "e": [58.5]})
    z = robust_z(facts, min_reports=5)
    assert z["outlier_median"].tolist() == [97.6] * 5
    assert z["outlier_reports"].tolist() == [5] * 5
    assert z["robust_z_abs"].iloc[4] > 3.5 > z["robust_z_abs"].iloc[:4].max()
    assert z["robust_z"].iloc[4] < 0


def test_robust_z_needs_enough_reports_and_counts_each_report_once():
    four = _rates({"a": [98.2], "b": [97.6], "c": [98.9], "d": [58.5, 58.5, 58.5]})
    assert robust_z(four, min_reports=5)["robust_z"].isna().all()
    assert robust_z(four, min_reports=4)["outlier_reports"].iloc[0] == 4


def test_robust_z_falls_back_on_the_mean_deviation_when_most_agree():
    facts = _rates({r: [100.0] for r in "abcde"} | {"f": [85.0]}, "administrative_litigation", "appearance_rate")
    z = robust_z(facts, min_reports=5)
    spread = 1.2533 * 15 / 6
    assert z["outlier_spread"].iloc[0] == pytest.approx(spread, abs=0.01)
    assert z["robust_z"].iloc[5] == pytest.approx(-15 / spread, abs=0.01)
    all_equal = robust_z(_rates({r: [100.0] for r in "abcde"}), min_reports=5)
    assert (all_equal["robust_z"] == 0).all()


def test_robust_z_leaves_shares_counts_and_unnamed_rates_alone():
    facts = pd.concat([
        _rates({r: [95.0] for r in "abcd"} | {"e": [20.0]}, "enforcement", "share"),
        _rates({r: [95.0] for r in "abcd"} | {"e": [20.0]}, "", "closure_rate"),
    ], ignore_index=True)
    assert robust_z(facts, min_reports=5)["robust_z"].isna().all()
    facts["kind"] = "count"
    assert robust_z(facts, min_reports=5)["robust_z"].isna().all()
    assert math.isnan(robust_z(facts.iloc[:0], min_reports=5).reindex([0])["robust_z"].iloc[0])


# --- the sample reports -----------------------------------------------------------------------

NEW_RULES = ("CONS001", "CONS002", "RATE002", "RATE003", "RANGE003")


def test_seeds_gaoyou_restates_its_villages(seed_audit):
    """003 Gaoyou 2020: 220个村(社区) in one place, 全市224个村(社区) in another; nothing else of
    the new rules fires on the seeds (their changes and bases all have whole-number solutions)."""
    flags = [(f.report.rsplit("/", 1)[-1][:3], f.rule, f.message) for f in seed_audit.flags
             if f.rule in NEW_RULES]
    assert flags == [("003", "CONS001", "220个村(社区)与后文全市224个村(社区)不一致")]
    relations = seed_audit.frames.relations
    checked = relations[relations["op"].isin(["prior", "grim"])]
    assert set(checked["op"]) == {"prior", "grim"}
