"""Positions in a decoded report: line numbers, sentences and paragraphs, all as offsets."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex

# A sentence ends at 。！？!? or at a line break; semicolons stay inside it because reports
# use them to separate the items of one list (其中,A 3条;B 4条;…).
_SENTENCE_END_RE = regex.compile(r"[。！？!?]+[”’」』)）]*|\n")


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
    spans = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end() if match.group() != "\n" else match.start()
        _append_trimmed(text, start, end, spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def paragraphs(text: str) -> list[Span]:
    """Paragraphs: the non-blank lines (these reports put one paragraph on a line)."""
    spans = []
    start = 0
    for line in text.split("\n"):
        _append_trimmed(text, start, start + len(line), spans)
        start += len(line) + 1
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
