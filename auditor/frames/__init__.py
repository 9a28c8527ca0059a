"""The run's three dataframes (documents, facts, relations) and their pandera schemas.

Their columns and types are named in auditor/columns.py; the schemas add the checks on values.
Frames are assembled once per run from the per-report rows and validated here, at the boundary
between extraction and the checks, so that a bug in extraction surfaces as a schema error
rather than as a wrong flag. The columns derived across reports are computed beside them:
outliers.py (RANGE003), across_years.py and year_over_year.py (relations with last year's report).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import methodcaller

import numpy as np
import pandas as pd
import pandera.pandas as pa

from auditor.columns import (DATE_TYPE, DOCUMENT_KEY, DOCUMENTS, FACT_FIELDS, FACT_KEY, FACT_RECORD, FACTS,
                             INT_TYPE, OUTLIER_COLUMNS, PRIOR_DOCUMENT_COLUMNS, RATE_COLUMNS, RELATION_FIELDS,
                             RELATION_KEY, RELATION_RECORD, RELATIONS, Column, names)
from auditor.columns import table_columns  # noqa: F401 - the columns of each frame, for the settings checks
from auditor.config import REPORT_KINDS, Thresholds
# The relation ops the relations suite checks, and those recorded for a reviewer only: one table
# for the readers' and the checks across reports' (extract/relations/kinds.py).
from auditor.extract.relations.kinds import CHECKED_OPS, RECORDED_OPS
from auditor.frames.across_years import PriorReports, across_year_relations, link_years
from auditor.frames.outliers import robust_z
from auditor.process import ReportRecord

DATE_COLUMNS = tuple(c.name for c in DOCUMENTS if c.type == DATE_TYPE)
# Whole numbers that may be missing (a report without a year, an unreadable input).
INT_COLUMNS = tuple(c.name for c in DOCUMENTS if c.type == INT_TYPE)

_KINDS = ["count", "money", "rate", "percent", "change", "measure", "ratio", "number", "name", "section",
          "year", "date", "docno", "ordinal", "period", "time", "slogan"]
_TYPES = {"str": str, "int": int, "float": float, "object": object}  # the rest are pandas' names


class FrameSchema:
    """A frame's pandera schema (SCHEMA: the declaration), and what is left of it for a frame whose
    every column has its declared type: the value checks, the columns that may not be missing and
    the unique ones, without types and without coercion. pandera coerces even a column of the
    right type (a copy of the column's schema, an astype), and checks each column for about half
    a millisecond whatever it holds: most of a small run's validation. A nullable str column of
    None only (no report of a batch has a document number) is made a str column first, as the
    declaration's coercion makes it (an astype). Any other frame (an empty run's) is validated
    as declared. Measure: `python -m bench.frames` (the frames of one report and of 500
    validated each way)."""

    def __init__(self, name: str, columns: tuple[Column, ...], checks: dict[str, pa.Check],
                 unique: tuple[str, ...], table_checks: list[pa.Check] | None = None) -> None:
        self.schema = _schema(name, columns, checks, unique, table_checks, typed=False)
        self._typed = _schema(name, columns, checks, unique, table_checks, typed=True)
        self._types = {name: column.dtype.type for name, column in self.schema.columns.items()}
        self._coerced = [name for name, column in self.schema.columns.items() if column.coerce]

    @property
    def columns(self) -> dict[str, pa.Column]:
        return self.schema.columns

    def validate(self, frame: pd.DataFrame) -> pd.DataFrame:
        """FRAME validated (lazily: every failure at once), in place."""
        for name in self._coerced:
            if name in frame and frame[name].dtype != self._types[name]:
                frame[name] = frame[name].astype(self._types[name])
        dtypes = frame.dtypes
        typed = all(name in dtypes and dtypes[name] == kind for name, kind in self._types.items())
        return (self._typed if typed else self.schema).validate(frame, lazy=True, inplace=True)


def _schema(name: str, columns: tuple[Column, ...], checks: dict[str, pa.Check], unique: tuple[str, ...],
            table_checks: list[pa.Check] | None, typed: bool) -> pa.DataFrameSchema:
    """The schema of a frame: its columns and their types from auditor/columns.py (those it
    validates), CHECKS on the values of a column by its name, TABLE_CHECKS across columns, each
    column coerced to its type (an empty run still has typed columns; a column of None only
    becomes a str column). TYPED: the schema of a frame whose types FrameSchema has compared,
    with only the columns something else is checked of."""
    declared = {}
    for c in columns:
        check, is_unique = checks.get(c.name), c.name in unique
        if not c.in_schema or (typed and check is None and c.nullable and not is_unique):
            continue
        declared[c.name] = pa.Column(None if typed else _TYPES.get(c.type, c.type), check, nullable=c.nullable,
                                     unique=is_unique, coerce=not typed and c.nullable and c.type == "str")
    return pa.DataFrameSchema(declared, checks=table_checks, name=name, coerce=not typed)


DOCUMENTS_SCHEMA = FrameSchema("documents", DOCUMENTS, {
    "status": pa.Check.isin(["ok", "error"]),
    "year": pa.Check.in_range(1949, 2100),
    **{name: pa.Check.ge(0) for name in ("n_facts", "n_relations", "n_checked", "dates_outside_period", "duplicated_chars",
                               "duplicated_paragraphs", "body_chars")},
    "report_kind": pa.Check.isin(list(REPORT_KINDS)),
}, unique=(DOCUMENT_KEY,))

FACTS_SCHEMA = FrameSchema("facts", FACTS, {
    "fact_id": pa.Check.ge(0),
    "kind": pa.Check.isin(_KINDS),
    "text": pa.Check.str_length(min_value=1),
    "start": pa.Check.ge(0),
    "line": pa.Check.ge(1),
}, unique=(FACT_KEY,), table_checks=[
    # ignore_na=False: no row is empty, and pandera need not look for one (0.3 s at 10,000 reports)
    pa.Check(lambda df: df["start"] < df["end"], name="span_not_empty", ignore_na=False),
    pa.Check(lambda df: df["lo"].isna() | (df["lo"] <= df["hi"]), name="interval_ordered", ignore_na=False),
])

RELATIONS_SCHEMA = FrameSchema("relations", RELATIONS, {
    "relation_id": pa.Check.ge(0),
    # CHECKED_OPS are checked by the suites; change and repeat are only recorded
    "op": pa.Check.isin([*CHECKED_OPS, *RECORDED_OPS]),
    "n_parts": pa.Check.ge(1),
    "interval_gap": pa.Check.ge(0),
}, unique=(RELATION_KEY,), table_checks=[
    pa.Check(lambda df: df["stated_lo"] <= df["stated_hi"], name="stated_interval_ordered", ignore_na=False),
    pa.Check(lambda df: df["computed_lo"] <= df["computed_hi"], name="computed_interval_ordered",
             ignore_na=False),
])


@dataclass
class Frames:
    documents: pd.DataFrame
    facts: pd.DataFrame
    relations: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def build_frames(records: list[ReportRecord], thresholds: Thresholds, prior: PriorReports | None = None) -> Frames:
    """Assemble and validate the run's frames in one batch. The records' fact and relation columns
    move into the frames (the records keep their counts), so the run holds each figure once.
    PRIOR: reports of earlier runs (the history store's) that may be last year's of the run's."""
    return batch_frames(records, run_context(records, links_of(records), thresholds, prior, rates_of(records)))


@dataclass
class RunContext:
    """What the frames of each batch need from the whole run: its documents' columns that link a
    report to last year's (PRIOR_DOCUMENT_COLUMNS), those links, and the spread of each rate
    across the run's reports."""
    documents: pd.DataFrame
    previous: dict[str, str]   # report -> last year's report, the run's or the store's
    outliers: pd.DataFrame     # OUTLIER_COLUMNS of the run's rates, by fact key
    thresholds: Thresholds
    prior: PriorReports | None = None

    def links_of_batch(self, reports: list[str]) -> tuple[dict[str, str], pd.DataFrame]:
        """Of the run's links, those a batch of REPORTS reads: its reports' last year's reports
        (of PREVIOUS), and the documents of both, which its relations across years name."""
        if len(reports) == len(self.documents):  # the run in one batch
            return self.previous, self.documents
        previous = {r: self.previous[r] for r in reports if r in self.previous}
        return previous, self.documents[self.documents["report"].isin({*previous, *previous.values()})]


def rates_of(records: list[ReportRecord]) -> pd.DataFrame:
    """The rates among the records' figures, with what robust_z reads of them: a few percent of
    the figures, all the run keeps of them for RANGE003 while its batches are elsewhere."""
    columns = {name: [] for name in RATE_COLUMNS}
    for record in records:
        facts = record.facts
        if not facts:
            continue
        for i in [i for i, kind in enumerate(facts["kind"]) if kind == "rate"]:
            for name, values in columns.items():
                values.append(facts[name][i])
    # one object for each name, shared by the rows: a run of 50,000 reports keeps some 160,000
    # rates, and their texts were each row's own
    for name in ("report", "kind", "family", "metric"):
        columns[name] = list(map(_shared, columns[name]))
    rates = pd.DataFrame(columns)
    return rates.astype({"fact_id": np.int64, "value_num": np.float64})


def links_of(records: Iterable[ReportRecord]) -> pd.DataFrame:
    """The columns of the records' documents that link a report to last year's (its status and
    PRIOR_DOCUMENT_COLUMNS): what the history store's look-up and link_years read."""
    columns = ["status", *PRIOR_DOCUMENT_COLUMNS]
    links = pd.DataFrame([[_shared(r.document.get(name)) if name in _FEW_VALUES else r.document.get(name)
                           for name in columns] for r in records], columns=columns)
    links["year"] = pd.array(links["year"].map(_int_or_none), dtype="Int64")
    return links


# Columns of links_of whose values repeat (a body's name, a kind of report): each value one object
# for the run, as the rates' names (rates_of); the run keeps its links while its batches are checked
_FEW_VALUES = frozenset({"status", "issuer_key", "issuer_parents", "report_kind", "title_form"})


def _shared(value):
    return sys.intern(value) if type(value) is str else value


def run_context(records: list[ReportRecord], links: pd.DataFrame, thresholds: Thresholds,
                prior: PriorReports | None, rates: pd.DataFrame) -> RunContext:
    """What the batches share (RunContext) of the run: LINKS, links_of its records; RATES,
    rates_of them, in the run's order. The documents of RECORDS, those of its records held live,
    gain the link to last year's report (link_records gives it to the others when they are
    read)."""
    previous = link_years(links, prior)
    link_records(records, previous)
    outliers = robust_z(rates, thresholds.outlier_min_reports)
    outliers.index = _keys(rates["report"], rates["fact_id"])
    return RunContext(links, previous, outliers, thresholds, prior)


def link_records(records: Iterable[ReportRecord], previous: dict[str, str]) -> None:
    """Each record's document gains the link to last year's report (PREVIOUS, run_context's):
    the writers that read the records (the HTML report) show it too."""
    for record in records:
        if record.document["report"] in previous:
            record.document["previous_report"] = previous[record.document["report"]]
            record.document["previous_year"] = int(record.document["year"]) - 1


def documents_frame(records: list[ReportRecord], previous: dict[str, str]) -> pd.DataFrame:
    """The documents of RECORDS, with the link to last year's report (PREVIOUS), validated."""
    documents = pd.DataFrame([r.document for r in records], columns=list(names(DOCUMENTS)))
    for name in DATE_COLUMNS:
        documents[name] = pd.to_datetime(documents[name]).astype("datetime64[ns]")
    for name in INT_COLUMNS:
        documents[name] = pd.array(documents[name].map(_int_or_none), dtype="Int64")
    documents["previous_report"] = documents["report"].map(previous)
    documents["previous_year"] = pd.array([int(y) - 1 if isinstance(p, str) else None
                                           for p, y in zip(documents["previous_report"], documents["year"])],
                                          dtype="Int64")
    documents["truncated"] = pd.array(documents["truncated"].map(_bool_or_none), dtype="boolean")
    documents["reason"] = documents["reason"].fillna("").astype(str)
    # validated in place: the frame is this function's own, so pandera need not copy it first
    return DOCUMENTS_SCHEMA.validate(documents)


def batch_frames(records: list[ReportRecord], context: RunContext, earlier: pd.DataFrame | None = None) -> Frames:
    """The frames of a batch of the run's records: their documents, figures and relations, the
    relations across years included. EARLIER: named figures (FACT_FIELDS) of reports outside the
    batch that are last year's of one in it (the run's other batches hold them)."""
    facts = _concat(records, "facts", FACT_FIELDS, _FACT_NUMBERS)
    facts.insert(0, FACT_KEY, _keys(facts["report"], facts["fact_id"]))
    facts["plausible_min"], facts["plausible_max"] = _plausible(facts, context.thresholds)
    facts[list(OUTLIER_COLUMNS)] = context.outliers.reindex(facts[FACT_KEY]).to_numpy()

    relations = _concat(records, "relations", RELATION_FIELDS, _RELATION_NUMBERS)
    previous, linked = context.links_of_batch([r.document["report"] for r in records])
    pool = facts if earlier is None or earlier.empty else pd.concat([facts, earlier], ignore_index=True)
    across = across_year_relations(linked, pool, relations, context.thresholds, context.prior, previous)
    if len(across):
        relations = across.astype(_RELATION_NUMBERS) if relations.empty else \
            pd.concat([relations, across.astype(relations.dtypes.to_dict())], ignore_index=True)
    relations.insert(0, RELATION_KEY, _keys(relations["report"], relations["relation_id"]))
    gaps = pd.concat([relations["computed_lo"] - relations["stated_hi"],
                      relations["stated_lo"] - relations["computed_hi"]], axis=1)
    relations["interval_gap"] = gaps.max(axis=1).clip(lower=0).fillna(0.0)  # inf - inf: unbounded sides meet

    documents = documents_frame(records, context.previous)
    # validated in place: the frames are this function's own, so pandera need not copy them first
    # (0.5 s at 10,000 reports)
    return Frames(
        documents=documents,
        facts=FACTS_SCHEMA.validate(facts),
        relations=RELATIONS_SCHEMA.validate(relations),
    )


def named_facts(facts: dict[str, list] | None, reports: set[str]) -> pd.DataFrame:
    """Of a record's fact columns, the named figures of REPORTS (those across_year_relations
    compares with next year's), as a frame of FACT_FIELDS."""
    frame = pd.DataFrame(facts or {name: [] for name in FACT_FIELDS}, columns=list(FACT_FIELDS))
    frame = frame.astype({name: kind for name, kind in _FACT_NUMBERS.items() if name in frame})
    return frame[frame["report"].isin(reports) & (frame["family"] != "") & (frame["metric"] != "")
                 & frame["value_num"].notna()]


# The numeric columns of the records' facts and relations, built as arrays of their type: pandas
# would infer the type of each, which took longer than building the rest of the frame.
_NUMPY = {"int": np.int64, "float": np.float64}
_FACT_NUMBERS = {c.name: _NUMPY[c.type] for c in FACT_RECORD if c.type in _NUMPY}
_RELATION_NUMBERS = {c.name: _NUMPY[c.type] for c in RELATION_RECORD if c.type in _NUMPY}


def _keys(reports: pd.Series, ids: pd.Series) -> list[str]:
    """report#id, one per row (built in Python: a third of the time of adding string Series)."""
    return [f"{report}#{index}" for report, index in zip(reports.tolist(), ids.tolist())]


def _concat(records: list[ReportRecord], attribute: str, fields: tuple[str, ...],
            numbers: dict[str, type]) -> pd.DataFrame:
    """One frame from every record's columns, releasing the records' copies as it goes."""
    present = [getattr(r, attribute) for r in records if getattr(r, attribute)]
    data = {}
    for name in fields:
        values = list(chain.from_iterable(map(methodcaller("pop", name), present)))
        data[name] = np.array(values, dtype=numbers[name]) if name in numbers else values
    for record in records:
        setattr(record, attribute, None)
    return pd.DataFrame(data, columns=list(fields))


def _int_or_none(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _bool_or_none(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def _plausible(facts: pd.DataFrame, thresholds: Thresholds) -> tuple[pd.Series, pd.Series]:
    """The plausible range of each rate from thresholds.yaml; the family-specific entry wins."""
    low = pd.Series(float("nan"), index=facts.index)
    high = pd.Series(float("nan"), index=facts.index)
    rates = facts.loc[facts["kind"] == "rate", ["family", "metric"]]  # a few percent of the figures
    ranges = sorted(thresholds.plausible_ranges, key=lambda r: r.family != "*")  # "*" first, overridden
    for r in ranges:
        hit = rates["metric"] == r.metric
        if r.family != "*":
            hit &= rates["family"] == r.family
        rows = hit.index[hit]
        low[rows], high[rows] = r.min, r.max
    return low, high
