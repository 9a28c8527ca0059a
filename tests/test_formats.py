"""Reports as they are published: PDF, Word (.docx) and HTML, their tables read as grids.

The two real PDFs (淮安市洪泽区 政府信息公开工作年度报告 2023 and 2024, ../shared/corpora/real_pdfs;
those tests are skipped when the folder is absent) are read with their drawn tables as grids and
every template identity checked; the 2023 report's appeals row (10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0,
whose block totals are 0) is its one anomaly. A Word file and an HTML page written here with the
same figures, their headers and labels merged over rows and columns, give the same relations.
A folder of every kind of file is accounted for, file by file.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import regex
from typer.testing import CliRunner

from auditor.cli import app
from auditor.ingest.discover import InputFile
from auditor.ingest.grid import RawCell, TextBuilder, join_lines
from auditor.ingest.html_text import html_document
from auditor.process import UnreadableReport, process_file, text_view

PDFS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real_pdfs"
PDF_2023, PDF_2024 = PDFS / "hongze_xxgk_2023.pdf", PDFS / "hongze_xxgk_2024.pdf"
needs_pdfs = pytest.mark.skipif(not PDF_2023.is_file() or not PDF_2024.is_file(),
                                reason=f"real PDFs not found in {PDFS} (../shared/corpora beside the repository)")

TEMPLATE_SOURCES = {"table:applicants": 23, "table:balance": 7, "table:outcomes": 7, "table:appeals": 3}

# The 2023 report's tables, as its PDF prints them: (group, item, figures by applicant).
ZERO = [0] * 7
OUTCOMES = [
    ("（一）予以公开", None, ZERO),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, [4, 0, 0, 0, 0, 0, 4]),
    ("（三）不予公开", "1.属于国家秘密", [1, 0, 0, 0, 0, 0, 1]),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", ZERO),
    ("（三）不予公开", "3.危及“三安全一稳定”", ZERO),
    ("（三）不予公开", "4.保护第三方合法权益", ZERO),
    ("（三）不予公开", "5.属于三类内部事务信息", ZERO),
    ("（三）不予公开", "6.属于四类过程性信息", [1, 0, 0, 0, 0, 0, 1]),
    ("（三）不予公开", "7.属于行政执法案卷", [1, 0, 0, 0, 0, 0, 1]),
    ("（三）不予公开", "8.属于行政查询事项", ZERO),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", [10, 0, 0, 0, 0, 0, 10]),
    ("（四）无法提供", "2.没有现成信息需要另行制作", [3, 0, 0, 0, 0, 0, 3]),
    ("（四）无法提供", "3.补正后申请内容仍不明确", ZERO),
    ("（五）不予处理", "1.信访举报投诉类申请", [1, 0, 0, 0, 0, 0, 1]),
    ("（五）不予处理", "2.重复申请", ZERO),
    ("（五）不予处理", "3.要求提供公开出版物", ZERO),
    ("（五）不予处理", "4.无正当理由大量反复申请", ZERO),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", ZERO),
    ("（六）其他处理", None, ZERO),
    ("（七）总计", None, [21, 0, 0, 0, 0, 0, 21]),
]
NEW, CARRIED_IN, CARRIED_OUT = [21, 0, 0, 0, 0, 0, 21], ZERO, ZERO
APPEALS = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
KINDS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
PROSE = ["洪泽区人民政府2023年政府信息公开工作年度报告",
         "（二）依申请公开情况。2023年全区受理政府信息公开申请21件，均在法定期限答复。",
         "三、收到和处理政府信息公开申请情况"]
AFTER = ["四、政府信息公开行政复议、行政诉讼情况"]
CLOSING = ["五、存在的主要问题及改进情况", "依申请公开工作规范性还有待提高。"]


def _docx(path: Path) -> Path:
    """The 2023 tables as a Word file: headers merged over rows and columns, each group's label
    merged down its items, 三、本年度办理结果 down every outcome row."""
    import docx

    document = docx.Document()
    for line in PROSE:
        document.add_paragraph(line)
    rows = 3 + 2 + len(OUTCOMES) + 1
    table = document.add_table(rows=rows, cols=10)
    table.cell(0, 0).merge(table.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table.cell(0, 3).merge(table.cell(0, 9)).text = "申请人情况"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "自然人"
    table.cell(1, 4).merge(table.cell(1, 8)).text = "法人或其他组织"
    table.cell(1, 9).merge(table.cell(2, 9)).text = "总计"
    for k, kind in enumerate(KINDS):
        table.cell(2, 4 + k).text = kind
    labelled = [("一、本年新收政府信息公开申请数量", NEW), ("二、上年结转政府信息公开申请数量", CARRIED_IN)]
    for r, (label, figures) in enumerate(labelled, start=3):
        _docx_row(table, r, label, figures)
    first = 5
    table.cell(first, 0).merge(table.cell(first + len(OUTCOMES) - 1, 0)).text = "三、本年度办理结果"
    r = first
    while r < first + len(OUTCOMES):
        group, item, _ = OUTCOMES[r - first]
        items = [o for o in OUTCOMES if o[0] == group]
        if item is None:
            table.cell(r, 1).merge(table.cell(r, 2)).text = group
        else:
            table.cell(r, 1).merge(table.cell(r + len(items) - 1, 1)).text = group
        for k, (_, name, figures) in enumerate(items):
            if name is not None:
                table.cell(r + k, 2).text = name
            for c, value in enumerate(figures):
                table.cell(r + k, 3 + c).text = str(value)
        r += len(items)
    _docx_row(table, rows - 1, "四、结转下年度继续办理", CARRIED_OUT)
    for line in AFTER:
        document.add_paragraph(line)
    appeals = document.add_table(rows=4, cols=15)
    appeals.cell(0, 0).merge(appeals.cell(0, 4)).text = "行政复议"
    appeals.cell(0, 5).merge(appeals.cell(0, 14)).text = "行政诉讼"
    for c, name in enumerate(RESULTS):
        appeals.cell(1, c).merge(appeals.cell(2, c)).text = name
        appeals.cell(2, 5 + c).text = name
        appeals.cell(2, 10 + c).text = name
    appeals.cell(1, 5).merge(appeals.cell(1, 9)).text = "未经复议直接起诉"
    appeals.cell(1, 10).merge(appeals.cell(1, 14)).text = "复议后起诉"
    for c, value in enumerate(APPEALS):
        appeals.cell(3, c).text = str(value)
    for line in CLOSING:
        document.add_paragraph(line)
    document.save(path)
    return path


def _docx_row(table, r: int, label: str, figures: list[int]) -> None:
    table.cell(r, 0).merge(table.cell(r, 2)).text = label
    for c, value in enumerate(figures):
        table.cell(r, 3 + c).text = str(value)


def _html() -> str:
    """The 2023 tables as an HTML page, merged cells by rowspan and colspan."""
    def cells(figures):
        return "".join(f"<td>{v}</td>" for v in figures)

    rows = ['<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            "<tr>" + "".join(f"<td>{k}</td>" for k in KINDS) + "</tr>",
            f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{cells(NEW)}</tr>',
            f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{cells(CARRIED_IN)}</tr>']
    seen = set()
    for i, (group, item, figures) in enumerate(OUTCOMES):
        head = f'<td rowspan="{len(OUTCOMES)}">三、本年度办理结果</td>' if i == 0 else ""
        if item is None:
            rows.append(f'<tr>{head}<td colspan="2">{group}</td>{cells(figures)}</tr>')
            continue
        span = "" if group in seen else f'<td rowspan="{sum(o[0] == group for o in OUTCOMES)}">{group}</td>'
        seen.add(group)
        rows.append(f"<tr>{head}{span}<td>{item}</td>{cells(figures)}</tr>")
    rows.append(f'<tr><td colspan="3">四、结转下年度继续办理</td>{cells(CARRIED_OUT)}</tr>')
    appeals = ['<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>',
               "<tr>" + "".join(f'<td rowspan="2">{r}</td>' for r in RESULTS)
               + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>',
               "<tr>" + "".join(f"<th>{r}</th>" for r in RESULTS * 2) + "</tr>",
               f"<tr>{cells(APPEALS)}</tr>"]
    paragraphs = lambda lines: "".join(f"<p>{line}</p>" for line in lines)  # noqa: E731
    return (f"<html><head><title>{PROSE[0]}</title></head><body>{paragraphs(PROSE[1:])}"
            f"<table>{''.join(rows)}</table>{paragraphs(AFTER)}<table>{''.join(appeals)}</table>"
            f"{paragraphs(CLOSING)}</body></html>")


def _scanned_pdf(path: Path) -> Path:
    """A page that is an image of text only, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), outline="black")
    image.save(path, "PDF")
    return path


def _record(path: Path, config):
    return process_file(InputFile(path, path.as_posix()), config)


def _identities(record) -> list[tuple]:
    """The template identities of a report: source, the stated figure's metric, the values compared."""
    rel, facts = record.relations, record.facts
    metric = dict(zip(facts["fact_id"], facts["metric"]))
    rows = [(rel["source"][i], metric[rel["stated_fact"][i]], rel["n_parts"][i], rel["stated_lo"][i],
             rel["computed_lo"][i], rel["computed_hi"][i])
            for i in range(len(rel["source"])) if rel["op"][i] == "table"]
    return sorted(rows)


def _sources(record) -> dict[str, int]:
    counts: dict[str, int] = {}
    for op, source in zip(record.relations["op"], record.relations["source"]):
        if op == "table":
            counts[source] = counts.get(source, 0) + 1
    return counts


# -- the real PDFs --------------------------------------------------------------------------


@needs_pdfs
@pytest.mark.parametrize("path", [PDF_2023, PDF_2024], ids=["2023", "2024"])
def test_a_pdfs_tables_are_read_as_grids_and_every_identity_checked(path, config):
    view = text_view(path.read_bytes(), ".pdf")
    assert len(view.page_starts) == 5 and len(view.grids) >= 7
    for grid in view.grids:  # every cell's text is the report text between its offsets
        for cell in grid.cells:
            assert view.text[cell.start:cell.end] == cell.text and cell.page is not None
    # the body stands in a frame drawn as a one-column table: its lines stay prose, as laid out
    assert "全区受理政府信息公开申请 21 件" in view.text or "受理政府\n信息公开申请 17 件" in view.text
    assert not any("总体情况" in c.text for g in view.grids for c in g.cells)
    record = _record(path, config)
    assert record.document["status"] == "ok"
    sources = _sources(record)
    assert {s: sources.get(s) for s in TEMPLATE_SOURCES} == TEMPLATE_SOURCES


@needs_pdfs
def test_the_pdf_cells_carry_their_place(config):
    record = _record(PDF_2023, config)
    facts = record.facts
    labels = {m: label for m, label in zip(facts["metric"], facts["label"]) if m}
    assert labels["new.natural_person"] == "本年新收(自然人)"
    assert labels["new.total"].startswith("本年新收〔第3页表5第4行第10列〕")
    assert labels["appeal1.总计"] == "行政复议〔第4页表7第4行第5列〕总计"


@pytest.fixture(scope="module")
def folder_audit(tmp_path_factory):
    """One CLI run over a folder of every kind of input, outputs written beside it."""
    root = tmp_path_factory.mktemp("formats")
    folder = root / "reports"
    folder.mkdir()
    if PDF_2023.is_file() and PDF_2024.is_file():
        shutil.copy(PDF_2023, folder / "hongze 2023.pdf")
        shutil.copy(PDF_2024, folder / "hongze 2024.pdf")
    _docx(folder / "hongze 2023.docx")
    (folder / "hongze 2023.html").write_text(_html(), encoding="utf-8")
    (folder / "passage.txt").write_text("\n".join(PROSE + CLOSING), encoding="utf-8")
    (folder / "old report.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "draft.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    _scanned_pdf(folder / "scan.pdf")
    (folder / "gold.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    (folder / ".hidden.txt").write_text("不读", encoding="utf-8")
    out = folder / "audit_out"  # the outputs inside the folder audited: left out of it
    out.mkdir()
    (out / "flags.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(folder), "--out", str(out), "-f", "json,csv,html", "-q", "-j", "1"])
    assert result.exit_code == 1, result.output
    flags = json.loads((out / "flags.json").read_text(encoding="utf-8"))
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as handle:
        reports = list(csv.DictReader(handle))
    with open(out / "relations.csv", encoding="utf-8-sig", newline="") as handle:
        relations = list(csv.DictReader(handle))
    return folder, flags, reports, relations


def test_the_html_report_marks_the_cells_a_table_flag_compares(folder_audit):
    folder, flags, _, _ = folder_audit
    flag = next(f for f in flags["flags"] if f["rule"] == "DISC004" and f["report"].endswith(".docx"))
    row = flag["evidence"][0]
    cells = [row["text"][a - row["start"]:b - row["start"]] for a, b in row["cells"]]
    assert row["text"].startswith("10 | 1 | 0") and sorted(cells) == ["0", "1", "10"]
    page = (folder / "audit_out" / "report.html").read_text(encoding="utf-8")
    marked = regex.findall(r'<mark[^>]*class="hl sev-error cell"[^>]*>([^<]*)</mark>', page)
    assert {"10", "1", "0", "5"} <= set(marked)


def _by_name(rows: list[dict]) -> dict[str, dict]:
    return {Path(r.get("path") or r["report"]).name: r for r in rows}


def test_every_file_of_a_folder_is_read_or_refused_with_its_reason(folder_audit):
    folder, flags, reports, _ = folder_audit
    expected = {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert set(_by_name(reports)) == expected == set(_by_name(flags["reports"]))
    status = {name: (r["status"], r["reason"]) for name, r in _by_name(flags["reports"]).items()}
    for name in expected - {"old report.doc", "draft.wps", "scan.pdf", "gold.jsonl"}:
        assert status[name] == ("ok", ""), name
    assert status["old report.doc"][0] == "error" and "Word 97-2003 (.doc)" in status["old report.doc"][1]
    assert status["draft.wps"][0] == "error" and "WPS (.wps)" in status["draft.wps"][1]
    assert status["scan.pdf"][0] == "error" and "scanned PDF: no text layer" in status["scan.pdf"][1]
    assert status["gold.jsonl"][0] == "error" and "not a report file (a .jsonl file)" in status["gold.jsonl"][1]
    refused = {Path(f["report"]).name for f in flags["flags"] if f["rule"] == "INPUT001"}
    assert refused == {"old report.doc", "draft.wps", "scan.pdf", "gold.jsonl"}
    csv_status = {name: r["status"] for name, r in _by_name(reports).items()}
    assert csv_status == {name: s for name, (s, _) in status.items()}


def test_the_appeals_anomaly_is_flagged_from_each_formats_grid(folder_audit):
    folder, flags, _, _ = folder_audit
    names = ["hongze 2023.docx", "hongze 2023.html"] + (["hongze 2023.pdf"] if PDF_2023.is_file() else [])
    for name in names:
        found = [f for f in flags["flags"] if Path(f["report"]).name == name and f["severity"] in ("error", "warning")]
        assert sorted(f["rule"] for f in found) == ["DISC004", "DISC004"], (name, found)
        messages = " ".join(f["message"] for f in found)
        assert "行政复议结果维持10 + 行政复议结果纠正1" in messages and "总计0" in messages
        assert "表" in messages and "第4行第5列" in messages  # the table, the row and column of the total
    if PDF_2023.is_file():
        pdf = [f for f in flags["flags"] if Path(f["report"]).name == "hongze 2023.pdf" and f["rule"] == "DISC004"]
        assert all("第4页" in f["message"] and f["evidence"][0]["page"] == 4 for f in pdf)
        assert pdf[0]["evidence"][0]["text"].startswith("10 | 1 | 0")
        clean = [f for f in flags["flags"] if Path(f["report"]).name == "hongze 2024.pdf"
                 and f["severity"] in ("error", "warning")]
        assert clean == []


def test_relations_csv_shows_the_template_identities(folder_audit):
    _, _, _, relations = folder_audit
    for name in ("hongze 2023.docx", "hongze 2023.html") + (("hongze 2023.pdf", "hongze 2024.pdf")
                                                             if PDF_2023.is_file() else ()):
        rows = [r for r in relations if Path(r["report"]).name == name and r["op"] == "table"]
        counts = {s: sum(r["source"] == s for r in rows) for s in TEMPLATE_SOURCES}
        assert counts == TEMPLATE_SOURCES, name


def test_word_and_html_give_the_pdfs_relations(folder_audit, config):
    folder, *_ = folder_audit
    word = _identities(_record(folder / "hongze 2023.docx", config))
    html = _identities(_record(folder / "hongze 2023.html", config))
    assert word == html
    assert {row[0] for row in word} == set(TEMPLATE_SOURCES) | {"table:text"}
    if PDF_2023.is_file():
        assert _identities(_record(PDF_2023, config)) == word


# -- grids ----------------------------------------------------------------------------------


def test_html_cells_are_placed_by_rowspan_and_colspan():
    text, _, grids = html_document(
        "<table><tr><td rowspan=2>项目</td><td colspan=2>申请人</td></tr>"
        "<tr><td>自然人</td><td>总计</td></tr><tr><td>新收</td><td>3</td><td></td></tr></table>"
        "<table><tr><td><table><tr><td>嵌套</td></tr></table></td><td>版面</td></tr></table>")
    assert len(grids) == 2 and grids[1].cells[0].text == "嵌套"  # the outer table of the second is page layout
    grid = grids[0]
    placed = [(c.row, c.column, c.rowspan, c.colspan, c.text) for c in grid.cells]
    assert placed[:4] == [(0, 0, 2, 1, "项目"), (0, 1, 1, 2, "申请人"), (1, 1, 1, 1, "自然人"), (1, 2, 1, 1, "总计")]
    assert grid.at(1, 0).text == "项目" and grid.at(0, 2).text == "申请人"
    assert all(text[c.start:c.end] == c.text for c in grid.cells)
    assert grid.at(2, 2).text == "" and grid.at(2, 2).start == grid.at(2, 1).end


def test_html_grid_offsets_count_after_the_title():
    text, _, grids = html_document("<title>标题</title><table><tr><td>甲</td><td>12</td></tr></table>")
    cell = grids[0].at(0, 1)
    assert text.startswith("标题\n") and text[cell.start:cell.end] == "12"


def test_word_cells_merged_over_rows_and_columns(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "纵向"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "横向"
    table.cell(1, 1).text, table.cell(1, 2).text = "5", "6"
    table.cell(2, 0).text = "合\n计"
    buffer = io.BytesIO()
    document.save(buffer)
    view = text_view(buffer.getvalue(), ".docx")
    assert view.text.splitlines()[:3] == ["前言", "纵向 | 横向", "5 | 6"]
    grid = view.grids[0]
    assert [(c.row, c.column, c.rowspan, c.colspan) for c in grid.cells][:2] == [(0, 0, 2, 1), (0, 1, 1, 2)]
    assert grid.at(1, 0).text == "纵向" and grid.at(2, 0).text == "合计"
    assert all(view.text[c.start:c.end] == c.text for c in grid.cells)


def test_the_text_builder_renders_rows_and_keeps_offsets():
    builder = TextBuilder()
    builder.page()
    builder.line("第一段")
    builder.table([RawCell(0, 0, "名称", colspan=2, page=1), RawCell(0, 2, "数", page=1),
                   RawCell(1, 0, "甲"), RawCell(1, 1, ""), RawCell(1, 2, "7")])
    builder.page()
    builder.line("下一页")
    document = builder.document()
    assert document.text == "第一段\n名称 | 数\n甲 |  | 7\n下一页\n"
    grid = document.grids[0]
    assert [document.text[c.start:c.end] for c in grid.cells] == ["名称", "数", "甲", "", "7"]
    assert document.page(document.text.index("下一页")) == 2 and grid.name() == "第1页表1"


@pytest.mark.parametrize("lines, joined", [
    ("结果\n维持", "结果维持"), ("三\n、\n本\n年", "三、本年"), ("total\nhandled", "total handled"),
    ("  ", ""), ("a|b", "a｜b"),
])
def test_a_cells_lines_are_joined(lines, joined):
    assert join_lines(lines) == joined


def test_a_grid_row_with_a_blank_cell_among_its_figures_is_left_blank(config):
    html = _html().replace("<td>4</td><td>0</td>", "<td>4</td><td></td>", 1)
    view = text_view(html.encode("utf-8"), ".html")
    from auditor.extract.tables.grids import read_grid_applications

    table = read_grid_applications(view.grids, view.text, config.template)
    partial = next(r for r in table.rows if r.name.startswith("部分公开"))
    assert partial.status == "blank" and table.row("new").read


def test_grid_labels_merged_over_rows_name_each_row(config):
    view = text_view(_html().encode("utf-8"), ".html")
    from auditor.extract.tables.grids import read_grid_applications

    table = read_grid_applications(view.grids, view.text, config.template)
    names = [r.name for r in table.rows]
    assert names[:4] == ["本年新收", "上年结转", "予以公开", "部分公开"]
    assert "属于国家秘密" in names and "其他处理" in names and names[-2:] == ["办理结果总计", "结转下年度"]
    assert len(table.read_rows()) == 2 + len(OUTCOMES) + 1


def test_a_table_that_is_no_template_table_leaves_the_text_reader_to_it(config):
    html = ("<p>2023年全区受理政府信息公开申请3件。</p><table><tr><td>项目</td><td>数量</td></tr>"
            "<tr><td>行政许可</td><td>550</td></tr></table>")
    view = text_view(html.encode("utf-8"), ".html")
    from auditor.extract.tables.grids import read_grid_applications

    assert read_grid_applications(view.grids, view.text, config.template) is None


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"), (b"not a pdf at all", "not a readable PDF"),
])
def test_unreadable_pdfs_say_why(data, reason):
    with pytest.raises(UnreadableReport, match=reason):
        text_view(data, ".pdf")


def test_a_scanned_pdf_is_refused(tmp_path):
    with pytest.raises(UnreadableReport, match="scanned PDF: no text layer on its 1 page "):
        text_view(_scanned_pdf(tmp_path / "scan.pdf").read_bytes(), ".pdf")


@pytest.mark.parametrize("data, reason", [(b"", "empty file"), (b"PK\x03\x04broken", "not a readable .docx")])
def test_unreadable_word_files_say_why(data, reason):
    with pytest.raises(UnreadableReport, match=reason):
        text_view(data, ".docx")


def test_the_formats_benchmark_times_a_file(tmp_path, capsys):
    from bench.formats import main

    assert main([str(_docx(tmp_path / "hongze.docx")), "--runs", "1"]) == 0
    row = capsys.readouterr().out.strip().splitlines()[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "hongze.docx" and cells[1] == "-" and int(cells[3]) == 2
    assert all(c.endswith(" s") for c in cells[4:])
