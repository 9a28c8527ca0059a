"""flags.xlsx: its sheets and layout, inert report text, stable bytes, and reviews that survive a rerun."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import time
import zipfile
from io import BytesIO

import openpyxl
import pytest

from auditor.pipeline import AuditResult, audit
from auditor.report.csv_files import FACT_COLUMNS
from auditor.report.workbook import (FACTS_SHEET, FLAG_HEADERS, FLAGS_SHEET, REPORT_HEADERS, REPORTS_SHEET, STATUSES,
                                     Review, reviewed_path, workbook_bytes, write_workbook)
from tests.conftest import SEEDS

HENGXIAN = SEEDS / "000_bffc2002e0c26100.txt"
INJECTIONS = ('=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3")
# Formula-like lines, then a sentence that fails RATE001 (40 / 45 is not 100%) and one that quotes a formula.
PASSAGE = "\n".join([
    *INJECTIONS,
    "全年受理行政复议案件45件,办结40件,办结率达百分之百。",
    '=HYPERLINK("http://x","y")全市劳动人事争议仲裁机构共受理劳动争议案件1,248件,审结1,186件,仲裁结案率为98.6%。',
]) + "\n"


def audit_sample(tmp_path_factory, config) -> AuditResult:
    """One audit of a copy of a sample report and the passage above (Great Expectations: seconds)."""
    folder = tmp_path_factory.mktemp("reports")
    shutil.copy(HENGXIAN, folder / HENGXIAN.name)
    (folder / "passage.txt").write_text(PASSAGE, encoding="utf-8")
    return audit([folder], config)


@pytest.fixture(scope="module")
def result(tmp_path_factory, config) -> AuditResult:
    return audit_sample(tmp_path_factory, config)


def column(key: str) -> int:
    return list(FLAG_HEADERS).index(key) + 1


def fact_values(book, name: str) -> list:
    letter = openpyxl.utils.get_column_letter(FACT_COLUMNS.index(name) + 1)
    return [cell.value for cell in book[FACTS_SHEET][letter][1:]]


def flag_rows(path):
    sheet = openpyxl.load_workbook(path)[FLAGS_SHEET]
    return {sheet.cell(r, column("id")).value: sheet[r] for r in range(2, sheet.max_row + 1)}


def test_workbook_has_its_sheets_frozen_headers_filters_and_status_dropdown(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    book = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    assert book.sheetnames == [FLAGS_SHEET, REPORTS_SHEET, FACTS_SHEET]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.cell(1, 1).font.b and sheet.cell(1, 1).font.name == "Microsoft YaHei"

    flags = book[FLAGS_SHEET]
    assert [c.value for c in flags[1]] == list(FLAG_HEADERS.values())
    assert flags.max_row == len(result.flags) + 1
    (validation,) = flags.data_validations.dataValidation
    status = openpyxl.utils.get_column_letter(column("status"))
    assert validation.type == "list" and validation.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(validation.sqref) == f"{status}2:{status}{len(result.flags) + 1}"
    assert validation.allow_blank and validation.showErrorMessage and validation.errorTitle == "审核状态"
    assert validation.error == "请从列表中选择: 待核实、确认问题、误报、已整改"
    for row, flag in enumerate(result.flags, start=2):
        assert flags.cell(row, column("id")).value == flag["id"]
        assert flags.cell(row, column("status")).value == "待核实"
        assert flags.cell(row, column("baselined")).value is None
    assert flags.cell(2, column("message")).alignment.wrap_text


def test_flag_rows_quote_evidence_by_line_and_colour_severity(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    rows = flag_rows(tmp_path / "flags.xlsx")
    arith = next(f for f in result.flags if f["rule"] == "ARITH001")
    row = rows[arith["id"]]
    assert row[column("evidence") - 1].value == f"第61行: {arith['evidence'][0]['text']}"
    assert row[column("line") - 1].value == 61
    assert row[column("severity") - 1].fill.fgColor.rgb.endswith("FFC7CE")
    assert row[column("severity") - 1].font.color.rgb.endswith("9C0006")


def test_styles_mark_the_reviewer_columns_and_unreadable_reports(tmp_path, result, config):
    record = dataclasses.replace(result.records[0], document={**result.records[0].document, "status": "error"})
    write_workbook(tmp_path, dataclasses.replace(result, records=[record, *result.records[1:]]), config)
    book = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    flags = book[FLAGS_SHEET]
    for key in ("status", "comment"):
        header = flags.cell(1, column(key))
        assert header.font.b and header.fill.fgColor.rgb.endswith("FFF2CC")
    comment = flags.cell(2, column("comment"))  # empty, yet styled: the reviewer types here
    assert comment.value is None and comment.has_style and comment.alignment.wrap_text
    assert comment.font.name == "Microsoft YaHei" and comment.font.sz == 10 and comment.alignment.vertical == "top"
    assert flags.cell(2, column("status")).alignment.vertical == "top"
    assert flags.column_dimensions["G"].width >= 50  # 问题描述: a fixed width, not fitted

    status = list(REPORT_HEADERS).index("status") + 1
    reports = book[REPORTS_SHEET]
    assert reports.cell(2, status).value == "error" and reports.cell(2, status).fill.fgColor.rgb.endswith("FFC7CE")
    assert reports.cell(3, status).value == "ok" and reports.cell(3, status).fill.fill_type is None


def test_reports_and_facts_sheets(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    book = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    reports = list(book[REPORTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(reports) == len(result.records) == 2
    hengxian = next(r for r in reports if r[0].endswith(HENGXIAN.name))
    assert hengxian[3:8] == ("横县2020年度法治政府建设情况报告", "横县", 2020, "2021-02-25", "2020-02-25")
    assert hengxian[-3:] == (3, 0, 0)

    facts = book[FACTS_SHEET]
    assert [c.value for c in facts[1]] == FACT_COLUMNS
    assert facts.max_row == len(result.frames.facts) + 1
    assert "∞" in fact_values(book, "hi")  # 余 figures are unbounded above; xlsx cannot hold an infinite number


def test_formula_injection_stays_inert(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    book = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    strings = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in strings)
    assert not any(cell.value.startswith(("=", "+", "-", "@")) for cell in strings)
    sentences = fact_values(book, "sentence")
    for text in INJECTIONS:
        assert any(s.startswith("'" + text) for s in sentences)
    with zipfile.ZipFile(tmp_path / "flags.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_text_that_looks_like_a_formula_number_link_or_markup_stays_text(result):
    # Rich-text markup would otherwise go into the sheet's XML unescaped, here with a formula cell.
    markup = '<r><t>a</t></r></is></c><c r="Z9"><f>HYPERLINK("http://x")</f></c><c><is><r><t>b</t></r>'
    flag = {**result.flags[0], "message": '=HYPERLINK("x")', "expected": "+1", "observed": "http://x",
            "region": "123", "category": markup}
    data = workbook_bytes(dataclasses.replace(result, flags=[flag]), {flag["id"]: Review("误报", "=1+1")})
    sheet = openpyxl.load_workbook(BytesIO(data))[FLAGS_SHEET]
    cells = {key: sheet.cell(2, column(key)) for key in ("message", "expected", "observed", "region", "category",
                                                          "comment")}
    assert {key: cell.value for key, cell in cells.items()} == {
        "message": """'=HYPERLINK("x")""", "expected": "'+1", "observed": "http://x", "region": "123",
        "category": "'" + markup, "comment": "'=1+1"}
    assert all(cell.data_type == "s" and cell.hyperlink is None for cell in cells.values())
    assert sheet.max_column == len(FLAG_HEADERS) and sheet.max_row == 2
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_control_characters_cannot_uncover_a_formula(tmp_path, result, config):
    flag = {**result.flags[0], "message": "\x01=1+1", "expected": "-2+3", "observed": "a\r\nb\rc", "baselined": True}
    write_workbook(tmp_path, dataclasses.replace(result, flags=[flag]), config)
    row = flag_rows(tmp_path / "flags.xlsx")[flag["id"]]
    assert row[column("message") - 1].value == "'=1+1"
    assert row[column("observed") - 1].value == "a\nb\nc"  # as XML reads a carriage return back
    assert row[column("expected") - 1].value == "'-2+3"
    assert row[column("baselined") - 1].value == "已基线"


def test_two_writes_give_identical_bytes(tmp_path, result, config):
    write_workbook(tmp_path / "a", result, config)
    time.sleep(2.1)  # past the 2-second resolution of zip entry times
    write_workbook(tmp_path / "b", result, config)
    first = (tmp_path / "a" / "flags.xlsx").read_bytes()
    assert first == (tmp_path / "b" / "flags.xlsx").read_bytes()
    with zipfile.ZipFile(BytesIO(first)) as archive:
        (stamp,) = {info.date_time for info in archive.infolist()}
        assert stamp[0] == 1980  # a fixed time, not the time of writing
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_unreviewed_workbook_is_replaced_in_place(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    write_workbook(tmp_path, result, config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flags.xlsx"]


def test_reviewed_workbook_is_moved_aside_and_reviews_carried_over(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    path = tmp_path / "flags.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[FLAGS_SHEET]
    confirmed, commented = sheet.cell(2, column("id")).value, sheet.cell(3, column("id")).value
    sheet.cell(2, column("status")).value = "确认问题"
    sheet.cell(3, column("comment")).value = "已电话核实"
    book.save(path)
    reviewed = path.read_bytes()

    write_workbook(tmp_path, result, config)
    aside = tmp_path / f"flags.reviewed-{hashlib.sha256(reviewed).hexdigest()[:8]}.xlsx"
    assert aside == reviewed_path(path, reviewed) and aside.read_bytes() == reviewed
    rows = flag_rows(path)
    assert rows[confirmed][column("status") - 1].value == "确认问题"
    assert rows[commented][column("status") - 1].value == "待核实"
    assert rows[commented][column("comment") - 1].value == "已电话核实"
    untouched = set(rows) - {confirmed, commented}
    assert untouched and all(rows[i][column("status") - 1].value == "待核实" for i in untouched)

    # A rerun over its own carried-over reviews changes nothing and sets nothing more aside.
    carried = path.read_bytes()
    write_workbook(tmp_path, result, config)
    assert path.read_bytes() == carried
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["flags.xlsx", aside.name])


@pytest.mark.parametrize("content", ["garbage", "foreign workbook"])
def test_unreadable_or_foreign_workbook_is_moved_aside(tmp_path, result, config, content):
    path = tmp_path / "flags.xlsx"
    if content == "garbage":
        path.write_bytes(b"not a workbook")
    else:
        other = openpyxl.Workbook()
        other.active["A1"] = "某人自己的表"
        other.save(path)
    before = path.read_bytes()
    write_workbook(tmp_path, result, config)
    assert reviewed_path(path, before).read_bytes() == before
    assert openpyxl.load_workbook(path).sheetnames[0] == FLAGS_SHEET
