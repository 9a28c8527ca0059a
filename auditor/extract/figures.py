"""Find every figure in a report's text: value, unit, qualifier, interval, kind and position.

One compiled pattern finds every candidate; its named groups say what the candidate is. A
figure that is not a quantity (a year, a date, a document number, an ordinal, a plan period,
a slogan such as 1+3) is kept with its `kind`, never dropped, so a reviewer can see what was
read and why it was not audited.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import regex

from auditor.config import SessionOrdinals, Thresholds, Vocabulary
from auditor.ingest.numerals import ARABIC_NUMBER_PATTERN, CHINESE_NUMBER_PATTERN, Number, parse_number
from auditor.ingest.spans import BLANK, char_positions, layout_wraps, matches_from

INF = float("inf")
NAN = float("nan")
# Kinds that are quantities and take part in relations.
VALUE_KINDS = ("count", "money", "rate")

_CN = "〇○零一二三四五六七八九"  # ○ (white circle) stands for 〇 on many pages
_CN_SMALL = "一二三四五六七八九十"
_LEFT_BRACKETS = regex.escape("〔[［【(（")
_RIGHT_BRACKETS = regex.escape("〕]］】)）")
_DATE_TAIL = r"(?:份|底|初|末|中旬|上旬|下旬)?"
# Digits of a year, month or day, perhaps spaced out (1 9 9 9 年1 2 月2 0 日, the 1998 report)
_YYYY = r"(?:\d{4}|\d(?:\x20\d){3})"
_DD = r"(?:\d\x20\d(?!\d)|\d{1,2})"
# Four digits and 年 after these are a length of time, not a year: 长达2600年. (Two look-behinds:
# `re` needs each to have one width.)
_NOT_AFTER_DURATION = "(?<!长达|長達|历时|歷時|超过|超過)(?<!逾)"
# Digits spaced out by the page layout (the 1998 report as published: 7 4 7 7 2 亿元, 1 5 ．3 ％)
# and Arabic digits with spaced place values (7 万5 千4 百, 7万 5千 4百). Single digits only: in
# 12 34 the space separates two numbers. Spaced digits are one numeral only before a multiplier,
# a percent sign or a unit ({spaced_follow}, from the vocabulary): a table row written with spaces
# (结转下年度继续办理 1 0 0 0 0 0 1) is several. The extractor reads the numeral without the spaces.
_SPACED = (r"(?=\d)(?<![\d.．])(?<![\d.．]\x20)"
           r"(?:(?:\d(?:\x20\d)++(?!\d)(?:\x20?[.．]\x20?\d(?:\x20\d)*+(?!\d))?"
           r"|\d(?:\x20[.．]\x20?|[.．]\x20)\d(?:\x20\d)*+(?!\d)){spaced_follow}"
           r"|\d++(?=[\d万亿萬億千仟百佰零]*\x20)(?:\x20?[万亿萬億千仟百佰零]++\x20?\d++)+(?:\x20?[万亿萬億千仟百佰])?)")

# Where the vocabulary goes into the pattern (figure_re): a Chinese numeral is a figure only before
# a unit or a qualifier, so the pattern does not stop at the 一 of 进一步, 一些, 统一.
_FOLLOW = "{follow}"
_SPACED_FOLLOW = "{spaced_follow}"
# The characters a figure can start with, tested once per position before the branches are tried.
_FIRST = (rf"(?=[\d.．\-+−－＋负負正{_LEFT_BRACKETS}第百{_CN}壹贰貳貮叁參叄肆伍陆陸柒捌玖两兩十拾廿卅])")

# A telephone number (0517-87290606) is a name: neither a period nor a difference.
_FIGURE_PATTERN = rf"""
  (?P<docno>[{_LEFT_BRACKETS}]\s*\d{{4}}\s*[{_RIGHT_BRACKETS}]\s*第?\s*\d+\s*号)
| (?P<name>(?<!\d)0\d{{2,3}}-\d{{7,8}}(?!\d))
| (?P<period>(?<!\d)\d{{4}}\s*年?\s*(?:[-—–~～]|至|到)\s*\d{{4}}(?!\d)\s*年?度?)
| (?P<date>\d{{4}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}(?!\d)
         |{_YYYY}\s*年\s*{_DD}\s*月(?:\s*{_DD}\s*日)?{_DATE_TAIL}
         |[{_CN}]{{4}}\s*年\s*[{_CN_SMALL}]{{1,3}}\s*月(?:\s*[{_CN_SMALL}]{{1,3}}\s*日)?
         |(?<!\d)\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]
         |(?<![\d.])\d{{1,2}}\s*月{_DATE_TAIL}(?![\d份])(?!度))
| (?P<year>(?=\d){_NOT_AFTER_DURATION}(?:[1１]\d{{3}}|[2２][0０]\d{{2}}|[12](?:\x20\d){{3}})(?=\s*(?:年|版|届))(?:\s*年度?)?
         |[{_CN}]{{4}}\s*年度?)
| (?P<time>(?<!\d)\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?(?!\d))
| (?P<ratio>(?<!\d)\d+\s*[:：]\s*\d+)
| (?P<ordinal>第\s*(?:\d+|[{_CN}十百千两]+)\s*(?:次|批|届|个|号|期|轮|条|款|章|项|位|名|季度|阶段|书)?)
| (?P<slogan>(?<![\d.])\d+(?:\s*\+\s*(?:\d+|[A-Za-z]))+)
| (?P<percent_words>百[\x20\u3000]*分[\x20\u3000]*之[\x20\u3000]*(?P<percent_number>{ARABIC_NUMBER_PATTERN}|{CHINESE_NUMBER_PATTERN}|百(?![分之])))
| (?P<number>(?P<spaced>{_SPACED})|{ARABIC_NUMBER_PATTERN}|(?P<chinese>{CHINESE_NUMBER_PATTERN}){_FOLLOW})
"""
# Section numbers: "1.优化…" at the start of a line or sentence, "(1)" anywhere.
# Read at a plain number's start only: one or two digits, then a point or 、 (after a line or
# sentence break and blanks) or a closing bracket (after an opening one).
_SECTION_DOT_RE = regex.compile(r"\d{1,2}\s*[.．、](?!\d)")
_SECTION_BRACKET_RE = regex.compile(r"\d{1,2}[)）]")
# A quoted name: matched only where a quote opens (matches_from), not searched for through
# every report, where a scan for a character class costs ten times str.find's
_QUOTES = "“\"「『"
_QUOTED_RE = re.compile(rf"[{_QUOTES}][^”\"」』\n]{{1,15}}[”\"」』]")
# Where a figure's label begins: the last clause break or figure before it.
_LABEL_BREAK = "，,；;。：:！？!?\n（()）【】"
_BREAK_RE = re.compile(f"[{re.escape(_LABEL_BREAK)}]")
# Matched over a window, this ends just after the window's last break: `re` has no reverse search,
# and backtracking a greedy .* over a few dozen characters is cheaper than `regex`'s.
_UP_TO_LAST_BREAK_RE = re.compile(f".*[{re.escape(_LABEL_BREAK)}]", re.DOTALL)
_FILLER_LABEL_RE = re.compile(rf"(?:继续|保持|达到|达|为|是|均为|均|已|仍|约|近|超过|高于|低于|了|在|到|并|且|{BLANK})*")
_LOOK_BACK = 20
# _is_change: what it skips before a figure (增长了5%, 约为3件), and the words of a comparison
_CHANGE_SKIPPED = "了 为近约"
_COMPARED = ("多", "少", "的")
_CHANGE_KINDS = frozenset({"count", "rate", "money"})
_SESSION_REACH = 12  # 市政协十三届四次会议, 十三届全国人民代表大会常务委员会一次会议: 届 stands this close
# A digit and a space before a number: it is a table row's cell (0 0 1), not a figure of prose.
_TABLE_CELL_BEFORE_RE = re.compile(r"\d\x20")
_PLAIN_KINDS = frozenset({"docno", "name", "period", "date", "year", "time", "ratio", "ordinal", "slogan"})
_YEAR_SUFFIX_RE = regex.compile(r"\s*年度?$")
_RARE_SINGLE_NUMERALS = set("參肆伍陆陸拾佰仟廿")  # alone, these are words (參加, 队伍, 大陆, 收拾)
_MULTIPLIERS = {"百": 100, "佰": 100, "千": 1000, "仟": 1000}  # after digits, before 多/余
_SIMPLIFIED = str.maketrans("個點", "个点")
_BIG_UNITS = frozenset("万萬亿億")
_JI = "几"
# The CJK ideograph blocks: what \p{Han} matches in a unit, for a pattern compiled with `re`.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Only a run with Chinese place values or spaces in it is read up to a prefix, and only a short one.
_PREFIXED_RE = regex.compile(r"[\x20\p{Han}]")
_HAN_CHAR_RE = regex.compile(r"\p{Han}")
_MAX_PREFIX = 40
# A spaced digit string (三 四) is several numerals; 几 must be the last digit stated, followed
# only by place values (二十几万, 一百零几万, 十几), and stand once.
_CN_DIGIT_STRING_RE = regex.compile(r"[-+−－＋负負正]?[〇零一二三四五六七八九壹贰貳貮叁參叄肆伍陆陸柒捌玖两兩]+")
_JI_RE = regex.compile(r"[^几幾]*[^几幾点點][几幾][十拾百佰千仟万萬亿億]*")


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
def _figure_re(vocabulary: Vocabulary) -> re.Pattern:
    """Every candidate figure. After a Chinese numeral must come a space or the first character of
    a unit or of a qualifier written after a figure (余, 多).

    Compiled with `re`, not `regex`: the pattern needs nothing `re` lacks (3.11 has possessive
    quantifiers and atomic groups), and `re` scans for its first characters 2.4× faster, which
    is most of the time spent finding figures (bench.extraction)."""
    q = vocabulary.qualifiers
    words = (*vocabulary.count_units, *vocabulary.money_units, *vocabulary.percent_units,
             *vocabulary.measure_units, *q["lower_bound_after"])
    first = regex.escape("".join(sorted({w[0] for w in words if w})))
    follow = rf"(?=[\x20\u3000{first}])"
    spaced_follow = rf"(?=\x20?[万亿萬億%％‰{first}])"
    pattern = _FIGURE_PATTERN.replace(_FOLLOW, follow).replace(_SPACED_FOLLOW, spaced_follow)
    return re.compile(_FIRST + "(?:" + pattern + ")", re.VERBOSE)


@lru_cache(maxsize=8)
def _unit_re(vocabulary: Vocabulary) -> re.Pattern:
    """Unit, qualifier and tail that may follow a number; longest unit first. `re`, like
    _figure_re: it is matched once per figure."""
    units = sorted(
        set(vocabulary.count_units) | set(vocabulary.money_units) | set(vocabulary.percent_units)
        | set(vocabulary.measure_units),
        key=len, reverse=True,
    )
    after = "|".join(map(re.escape, vocabulary.qualifiers["lower_bound_after"])) or "(?!)"
    tails = sorted(
        vocabulary.qualifiers["lower_bound_tail"] + vocabulary.qualifiers["approximate_tail"]
        + vocabulary.qualifiers["upper_bound_tail"], key=len, reverse=True,
    )
    tail = "|".join(map(re.escape, tails)) or "(?!)"
    # A unit may be spaced out too (个 百 分点); Fact.unit is written without the spaces. It is no
    # unit where its character begins another word (一部分, 由3部分组成).
    spaced_units = trie_pattern(units, "\\x20?")
    not_unit = "|".join(map(re.escape, vocabulary.numeral_words.unit_words))
    if not_unit:
        spaced_units = f"(?!{not_unit})(?:{spaced_units})"
    return re.compile(
        # 1100多万人: a qualifier may stand before the multiplier as well as after it; spaces may
        # stand between the number and what follows it (500 余万, 1000  万, 一百五十    个百分点)
        # (5千多户: after digits, 千 and 百 are multipliers only before 多/余, for 5千米 is 5 km)
        rf"[ \u3000]*(?P<q0>{after})?(?:[ \u3000]*(?P<mult>[万萬亿億]+|[千仟百佰](?={after})))?"
        rf"(?P<q>{after})?(?(q)(?P<mult2>[万萬亿億])?)[ \u3000]*"
        rf"(?P<unit>{spaced_units})?"
        rf"(?P<per>\s*(?:/|每)\s*[{_HAN}]{{1,3}})?(?P<tail>{tail})?"
    )


def trie_pattern(words: list[str], joiner: str) -> str:
    """An alternation of words as a prefix tree (个(?:月|工作日)?|件(?:次)?…), `joiner` between
    their characters: `re` tries the branches of a flat alternation one by one, and a figure's
    unit is looked for at every figure. A longer word is still tried before its prefix, so at
    each place it matches the longest word, as a flat alternation longest first does."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branches(node: dict) -> str:
        out = []
        for char, child in node.items():
            if not char:
                continue
            rest = branches(child)
            if rest:
                rest = f"{joiner}(?:{rest})" + ("?" if "" in child else "")
            out.append(re.escape(char) + rest)
        return "|".join(out)

    return f"(?:{branches(root)})" if root else "(?!)"


# a number in scientific notation (1e308, 2.5E-3): no report states a count so; its mantissa and
# exponent are not two figures (1e308件 is no 1 and no 308件), so none of it is read
_SCIENTIFIC_RE = regex.compile(r"(?<![0-9A-Za-z.])[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+(?![0-9A-Za-z])")


def _scientific(text: str) -> list[tuple[int, int]]:
    """The spans of numbers in scientific notation. Each has a digit right before its e: most
    reports have none, and the pattern is searched for only where one does (it is a scan of the
    whole text in `regex`; finding the e's is one str.find each)."""
    if not any(text[i - 1] in "0123456789" for i in char_positions(text, "eE") if i):
        return []
    return [(m.start(), m.end()) for m in _SCIENTIFIC_RE.finditer(text)]


def extract_figures(text: str, vocabulary: Vocabulary, thresholds: Thresholds) -> list[Fact]:
    unit_re = _unit_re(vocabulary)
    quoted = [m.span() for m in matches_from(_QUOTED_RE, text, _QUOTES)]
    scientific = _scientific(text)
    wraps = layout_wraps(text, thresholds.line_wrap)
    words = _word_tests(vocabulary)
    facts: list[Fact] = []
    search = _figure_re(vocabulary).search
    pos = 0
    while (match := search(text, pos)) is not None:
        # What the match stands for, if anything, and where to look for the next figure: the end
        # of the match, unless only a prefix of its numeral was read (百分之七十百分位).
        kind = match.lastgroup  # the outermost named group that matched: nested groups close first
        if kind in _PLAIN_KINDS:
            fact, pos = _plain(kind, match), match.end()
        elif kind == "percent_words":
            fact, pos = _percent_words(match, text, vocabulary, thresholds)
        else:
            fact, pos = _quantity(match, text, unit_re, vocabulary, thresholds, wraps, words)
        if fact is None or (scientific and _overlaps(scientific, fact.start, fact.end)):
            continue
        if (quoted and fact.kind in ("count", "number", "money", "rate", "measure")
                and _inside(quoted, fact.start, fact.end)):
            fact.kind = "name"  # “12345”热线, “4枚印章”, “一件事”: names, not quantities
        elif fact.kind == "number" and _is_section_number(text, fact.start):
            fact.kind = "section"
        fact.index = len(facts)
        facts.append(fact)
    _attach_context(text, facts, wraps)
    previous = None
    for fact in facts:
        listed = previous is not None and previous.kind == "rate" and not fact.label.strip("、和及与")
        if fact.kind == "rate" and ((not listed and not _is_proportion(naming_label(text, fact), vocabulary)
                                     and not _bracketed_share(text, previous, fact))
                                    or (fact.value is not None and fact.value < 0)):
            fact.kind = "percent"  # 完成计划的150%, 贡献率为-8.6%: a percentage, but not a share of a whole
        previous = fact  # 分别占40%、55%: the second share is listed with the first
    return facts


def _is_section_number(text: str, start: int) -> bool:
    """Section numbers: "1.优化…" at the start of a line or sentence, "(1)" anywhere."""
    if start > 0 and text[start - 1] in "(（":
        return _SECTION_BRACKET_RE.match(text, start) is not None
    if _SECTION_DOT_RE.match(text, start) is None:
        return False
    before = text[max(0, start - 40):start].rstrip(" \t\u3000")
    return not before or before[-1] in "。；;\n"


def _bracketed_share(text: str, previous: Fact | None, fact: Fact) -> bool:
    """住房保障43件(30.2%): a percentage alone in a bracket right after a count is its share."""
    if previous is None or previous.kind != "count" or fact.label:
        return False
    return text[previous.end:fact.start].strip() in ("(", "（") and text[fact.end:fact.end + 1] in (")", "）")


def _is_proportion(label: str, vocabulary: Vocabulary) -> bool:
    if not any(w in label for w in vocabulary.proportion_words):
        return False
    for word in vocabulary.not_plan_words:
        label = label.replace(word, "")
    return not any(w in label for w in vocabulary.plan_words)


def naming_label(text: str, fact: Fact) -> str:
    """The words that name a figure: its label, or the clause before it when the label is only
    a verb (按期办结率继续保持高位,达到100.8%)."""
    if fact.label and _FILLER_LABEL_RE.fullmatch(fact.label):
        label_start = fact.start - len(fact.label)
        return text[max(0, label_start - _LOOK_BACK, _last_break(text, label_start - 1) + 1):fact.start]
    return fact.label


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """[start, end) shares a character with one of the spans (sorted, not overlapping)."""
    i = bisect_right(spans, (end, -1)) - 1  # the last span that starts before end
    return i >= 0 and spans[i][1] > start


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (start, INF)) - 1
    return i >= 0 and spans[i][0] < start and end < spans[i][1]


@lru_cache(maxsize=4096)  # the same few surfaces (一, 两, 10, 2020) recur on every page
def _numeral(surface: str) -> tuple[Number, int, bool] | None:
    """The value of the longest prefix of `surface` that is a numeral, the prefix's length, and
    whether it has a 几 digit. A numeral run may take in the start of the next word (百分之七十百分位
    takes 七十百), so a run that does not parse is read up to its longest numeral prefix."""
    try:
        number, approximate = _parse_spaced(surface)
    except ValueError:
        pass
    else:
        return number, len(surface), approximate
    if len(surface) > _MAX_PREFIX or not _PREFIXED_RE.search(surface):
        return None  # an Arabic run that does not parse is no numeral at all (nor is 9999…9)
    for end in range(len(surface) - 1, 0, -1):
        if surface[end - 1] == " ":
            continue
        try:
            number, approximate = _parse_spaced(surface[:end])
        except ValueError:
            continue
        return number, end, approximate
    return None


def _parse_spaced(surface: str) -> tuple[Number, bool]:
    """parse_number on a numeral that may be spaced out or have a 几 digit (二十几万 is 200000:
    the 几 is read as 0 and the figure becomes a lower bound)."""
    if " " in surface:
        surface = surface.replace(" ", "")
        if _CN_DIGIT_STRING_RE.fullmatch(surface):
            raise ValueError("a spaced digit string is several numerals")  # 三 四
    if "几" not in surface and "幾" not in surface:
        return parse_number(surface), False
    if not _JI_RE.fullmatch(surface):
        raise ValueError("misplaced 几")
    # 几 as 一 makes it the last stated digit, so its place is the ulp: 二十一万 - 1万 = 二十万
    number = parse_number(surface.replace("几", "一").replace("幾", "一"))
    step = -number.ulp if number.value < 0 else number.ulp
    return Number(number.value - step, number.ulp), True


def _plain(kind: str, match: re.Match) -> Fact:
    surface = match.group()
    value = _year_value(surface) if kind == "year" else None
    number = float(value) if value is not None else NAN
    return Fact(0, kind, value, "", "", number, number, None, False, surface, match.start(), match.end())


@lru_cache(maxsize=1024)  # a report names the same few years again and again
def _year_value(surface: str) -> Decimal | None:
    try:
        return parse_number(_YEAR_SUFFIX_RE.sub("", surface).replace("○", "〇").replace(" ", "")).value
    except ValueError:
        return None


def _percent_words(match, text, vocabulary, thresholds) -> tuple[Fact | None, int]:
    words = match.group("percent_number")
    read = _numeral("一百" if words == "百" else words)  # 百分之百
    if read is None or read[2]:
        return None, match.end()
    number, length, _ = read
    number_end = match.end() if words == "百" else match.start("percent_number") + length
    ulp = min(number.ulp, Decimal(1))  # 百分之三十 is stated to the whole percent, not to ten
    tail = _tail_at(text, number_end, vocabulary)  # 百分之九十五以上
    end = number_end + len(tail)
    fact = Fact(0, "rate", number.value, "%", "", 0.0, 0.0, ulp, True, text[match.start():end], match.start(), end)
    _qualify(fact, text, vocabulary, thresholds, tail)
    if _is_change(text, match.start(), vocabulary):
        fact.kind = "change"
    return fact, end


def _tail_at(text: str, pos: int, vocabulary: Vocabulary) -> str:
    q = vocabulary.qualifiers
    words = q["lower_bound_after"] + q["lower_bound_tail"] + q["approximate_tail"] + q["upper_bound_tail"]
    return next((w for w in sorted(words, key=len, reverse=True) if text.startswith(w, pos)), "")


def _quantity(match, text, unit_re, vocabulary, thresholds, wraps, words) -> tuple[Fact | None, int]:
    surface, chinese = match.group("number", "chinese")
    start, resume = match.span()
    if surface[0] in "正负負" and start > 0 and _HAN_CHAR_RE.match(text, start - 1) and text[start - 1] not in "为是达至":
        surface, start = surface[1:], start + 1  # 纠正6件: the 正 belongs to the word before
        if chinese is not None:
            chinese = surface
    follow = unit_re.match(text, resume)
    if wraps and follow.end() == _blank_end(text, resume):
        follow = _unit_across_wrap(text, start, resume, unit_re, wraps) or follow  # 会议 7⏎期
    if chinese is not None and follow.group("unit") is None:
        return None, resume  # the common case, settled before parsing: 一些, 一方面
    if " " in surface and chinese is None and match.group("spaced") is None and not _follows(follow):
        # 29 757 is one figure only before a unit: a table row 120 300 0 0 is several
        surface = surface[:surface.index(" ")]
        resume = start + len(surface)
        follow = unit_re.match(text, resume)
    read = _numeral(surface)
    if read is None:
        return None, resume
    number, length, approximate = read
    number_end = start + length
    if length < len(surface):
        if text[number_end] in "万萬亿億":
            return None, resume  # 一百五万 is not 一百五 and a unit 万元
        surface = surface[:length]
        resume = number_end
        if chinese is not None:
            chinese = surface
        follow = unit_re.match(text, number_end)
    value, ulp = number.value, number.ulp
    mult_text, mult2, unit_text, q0, q, per, tail = follow.group("mult", "mult2", "unit", "q0", "q", "per", "tail")
    mult_text = mult_text or ""
    if mult2:
        mult_text += mult2  # 3千多万
    if mult_text:
        extra = _MULTIPLIERS.get(mult_text)
        if extra is None:
            try:
                extra = parse_number("1" + mult_text).value
            except ValueError:
                mult_text = ""
        elif chinese is not None:
            return None, resume  # 七十百余: the run ended where no numeral could
        if mult_text:
            if _BIG_UNITS.isdisjoint(surface):
                value, ulp = value * extra, ulp * extra
            else:
                value, ulp = _multiplied(surface, mult_text, value, ulp, extra)
    unit_text = unit_text or ""
    if " " in unit_text:
        unit_text = unit_text.replace(" ", "")
    qualifier = q0 or q or ""
    kind, unit = words.unit_kinds.get(unit_text) or _kind_and_unit(unit_text, vocabulary)
    if chinese is not None and (kind == "number" or chinese in _RARE_SINGLE_NUMERALS
                                or (kind == "measure" and len(chinese) == 1
                                    and unit_text[0] not in words.count_units)
                                or (chinese[0] in words.first_chars
                                    and (text[follow.end("unit"):follow.end("unit") + 1] in words.suffixes_first
                                         or text[start - 1:start] in words.ending_before
                                         or text.startswith(words.set_phrases, start))
                                    and _in_word(text, start, chinese, follow.end("unit"), words))):
        # A Chinese numeral is a figure only before a unit, and one character before a measure is
        # a word: 一是, 十九大, 十分, 一度, 队伍 (but 一百零八亿度 and 三个月 are figures); so is a
        # numeral and unit inside a word: 一次性, 统一部署.
        return None, resume
    if unit_text in vocabulary.money_units:
        scale = vocabulary.money_units[unit_text]
        value, ulp = value * scale, ulp * scale
    end = follow.end() if unit_text or qualifier or mult_text else number_end
    if per and unit_text:
        kind, end = "ratio", follow.end("per")  # 4.5批次/千人
    if tail and unit_text:
        end = follow.end()
    else:
        tail = ""
    has_multiplier = mult_text or not _BIG_UNITS.isdisjoint(surface)
    rounded = kind == "rate" or bool(has_multiplier) or ulp < 1 or (ulp > 1 and kind == "money")
    if kind == "number" and not has_multiplier and _looks_like_year(surface, value):
        kind = "year"
    fact = Fact(0, kind, value, unit, qualifier, 0.0, 0.0, ulp, rounded, text[start:end], start, end)
    _qualify(fact, text, vocabulary, thresholds, tail)
    if approximate:
        # 二十几万: more than 200000, less than 300000
        fact.qualifier = fact.qualifier or _JI
        fact.lo = float(value)
        if fact.qualifier == _JI:
            fact.hi = float(value + 10 * ulp)
    if (kind in _CHANGE_KINDS and text[start - 1:start] in words.change_last  # most figures: at once
            and _is_change(text, start, vocabulary)):
        fact.kind = "change"
    if unit == "个百分点":
        fact.kind = "change"
    if unit_text in words.rank_units and (_is_rank(chinese, unit_text, words)
                                          or (text.startswith(words.session.words, end)
                                              and _is_session(text, start, end, unit_text, words.session))):
        fact.kind = "ordinal"  # 二期工程, 十三届全国人大一次会议
    return fact, max(resume, end)


def _multiplied(surface: str, mult_text: str, value: Decimal, ulp: Decimal, extra: Decimal) -> tuple[Decimal, Decimal]:
    """The value of a numeral with the multiplier written after its qualifier. Where the numeral
    has a higher place already, the multiplier is its last section's (一亿六千余万 is 1亿 and 6千万,
    not 一亿六千 × 1万)."""
    read = _numeral(surface + mult_text)
    if read is None or read[1] != len(surface) + len(mult_text):
        return value * extra, ulp * extra
    return read[0].value, read[0].ulp


def _follows(follow: re.Match) -> bool:
    """Whether a unit, a multiplier or a qualifier follows the number."""
    return follow.lastindex is not None and any(follow.group("unit", "mult", "q0", "q"))


def _blank_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u3000":
        pos += 1
    return pos


def _unit_across_wrap(text: str, start: int, number_end: int, unit_re: re.Pattern,
                      wraps: frozenset[int]) -> re.Match | None:
    """The unit after a line break the layout put between a number and its unit (召开政府常务会议 7⏎期),
    if the number stands in prose: after a table row's cells (0 0 1⏎4.…) no unit is looked for."""
    newline = _blank_end(text, number_end)
    if newline not in wraps or _TABLE_CELL_BEFORE_RE.search(text, max(0, start - 2), start):
        return None
    follow = unit_re.match(text, newline + 1)
    return follow if follow.group("unit") else None


class _WordTests(NamedTuple):
    """vocabulary.yaml's numeral_words and session_ordinals, arranged for quick tests."""
    suffixes: tuple[str, ...]
    suffix_numerals: frozenset[str]
    suffix_exceptions: tuple[str, ...]
    set_phrases: tuple[str, ...]
    first_chars: frozenset[str]                           # the characters a numeral in a word starts with
    suffixes_first: frozenset[str]                        # quick tests: the first characters of the suffixes,
    ending_before: frozenset[str]                         # and the characters before a numeral ending a word
    ending_by_length: tuple[tuple[int, frozenset[str]], ...]
    ordinal_numerals: frozenset[str]
    ordinal_units: frozenset[str]
    session: SessionOrdinals
    rank_units: frozenset[str]                            # the units either test needs
    change_last: frozenset[str]                           # what a change marker may end with (_is_change)
    count_units: frozenset[str]
    unit_kinds: dict[str, tuple[str, str]]                # unit -> _kind_and_unit, for every unit _unit_re reads


@lru_cache(maxsize=8)
def _word_tests(vocabulary: Vocabulary) -> _WordTests:
    words, session = vocabulary.numeral_words, vocabulary.session_ordinals
    ending = words.ending_in_numeral
    return _WordTests(
        suffixes=words.suffixes, suffix_numerals=frozenset(words.suffix_numerals),
        suffix_exceptions=words.suffix_exceptions, set_phrases=words.set_phrases,
        first_chars=frozenset(words.suffix_numerals) | frozenset(w[:1] for w in words.set_phrases)
        | frozenset(w[-1:] for w in ending),
        suffixes_first=frozenset(w[:1] for w in words.suffixes),
        ending_before=frozenset(w[-2:-1] for w in ending),
        ending_by_length=tuple((n, frozenset(w for w in ending if len(w) == n))
                               for n in sorted({len(w) for w in ending})),
        ordinal_numerals=frozenset(words.ordinal_numerals), ordinal_units=frozenset(words.ordinal_units),
        session=session, rank_units=frozenset(words.ordinal_units) | frozenset(session.units),
        # the character before a figure, after the words _is_change strips (增长了 5%, 约为 3件)
        change_last=frozenset(w[-1] for w in (*vocabulary.change_markers, *_COMPARED) if w)
        | frozenset(_CHANGE_SKIPPED),
        count_units=frozenset(vocabulary.count_units),
        # one look-up, not the tuples searched in turn (the count units are many)
        unit_kinds={unit: _kind_and_unit(unit, vocabulary)
                    for unit in ("", *vocabulary.money_units, *vocabulary.percent_units, *vocabulary.count_units,
                                 *vocabulary.measure_units)},
    )


def _in_word(text: str, start: int, numeral: str, unit_end: int, words: _WordTests) -> bool:
    """Whether a Chinese numeral and its unit are part of a word: 一次性, 一元化 (a suffix after
    the unit), 一件事 (a set phrase), 统一部署 (the numeral ends the word before it)."""
    if (numeral in words.suffix_numerals and text.startswith(words.suffixes, unit_end)
            and not text.startswith(words.suffix_exceptions, unit_end)):
        return True
    if text.startswith(words.set_phrases, start):
        return True
    for n, ending in words.ending_by_length:
        if text[max(0, start + 1 - n):start + 1] in ending:
            return True
    return False


def _is_rank(numeral: str | None, unit_text: str, words: _WordTests) -> bool:
    """二期工程, 二次传播: a lone 二 before a unit of rank or sequence names the rank."""
    return numeral in words.ordinal_numerals and unit_text in words.ordinal_units


def _is_session(text: str, start: int, end: int, unit_text: str, session: SessionOrdinals) -> bool:
    """十三届全国人大一次会议: N次会议 after a 届 in the same clause is the session's number."""
    if unit_text not in session.units or not text.startswith(session.words, end):
        return False
    window = max(0, start - _SESSION_REACH)
    found = _UP_TO_LAST_BREAK_RE.match(text, window, start)
    before = text[found.end() if found else window:start]
    return any(marker in before for marker in session.markers)


def _looks_like_year(surface: str, value: Decimal) -> bool:
    return surface.isdigit() and len(surface) == 4 and 1949 <= value <= 2100


def _kind_and_unit(unit_text: str, vocabulary: Vocabulary) -> tuple[str, str]:
    if not unit_text:
        return "number", ""
    if unit_text in vocabulary.money_units:
        return "money", "元"
    if unit_text in vocabulary.percent_units:
        if unit_text in ("%", "％"):
            return "rate", "%"
        simplified = unit_text.translate(_SIMPLIFIED)  # 個百分點 is 个百分点
        return "rate", simplified if simplified in vocabulary.percent_units else unit_text
    if unit_text in vocabulary.count_units:
        return "count", unit_text
    return "measure", unit_text


def _qualify(fact: Fact, text: str, vocabulary: Vocabulary, thresholds: Thresholds, tail: str) -> None:
    """Set the qualifier and the interval [lo, hi] the figure stands for."""
    words = _qualifier_words(vocabulary)
    if not fact.qualifier:
        before = text[max(0, fact.start - 5):fact.start].rstrip("为达是")  # 约为96%, 超过了
        if before[-1:] in words.last_chars and before.endswith(words.any_before):  # the common case: none
            for group in words.before:
                if before.endswith(group):
                    fact.qualifier = next(w for w in group if before.endswith(w))
                    break
    if tail:
        fact.qualifier = fact.qualifier or tail
    value = float(fact.value)
    half = float(fact.ulp) / 2 if fact.rounded and fact.ulp is not None else 0.0
    lo, hi = value - half, value + half
    qual = fact.qualifier
    if qual in words.lower:
        lo, hi = value, INF
    elif qual in words.approximate:
        tolerance = abs(value) * thresholds.approximate_tolerance
        lo, hi = min(lo, value - tolerance), max(hi, value + tolerance)
    elif qual in words.upper:
        lo, hi = min(0.0, value), value
    fact.lo, fact.hi = lo, hi


class _QualifierWords(NamedTuple):
    before: tuple[tuple[str, ...], ...]  # the words that may stand before a figure, by group, longest first
    any_before: tuple[str, ...]          # all of them
    last_chars: frozenset[str]           # and their last characters
    lower: frozenset[str]                # the words of each meaning, wherever they stand
    approximate: frozenset[str]
    upper: frozenset[str]


@lru_cache(maxsize=8)
def _qualifier_words(vocabulary: Vocabulary) -> _QualifierWords:
    q = vocabulary.qualifiers
    before = tuple(tuple(sorted(q[group], key=len, reverse=True))
                   for group in ("lower_bound_before", "approximate_before", "upper_bound_before"))
    return _QualifierWords(
        before=before,
        any_before=tuple(w for group in before for w in group),
        last_chars=frozenset(w[-1] for group in before for w in group),
        lower=frozenset(q["lower_bound_after"] + q["lower_bound_before"] + q["lower_bound_tail"]),
        approximate=frozenset(q["approximate_before"] + q["approximate_tail"]),
        upper=frozenset(q["upper_bound_before"] + q["upper_bound_tail"]),
    )


def _is_change(text: str, start: int, vocabulary: Vocabulary) -> bool:
    window = text[max(0, start - 12):start]
    near = window[-6:].rstrip(_CHANGE_SKIPPED)
    if near.endswith(vocabulary.change_markers):
        return True
    # 比去年多227个 (a difference) and 比一九五七年的704亿元 (the base of a comparison)
    return near.endswith(_COMPARED) and any(word in window for word in vocabulary.comparison_words)


def _attach_context(text: str, facts: list[Fact], wraps: frozenset[int]) -> None:
    """Give each figure its label (words before it) and the words after it, within its clause.
    A line break the page layout put inside a clause (受理政府⏎信息公开申请 17 件) is read
    through, and left out of the label."""
    previous_end = 0
    up_to_last_break, next_break = _UP_TO_LAST_BREAK_RE.match, _BREAK_RE.search
    n = len(facts)
    for i, fact in enumerate(facts):
        start = max(previous_end, fact.start - 40)
        found = up_to_last_break(text, start, fact.start)
        stop = min(facts[i + 1].start if i + 1 < n else len(text), fact.end + 20)
        after = next_break(text, fact.end, stop)
        if wraps:
            while found is not None and found.end() - 1 in wraps:
                found = up_to_last_break(text, start, found.end() - 1)
            while after is not None and after.start() in wraps:
                after = next_break(text, after.end(), stop)
        if found is not None:
            start = found.end()
        if after is not None:
            stop = after.start()
        if wraps:
            fact.label = text[start:fact.start].replace("\n", "").strip()
            fact.after = text[fact.end:stop].replace("\n", "").strip()
        else:
            fact.label = text[start:fact.start].strip()
            fact.after = text[fact.end:stop].strip()
        previous_end = fact.end


def _last_break(text: str, pos: int) -> int:
    match = _UP_TO_LAST_BREAK_RE.match(text, max(0, pos - 60), pos)
    return match.end() - 1 if match else -1
