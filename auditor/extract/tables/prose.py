"""Figures the prose states that the tables hold too (rule DISC005).

A report says in words what its table says in figures: 2013年主动公开政府信息4970条 against the
table's 主动公开信息数 72804; 收到1份有关政府信息公开行政复议申请 against 行政复议数 0. A prose
figure is paired with a table value when (disclosure_template.yaml, text):
- a topic word stands right before it (at most max_gap characters between, no digit) or right
  after its unit (收到1份有关政府信息公开行政复议申请);
- for checks with verbs, one stands in its clause before it (收到, 受理 …);
- its sentence is about the whole year: a whole word (全年, 全区, 我厅 …) before it, or a year
  right before the verb or topic (2013年主动公开…; not 2024年，区政府办代表区政府受理…);
- its clause names no part (其中, 各单位 …).
It must equal one of the check's targets the tables give; 收到申请75件 may be 本年新收 or 本年新收
with 上年结转 (a caseload) or the handled total.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from auditor.config import DisclosureTemplate, TextCheck, TextTemplate
from auditor.extract.figures import Fact
from auditor.extract.tables.model import DisclosureTables

_CLAUSE_BREAK_RE = regex.compile(r"[，,。；;！？!?：:\n]")
_SENTENCE_BREAK_RE = regex.compile(r"[。；;！？!?]")
_YEAR_RE = regex.compile(r"(?:19|20)\d\d\s*年度?\s*[，,]?\s*$")
_DIGIT_RE = regex.compile(r"\d")
_SPACES_RE = regex.compile(r"\s+")
_LOOK_BACK = 120


@dataclass
class Target:
    name: str                # 本年新收(总计)
    value: int
    facts: list[Fact]
    expr: str                # 本年新收(总计)74 + 上年结转(总计)1 = 75


@dataclass
class TextPair:
    """A prose figure and the table values it may name."""
    check: TextCheck
    fact: Fact
    phrase: str              # the prose's words for it: 2013年主动公开政府信息4970条
    targets: list[Target]


def text_pairs(text: str, facts: list[Fact], tables: DisclosureTables, template: DisclosureTemplate) -> list[TextPair]:
    words = template.text
    if words is None:
        return []
    spans = sorted((r.label_start, r.end) for t in tables.tables() for r in t.rows)
    taken = tables.cell_indexes()
    pairs = []
    # the whole counts of the prose, outside the tables: the same for every check, found once
    counts = [fact for fact in facts
              if fact.kind == "count" and fact.index not in taken and fact.value is not None
              and fact.value == fact.value.to_integral_value() and not _inside(fact, spans)]
    for check in words.checks:
        targets = [t for name in check.targets if (t := _target(name, tables)) is not None]
        if not targets:
            continue
        for fact in counts:
            if fact.unit not in check.units:
                continue
            phrase = _phrase(text, fact, check, words)
            if phrase:
                pairs.append(TextPair(check, fact, phrase, targets))
    return pairs


def _inside(fact: Fact, spans: list[tuple[int, int]]) -> bool:
    return any(a <= fact.start < b for a, b in spans)


def _phrase(text: str, fact: Fact, check: TextCheck, words: TextTemplate) -> str | None:
    """The words that make the figure the check's: None when they do not."""
    back = text[max(0, fact.start - _LOOK_BACK):fact.start]
    sentence = _SENTENCE_BREAK_RE.split(back)[-1]
    clause = _SPACES_RE.sub("", _CLAUSE_BREAK_RE.split(back)[-1])
    after = _SPACES_RE.sub("", _CLAUSE_BREAK_RE.split(text[fact.end:fact.end + 40])[0])
    topic = _topic_before(clause, check, words.max_gap)
    if topic is None:
        topic = _topic_after(after, check, words.max_gap)
    if topic is None:
        return None
    if check.verbs and not any(v in clause for v in check.verbs):
        return None
    if any(w in clause for w in words.subset_words):
        return None
    if not _whole_year(_SPACES_RE.sub("", sentence), clause, check, words):
        return None
    phrase = f"{clause}{_SPACES_RE.sub('', fact.text)}{after[:topic]}"
    return phrase[-40:]


def _topic_before(clause: str, check: TextCheck, gap: int) -> int | None:
    for word in check.words:
        at = clause.rfind(word)
        if at >= 0:
            rest = clause[at + len(word):]
            if len(rest) <= gap and not _DIGIT_RE.search(rest):
                return 0
    return None


def _topic_after(after: str, check: TextCheck, gap: int) -> int | None:
    for word in check.words:
        at = after.find(word)
        if 0 <= at <= gap and not _DIGIT_RE.search(after[:at]):
            return at + len(word)
    return None


def _whole_year(sentence: str, clause: str, check: TextCheck, words: TextTemplate) -> bool:
    """A whole word before the figure, or a year right before the clause's verb or topic."""
    if any(w in sentence for w in words.whole_words):
        return True
    for word in (*check.verbs, *check.words):
        at = clause.find(word)
        if at >= 0:
            before = sentence[:len(sentence) - len(clause) + at]
            if _YEAR_RE.search(before[-12:]):
                return True
    return False


# --- the table values ---------------------------------------------------------------------

def _target(name: str, tables: DisclosureTables) -> Target | None:
    table, _, key = name.partition(".")
    if table == "applications":
        return _application_target(key, tables)
    if table == "appeals":
        cells = tables.appeal_cells
        return _target_of("行政复议总计", [cells[4].fact]) if len(cells) > 4 and key == "reconsideration" else None
    if table == "statistics" and tables.statistics is not None:
        row = tables.statistics.row(key)
        if row is None:
            return None
        column = tables.statistics.keys.index("year") if "year" in tables.statistics.keys else 0
        return _target_of(row.cells[column].fact.label, [row.cells[column].fact])
    return None


def _application_target(key: str, tables: DisclosureTables) -> Target | None:
    rows = [tables.row(k) for k in key.split("+")]
    if any(r is None for r in rows):
        return None
    return _target_of(" + ".join(r.name for r in rows), [r.cells[-1].fact for r in rows])


def _target_of(name: str, facts: list[Fact]) -> Target:
    value = int(sum(f.value for f in facts))
    terms = " + ".join(f"{f.label}{f.text}" for f in facts)
    return Target(name, value, facts, terms if len(facts) == 1 else f"{terms} = {value}")
