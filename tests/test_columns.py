"""One registry of columns (auditor/columns.py): the frames, their schemas, the CSV files and the
history store take their columns from it, and what each output selects is a column of its table."""

from __future__ import annotations

import re

from auditor import columns
from auditor.columns import DOCUMENTS, FACT_RECORD, FACTS, RELATION_RECORD, RELATIONS, names
from auditor.frames import DOCUMENTS_SCHEMA, FACTS_SCHEMA, RELATIONS_SCHEMA, build_frames
from auditor.history import store
from auditor.process import read_text
from tests.conftest import whole_report

_ADDED_BY_THE_RELATIONS_WRITER = {"status", "failed_rules", "text", "start", "end", "line"}


def _ddl_columns(table: str) -> list[str]:
    statement = next(s for s in store._DDL if f"EXISTS {table} (" in s)
    body = statement[statement.index("(") + 1:statement.rindex(")")]
    return [re.match(r'\s*"?(\w+)"?', part).group(1) for part in body.split(",")]


def test_frames_have_the_registered_columns_in_order(config):
    passage = "全年受理行政复议案件58件,其中维持42件、撤销16件,维持率72.4%。"
    record = read_text(whole_report(passage), {"report": "a.txt", "path": "a.txt", "status": "ok", "reason": ""}, config)
    frames = build_frames([record], config.thresholds)
    assert list(frames.facts.columns) == list(names(FACTS))
    assert list(frames.relations.columns) == list(names(RELATIONS))
    assert list(frames.documents.columns) == list(names(DOCUMENTS))
    assert len(frames.facts) and len(frames.relations)


def test_each_schema_validates_the_typed_columns_of_its_frame():
    for schema, table in ((DOCUMENTS_SCHEMA, DOCUMENTS), (FACTS_SCHEMA, FACTS), (RELATIONS_SCHEMA, RELATIONS)):
        assert list(schema.columns) == [c.name for c in table if c.in_schema]
        assert all(schema.columns[c.name].nullable == c.nullable for c in table if c.in_schema)


def test_records_are_the_first_columns_of_their_frames():
    assert names(FACTS)[1:1 + len(FACT_RECORD)] == columns.FACT_FIELDS
    assert names(RELATIONS)[1:1 + len(RELATION_RECORD)] == columns.RELATION_FIELDS


def test_outputs_select_columns_their_tables_have():
    assert set(columns.FACTS_CSV) <= set(names(FACTS))
    assert set(columns.RELATIONS_CSV) - _ADDED_BY_THE_RELATIONS_WRITER <= set(names(RELATIONS))
    assert set(columns.PRIOR_DOCUMENT_COLUMNS) <= set(names(DOCUMENTS))
    assert set(columns.RATE_COLUMNS) <= set(columns.FACT_FIELDS)
    assert set(columns.HISTORY_FACTS) - {"report_id"} <= set(columns.FACT_FIELDS)


def test_history_tables_are_created_with_the_registered_columns():
    assert _ddl_columns("reports") == [*columns.HISTORY_REPORTS, "recorded_at"]
    assert _ddl_columns("facts") == list(columns.HISTORY_FACTS)
