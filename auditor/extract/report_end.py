"""Where a report's body ends, and whether it ends as a whole report does (DOC004).

Crawled pages go on after the report: 扫一扫在手机打开当前页, 【打印本页】【关闭窗口】, the
attachment's file name (…年度报告.pdf), a crawler's separator (====================), a site
footer, the title again. A page flattened onto one line carries the same chrome at the end of
that line:

    …六、其他需要报告的事项 2021年，无收取信息处理费情况。 附件下载

What is left once that chrome is stripped is the last line of the body. A whole report ends
with a sentence (。！？…；), a bracket or quotation, a date, a signing body, 特此报告, a closing
statement that nothing is left to report (无其他需要报告的事项) or a table's last row
(行政诉讼数 件 0 0); a report cut off ends anywhere else (…全年共办理行政复议案件).
The words are those of expectations/report_text.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from auditor.config import ReportText
from auditor.ingest.spans import Span

_SENTENCE_END = "。！？!?…；;.．"
_CLOSING = "）)】]〕」』》”’\"'"
_CN_NUM = r"(?:\d{1,2}|[〇○零一二三四五六七八九十]{1,3})"
# A date closing a line: 2022年2月20日, 二〇二二年二月二十日, 2022-02-20
DATE_AT_END_RE = regex.compile(
    rf"(?:(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*"
    rf"(?:年\s*{_CN_NUM}\s*月\s*{_CN_NUM}\s*日|[-/.]\d{{1,2}}[-/.]\d{{1,2}})\s*$")
# A signing body: a name ending in the word for a body, without a comma or a full stop
SIGNER_RE = regex.compile(
    r"^\p{Han}[^\n，,。：:]{1,38}(?:政府|委员会|管委会|局|办公室|院|厅|委|办|中心|处|部|所|室|会|队|站|党组|党委|司法所)$")
_HAN_RE = regex.compile(r"\p{Han}")
_ALNUM_RE = regex.compile(r"[A-Za-z0-9]")
_CELLS_LINE_RE = regex.compile(r"[\d,.%]+")  # a table's cells, one per line or run together (white space removed)
# A page number: 第5页, 第5页 共12页
_PAGE_NUMBER_RE = regex.compile(r"第\d{1,4}页(?:共\d{1,4}页)?")
_FULL_STOPS = "。！？!?；;"
_SENTENCE_END_RE = regex.compile(rf"[{_FULL_STOPS}]")
_CLAUSE_BREAK_RE = regex.compile(rf"[{_FULL_STOPS}：:\s]+")
_COMMA_RE = regex.compile(r"[，,]")
# What a piece of the body holds: a Chinese character, a digit, or the mark that ends a sentence
_BODY_CHAR_RE = regex.compile(rf"[\p{{Han}}\d{regex.escape(_SENTENCE_END + _CLOSING)}]")
_REPEATED_LINE_MAX = 60  # a line this short repeating the title or a header line is chrome
_NOTHING_CLAUSE_MAX = 30


@dataclass(frozen=True)
class _Patterns:
    marker: regex.Pattern
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    whole: frozenset[str]
    file_name: regex.Pattern
    separator_line: regex.Pattern
    chrome_after_sentence: regex.Pattern  # 情况。附件下载: the chrome glued to the last sentence
    numbers_at_end: regex.Pattern
    cells_at_end: regex.Pattern
    nothing: tuple[str, ...]
    closing: tuple[str, ...]


def line_key(line: str) -> str:
    """A line as its markers are matched: without white space, with ASCII colons."""
    return "".join(line.split()).replace("：", ":")


def _alternation(words) -> str:
    return "|".join(regex.escape(line_key(w)) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=8)
def _patterns(words: ReportText) -> _Patterns:
    separators = regex.escape(words.separator_chars)
    units = _alternation(words.table_units)
    return _Patterns(
        marker=regex.compile(_alternation(words.chrome_markers)),
        starts=tuple(line_key(w) for w in words.chrome_line_starts),
        ends=tuple(line_key(w) for w in words.chrome_line_ends),
        whole=frozenset(line_key(w) for w in words.chrome_whole_lines),
        file_name=regex.compile(rf"\.(?:{'|'.join(map(regex.escape, words.attachment_extensions))})$", regex.I),
        separator_line=regex.compile(rf"[{separators}]{{3,}}(?:\p{{Han}}{{1,8}}[{separators}]{{3,}})?"),
        chrome_after_sentence=regex.compile(
            rf"(?<=[{regex.escape(_SENTENCE_END)}])[\s]*(?:{_alternation(words.chrome_line_starts)})"),
        # two figures or more at the end: 总计 21 0 0 0 0 0 21; a line of cells alone: 0
        numbers_at_end=regex.compile(r"(?:^|\s)\d[\d,.]*%?(?:\s+\d[\d,.]*%?)+$|^\d[\d,.]*%?$"),
        # two cells or more that ran together: 行政复议数条00行政诉讼数条00. Searched from the end
        # (REVERSE; only whether it matches is asked): forward, each position of a long line of
        # such cells (a table flattened onto one line) retries the cells up to its end.
        cells_at_end=regex.compile(rf"(?:\p{{Han}}+\s*(?:{units})\s*\d+\s*){{2,}}$", regex.REVERSE),
        nothing=tuple(words.nothing_words),
        closing=tuple(words.closing_words),
    )


def _is_chrome_line(line: str, key: str, words: ReportText, patterns: _Patterns, repeated: frozenset[str]) -> bool:
    """A whole line of page chrome: a short line with a marker, a file name or the title again; a
    separator, letters only, a page number. A long line is a page's body flattened onto one
    line: only its trailing pieces may be chrome (_cut_trailing_chrome)."""
    if not key:
        return True
    if patterns.separator_line.fullmatch(key) or _PAGE_NUMBER_RE.fullmatch(key):
        return True
    if not _HAN_RE.search(key):
        # a line of letters or digits, not a date or a table's cells: Copyright ©…, TOP, - 5 -,
        # 0591-12345678; a line of punctuation alone (。 split off by a link) may end the text
        if DATE_AT_END_RE.search(line) or _CELLS_LINE_RE.fullmatch(key):
            return False
        return bool(_ALNUM_RE.search(key)) or not _BODY_CHAR_RE.search(key)
    if len(key) > words.chrome_line_max:
        return False
    marker = patterns.marker.search(key)
    if marker and not _SENTENCE_END_RE.search(key, 0, marker.start()):  # …予以答复。 附件下载: a sentence, then chrome
        return True
    return bool(key.startswith(patterns.starts) or key.endswith(patterns.ends) or key in patterns.whole
                or patterns.file_name.search(key) or (len(key) <= _REPEATED_LINE_MAX and key in repeated))


def _cut_trailing_chrome(text: str, start: int, end: int, patterns: _Patterns, chrome_max: int) -> int:
    """The end of text[start:end] once its trailing chrome pieces are cut (start: nothing left).

    A piece is a run of characters between white space. Cut: a last piece that starts with a
    chrome word (附件下载, 附件：, 打印) or is one (微信), or is punctuation or letters alone (-->);
    chrome glued to the last sentence (情况。附件下载); a file name (2、…年度报告.pdf), back to
    the sentence before it."""
    while True:
        while end > start and text[end - 1].isspace():
            end -= 1
        piece_start = end
        while piece_start > start and not text[piece_start - 1].isspace():
            piece_start -= 1
        if piece_start == end:
            return start
        piece = text[piece_start:end]
        key = line_key(piece)
        if key.startswith(patterns.starts) or key in patterns.whole or not _BODY_CHAR_RE.search(key):
            end = piece_start
            continue
        # only near the end of the piece: the body may name an 附件 after a sentence far before it
        near = max(0, len(piece) - chrome_max)
        glued = list(patterns.chrome_after_sentence.finditer(piece, near))
        if glued:
            end = piece_start + glued[-1].start()
            continue
        if patterns.file_name.search(key):
            cut = max(piece.rfind(c) for c in _FULL_STOPS)
            end = piece_start + cut + 1 if cut >= 0 and len(piece) - cut <= chrome_max else piece_start
            continue
        return end


def find_ending(text: str, start: int, words: ReportText, repeated: frozenset[str] = frozenset()) -> Span | None:
    """The last line of the report body after start, cut of the page chrome after it; None when
    nothing but chrome follows start. repeated: the title and the header lines, whose repeat
    at the end of a page is chrome (as line_key writes them)."""
    patterns = _patterns(words)
    end = len(text)
    while end > start:  # line by line from the end: the body before the last lines is not needed
        line_start = max(text.rfind("\n", start, end) + 1, start)
        line_end = end
        end = line_start - 1
        line = text[line_start:line_end]
        if _is_chrome_line(line, line_key(line), words, patterns, repeated):
            continue
        cut = _cut_trailing_chrome(text, line_start, line_end, patterns, words.chrome_line_max)
        while cut > line_start and text[cut - 1].isspace():
            cut -= 1
        first = line_start
        while first < cut and text[first].isspace():
            first += 1
        if cut > first:
            return Span(first, cut)
    return None


def last_visible_line(text: str, start: int = 0) -> Span | None:
    """The last line of text after start that holds anything but white space, trimmed."""
    end = len(text)
    while end > start:
        line_start = max(text.rfind("\n", start, end) + 1, start)
        line = text[line_start:end]
        if line.strip():
            head = len(line) - len(line.lstrip())
            return Span(line_start + head, line_start + len(line.rstrip()))
        end = line_start - 1
    return None


def ends_a_report(ending: str, words: ReportText) -> bool:
    """The last line of a body ends as a whole report does: a sentence, a bracket or quotation,
    a date, a signing body, a closing word, a closing 无… clause, a table's last row."""
    patterns = _patterns(words)
    line = ending.rstrip()
    if not line:
        return False
    if line[-1] in _SENTENCE_END + _CLOSING or DATE_AT_END_RE.search(line) or line.endswith(patterns.closing):
        return True
    # the clause after the last sentence end, colon or white space: a signing body, 无其他需要报告的事项
    tail = _CLAUSE_BREAK_RE.split(line)[-1]
    if SIGNER_RE.match(tail) or SIGNER_RE.match(line_key(line)):
        return True
    if tail.startswith(patterns.nothing) and len(tail) <= _NOTHING_CLAUSE_MAX and not _COMMA_RE.search(tail):
        return True
    return bool(patterns.numbers_at_end.search(line) or patterns.cells_at_end.search(line))
