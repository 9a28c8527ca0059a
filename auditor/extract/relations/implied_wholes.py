"""Shares of one whole the report names but never states: each count over its share gives that
whole, and the wholes must agree.

Reads:  基本支出预算2476260.58元,占一般公共预算支出的84.06%。……项目支出469500元,占一般公共预算支出的19.62%
                                   -> 469500 / (2476260.58 / 84.06%) = 15.94%, not 19.62%: the two
                                      shares cannot be of one whole
Leaves: 受理案件40件,占全市的20%;办结案件30件,占全市的25%   -> 全市 names a place, not one whole
        2023年办理60件,占全省案件的5%;2022年办理50件,占全省案件的4%
                                   -> two years: two wholes

A whole is the same when the shares name it in the same words, specific ones (not 总数 or a bare
place), their counts are of one dimension, they stand within the paragraphs a passage may refer
back to, and no other year is named beside them. Only shares no other reading checked are read
here: a whole stated in the text is the shares reader's.
"""

from __future__ import annotations

import regex

from auditor.extract.figures import Fact
from auditor.extract.relations.passage import Passage

_YEAR_RE = regex.compile(r"(?:19|20)\d{2}年")


def read(passage: Passage) -> None:
    anchors: dict[str, tuple[Fact, Fact]] = {}  # the whole's words -> its first share and count
    for listed in passage.share_lists:
        words = "".join(listed.base_words.split())  # a line break inside the name (PDF text)
        if listed.respective or not _specific(passage, words):
            continue
        for share, part in zip(listed.shares, listed.parts):
            if part is None or share.value is None or part.value is None or passage.builder.rated(share):
                continue
            anchor = anchors.get(words)
            if anchor is None or not _same_whole(passage, anchor, share, part):
                anchors[words] = (share, part)
                continue
            passage.builder.implied(part.family, share, part, *anchor, how=f"the whole both shares name (占{words})")


def _specific(passage: Passage, words: str) -> bool:
    """Words that name one whole: not empty, not generic (总数), not a place alone (全市, 全省)."""
    return bool(words) and not passage.words.generic_base.fullmatch(words) \
        and not passage.words.whole_scope.fullmatch(words) and len(words) >= 3


def _same_whole(passage: Passage, anchor: tuple[Fact, Fact], share: Fact, part: Fact) -> bool:
    first_share, first_part = anchor
    if not passage.alike(first_part, part) or first_share.value <= 0:
        return False
    if passage.reach_start(share.start) > first_share.start:
        return False
    years = {y for f in (first_share, share) for y in _YEAR_RE.findall(passage.text, *_around(passage, f))}
    return len(years) <= 1


_AROUND = 80  # characters of a share's sentence before it that may name its year


def _around(passage: Passage, fact: Fact) -> tuple[int, int]:
    """The share's sentence up to it, _AROUND characters at most (a crafted sentence of thousands
    of shares must not cost their square)."""
    sentence = passage.sentence_of(fact.start)
    return max(sentence.start, fact.start - _AROUND), fact.end
