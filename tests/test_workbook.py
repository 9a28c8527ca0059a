"""flags.xlsx: its sheets and layout, inert report text, stable bytes, and reviews that survive a rerun."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import time
import zipfile
from io import BytesIO

import openpyxl
import pytest

from auditor.flag import Sides
from auditor.pipeline import AuditResult, audit
from auditor.report.csv_files import FACT_COLUMNS
from auditor.report.workbook import (FACT_HEADERS_ZH, FACTS_SHEET, FLAG_HEADERS, FLAGS_SHEET, REPORT_HEADERS,
                                     REPORTS_SHEET, STATUSES, Review, reviewed_path, workbook_bytes, write_workbook)
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
        assert sheet.freeze_panes == ("C2" if sheet.title == FLAGS_SHEET else "A2")  # 严重程度 and 规则 stay in view
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
        assert flags.cell(row, column("id")).value == flag.id
        assert flags.cell(row, column("status")).value == "待核实"
        assert flags.cell(row, column("baselined")).value is None
    assert flags.cell(2, column("message")).alignment.wrap_text


def test_flag_rows_quote_evidence_by_line_and_colour_severity(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    rows = flag_rows(tmp_path / "flags.xlsx")
    arith = next(f for f in result.flags if f.rule == "ARITH001")
    row = rows[arith.id]
    assert row[column("evidence") - 1].value == f"第61行: {arith.evidence[0].text}"
    assert row[column("line") - 1].value == 61
    assert row[column("severity") - 1].value == "错误"
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
    message = openpyxl.utils.get_column_letter(column("message"))
    assert flags.column_dimensions[message].width >= 50  # 问题描述: a fixed width, not fitted

    status = list(REPORT_HEADERS).index("status") + 1
    reports = book[REPORTS_SHEET]
    assert reports.cell(2, status).value == "无法读取" and reports.cell(2, status).fill.fgColor.rgb.endswith("FFC7CE")
    assert reports.cell(3, status).value == "已读取" and reports.cell(3, status).fill.fill_type is None


def test_reports_and_facts_sheets(tmp_path, result, config):
    write_workbook(tmp_path, result, config)
    book = openpyxl.load_workbook(tmp_path / "flags.xlsx")
    reports = list(book[REPORTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(reports) == len(result.records) == 2
    hengxian = next(r for r in reports if r[0].endswith(HENGXIAN.name))
    assert hengxian[3:8] == ("横县2020年度法治政府建设情况报告", "横县", 2020, "2021-02-25", "2020-02-25")
    assert hengxian[-3:] == (3, 0, 0)

    facts = book[FACTS_SHEET]
    assert [c.value for c in facts[1]] == [FACT_HEADERS_ZH[name] for name in FACT_COLUMNS]
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
    flag = dataclasses.replace(result.flags[0], message='=HYPERLINK("x")', sides=Sides(stated="+1", computed="http://x"),
                               region="123", category=markup)
    data = workbook_bytes(dataclasses.replace(result, flags=[flag]), {flag.id: Review("误报", "=1+1")})
    sheet = openpyxl.load_workbook(BytesIO(data))[FLAGS_SHEET]
    cells = {key: sheet.cell(2, column(key)) for key in ("message", "stated", "computed", "region", "category",
                                                          "comment")}
    assert {key: cell.value for key, cell in cells.items()} == {
        "message": """'=HYPERLINK("x")""", "stated": "'+1", "computed": "http://x", "region": "123",
        "category": "'" + markup, "comment": "'=1+1"}
    assert all(cell.data_type == "s" and cell.hyperlink is None for cell in cells.values())
    assert sheet.max_column == len(FLAG_HEADERS) and sheet.max_row == 2
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_control_characters_cannot_uncover_a_formula(tmp_path, result, config):
    flag = dataclasses.replace(result.flags[0], message="\x01=1+1", sides=Sides(stated="-2+3", computed="a\r\nb\rc"),
                               baselined=True)
    write_workbook(tmp_path, dataclasses.replace(result, flags=[flag]), config)
    row = flag_rows(tmp_path / "flags.xlsx")[flag.id]
    assert row[column("message") - 1].value == "'=1+1"
    assert row[column("computed") - 1].value == "a\nb\nc"  # as XML reads a carriage return back
    assert row[column("stated") - 1].value == "'-2+3"
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


# ---------------------------------------------------------------------------- the reviewer's workbook, through the CLI


def cli_audit(out, *args):
    from typer.testing import CliRunner

    from auditor.cli import app

    return CliRunner().invoke(app, ["audit", str(HENGXIAN), "--out", str(out), *map(str, args)])


def rows_by_rule(sheet, headers) -> dict[str, dict]:
    keys = list(headers)
    rows = {}
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(keys, values))
        rows.setdefault(row["rule"], row)
    return rows


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh")
    cli_audit(out)
    return out, openpyxl.load_workbook(out / "flags.xlsx")


def test_the_chinese_workbook_is_chinese_and_names_each_figure_by_its_meaning(chinese, config):
    _, book = chinese
    assert book.sheetnames == [FLAGS_SHEET, REPORTS_SHEET, FACTS_SHEET]
    sheet = book[FLAGS_SHEET]
    assert [c.value for c in sheet[1]][:10] == ["严重程度", "规则", "规则名称", "报告", "行号", "问题描述", "报告所述",
                                                "计算值", "要求", "差额"]
    rows = rows_by_rule(sheet, FLAG_HEADERS)
    arith = rows["ARITH001"]
    assert (arith["severity"], arith["category"], arith["title"]) == ("错误", "算术", config.rules["ARITH001"].zh["title"])
    assert arith["summary"] == config.rules["ARITH001"].zh["summary"]
    assert arith["stated"] == "受理58件" and arith["computed"].endswith("= 50件") and arith["required"] is None
    assert arith["difference"] == 8 and arith["line"] == 61 and arith["year"] == 2020  # numbers, not text
    assert rows["RATE001"]["difference"] == pytest.approx(0.19)
    date = rows["DATE001"]
    assert (date["stated"], date["required"], date["computed"]) == ("落款日期2020-02-25", "晚于报告期末2020-12-31", None)
    # no English left in a cell a reviewer reads (codes, ids, paths and figures aside)
    for row in rows.values():
        for key in ("severity", "category", "title", "summary", "stated", "required"):
            assert not re.search(r"[A-Za-z]{3,}", str(row[key] or "")), (row["rule"], key, row[key])
    assert book[REPORTS_SHEET].cell(2, 2).value == "已读取"
    figures = list(book[FACTS_SHEET].iter_rows(min_row=2, values_only=True))
    counts = [row for row in figures if row[2] == "计数"]
    assert counts and all(isinstance(row[3], (int, float)) for row in counts)  # 数值 as numbers


def test_rows_link_to_report_html_show_all_their_text_and_print_on_a4(chinese):
    out, book = chinese
    sheet = book[FLAGS_SHEET]
    page = (out / "report.html").read_text(encoding="utf-8")
    for r in range(2, sheet.max_row + 1):
        link = sheet.cell(r, column("link")).hyperlink
        flag_id = sheet.cell(r, column("id")).value
        assert (link.target, link.location) == ("report.html", f"flag-{flag_id}")
        assert f'id="flag-{flag_id}"' in page
    tall = [r for r in range(2, sheet.max_row + 1) if "\n" in (sheet.cell(r, column("evidence")).value or "")]
    assert tall and all(sheet.row_dimensions[r].height >= 3 * 14 for r in tall)  # DATE001 quotes three lines
    comment = openpyxl.utils.get_column_letter(column("comment"))
    assert sheet.column_dimensions[comment].width >= 40
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (1, None)
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$1:$1"


def test_a_run_without_report_html_links_to_nothing(tmp_path):
    cli_audit(tmp_path, "--format", "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "flags.xlsx")[FLAGS_SHEET]
    assert all(sheet.cell(r, column("link")).hyperlink is None for r in range(2, sheet.max_row + 1))


def test_the_english_workbook_is_english_and_its_reviews_read_back(tmp_path):
    from typer.testing import CliRunner

    from auditor.baseline import build_baseline
    from auditor.cli import app
    from auditor.report.workbook import FLAG_HEADERS_EN, STATUSES_EN

    cli_audit(tmp_path, "--lang", "en")
    path = tmp_path / "flags.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Flags", "Reports", "Figures"]
    sheet = book["Flags"]
    assert [c.value for c in sheet[1]] == list(FLAG_HEADERS_EN.values())
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"' + ",".join(STATUSES_EN) + '"'
    rows = rows_by_rule(sheet, FLAG_HEADERS_EN)
    assert rows["DATE001"]["severity"] == "error" and rows["DATE001"]["required"].startswith("after the end")
    flag_id = rows["DATE001"]["id"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column("id")).value == flag_id)
    sheet.cell(row, column("status")).value = "false positive"
    sheet.cell(row, column("comment")).value = "signed in time; a typo"
    book.save(path)
    result = CliRunner().invoke(app, ["baseline", str(path), "-o", str(tmp_path / "baseline.json")])
    assert result.exit_code == 0
    (entry,) = build_baseline(path)["flags"]
    assert (entry["id"], entry["status"], entry["comment"]) == (flag_id, "误报", "signed in time; a typo")
