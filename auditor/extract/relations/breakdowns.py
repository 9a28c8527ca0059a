"""Breakdowns: a total and the parts a passage lists for it. The structure reader: it runs
before the readers that pair figures by their metric words, and they defer to it.

Reads:
  共收到申请45件,其中受理40件,不予受理3件               -> 40 + 3 <= 45 (the list may be partial)
  主动公开信息2251条,其中规范性文件1条,…,其他动态类信息1859条 -> 1 + … + 1859 = 2251 (the last part
                                                             is the rest: the list is complete)
  在主动公开的信息中,机构职能类信息37条,法规文件类信息71条,… -> the parts of 主动公开…417条 before it
  共受理655件(2012年191件、2013年206件、2014年258件)      -> a bracket listing the parts of 655
Leaves:
  全年共办理45件,其中受理40件。另办理咨询12件              -> the list ends with its sentence
  年均2040亿元,其中去年2573亿元                          -> an average breaks down into nothing

Which total a list breaks down is a reading: the figure right before 其中 (favoured), the total
the figures before it add up to (共收到3059条,部门收到1904条,县区收到1155条,其中…), each of the
totals of the sentence 其中 opens after (…275条,…52条。其中…) and their sum, or a figure the
phrase 在…中 names. The list passes when one reading explains it; metric words narrow the
readings where they know the parts' whole (维持, 撤销 are parts of 审结).

A list that names every part (its last part is 其他/其余) must make its total (op eq, ARITH001);
any other must not exceed it (op le, BOUND001). One whose parts are of distinct kinds, with no
word saying it is partial (等, 主要), and that falls short of its total by a sliver (shapes.yaml
near_complete_shortfall) reads as complete with a part missed (op near, ARITH003).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from auditor.config import Vocabulary
from auditor.extract.figures import Fact
from auditor.extract.relations.model import SumReading
from auditor.extract.relations.passage import QUANTITY_KINDS, Breakdown, Passage, first_at, head_word, span_bounds
from auditor.extract.relations.words import is_total_label
from auditor.ingest.spans import Span, matches_from

_BREAK_RE = regex.compile(r"[，,；;。]")
_SEMICOLON_RE = regex.compile(r"[；;]")
_SENTENCE_END_RE = regex.compile(r"[。！？!?]")
_MIN_KEY = 2            # characters a scope's words and a label must share
_FULL_NAME = 4          # …and that name the thing in full (主动公开政府信息), not by its noun alone (人口)
NAMED, NAMED_IN_FULL = "named by", "named in full by"  # how a whole found by its name was read


def read(passage: Passage) -> None:
    quantities = [f for f in passage.values if f.kind in QUANTITY_KINDS]
    if not quantities:
        return
    for facts in passage.grouped(quantities, passage.paragraphs):
        paragraph = passage.paragraph_of(facts[0].start)
        for match in passage.words.subset.finditer(passage.text, paragraph.start, paragraph.end):
            passage.budget.check("relations: breakdowns")
            _subset_list(passage, match, facts, quantities)
        passage.budget.check("relations: breakdowns")
        _bracket_lists(passage, facts)
        _scope_lists(passage, facts, quantities)


# --- 其中 lists ---------------------------------------------------------------------------------

def _subset_list(passage: Passage, match: regex.Match, facts: list[Fact], quantities: list[Fact]) -> None:
    sentence = passage.sentence_of(match.start())
    bracket = passage.enclosing_bracket(match.start(), sentence.end)
    limit = bracket.end if bracket else sentence.end
    asides = passage.brackets(match.end(), limit)
    lo, hi = span_bounds(facts, match.end(), limit)
    after = facts[lo:min(hi, lo + _MAX_PARTS)]
    if asides:
        after = [f for f in after if not _inside(asides, f)]
    while len(after) > 1 and not passage.alike(after[0], after[1]) and _names_the_next(passage, after[0], after[1:],
                                                                                      after[1]):
        after = after[1:]  # 其中涉及3个部门的申请50件: a figure inside the first part's name
    first_value = passage.next_value(match.end())
    if not after or is_total_label(after[0].label, passage.words):
        return  # 其中…总计2739条: a new total
    if first_value is not after[0] and not _names_the_next(passage, first_value, after, after[0]):
        return  # 其中全文电子化率达100%: 其中 introduces a rate
    totals = _totals_before(passage, facts, match.start(), sentence, after[0], bracket, quantities)
    if not totals:
        return
    parts, closing = _walk(passage, after, _largest(totals))
    if all(how.startswith((NAMED, NAMED_IN_FULL)) for _, how, _ in totals):
        totals = _holding(totals, parts)  # a whole named from afar must hold the list
        if not totals:
            return
    _state(passage, totals, parts, match.start(), "qizhong", closing)


def _totals_before(passage: Passage, facts: list[Fact], pos: int, sentence: Span, first: Fact,
                   bracket: Span | None, quantities: list[Fact]) -> list[tuple[Fact, str, list[Fact]]]:
    """(total, how, extras) readings of what a 其中 list breaks down, favoured first."""
    head_end = bracket.start if bracket else pos
    asides = passage.brackets(sentence.start, head_end)
    in_sentence = _last_alike(passage, facts, span_bounds(facts, sentence.start, head_end), first, asides, head_end)
    readings: list[tuple[Fact, str, list[Fact]]] = []
    if in_sentence:
        readings.append((in_sentence[-1], "before 其中", []))
        readings += [(t, "the total the figures before 其中 make", []) for t in _closed_totals(in_sentence)]
    else:
        previous = passage.previous_sentence(sentence)
        before = _last_alike(passage, facts, span_bounds(facts, previous.start, previous.end), first,
                             passage.brackets(previous.start, previous.end)) if previous else []
        if before:
            readings.append((before[-1], "closing the sentence before 其中", []))
            readings += [(t, "a total of the sentence before 其中", []) for t in reversed(before[:-1])]
            if len(before) > 1:
                readings.append((before[0], "the totals of the sentence before 其中, summed", before[1:]))
        else:
            readings += _scope_totals_before(passage, sentence, first, quantities)
    if readings and any(w in readings[0][0].label for w in passage.vocabulary.average_words):
        return []  # 年均2040亿元,其中去年2573亿元: an average, not a sum
    return readings


def _holding(totals: list[tuple[Fact, str, list[Fact]]], parts: list[Fact]) -> list[tuple[Fact, str, list[Fact]]]:
    """The named totals that can hold the list: one matched by a noun alone (人口) that is smaller
    than the parts' sum (家庭户人口703095人 for 汉族568238人 + 少数民族183151人) is another thing of
    that name; one named in full (主动公开政府信息) stays, and the list is checked against it."""
    if not parts or any(p.value is None for p in parts):
        return totals
    needed = sum(p.lo for p in parts)
    return [t for t in totals if t[1].startswith(NAMED_IN_FULL) or t[0].hi >= needed]


def _largest(totals: list[tuple[Fact, str, list[Fact]]]) -> Fact:
    """The largest total a list may break down: its parts run on until they reach that one."""
    return max((t for t, _, extras in totals if not extras and t.value is not None), key=lambda t: t.value,
               default=totals[0][0])


def _closed_totals(before: list[Fact]) -> list[Fact]:
    """Totals the figures after them make exactly, up to the last: 3059 in 共收到3059条,部门收到
    1904条,县区收到1155条 (1904 + 1155 = 3059). The sums of the figures after each are taken
    from the last back, once: a sentence of thousands of figures must not cost their square."""
    found = []
    rest_sum: Decimal | None = Decimal(0)  # the sum of the figures after i (None once one has no value)
    for i in range(len(before) - 1, 0, -1):
        value = before[i].value
        rest_sum = None if rest_sum is None or value is None else rest_sum + value
        total = before[i - 1]
        if len(before) - i >= 2 and rest_sum is not None and total.value is not None and not total.qualifier \
                and rest_sum == total.value:
            found.append(total)
    return found[::-1]


# Reading must stay linear in the size of a crafted text (one sentence of thousands of figures):
# the figures before a 其中 read as its possible totals (a real sentence holds a few dozen) and
# the figures after it that may be its parts are the nearest ones only
_MAX_TOTALS_BEFORE = 32
_MAX_PARTS = 1000
_MAX_NAMED_CANDIDATES = 200  # the figures before a phrase that may be the whole it names


def _last_alike(passage: Passage, facts: list[Fact], bounds: tuple[int, int], like: Fact, asides: list[Span],
                end: int | None = None) -> list[Fact]:
    """The facts[lo:hi] of like's kind outside the asides (and ending by end), in order: the last
    _MAX_TOTALS_BEFORE of them."""
    found: list[Fact] = []
    lo, hi = bounds
    for i in range(hi - 1, lo - 1, -1):
        fact = facts[i]
        if (end is None or fact.end <= end) and passage.alike(fact, like) and not _inside(asides, fact):
            found.append(fact)
            if len(found) == _MAX_TOTALS_BEFORE:
                break
    return found[::-1]


def _walk(passage: Passage, after: list[Fact], total: Fact) -> tuple[list[Fact], Fact | None]:
    """The parts of a list, from its first item on, and the figure that states their sum (…,合计
    120件) when one closes it. The list ends at a figure of another kind, a new total, a nested
    其中, another family past a clause break, a metric that is no sibling of the first part's, or
    a clause that does not go on in the list's manner once the parts reach the total."""
    parts: list[Fact] = []
    running = Decimal(0)
    vocabulary, words = passage.vocabulary, passage.words
    siblings, outcomes = _siblings(vocabulary), _outcomes(vocabulary)
    for i, fact in enumerate(after):
        if not passage.alike(fact, total) or fact.value is None:
            if _names_the_next(passage, fact, after[i + 1:], total):
                continue  # 八个民主党派中央…提案二百零一件: a figure inside the next part's name
            break
        if parts:
            gap = _outside_brackets(passage, parts[-1].end, fact.start)
            if words.closing.search(fact.label) and len(parts) >= 2:
                return parts, fact
            if words.subset.search(gap) or is_total_label(fact.label, words):
                break  # a nested list, or a new total (共办理45件)
            if total.family and fact.family and fact.family != total.family and _SEMICOLON_RE.search(gap):
                break  # …;办理行政应诉案件35件: past a semicolon, another family's figures
            if _other_metric(parts[0], fact, siblings, outcomes):
                break
            if running >= total.value and _SEMICOLON_RE.search(gap):
                break  # the parts made the total: what follows a semicolon is something else
            if (_SEMICOLON_RE.search(gap) or running >= total.value) and not _continues(passage, parts, fact, gap):
                break  # the clause does not go on in the list's manner
        parts.append(fact)
        running += fact.value
    return parts, None


def _names_the_next(passage: Passage, fact: Fact, rest: list[Fact], total: Fact) -> bool:
    """A figure of another kind with a part of the list's kind after it in the same clause."""
    nxt = next(iter(rest), None)
    return nxt is not None and passage.alike(nxt, total) and not _BREAK_RE.search(passage.text, fact.end, nxt.start) \
        and "、" not in passage.text[fact.end:nxt.start]


def _other_metric(first: Fact, fact: Fact, siblings: dict[str, set[str]], outcomes: set[str]) -> bool:
    if fact.metric is None or fact.metric == first.metric:
        return False
    if first.metric is None:
        return fact.metric in outcomes  # 其中婚姻纠纷420件、邻里纠纷385件,调解成功1338件
    return fact.metric not in siblings.get(first.metric, set())  # 其中受理58件,不予受理4件,审结23件


def _continues(passage: Passage, parts: list[Fact], fact: Fact, gap: str) -> bool:
    """A figure listed like the parts before it: joined by 、, of the same metric, or with the same
    head word (A类…, B类…; …方面的N件)."""
    if "、" in gap and not _BREAK_RE.search(gap):
        return True
    first = parts[0]
    if first.metric and fact.metric == first.metric:
        return True
    classification = passage.words.classification
    if classification.search(fact.label) and all(classification.search(p.label) for p in parts):
        return True  # 咨询类诉求…,举报类…: kinds of one classification
    heads = {head_word(p.label) for p in parts} - {""}
    return head_word(fact.label) in heads


def _outside_brackets(passage: Passage, start: int, end: int) -> str:
    """The text between two figures, bracketed asides taken out (a nested (其中…) is no end)."""
    text = passage.text[start:end]
    for span in reversed(passage.brackets(start, end)):
        text = text[:span.start - start] + text[span.end - start:]
    return text


@lru_cache(maxsize=8)
def _siblings(vocabulary: Vocabulary) -> dict[str, set[str]]:
    """Metrics that are parts of one whole in vocabulary.yaml, and so may share a list."""
    siblings: dict[str, set[str]] = {}
    for template in vocabulary.sums:
        members = set(template.parts) | set(template.optional_parts)
        for metric in members:
            siblings.setdefault(metric, set()).update(members - {metric})
    return siblings


@lru_cache(maxsize=8)
def _outcomes(vocabulary: Vocabulary) -> set[str]:
    return {b.part for b in vocabulary.bounds}


@lru_cache(maxsize=8)
def _stages(vocabulary: Vocabulary) -> set[str]:
    """Metrics a whole is counted at (收到, 受理, 审结): the wholes of vocabulary.yaml's sums and bounds."""
    return {t.whole for t in vocabulary.sums} | {w for b in vocabulary.bounds for w in b.wholes}


@lru_cache(maxsize=8)
def _wholes_of(vocabulary: Vocabulary) -> dict[str, set[str]]:
    """metric -> the metrics vocabulary.yaml names as its whole (维持 -> 审结)."""
    wholes: dict[str, set[str]] = {}
    for template in vocabulary.sums:
        for metric in (*template.parts, *template.optional_parts):
            wholes.setdefault(metric, set()).add(template.whole)
    for bound in vocabulary.bounds:
        wholes.setdefault(bound.part, set()).update(bound.wholes)
    return wholes


# --- lists in brackets ----------------------------------------------------------------------

def _bracket_lists(passage: Passage, facts: list[Fact]) -> None:
    """共受理655件(2012年191件、2013年206件、2014年258件): a bracket right after a figure that lists
    two or more figures of its kind lists its parts (not (含上年结转3件), not (其中…), read above)."""
    included = passage.vocabulary.included_words
    by_end = {f.end: f for f in facts}
    for span in passage.brackets(facts[0].start, facts[-1].end):
        total = next((by_end[e] for e in (span.start, span.start - 1) if e in by_end), None)
        inner = passage.text[span.start + 1:span.end - 1]
        if total is None or passage.words.subset.search(inner) or any(w in inner for w in included):
            continue
        nested = passage.brackets(span.start + 1, span.end - 1)
        lo, hi = span_bounds(facts, span.start + 1, span.end)
        within = facts[lo:hi]
        items = [f for f in within if not _inside(nested, f)]
        if len(items) >= 2 and all(passage.alike(f, total) for f in items):
            _state(passage, [(total, "the figure before the bracket", [])], items, span.start, "bracket", None)


# --- lists under a phrase naming their whole ----------------------------------------------------

def _scope_lists(passage: Passage, facts: list[Fact], quantities: list[Fact]) -> None:
    """在主动公开的信息中,机构职能类信息37条,…; 主动公开政府信息的主要类别有:…: the phrase names
    the whole; its parts follow, and may go on over several sentences in one manner."""
    paragraph = passage.paragraph_of(facts[0].start)
    for found in _scope_phrases(passage, paragraph):
        lo = first_at(facts, found.end)
        after = facts[lo:lo + _MAX_PARTS]
        if not after or passage.words.subset.search(passage.text, found.end, after[0].start):
            continue  # …中,其中: the 其中 reader reads it
        if _SENTENCE_END_RE.search(passage.text, found.end, after[0].start):
            continue  # 在具体办理案件中,落实宣传工作。办理建议97件…: a phrase of manner, its sentence holds no list
        inside = [f for f in facts[first_at(facts, found.start):lo] if passage.alike(f, after[0])]
        if inside:  # 在受理的1,640件公证事项中: the phrase holds its whole
            totals = [(inside[-1], "the figure of the phrase 在…中", [])]
        else:
            totals = _named_totals(passage, found.words, found.start, after[0], quantities)
        if not totals:
            continue
        parts, closing = _walk_across(passage, after, _largest(totals))
        if not inside:
            totals = _holding(totals, parts)  # a whole named from afar must hold the list
            if not totals:
                continue
        if parts and any(m.group("inside") for m in passage.words.except_word.finditer(
                passage.text, found.end, passage.sentence_of(parts[-1].start).end)):
            continue  # 全市60个村中,除3个村外,57个村…: a total, the excepted and the rest (remainders)
        _state(passage, totals, parts, found.start, "scope", closing)


@dataclass(frozen=True)
class ScopePhrase:
    """A phrase naming the whole a list breaks down: 在主动公开的信息中, 立案的提案中:,
    主动公开政府信息的主要类别有:. `words` are the phrase less its opener and its end."""
    start: int
    end: int
    words: str


def _scope_phrases(passage: Passage, span: Span) -> list[ScopePhrase]:
    if passage.scope_phrases is None:
        passage.scope_phrases = _all_scope_phrases(passage)
    return [p for p in passage.scope_phrases if span.start <= p.start and p.end <= span.end]


_SCOPE_CHARS = 24
# the last break before a phrase's end, in a window of _SCOPE_CHARS (a thousands separator, 1,640,
# is no break: it is read as a digit first)
_LAST_BREAK_RE = regex.compile(r"[，,。；;：:、\n\t 　][^，,。；;：:、\n\t 　]*$")
_THOUSANDS_RE = regex.compile(r"(?<=\d)[,，](?=\d{3})")


def _all_scope_phrases(passage: Passage) -> list[ScopePhrase]:
    """Every phrase of the text, found from its end (中 before a comma; 类别有:), its words the
    clause before it, up to _SCOPE_CHARS characters."""
    text, words = passage.text, passage.words
    found = []
    # each pattern is matched where one of its words starts, not searched for through the text
    for pattern, first, digits in ((words.scope_end, words.scope_end_first, True),
                                   (words.scope_list_end, words.scope_list_end_first, False)):
        ends = matches_from(pattern, text, first) if first is not None else pattern.finditer(text)
        for end in ends:
            window_start = max(0, end.start() - _SCOPE_CHARS)
            window = text[window_start:end.start()]
            if digits:
                window = _THOUSANDS_RE.sub("0", window)
            last_break = _LAST_BREAK_RE.search(window)
            if last_break is None and window_start > 0:
                continue  # no break within reach: no phrase of its own
            start = window_start + (last_break.start() + 1 if last_break else 0)
            phrase = text[start:end.start()]
            if not digits and any(c.isdigit() for c in phrase):
                continue
            opener = words.scope_opener.match(phrase)
            phrase_words = phrase[opener.end():] if opener else phrase
            if len(phrase_words) >= 2:
                found.append(ScopePhrase(start, end.end(), phrase_words))
    return sorted(found, key=lambda p: p.start)


def _scope_totals_before(passage: Passage, sentence: Span, first: Fact,
                         quantities: list[Fact]) -> list[tuple[Fact, str, list[Fact]]]:
    """A 其中 with no figure before it, under a phrase naming its whole in the sentence before:
    在主动公开的信息中,公开的内容主要有…。其中,政策法规类的信息25条."""
    previous = passage.previous_sentence(sentence)
    for span in (sentence, previous):
        if span is None:
            continue
        for found in _scope_phrases(passage, span):
            totals = _named_totals(passage, found.words, found.start, first, quantities)
            if totals:
                return totals
    return []


def _named_totals(passage: Passage, phrase: str, pos: int, first: Fact,
                  quantities: list[Fact]) -> list[tuple[Fact, str, list[Fact]]]:
    return [(fact, how, []) for fact, how in named_wholes(passage, phrase, pos, first, quantities)]


def named_wholes(passage: Passage, phrase: str, pos: int, like: Fact,
                 quantities: list[Fact] | None = None, cover: float = 0.0) -> list[tuple[Fact, str]]:
    """The figures of like's kind before pos (in its paragraph and a few before) whose label
    shares the words of a phrase naming a whole: 主动公开 in 在主动公开的信息中 and 共主动公开政府
    信息417条; the longest shared words first, then the nearest. With `cover`, the shared words
    must be at least that share of the phrase's."""
    if quantities is None:
        quantities = passage.quantities()
    first = like
    key = passage.words.scope_fillers.sub("", phrase)
    if len(key) < _MIN_KEY:
        return []
    generic = set(passage.shapes.restatements.generic_nouns)
    needed = max(_MIN_KEY, cover * len(passage.words.generic_base.sub("", key)))  # 受理案件总数: of 受理案件
    reach = passage.reach_start(pos)
    scored = []
    lo, hi = span_bounds(quantities, reach, pos)
    for fact in quantities[max(lo, hi - _MAX_NAMED_CANDIDATES):hi]:
        if not passage.alike(fact, first) or not _can_hold(passage, fact, first):
            continue
        shared = longest_common(key, fact.label)
        if len(shared) >= needed and shared not in generic and _same_polarity(passage, shared, key, fact.label):
            # words that qualify the phrase's noun (立案 in 立案的提案) say more than the noun itself
            scored.append((len(shared) + (0.5 if not key.endswith(shared) else 0), fact.start, fact))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    return [(fact, f"{NAMED_IN_FULL if score >= _FULL_NAME else NAMED} “{phrase}”") for score, _, fact in scored]


def _can_hold(passage: Passage, whole: Fact, part: Fact) -> bool:
    """A whole named from afar must be a level at least as large as the part: not a change (减少
    0.41人), not an average (平均2.71人)."""
    if whole.value is None or part.value is None or whole.value < part.value:
        return False
    label = whole.label
    return not passage.words.direction.search(label[-4:]) and not any(w in label for w in passage.vocabulary.average_words)


def _same_polarity(passage: Passage, shared: str, key: str, label: str) -> bool:
    """未予立案的提案 names a part of the 提案 and the complement of the 立案: a phrase that negates
    matches a label that does not only by its last words, the thing itself (收到提案5641件)."""
    negation = passage.words.negation
    if bool(negation.search(key)) == bool(negation.search(label)):
        return True
    return key.endswith(shared)


def longest_common(a: str, b: str) -> str:
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def _walk_across(passage: Passage, after: list[Fact], total: Fact) -> tuple[list[Fact], Fact | None]:
    """_walk, going on past a full stop while the next sentence lists kinds of one classification
    in the same manner (涉及经济建设方面的196件,占35%。政治建设方面的47件,占8.3%。…), and no
    word for the rest (其他…) closed the list before it, no new phrase naming a whole opens."""
    classification = passage.words.classification
    parts: list[Fact] = []
    closing = None
    start = 0
    while start < len(after):
        sentence = passage.sentence_of(after[start].start)
        chunk = [f for f in after[start:] if f.start < sentence.end]
        walked, closing = _walk(passage, chunk, total)
        if not walked:
            break
        if parts and (not passage.same_manner(parts[-1], walked[0])
                      or not classification.search(walked[0].label)
                      or passage.words.catch_all_word.search(passage.text, parts[-1].end, walked[0].start)
                      or _scope_phrases(passage, Span(parts[-1].end, walked[0].start))
                      or passage.words.subset.search(passage.text, walked[0].end, sentence.end)):
            break  # another manner, the rest named, a new whole, or a new total that 其中 breaks down
        parts += walked
        if closing is not None or len(walked) < len(chunk):
            break
        start += len(chunk)
    return parts, closing


# --- stating a list ----------------------------------------------------------------------------

def _state(passage: Passage, totals: list[tuple[Fact, str, list[Fact]]], parts: list[Fact], start: int,
           marker: str, closing: Fact | None) -> None:
    if not parts:
        return
    totals = _narrowed(passage, totals, parts)
    text = passage.text[start:parts[-1].end]
    complete = len(parts) >= 2 and bool(passage.words.catch_all.match(parts[-1].label))
    partial = not complete and bool(passage.words.partial.search(text))
    breakdown = Breakdown([(t, how) for t, how, _ in totals], parts, complete, partial, marker, start, parts[-1].end)
    passage.breakdowns.append(breakdown)
    family = totals[0][0].family
    builder = passage.builder
    if _vocabulary_states(passage, totals[0][0], parts):
        return  # 审结60件,其中维持42件,…: a sum of vocabulary.yaml, which the vocabulary reader states
    if closing is not None:  # …,合计120件: the list's own sum
        builder.sum("eq", f"{marker}:closing", family, closing, parts, how="the sum stated after the list")
    if len(parts) >= 2 and (_independent(passage, parts) or _overlapping(passage, parts)):
        for part in parts:  # each part its own subset, measured by its own rate: none adds up
            builder.sums("le", marker, family, [SumReading(t, [part], how, extras) for t, how, extras in totals])
        return
    readings = [SumReading(t, parts, how, extras) for t, how, extras in totals]
    cut = _stage_cut(passage, parts)
    if cut is not None:  # 其中会后17件,经审查立案175件: the list may end before a stage of the whole
        readings += [SumReading(t, parts[:cut], f"{how}, the list ending before {parts[cut].metric_word}", extras)
                     for t, how, extras in totals]
    op = "eq" if complete else "le"
    near = None
    if op == "le" and not partial and len(parts) >= 2 and _distinct(passage, parts):
        near = passage.shapes.lists.near_complete_shortfall
    builder.sums(op, marker, family, readings, near=near)


def _stage_cut(passage: Passage, parts: list[Fact]) -> int | None:
    """Where a list of parts that name no metric reaches a figure named by a stage its whole is
    counted at (经审查立案, 受理, 审结): the list may well have ended there."""
    if parts[0].metric is not None:
        return None
    stages = _stages(passage.vocabulary)
    return next((i for i, p in enumerate(parts) if i and p.metric in stages), None)


def _vocabulary_states(passage: Passage, total: Fact, parts: list[Fact]) -> bool:
    """The total and every part are the whole and parts of one sum of vocabulary.yaml, which
    knows better whether the parts must cover the whole (outcomes leave out 撤回) and what else
    may add (上年结转, a withdrawal)."""
    metrics = {p.metric for p in parts}
    return any(t.whole == total.metric and metrics <= {*t.parts, *t.optional_parts}
               for t in passage.vocabulary.sums)


def _narrowed(passage: Passage, totals, parts: list[Fact]):
    """The readings whose total is what the parts' metrics are parts of (审结 for 维持, 撤销),
    where the vocabulary knows it and some reading has it; else all of them."""
    wholes_of = _wholes_of(passage.vocabulary)
    known = [wholes_of[p.metric] for p in parts if p.metric in wholes_of]
    if not known:
        return totals
    wholes = set.intersection(*known)
    kept = [t for t in totals if t[0].metric in wholes]
    return kept or totals


def _independent(passage: Passage, parts: list[Fact]) -> bool:
    """Parts each measured by a rate of their own (报送备案的45件,备案及时率63.5%;符合要求的49件,
    备案规范率68%) are subsets of the total by different measures, not a partition of it."""
    rated = 0
    for part in parts:
        nxt = passage.next_value(part.end)
        if nxt is not None and nxt.kind == "rate" and not passage.is_share(nxt) and not _BREAK_RE.search(
                passage.text, part.end, max(part.end, nxt.start - len(nxt.label))):
            rated += 1
    return rated >= 2


def _overlapping(passage: Passage, parts: list[Fact]) -> bool:
    """Groups of people by attributes that one person may share (老年人, 妇女, 农民工): cases by
    such groups may be counted in two of them."""
    groups = passage.shapes.lists.overlapping_groups
    return sum(any(g in p.label for g in groups) for p in parts) >= 2


def _distinct(passage: Passage, parts: list[Fact]) -> bool:
    """No part is, by the vocabulary, a part of another (审结 of 受理): the parts are distinct kinds."""
    wholes_of = _wholes_of(passage.vocabulary)
    metrics = {p.metric for p in parts if p.metric}
    return not any(wholes_of.get(m, set()) & metrics for m in metrics)


def _inside(spans: list[Span], fact: Fact) -> bool:
    return any(s.start < fact.start < s.end for s in spans)
