"""One thing counted twice with different values.

Reads:  全市224个村(社区)…  ……220个村(社区)均已开通…        -> each claims the whole of 村(社区): 224
                                                          against 220 (op restate)
        2010年,我街主动公开政府信息4条。…2010年,我街主动公开政府信息5条 -> one count, in the same
                                                          words of the same year (op restate)
Leaves: 受理此类案件17件 … 受理行政复议案件206件            -> two scopes of one metric
        在5个乡镇开展试点,力争明年实现全覆盖 … 全县12个乡镇  -> 5 are some of the 12

Most figures that repeat a metric are not restatements: so one needs both figures to be counts
of one unit naming the same specific thing (a noun of its own after the figure, 村(社区), not 部门
or 方面; the same metric words of one family; or the same words of their own, in full), each
claiming the whole of it or said in the same words, with no word of a subset (其中, 此类, 新增…)
before it, and no other time. Repeats the checks leave alone are recorded (op repeat).
"""

from __future__ import annotations

import regex

from auditor.extract.figures import Fact
from auditor.extract.relations.passage import Passage
from auditor.extract.relations.words import is_total_label, without_total_words

# the words before a figure that may say whose count it is: its sentence's, up to this many
# characters (a crafted sentence of thousands of figures must not cost their square)
_HEAD_REACH = 400
_SENTENCE_REST_CHARS = 40
_NOUN_CHARS = 6
_SHARE_METRIC = "share"
_HAN_RE = regex.compile(r"[^\p{Han}]")
_WORDS_AND_DIGITS_RE = regex.compile(r"[^\p{Han}\d]")
_MIN_OWN_WORDS = 6  # Han characters a label must hold to name a count by its own words
_MAX_HEAD_WORDS = 40  # …and a sentence head longer than this is no name that repeats


def read(passage: Passage) -> None:
    restated = _restatements(passage)
    _repeats(passage, restated)


def _restatements(passage: Passage) -> set[int]:
    seen: dict[tuple, list[Fact]] = {}
    restated: set[int] = set()
    for fact in passage.values:
        passage.budget.check("relations: restatements")
        key, how = _restate_key(passage, fact)
        if key is None:
            key, how = _same_words_key(passage, fact)
        if key is None:
            continue
        earlier = seen.setdefault(key, _Earlier())
        if fact.value in earlier.values:
            continue
        first = earlier.first_outside(passage, fact)
        if first is not None:
            passage.builder.restate(first, fact, key[-1] if key[0] is None else None, how)
            restated.add(fact.index)
        earlier.add(fact)
    return restated


class _Earlier:
    """The figures of one key so far, in order, and their values (a set: a crafted text of
    thousands of figures of one key must not cost their square)."""

    def __init__(self) -> None:
        self.first: Fact | None = None
        self.values: set = set()

    def add(self, fact: Fact) -> None:
        if self.first is None:
            self.first = fact
        self.values.add(fact.value)

    def first_outside(self, passage: Passage, fact: Fact) -> Fact | None:
        """The first of them not in fact's sentence: the figures come in order, so that is the
        first of all, or none (all the others stand in fact's sentence too)."""
        if self.first is None or passage.sentence_of(self.first.start) == passage.sentence_of(fact.start):
            return None
        return self.first


def _restate_key(passage: Passage, fact: Fact) -> tuple[tuple | None, str]:
    """What names a figure as the whole of one specific thing, and how, or (None, "")."""
    if fact.kind != "count" or fact.metric == _SHARE_METRIC or fact.qualifier:
        return None, ""
    if fact.value == 1 and fact.text.startswith("一"):
        return None, ""
    shapes, words = passage.shapes.restatements, passage.words
    label = fact.label
    if words.subset_word.search(label):
        return None, ""
    noun = _noun_after(passage, fact)
    if noun is not None and _specific(passage, noun):
        if not _claims_whole(passage, fact, label, noun):
            return None, ""
        return (None, None, passage.dimension(fact), noun), "both claim the whole of what they count"
    if fact.family and fact.metric and fact.metric_word and fact.metric_word in label \
            and (words.whole_year.search(label) or is_total_label(label, words)):  # it claims the year
        # what is counted, in the report's words less those of time and totality: 全年共受理行政复议
        # 案件 -> 受理行政复议案件; it must name its family itself (行政复议), not take it from a
        # sentence before, and two counts are one metric only when these words are the same
        named = words.tail.sub("", words.lead.sub("", without_total_words(words.whole_year.sub("", label), words))).strip()
        if fact.metric_word in named and any(w in named for w in passage.vocabulary.families.get(fact.family, ())):
            # …and so are the words before them in the sentence, which may name whose count it is:
            # 全省12345热线共受理… and 省12345热线共受理… count for two bodies
            sentence = passage.sentence_of(fact.start)
            start = max(sentence.start, fact.start - _HEAD_REACH)
            head = without_total_words(words.whole_year.sub("", passage.text[start:fact.start]), words)
            return (fact.family, fact.metric, passage.dimension(fact), _WORDS_AND_DIGITS_RE.sub("", head)), \
                "the same metric of one family, for the year"
    return None, ""


def _same_words_key(passage: Passage, fact: Fact) -> tuple[tuple | None, str]:
    """A count at the end of the same words from its sentence's start, long enough to name one
    thing (2010年,我街主动公开政府信息4条), with no word of a subset or of another time: the same
    words twice are one count stated twice. The whole sentence head counts, not the label alone:
    区执法应急局…共梳理法律法规530部 and 区经济发展局…共梳理法律法规21部 are two bodies' counts."""
    if fact.kind != "count" or fact.qualifier or fact.metric == _SHARE_METRIC:
        return None, ""
    words, shapes = passage.words, passage.shapes.restatements
    sentence = passage.sentence_of(fact.start)
    if passage.value_index(sentence.start) < passage.value_index(fact.start):
        return None, ""  # the first figure of its sentence: a later one may count a part of it
    head = passage.text[sentence.start:fact.start]
    if words.subset_word.search(head) or words.other_time.search(head):
        return None, ""
    if len(_HAN_RE.sub("", fact.label)) < _MIN_OWN_WORDS:
        return None, ""  # tested first: the label is short, the head may be long
    named = _WORDS_AND_DIGITS_RE.sub("", without_total_words(head, words))  # years stay: 2021年 ≠ 2022年
    if len(named) > _MAX_HEAD_WORDS:
        return None, ""
    return ("words", passage.dimension(fact), named), "the same words from the start of the sentence"


def _specific(passage: Passage, noun: str) -> bool:
    """A noun that names something of its own: 村(社区), 法律服务工作站; not 部门, 方面, 个人."""
    han = _HAN_RE.sub("", noun)
    return len(han) >= 2 and not han.startswith(passage.shapes.restatements.generic_nouns)


def _claims_whole(passage: Passage, fact: Fact, label: str, noun: str) -> bool:
    """全市224个村(社区), 所有…: the whole before it; 220个村(社区)均已…, …实现全覆盖: the whole
    after it, in the rest of its sentence."""
    words, shapes = passage.words, passage.shapes.restatements
    if words.whole_scope.search(label):
        return True
    sentence = passage.sentence_of(fact.start)
    start = fact.end + len(noun)
    rest = passage.text[start:min(sentence.end, start + _SENTENCE_REST_CHARS)]
    claim = words.whole_after.search(rest) or words.whole_claim.search(rest)
    # 在5个乡镇开展试点,力争明年实现全覆盖: the whole is yet to come, and not these five
    return claim is not None and not any(w in rest[:claim.start()] for w in (*shapes.subset_words, *shapes.not_yet_words))


def _noun_after(passage: Passage, fact: Fact) -> str | None:
    """The noun right after a figure, up to a break or a function word: 村(社区) in 224个村(社区)已…;
    None when shorter than two characters (个村 alone says too little). Read once a figure:
    restatements and repeats both ask."""
    nouns = passage.nouns_after
    if fact.end not in nouns:
        nouns[fact.end] = _read_noun_after(passage, fact)
    return nouns[fact.end]


def _read_noun_after(passage: Passage, fact: Fact) -> str | None:
    words = passage.words
    match = words.noun_after.match(passage.text, fact.end, fact.end + _NOUN_CHARS + 4)
    noun = match.group() if match else ""
    closed = max(noun.find(")"), noun.find("）"))
    if closed != -1:
        noun = noun[:closed + 1]  # 乡(镇)实现…: the bracket closes the noun
    else:
        verb = words.verb_after_noun.search(noun, 1)
        noun = noun[:verb.start()] if verb else noun  # 行政村实现…
    noun = noun[:_NOUN_CHARS]
    return noun if len(noun) >= 2 else None


def _in_one_list(passage: Passage, a: Fact, b: Fact) -> bool:
    """One is a part of a list the other is a total of: a breakdown, not a repeat."""
    return any(any(t is a for t, _ in d.totals) for d in passage.breakdowns_of_part(b)) \
        or any(any(t is b for t, _ in d.totals) for d in passage.breakdowns_of_part(a))


def _repeats(passage: Passage, restated: set[int]) -> None:
    """One metric stated more than once with different values, recorded unchecked (op repeat,
    the first statement against each later value) unless a restatement checks it. The same
    metric is the same family, metric and unit; for a figure with no metric, the same unit and
    the same noun right after it (村(社区))."""
    seen: dict[tuple, _Earlier] = {}
    for fact in passage.values:
        passage.budget.check("relations: repeats")
        key = _repeat_key(passage, fact)
        if key is None:
            continue
        if fact.index in restated:
            seen.setdefault(key, _Earlier()).add(fact)
            continue
        earlier = seen.setdefault(key, _Earlier())
        if fact.value in earlier.values:
            continue  # the same value again (a report that repeats its own body) is consistent
        first = earlier.first_outside(passage, fact)
        if first is not None and not _in_one_list(passage, first, fact):
            passage.builder.pair("repeat", "repeat", fact.family, first, fact)
        earlier.add(fact)


def _repeat_key(passage: Passage, fact: Fact) -> tuple | None:
    """What makes two figures one metric, or None for a figure no other can repeat."""
    if fact.metric == _SHARE_METRIC:
        return None  # 占…: two shares are one metric only over the same part and base
    if fact.metric:
        return fact.family, fact.metric, fact.kind, fact.unit
    if fact.kind != "count":
        return None  # a count's noun follows it (224个村); an amount's or a rate's stands before it
    if fact.value == 1 and fact.text.startswith("一"):
        return None  # 一个, 一项: an article, not a count
    noun = _noun_after(passage, fact)
    return (fact.family, None, fact.kind, fact.unit, noun) if noun else None
