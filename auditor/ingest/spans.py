"""Positions in a decoded report: line numbers, sentences and paragraphs, all as offsets."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import re

from auditor.extract.numerals import DECIMAL_STOP_PATTERN

# A sentence ends at 。！？!? or at a line break; semicolons stay inside it because reports
# use them to separate the items of one list (其中,A 3条;B 4条;…).
# re, not regex: these scan every character of every report, and re is faster at it.
_SENTENCE_RE = re.compile(r"[^\s。！？!?][^。！？!?\n]*(?:[。！？!?]+[”’」』)）]*)?|[。！？!?]+[”’」』)）]*")
# A 。 written as a decimal point (立案率82。3%) ends no sentence.
_DECIMAL_STOP_RE = re.compile(DECIMAL_STOP_PATTERN)
_LINE_RE = re.compile(r"[^\s][^\n]*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class LineIndex:
    """Maps a character offset to its 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def column(self, offset: int) -> int:
        """1-based column of the offset on its line."""
        return offset - self._starts[self.line(offset) - 1] + 1


def sentences(text: str) -> list[Span]:
    """Non-empty sentences, trimmed of surrounding white space, in order."""
    spans = [_trimmed(text, m.start(), m.end()) for m in _SENTENCE_RE.finditer(text)]
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
    return [_trimmed(text, m.start(), m.end()) for m in _LINE_RE.finditer(text)]


def _trimmed(text: str, start: int, end: int) -> Span:
    """The span without trailing white space (the patterns already skip leading white space)."""
    while text[end - 1].isspace():
        end -= 1
    return Span(start, end)

