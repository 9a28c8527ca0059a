"""Year-over-year statements against the previous year's report of the same issuer (CONS003).

A report that says 全年受理行政复议案件58件,同比下降4.8% implies last year's count. When last
year's report of the same body and kind is known (in the run or in the history store:
frames/across_years.py links them), and it states the metric (family and metric of
vocabulary.yaml) with one value only, the stated change is checked against the two reports'
figures, each as its interval:

    rise: level / last - 1        fall: 1 - level / last        (a change in %)
    rise: level - last            fall: last - level            (个百分点, or a count or amount)

A metric last year's report states with different values (a total and a district's share of it
under the same words) is ambiguous and left alone, as is a change not read right after its level
(the change reader records its direction only then). The rows join the relations frame with op "yoy";
the flag quotes both reports, the earlier one's quote naming its report.
"""

from __future__ import annotations

import math

import pandas as pd

from auditor.frames.rows import row_dicts


CHANGE_OPS = ("change", "prior")
_LABEL_CHARS = 14


def yoy_row(relation, change: pd.Series, level: pd.Series, last: dict, last_year: int,
            last_quote: dict) -> dict | None:
    """The yoy relation row (RELATION_FIELDS, relation_id to be set) of a change and its level,
    checked against last year's figure of the same metric; None when it cannot be computed."""
    rising = relation.direction == "rise"
    computed = _implied_change(level, last, change["unit"], rising)
    if computed is None:
        return None
    return {
        "report": relation.report, "relation_id": 0, "op": "yoy", "source": "yoy",
        "family": relation.family, "n_parts": 1, "stated_fact": relation.stated_fact,
        "part_facts": relation.part_facts,
        "stated_expr": f"{_named(level)}, {change['label']}{change['text']}",
        "stated_lo": relation.stated_lo, "stated_hi": relation.stated_hi,
        "computed_expr": f"{last_year}年报告所述{_named(last)}",
        "computed_value": _describe(computed, change["unit"], level["unit"], rising),
        "computed_lo": computed[0], "computed_hi": computed[1], "reading": "last year's report",
        "tried": "", "direction": relation.direction,
        "evidence": [*relation.evidence, last_quote],
    }


_STATED = ["report", "family", "metric", "kind", "unit"]  # what single_values keys a figure by


def single_values(facts: pd.DataFrame) -> dict[tuple, dict]:
    """(report, family, metric, kind, unit) -> the first fact stating it, where every statement
    agrees: its row, as a dict of its columns (auditor.frames.rows). Found for every key at once:
    a group at a time took some 11 ms a report (python -m bench.frames)."""
    named = facts[(facts["family"] != "") & (facts["metric"] != "") & facts["value_num"].notna()]
    named = named.dropna(subset=_STATED)
    agreeing = named[named.groupby(_STATED, sort=False)["value_num"].transform("nunique") == 1]
    return {tuple(row[name] for name in _STATED): row for row in row_dicts(agreeing.drop_duplicates(_STATED))}


def _implied_change(level: pd.Series, last: dict, unit: str, rising: bool) -> tuple[float, float] | None:
    l_lo, l_hi, p_lo, p_hi = level["lo"], level["hi"], last["lo"], last["hi"]
    if not all(map(math.isfinite, (l_lo, l_hi, p_lo, p_hi))):
        return None
    if unit == "%":
        if p_lo <= 0:
            return None
        if rising:
            return (l_lo / p_hi - 1) * 100, (l_hi / p_lo - 1) * 100
        return (1 - l_hi / p_lo) * 100, (1 - l_lo / p_hi) * 100
    if rising:
        return l_lo - p_hi, l_hi - p_lo
    return p_lo - l_hi, p_hi - l_lo


def _describe(computed: tuple[float, float], unit: str, level_unit: str, rising: bool) -> str:
    word = "增长" if rising else "下降"
    middle = (computed[0] + computed[1]) / 2
    if unit == "%":
        return f"{word}{middle:.2f}%"
    shown = f"{middle:.2f}".rstrip("0").rstrip(".")
    return f"{'增加' if rising else '减少'}{shown}{unit or level_unit}"


def _named(fact: pd.Series | dict) -> str:
    return f"{fact['label'][-_LABEL_CHARS:]}{fact['text']}"


def quote(fact: pd.Series | dict, report: str | None = None) -> dict:
    """The sentence a figure stands in, as evidence; one of another report names it."""
    evidence = {"text": fact["sentence"], "start": int(fact["sentence_start"]), "end": int(fact["sentence_end"]),
                "line": int(fact["line"]), "column": None}
    if report is not None:
        evidence["report"] = report
    return evidence
