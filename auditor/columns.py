"""The columns of every table auditor builds or writes, each named once, in its order.

- the records (auditor/process.py): the columns read_text gives each report's figures
  (FACT_FIELDS) and relations (RELATION_FIELDS);
- the frames (auditor/frames/): DOCUMENTS, FACTS and RELATIONS, the records' columns and those
  the frames derive, with the type of each column whose type is fixed; the pandera schemas are
  built from these (only the checks on values are the frames' own);
- the outputs: facts.csv, relations.csv, reports.csv and flags.csv (auditor/report/csv_files.py),
  and the history store's two tables (auditor/history/store.py).

Plain names and types only, no pandas: `auditor rules` and the settings checks read the
columns (table_columns) without importing it. For example, a figure's row in the facts frame
starts

    fact_key      report     fact_id  kind   value  value_num  unit  …
    a.txt#3       a.txt      3        count  58     58.0       件    …
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a frame. TYPE: what the frame holds, where it is fixed: "str", "int", "float",
    "object" (any value), or a pandas type ("Int64": whole numbers that may be missing,
    "boolean", "datetime64[ns]"); None: as the records give it. VALIDATED: the frame's schema
    checks it (a column with a type but not validated is still built with that type)."""
    name: str
    type: str | None = None
    nullable: bool = False
    validated: bool = True

    @property
    def in_schema(self) -> bool:
        return self.validated and self.type is not None


def _text(name: str) -> Column:
    return Column(name, "str")


def _optional_text(name: str) -> Column:
    return Column(name, "str", nullable=True)


def _whole(name: str) -> Column:
    """A whole number that may be missing (a report without a year, an unreadable input)."""
    return Column(name, INT_TYPE, nullable=True)


def _date(name: str) -> Column:
    return Column(name, DATE_TYPE, nullable=True)


def _carried(name: str) -> Column:
    """Carried from the records as they give it, not validated."""
    return Column(name)


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


DOCUMENT_KEY, FACT_KEY, RELATION_KEY = "report", "fact_key", "relation_key"
INT_TYPE, DATE_TYPE = "Int64", "datetime64[ns]"

# --- the frames ----------------------------------------------------------------------------------

DOCUMENTS = (
    _text("report"), _text("path"), _optional_text("sha256"), _text("status"), _text("reason"),
    _optional_text("encoding"), _optional_text("title"), _optional_text("region"), _whole("year"),
    _date("period_end"), _date("published_date"), _date("signed_date"), _optional_text("signer"),
    # the issuing body as an identity across years (auditor/ingest/issuer.py)
    _optional_text("issuer"), _optional_text("issuer_key"), _optional_text("issuer_parents"),
    _optional_text("title_form"),
    _optional_text("previous_report"),  # last year's report of the same body: in the run or the store
    _whole("previous_year"),
    _optional_text("docno"), _whole("docno_year"), _carried("n_chars"), _carried("n_lines"),
    _whole("n_facts"), _whole("n_relations"),
    _whole("n_checked"),  # relations some rule checks
    _carried("published_evidence"), _carried("signed_evidence"), _carried("title_evidence"),
    _carried("docno_evidence"),
    # document features (auditor/extract/document_features.py); missing for an unreadable input,
    # then the evidence their flags quote
    _optional_text("report_kind"), _date("publication_deadline"),
    _optional_text("deadline_rule"),  # DATE003: which deadline applied, and its basis
    _optional_text("deadline_rule_en"), _whole("signed_year"), _whole("title_year"), _whole("body_year"),
    _whole("dates_outside_period"), _optional_text("first_outside_date"), _whole("duplicated_chars"),
    _whole("duplicated_paragraphs"),
    _optional_text("missing_sections"),  # None: not a 法治政府建设 report
    _optional_text("missing_metadata"), _optional_text("missing_metadata_en"),
    Column("truncated", "boolean", nullable=True), _whole("body_chars"), _optional_text("ending"),
    _carried("body_year_evidence"), _carried("outside_date_evidence"), _carried("duplicated_evidence"),
    _carried("sections_evidence"), _carried("metadata_evidence"), _carried("ending_evidence"),
)

# A figure as read_text gives it (auditor/process.py), in the order of a record's columns.
FACT_RECORD = (
    _text("report"), Column("fact_id", "int"), _text("kind"), _text("value"),
    Column("value_num", "float", nullable=True), _text("unit"), _text("qualifier"),
    Column("lo", "float", nullable=True), Column("hi", "float", nullable=True), _text("text"),
    Column("start", "int"), Column("end", "int"), Column("line", "int"), _carried("label"),
    _text("family"), _text("metric"), _carried("sentence"),
    Column("sentence_start", "int", validated=False), Column("sentence_end", "int", validated=False),
)
# RANGE003: the rate against the same rate in the run's other reports (auditor/frames/outliers.py)
OUTLIERS = tuple(Column(name, "float", nullable=True)
                 for name in ("robust_z", "robust_z_abs", "outlier_median", "outlier_spread", "outlier_reports"))
FACTS = (
    _text(FACT_KEY), *FACT_RECORD,
    Column("plausible_min", "float", nullable=True), Column("plausible_max", "float", nullable=True),
    *OUTLIERS,
)

# A relation as read_text gives it; the relations across years (auditor/frames/across_years.py)
# come with the same columns.
RELATION_RECORD = (
    _text("report"), Column("relation_id", "int"), _text("op"), _text("source"), _carried("family"),
    Column("n_parts", "int"), _carried("stated_fact"), _carried("part_facts"), _text("stated_expr"),
    Column("stated_lo", "float"), Column("stated_hi", "float"), _text("computed_expr"),
    _carried("computed_value"), Column("computed_lo", "float"), Column("computed_hi", "float"),
    _carried("reading"), _carried("tried"), _carried("direction"), Column("evidence", "object"),
)
RELATIONS = (
    _text(RELATION_KEY), *RELATION_RECORD,
    # how far apart the stated and the computed intervals lie; 0 where they meet (the suite's
    # two-sided checks read this one column: one expectation per rule instead of two)
    Column("interval_gap", "float"),
)

FACT_FIELDS = names(FACT_RECORD)
RELATION_FIELDS = names(RELATION_RECORD)
OUTLIER_COLUMNS = names(OUTLIERS)
# What the run keeps of each rate while its batches are elsewhere: what robust_z reads
RATE_COLUMNS = ("report", "fact_id", "kind", "family", "metric", "value_num")
# The document rows of reports outside the run that may be last year's (PriorReports)
PRIOR_DOCUMENT_COLUMNS = ("report", "path", "sha256", "issuer_key", "issuer_parents", "report_kind", "year",
                          "title_form")
# What a run checked in batches keeps of each report's document while the rest waits on disk with
# its batch's figures, and once its batch is checked: what the link to last year's report and the
# outputs written at the end (flags.json, report.html, junit.xml, the workbook, reports.csv) read
RECORD_SUMMARY = ("report", "path", "sha256", "status", "reason", "encoding", "title", "region", "year",
                  "published_date", "signed_date", "signer", "docno", "issuer", "issuer_key", "issuer_parents",
                  "report_kind", "title_form", "previous_report", "previous_year", "n_chars", "n_lines",
                  "n_facts", "n_relations", "n_checked")


def table_columns() -> dict[str, frozenset[str]]:
    """The columns build_frames gives each table (the expectations and the flags' templates may
    name any of them)."""
    return {"documents": frozenset(names(DOCUMENTS)), "facts": frozenset(names(FACTS)),
            "relations": frozenset(names(RELATIONS))}


# --- the outputs ---------------------------------------------------------------------------------

FACTS_CSV = ("report", "fact_id", "kind", "value", "unit", "qualifier", "lo", "hi", "text", "start", "end",
             "line", "label", "family", "metric", "sentence")
# status, failed_rules, text, start, end, line: added by the writer (the quotes' own)
RELATIONS_CSV = ("report", "relation_id", "status", "failed_rules", "op", "source", "family", "stated_expr",
                 "stated_lo", "stated_hi", "computed_expr", "computed_value", "computed_lo", "computed_hi",
                 "reading", "tried", "direction", "stated_fact", "part_facts", "text", "start", "end", "line")
FLAGS_CSV = ("id", "severity", "category", "rule", "name", "report", "region", "year", "line", "message",
             "expected", "observed", "evidence", "baselined", "review_status", "review_comment")
REPORTS_CSV = ("report", "status", "reason", "sha256", "encoding", "title", "region", "year", "published",
               "signed", "signer", "docno", "facts", "relations", "checked", "errors", "warnings", "infos")

# The history store's tables (their SQL types: auditor/history/store.py)
HISTORY_REPORTS = ("report_id", "issuer_key", "issuer", "issuer_parents", "kind", "year", "title_form", "report",
                   "name", "path", "sha256", "title", "region", "signer", "published_date", "signed_date", "docno",
                   "n_facts")
HISTORY_FACTS = ("report_id", "fact_id", "kind", "family", "metric", "value", "value_num", "unit", "qualifier", "lo",
                 "hi", "text", "label", "line", "start", "end", "sentence", "sentence_start", "sentence_end")
