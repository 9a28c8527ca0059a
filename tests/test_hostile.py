"""Bad, odd and hostile input: generated here (no binary blobs in the repository), audited in one
run, and the promises checked: nothing crashes, nothing is lost, every input is accounted for."""

from __future__ import annotations

import json
import os
import random
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import AuditorError
from auditor.extract.figures import extract_figures
from auditor.flag import Evidence, Flag
from auditor.pipeline import audit, read_reports
from auditor.process import _plain_decimal
from auditor.report.files import write_atomic
from tests.conftest import SEEDS
from tests.fuzzing import EMBEDDED, check_reading, mutated_texts, text_pool

ORIGINAL = (SEEDS / "000_bffc2002e0c26100.txt").read_text(encoding="utf-8")
PASSAGE = "2021年,全县各级人民调解委员会共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%。\n"


def _build_corpus(root):
    """name -> what it is; every file of the hostile corpus."""
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n   \n",
        "binary.txt": random.Random(0).randbytes(4096),
        "png renamed.txt": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2048),
        "cut in a character.txt": PASSAGE.encode("utf-8")[:-2],
        "gb18030.txt": ORIGINAL.encode("gb18030"),
        "utf16 bom.txt": ORIGINAL.encode("utf-16"),
        "utf16le no bom.txt": ORIGINAL.encode("utf-16-le"),
        "utf8 bom.txt": ORIGINAL.encode("utf-8-sig"),
        "crlf.txt": ORIGINAL.replace("\n", "\r\n").encode("utf-8"),
        "cr.txt": ORIGINAL.replace("\n", "\r").encode("utf-8"),
        "page.html": (
            "<html><head><title>某县2021年法治政府建设年度报告</title><style>.a{width:100%}</style>"
            "<script>var x = '共受理矛盾纠纷99999件,调解成功1件,调解成功率为50%';</script></head><body>"
            "<nav>您当前的位置:首页>政务公开</nav><div>扫一扫在手机打开当前页</div>"
            f"<p>{PASSAGE}</p><p>&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(\"x\")</p></body></html>"
        ).encode("utf-8"),
        # A seed report's figure density: about 90,000 figures in 10 MB.
        "ten megabytes.txt": (ORIGINAL * (10_000_000 // len(ORIGINAL.encode("utf-8")) + 1)).encode("utf-8"),
        # 3 MB without a line break or a full stop: one "sentence" that quotes must not repeat whole.
        "one long line.txt": (("坚持依法行政,推进法治政府建设," * 30 + "全县共开展普法活动12场,") * 2200).encode("utf-8"),
        "many blank lines.txt": ("\n" * 200_000 + PASSAGE).encode("utf-8"),  # no pattern may run over them
        "long number.txt": ("全年共办理案件" + "9" * 5000 + "件,其中受理3件。\n").encode("utf-8"),
        "嵌套/目录 一/报告 二〇二一.txt": PASSAGE.encode("utf-8"),
        "report.docx": _docx_bytes(),
        "report.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if hasattr(os, "symlink"):
        os.symlink(root / "嵌套", root / "嵌套" / "目录 一" / "loop")
    return files


def _docx_bytes() -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, config):
    root = tmp_path_factory.mktemp("hostile")
    files = _build_corpus(root)
    explicit = [root / "report.docx", root / "report.pdf"]  # named on the command line: read or refused
    first = audit([root, *explicit], config)
    second = audit([root, *explicit], config)
    return root, files, first, second


def _status(result):
    return {r.document["report"].rsplit("/", 1)[-1]: (r.document["status"], r.document["reason"]) for r in result.records}


def test_every_input_is_accounted_for(hostile):
    root, files, result, _ = hostile
    status = _status(result)
    for name in files:
        assert name.rsplit("/", 1)[-1] in status, name
    for name, (state, reason) in status.items():
        assert state in ("ok", "error")
        assert (state == "error") == bool(reason), (name, state, reason)


@pytest.mark.parametrize("name, reason", [
    ("empty.txt", "empty"), ("blank.txt", "empty"), ("binary.txt", "binary"), ("png renamed.txt", "binary"),
    ("report.docx", "not a readable .docx file"), ("report.pdf", "not a readable PDF"),
])
def test_unreadable_inputs_say_why(hostile, name, reason):
    state, why = _status(hostile[2])[name]
    assert state == "error" and reason in why


def test_unreadable_inputs_become_input_flags(hostile):
    result = hostile[2]
    unreadable = {name for name, (state, _) in _status(result).items() if state == "error"}
    flagged = {f.report.rsplit("/", 1)[-1] for f in result.flags if f.rule == "INPUT001"}
    assert unreadable <= flagged


def test_encodings_and_line_endings_give_the_same_flags(hostile):
    result = hostile[2]
    by_report = {}
    for flag in result.flags:
        by_report.setdefault(flag.report.rsplit("/", 1)[-1], []).append((flag.rule, flag.message))
    expected = by_report["utf8 bom.txt"]
    assert {rule for rule, _ in expected} >= {"DATE001", "ARITH001", "RATE001"}
    for name in ("gb18030.txt", "utf16 bom.txt", "utf16le no bom.txt", "crlf.txt", "cr.txt"):
        assert by_report[name] == expected, name


def test_a_truncated_utf8_file_is_read(hostile):
    assert _status(hostile[2])["cut in a character.txt"][0] == "ok"


def test_script_and_style_text_never_becomes_a_figure(hostile):
    facts = hostile[2].frames.facts
    page = facts[facts["report"].str.endswith("page.html")]
    assert not page["text"].str.contains("99999").any()
    assert set(page["text"]) >= {"2000件", "1900件", "96.5%"}


def test_big_inputs_are_read_and_quotes_stay_short(hostile):
    result = hostile[2]
    status = _status(result)
    for name in ("ten megabytes.txt", "one long line.txt", "long number.txt", "many blank lines.txt"):
        assert status[name][0] == "ok", name
    facts = result.frames.facts
    assert facts["sentence"].str.len().max() <= 1000
    for flag in result.flags:
        for quote in flag.evidence:
            assert len(quote.text) <= 1000


def test_a_number_of_thousands_of_digits_is_not_a_figure(hostile):
    facts = hostile[2].frames.facts
    long_number = facts[facts["report"].str.endswith("long number.txt")]
    assert long_number["value"].str.len().max() < 50


def test_nested_folders_odd_names_and_symlink_loops(hostile):
    status = _status(hostile[2])
    assert status["报告 二〇二一.txt"] == ("ok", "")
    assert sum(name == "报告 二〇二一.txt" for name in status) == 1  # the loop is not followed twice


def test_two_runs_give_identical_flags_ids_and_order(hostile):
    _, _, first, second = hostile
    assert first.flags == second.flags
    assert json.dumps([f.to_json() for f in first.flags], ensure_ascii=False) \
        == json.dumps([f.to_json() for f in second.flags], ensure_ascii=False)


def test_results_do_not_depend_on_the_number_of_jobs(config):
    one = read_reports([SEEDS], config, jobs=1)
    two = read_reports([SEEDS, SEEDS / ".." / "reports_in"], config, jobs=2)  # the same files twice: read once
    assert [r.document["sha256"] for r in one] == [r.document["sha256"] for r in two]
    assert [r.facts["text"] for r in one] == [r.facts["text"] for r in two]


def _changed_after_discovery(folder, name: str, change, monkeypatch):
    """FOLDER holding kept.txt and NAME, both a passage; CHANGE(path of NAME) runs once the inputs
    are discovered, before any is read."""
    from auditor import pipeline

    for file_name in ("kept.txt", name):
        (folder / file_name).write_text(PASSAGE, encoding="utf-8")
    real = pipeline.discover

    def discover_then_change(paths, exclude=(), **options):
        found = real(paths, exclude, **options)
        change(folder / name)
        return found

    monkeypatch.setattr(pipeline, "discover", discover_then_change)


def _documents_by_name(records) -> dict[str, dict]:
    return {r.document["report"].rsplit("/", 1)[-1]: r.document for r in records}


def test_a_file_that_vanishes_during_the_run(tmp_path, config, monkeypatch):
    _changed_after_discovery(tmp_path, "gone.txt", lambda path: path.unlink(), monkeypatch)
    status = _documents_by_name(read_reports([tmp_path], config))
    assert status["kept.txt"]["status"] == "ok"
    assert status["gone.txt"]["status"] == "error" and "cannot read" in status["gone.txt"]["reason"]


def test_a_missing_path_is_a_usage_error(tmp_path, config):
    with pytest.raises(AuditorError, match="no such file or folder"):
        read_reports([tmp_path / "nowhere"], config)


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "flags.json"
    target.write_text('{"old": true}', encoding="utf-8")

    def crash(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b'{"new": tru')
    assert target.read_text(encoding="utf-8") == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["flags.json"]


# --- one bad report never costs the others ---------------------------------------------------

ZERO_BEFORE_QIZHONG = "2021年，全县共收到行政复议申请0件，其中受理0件。\n"


def test_a_zero_total_before_qizhong_is_read(tmp_path, config):
    (tmp_path / "zero.txt").write_text(ZERO_BEFORE_QIZHONG, encoding="utf-8")
    [record] = read_reports([tmp_path], config)
    assert record.document["status"] == "ok" and record.internal_error is None
    assert record.relations["computed_expr"] == ["受理0件"]  # 0 = 0: one part, no flag


def test_a_reader_that_fails_on_one_report_loses_only_that_one(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from auditor import process
    from auditor.cli import app

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(PASSAGE if name != "b.txt" else "全年受理案件13件。\n" + PASSAGE,
                                            encoding="utf-8")
    real = process.read_text

    def fails_on_b(text, document, *args, **kwargs):
        if document["report"].endswith("b.txt"):
            raise ZeroDivisionError("forced")
        return real(text, document, *args, **kwargs)

    monkeypatch.setattr(process, "read_text", fails_on_b)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 3, result.output
    assert "b.txt" in result.stderr and "ZeroDivisionError" in result.stderr
    report = json.loads((out / "flags.json").read_text(encoding="utf-8"))
    status = {r["path"].rsplit("/", 1)[-1]: r for r in report["reports"]}
    assert status["b.txt"]["status"] == "error"
    assert "internal error" in status["b.txt"]["reason"]
    assert "ZeroDivisionError: forced at auditor/process.py" in status["b.txt"]["reason"]  # type and place
    assert status["a.txt"]["status"] == status["c.txt"]["status"] == "ok"
    rules = {(f["report"].rsplit("/", 1)[-1], f["rule"]) for f in report["flags"]}
    assert ("b.txt", "INPUT001") in rules
    assert ("a.txt", "RATE001") in rules and ("c.txt", "RATE001") in rules  # 1900 / 2000 = 95%, not 96.5%
    assert "b.txt" in (out / "summary.md").read_text(encoding="utf-8")
    assert {p.name for p in out.iterdir()} >= {"flags.json", "flags.csv", "facts.csv", "report.html", "flags.xlsx"}


# --- properties of the figure reader ---------------------------------------------------------

REPORTISH = st.text(
    alphabet=st.sampled_from(list("0123456789.,%年月日件项人次万亿元余多约其中共受理调解成功率为第〔〕号一二三四五六七八九十百千两〇零、,。;:()“”+-负 \n")),
    max_size=200,
)
EXAMPLES = 600


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(REPORTISH, st.text(max_size=200)))
def test_any_text_reads_without_error_and_offsets_slice_back(config, text):
    for fact in extract_figures(text, config.vocabulary, config.thresholds):
        assert text[fact.start:fact.end] == fact.text
        assert fact.lo <= fact.hi or fact.value is None


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**12, max_value=10**12))
def test_value_formatting_round_trips(value):
    written = _plain_decimal(value)
    assert "E" not in written and Decimal(written) == value


# --- the reader on damaged real text (python -m bench.fuzz runs this for as long as asked) --------

REAL_TEXTS = text_pool()  # the embedded passages, and the corpora and sample reports when present


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_texts(REAL_TEXTS))
def test_damaged_real_text_reads_and_points_into_itself(config, text):
    check_reading(text, config)


@pytest.mark.parametrize("text", EMBEDDED)
def test_the_embedded_passages_read_with_figures_and_relations(config, text):
    record = check_reading(text, config)
    assert record.n_facts >= 3 and record.n_relations >= 1  # undamaged, they hold what the mutations break


# --- any file name ---------------------------------------------------------------------------

GBK_NAME = b"\xb1\xa8\xb8\xe6.txt"  # 报告.txt as a GBK file system stores it: not UTF-8
GBK_FOLDER = b"\xc4\xea\xb6\xc8"    # 年度


def _non_utf8_corpus(root):
    """Two reports whose names are not UTF-8 (one in a folder whose name is not either), one that is."""
    folder = root / os.fsdecode(GBK_FOLDER)
    try:
        folder.mkdir(parents=True)
        (root / os.fsdecode(GBK_NAME)).write_text(PASSAGE, encoding="utf-8")
        (folder / os.fsdecode(b"\xbf\xd5.txt")).write_text(PASSAGE, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (root / "plain.txt").write_text(PASSAGE, encoding="utf-8")


def test_names_that_are_not_utf8_are_read_and_shown_escaped_in_every_output(tmp_path):
    from xml.etree import ElementTree

    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from auditor.cli import app

    _non_utf8_corpus(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output  # flags found (1900 / 2000 is not 96.5%), no crash
    report = json.loads((out / "flags.json").read_text(encoding="utf-8"))
    names = {r["path"].rsplit("/in/", 1)[-1]: r["status"] for r in report["reports"]}
    assert names == {r"\xb1\xa8\xb8\xe6.txt": "ok", r"\xc4\xea\xb6\xc8/\xbf\xd5.txt": "ok", "plain.txt": "ok"}
    ids = {f["report"].rsplit("/in/", 1)[-1]: f["id"] for f in report["flags"] if f["rule"] == "RATE001"}
    assert len(set(ids.values())) == 3  # the same passage, three names: three ids
    assert r"\xb1\xa8\xb8\xe6.txt" in (out / "flags.csv").read_text(encoding="utf-8-sig")
    assert r"\xb1\xa8\xb8\xe6.txt" in (out / "summary.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert r"\xb1\xa8\xb8\xe6.txt" in page and "could not be re-read" not in page  # the text was found again
    ElementTree.parse(out / "junit.xml")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for run in json.loads((out / "flags.sarif").read_text(encoding="utf-8"))["runs"]
            for res in run["results"] for loc in res["locations"]}
    assert any(uri.endswith("/in/%B1%A8%B8%E6.txt") for uri in uris)  # the bytes on disk
    book = load_workbook(out / "flags.xlsx", read_only=True)
    rows = [" ".join(map(str, row)) for row in book["问题清单"].iter_rows(values_only=True)]
    assert any(r"\xb1\xa8\xb8\xe6.txt" in row for row in rows)
    book.close()

    baseline = tmp_path / "baseline.json"
    assert CliRunner().invoke(app, ["baseline", str(out / "flags.json"), "-o", str(baseline)]).exit_code == 0
    again = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--out", str(tmp_path / "again"),
                                     "--baseline", str(baseline), "--jobs", "2"])
    assert again.exit_code == 0, again.output  # the same ids, whatever the number of jobs: all baselined


def test_a_missing_path_that_is_not_utf8_is_named_escaped(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    missing = tmp_path / os.fsdecode(b"\xb2\xbb\xb4\xe6.txt")  # 不存: not UTF-8
    result = CliRunner().invoke(app, ["audit", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(r"\xb2\xbb\xb4\xe6.txt: no such file or folder")


# --- bounded reading of workbooks and baselines ----------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{more}</Types>')


_CONTENT_TYPES = {
    "xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _flag_sheet_rows(ids=("0123456789abcdef", "fedcba9876543210")) -> str:
    """The header of 「问题清单」 and one row per id, marked 误报 (so a baseline keeps it)."""
    from openpyxl.utils import get_column_letter

    from auditor.report.workbook import FLAG_HEADERS

    keys = list(FLAG_HEADERS)
    header = "".join(_cell(f"{get_column_letter(i + 1)}1", title) for i, title in enumerate(FLAG_HEADERS.values()))
    rows = [f'<row r="1">{header}</row>']
    for n, flag_id in enumerate(ids, start=2):
        values = {"id": flag_id, "status": "误报", "rule": "RATE001", "report": "a.txt", "message": "m", "comment": ""}
        cells = "".join(_cell(f"{get_column_letter(keys.index(k) + 1)}{n}", v) for k, v in values.items() if v)
        rows.append(f'<row r="{n}">{cells}</row>')
    return "".join(rows)


def _write_xlsx(path, rows: str, dimension: str = "A1:O3", parts: dict | None = None) -> None:
    """A minimal workbook: 「问题清单」 with ROWS under a declared DIMENSION, plus PARTS (name -> XML
    or bytes, or a callable writing into the open archive) beside it."""
    parts = dict(parts or {})
    more = "".join(f'<Override PartName="/{name}" ContentType="{_CONTENT_TYPES.get(name, "application/xml")}"/>'
                   for name in parts if name.endswith(".xml"))
    sheet = (f'<worksheet xmlns="{_MAIN_NS}"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')
    rels = [f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>']
    if "xl/styles.xml" in parts:
        rels.append(f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>')
    if "xl/sharedStrings.xml" in parts:
        rels.append(f'<Relationship Id="rId3" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES.format(more=more))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{_PKG_NS}"><Relationship Id="rId1" '
                                        f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
                                            '<sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_NS}">{"".join(rels)}</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in parts.items():
            content(archive, name) if callable(content) else archive.writestr(name, content)


def _zeros(size: int):
    def write(archive, name):
        with archive.open(name, "w", force_zip64=True) as entry:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                entry.write(chunk)
    return write


_STYLES_BOMB = f'<styleSheet xmlns="{_MAIN_NS}"><cellXfs count="300000">' + "<xf/>" * 300_000 + "</cellXfs></styleSheet>"
_STRINGS_BOMB = f'<sst xmlns="{_MAIN_NS}">' + "<si><t/></si>" * 600_000 + "</sst>"


def _lying_sizes(path) -> None:
    """Declare the sheet 100 bytes long in the central directory while it holds far more."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            data[at + 24:at + 28] = (100).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


HOSTILE_WORKBOOKS = {
    # name: (rows of 「问题清单」, declared dimension, other parts, what the message says)
    "dimension beyond a workbook": (_flag_sheet_rows(), "A1:XFE2000000", {}, "larger than a workbook's"),
    "zip bomb": (_flag_sheet_rows(), "A1:O3", {"xl/media/image1.png": _zeros(300 << 20)}, "once uncompressed"),
    "part bomb": (_flag_sheet_rows(), "A1:O3", {"xl/theme/theme1.xml": _zeros(70 << 20)}, "once uncompressed"),
    "styles bomb": (_flag_sheet_rows(), "A1:O3", {"xl/styles.xml": _STYLES_BOMB}, "style records"),
    "shared strings bomb": (_flag_sheet_rows(), "A1:O3", {"xl/sharedStrings.xml": _STRINGS_BOMB}, "shared strings"),
    "cells bomb": (_flag_sheet_rows() + '<row r="4">' + '<c r="P4"/>' * 1_100_000 + "</row>", "A1:O3", {}, "cells"),
}


def _baseline_cli(source, output):
    import time

    from typer.testing import CliRunner

    from auditor.cli import app

    started = time.monotonic()
    result = CliRunner().invoke(app, ["baseline", str(source), "-o", str(output)])
    return result, time.monotonic() - started


@pytest.mark.parametrize("name", list(HOSTILE_WORKBOOKS))
def test_a_hostile_workbook_is_refused_in_seconds_with_a_message(tmp_path, name):
    rows, dimension, parts, says = HOSTILE_WORKBOOKS[name]
    source = tmp_path / "flags.xlsx"
    _write_xlsx(source, rows, dimension, parts)
    result, elapsed = _baseline_cli(source, tmp_path / "baseline.json")
    assert result.exit_code == 2, (result.exit_code, result.output)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"auditor: error: {source}:") and says in line, line
    assert elapsed < 10 and not (tmp_path / "baseline.json").exists()


def test_a_workbook_whose_sizes_lie_is_refused(tmp_path):
    source = tmp_path / "flags.xlsx"
    _write_xlsx(source, _flag_sheet_rows() + '<row r="4"><c r="A4"><v>1</v></c></row>' * 50_000)
    _lying_sizes(source)
    result, _ = _baseline_cli(source, tmp_path / "baseline.json")
    assert result.exit_code == 2 and "damaged" in result.stderr, result.output


def test_a_workbook_declaring_every_row_and_column_reads_only_what_it_holds(tmp_path):
    """A1:XFD1048576 is as large as a workbook gets: read, but only the flag columns and the rows
    that are there, and a last row far down is not a reason to fill a million rows out to XFD."""
    source = tmp_path / "flags.xlsx"
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    _write_xlsx(source, _flag_sheet_rows() + far, "A1:XFD1048576")
    result, elapsed = _baseline_cli(source, tmp_path / "baseline.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 flag(s)") and elapsed < 10


def test_a_workbook_with_more_rows_than_a_workbook_holds_is_read_to_its_last_row(tmp_path):
    source = tmp_path / "flags.xlsx"
    beyond = "".join(f'<row r="{n}"/>' for n in range(4, 300_000)) + (
        '<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>beyond</t></is></c>'
        + _cell("M1048577", "误报") + "</row>")
    _write_xlsx(source, _flag_sheet_rows() + beyond)
    result, elapsed = _baseline_cli(source, tmp_path / "baseline.json")
    assert result.exit_code == 0, result.output
    ids = [f["id"] for f in json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["flags"]]
    assert "beyond" not in ids and len(ids) == 2 and elapsed < 10


@pytest.mark.parametrize("content, says", [
    ("[" * 200_000 + "]" * 200_000, "nested more than"),
    ('{"tool": "auditor", "format": 1, "flags": [{"id": "a", "line": ' + "9" * 4300 + "}]}", "4,300 digits"),
    ('{"tool": "auditor", "format": 1, "flags": []' + ', "x": ' + "[" * 100 + "]" * 100 + "}", "nested more than"),
])
def test_a_hostile_baseline_json_exits_2_with_a_message(tmp_path, content, says):
    from typer.testing import CliRunner

    from auditor.cli import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PASSAGE, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    for command in (["audit", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--baseline", str(baseline)],
                    ["baseline", str(baseline), "-o", str(tmp_path / "b.json")]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, (command[0], result.output)
        [line] = result.stderr.strip().splitlines()
        assert str(baseline) in line and says in line, line
    assert not (tmp_path / "out").exists()  # refused before the audit ran


def test_a_hostile_workbook_in_the_output_folder_is_set_aside(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PASSAGE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    rows, dimension, parts, _ = HOSTILE_WORKBOOKS["styles bomb"]
    _write_xlsx(out / "flags.xlsx", rows, dimension, parts)
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "in"), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert len(list(out.glob("flags.reviewed-*.xlsx"))) == 1  # kept, unread, beside the new workbook


# --- outputs that are one run's ----------------------------------------------------------------

def _audit_cli(*args):
    from typer.testing import CliRunner

    from auditor.cli import app

    return CliRunner().invoke(app, ["audit", *map(str, args)])


@pytest.fixture
def one_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PASSAGE, encoding="utf-8")
    return folder


def test_out_that_is_not_a_folder_is_refused_before_the_audit(one_report, tmp_path, monkeypatch):
    from auditor import pipeline

    def never(*_, **__):
        raise AssertionError("the audit ran")

    monkeypatch.setattr(pipeline, "read_reports", never)
    a_file = tmp_path / "flags.json"
    a_file.write_text("{}", encoding="utf-8")
    for out, says in [("/dev/null", "--out /dev/null is not a folder"),
                      (a_file, f"--out {a_file.as_posix()} is not a folder"),
                      (a_file / "sub", f"cannot create --out {(a_file / 'sub').as_posix()}: not a directory")]:
        result = _audit_cli(one_report, "--out", out)
        assert result.exit_code == 2 and result.stderr == f"auditor: error: {says}\n", result.output


def test_an_out_folder_that_cannot_be_written_is_named_before_the_audit(one_report, tmp_path, monkeypatch):
    import errno

    from auditor import pipeline

    monkeypatch.setattr(pipeline, "read_reports", lambda *_, **__: pytest.fail("the audit ran"))
    real_open = os.open

    def read_only(path, *args, **kwargs):  # the file system of --out is mounted read-only
        if str(path).endswith(".auditor.lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    out = tmp_path / "audit_out"
    out.mkdir()
    result = _audit_cli(one_report, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"auditor: error: cannot write to {out.as_posix()}/: read-only\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="permissions do not bind root")
def test_an_out_folder_without_write_permission_is_named(one_report, tmp_path):
    out = tmp_path / "audit_out"
    out.mkdir(mode=0o555)
    result = _audit_cli(one_report, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == f"auditor: error: cannot write to {out.as_posix()}/: permission denied\n"


def test_a_second_run_into_the_same_folder_is_refused_at_once(one_report, tmp_path):
    """A real first run, in its own process, holds the folder while it audits (importing Great
    Expectations alone takes seconds); a second run meanwhile stops at once, and the first is unharmed."""
    import subprocess
    import sys
    import time

    from auditor.report.out_folder import LOCK_NAME

    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(one_report), "--out", str(out),
                              "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (out / LOCK_NAME).exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        second = _audit_cli(one_report, "--out", out)
        refused_in = time.monotonic() - started
        running = first.poll() is None
    finally:
        _, errors = first.communicate(timeout=120)
    if not running:
        pytest.skip("the first run ended before the second started")
    assert second.exit_code == 2 and refused_in < 2
    [line] = second.stderr.splitlines()
    assert f"--out {out.as_posix()}/ is in use by another auditor run (process {first.pid} on " in line
    assert first.returncode == 1, errors  # the first run's flags: 1900 / 2000 is not 96.5%
    assert json.loads((out / "flags.json").read_text(encoding="utf-8"))["reports"][0]["status"] == "ok"
    assert not (out / LOCK_NAME).exists()  # removed when the first run ended


def test_a_lock_left_by_a_killed_run_is_taken_over(one_report, tmp_path):
    import socket
    import subprocess
    import sys

    from auditor.report.out_folder import LOCK_NAME

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{ended.stdout.strip()} {socket.gethostname()}\n", encoding="utf-8")
    result = _audit_cli(one_report, "--out", out, "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert not (out / LOCK_NAME).exists() and (out / "flags.json").is_file()


def test_a_run_that_stops_early_leaves_no_lock_and_no_empty_folder(tmp_path):
    out = tmp_path / "out"
    result = _audit_cli(tmp_path / "nowhere.txt", "--out", out)
    assert result.exit_code == 2 and not out.exists()


def test_a_failed_run_leaves_the_previous_outputs_whole(one_report, tmp_path, monkeypatch):
    """A run's outputs are replaced together or not at all: a writer that fails leaves every
    output the previous run's (auditor.report.out_folder), flags.csv written before it included."""
    from auditor.report import writers

    out = tmp_path / "out"
    assert _audit_cli(one_report, "--out", out, "--jobs", "1").exit_code == 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (one_report / "b.txt").write_text(PASSAGE.replace("1900", "1930"), encoding="utf-8")

    def broken(*_):
        raise RuntimeError("disk gone")

    monkeypatch.setitem(writers.WRITERS, "sarif", broken)
    result = _audit_cli(one_report, "--out", out, "--jobs", "1")
    assert result.exit_code == 3 and "RuntimeError: disk gone" in result.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(after) == set(before)  # no temporary file, no lock left
    assert after["flags.json"] == before["flags.json"] and after["flags.sarif"] == before["flags.sarif"]
    assert after["flags.csv"] == before["flags.csv"]  # written before the failure, never moved in
    assert {name: data for name, data in after.items() if not name.endswith(".duckdb")} == \
        {name: data for name, data in before.items() if not name.endswith(".duckdb")}


# --- many small files --------------------------------------------------------------------------

def test_discovery_resolves_each_folder_not_each_file(tmp_path, monkeypatch):
    """realpath costs one lstat per component of a path (seven for 省/市/县/2021/x.txt, each a
    round trip on a network drive): taken once a folder, and for a file only when it is a link."""
    from auditor.ingest import discover as discovery

    deep = tmp_path / "省" / "市" / "县" / "2021"
    deep.mkdir(parents=True)
    for n in range(200):
        (deep / f"{n:03d}.txt").write_text(PASSAGE, encoding="utf-8")
    if hasattr(os, "symlink"):
        os.symlink(deep / "000.txt", tmp_path / "省" / "link.txt")  # the same file again: read once
        os.symlink(deep / "nowhere.txt", tmp_path / "省" / "broken.txt")
    calls = []
    real = os.path.realpath
    monkeypatch.setattr(discovery.os.path, "realpath", lambda path: calls.append(path) or real(path))
    found, skipped = discovery.discover([tmp_path])
    assert len(found) == 200 and len(calls) < 20
    if hasattr(os, "symlink"):
        names = [item.display.rsplit("/", 1)[-1] for item in found]
        assert names[0] == "link.txt" and "000.txt" not in names  # 省/link.txt sorts first: 000.txt through it
        assert [(s.path.name, s.reason) for s in skipped] == [("broken.txt", "broken symlink")]


# --- exit statuses: 2 for what the user can fix, 3 for a bug, with or without --debug ---------------

@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_bug_exits_3_with_or_without_debug(one_report, tmp_path, monkeypatch, debug):
    from auditor import pipeline

    def bug(*_, **__):
        raise ZeroDivisionError("a bug in the checks")

    monkeypatch.setattr(pipeline, "run_context", bug)
    result = _audit_cli(one_report, "--out", tmp_path / "out", "--jobs", "1", *debug)
    assert result.exit_code == 3, result.output
    assert result.stderr.strip().splitlines()[-1] == "auditor: internal error: ZeroDivisionError: a bug in the checks" \
        + ("" if debug else " (run again with --debug for details)")
    assert ("Traceback" in result.stderr) == bool(debug)


@pytest.mark.parametrize("content, says", [
    ("[" * 200_000 + "]" * 200_000, "nested more than"),
    ('{"tool": "auditor", "format": 1, "flags": [{"id": "a", "line": -' + "9" * 4300 + "}]}", "4,300 digits"),
])
def test_a_hostile_baseline_json_exits_2_with_debug_too(one_report, tmp_path, content, says):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    result = _audit_cli(one_report, "--out", tmp_path / "out", "--baseline", baseline, "--debug")
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("auditor: error: ") and str(baseline) in last and says in last


def _full_disk(monkeypatch, name):
    """Writing the output NAME fails as on a full disk, after part of it is written."""
    import errno

    from auditor.report import files

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.out = real_fdopen(handle, "wb")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.out.close()

        def write(self, piece):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen",
                        lambda handle, *a, **k: Full(handle) if name in os.readlink(f"/proc/self/fd/{handle}")
                        else real_fdopen(handle, *a, **k))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names a descriptor's file through /proc")
def test_a_full_disk_names_the_file_being_written(one_report, tmp_path, monkeypatch):
    _full_disk(monkeypatch, "flags.json")
    out = tmp_path / "out"
    result = _audit_cli(one_report, "--out", out, "--format", "json,csv", "--jobs", "1")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == \
        f"auditor: error: cannot write {(out / 'flags.json').as_posix()}: no space left on device"
    assert not list(out.glob(".flags.json.*.tmp"))  # no half-written temporary file left behind


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names a descriptor's file through /proc")
def test_a_full_disk_names_the_baseline_being_written(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from auditor.cli import app

    source = tmp_path / "flags.json"
    source.write_text('{"flags": [{"id": "a", "rule": "ARITH001"}]}', encoding="utf-8")
    _full_disk(monkeypatch, "baseline.json")
    result = CliRunner().invoke(app, ["baseline", str(source), "-o", str(tmp_path / "baseline.json")])
    assert result.exit_code == 2, result.output
    assert f"cannot write {(tmp_path / 'baseline.json').as_posix()}: no space left on device" in result.stderr


def test_a_write_that_fails_raises_an_error_naming_the_target(tmp_path, monkeypatch):
    import errno

    from auditor.errors import OutputError

    def read_only(*_):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(OutputError, match=r"cannot write .*report\.html: read-only file system"):
        write_atomic(tmp_path / "report.html", b"<html>")
    assert list(tmp_path.iterdir()) == []


# --- run safety and outputs: inputs stay inside what the user named ------------------------------

needs_links = pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="POSIX symlinks")


@pytest.fixture
def outside_and_inside(tmp_path):
    """in/ holding a report, a link to a file outside in/, a link to a folder outside it, a link
    to a file inside it, and a symlink loop; outside/ holding a report of its own."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(PASSAGE, encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(PASSAGE.replace("96.5%", "95%"), encoding="utf-8")  # no error flag
    os.symlink(outside / "secret.txt", folder / "x.txt")
    os.symlink(outside, folder / "out-link")
    os.symlink(folder / "a.txt", folder / "sub" / "same.txt")  # inside: the same file, read once
    os.symlink(folder, folder / "sub" / "loop")
    return folder


@needs_links
def test_a_link_out_of_a_named_folder_is_refused_with_its_reason(outside_and_inside):
    from auditor.ingest.discover import discover

    found, skipped = discover([outside_and_inside])
    assert [item.path.name for item in found] == ["a.txt"]
    refused = {s.path.name: s for s in skipped}
    assert set(refused) == {"x.txt", "out-link", "loop"}
    assert "outside" in refused["x.txt"].reason and "--follow-links" in refused["x.txt"].reason
    assert refused["out-link"].reason.startswith("symlink to a folder outside") and not refused["out-link"].info
    assert refused["loop"].info and "loop" in refused["loop"].reason
    followed, skipped = discover([outside_and_inside], follow_links=True)
    # x.txt and out-link/secret.txt are one file, read once (through the name sorted first)
    assert sorted(item.display for item in followed) == [f"{outside_and_inside.as_posix()}/{name}"
                                                          for name in ("a.txt", "out-link/secret.txt")]
    assert [s.path.name for s in skipped] == ["loop"]


@needs_links
def test_a_named_link_is_read_wherever_it_points(outside_and_inside):
    from auditor.ingest.discover import discover

    found, skipped = discover([outside_and_inside / "x.txt"])
    assert [item.path.name for item in found] == ["x.txt"] and skipped == []


@needs_links
def test_refused_links_are_in_reports_csv_and_a_loop_does_not_fail_the_gate(outside_and_inside, tmp_path):
    out = tmp_path / "out"
    result = _audit_cli(outside_and_inside, "--out", out, "--no-history", "-j", "1")
    rows = {row["report"].rsplit("/", 1)[-1]: row for row in _csv_rows(out / "reports.csv")}
    assert set(rows) == {"a.txt", "x.txt", "out-link"}  # the loop is no input: the folder it leads to was read
    assert rows["x.txt"]["status"] == "error" and "outside" in rows["x.txt"]["reason"]
    assert result.exit_code == 1  # a refused input is an INPUT001 error, as other refusals are
    flagged = {f["report"].rsplit("/", 1)[-1] for f in json.loads((out / "flags.json").read_text())["flags"]
               if f["rule"] == "INPUT001"}
    assert flagged == {"x.txt", "out-link"}
    os.unlink(outside_and_inside / "x.txt")
    os.unlink(outside_and_inside / "out-link")
    result = _audit_cli(outside_and_inside, "--out", out, "--no-history", "-j", "1")
    assert result.exit_code == 0, result.output  # a loop alone: no error, the gate passes
    assert [row["report"].rsplit("/", 1)[-1] for row in _csv_rows(out / "reports.csv")] == ["a.txt"]


@needs_links
def test_follow_links_reads_the_targets(outside_and_inside, tmp_path):
    out = tmp_path / "out"
    _audit_cli(outside_and_inside, "--out", out, "--no-history", "-j", "1", "--follow-links", "--format", "csv")
    rows = {row["report"].rsplit("/", 1)[-1]: row["status"] for row in _csv_rows(out / "reports.csv")}
    assert rows == {"a.txt": "ok", "secret.txt": "ok"}  # x.txt is the same file as out-link/secret.txt


def _csv_rows(path):
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_file_swapped_for_a_fifo_after_discovery_is_refused_not_waited_on(tmp_path, config, monkeypatch):
    import signal

    def swap(path):
        path.unlink()
        os.mkfifo(path)

    def hung(*_):
        raise AssertionError("the run waited on a FIFO")

    _changed_after_discovery(tmp_path, "swapped.txt", swap, monkeypatch)
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        records = read_reports([tmp_path], config)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    status = _documents_by_name(records)
    assert status["kept.txt"]["status"] == "ok"
    assert status["swapped.txt"]["status"] == "error" and "not a regular file (a FIFO)" in status["swapped.txt"]["reason"]


@pytest.mark.parametrize("out_name", [None, "results/run1"])
def test_the_output_folder_inside_the_input_is_never_read(tmp_path, monkeypatch, out_name):
    """`auditor audit .` with the default audit_out/, and --out somewhere else inside the input:
    the second run does not read the first run's report.html or any other output."""
    (tmp_path / "a.txt").write_text(PASSAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = ["--out", out_name] if out_name else []
    out = tmp_path / (out_name or "audit_out")
    for _ in range(2):
        result = _audit_cli(".", *options, "--no-history", "-j", "1")
        assert result.exit_code in (0, 1), result.output
        assert (out / "report.html").is_file()
        assert [row["report"] for row in _csv_rows(out / "reports.csv")] == ["a.txt"]


# --- run safety and outputs: every text channel escaped for its format ---------------------------

HOSTILE_NAME = "in/a.txt\n# Injected heading\n[link](http://evil.example)<img src=x onerror=alert(1)>|`x`\r\x1b[2J.txt"


def _hostile_flag(report=HOSTILE_NAME, message="差值为\n## 注入 <b>粗体</b> | 列 `代码`"):
    return Flag(id="0123456789abcdef", severity="error", category="arithmetic", rule="ARITH001", report=report,
                message=message, evidence=(Evidence("x", 0, 1, 3),))


def _markdown_lines_outside_tables(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if not line.startswith("|")]


def test_summary_md_escapes_names_messages_and_reasons():
    from auditor.process import ReportRecord
    from auditor.report.markdown import render_summary

    records = [ReportRecord({"report": HOSTILE_NAME, "status": "ok", "reason": ""}),
               ReportRecord({"report": HOSTILE_NAME + "2", "status": "error",
                             "reason": "cannot read\n## Also injected <script>x</script>"})]
    markdown = render_summary(records, [_hostile_flag()], ("md", "json"))
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings == ["# auditor summary", "## Flags", "## Unreadable inputs"]
    assert "<img" not in markdown and "<b>" not in markdown and "<script>" not in markdown
    assert "](" not in markdown.replace("\\](", "")  # no link: every bracket escaped
    assert "\r" not in markdown and "\x1b" not in markdown and "\\x1b\\[2J" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| error | ARITH001"))
    unescaped_pipes = len(re.findall(r"(?<!\\)\|", row))
    assert unescaped_pipes == 6  # five cells: the name's and the message's pipes stay inside theirs
    listed = [line for line in _markdown_lines_outside_tables(markdown) if line.startswith("- ")]
    assert len(listed) == 1 and "\\`x\\`" in listed[0] and "&lt;script&gt;" in listed[0]


def test_summary_md_of_ordinary_names_is_as_before():
    from auditor.process import ReportRecord
    from auditor.report.markdown import render_summary

    flag = _hostile_flag("省/report_001 二〇二一 \\xb1\\xa8.txt", "调解成功率应为95%,报告为96.5%")
    markdown = render_summary([ReportRecord({"report": flag.report, "status": "ok", "reason": ""})], [flag])
    assert "| error | ARITH001 | 省/report_001 二〇二一 \\xb1\\xa8.txt | 3 | 调解成功率应为95%,报告为96.5% |" in markdown


def test_a_backslash_in_a_name_cannot_unescape_a_pipe():
    from auditor.process import ReportRecord
    from auditor.report.markdown import render_summary

    flag = _hostile_flag("a\\|b\\", "m")
    markdown = render_summary([ReportRecord({"report": flag.report, "status": "ok", "reason": ""})], [flag])
    row = next(line for line in markdown.splitlines() if line.startswith("| error | ARITH001"))
    assert row == "| error | ARITH001 | a\\\\\\|b\\\\ | 3 | m |"  # a\\|b\\: the backslashes doubled


def test_the_terminal_shows_control_characters_as_escapes():
    from auditor.listing import text_lines
    from auditor.process import ReportRecord
    from auditor.terminal import report_lines, summary_line

    records = [ReportRecord({"report": HOSTILE_NAME, "status": "error", "reason": "bad \x07\u202e"})]
    printed = "\n".join([*report_lines(records, []), *text_lines([_hostile_flag()]), summary_line(records, [], "o\x1b")])
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed and "\r" not in printed
    assert "\\x1b[2J.txt" in printed and "\\x07\\u202e" in printed and "o\\x1b/" in printed


def test_csv_cells_hold_no_nul_and_numbers_stay_numbers(tmp_path):
    import pandas as pd

    from auditor.report.csv_files import write_csv

    frame = pd.DataFrame({"value": pd.array(["-5", "+3.5", "-1e3", "12"], dtype="string"),
                          "text": pd.array(["=1+1", "-1+2", "a\x00b", "@SUM(A1)"], dtype="string"),
                          "mixed": ["-7", None, "c\x00", "-x"], "n": [-5, 1, 2, 3]})
    write_csv(tmp_path / "t.csv", frame)
    data = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "\x00" not in data
    rows = _csv_rows(tmp_path / "t.csv")
    assert [r["value"] for r in rows] == ["-5", "+3.5", "-1e3", "12"]  # numbers: no formula guard
    assert [r["text"] for r in rows] == ["'=1+1", "'-1+2", "a\ufffdb", "'@SUM(A1)"]
    assert [r["mixed"] for r in rows] == ["-7", "", "c\ufffd", "'-x"] and rows[0]["n"] == "-5"


def test_workbook_cells_hold_no_nul_and_numbers_stay_numbers():
    """The workbook writes a number as a number, and any text as text, quoted when it starts like a
    formula: there "-5" as text is text, shown as written."""
    from auditor.report.workbook import _cell_value

    assert [_cell_value(v) for v in ["-5", "-1+2", "a\x00b", "=A1", -5, -2.5]] == ["'-5", "'-1+2", "ab", "'=A1", -5, -2.5]


# --- run safety and outputs: flags.json and flags.sarif bounded --------------------------------

def _many_flags(n: int) -> list[Flag]:
    severities = ("info", "warning", "error")
    return [Flag(id=f"{i:016x}", report=f"r{i % 7}.txt", rule="ARITH001", name="sum", category="arithmetic",
                 severity=severities[i % 3], message=f"=flag {i}", expected="1", observed="2", region=None, year=2021,
                 evidence=(Evidence("x", 0, 1, 1, column=1),))
            for i in range(n)]


def test_capped_keeps_errors_first_in_the_runs_order_and_counts_the_rest():
    from auditor.report.json_report import capped

    flags = _many_flags(10)
    assert capped(flags, 10) == (flags, None)
    kept, omitted = capped(flags, 4)
    assert [int(f.id, 16) for f in kept] == [1, 2, 5, 8]  # the three errors and the first warning, in order
    assert omitted == {"count": 6, "error": 0, "warning": 2, "info": 4, "every_flag_in": "flags.csv"}


def test_flags_json_under_the_cap_is_as_before_and_over_it_says_what_it_left_out(tmp_path, config):
    from auditor.process import ReportRecord
    from auditor.report.json_report import flags_document, write_flags_json

    flags = _many_flags(9)
    records = [ReportRecord({"report": f"r{i}.txt", "status": "ok", "reason": ""}) for i in range(7)]
    write_flags_json(tmp_path / "flags.json", records, flags, config, limit=9)
    whole = json.dumps(flags_document(records, flags, config), ensure_ascii=False, indent=2).encode() + b"\n"
    assert (tmp_path / "flags.json").read_bytes() == whole
    write_flags_json(tmp_path / "flags.json", records, flags, config, limit=5)
    document = json.loads((tmp_path / "flags.json").read_text(encoding="utf-8"))
    assert len(document["flags"]) == 5 and len(document["reports"]) == 7
    assert document["flags_omitted"] == {"count": 4, "error": 0, "warning": 1, "info": 3, "every_flag_in": "flags.csv"}
    assert [flag["severity"] for flag in document["flags"]] == ["warning", "error", "warning", "error", "error"]


def test_flags_sarif_over_the_cap_says_what_it_left_out(config):
    from types import SimpleNamespace

    from auditor.report.sarif import build_sarif

    result = SimpleNamespace(flags=_many_flags(9))
    whole = build_sarif(result, config, limit=9)["runs"][0]
    assert len(whole["results"]) == 9 and "properties" not in whole and "invocations" not in whole
    assert whole == build_sarif(result, config)["runs"][0]
    run = build_sarif(result, config, limit=4)["runs"][0]
    assert len(run["results"]) == 4 and all(r["level"] != "note" for r in run["results"][:3])
    assert run["properties"]["flagsOmitted"]["count"] == 5
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert note.startswith("5 of 9 flags are not in this file") and "flags.csv" in note


def test_a_baseline_of_a_capped_flags_json_takes_every_flag_from_flags_csv(tmp_path, config):
    from auditor.baseline import build_baseline
    from auditor.process import ReportRecord
    from auditor.report.csv_files import flags_frame, write_csv
    from auditor.report.json_report import write_flags_json

    flags = _many_flags(12)
    records = [ReportRecord({"report": f"r{i}.txt", "status": "ok", "reason": ""}) for i in range(7)]
    write_flags_json(tmp_path / "flags.json", records, flags, config, limit=5)
    with pytest.raises(AuditorError, match="flags.csv.*is missing"):
        build_baseline(tmp_path / "flags.json")
    write_csv(tmp_path / "flags.csv", flags_frame(flags))
    baseline = build_baseline(tmp_path / "flags.json")
    assert sorted(entry["id"] for entry in baseline["flags"]) == sorted(flag.id for flag in flags)
    assert {entry["message"] for entry in baseline["flags"]} == {flag.message for flag in flags}  # unquoted


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"a": [1, {"b": "文字"}], "c": None}, [2, 3], "x", 4.5]])
def test_a_streamed_list_is_written_as_the_list_would_be_drawn_from_its_iterable(items):
    from auditor.report.files import Streamed, json_pieces

    drawn = []

    def each():
        for item in items:
            drawn.append(item)
            yield item

    document = {"before": 1, "items": Streamed(each(), len(items)), "after": {"d": []}}
    written = b"".join(json_pieces(document))
    assert written == json.dumps({"before": 1, "items": items, "after": {"d": []}},
                                 ensure_ascii=False, indent=2).encode() + b"\n"
    assert drawn == items  # drawn from the iterable as written, each once


def test_flags_json_lists_the_reports_of_its_flags_first_when_capped(tmp_path, config):
    from auditor.process import ReportRecord
    from auditor.report.json_report import write_flags_json

    records = [ReportRecord({"report": f"r{i}.txt", "status": "ok", "reason": ""}) for i in range(7)]
    records[5] = ReportRecord({"report": "r5.txt", "status": "error", "reason": "empty"})
    flags = [flag for flag in _many_flags(7) if flag.report in ("r3.txt", "r6.txt")]
    write_flags_json(tmp_path / "flags.json", records, flags, config, report_limit=4)
    document = json.loads((tmp_path / "flags.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in document["reports"]] == ["r0.txt", "r3.txt", "r5.txt", "r6.txt"]
    assert document["reports_omitted"] == {"count": 3, "every_report_in": "reports.csv"}
    assert "flags_omitted" not in document and len(document["flags"]) == 2


def test_report_html_lists_a_bounded_number_of_flags_and_reports(monkeypatch, config):
    from types import SimpleNamespace

    from auditor.frames import Frames
    from auditor.process import ReportRecord
    from auditor.report import html_report

    monkeypatch.setattr(html_report, "MAX_FLAGS_LISTED", 4)
    monkeypatch.setattr(html_report, "MAX_REPORTS_LISTED", 3)
    records = [ReportRecord({"report": f"r{i}.txt", "status": "error", "reason": "empty"}) for i in range(7)]
    result = SimpleNamespace(records=records, flags=_many_flags(10), frames=Frames(None, None, None), lang="zh")
    monkeypatch.setattr(html_report, "_charts", lambda result, config, rates: "")
    page = html_report.render_html(result, config)
    assert page.count('<tr class="flag ') == 4 and page.count('<tr class="report-row"') == 3
    assert page.count('<section class="report" id="r') == 3
    assert "6 more flag(s) not listed on this page" in page and "4 more report(s) not listed" in page
    assert "4 more report section(s) not listed" in page


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_a_folder_is_refused_with_its_reason(tmp_path):
    from auditor.ingest.discover import discover

    (tmp_path / "a.txt").write_text(PASSAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    found, skipped = discover([tmp_path])
    assert [item.path.name for item in found] == ["a.txt"]
    assert [(s.path.name, s.reason) for s in skipped] == [("pipe.txt", "not a regular file or folder")]
