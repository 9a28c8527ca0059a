"""One report as the relation readers see it: its figures, its spans and its structure so far.

Readers run in the order of registry.READERS and share this object: the structure readers
(breakdowns) record the lists they read in `breakdowns`, and the readers after them consult it,
so that where the metric words and the structure disagree, the structure wins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

import re

from auditor.config import Shapes, Thresholds, Vocabulary
from auditor.extract.budget import UNLIMITED, Budget
from auditor.extract.figures import Fact
from auditor.extract.relations.model import Builder
from auditor.extract.relations.words import Words
from auditor.ingest.spans import BLANK, Span, char_positions

_REACH = 3  # paragraphs before a passage in which the whole it names (在…中, 占总数) may stand
_OPEN, _CLOSE = "(（", ")）"
QUANTITY_KINDS = ("count", "money")


def first_at(facts: list[Fact], offset: int) -> int:
    """The index of the first of FACTS (in order of start) that starts at or after OFFSET, by
    bisection: readers look around a figure without scanning the text's figures each time."""
    return bisect_left(facts, offset, key=_start)


def span_bounds(facts: list[Fact], start: int, end: int) -> tuple[int, int]:
    """The slice of FACTS (in order of start) that start in [start, end), found by bisection."""
    return first_at(facts, start), first_at(facts, end)


def last_before(facts: list[Fact], i: int, count: int, keep: Callable[[Fact], bool], since: int = 0) -> list[Fact]:
    """The last COUNT of FACTS[:i] that KEEP holds for and that start at or after SINCE, in order
    (fewer when there are fewer). Looked for backwards from i, so a reader that asks it of every
    figure of a sentence of thousands stays linear."""
    found: list[Fact] = []
    for j in range(i - 1, -1, -1):
        fact = facts[j]
        if fact.start < since:
            break
        if keep(fact):
            found.append(fact)
            if len(found) == count:
                break
    return found[::-1]


def is_quantity(fact: Fact) -> bool:
    return fact.kind in QUANTITY_KINDS


def _start(fact: Fact) -> int:
    return fact.start


@dataclass
class Breakdown:
    """A total and the parts a passage lists for it (其中…, a list under 在…中, a bracket)."""
    totals: list[tuple[Fact, str]]  # every total the list may break down, favoured first, with how
    parts: list[Fact]
    complete: bool                  # it names every part (ends with 其他, or is all of a 分别 list)
    partial: bool                   # it says it names some (等, 主要)
    marker: str                     # qizhong, scope, bracket
    start: int                      # the list's text, from its marker to its last part
    end: int

    @property
    def total(self) -> Fact:
        return self.totals[0][0]


@dataclass
class Passage:
    text: str
    facts: list[Fact]        # every figure of the report
    values: list[Fact]       # the quantities relations are made of (table cells left out)
    sentences: list[Span]
    paragraphs: list[Span]
    clauses: list[Span]      # sentences cut at semicolons
    vocabulary: Vocabulary
    shapes: Shapes
    words: Words
    thresholds: Thresholds
    builder: Builder
    breakdowns: list[Breakdown] = field(default_factory=list)
    share_lists: list = field(default_factory=list)  # shares.ShareList, for the readers after shares
    scope_phrases: list | None = None  # breakdowns.ScopePhrase, found once on first use
    nouns_after: dict[int, str | None] = field(default_factory=dict)  # restatements: figure end -> its noun
    budget: Budget = UNLIMITED         # the report's reading time, checked in the readers' loops
    _span_starts: dict[int, list[int]] = field(default_factory=dict)
    _sentence_starts: list[int] = field(default_factory=list)
    _paragraph_starts: list[int] = field(default_factory=list)
    _quantities: list[Fact] | None = None
    _bracket_marks: list[tuple[int, bool]] | None = None  # (offset, opens) of every bracket, found once
    _parts_indexed: int = 0  # breakdowns whose parts _breakdowns_of_part holds
    _breakdowns_of_part: dict[int, list[Breakdown]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]
        self._paragraph_starts = [p.start for p in self.paragraphs]
        self._value_starts = [f.start for f in self.values]

    def quantities(self) -> list[Fact]:
        """The values that count or measure money (QUANTITY_KINDS), in order; built once."""
        if self._quantities is None:
            self._quantities = [f for f in self.values if f.kind in QUANTITY_KINDS]
        return self._quantities

    def values_between(self, start: int, end: int) -> list[Fact]:
        """The values (counts, amounts, rates) that start in [start, end)."""
        return self.values[bisect_left(self._value_starts, start):bisect_left(self._value_starts, end)]

    def next_value(self, offset: int) -> Fact | None:
        """The first value that starts at or after offset (by bisection: a crafted text of
        thousands of figures must not cost their square)."""
        i = bisect_left(self._value_starts, offset)
        return self.values[i] if i < len(self.values) else None

    def value_index(self, offset: int) -> int:
        """The index in values of the first value that starts at or after offset."""
        return bisect_left(self._value_starts, offset)

    # --- spans --------------------------------------------------------------------------------

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def sentence_of(self, offset: int) -> Span:
        return self.sentences[self.sentence_index(offset)] if self.sentences else Span(0, len(self.text))

    def paragraph_of(self, offset: int) -> Span:
        i = max(0, bisect_right(self._paragraph_starts, offset) - 1)
        return self.paragraphs[i] if self.paragraphs else Span(0, len(self.text))

    def first_paragraph_ending_after(self, pos: int) -> int:
        """The index of the first paragraph that ends after pos (len(paragraphs) when none does):
        the one pos stands in, or the next (the paragraphs do not overlap)."""
        i = bisect_right(self._paragraph_starts, pos) - 1
        return i if i >= 0 and self.paragraphs[i].end > pos else i + 1

    def reach_start(self, pos: int) -> int:
        """Where the paragraphs a passage may refer back to begin: its own and _REACH before it."""
        i = max(0, bisect_right(self._paragraph_starts, pos) - 1)
        return self.paragraphs[max(0, i - _REACH)].start if self.paragraphs else 0

    def previous_sentence(self, sentence: Span) -> Span | None:
        """The sentence before this one when no line break stands between them."""
        i = self.sentence_index(sentence.start)
        if i > 0 and "\n" not in self.text[self.sentences[i - 1].end:sentence.start]:
            return self.sentences[i - 1]
        return None

    def grouped(self, facts: list[Fact], spans: list[Span]) -> list[list[Fact]]:
        """The facts by the span they start in, in order (facts and spans sorted, spans not
        overlapping; a fact before the first span joins the first group)."""
        starts = self._starts(spans)
        groups: list[list[Fact]] = []
        current, next_start = -2, -1
        for fact in facts:
            if fact.start >= next_start or current == -2:
                i = max(0, bisect_right(starts, fact.start) - 1)
                if i != current:
                    groups.append([])
                    current = i
                next_start = starts[i + 1] if i + 1 < len(starts) else len(self.text) + 1
            groups[-1].append(fact)
        return groups

    def _starts(self, spans: list[Span]) -> list[int]:
        """The starts of one of the passage's span lists, computed once."""
        key = id(spans)
        if key not in self._span_starts:
            self._span_starts[key] = [s.start for s in spans]
        return self._span_starts[key]

    # --- brackets -----------------------------------------------------------------------------

    def brackets(self, start: int, end: int) -> list[Span]:
        """Bracketed asides between start and end (an unclosed one runs to end). The brackets of
        the text are found once; each call reads only those between start and end."""
        marks = self._marks()
        spans, depth, opened = [], 0, start
        for i in range(bisect_left(marks, (start, False)), len(marks)):
            offset, opens = marks[i]
            if offset >= end:
                break
            if opens:
                if depth == 0:
                    opened = offset
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    spans.append(Span(opened, offset + 1))
        if depth:
            spans.append(Span(opened, end))
        return spans

    def _marks(self) -> list[tuple[int, bool]]:
        if self._bracket_marks is None:
            text = self.text
            self._bracket_marks = [(i, text[i] in _OPEN) for i in char_positions(text, _OPEN + _CLOSE)]
        return self._bracket_marks

    def enclosing_bracket(self, pos: int, limit: int) -> Span | None:
        """The bracket pos stands in, within its sentence: (其中…) -> from ( to ). It is open
        when the last bracket before pos in the sentence opens one."""
        sentence = self.sentence_of(pos)
        marks = self._marks()
        i = bisect_left(marks, (pos, False)) - 1
        if i < 0 or marks[i][0] < sentence.start or not marks[i][1]:
            return None
        opened = marks[i][0]
        ends = [i for i in (self.text.find(")", pos, limit), self.text.find("）", pos, limit)) if i != -1]
        return Span(opened, min(ends) + 1 if ends else limit)

    # --- figures ------------------------------------------------------------------------------

    def dimension(self, fact: Fact) -> str:
        """What a figure counts: 件, 宗 and 起 count cases alike (vocabulary.yaml unit_dimensions)."""
        if fact.kind == "money":
            return "money"
        return self.vocabulary.unit_dimensions.get(fact.unit, fact.unit)

    def alike(self, a: Fact, b: Fact) -> bool:
        """Two quantities of one kind and dimension, which may add up."""
        return a.kind == b.kind and a.kind in QUANTITY_KINDS and self.dimension(a) == self.dimension(b)

    def breakdown_of_part(self, fact: Fact) -> Breakdown | None:
        """The first breakdown that lists the fact as a part."""
        found = self.breakdowns_of_part(fact)
        return found[0] if found else None

    def breakdowns_of_part(self, fact: Fact) -> list[Breakdown]:
        """The breakdowns that list the fact as a part, in order (indexed by part as the
        breakdowns grow, not searched one by one for every figure)."""
        for breakdown in self.breakdowns[self._parts_indexed:]:
            for part in breakdown.parts:
                found = self._breakdowns_of_part.setdefault(id(part), [])
                if not found or found[-1] is not breakdown:
                    found.append(breakdown)
        self._parts_indexed = len(self.breakdowns)
        return self._breakdowns_of_part.get(id(fact), [])

    def between(self, a: Fact, b: Fact) -> str:
        return self.text[a.end:b.start]

    def is_share(self, fact: Fact) -> bool:
        """占比54.32%, 占受理总数的30%, or a percentage alone in a bracket: 住房保障43件(30.2%)."""
        if fact.kind != "rate":
            return False
        if self.words.share.search(fact.label):
            return True
        before = self.text[max(0, fact.start - 2):fact.start].strip()
        return not fact.label and before[-1:] in ("(", "（") and self.text[fact.end:fact.end + 1] in (")", "）")

    def same_manner(self, listed: Fact, fact: Fact) -> bool:
        """Two counts named alike: the same head word (…类信息, …方面的), and a classification
        word (类, 方面) in both or in neither."""
        classification = self.words.classification
        if bool(classification.search(listed.label)) != bool(classification.search(fact.label)):
            return False
        return head_word(listed.label) == head_word(fact.label) != ""


_HEAD_FILLER_RE = re.compile(rf"(?:的|有|为|是|共计|共|达到|达|了|{BLANK})+$")


def head_word(label: str) -> str:
    """The last character of a label, less particles: 息 in 机构职能类信息, 面 in …方面的."""
    return _HEAD_FILLER_RE.sub("", label)[-1:]


_CLAUSE_BREAKS = "；;"


def clause_spans(text: str, sentences: list[Span]) -> list[Span]:
    """The sentences cut at semicolons."""
    breaks = char_positions(text, _CLAUSE_BREAKS)
    if not breaks:
        return sentences
    starts = [s.start for s in sentences]
    cut: dict[int, list[int]] = {}  # sentence index -> its semicolons: most sentences hold none
    for position in breaks:
        i = bisect_right(starts, position) - 1
        if i >= 0 and position < sentences[i].end:
            cut.setdefault(i, []).append(position)
    clauses: list[Span] = []
    done = 0
    for i in sorted(cut):
        clauses.extend(sentences[done:i])
        start = sentences[i].start
        for position in cut[i]:
            clauses.append(Span(start, position))
            start = position + 1
        clauses.append(Span(start, sentences[i].end))
        done = i + 1
    clauses.extend(sentences[done:])
    return clauses
