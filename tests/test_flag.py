"""Flag and Evidence are frozen values: what changes after a flag is built (its id, its review
state) is a new flag. Their JSON is the shape flags.json has always had: the quotes each part of
the pipeline makes keep their keys, their order and their nulls."""

from __future__ import annotations

import dataclasses
import json

import pytest

from auditor.baseline import apply_baseline
from auditor.flag import JSON_FIELDS, Evidence, Flag, Review, Sides
from auditor.flags import ordered_flags, quoted
from auditor.report.json_report import write_flags_json
from auditor.review import attach_reviews, state


def _flag(**changes) -> Flag:
    flag = Flag(report="reports/县2021.txt", rule="RATE001", name="rate", category="rate", severity="error",
                message="1900件 / 2000件 = 95%, 与所述96.5%不符", expected="95%", observed="96.5%",
                region="某县", year=2021, evidence=(Evidence("调解成功率为96.5%。", 10, 22, 3, column=5),),
                sides=Sides(stated="96.5%", computed="95%", difference=1.5))
    return dataclasses.replace(flag, **changes)


# The quotes as each maker writes them: a text file's sentence (auditor.process), a figure's
# sentence in the facts table (no column), an HTML page's (column unknown), a PDF's (its page), a
# table row (the cells it compares) and last year's report (auditor.frames.across_years).
QUOTES = [
    {"text": "共受理40件。", "start": 3, "end": 10, "line": 2, "column": 4},
    {"text": "共受理40件。", "start": 3, "end": 10, "line": 2},
    {"text": "共受理40件。", "start": 3, "end": 10, "line": 2, "column": None},
    {"text": "10 | 1 | 0", "start": 90, "end": 100, "line": 9, "column": 1, "page": 4},
    {"text": "| 合计 | 12 | 5 |", "start": 0, "end": 16, "line": 1, "column": 1, "cells": [[7, 9], [12, 13]]},
    {"text": "上年受理36件。", "start": 0, "end": 8, "line": 1, "column": None, "report": "r/2020.txt", "path": None},
    {"text": "上年受理36件。", "start": 0, "end": 8, "line": 1, "column": None, "report": "r/2020.txt",
     "path": "/data/r/2020.txt"},
]


@pytest.mark.parametrize("quote", QUOTES)
def test_a_quote_reads_back_as_it_was_made(quote):
    evidence = Evidence.from_dict(quote)
    assert json.dumps(evidence.to_json(), ensure_ascii=False) == json.dumps(quote, ensure_ascii=False)


def test_a_quote_with_a_key_no_maker_writes_is_refused():
    with pytest.raises(ValueError, match="unknown keys: colour"):
        Evidence.from_dict({"text": "x", "start": 0, "end": 1, "line": 1, "colour": "red"})


def test_a_flag_and_its_parts_cannot_be_changed_in_place():
    flag = _flag()
    for target, name, value in ((flag, "severity", "info"), (flag, "baselined", True),
                                (flag.evidence[0], "text", "x"), (flag.sides, "stated", "1"),
                                (Review("误报", "", "workbook"), "status", "确认问题")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, name, value)
    with pytest.raises(TypeError):
        flag.evidence[0] = flag.evidence[0]  # a tuple of quotes, not a list
    assert not hasattr(flag, "__dict__")  # slots: no attribute beside the declared fields


def test_ids_and_review_state_are_new_flags_and_leave_the_old_as_they_were():
    built = [_flag(), _flag(rule="ARITH001", evidence=())]
    ordered = ordered_flags(built)
    assert [f.id for f in built] == ["", ""] and all(len(f.id) == 16 for f in ordered)
    assert [f.rule for f in ordered] == ["ARITH001", "RATE001"]  # a flag with no quote comes first
    baseline = {ordered[0].id: {"status": "误报", "comment": "已核实"}}
    reviewed = attach_reviews(ordered, baseline)
    assert [f.baselined for f in ordered] == [None, None] and [f.review for f in ordered] == [None, None]
    assert [state(f) for f in reviewed] == ["baselined", "open"]
    assert reviewed[0].review == Review("误报", "已核实", "baseline")
    assert [f.baselined for f in apply_baseline(ordered, {})] == [False, False]
    assert attach_reviews(reviewed, None)[0].baselined is True  # no baseline given: the mark stays


def test_the_json_of_a_flag_is_the_shape_flags_json_has():
    flag = _flag(id="0123456789abcdef")
    shown = flag.to_json()
    assert list(shown) == list(JSON_FIELDS)  # no sides, no review state while it has none
    assert shown["evidence"] == [{"text": "调解成功率为96.5%。", "start": 10, "end": 22, "line": 3, "column": 5}]
    reviewed = dataclasses.replace(flag, baselined=False, review=Review("确认问题", "", "workbook"))
    assert list(reviewed.to_json())[-2:] == ["baselined", "review"]
    assert reviewed.to_json()["review"] == {"status": "确认问题", "comment": "", "source": "workbook"}
    assert Flag.from_json({**reviewed.to_json(), "sides": {"stated": "96.5%", "computed": "95%",
                                                          "difference": 1.5}}) == reviewed


def test_flags_json_of_a_run_holds_each_flag_as_its_json(tmp_path, seed_audit, config):
    flags = attach_reviews(seed_audit.flags, {seed_audit.flags[0].id: {}})
    write_flags_json(tmp_path / "flags.json", seed_audit.records, flags, config)
    written = json.loads((tmp_path / "flags.json").read_text(encoding="utf-8"))["flags"]
    assert written == [flag.to_json() for flag in flags]
    assert [list(entry) for entry in written] == [[*JSON_FIELDS, "baselined", *(["review"] if i == 0 else [])]
                                                  for i in range(len(flags))]
    assert [Flag.from_json(entry) for entry in written] == [dataclasses.replace(f, sides=Sides()) for f in flags]


def test_a_quote_of_another_report_names_it():
    assert quoted(Evidence.from_dict(QUOTES[5])) == "〔r/2020.txt〕上年受理36件。"
    assert quoted(Evidence.from_dict(QUOTES[0])) == "共受理40件。"
