"""Name each figure with the vocabulary: its family (the topic of its sentence) and its metric.

The family is the topic word nearest before the figure in its sentence, else the first one
after it in the sentence, else the last one in the preceding sentences of its paragraph; weak
topic words (矛盾纠纷) are consulted only when no other topic word stands in that reach. The
metric is read from the figure's label (the words just before it), else from the words just
after it (有25件还在审理中); the first metric of vocabulary.yaml that matches wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from auditor.config import Vocabulary
from auditor.extract.figures import Fact, naming_label, trie_pattern
from auditor.ingest.spans import Span

# Which metric units a figure of each kind may carry.
_METRIC_UNIT_OF_KIND = {"count": "count", "money": "money", "rate": "percent"}


@lru_cache(maxsize=8)
def _family_re(vocabulary: Vocabulary) -> tuple[re.Pattern, dict[str, tuple[str, bool] | None]]:
    """One pattern of all topic words; word -> (family, weak), or None for a not-topic word."""
    owner: dict[str, tuple[str, bool] | None] = {word: None for word in vocabulary.not_topic_words}
    for family, words in vocabulary.families.items():
        for word in words:
            owner.setdefault(word, (family, False))
    for family, words in vocabulary.weak_family_words.items():
        for word in words:
            owner.setdefault(word, (family, True))
    # re, not regex: for an alternation of plain words re is about twice as fast; as a prefix
    # tree, for it is searched through the whole text (3 ms of name_facts' 33 on the 72 work
    # reports: python -m bench.extraction)
    return re.compile(trie_pattern(list(owner), "")), owner


@lru_cache(maxsize=8)
def metric_patterns(vocabulary: Vocabulary) -> dict[str, tuple[re.Pattern, dict[str, tuple[int, str]]]]:
    """Per metric unit: one pattern of all its words, and word -> (priority, metric)."""
    result = {}
    for unit in ("count", "money", "percent"):
        owner: dict[str, tuple[int, str]] = {}
        for priority, metric in enumerate(vocabulary.metrics.values()):
            if metric.unit == unit:
                for word in metric.words:
                    owner.setdefault(word, (priority, metric.name))
        result[unit] = (re.compile(trie_pattern(list(owner), "")), owner)  # the longest word at each place
    return result


def name_facts(text: str, facts: list[Fact], sentences: list[Span], paragraphs: list[Span],
               vocabulary: Vocabulary) -> None:
    family_re, family_of_word = _family_re(vocabulary)
    strong: list[tuple[int, str]] = []
    weak: list[tuple[int, str]] = []
    for match in family_re.finditer(text):  # a not-topic word is consumed here, and skipped
        owner = family_of_word[match.group()]
        if owner is not None:
            (weak if owner[1] else strong).append((match.start(), owner[0]))
    reaches = [(topics, [pos for pos, _ in topics]) for topics in (strong, weak)]
    sentence_starts = [s.start for s in sentences]
    paragraph_starts = [p.start for p in paragraphs]
    metric_res = metric_patterns(vocabulary)

    for fact in facts:
        unit = _METRIC_UNIT_OF_KIND.get(fact.kind)
        if unit is None:
            continue
        sentence = sentences[max(0, bisect_right(sentence_starts, fact.start) - 1)]
        paragraph = paragraphs[max(0, bisect_right(paragraph_starts, fact.start) - 1)]
        for topics, positions in reaches:  # the strong topic words, then the weak ones
            fact.family = _family(topics, positions, fact, sentence, paragraph)
            if fact.family:
                break
        fact.metric, fact.metric_word = _metric(metric_res[unit], naming_label(text, fact), fact.after)


def _family(topics, positions, fact: Fact, sentence: Span, paragraph: Span) -> str | None:
    before = bisect_left(positions, fact.start) - 1
    if before >= 0 and positions[before] >= sentence.start:
        return topics[before][1]
    after = bisect_left(positions, fact.end)
    if after < len(positions) and positions[after] < sentence.end:
        return topics[after][1]
    if before >= 0 and positions[before] >= paragraph.start:
        return topics[before][1]
    return None


def _metric(metric_re, label: str, after: str) -> tuple[str | None, str]:
    pattern, owner = metric_re
    for context in (label, after):
        found = pattern.findall(context)  # most contexts hold no metric word
        if found:
            best = min(owner[word] + (word,) for word in found)
            return best[1], best[2]
    return None, ""
