"""Changes: a stated change against its levels.

Reads:  行政处罚案件215件,同比下降26%          -> the change of a whole count: some whole count last
                                              year must give it (op prior); the pair is kept for
                                              the check against last year's report
        新收3326件(2023年为867件),同比增长283.6% -> 3326 / 867 − 1 = 283.6% (op delta)
        由40件增加到52件,增长30%                -> 52 / 40 − 1 = 30% (op delta)
        收入42,828万元,比2023年的40,616万元增加2,212万元 -> 42,828 − 40,616 = 2,212 (op delta)
Leaves: 行政处罚案件数同比下降26%              -> the change names its own subject, no level stated
        四个自治区,工业总产值增长88%            -> not right after its level: recorded, unchecked

A change names which way it goes (增长, 下降: shapes.yaml rise and fall words); one read right
after its level carries that direction for the year-over-year check (frames/year_over_year.py).
"""

from __future__ import annotations

from auditor.extract.figures import VALUE_KINDS, Fact
from auditor.extract.relations.passage import Passage, first_at, last_before

_LEVEL_KINDS = ("count", "money", "rate")


def read(passage: Passage) -> None:
    levels_and_changes = [f for f in passage.facts if f.kind in (*VALUE_KINDS, "change")]
    cells = passage.builder.named
    levels_and_changes = [f for f in levels_and_changes if f.index not in cells]
    for facts in passage.grouped(levels_and_changes, passage.clauses):
        passage.budget.check("relations: changes")
        _read_clause(passage, facts)
    for facts in passage.grouped(levels_and_changes, passage.sentences):
        _read_deltas(passage, facts)


def _read_clause(passage: Passage, facts: list[Fact]) -> None:
    words, builder = passage.words, passage.builder
    for i, change in enumerate(facts):
        if change.kind != "change" or not words.delta_label.fullmatch(change.label):
            continue
        level = _level_before(passage, facts, i)
        if level is None or not _fits(change, level):
            continue
        family = level.family or change.family
        # checked only right after its level (7件,同比增长66.7%): across other words the change may
        # well be of something else (四个自治区,工业总产值增长88%)
        rising = rising_of(passage, change.label) if adjacent(passage, level, change) else None
        if not builder.prior(family, change, [level, *_beside(passage, facts, level)], rising):
            builder.pair("change", "change", family, change, level,
                         direction="" if rising is None else "rise" if rising else "fall")


def _beside(passage: Passage, facts: list[Fact], level: Fact) -> list[Fact]:
    """A figure right before the level, nothing between them (来访95件127人次): the change may be
    of either."""
    j = first_at(facts, level.start)  # the figure before the level
    previous = facts[j - 1] if j else None
    if previous is not None and previous.end <= level.start and previous.kind in ("count", "money") \
            and not passage.text[previous.end:level.start].strip():
        return [previous]
    return []


def adjacent(passage: Passage, level: Fact, change: Fact) -> bool:
    """Nothing but punctuation and the words of the comparison between a level and its change:
    7件,同比增长66.7%; 88件,比2021年增长12.8%."""
    between = passage.between(level, change)
    if change.label and between.endswith(change.label):
        between = between[:-len(change.label)]
    between = between.strip(",， 、")
    return not between or bool(passage.words.delta_label.fullmatch(between)) or _comparison_only(passage, between)


def _comparison_only(passage: Passage, between: str) -> bool:
    """比2021年, 与上年相比, 较去年同期: a comparison naming only the time compared with."""
    stripped = passage.words.other_time.sub("", between)
    for word in (*passage.vocabulary.comparison_words, "与", "相比", "年", "度", "同期", " ", ",", "，"):
        stripped = stripped.replace(word, "")
    return not stripped.strip("0123456789")


def rising_of(passage: Passage, label: str) -> bool | None:
    """Whether a change label says a rise (增长, 提高) or a fall (下降, 减少); None when it says
    neither (提速, 压缩 of a time)."""
    found = list(passage.words.direction.finditer(label))
    return found[-1].group() in passage.words.rise if found else None


def _level_before(passage: Passage, facts: list[Fact], i: int) -> Fact | None:
    """The level figure a change qualifies: the nearest value figure before it, unless another
    change stands between (that one qualifies it) or it is a negation (无一件 says none)."""
    negations = passage.shapes.changes.negations
    for fact in reversed(facts[:i]):
        if fact.kind == "change":
            return None
        if not fact.label.endswith(negations):
            return fact
    return None


def _fits(change: Fact, level: Fact) -> bool:
    """A relative change (%) fits any level; 个百分点 a rate; a count or an amount its own unit."""
    if change.unit == "%":
        return True
    if change.unit == "个百分点":
        return level.kind == "rate"
    return change.unit == level.unit


# --- a change with both its levels -------------------------------------------------------------

def _read_deltas(passage: Passage, facts: list[Fact]) -> None:
    """Changes whose two levels the sentence states: 由A到B; A(2023年为B); A,比2023年的B. The
    change names no subject of its own and follows its later level with nothing but the words of
    the change between (由120件增加到150件,其中处罚案件增长30% is another figure's change)."""
    words = passage.words
    for i, change in enumerate(facts):
        if change.kind != "change" or change.value is None or not words.delta_label.fullmatch(change.label):
            continue
        rising = rising_of(passage, change.label)
        if rising is None:
            continue
        levels = _two_levels(passage, facts, i)
        if levels is None:
            continue
        before, after, how = levels
        if change.unit == "个百分点":
            fits = after.unit == "%" and before.unit == "%"
        else:
            fits = change.unit == "%" or change.unit == after.unit
        if fits:
            passage.builder.delta(after.family or before.family, change, before, after, rising, how)


def _two_levels(passage: Passage, facts: list[Fact], i: int) -> tuple[Fact, Fact, str] | None:
    """(earlier level, later level, how) for the change facts[i], from the figures right before it
    in its sentence: 由/从 A … 到/至 B; or B (…年为 A) / B,比…年的A (then perhaps 增加D); None when
    not so stated."""
    change = facts[i]
    others = last_before(facts, i, _LEVELS_LOOKED_AT, _level)
    if not others:
        return None
    last = others[-1]
    gap_end = change.start - len(change.label)
    if last.kind == "change" and last.unit != change.unit and passage.words.delta_label.fullmatch(last.label):
        # 比上年的40,616万元,增加2,212万元,增长5.4%: the amount's change stands before the percentage
        if not others[:-1] or not _only_change_words(passage, passage.text[last.end:gap_end]):
            return None
        gap_end = last.start - len(last.label)
        others = others[:-1]
        last = others[-1]
    if not _only_change_words(passage, passage.text[last.end:gap_end]):
        return None
    # 由40件增加到52件
    if last.kind == "change" and last.label.endswith(("到", "至")) and len(others) >= 2:
        start = others[-2]
        if start.kind == "change" and _preceding(passage, start).endswith(("由", "从")) and start.unit == last.unit:
            return start, last, "由…到…: both levels stated"
        return None
    # 3326件(2023年为867件); 42,828万元,比上年的40,616万元
    if len(others) >= 2 and passage.words.previous_level.search(_preceding(passage, last)):
        current = others[-2]
        if current.kind in _LEVEL_KINDS and current.unit == last.unit and \
                _only_change_words(passage, passage.text[current.end:last.start - len(_preceding(passage, last))]):
            return last, current, "this year's level and last year's, stated beside it"
    return None


# the figures before a change that may be its levels (and an amount's change between them): the
# last three; a sentence of thousands of figures must not cost their square
_LEVELS_LOOKED_AT = 3


def _level(fact: Fact) -> bool:
    """A figure with a value that may be a level: not a year."""
    return fact.value is not None and fact.kind != "year"


_BREAKS = "，,；;。（(）)：:\n"


def _preceding(passage: Passage, fact: Fact) -> str:
    """The words right before a figure, from the last break: 2022年为 in (2022年为867件), which a
    label (cut at the year figure) does not hold whole."""
    start = max(passage.text.rfind(b, 0, fact.start) for b in _BREAKS) + 1
    return passage.text[max(start, fact.start - 20):fact.start]


def _only_change_words(passage: Passage, between: str) -> bool:
    """Punctuation and the words of a change (同比, 增长): nothing naming a figure of its own."""
    stripped = between.strip("，,、 ()（）")
    return not stripped or bool(passage.words.delta_label.fullmatch(stripped))
