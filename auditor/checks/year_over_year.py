"""Year-over-year statements against the previous year's report of the same issuer (CONS003).

A report that says 全年受理行政复议案件58件,同比下降4.8% implies last year's count. When the run
also holds last year's report of the same region and kind (and, where several share them, the
same signer), and that report states the metric (family and metric of vocabulary.yaml) with one
value only, the stated change is checked against the two reports' figures, each as its interval:

    rise: level / last - 1        fall: 1 - level / last        (a change in %)
    rise: level - last            fall: last - level            (个百分点, or a count or amount)

A metric last year's report states with different values (a total and a district's share of it
under the same words) is ambiguous and left alone, as is a change not read right after its level
(the change reader records its direction only then). The rows join the relations frame with op "yoy";
the flag quotes both reports, the earlier one's quote naming its report.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from auditor.process import RELATION_FIELDS

CHANGE_OPS = ("change", "prior")
_LABEL_CHARS = 14


def prior_year_relations(documents: pd.DataFrame, facts: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """New relation rows (RELATION_FIELDS, op "yoy"), one per change that last year's report can check."""
    previous = _previous_reports(documents)
    changes = relations[relations["op"].isin(CHANGE_OPS) & relations["direction"].isin(["rise", "fall"])
                        & relations["report"].isin(list(previous))]
    if changes.empty:
        return pd.DataFrame(columns=list(RELATION_FIELDS))
    by_key = facts.set_index(["report", "fact_id"], drop=False)
    prior_values = _single_values(facts[facts["report"].isin(set(previous.values()))])
    next_id = relations.groupby("report")["relation_id"].max().to_dict()
    years = dict(zip(documents["report"], documents["year"]))
    rows = []
    for relation in changes.itertuples(index=False):
        change = by_key.loc[(relation.report, relation.stated_fact)]
        level = by_key.loc[(relation.report, int(relation.part_facts))]
        prior_report = previous[relation.report]
        last = prior_values.get((prior_report, level["family"], level["metric"], level["kind"], level["unit"]))
        if last is None:  # _single_values holds named metrics only
            continue
        rising = relation.direction == "rise"
        computed = _implied_change(level, last, change["unit"], rising)
        if computed is None:
            continue
        next_id[relation.report] += 1
        rows.append({
            "report": relation.report, "relation_id": next_id[relation.report], "op": "yoy", "source": "yoy",
            "family": relation.family, "n_parts": 1, "stated_fact": relation.stated_fact,
            "part_facts": relation.part_facts,
            "stated_expr": f"{_named(level)}, {change['label']}{change['text']}",
            "stated_lo": relation.stated_lo, "stated_hi": relation.stated_hi,
            "computed_expr": f"{years[prior_report]}年报告所述{_named(last)}",
            "computed_value": _describe(computed, change["unit"], level["unit"], rising),
            "computed_lo": computed[0], "computed_hi": computed[1], "reading": "last year's report",
            "tried": "", "direction": relation.direction,
            "evidence": [*relation.evidence, _quote(last, prior_report)],
        })
    return pd.DataFrame(rows, columns=list(RELATION_FIELDS))


def _previous_reports(documents: pd.DataFrame) -> dict[str, str]:
    """report -> last year's report of the same region and kind (and signer, where that decides)."""
    ok = documents[(documents["status"] == "ok") & documents["region"].notna() & documents["year"].notna()]
    groups: dict[tuple, list] = defaultdict(list)
    for row in ok[["report", "region", "report_kind", "year", "signer"]].itertuples(index=False):
        groups[(row.region, row.report_kind, int(row.year))].append(row)
    previous = {}
    for (region, kind, year), group in groups.items():
        before = groups.get((region, kind, year - 1))
        if not before:
            continue
        if len(group) == 1 and len(before) == 1:
            previous[group[0].report] = before[0].report
            continue
        # several issuers share the region: the signer tells them apart
        by_signer: dict[str, list] = defaultdict(list)
        for row in before:
            if isinstance(row.signer, str):
                by_signer[row.signer].append(row.report)
        for row in group:
            candidates = by_signer.get(row.signer, []) if isinstance(row.signer, str) else []
            if len(candidates) == 1:
                previous[row.report] = candidates[0]
    return previous


def _single_values(facts: pd.DataFrame) -> dict[tuple, pd.Series]:
    """(report, family, metric, kind, unit) -> the first fact stating it, where every statement agrees."""
    named = facts[(facts["family"] != "") & (facts["metric"] != "") & facts["value_num"].notna()]
    single = {}
    for key, group in named.groupby(["report", "family", "metric", "kind", "unit"], sort=False):
        if group["value_num"].nunique() == 1:
            single[key] = group.iloc[0]
    return single


def _implied_change(level: pd.Series, last: pd.Series, unit: str, rising: bool) -> tuple[float, float] | None:
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


def _named(fact: pd.Series) -> str:
    return f"{fact['label'][-_LABEL_CHARS:]}{fact['text']}"


def _quote(fact: pd.Series, report: str) -> dict:
    return {"text": fact["sentence"], "start": int(fact["sentence_start"]), "end": int(fact["sentence_end"]),
            "line": int(fact["line"]), "column": None, "report": report}
