"""Baselines: built from a flags.json or a reviewed flags.xlsx, loaded, applied; user errors as one line."""

from __future__ import annotations

import json

import openpyxl
import pytest

from auditor.baseline import apply_baseline, build_baseline, load_baseline, write_baseline
from auditor.errors import AuditorError
from auditor.pipeline import AuditResult
from auditor.report.json_report import write_flags_json
from auditor.report.workbook import FLAG_HEADERS, FLAGS_SHEET, write_workbook
from tests.test_workbook import audit_sample, flag_rows


@pytest.fixture(scope="module")
def result(tmp_path_factory, config) -> AuditResult:
    return audit_sample(tmp_path_factory, config)


@pytest.fixture
def flags(result):
    """The run's flags: apply_baseline returns them marked, and leaves these as they are."""
    return list(result.flags)


def column(key: str) -> int:
    return list(FLAG_HEADERS).index(key) + 1


def review(path, marks: dict[int, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Set (status, comment) on the given data rows of a flags.xlsx, as a reviewer would; id -> mark."""
    book = openpyxl.load_workbook(path)
    sheet = book[FLAGS_SHEET]
    marked = {}
    for row, (status, comment) in marks.items():
        sheet.cell(row, column("status")).value = status
        sheet.cell(row, column("comment")).value = comment or None
        marked[sheet.cell(row, column("id")).value] = (status, comment)
    book.save(path)
    return marked


def build_baseline_index(source):
    return {entry["id"]: entry for entry in build_baseline(source)["flags"]}


def test_reviewed_workbook_round_trip(tmp_path, result, config, flags):
    assert len(flags) >= 4
    write_workbook(tmp_path, result, config)
    marked = review(tmp_path / "flags.xlsx", {2: ("误报", "比率按四舍五入计算,无误"), 3: ("已整改", ""),
                                              4: ("确认问题", "待报告单位更正")})
    baseline_file = tmp_path / "baseline.json"
    assert write_baseline(tmp_path / "flags.xlsx", baseline_file) == 2

    document = json.loads(baseline_file.read_text(encoding="utf-8"))
    assert document["tool"] == "auditor" and document["format"] == 1
    assert document["source"] == str(tmp_path / "flags.xlsx")
    entries = document["flags"]
    assert [e["id"] for e in entries] == sorted(i for i, (status, _) in marked.items() if status != "确认问题")
    by_id = {f.id: f for f in flags}
    for entry in entries:
        assert set(entry) == {"id", "rule", "report", "message", "status", "comment"}
        assert (entry["status"], entry["comment"]) == marked[entry["id"]]
        assert (entry["rule"], entry["report"], entry["message"]) == tuple(
            getattr(by_id[entry["id"]], k) for k in ("rule", "report", "message"))
    assert "比率按四舍五入计算" in baseline_file.read_text(encoding="utf-8")  # not \u-escaped

    flags = apply_baseline(flags, load_baseline(baseline_file))
    assert {f.id for f in flags if f.baselined} == {e["id"] for e in entries}
    assert all(f.baselined is False for f in flags if f.id not in {e["id"] for e in entries})


def test_baselined_flags_show_in_the_next_workbook(tmp_path, result, config, flags):
    write_workbook(tmp_path, result, config)
    marked = review(tmp_path / "flags.xlsx", {2: ("误报", "")})
    flags = apply_baseline(flags, build_baseline_index(tmp_path / "flags.xlsx"))
    out = tmp_path / "next"
    write_workbook(out, AuditResult(result.records, result.frames, flags, result.validation, result.failed_rules),
                   config)
    rows = flag_rows(out / "flags.xlsx")
    assert {i for i, row in rows.items() if row[column("baselined") - 1].value == "已基线"} == set(marked)


def test_flags_json_round_trip(tmp_path, result, config, flags):
    write_flags_json(tmp_path / "flags.json", result.records, result.flags, config)
    baseline = build_baseline(tmp_path / "flags.json")
    assert [e["id"] for e in baseline["flags"]] == sorted(f.id for f in flags)
    assert {e["status"] for e in baseline["flags"]} == {"accepted"}
    assert {e["comment"] for e in baseline["flags"]} == {""}

    assert write_baseline(tmp_path / "flags.json", tmp_path / "baseline.json") == len(flags)
    flags = apply_baseline(flags, load_baseline(tmp_path / "baseline.json"))
    assert all(f.baselined is True for f in flags)


def test_apply_baseline_marks_every_flag(flags):
    marked = apply_baseline(flags, {flags[0].id: {}})
    assert all(flag.baselined is None for flag in flags)  # the flags given are left as they are
    flags = marked
    assert [f.baselined for f in flags] == [True] + [False] * (len(flags) - 1)


def foreign_workbook(path):
    book = openpyxl.Workbook()
    book.active.title = FLAGS_SHEET
    book.active.append(["问题编号", "审核状态"])  # no 规则, 报告, 问题描述, 审核意见
    book.save(path)


@pytest.mark.parametrize("name, content, says", [
    ("missing.json", None, "no such file"),
    ("notes.txt", "审核记录:无", "neither a flags.json nor a flags.xlsx (not valid JSON at line 1"),
    ("gbk.json", "审核".encode("gbk"), "neither a flags.json nor a flags.xlsx"),
    ("list.json", "[1, 2]", "not an audit's flags.json"),
    ("noid.json", '{"flags": [{"rule": "RATE001"}]}', 'flag 1 has no "id"'),
    ("broken.xlsx", b"PK\x03\x04 truncated", "not a readable .xlsx workbook"),
    ("columns.xlsx", foreign_workbook, "lacks the column(s) 规则、报告、问题描述、审核意见"),
])
def test_build_baseline_user_errors_name_the_file(tmp_path, name, content, says):
    path = tmp_path / name
    if callable(content):
        content(path)
    elif content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(AuditorError) as raised:
        build_baseline(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message


@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    ("{", "not an auditor baseline (not valid JSON at line 1"),
    ('{"tool": {"name": "auditor"}, "reports": [], "flags": []}', "not an auditor baseline"),
    ('{"tool": "auditor", "format": 2, "flags": []}', "format 2 is not supported"),
    ('{"tool": "auditor", "format": 1, "flags": {}}', '"flags" must be a list'),
])
def test_load_baseline_user_errors_name_the_file(tmp_path, content, says):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(AuditorError) as raised:
        load_baseline(path)
    assert str(raised.value).startswith(f"{path}: ") and says in str(raised.value)
