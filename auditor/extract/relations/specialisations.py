"""A kind of a category counted later, more narrowly: at most the category's count.

Reads:  受理案件中投诉举报类12件,行政处罚类17件,…。……其中市场监管领域投诉举报案件13件
                                   -> 投诉举报 cases of one field are at most all 投诉举报 cases:
                                      13 <= 12 fails
Leaves: 投诉举报类12件 … 上年投诉举报案件15件  -> another time
        投诉举报12件 … 市场监管领域投诉举报案件13件 -> 12 names no category (no 类, 方面, 领域)

The category is a count whose label ends by naming it with a classification word (投诉举报类: 类,
方面, 领域 in shapes.yaml), so its words name a kind; a later figure of its kind and dimension,
within reach, whose label holds those words and more, counts a part of it.
"""

from __future__ import annotations

import regex

from auditor.extract.figures import Fact
from auditor.extract.relations.passage import Passage

_HAN_RE = regex.compile(r"\p{Han}+")
# after the classification word: nothing, or 的 and the noun of what is counted (方面的投诉)
_NAMES_A_CATEGORY_RE = regex.compile(r"(?:的?\p{Han}{1,3})?[的有为是\s]*")
_MIN_KIND = 2


def read(passage: Passage) -> None:
    generic = set(passage.shapes.restatements.generic_nouns)
    for category in passage.values:
        passage.budget.check("relations: specialisations")
        if category.kind != "count" or category.qualifier:
            continue
        kind = _kind_words(passage, category)
        if kind is None or kind in generic:
            continue
        for later in _later_of_kind(passage, category, kind):
            passage.builder.sum("le", "specialisation", category.family, category, [later],
                                how=f"{later.label[-12:]} is a kind of {kind}")


def _kind_words(passage: Passage, category: Fact) -> str | None:
    """投诉举报 in 受理案件中投诉举报类: the words before the classification word, after the last
    break of the label's own scope (…中, 其中)."""
    label = category.label
    if passage.words.classification.search(label) is None:
        return None  # most labels: one search
    found = list(passage.words.classification.finditer(label))
    if not found or not _NAMES_A_CATEGORY_RE.fullmatch(label[found[-1].end():]):
        return None  # 投诉举报类12件, 食品安全方面的投诉230件: the classification word ends the name
    head = label[:found[-1].start()]
    for marker in (*passage.shapes.lists.subset_markers, *passage.shapes.lists.scope_closers):
        at = head.rfind(marker)
        if at != -1:
            head = head[at + len(marker):]
    runs = _HAN_RE.findall(head)
    kind = runs[-1] if runs else ""
    return kind if len(kind) >= _MIN_KIND else None


def _later_of_kind(passage: Passage, category: Fact, kind: str) -> list[Fact]:
    sentence = passage.sentence_of(category.start)
    reach_end = _reach_end(passage, category.start)
    found = []
    # the values after the category's sentence and within reach, by bisection: not every value
    # of the report for every category
    for fact in passage.values_between(sentence.end + 1, reach_end):
        if not passage.alike(fact, category):
            continue
        label = fact.label
        if kind in label and label.strip() != category.label.strip() and len(label) > len(kind) + 1 \
                and not passage.words.other_time.search(label) and not passage.words.classification.search(
                    label[label.find(kind) + len(kind):label.find(kind) + len(kind) + 2]):
            found.append(fact)
    return found


def _reach_end(passage: Passage, pos: int) -> int:
    """The end of the paragraph after pos's, and a few more: as far as a later mention may refer back."""
    paragraphs = passage.paragraphs
    first = passage.first_paragraph_ending_after(pos)
    if first == len(paragraphs):
        return len(passage.text)
    return paragraphs[first + min(len(paragraphs) - first - 1, 3)].end
