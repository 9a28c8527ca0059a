"""Checks across years: each report against last year's report of the same issuing body.

Last year's report is looked for among the run's reports and the history store's (auditor/history)
alike, in one code path: the store's candidates join the run's documents and figures, a report of
the run winning over its own earlier recording (the same file, or its corrected version). A report
is linked to last year's when exactly one report of the same body (issuer_key, with parents that
agree: auditor/ingest/issuer.py), kind and the year before is there; of several, the one whose
title has the same form (平潭综合实验区{年}法治政府建设情况, not the covering letter
关于报送…的函). Then, each as a relation row with both reports quoted:

- yoy (CONS003): a change stated right after its level against last year's figure
  (auditor/frames/year_over_year.py);
- carry (DISC010): the disclosure table's 上年结转 (carried_in.total) must be last year's
  结转下年度继续办理 (carried_out.total);
- stock (DISC011): the 现行有效件数 of 规章 and 行政规范性文件 (第二十条第（一）项) must be last
  year's plus 本年制发 minus 本年废止; below it only where thresholds.yaml says documents do not
  lapse (across_years.stock_lapses: false), since documents whose term ends lapse unrepealed;
- jump (RANGE004): a count or amount more than a plausible factor (thresholds.yaml
  across_years.jumps) above or below last year's figure of the same metric.

A figure is compared only where each report states its metric with one value (a metric stated
with different values is ambiguous).
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
import regex

from auditor.frames.year_over_year import CHANGE_OPS, quote, single_values, yoy_row
from auditor.columns import PRIOR_DOCUMENT_COLUMNS as DOCUMENT_FIELDS, RELATION_FIELDS
from auditor.config import Thresholds
from auditor.ingest.issuer import parents_agree

ACROSS_OPS = ("yoy", "carry", "stock", "jump")  # the relations added here, in the order they are returned
CARRIED_IN, CARRIED_OUT = "carried_in.total", "carried_out.total"
STOCK_ROWS = ("regulations.rules", "regulations.normative")  # 规章, 行政规范性文件
_JUMP_KINDS = ("count", "money")
_LABEL_CHARS = 16
_QUOTED_ROW_RE = regex.compile(r"〔[^〕]*〕")  # a table row's digits as written, in its total cell's label


@dataclass
class PriorReports:
    """Reports from outside the run that may be last year's (the history store's): their
    document rows (DOCUMENT_FIELDS) and their named figures (facts.csv's columns)."""
    documents: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(DOCUMENT_FIELDS)))
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)


def link_years(documents: pd.DataFrame, prior: PriorReports | None = None) -> dict[str, str]:
    """report -> last year's report of the same body and kind, for the run's reports."""
    run = _linkable(documents)
    pool = pd.concat([run, _outside_run(run, prior)], ignore_index=True) if prior is not None else run
    # body, kind, year -> parents -> title form -> reports: a body's reports of a year mostly share
    # their parents and title form, which are then compared once per group rather than once per report
    by_year: dict[tuple, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for row in pool.itertuples(index=False):
        by_year[(row.issuer_key, row.report_kind, int(row.year))][_text(row.issuer_parents)][row.title_form].append(row)
    agree = functools.cache(parents_agree)
    previous = {}
    for row in run.itertuples(index=False):
        last_year = by_year.get((row.issuer_key, row.report_kind, int(row.year) - 1), {})
        forms = [by_form for theirs, by_form in last_year.items() if agree(theirs, _text(row.issuer_parents))]
        if sum(len(rows) for by_form in forms for rows in by_form.values()) > 1 and isinstance(row.title_form, str):
            candidates = [c for by_form in forms for c in by_form.get(row.title_form, ())]
        else:
            candidates = [c for by_form in forms for rows in by_form.values() for c in rows]
        if len(candidates) == 1:
            previous[row.report] = candidates[0].report
    return previous


def across_year_relations(documents: pd.DataFrame, facts: pd.DataFrame, relations: pd.DataFrame,
                          thresholds: Thresholds, prior: PriorReports | None = None,
                          previous: dict[str, str] | None = None) -> pd.DataFrame:
    """New relation rows (RELATION_FIELDS): yoy, carry, stock and jump, one per figure that last
    year's report can check."""
    previous = link_years(documents, prior) if previous is None else previous
    if not previous:
        return pd.DataFrame(columns=list(RELATION_FIELDS))
    outside = prior.facts if prior is not None and len(prior.facts) else None
    earlier = set(previous.values())
    pool = facts[facts["report"].isin(earlier)]
    if outside is not None:
        pool = pd.concat([pool, outside[outside["report"].isin(earlier - set(facts["report"]))]], ignore_index=True)
    last_values = single_values(pool)
    this_values = single_values(facts[facts["report"].isin(list(previous))])
    years = _years(documents, prior)
    paths = _paths(documents, prior)
    ids = _RelationIds(relations)
    rows = []
    rows += _yoy(facts, relations, previous, last_values, years, paths, ids)
    rows += _carry(this_values, last_values, previous, years, paths, ids)
    rows += _stock(this_values, last_values, previous, years, paths, thresholds, ids)
    rows += _jumps(this_values, last_values, previous, years, paths, thresholds, ids)
    return pd.DataFrame(rows, columns=list(RELATION_FIELDS))


# --- the checks --------------------------------------------------------------------------------

def _yoy(facts, relations, previous, last_values, years, paths, ids) -> list[dict]:
    changes = relations[relations["op"].isin(CHANGE_OPS) & relations["direction"].isin(["rise", "fall"])
                        & relations["report"].isin(list(previous))]
    if changes.empty:
        return []
    by_key = facts.set_index(["report", "fact_id"], drop=False)
    rows = []
    for relation in changes.itertuples(index=False):
        change = by_key.loc[(relation.report, relation.stated_fact)]
        level = by_key.loc[(relation.report, int(relation.part_facts))]
        last_report = previous[relation.report]
        last = last_values.get((last_report, level["family"], level["metric"], level["kind"], level["unit"]))
        if last is None:
            continue
        row = yoy_row(relation, change, level, last, years[last_report], _quote(last, last_report, paths))
        if row is not None:
            rows.append(ids.numbered(row))
    return rows


def _carry(this_values, last_values, previous, years, paths, ids) -> list[dict]:
    rows = []
    for (report, family, metric, kind, unit), fact in this_values.items():
        if metric != CARRIED_IN:
            continue
        last_report = previous[report]
        last = last_values.get((last_report, family, CARRIED_OUT, kind, unit))
        if last is None:
            continue
        rows.append(ids.numbered(_row(report, "carry", fact, f"{_named(fact)}",
                                      f"{years[last_report]}年报告所述{_named(last)}", _number(last["value_num"]),
                                      (last["lo"], last["hi"]), [_quote(fact), _quote(last, last_report, paths)])))
    return rows


def _stock(this_values, last_values, previous, years, paths, thresholds, ids) -> list[dict]:
    rows = []
    for (report, family, metric, kind, unit), fact in this_values.items():
        row_key = metric.rsplit(".", 1)[0]
        if row_key not in STOCK_ROWS or not metric.endswith(".in_force"):
            continue
        last_report = previous[report]
        issued = this_values.get((report, family, f"{row_key}.issued", kind, unit))
        repealed = this_values.get((report, family, f"{row_key}.repealed", kind, unit))
        last = last_values.get((last_report, family, metric, kind, unit))
        if issued is None or repealed is None or last is None:
            continue
        expected = last["value_num"] + issued["value_num"] - repealed["value_num"]
        low = 0.0 if thresholds.across_years.stock_lapses else expected
        computed = (f"{years[last_report]}年报告所述{_named(last)} + {_named(issued)} - {_named(repealed)}")
        shown = f"{'不超过' if low < expected else ''}{_number(expected)}"
        rows.append(ids.numbered(_row(report, "stock", fact, _named(fact), computed, shown, (low, expected),
                                      [_quote(fact), _quote(last, last_report, paths)])))
    return rows


def _jumps(this_values, last_values, previous, years, paths, thresholds, ids) -> list[dict]:
    """One row per jump; a second metric of a report with the same two figures (a table's row
    and its one part: 主动公开 = 网站公开) is the same jump and not repeated."""
    rows = []
    seen: set[tuple] = set()
    for (report, family, metric, kind, unit), fact in this_values.items():
        if kind not in _JUMP_KINDS or metric in (CARRIED_IN,):
            continue
        last_report = previous[report]
        last = last_values.get((last_report, family, metric, kind, unit))
        if last is None:
            continue
        jump = thresholds.across_years.jump(family, metric)
        this_value, last_value = fact["value_num"], last["value_num"]
        if not (math.isfinite(this_value) and math.isfinite(last_value)) or min(this_value, last_value) < 0:
            continue
        if max(this_value, last_value) < jump.min_level or (report, this_value, last_value) in seen:
            continue
        seen.add((report, this_value, last_value))
        low, high = last["lo"] / jump.factor, last["hi"] * jump.factor
        if not math.isfinite(high):
            continue
        computed = f"{years[last_report]}年报告所述{_named(last)}"
        shown = f"{_number(low)}–{_number(high)}{unit}(上年的1/{_number(jump.factor)}至{_number(jump.factor)}倍)"
        rows.append(ids.numbered(_row(report, "jump", fact, _named(fact), computed, shown, (low, high),
                                      [_quote(fact), _quote(last, last_report, paths)])))
    return rows


# --- helpers ------------------------------------------------------------------------------------

class _RelationIds:
    """The next relation id of each report, after its own relations."""

    def __init__(self, relations: pd.DataFrame) -> None:
        self.next = relations.groupby("report")["relation_id"].max().to_dict() if len(relations) else {}

    def numbered(self, row: dict) -> dict:
        report = row["report"]
        self.next[report] = int(self.next.get(report, -1)) + 1
        row["relation_id"] = self.next[report]
        return row


def _row(report: str, op: str, fact: dict, stated: str, computed: str, shown: str,
         interval: tuple[float, float], evidence: list[dict]) -> dict:
    return {"report": report, "relation_id": 0, "op": op, "source": "across_years", "family": fact["family"],
            "n_parts": 1, "stated_fact": int(fact["fact_id"]), "part_facts": "", "stated_expr": stated,
            "stated_lo": float(fact["lo"]), "stated_hi": float(fact["hi"]), "computed_expr": computed,
            "computed_value": shown, "computed_lo": float(interval[0]), "computed_hi": float(interval[1]),
            "reading": "last year's report", "tried": "", "direction": "", "evidence": evidence}


def _linkable(documents: pd.DataFrame) -> pd.DataFrame:
    ok = documents[(documents["status"] == "ok") & documents["issuer_key"].notna() & documents["year"].notna()
                   & documents["report_kind"].notna()] if len(documents) else documents
    return ok[list(DOCUMENT_FIELDS)].reset_index(drop=True)


def _outside_run(run: pd.DataFrame, prior: PriorReports) -> pd.DataFrame:
    """The store's candidates that are not one of the run's reports (by name, content or path)."""
    stored = prior.documents
    if stored.empty:
        return stored.reindex(columns=list(DOCUMENT_FIELDS))
    return stored[_not_the_runs(run, stored)][list(DOCUMENT_FIELDS)]


def outside_run(documents: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    """Which of the STORED reports (PRIOR_DOCUMENT_COLUMNS) are not one of the run's DOCUMENTS
    (links_of them): neither the same name, content or path, nor the same file name of the same
    body, kind and year (a version of it). Only those may be last year's of a report of the run."""
    return _not_the_runs(_linkable(documents), stored)


def _not_the_runs(run: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    keep = ~stored["report"].isin(set(run["report"])) & ~stored["sha256"].isin(set(run["sha256"])) \
        & ~stored["path"].isin(set(run["path"]))
    same_version = set(zip(run["report"].map(_file_name), run["issuer_key"], run["report_kind"], run["year"].astype(int)))
    keep &= pd.Series([(_file_name(r), k, kind, int(y)) not in same_version
                       for r, k, kind, y in zip(stored["report"], stored["issuer_key"], stored["report_kind"],
                                                stored["year"])], index=stored.index, dtype=bool)
    return keep


def _file_name(report: str) -> str:
    return str(report).rsplit("/", 1)[-1]


def _years(documents: pd.DataFrame, prior: PriorReports | None) -> dict[str, int]:
    years = {r: int(y) for r, y in zip(documents["report"], documents["year"]) if not pd.isna(y)}
    if prior is not None and len(prior.documents):
        years.update({r: int(y) for r, y in zip(prior.documents["report"], prior.documents["year"]) if r not in years})
    return years


def _paths(documents: pd.DataFrame, prior: PriorReports | None) -> dict[str, str]:
    paths = dict(zip(documents["report"], documents["path"]))
    if prior is not None and len(prior.documents):
        for report, path in zip(prior.documents["report"], prior.documents["path"]):
            paths.setdefault(report, path)
    return paths


def _quote(fact: dict, report: str | None = None, paths: dict[str, str] | None = None) -> dict:
    evidence = quote(fact, report)
    if report is not None and paths is not None:
        evidence["path"] = paths.get(report)
    return evidence


def _named(fact: dict) -> str:
    return f"{_QUOTED_ROW_RE.sub('', fact['label'])[-_LABEL_CHARS:]}{fact['text']}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _text(value) -> str:
    return value if isinstance(value, str) else ""
