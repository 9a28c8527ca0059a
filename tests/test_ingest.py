"""Tests for auditor.ingest: file discovery, byte decoding and HTML-to-text."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.config import LineWrap
from auditor.ingest.decode import DecodeError, Decoded, decode_bytes
from auditor.ingest.discover import InputFile, discover
from auditor.ingest.html_text import html_to_text
from auditor.ingest.spans import layout_wraps, sentences

PASSAGE = "2020年,共接收行政复议申请62件,其中受理58件,不予受理4件。\n调解成功率为97.5%。"
PASSAGE_TRAD = "2020年,共接收行政覆議申請62件,其中受理58件,不予受理4件。\n調解成功率為97.5%。"


def _write(path: Path, content: str | bytes = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _symlink(link: Path, target: str | Path, target_is_directory: bool = False) -> None:
    try:
        os.symlink(target, link, target_is_directory=target_is_directory)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available here")


def _displays(found: list[InputFile]) -> list[str]:
    return [item.display for item in found]


# -- discover -------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """reports_in/ with nested folders whose names hold spaces and Chinese characters."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "reports_in"
    _write(root / "b.txt")
    _write(root / "a.HTML")
    _write(root / "年度 报告" / "二〇二〇 年.htm")
    _write(root / "年度 报告" / "深 层" / "报告.TXT")
    _write(root / "年度 报告" / "notes.md")       # no report inside a folder: skipped with a reason
    _write(root / "scan.pdf")                     # a report format: taken (read or refused later)
    _write(root / "old.DOC")                      # refused when read, with its own reason
    _write(root / ".hidden.txt")                  # hidden: ignored
    _write(root / ".cache" / "c.txt")             # inside a hidden folder: ignored
    _write(root / "audit_out" / "flags.json")     # the run's output folder, when excluded
    return root


def test_discover_walks_nested_folders(tree: Path) -> None:
    found, skipped = discover(["reports_in"], exclude=["reports_in/audit_out"])
    assert _displays(found) == [
        "reports_in/a.HTML",
        "reports_in/b.txt",
        "reports_in/old.DOC",
        "reports_in/scan.pdf",
        "reports_in/年度 报告/二〇二〇 年.htm",
        "reports_in/年度 报告/深 层/报告.TXT",
    ]
    assert found[0].path == Path("reports_in/a.HTML")  # relative, as given: not resolved
    assert [(s.path, s.reason) for s in skipped] == [
        (Path("reports_in/年度 报告/notes.md"),
         "not a report file (a .md file): auditor reads .txt, .html, .htm, .pdf, .docx")]


def test_discover_lists_every_other_file_as_skipped(tree: Path) -> None:
    _write(tree / "gold.jsonl")
    _write(tree / "README")
    found, skipped = discover(["reports_in"])  # no folder excluded: the outputs' files are no reports
    reasons = {s.path.name: s.reason for s in skipped}
    assert set(reasons) == {"gold.jsonl", "README", "notes.md", "flags.json"}
    assert "a .jsonl file" in reasons["gold.jsonl"] and "without a suffix" in reasons["README"]
    assert len(found) == 6


def test_discover_missing_path_is_skipped(tree: Path) -> None:
    found, skipped = discover(["no_such_folder", "reports_in/b.txt", "gone.txt"])
    assert _displays(found) == ["reports_in/b.txt"]
    assert [(s.path, s.reason) for s in skipped] == [
        (Path("no_such_folder"), "does not exist"),
        (Path("gone.txt"), "does not exist"),
    ]


def test_discover_keeps_explicitly_named_files_of_any_suffix(tree: Path) -> None:
    found, skipped = discover(["reports_in/scan.pdf", "reports_in/年度 报告/notes.md"])
    assert _displays(found) == ["reports_in/scan.pdf", "reports_in/年度 报告/notes.md"]
    assert skipped == []


def test_discover_reports_each_file_once(tree: Path) -> None:
    _symlink(tree / "年度 报告" / "b-link.txt", tree / "b.txt")
    found, _ = discover(["reports_in/b.txt", "reports_in", "reports_in/b.txt", "./reports_in"])
    displays = _displays(found)
    assert displays[0] == "reports_in/b.txt"  # the first route to a file wins
    assert len(displays) == len(set(displays)) == 6
    assert "reports_in/年度 报告/b-link.txt" not in displays


def test_discover_survives_symlink_loops(tree: Path) -> None:
    _symlink(tree / "年度 报告" / "深 层" / "up", Path(".."), target_is_directory=True)
    _symlink(tree / "self", Path("."), target_is_directory=True)
    found, skipped = discover(["reports_in"])
    assert len(found) == 6
    skipped = [s for s in skipped if not s.reason.startswith("not a report file")]
    assert {s.reason for s in skipped} == {"symlink loop"}
    assert {s.path for s in skipped} == {
        Path("reports_in/self"), Path("reports_in/年度 报告/深 层/up"),
    }


def test_discover_order_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = [f"r{i:02d}.txt" for i in range(20)]
    random.Random(0).shuffle(names)  # creation order must not leak into the result
    for name in names:
        _write(tmp_path / "z" / name)
        _write(tmp_path / "a" / name)
    first = discover(["z", "a"])
    assert first == discover(["z", "a"])
    displays = _displays(first[0])
    assert displays[:20] == sorted(displays[:20])   # sorted within an argument
    assert displays[0].startswith("z/") and displays[20].startswith("a/")  # arguments in order


# -- decode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
    ],
)
def test_decode_detects_encoding(codec: str, expected: str) -> None:
    decoded = decode_bytes(PASSAGE.encode(codec))
    assert decoded == Decoded(text=PASSAGE, encoding=expected)


def test_decode_big5() -> None:
    decoded = decode_bytes(PASSAGE_TRAD.encode("big5"))
    assert decoded.text == PASSAGE_TRAD
    assert decoded.encoding in ("big5", "cp950")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16-le"])
def test_decode_normalises_line_endings(newline: str, codec: str) -> None:
    data = (PASSAGE.replace("\n", newline) + newline).encode(codec)
    assert decode_bytes(data).text == PASSAGE + "\n"


def test_decode_large_gb18030_file_split_character_at_sample_edge() -> None:
    # Detection samples a prefix; an odd-length filler puts a 2-byte character across its edge.
    data = b"a" + (PASSAGE * 3000).encode("gb18030")
    decoded = decode_bytes(data)
    assert decoded.encoding == "gb18030"
    assert decoded.text == "a" + PASSAGE * 3000


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n", " \u3000\n".encode("utf-16")])
def test_decode_rejects_empty(data: bytes) -> None:
    with pytest.raises(DecodeError, match="^empty file$"):
        decode_bytes(data)


def test_decode_rejects_random_binary() -> None:
    data = random.Random(0).randbytes(4096)
    with pytest.raises(DecodeError, match="^binary file"):
        decode_bytes(data)


def test_decode_rejects_random_bytes_without_nuls() -> None:
    data = random.Random(1).randbytes(4096).replace(b"\x00", b"\x01")
    with pytest.raises(DecodeError):
        decode_bytes(data)


def test_decode_rejects_png_renamed_txt(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + random.Random(2).randbytes(512)
    path = _write(tmp_path / "report.txt", png)
    with pytest.raises(DecodeError, match="^binary file"):
        decode_bytes(path.read_bytes())


def test_decode_rejects_control_characters() -> None:
    with pytest.raises(DecodeError, match="^binary file"):
        decode_bytes(bytes(range(1, 32)) * 20)


@pytest.mark.parametrize("cut", [1, 2])
def test_decode_utf8_truncated_inside_last_character(cut: int) -> None:
    data = PASSAGE.encode("utf-8")[:-cut]  # "。" is 3 bytes: cut inside it
    assert decode_bytes(data) == Decoded(text=PASSAGE[:-1], encoding="utf-8")


def test_decode_refuses_invalid_bytes_in_the_middle() -> None:
    with pytest.raises(DecodeError, match="^undecodable"):
        decode_bytes(b"report \xff\xfe\xfd body")


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=512),
    st.text(max_size=100).map(lambda s: s.encode("utf-16-le", "surrogatepass")),
    st.text(max_size=100).map(lambda s: s.encode("gb18030", "replace")),
))
def test_decode_returns_text_or_decode_error(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        assert str(err)
    else:
        assert decoded.text.strip()
        assert "\r" not in decoded.text


# -- html -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>某县2020年
政府信息公开工作年度报告</title>
<style>.hidden-style { color: red }</style>
<script>var secretScript = "脚本";</script>
</head>
<body>
<nav><a href="/">导航首页</a> &gt; <a>导航栏目</a></nav>
<div class="article">
<h1>正文标题</h1>
<p>共接收申请<b>62</b>件,&nbsp;其中受理&#53;&#x38;件 &amp; 不予受理4件。</p>
<!-- 注释内容 -->
<p>第一段
   第二句</p>
<table>
<tr><th>项目</th><th>数量</th></tr>
<tr><td><p>受理</p></td><td><p><span>58</span></p></td></tr>
<tr><td>不予受理<td>4
</table>
<noscript>请启用脚本</noscript>
</div>
</body></html>"""


def _page_line(needle: str) -> int:
    return next(n for n, line in enumerate(PAGE.split("\n"), 1) if needle in line)


def test_html_drops_invisible_content() -> None:
    text, _ = html_to_text(PAGE)
    for hidden in ("secretScript", "hidden-style", "导航", "注释", "请启用脚本", "charset"):
        assert hidden not in text


def test_html_layout() -> None:
    text, _ = html_to_text(PAGE)
    assert text.split("\n") == [
        "某县2020年政府信息公开工作年度报告",   # title first; line break between CJK dropped
        "正文标题",
        "共接收申请62件, 其中受理58件 & 不予受理4件。",
        "第一段第二句",                      # likewise inside a paragraph
        "项目\t数量",
        "受理\t58",
        "不予受理\t4",
    ]


def test_html_source_line_mapping() -> None:
    text, offsets = html_to_text(PAGE)
    for needle, source in [
        ("某县", "<title>"),
        ("正文标题", "<h1>"),
        ("62", "共接收申请"),
        ("第二句", "第二句"),
        ("\t58", "<span>58"),
        ("不予受理\t4", "<td>不予受理"),
    ]:
        assert offsets.source_line(text.index(needle)) == _page_line(source), needle
    assert offsets.source_line(len(text) + 100) == _page_line("<td>不予受理")


def test_html_title_goes_first_wherever_it_is() -> None:
    text, offsets = html_to_text("<p>正文</p>\n<title>标题</title>")
    assert text == "标题\n正文"
    assert offsets.source_line(0) == 2
    assert offsets.source_line(3) == 1


def test_html_blank_lines_and_spaces() -> None:
    text, _ = html_to_text("<p>a  </p><br><br><br><br><p>  b\t c </p><pre>x\n\n\n\ny  </pre>")
    assert text == "a\n\nb c\nx\n\ny"


def test_html_layout_table_keeps_paragraphs_on_lines() -> None:
    paragraphs = "".join(f"<p>第{i}段</p>" for i in range(6))
    text, _ = html_to_text(f"<table><tr><td>栏目</td><td>{paragraphs}</td></tr></table>")
    assert text.split("\n") == ["栏目"] + [f"第{i}段" for i in range(6)]


def test_html_empty_and_unclosed_input() -> None:
    assert html_to_text("")[0] == ""
    assert html_to_text("<head><title>T</title><div>body text")[0] == "T\nbody text"
    assert html_to_text("<![bogus <p>x")[0] == "x"


_HTML_PIECES = st.sampled_from([
    "<", ">", "</", "<!", "<![", "<![if", "<!--", "-->", "<?", "&", "&nbsp;", "&#", ";",
    "<p>", "</p>", "<td>", "<tr>", "<table>", "</table>", "<title>", "</title>", "<head>",
    "<nav>", "<script>", "</script>", "<pre>", "<br/>", "\n", "\r", " ", "\xa0", "中", "a",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_HTML_PIECES | st.text(max_size=4)).map("".join)))
def test_html_to_text_never_raises(html: str) -> None:
    text, offsets = html_to_text(html)
    assert "\n\n\n" not in text
    assert all(line == line.rstrip(" ") for line in text.split("\n"))
    for offset in range(0, len(text) + 1, 5):
        assert offsets.source_line(offset) >= 1


# --- sentences and layout line breaks ------------------------------------------------------

def _sentences(text: str) -> list[str]:
    return [text[span.start:span.end] for span in sentences(text)]


def test_a_decimal_full_stop_ends_no_sentence() -> None:
    text = "立案378件,立案率91。7%;其中农业类23件,占5。6%。文化类15件,占3。9%。"
    assert _sentences(text) == ["立案378件,立案率91。7%;其中农业类23件,占5。6%。", "文化类15件,占3。9%。"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全年共受理12件。3月份起实行网上受理。", ["全年共受理12件。", "3月份起实行网上受理。"]),
        ("办结率达到98%。2021年以来未超期。", ["办结率达到98%。", "2021年以来未超期。"]),
        ("信息总数为1136。2023年新增。", ["信息总数为1136。", "2023年新增。"]),
        ("第一句。\n第二句", ["第一句。", "第二句"]),
    ],
)
def test_a_full_stop_after_a_figure_still_ends_its_sentence(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def _page(lines: int, width: int = 25) -> str:
    """A page of text cut into lines of `width` characters, with a heading and a paragraph end."""
    body = "政府信息公开工作持续推进取得新的成效各项制度不断完善" * lines
    cut = [body[i * width:(i + 1) * width] for i in range(lines)]
    return "一、总体情况\n" + "\n".join(cut) + "。\n二、存在的问题\n正文一行。\n"


def test_layout_breaks_are_the_breaks_inside_full_lines() -> None:
    text = _page(12)
    breaks = layout_wraps(text, LineWrap())
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    # the break after the heading, the one ending the paragraph (after 。) and those after the
    # short lines are paragraph ends; the 11 between the 12 full lines are layout breaks
    assert sorted(breaks) == newlines[1:12]


@pytest.mark.parametrize(
    "text",
    [
        # one paragraph to a line (HTML, most text files)
        "一、总体情况\n" + "本年度政府信息公开工作持续推进,各项制度不断完善,取得新的成效。\n" * 3,
        # headings of one length between long paragraphs (a seed report's section titles)
        "\n".join(f"({n})加强制度建设,推进依法行政\n" + "正" * (100 + 37 * n) + "。" for n in range(8)),
        # too few lines to tell
        "政府信息公开工作持续推进取得新的成效各项\n制度不断完善。\n",
    ],
)
def test_text_without_a_layout_has_no_layout_breaks(text: str) -> None:
    assert layout_wraps(text, LineWrap()) == frozenset()


@pytest.mark.parametrize(
    "entry, message",
    [("{min_lines: ten}", "line_wrap.min_lines"), ("{min_share: 1.5}", "min_share"), ("{width: 30}", "unknown line_wrap")],
)
def test_line_wrap_thresholds_are_checked(tmp_path: Path, entry: str, message: str) -> None:
    import shutil

    from auditor.config import load_config
    from auditor.errors import ConfigError

    folder = tmp_path / "expectations"
    shutil.copytree(Path(__file__).resolve().parent.parent / "expectations", folder)
    path = folder / "thresholds.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("line_wrap:")
    path.write_text(text[:start] + f"line_wrap: {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(folder)
