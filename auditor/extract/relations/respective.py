"""分别 lists: the names before 分别 name the figures after it, in order.

Reads:  全年受理、办结行政复议案件分别为52件、50件  -> 52件 is 受理 (accepted), 50件 办结 (concluded)
Leaves: 新浪、腾讯微博分别发布信息420条               -> one figure: each account published 420

Each listed figure's label holds the whole list, so the labeller named both by the list's first
vocabulary word; this reader renames them, before any reader pairs figures by metric. It states
no relation itself.
"""

from __future__ import annotations

import re

import regex

from auditor.extract.labels import metric_patterns
from auditor.extract.relations.passage import Passage
from auditor.ingest.spans import BLANK

_METRIC_UNIT_OF_KIND = {"count": "count", "money": "money", "rate": "percent"}
_VERB_AFTER_RE = re.compile(rf"(?:为|是|达到|达|有|了|[：:]|{BLANK})*")


def read(passage: Passage) -> None:
    patterns = metric_patterns(passage.vocabulary)
    facts = passage.values
    i = 0
    while i < len(facts):
        listed = _listed(passage, i)
        if listed:
            names = _names(passage, facts[i].label, len(listed))
            unit = _METRIC_UNIT_OF_KIND[facts[i].kind]
            if names and all(_METRIC_UNIT_OF_KIND[f.kind] == unit for f in listed):
                for fact, metric in zip(listed, _metrics(patterns[unit], names)):
                    # a name the vocabulary does not know names no metric: the label's (the whole
                    # list's, 调处率和调处成功率) belongs to another figure of the list
                    fact.metric, fact.metric_word = metric if metric is not None else (None, "")
                    passage.builder.listed.add(fact.index)
        i += max(1, len(listed))


def respective_word(passage: Passage, label: str) -> int:
    """Where 分别 (or 依次) stands in a label, -1 when it does not."""
    return max(map(label.rfind, passage.shapes.shares.respective_words))  # asked of every figure


def _listed(passage: Passage, i: int) -> list:
    """The figures listed after 分别 from values[i] on: 分别为52件、50件 (not 分别占40%, a share)."""
    facts = passage.values
    label = facts[i].label
    at = respective_word(passage, label)
    if at == -1 or not _VERB_AFTER_RE.fullmatch(label[at + 2:]):
        return []
    listed = [facts[i]]
    for fact in facts[i + 1:]:
        if passage.between(listed[-1], fact).strip() not in passage.words.joiners:
            break
        listed.append(fact)
    return listed if len(listed) > 1 else []


def _names(passage: Passage, label: str, count: int) -> list[str] | None:
    """The names before 分别, split at 、 (or also at 和/及/与, which may stand inside a name)."""
    names_text = label[:respective_word(passage, label)]
    for joiners in (("、",), passage.words.joiners):
        pattern = "|".join(regex.escape(j) for j in sorted(joiners, key=len, reverse=True))
        names = [n for n in regex.split(pattern, names_text) if n.strip()]
        if len(names) == count:
            return names
    return None


def _best_word(pattern_owner, text: str):
    """The metric word of a text that vocabulary.yaml lists first, as a match, or None."""
    pattern, owner = pattern_owner
    return min(pattern.finditer(text), key=lambda m: owner[m.group()][0], default=None)


def _metrics(pattern_owner, names: list[str]) -> list[tuple[str, str] | None]:
    """(metric, word) per name. A name with no metric word of its own is read with the noun the
    names share, which ends the last one: 民事、刑事案件 -> 民事案件; 排查、调解成功矛盾纠纷 -> 排查矛盾纠纷."""
    owner = pattern_owner[1]
    last = _best_word(pattern_owner, names[-1])
    shared = ""
    if last is not None:
        shared = names[-1][last.end():] if names[-1][last.end():].strip() else last.group()
    metrics = []
    for name in names:
        # a name ending as the last one does is whole (调处率 beside 调处成功率) and borrows nothing
        whole = name[-1:] == names[-1][-1:]
        word = _best_word(pattern_owner, name) or (None if whole else _best_word(pattern_owner, name + shared))
        metrics.append((owner[word.group()][1], word.group()) if word else None)
    return metrics
