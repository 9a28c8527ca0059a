"""The frames' schemas (auditor.frames.FrameSchema) validate a frame whose columns have their types
without pandera's coercion, and any other frame with it: either way the frame comes out the same
as the declaration (coercion on) makes it, and what the declaration refuses is refused. The rows of
the validated frames that the flags read (auditor.flags._rows) are those to_dict gives, and the
figures the checks across years compare are found for every report at once (single_values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandas.testing import assert_frame_equal

from auditor.frames import DOCUMENTS_SCHEMA, FACTS_SCHEMA, RELATIONS_SCHEMA, build_frames
from auditor.process import ReportRecord, read_text
from tests.conftest import whole_report

SCHEMAS = {"documents": DOCUMENTS_SCHEMA, "facts": FACTS_SCHEMA, "relations": RELATIONS_SCHEMA}


@pytest.fixture(scope="module")
def frames(config):
    """Two reports' frames, one of them an unreadable input (a document row of None mostly)."""
    passage = "全年受理行政复议案件58件,其中维持42件、撤销16件,维持率72.4%。"
    read = read_text(whole_report(passage), {"report": "a.txt", "path": "a.txt", "status": "ok", "reason": ""},
                     config)
    unreadable = ReportRecord({"report": "b.txt", "path": "b.txt", "status": "error", "reason": "cannot read"})
    return build_frames([read, unreadable], config.thresholds)


def _as_declared(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return SCHEMAS[name].schema.validate(frame.copy(), lazy=True)


class _NotCalled:
    def validate(self, *args, **kwargs):
        raise AssertionError("a typed frame was coerced")


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_a_typed_frame_comes_out_as_the_declaration_makes_it_without_coercion(frames, name, monkeypatch):
    frame = frames.table(name)
    assert len(frame)
    expected = _as_declared(name, frame)
    monkeypatch.setattr(SCHEMAS[name], "schema", _NotCalled())
    assert_frame_equal(SCHEMAS[name].validate(frame.copy()), expected)


def test_a_nullable_text_column_of_none_only_becomes_a_str_column(frames):
    documents = frames.documents.copy()
    documents["docno"] = pd.Series([None] * len(documents), dtype=object)
    validated = DOCUMENTS_SCHEMA.validate(documents.copy())
    assert validated["docno"].dtype == "str" and validated["docno"].isna().all()
    assert_frame_equal(validated, _as_declared("documents", documents))


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_an_empty_untyped_frame_is_coerced_to_the_declared_types(frames, name):
    empty = pd.DataFrame(columns=list(frames.table(name).columns))  # every column object
    validated = SCHEMAS[name].validate(empty.copy())
    assert_frame_equal(validated, _as_declared(name, empty))
    assert all(validated[c].dtype == frames.table(name)[c].dtype for c in SCHEMAS[name].columns)


def test_a_column_of_another_type_is_coerced_as_declared(frames):
    facts = frames.facts.copy()
    facts["unit"] = pd.Series(np.arange(len(facts)), dtype=np.int64)  # str declared: coerced to '0', '1', …
    validated = FACTS_SCHEMA.validate(facts.copy())
    assert validated["unit"].dtype == "str" and validated["unit"].tolist()[:2] == ["0", "1"]
    assert_frame_equal(validated, _as_declared("facts", facts))


def test_what_the_declaration_refuses_is_refused(frames):
    facts = frames.facts.copy()
    facts.loc[facts.index[0], "kind"] = "not a kind"
    with pytest.raises(pa.errors.SchemaErrors, match="isin"):
        FACTS_SCHEMA.validate(facts)
    for column, value in (("unit", None), ("fact_key", frames.facts["fact_key"].iloc[-1])):
        typed = frames.facts.copy()  # its types are right: a missing unit, a key twice
        typed.loc[typed.index[0], column] = value
        with pytest.raises(pa.errors.SchemaErrors, match="not_nullable" if value is None else "field_uniqueness"):
            FACTS_SCHEMA.validate(typed)
    relations = frames.relations.copy()
    relations["op"] = pd.Series([1.5] * len(relations), dtype=object)  # an object column, no text in it
    with pytest.raises(pa.errors.SchemaErrors):
        RELATIONS_SCHEMA.schema.validate(relations.copy(), lazy=True)
    with pytest.raises(pa.errors.SchemaErrors):
        RELATIONS_SCHEMA.validate(relations)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_the_rows_a_flag_reads_are_those_to_dict_gives(frames, name):
    """auditor.flags._rows builds the rows a column at a time: the same dicts as
    to_dict("index"), a missing Int64, boolean or date value included (None, None, NaT)."""
    from auditor.checks.gx_suites import KEY_COLUMN
    from auditor.flags import _rows

    frame, key = frames.table(name), KEY_COLUMN[name]
    keys = set(frame[key])
    expected = frame.set_index(key, drop=False).to_dict("index")
    rows = _rows(frame, key, keys)
    assert list(rows) == list(expected)
    for row_key, row in rows.items():
        assert list(row) == list(expected[row_key])
        for column, value in row.items():
            wanted = expected[row_key][column]
            assert type(value) is type(wanted), (column, value, wanted)
            assert value is wanted or value == wanted or (pd.isna(value) and pd.isna(wanted)), (column, value, wanted)
    assert any(v is None for row in rows.values() for v in row.values()) or name != "documents"
    assert _rows(frame, key, set()) == {}


def test_single_values_are_the_first_statement_of_each_figure_every_statement_agrees_on():
    """auditor.frames.year_over_year.single_values: the key of a figure is its report, family,
    metric, kind and unit; two statements of it that disagree leave it out, a missing key or value
    is no statement, and the row kept is the first, in the frame's order, as a dict."""
    from auditor.frames.year_over_year import single_values

    nan = float("nan")
    rows = [  # report, family, metric, kind, unit, value_num, fact_id
        ("b.txt", "appeal", "received", "count", "件", 10.0, 0),
        ("a.txt", "appeal", "received", "count", "件", 7.0, 1),
        ("a.txt", "appeal", "received", "count", "件", 7.0, 2),     # agrees: the first (1) kept
        ("a.txt", "appeal", "concluded", "count", "件", 5.0, 3),
        ("a.txt", "appeal", "concluded", "count", "件", 6.0, 4),    # disagrees: left out
        ("a.txt", "appeal", "rate", "rate", "%", 90.0, 5),
        ("a.txt", "appeal", "received", "money", "元", 3.0, 6),     # another kind and unit: its own
        ("a.txt", "", "received", "count", "件", 1.0, 7),           # no family
        ("a.txt", "appeal", "", "count", "件", 1.0, 8),             # no metric
        ("a.txt", "appeal", "accepted", "count", "件", nan, 9),     # no value
        ("a.txt", "appeal", nan, "count", "件", 2.0, 10),           # a missing key
    ]
    facts = pd.DataFrame(rows, columns=["report", "family", "metric", "kind", "unit", "value_num", "fact_id"])
    found = single_values(facts)
    assert list(found) == [("b.txt", "appeal", "received", "count", "件"), ("a.txt", "appeal", "received", "count", "件"),
                           ("a.txt", "appeal", "rate", "rate", "%"), ("a.txt", "appeal", "received", "money", "元")]
    assert [row["fact_id"] for row in found.values()] == [0, 1, 5, 6]
    assert found[("a.txt", "appeal", "rate", "rate", "%")] == dict(zip(facts.columns, rows[5]))
    assert single_values(facts.iloc[:0]) == {}
