"""The patterns the relation readers match, compiled once per shapes.yaml and vocabulary.yaml.

The words come from those files; what stays here is grammar that no reviewer tunes: the
particles a label may start or end with (的, 为, 是), and how the words combine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re

import regex

from auditor.config import Shapes, Vocabulary
from auditor.ingest.spans import BLANK

# Particles around a label's words: 共受理了 -> 受理; 占…的 -> 占…
_LEAD_PARTICLES = ("有", "的", "是", "为", "：", ":", "、", "，", ",", "…", "...")
_LEAD_WORDS = ("全年", "另外", "另")  # …but not 其他: 其他纠纷260件 keeps its name
_TAIL_PARTICLES = ("为", "达", "是", "有", "的", "了", "约")
# Characters that end the noun after a count (224个村(社区)均已…): adverbs, particles, joiners
_NOUN_STOP = "均已都全也还将正在被并且的是和与及或等共"


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


def _first_chars(words) -> str | None:
    """The characters the words start with; None when one is empty (it matches anywhere)."""
    return None if "" in words else "".join(sorted({w[0] for w in words}))


@dataclass(frozen=True)
class Words:
    # `re` for patterns of plain words, matched a few hundred times a report: a call costs half
    # regex's; `regex` where the pattern needs \p{Han} or \d (whose digits differ in the two), and
    # regex's \s is spans.BLANK
    total: re.Pattern             # total words and the words that merely contain 共 (tell them apart)
    not_total: frozenset[str]
    closing: regex.Pattern        # at a label's end: the list's sum follows (…,合计120件)
    catch_all: regex.Pattern      # at a label's start: the last part is the rest of the whole
    catch_all_word: re.Pattern    # anywhere: the rest named (…,其他则通过当面方式提出)
    partial: re.Pattern
    subset: re.Pattern            # 其中
    joiners: tuple[str, ...]
    scope_end: re.Pattern         # 在…中, …中: a phrase naming a whole ends here
    scope_opener: re.Pattern
    scope_fillers: re.Pattern
    scope_list_end: re.Pattern    # …的主要类别有: a phrase naming a whole, then its list
    scope_end_first: str | None   # the characters a match of scope_end or scope_list_end starts with,
    scope_list_end_first: str | None  # where they are tried (spans.matches_from)
    lead: re.Pattern              # display: what a short label starts with and loses
    tail: re.Pattern
    completion: re.Pattern
    completion_fillers: re.Pattern
    except_word: re.Pattern       # 除…外
    rest: re.Pattern              # what may stand between 外 and the rest
    respective_share: re.Pattern
    share: re.Pattern             # 占, 佔
    classification: re.Pattern
    negation: re.Pattern
    generic_base: re.Pattern
    rise: frozenset[str]
    direction: re.Pattern
    delta_label: re.Pattern       # a change label that names no subject of its own
    previous_level: regex.Pattern
    whole_scope: re.Pattern       # 全市…, 所有… right before a count
    whole_year: re.Pattern        # 全年…, 本年度共… anywhere in a label
    whole_after: re.Pattern
    whole_claim: re.Pattern
    noun_after: regex.Pattern
    verb_after_noun: re.Pattern
    other_time: re.Pattern
    subset_word: re.Pattern       # any of restatements' subset words (此类, 新增), wherever it stands


@lru_cache(maxsize=8)
def words_of(shapes: Shapes, vocabulary: Vocabulary) -> Words:
    lists, rest, shares, changes, restate = (shapes.lists, shapes.rest, shapes.shares, shapes.changes,
                                             shapes.restatements)
    not_total = frozenset(lists.not_total_words)
    units = _alternation(restate.administrative_units)
    delta = {w for w in (*vocabulary.change_markers, *vocabulary.comparison_words, *changes.fillers)
             if w not in ("由", "从") and not w.endswith(("到", "至"))}
    openers, closers = _alternation(lists.scope_openers), _alternation(lists.scope_closers)
    return Words(
        total=re.compile(_alternation([*lists.total_words, *not_total])),
        not_total=not_total,
        # …,合计120件: the label is the closing word (and little else), not 某会议提案共计13件
        closing=regex.compile(rf"^[\s、，,；;]*(?:{_alternation(lists.closing_words)})[^，,。；;、]{{0,4}}$"),
        catch_all=regex.compile(rf"^[、，,；;\s和及与]*(?:{_alternation(lists.catch_all_words)})"),
        catch_all_word=re.compile(_alternation(lists.catch_all_words)),
        partial=re.compile(_alternation(lists.partial_words)),
        subset=re.compile(_alternation(lists.subset_markers)),
        joiners=tuple(lists.joiners),
        # 在主动公开的信息中, 立案的提案中: an opener is optional; the phrase ends a clause
        # the end of a phrase naming a whole (…中, …中:), found first; its words are the clause before
        # (a figure may stand inside: 在受理的1,640件公证事项中)
        scope_end=re.compile(rf"(?:{closers})(?=[，,：:])"),
        scope_opener=re.compile(rf"^(?:{openers})"),
        scope_fillers=re.compile(_alternation(lists.scope_fillers)),
        scope_list_end=re.compile(rf"(?:{_alternation(lists.scope_list_words)})[：:]"),
        scope_end_first=_first_chars(lists.scope_closers),
        scope_list_end_first=_first_chars(lists.scope_list_words),
        lead=re.compile(rf"^(?:{_alternation([*lists.subset_markers, *lists.total_words, *_LEAD_WORDS, *_LEAD_PARTICLES])}|{BLANK})+"),
        tail=re.compile(rf"(?:{_alternation([*_TAIL_PARTICLES, *lists.total_words])})+$"),
        completion=re.compile(_alternation(rest.completion_words)),
        completion_fillers=re.compile(rf"{_alternation(rest.completion_fillers)}|[、：:]|{BLANK}"),
        except_word=re.compile(rf"(?:{_alternation(rest.except_not_words)})|除了?(?P<inside>[^，,。；;！？!?\n]{{1,50}}?)以?外"),
        rest=re.compile(rf"[,，]?(?:{_alternation(rest.rest_words)})*"),
        respective_share=re.compile(rf"(?:{_alternation(shares.respective_words)})(?:(?:{_alternation(shares.share_words)})比?|为|是|达)"),
        generic_base=re.compile(_alternation(shares.generic_bases)),
        share=re.compile(_alternation(shares.share_words)),
        classification=re.compile(_alternation(shares.classification_words)),
        negation=re.compile(_alternation(lists.negation_words)),
        rise=frozenset(changes.rise_words),
        direction=re.compile(_alternation([*changes.rise_words, *changes.fall_words])),
        delta_label=re.compile(rf"(?:{_alternation(delta)})+"),
        # 上年为, (2023年为…, 比2023年的…: last year's level, stated beside this year's
        previous_level=regex.compile(rf"(?:{_alternation(changes.previous_level_words)})$"
                                     rf"|^(?:{_alternation(vocabulary.comparison_words)})?"
                                     rf"(?:\d{{4}}年度?|上年度?|去年|上一年)(?:同期)?(?:为|的)$"),
        whole_scope=re.compile(rf"(?:全(?:{units})|{_alternation(restate.whole_words)})(?:共有|共计|共|有|的|{BLANK})*$"),
        whole_year=re.compile(rf"全(?:{units}|年)|{_alternation(restate.whole_year_words)}"),
        whole_after=re.compile(rf"^(?:{_alternation(restate.whole_after_words)})"),
        whole_claim=re.compile(_alternation(restate.whole_claim_words)),
        noun_after=regex.compile(rf"(?:(?![{_NOUN_STOP}])\p{{Han}}|[(（][\p{{Han}}]{{1,4}}[)）])+"),
        verb_after_noun=re.compile(_alternation(restate.verbs_after_noun)),
        other_time=re.compile(_alternation(restate.other_time_words)),
        subset_word=any_word_re(restate.subset_words),
    )


def any_word_re(words) -> re.Pattern:
    """A pattern found in a text exactly when one of the words is in it: one scan in C, not a
    test of each word in turn for every figure's label."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)")


def is_total_label(label: str, words: Words) -> bool:
    """共受理, 合计, 总数为: the label states a total (公共法律服务 does not)."""
    if words.total.search(label) is None:
        return False  # most labels: one search, not a scan of the matches
    return any(m.group() not in words.not_total for m in words.total.finditer(label))


def without_total_words(label: str, words: Words) -> str:
    """全年共受理 -> 全年受理: the label less its total words (公共 stays)."""
    return words.total.sub(lambda m: m.group() if m.group() in words.not_total else "", label)


def split_at_total(label: str, words: Words) -> str:
    """各级人民调解委员会共受理 -> 受理: the words after the last total word."""
    last = None
    for match in words.total.finditer(label):
        if match.group() not in words.not_total:
            last = match
    return label[last.end():] if last else label


def short_label(label: str, words: Words) -> str:
    """A figure's label as a message shows it: 其中受理 -> 受理; 共审结了 -> 审结."""
    return words.tail.sub("", words.lead.sub("", split_at_total(label, words)))


def share_position(label: str, words: Words) -> int:
    """Where the last share word (占) stands in a label, -1 when none does."""
    found = [m.start() for m in words.share.finditer(label)]
    return found[-1] if found else -1
