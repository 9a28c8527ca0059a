"""Find every figure in a report's text: value, unit, qualifier, interval, kind and position.

One compiled pattern finds every candidate; its named groups say what the candidate is. A
figure that is not a quantity (a year, a date, a document number, an ordinal, a plan period,
a slogan such as 1+3) is kept with its `kind`, never dropped, so a reviewer can see what was
read and why it was not audited.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from auditor.config import Thresholds, Vocabulary
from auditor.extract.numerals import ARABIC_NUMBER_PATTERN, CHINESE_NUMBER_PATTERN, parse_number

INF = float("inf")
NAN = float("nan")
# Kinds that are quantities and take part in relations.
VALUE_KINDS = ("count", "money", "rate")

_CN = "〇○零一二三四五六七八九"  # ○ (white circle) stands for 〇 on many pages
_CN_SMALL = "一二三四五六七八九十"
_LEFT_BRACKETS = regex.escape("〔[［【(（")
_RIGHT_BRACKETS = regex.escape("〕]］】)）")
_DATE_TAIL = r"(?:份|底|初|末|中旬|上旬|下旬)?"

_FIGURE_PATTERN = rf"""
  (?P<docno>[{_LEFT_BRACKETS}]\s*\d{{4}}\s*[{_RIGHT_BRACKETS}]\s*第?\s*\d+\s*号)
| (?P<period>\d{{4}}\s*年?\s*(?:[-—–~～]|至|到)\s*\d{{4}}\s*年?度?)
| (?P<date>\d{{4}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}(?!\d)
         |\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?{_DATE_TAIL}
         |[{_CN}]{{4}}\s*年\s*[{_CN_SMALL}]{{1,3}}\s*月(?:\s*[{_CN_SMALL}]{{1,3}}\s*日)?
         |(?<!\d)\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]
         |(?<![\d.])\d{{1,2}}\s*月{_DATE_TAIL}(?![\d份])(?!度))
| (?P<year>\d{{4}}(?=\s*(?:年|版|届))(?:\s*年度?)?|[{_CN}]{{4}}\s*年度?)
| (?P<time>(?<!\d)\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?(?!\d))
| (?P<ratio>(?<!\d)\d+\s*[:：]\s*\d+)
| (?P<ordinal>第\s*(?:\d+|[{_CN}十百千两]+)\s*(?:次|批|届|个|号|期|轮|条|款|章|项|位|名|季度|阶段|书)?)
| (?P<slogan>(?<![\d.])\d+(?:\s*\+\s*(?:\d+|[A-Za-z]))+)
| (?P<percent_words>百分之\s?(?P<percent_number>{ARABIC_NUMBER_PATTERN}|{CHINESE_NUMBER_PATTERN}|百(?![分之])))
| (?P<number>{ARABIC_NUMBER_PATTERN}|(?P<chinese>{CHINESE_NUMBER_PATTERN}))
"""
_FIGURE_RE = regex.compile(_FIGURE_PATTERN, regex.VERBOSE)
# Section numbers: "1.优化…" at the start of a line or sentence, "(1)" anywhere.
_SECTION_RE = regex.compile(r"(?:^|(?<=[。；;\n]))[ \t\u3000]*(?P<n>\d{1,2})\s*[.．、](?!\d)|[(（](?P<n>\d{1,2})[)）]", regex.M)
_QUOTED_RE = regex.compile(r"[“\"「『][^”\"」』\n]{1,15}[”\"」』]")
# Where a figure's label begins: the last clause break or figure before it.
_LABEL_BREAK = "，,；;。：:！？!?\n（()）【】"
_BREAK_RE = regex.compile(f"[{regex.escape(_LABEL_BREAK)}]")
_LAST_BREAK_RE = regex.compile(f"[{regex.escape(_LABEL_BREAK)}]", regex.REVERSE)
_FILLER_LABEL_RE = regex.compile(r"(?:继续|保持|达到|达|为|是|均为|均|已|仍|约|近|超过|高于|低于|了|在|到|并|且|\s)*")
_LOOK_BACK = 20
_PLAIN_KINDS = frozenset({"docno", "period", "date", "year", "time", "ratio", "ordinal", "slogan"})
_YEAR_SUFFIX_RE = regex.compile(r"\s*年度?$")
_RARE_SINGLE_NUMERALS = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟廿")  # alone, these are words (队伍)
_MULTIPLIERS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}


@dataclass(slots=True)
class Fact:
    """One figure as read from a report."""

    index: int            # order within the report
    kind: str             # count, money, rate, change, measure, ratio, number, year, date, docno, ...
    value: Decimal | None  # exact value in its canonical unit (yuan for money)
    unit: str             # canonical unit: 件, 人次, 元, %, …; "" when none
    qualifier: str        # 余, 多, 超过, 约, 近, 以上, …; "" when none
    lo: float             # the interval the figure stands for
    hi: float
    ulp: Decimal | None   # the place of its last stated digit, in the canonical unit
    rounded: bool         # True when the figure is a rounded statement (decimals, 万/亿, %)
    text: str             # the surface text, as it stands in the report
    start: int
    end: int
    label: str = ""       # the words before it in its clause
    after: str = ""       # the words after it, up to the next break
    family: str | None = None
    metric: str | None = None
    metric_word: str = ""  # the vocabulary word that named the metric


@lru_cache(maxsize=8)
def _unit_re(vocabulary: Vocabulary) -> regex.Pattern:
    """Unit, qualifier and tail that may follow a number; longest unit first."""
    units = sorted(
        set(vocabulary.count_units) | set(vocabulary.money_units) | set(vocabulary.percent_units)
        | set(vocabulary.measure_units),
        key=len, reverse=True,
    )
    after = "|".join(map(regex.escape, vocabulary.qualifiers["lower_bound_after"])) or "(?!)"
    tails = sorted(
        vocabulary.qualifiers["lower_bound_tail"] + vocabulary.qualifiers["approximate_tail"]
        + vocabulary.qualifiers["upper_bound_tail"], key=len, reverse=True,
    )
    tail = "|".join(map(regex.escape, tails)) or "(?!)"
    return regex.compile(
        # 1100多万人: a qualifier may stand before the multiplier as well as after it
        rf"(?P<q0>{after})?(?:[ \u3000]?(?P<mult>[万萬亿億]+))?(?P<q>{after})?[ \u3000]?"
        rf"(?P<unit>{'|'.join(map(regex.escape, units))})?"
        rf"(?P<per>\s*(?:/|每)\s*\p{{Han}}{{1,3}})?(?P<tail>{tail})?"
    )


def extract_figures(text: str, vocabulary: Vocabulary, thresholds: Thresholds) -> list[Fact]:
    unit_re = _unit_re(vocabulary)
    quoted = [(m.start(), m.end()) for m in _QUOTED_RE.finditer(text)]
    section_starts = {m.start("n") for m in _SECTION_RE.finditer(text)}
    facts: list[Fact] = []
    for match in _FIGURE_RE.finditer(text):
        fact = _read(match, text, unit_re, vocabulary, thresholds)
        if fact is None:
            continue
        if fact.kind in ("count", "number", "money", "rate", "measure") and _inside(quoted, fact.start, fact.end):
            fact.kind = "name"  # “12345”热线, “4枚印章”, “一件事”: names, not quantities
        elif fact.kind == "number" and fact.start in section_starts:
            fact.kind = "section"
        fact.index = len(facts)
        facts.append(fact)
    _attach_context(text, facts)
    previous = None
    for fact in facts:
        listed = previous is not None and previous.kind == "rate" and not fact.label.strip("、和及与")
        if fact.kind == "rate" and not listed and not _is_proportion(naming_label(text, fact), vocabulary):
            fact.kind = "percent"  # 完成计划的150%: a percentage, but not a share of a whole
        previous = fact  # 分别占40%、55%: the second share is listed with the first
    return facts


def _is_proportion(label: str, vocabulary: Vocabulary) -> bool:
    return (any(w in label for w in vocabulary.proportion_words)
            and not any(w in label for w in vocabulary.plan_words))


def naming_label(text: str, fact: Fact) -> str:
    """The words that name a figure: its label, or the clause before it when the label is only
    a verb (按期办结率继续保持高位,达到100.8%)."""
    if fact.label and _FILLER_LABEL_RE.fullmatch(fact.label):
        label_start = fact.start - len(fact.label)
        return text[max(0, label_start - _LOOK_BACK, _last_break(text, label_start - 1) + 1):fact.start]
    return fact.label


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (start, INF)) - 1
    return i >= 0 and spans[i][0] < start and end < spans[i][1]


def _read(match: regex.Match, text: str, unit_re: regex.Pattern, vocabulary: Vocabulary,
          thresholds: Thresholds) -> Fact | None:
    kind = match.lastgroup  # the outermost named group that matched: nested groups close first
    if kind in _PLAIN_KINDS:
        return _plain(kind, match)
    if kind == "percent_words":
        return _percent_words(match, text, vocabulary, thresholds)
    return _quantity(match, text, unit_re, vocabulary, thresholds)


def _plain(kind: str, match: regex.Match) -> Fact:
    surface = match.group()
    value = None
    if kind == "year":
        try:
            value = parse_number(_YEAR_SUFFIX_RE.sub("", surface).replace("○", "〇")).value
        except ValueError:
            value = None
    number = float(value) if value is not None else NAN
    return Fact(0, kind, value, "", "", number, number, None, False, surface, match.start(), match.end())


def _percent_words(match, text, vocabulary, thresholds) -> Fact | None:
    words = match.group("percent_number")
    try:
        number = parse_number("一百" if words == "百" else words)  # 百分之百
    except ValueError:
        return None
    ulp = min(number.ulp, Decimal(1))  # 百分之三十 is stated to the whole percent, not to ten
    tail = _tail_at(text, match.end(), vocabulary)  # 百分之九十五以上
    end = match.end() + len(tail)
    fact = Fact(0, "rate", number.value, "%", "", 0.0, 0.0, ulp, True, text[match.start():end], match.start(), end)
    _qualify(fact, text, vocabulary, thresholds, tail=tail)
    if _is_change(text, match.start(), vocabulary):
        fact.kind = "change"
    return fact


def _tail_at(text: str, pos: int, vocabulary: Vocabulary) -> str:
    q = vocabulary.qualifiers
    words = q["lower_bound_after"] + q["lower_bound_tail"] + q["approximate_tail"] + q["upper_bound_tail"]
    return next((w for w in sorted(words, key=len, reverse=True) if text.startswith(w, pos)), "")


def _quantity(match, text, unit_re, vocabulary, thresholds) -> Fact | None:
    surface = match.group("number")
    start = match.start()
    if surface[0] in "正负" and start > 0 and regex.match(r"\p{Han}", text[start - 1]) and text[start - 1] not in "为是达至":
        surface, start = surface[1:], start + 1  # 纠正6件: the 正 belongs to the word before
    try:
        number = parse_number(surface)
    except ValueError:
        return None
    value, ulp = number.value, number.ulp
    follow = unit_re.match(text, match.end())
    mult_text = follow.group("mult") or ""
    if mult_text:
        try:
            extra = parse_number("1" + mult_text)
        except ValueError:
            mult_text, extra = "", None
        if extra is not None:
            value, ulp = value * extra.value, ulp * extra.value
    unit_text = follow.group("unit") or ""
    qualifier = follow.group("q0") or follow.group("q") or ""
    kind, unit = _kind_and_unit(unit_text, vocabulary)
    chinese = match.group("chinese")
    if chinese is not None and (kind == "number" or chinese in _RARE_SINGLE_NUMERALS
                                or (kind == "measure" and len(chinese) == 1)):
        # A Chinese numeral is a figure only before a unit, and one character before a measure is
        # a word: 一是, 十九大, 十分, 一度, 队伍 (but 一百零八亿度 is a figure).
        return None
    if unit_text in vocabulary.money_units:
        scale = vocabulary.money_units[unit_text]
        value, ulp = value * scale, ulp * scale
    end = follow.end() if unit_text or qualifier or mult_text else match.end()
    if follow.group("per") and unit_text:
        kind, end = "ratio", follow.end("per")  # 4.5批次/千人
    tail = follow.group("tail") or ""
    if tail and unit_text:
        end = follow.end()
    else:
        tail = ""
    has_multiplier = mult_text or any(ch in surface for ch in "万萬亿億")
    rounded = kind == "rate" or bool(has_multiplier) or ulp < 1 or (ulp > 1 and kind == "money")
    if kind == "number" and not has_multiplier and _looks_like_year(surface, value):
        kind = "year"
    fact = Fact(0, kind, value, unit, "", 0.0, 0.0, ulp, rounded, text[start:end], start, end)
    fact.qualifier = qualifier
    _qualify(fact, text, vocabulary, thresholds, tail=tail)
    if kind in ("count", "rate", "money") and _is_change(text, start, vocabulary):
        fact.kind = "change"
    if unit_text == "个百分点":
        fact.kind = "change"
    return fact


def _looks_like_year(surface: str, value: Decimal) -> bool:
    return surface.isdigit() and len(surface) == 4 and 1949 <= value <= 2100


def _kind_and_unit(unit_text: str, vocabulary: Vocabulary) -> tuple[str, str]:
    if not unit_text:
        return "number", ""
    if unit_text in vocabulary.money_units:
        return "money", "元"
    if unit_text in vocabulary.percent_units:
        return "rate", "%" if unit_text in ("%", "％") else unit_text
    if unit_text in vocabulary.count_units:
        return "count", unit_text
    return "measure", unit_text


def _qualify(fact: Fact, text: str, vocabulary: Vocabulary, thresholds: Thresholds, tail: str) -> None:
    """Set the qualifier and the interval [lo, hi] the figure stands for."""
    q = vocabulary.qualifiers
    before = text[max(0, fact.start - 5):fact.start].rstrip("为达是")  # 约为96%, 超过了
    if not fact.qualifier:
        for words in _longest_first(vocabulary):
            if words and before.endswith(words):  # one C call for the common case: no qualifier
                fact.qualifier = next(w for w in words if before.endswith(w))
                break
    if tail:
        fact.qualifier = fact.qualifier or tail
    value = float(fact.value)
    half = float(fact.ulp) / 2 if fact.rounded and fact.ulp is not None else 0.0
    lo, hi = value - half, value + half
    qual = fact.qualifier
    if qual in q["lower_bound_after"] or qual in q["lower_bound_before"] or qual in q["lower_bound_tail"]:
        lo, hi = value, INF
    elif qual in q["approximate_before"] or qual in q["approximate_tail"]:
        tolerance = abs(value) * thresholds.approximate_tolerance
        lo, hi = min(lo, value - tolerance), max(hi, value + tolerance)
    elif qual in q["upper_bound_before"] or qual in q["upper_bound_tail"]:
        lo, hi = min(0.0, value), value
    fact.lo, fact.hi = lo, hi


@lru_cache(maxsize=8)
def _longest_first(vocabulary: Vocabulary) -> tuple[tuple[str, ...], ...]:
    """The qualifier words that may stand before a figure, by group, longest first."""
    q = vocabulary.qualifiers
    return tuple(tuple(sorted(q[group], key=len, reverse=True))
                 for group in ("lower_bound_before", "approximate_before", "upper_bound_before"))


def _is_change(text: str, start: int, vocabulary: Vocabulary) -> bool:
    window = text[max(0, start - 12):start]
    near = window[-6:].rstrip("了 为近约")
    if near.endswith(vocabulary.change_markers):
        return True
    # 比去年多227个 (a difference) and 比一九五七年的704亿元 (the base of a comparison)
    return near.endswith(("多", "少", "的")) and any(word in window for word in vocabulary.comparison_words)


def _attach_context(text: str, facts: list[Fact]) -> None:
    """Give each figure its label (words before it) and the words after it, within its clause."""
    previous_end = 0
    for i, fact in enumerate(facts):
        start = max(previous_end, _last_break(text, fact.start) + 1, fact.start - 40)
        fact.label = text[start:fact.start].strip()
        next_start = facts[i + 1].start if i + 1 < len(facts) else len(text)
        stop = min(next_start, fact.end + 20, _next_break(text, fact.end))
        fact.after = text[fact.end:stop].strip()
        previous_end = fact.end


def _last_break(text: str, pos: int) -> int:
    match = _LAST_BREAK_RE.search(text, max(0, pos - 60), pos)
    return match.start() if match else -1


def _next_break(text: str, pos: int) -> int:
    match = _BREAK_RE.search(text, pos, pos + 40)
    return match.start() if match else pos + 40
