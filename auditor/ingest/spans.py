"""Positions in a decoded report: line numbers, sentences and paragraphs, all as offsets."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

import re

from auditor.ingest.numerals import DECIMAL_STOP_PATTERN

# A sentence ends at 。！？!? or at a line break; semicolons stay inside it because reports
# use them to separate the items of one list (其中,A 3条;B 4条;…).
# re, not regex: these scan every character of every report, and re is faster at it.
# A sentence without its end marks ends at its last character that is not white space: the
# pattern trims it, where a Python loop per sentence did (10 ms of read_text's 500 on the 72
# work reports: python -m bench.extraction).
_SENTENCE_RE = re.compile(r"[^\s。！？!?](?:[^。！？!?\n]*(?:[。！？!?]+[”’」』)）]*|[^\s。！？!?]))?|[。！？!?]+[”’」』)）]*")
# A 。 written as a decimal point (立案率82。3%) ends no sentence.
_DECIMAL_STOP_RE = re.compile(DECIMAL_STOP_PATTERN)
_LINE_RE = re.compile(r"\S(?:[^\n]*\S)?")  # trimmed as _SENTENCE_RE is
# A line of the page's text width that ends with one of these ends its sentence there.
_SENTENCE_ENDS = frozenset("。！？；：!?;:")
_SAMPLE_LINES = 80  # the lines a page's layout is told from: two or three pages
_BLANKS = " \t\u3000"

if TYPE_CHECKING:
    from auditor.config import LineWrap


class Span(NamedTuple):
    """[start, end) in a text. A named tuple, not a frozen dataclass: the 72 work reports make
    some 50 000 (sentences, lines, clauses) and hash 27 000, and a tuple is made faster and
    hashed and compared in C (about 10 ms of read_text's 500: python -m bench.extraction).
    Its hash is the dataclass's, hash((start, end))."""

    start: int
    end: int


# Span(start, end) from a match's (start, end) pair as it stands, not unpacked into the named
# tuple's __new__: there is one for every sentence and line of every report.
_span = tuple.__new__


# regex's \s written for re, whose \s also holds the four separators \x1c-\x1f (str.isspace): a
# pattern moved from regex to re for its cheaper calls keeps the blanks it had
BLANK = r"[^\S\x1c-\x1f]"


def char_positions(text: str, chars: str, start: int = 0, end: int | None = None) -> list[int]:
    """The offsets in text[start:end] of any of CHARS, in order. Found with str.find, one
    character at a time: that scan is about ten times faster than `re`'s or `regex`'s for a
    character class ([；;] through a report: 40 → 3 µs), and a few of them run over every report."""
    end = len(text) if end is None else end
    found = []
    for char in chars:
        pos = text.find(char, start, end)
        while pos != -1:
            found.append(pos)
            pos = text.find(char, pos + 1, end)
    if len(chars) > 1:
        found.sort()
    return found


def matches_from(pattern, text: str, first_chars: str, start: int = 0, end: int | None = None) -> list:
    """pattern.finditer(text, start, end) as a list, for a pattern whose every match starts
    with one of FIRST_CHARS (and is not empty): it is tried only where one of them stands
    (char_positions), not at every offset. Matches do not overlap, as finditer's."""
    end = len(text) if end is None else end
    matches = []
    resume = start
    match_at = pattern.match
    for pos in char_positions(text, first_chars, start, end):
        if pos >= resume and (match := match_at(text, pos, end)) is not None:
            matches.append(match)
            resume = match.end()
    return matches


class LineIndex:
    """Maps a character offset to its 1-based line number."""

    line: Callable[[int], int]

    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = find("\n", pos + 1)
        # line(offset): bisect_right over the line starts, bound as one C call, not a method
        # calling it, for every figure's row asks for its line (python -m bench.extraction)
        self.line = partial(bisect_right, self._starts)

    def column(self, offset: int) -> int:
        """1-based column of the offset on its line."""
        return offset - self._starts[self.line(offset) - 1] + 1


def sentences(text: str) -> list[Span]:
    """Non-empty sentences, trimmed of surrounding white space, in order."""
    spans = [_span(Span, m.span()) for m in _SENTENCE_RE.finditer(text)]
    points = {m.start() + 1 for m in _DECIMAL_STOP_RE.finditer(text)}
    return _joined_at(spans, points) if points else spans


def _joined_at(spans: list[Span], points: set[int]) -> list[Span]:
    """The sentences with each one that ends at a decimal point joined to the next (82。|3%)."""
    joined = [spans[0]]
    for span in spans[1:]:
        if joined[-1].end in points and span.start == joined[-1].end:
            joined[-1] = Span(joined[-1].start, span.end)
        else:
            joined.append(span)
    return joined


def paragraphs(text: str) -> list[Span]:
    """Paragraphs: the non-blank lines (these reports put one paragraph on a line)."""
    return [_span(Span, m.span()) for m in _LINE_RE.finditer(text)]


def layout_wraps(text: str, wrap: LineWrap) -> frozenset[int]:
    """The offsets of the line breaks a page's layout put inside a sentence.

    Text taken from a PDF keeps the page's lines (区政府办代表区政府受理政府⏎信息公开申请 17 件).
    A report is read as laid out so when many of its first lines are about as long as their most
    common length (thresholds.yaml line_wrap); there, a line of that length which does not end a
    sentence, followed by a line that is neither blank nor indented, runs on into the next line.
    A report written one paragraph to a line (HTML, most text files) has no such breaks.
    """
    width = _layout_width(text, wrap)
    if width is None:
        return frozenset()
    low, high = width - wrap.shorter, width + wrap.longer
    breaks = []
    offset = -1
    lines = text.split("\n")
    for line, following in zip(lines, lines[1:]):
        offset += len(line) + 1
        n = len(line.rstrip(_BLANKS))
        if low <= n <= high and line[n - 1] not in _SENTENCE_ENDS and following[:1].strip():
            breaks.append(offset)
    return frozenset(breaks)


def _layout_width(text: str, wrap: LineWrap) -> int | None:
    """The common length of the first lines, if they show a page's layout: found line by line
    with str.find, for most reports are told from their first lines without splitting them all."""
    head = min(len(text), wrap.max_chars * wrap.min_lines * 2)
    lines = text.count("\n", 0, head) - text.count("\n\n", 0, head)  # about: blank lines aside
    if lines * wrap.max_chars < head:
        return None  # the first lines are longer than a page's on average: the common case, at once
    lengths = []
    start, end = 0, text.find("\n")
    while end != -1 and len(lengths) < _SAMPLE_LINES:
        last = end
        while last > start and text[last - 1] in _BLANKS:
            last -= 1
        lengths.append(last - start)
        start, end = end + 1, text.find("\n", end + 1)
    counts = {n: c for n, c in Counter(lengths).items() if n >= wrap.min_chars}
    if not counts:
        return None
    width = max(counts, key=lambda n: (counts[n], n))
    full = sum(c for n, c in counts.items() if width - wrap.shorter <= n <= width + wrap.longer)
    if full < wrap.min_lines or full < wrap.min_share * sum(counts.values()):
        return None
    return width
