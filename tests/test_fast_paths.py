"""The quick ways of reading that bench.extraction times, each against the plain way it stands
for: the same spans, headings, matches and names on any text, so the speed costs no output.

Each reference below is the straightforward reading the fast path replaced (a pattern searched
through the whole text, a loop per line); hypothesis writes the texts from the characters that
matter to each (marks, white space of every kind, zero-width marks, numerals, line breaks).
"""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.extract import document_features as dc
from auditor.config import load_config
from auditor.extract.tables.requests import find_words
from auditor.ingest import metadata
from auditor.ingest.spans import LineIndex, Span, paragraphs, sentences

WHITE = " \t\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u3000"
MARKS = "。！？!?；;，,：:"
TEXT = st.text(alphabet="\n\n" + WHITE + MARKS + "\u200b\u200c\ufeff" + "一二三十第、.．部分章"
               + "某市县区甲乙丙全" + "下一步今后明年将要计划2022年度" + "”）", max_size=120)
EXAMPLES = settings(max_examples=400, deadline=None)


# --- spans ---------------------------------------------------------------------------------

_OLD_SENTENCE_RE = re.compile(r"[^\s。！？!?][^。！？!?\n]*(?:[。！？!?]+[”’」』)）]*)?|[。！？!?]+[”’」』)）]*")


def _trimmed(text: str, start: int, end: int) -> Span:
    while text[end - 1].isspace():
        end -= 1
    return Span(start, end)


@EXAMPLES
@given(TEXT)
def test_sentences_and_paragraphs_are_the_trimmed_matches(text):
    # (no digits: no 。 written as a decimal point joins two sentences)
    assert sentences(text) == [_trimmed(text, m.start(), m.end()) for m in _OLD_SENTENCE_RE.finditer(text)]
    assert paragraphs(text) == [_trimmed(text, m.start(), m.end()) for m in re.finditer(r"[^\s][^\n]*", text)]


def test_a_span_hashes_and_reads_as_the_dataclass_did():
    span = Span(3, 7)
    assert (span.start, span.end) == (3, 7) and hash(span) == hash((3, 7))
    assert repr(span) == "Span(start=3, end=7)"
    lines = LineIndex("一\n二\n\n三")
    assert [lines.line(i) for i in range(6)] == [1, 1, 2, 2, 3, 4] and lines.column(5) == 1


# --- document checks -------------------------------------------------------------------------

def _old_normalized_lines(text: str) -> list[tuple[Span, str]]:
    lines, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        key = dc._ZERO_WIDTH_RE.sub("", "".join(line.split()))
        if key:
            head = len(line) - len(line.lstrip(dc._EDGE))
            tail = len(line) - len(line.rstrip(dc._EDGE))
            lines.append((Span(start + head, end - tail), key))
        start = end + 1
    return lines


@EXAMPLES
@given(TEXT)
def test_lines_are_those_read_line_by_line(text):
    assert dc._normalized_lines(text) == _old_normalized_lines(text)


@EXAMPLES
@given(TEXT, st.integers(0, 130), st.integers(0, 130))
def test_the_lines_between_two_offsets_are_those_of_the_slice(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    expected = [(Span(s.start + start, s.end + start), key) for s, key in dc._normalized_lines(text[start:end])]
    assert dc._lines_between(text, start, end) == expected


_OLD_INLINE_RE = regex.compile(r"(?<=[。！？!?；;])[^\S\n]*[一二三四五六七八九十]{1,3}\s*、")


def _old_headings(text: str, start: int, end: int) -> list:
    found = []
    for span, key in dc._normalized_lines(text[start:end]):
        line_start, line_end = start + span.start, start + span.end
        line = text[line_start:line_end]
        numbered = dc._TOP_HEADING_RE.match(line)
        if numbered:
            found.append(dc._numbered_heading(line, line_start, 0, numbered.end()))
        elif len(key) <= dc._SHORT_HEADING_MAX and not dc._CLAUSE_MARK_RE.search(key):
            found.append(dc.Heading(Span(line_start, line_end), line))
        for inline in _OLD_INLINE_RE.finditer(line):
            at = inline.start() + len(inline.group()) - len(inline.group().lstrip())
            found.append(dc._numbered_heading(line, line_start, at, inline.end()))
    return found


@EXAMPLES
@given(TEXT, st.integers(0, 130), st.integers(0, 130))
def test_headings_are_those_read_line_by_line(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert dc.headings(text, start, end) == _old_headings(text, start, end)


def test_headings_run_into_the_text_and_numbered_lines():
    text = "一、主要举措\n工作推进有力。二、存在问题 不足。三 、下一步计划\n 第二部分 总结\n短标题"
    assert [h.text for h in dc.headings(text, 0, len(text))] == [
        "一、主要举措", "二、存在问题 不足", "三 、下一步计划", "第二部分 总结", "短标题"]


@EXAMPLES
@given(TEXT, st.integers(0, 130), st.integers(0, 130), st.sampled_from([None, 2020, 2021]))
def test_the_plans_start_where_the_sentence_pattern_first_matches(text, a, b, year):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    openers = "|".join(["下一步", "下一阶段", "今后", "明年", *([f"{year + 1}\\s*年度?"] if year else [])])
    pattern = regex.compile(rf"(?:^|(?<=[。！？!?\n]))[^\S\n]*(?:{openers})[,，]?[^。！？!?\n]{{0,60}}?(?:将|要|计划)", regex.M)
    match = pattern.search(text, start, end)
    assert dc._plans_start(text, [], start, end, year) == (match.start() if match else None)


# --- metadata and tables ---------------------------------------------------------------------

def test_the_main_cjk_block_is_han_for_regex():
    """_places_named skips a 市/县/区 after a character of U+4E00–U+9FFF without asking regex."""
    assert all(regex.match(r"\p{Han}", chr(c)) for c in range(0x4E00, 0xA000))


@EXAMPLES
@given(st.text(alphabet="市县区甲乙丙丁、《,a1 \n\u3400\U00020000", max_size=80))
def test_places_named_are_the_pattern_s_matches(text):
    assert metadata._places_named(text) == metadata._REGION_IN_BODY_RE.findall(text, 0, metadata._REGION_SCAN_CHARS)


@EXAMPLES
@given(st.text(alphabet="19922020年月日二〇一三十五某县人民政府司法局。，\n  ", max_size=60))
def test_a_signature_after_the_last_sentence_only_where_the_page_ends_in_a_date(text):
    text = "正文第一句。" * 3 + text
    page_end = len(text.rstrip())
    expected = [m.group() for m in metadata._SIGNATURE_AFTER_SENTENCE_RE.finditer(text) if m.end() == page_end]
    if expected:
        assert metadata._DATE_LAST_CHAR_RE.match(text, page_end - 1)


@EXAMPLES
@given(st.text(alphabet="政府信息公开行政复议、诉讼情况统计表指标名称", max_size=60), st.integers(0, 60))
def test_words_are_found_as_their_alternation_finds_them(text, start):
    words = ("政府信息公开行政复议", "行政复议、行政诉讼情况", "复议、行政诉讼", "统计表")
    alternation = regex.compile("|".join(map(regex.escape, words)))
    assert [m.span() for m in find_words(text, words, start)] == [m.span() for m in alternation.finditer(text, start)]


def test_the_unit_table_reads_every_unit_as_the_function_does():
    from auditor.extract.figures import _kind_and_unit, _word_tests

    vocabulary = load_config().vocabulary
    table = _word_tests(vocabulary).unit_kinds
    assert all(table[unit] == _kind_and_unit(unit, vocabulary) for unit in table)
