"""另 completions: a total, its parts, and a last part introduced by 另/另外/其余 as the rest.

Reads:  共审结行政复议案件4件,1件已公开,另外3件无需公开   -> 4 = 1 + 3
        行政复议案件总数为36件,31件已审结,另外5件正在审理中 -> 36 = 31 + 5
        收到200件,已办结150件,其中来信90件、来访60件,另有50件正在办理
                                                       -> 200 = 150 + 50: the 其中 list closes 150
                                                          (90 + 60), and 另有 completes the total
                                                          before it
Leaves: 全年共办理法律援助案件880件,为农民工讨薪案件120件,另有咨询300件
                                                       -> 另有 introduces something else (咨询)

The total is the figure a total word labels (共/合计/总…), else the first figure before parts
named only by the words after them (1件已公开). It runs after the breakdown and vocabulary
readers: a list they read (其中…,另两次…) keeps their reading.
"""

from __future__ import annotations

from auditor.extract.figures import Fact
from auditor.extract.relations.passage import QUANTITY_KINDS, Passage
from auditor.extract.relations.words import is_total_label


def read(passage: Passage) -> None:
    for facts in passage.grouped(passage.values, passage.clauses):
        passage.budget.check("relations: completions")
        _read_clause(passage, facts)
    _read_after_closed_lists(passage)


def _read_after_closed_lists(passage: Passage) -> None:
    """A 其中 list that makes its total exactly, then 另 and a figure: the total and the figure
    are the parts of the figure before the total (收到200件,已办结150件,其中…,另有50件…)."""
    words = passage.words
    joiners = "".join(words.joiners)
    for breakdown in passage.breakdowns:
        total, parts = breakdown.total, breakdown.parts
        if breakdown.marker != "qizhong" or any(p.value is None for p in parts) or total.value is None \
                or sum(p.value for p in parts) != total.value:
            continue
        sentence = passage.sentence_of(parts[-1].start)
        rest = passage.next_value(parts[-1].end + 1)
        if rest is not None and rest.start >= sentence.end:
            rest = None
        if rest is None or not passage.alike(rest, total) or not words.completion.match(rest.label.lstrip(joiners)):
            continue
        noun = words.completion_fillers.sub("", rest.label.lstrip(joiners)[words.completion.match(
            rest.label.lstrip(joiners)).end():])
        if noun:
            continue  # 另有咨询300件: something else
        outer = _last_alike_before(passage, total, sentence.start)
        if outer is not None:
            passage.builder.sum("eq", "completion", outer.family, outer, [total, rest],
                                how="另 after a list that makes its total: the total and the rest make the figure before")


_MAX_BEFORE = 32


def _read_clause(passage: Passage, facts: list[Fact]) -> None:
    text, words, vocabulary = passage.text, passage.words, passage.vocabulary
    joiners = "".join(passage.words.joiners)
    for i, last in enumerate(facts):
        if last.kind not in QUANTITY_KINDS:
            continue
        label = last.label.lstrip(joiners)
        intro = words.completion.match(label)
        if intro is None:
            continue
        # the figures of its kind before it in the clause: the nearest _MAX_BEFORE (a crafted clause of
        # thousands of figures must not cost their square)
        earlier = [f for f in facts[max(0, i - _MAX_BEFORE):i] if f.unit == last.unit and f.kind == last.kind]
        total = next((f for f in reversed(earlier) if is_total_label(f.label, words)), None)
        if total is None and earlier and all(_bare(passage, f.label) for f in earlier[1:]):
            total = earlier[0]  # 审结4件,1件已公开,另外3件…: the parts are named after their figure
        if total is None:
            continue
        asides = passage.brackets(total.end, last.start)  # (含上年结转1件): inside a part, not one of them
        parts = [f for f in earlier if f.start > total.start and not any(w in f.label for w in vocabulary.included_words)
                 and not any(a.start < f.start < a.end for a in asides)]
        parts.append(last)
        if len(parts) < 2 or words.subset.search(text, total.end, last.start):
            continue  # nothing but the rest, or a 其中 list, which its own reader reads
        if total.family and last.family and total.family != last.family:
            continue  # …;另外办理行政应诉案件: another family's count
        if any(p.lo > total.hi for p in parts):
            continue  # a figure above the total is another count, not one of its parts
        noun = words.completion_fillers.sub("", label[intro.end():])
        if noun and not any(noun in f.label for f in [total, *parts[:-1]]):
            continue  # 另有咨询300件, 另外办理行政应诉案件12件: something else, not the rest of the total
        passage.builder.sum("eq", "completion", total.family, total, parts, how="另: the total, its parts and the rest")


def _bare(passage: Passage, label: str) -> bool:
    """A label with no name of its own: the figure is named by the words after it (1件已公开)."""
    return not passage.words.completion_fillers.sub("", label)


def _last_alike_before(passage: Passage, total: Fact, start: int) -> Fact | None:
    """The last figure of total's kind that ends before it and starts at or after start."""
    values = passage.values
    for i in range(passage.value_index(total.start) - 1, -1, -1):
        fact = values[i]
        if fact.start < start:
            return None
        if fact.end <= total.start and passage.alike(fact, total):
            return fact
    return None
