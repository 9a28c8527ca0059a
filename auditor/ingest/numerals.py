"""Parse one numeral as printed in a Chinese government report into an exact value and precision.

Accepted surface forms (see `parse_number`):

* Arabic digits, half- or fullwidth, with optional thousands grouping by `,` / `，` or by single
  spaces (`12,077`, `29 757`), a decimal point `.` `．` or the middle dots `·` `•` (the full stop
  `。` and the dot `・` too, where a percent sign, 个百分点 or a multiplier follows: `82。3%`), a sign
  (`-` `−` `－` `+` `＋` `负` `正`) and a trailing multiplier (万 亿 万亿 千万 百万 千亿, traditional
  forms too): `3.84亿`, `4.78万亿`.
* Arabic digits with Chinese place values (`25万6千`, `3万4000`, `5亿1万4千6百`, `1千零20`,
  `2千零30万`): the Arabic groups stand for the digits of a positional Chinese numeral. A bare
  `5千` is not one (`5千米` is five kilometres): 千 and 百 are place values only where a lower
  place or 万/亿 follows them, or after 万/亿.
* A decimal without its leading zero (`.5`, `-.5`).
* Chinese numerals, positional (`一百零八亿`, `三万五`, `十五`, `二百十七`, `五亿一万`), banking forms
  (`壹佰贰拾`), decimals with 点 (`三十六点九`, `三点五万`) and digit-by-digit strings (`二〇三五`);
  the old 万万 for 亿 (`六万万`), and 兆 as 10**12 where a 亿 or 万 group follows it
  (`四十九兆九千五百九十二亿`; a bare 兆 is mega-, as in 兆瓦). A sign may be traditional (`負`).

Every value is built from Python ints and turned into a Decimal once, so no float or Decimal
context rounding ever touches it. The parser is a normalising `str.translate`, one precompiled
regex for the Arabic forms and a single loop for the Chinese ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["ARABIC_NUMBER_PATTERN", "CHINESE_NUMBER_PATTERN", "DECIMAL_STOP_PATTERN", "Number", "parse_number"]


@dataclass(frozen=True, slots=True)
class Number:
    """An exact value and the place value of its last stated digit, both with multipliers applied."""

    value: Decimal
    ulp: Decimal


# ---------------------------------------------------------------------------------------------
# Search patterns for the extractor. They are written without literal whitespace or `#`, so they
# also work inside a VERBOSE pattern, and without capture groups. The lookbehinds stop a match
# from starting in the middle of a digit run, so an enclosing pattern cannot split "2019" or read
# "2019-2020" as a negative number.
# ---------------------------------------------------------------------------------------------
_D = "0-9０-９"
_D1 = "1-9１-９"
_SEP = ",，"
_DOT = ".．·•"
# Marks that are a decimal point only where a percent sign, percentage points or a multiplier
# follows the decimals: 立案率82。3%, 占8・3%, 3。84亿. Elsewhere 。 ends a sentence
# (共受理12件。3月份…, 总数为125。2021年…).
_STOP_DOT = "。・･"
# The mark comes first and the digit before it is looked behind for: a search for the pattern in
# running text (auditor.ingest.spans) then scans for the mark alone.
DECIMAL_STOP_PATTERN = (rf"[{_STOP_DOT}](?<=[{_D}][{_STOP_DOT}])[{_D}]++"
                        rf"(?=\x20?(?:[%％‰]|[万萬亿億]|[个個]百分[点點]))")
_SIGN = r"\-+−－＋负負正"
_MULT_PATTERN = "(?:[万萬][亿億]|[千仟][万萬亿億]|[百佰][万萬]|[万萬亿億])"


def _mixed_grammar(d: str, d1: str, zero: str, qian: str, bai: str, wan: str, yi: str, dot: str) -> str:
    """Arabic digits with Chinese place values, as a pattern over the given character classes.

    A section below 万 with at least one 千/百 (5千, 5千4百, 5千4百零3, 1千零20, 4百, 4百零5); a
    number of this form has a 万/亿 or a second place in it, so 5千 alone (5千米 is five
    kilometres) is not one. After 万 a lower part may be four digits (3万4000); after 亿 only a
    万 group may follow (3亿4000 is ambiguous).
    """
    tail = rf"(?:[{zero}][{d1}])?"
    sec = rf"(?:[{d1}][{qian}](?:[{d1}][{bai}]{tail}|[{zero}][{d1}][{d}]?)?|[{d1}][{bai}]{tail})"
    head = rf"(?:{sec}|[{d1}][{d}]{{0,3}})"
    lower = rf"(?:{sec}|[{d1}][{d}]{{3}}(?![{dot}年])|[{zero}][{d1}][{d}]{{0,2}})"
    return (rf"(?:{head}[{yi}](?:{head}[{wan}]{lower}?)?|{head}[{wan}]{lower}?"
            rf"|[{d1}][{qian}](?:[{d1}][{bai}]{tail}|[{zero}][{d1}][{d}]?))"
            # It must not stop where the plain form goes on (25万亿, 25万6) or inside a digit run.
            rf"(?![{d}{wan}{yi}{qian}{bai}{zero}])")


_MIXED = _mixed_grammar(_D, _D1, "零〇", "千仟", "百佰", "万萬", "亿億", _DOT)

ARABIC_NUMBER_PATTERN = (
    rf"(?:(?<![{_D}A-Za-z])[{_SIGN}])?"  # a hyphen after a letter joins a code (A-5, COVID-19)
    rf"(?<![{_D}])(?<![{_D}][{_DOT}])"
    rf"(?:{_MIXED}"
    # Grouped forms first; the atomic group keeps an enclosing pattern from splitting the digits.
    rf"|(?:(?>[{_D1}][{_D}]{{0,2}}(?:[{_SEP}][{_D}]{{3}})+(?![{_D}])"
    rf"|[{_D1}][{_D}]{{0,2}}(?:\x20[{_D}]{{3}})+(?![{_D}])"
    rf"|[{_D}]+)"
    rf"(?:[{_DOT}][{_D}]++|{DECIMAL_STOP_PATTERN})?"
    # .5: a point with no digit before it, and no point or letter either (1.2.5, v.5)
    rf"|(?<![{_DOT}A-Za-z])[.．][{_D}]++)"
    rf"{_MULT_PATTERN}?)"
)

_CN_DIGITS = "〇零一二三四五六七八九壹贰貳貮叁參叄肆伍陆陸柒捌玖"
_CN_ALL = _CN_DIGITS + "两兩十拾百佰千仟万萬亿億廿卅"
_CN_LEAD = _CN_DIGITS + "两兩十拾廿卅"

# 兆 is 10**12 only with lower places after it (四十九兆九千五百九十二亿); a run may take it in
# and the extractor reads the run up to it otherwise (十兆瓦).
# 几 (幾) stands for an unknown digit (二十几万, 一百零几万): it is part of a run, never its start,
# and parse_number rejects it; the extractor reads it (figures.py).
_CN_RUN = _CN_ALL + "几幾兆"
_CN_SPACE = r"\x20"

CHINESE_NUMBER_PATTERN = (
    rf"(?:(?<![{_D}{_CN_RUN}点點])[{_SIGN}])?"
    # A run starts with a digit or 十, so 千万 (“by all means”) and 万一 (“in case”) are not read.
    rf"(?<![{_CN_RUN}点點])(?=[{_CN_LEAD}])[{_CN_RUN}]++"
    # Single spaces inside a numeral (一百 五 十 二, 三千 八百 九十六 万): the parser gets the
    # numeral without them, and rejects a digit string so spaced (三 四).
    rf"(?:{_CN_SPACE}[{_CN_RUN}]++)*+"
    rf"(?:{_CN_SPACE}?[点點]{_CN_SPACE}?[{_CN_DIGITS}]++(?:{_CN_SPACE}[{_CN_DIGITS}]++)*+{_MULT_PATTERN}?)?"
)

# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------
_MAX_LEN = 128  # longer than any real figure; also keeps int() far below its digit limit

# One translate call folds every variant spelling onto the few characters the parser knows.
_FOLD = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "，": ",", "．": ".", "·": ".", "•": ".", "。": ".", "・": ".", "･": ".",
    "−": "-", "－": "-", "＋": "+",
    "萬": "万", "億": "亿", "負": "负", "點": "点", "兩": "两", "拾": "十", "佰": "百", "仟": "千",
    "壹": "一", "贰": "二", "貳": "二", "貮": "二", "叁": "三", "參": "三", "叄": "三",
    "肆": "四", "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九",
    "〇": "零", "廿": "二十", "卅": "三十",
})

_SIGNS = frozenset("-+−－＋负負正")
_MULT = {"万": 4, "亿": 8, "万亿": 12, "千亿": 11, "千万": 7, "百万": 6}  # exponents of ten

# Runs on folded text, so only ASCII digits, `,`, `.` and the simplified multipliers remain.
_ARABIC_FULL = re.compile(
    r"([1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+|[0-9]+|(?=\.[0-9]))"
    r"(?:\.([0-9]+))?(万亿|千亿|千万|百万|万|亿)?"
).fullmatch

_MIXED_FULL = re.compile(_mixed_grammar("0-9", "1-9", "零", "千", "百", "万", "亿", ".")).fullmatch
_ARABIC_GROUP = re.compile(r"[0-9]+")
_LAST_DIGIT = re.compile(r"[0-9](?=[^0-9]*$)")
_CN_OF = "零一二三四五六七八九"

_DIGIT = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2}
_FRAC_DIGIT = {c: d for c, d in _DIGIT.items() if c != "两"}
_SMALL = {"十": 1, "百": 2, "千": 3}
_BIG = {"万": 4, "亿": 8}
_UNIT = {**_SMALL, **_BIG}
_UNIT_CHARS = frozenset(_UNIT)
_BIG_CHARS = frozenset(_BIG)
_NONE = 4  # last_small when the current section has no 十/百/千 yet

_POW10 = [10**e for e in range(_MAX_LEN + 16)]
_ULP = {e: Decimal(10**e) if e >= 0 else Decimal(f"1E{e}") for e in range(-_MAX_LEN, _MAX_LEN + 16)}


def parse_number(text: str) -> Number:
    """Parse one numeral written in Arabic digits, Chinese numerals, or Arabic plus a multiplier.

    Raises ValueError with a short reason if `text` is not a single numeral.
    """
    s = text.strip()
    if not s:
        raise ValueError("empty numeral")
    if len(s) > _MAX_LEN:
        raise ValueError("numeral too long")
    lead = s[1:2] if s[0] in _SIGNS else s[:1]
    s = s.translate(_FOLD)
    negative = False
    if s[0] in "-+负正":
        negative = s[0] in "-负"
        s = s[1:]
    m = _ARABIC_FULL(s)
    if m is not None and (m.group(1) or lead in ".．"):  # .5, but not ·5 (a middle dot is no point)
        coef, exp = _arabic(*m.groups())
        return _build(negative, coef, exp, exp)
    if _MIXED_FULL(s) is not None:
        return _build(negative, *_mixed(s))
    return _build(negative, *_chinese(s))


def _build(negative: bool, coef: int, exp: int, ulp_exp: int) -> Number:
    """value = coef * 10**exp, ulp = 10**ulp_exp, both exact."""
    if negative:
        coef = -coef
    value = Decimal(coef * _POW10[exp]) if exp >= 0 else Decimal(f"{coef}E{exp}")
    return Number(value, _ULP[ulp_exp])


def _arabic(integer: str, fraction: str | None, mult: str | None) -> tuple[int, int]:
    if not integer.isdigit():
        integer = integer.replace(",", "").replace(" ", "")
    fraction = fraction or ""
    exp = (_MULT[mult] if mult else 0) - len(fraction)
    return int(integer + fraction), exp


def _mixed(s: str) -> tuple[int, int, int]:
    """(coef, exp, ulp_exp) of Arabic digits with Chinese place values (25万6千, 1千零20).

    The value is that of the Chinese numeral the Arabic groups spell (25 -> 二十五); the ulp is
    the place of the last Arabic digit, so the zeros written in 3万4000 and 1亿5000万 count.
    """
    value, _ = _cn_positional(_ARABIC_GROUP.sub(_spell_group, s), allow_ellipsis=False)
    last = _LAST_DIGIT.search(s)
    ulp = sum(_UNIT[c] for c in s[last.end():])
    return value, 0, ulp


def _spell_group(m: re.Match) -> str:
    """An Arabic group of one to four digits as a Chinese section: 20 -> 二十, 1005 -> 一千零五."""
    out, gap = [], False
    for digit, unit in zip(m.group().zfill(4), ("千", "百", "十", "")):
        if digit == "0":
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(_CN_OF[int(digit)] + unit)
    return "".join(out)


def _chinese(s: str) -> tuple[int, int, int]:
    """(coef, exp, ulp_exp) of a Chinese numeral, optionally with 点 decimals and a multiplier."""
    head, dot, tail = s.partition("点")
    if not dot:
        value, place = _cn_integer(s, allow_ellipsis=True)
        return value, 0, place
    if not head:
        raise ValueError("no integer part before 点")
    value, _ = _cn_integer(head, allow_ellipsis=False)
    frac = 0
    n = 0
    for c in tail:
        d = _FRAC_DIGIT.get(c)
        if d is None:
            break
        frac = frac * 10 + d
        n += 1
    if n == 0:
        raise ValueError("no digits after 点")
    rest = tail[n:]
    mult = _MULT.get(rest) if rest else 0
    if mult is None:
        raise ValueError("unexpected characters after the decimals")
    coef = value * _POW10[n] + frac
    return coef, mult - n, mult - n


def _cn_integer(s: str, allow_ellipsis: bool) -> tuple[int, int]:
    """(value, exponent of the last stated nonzero digit) of a Chinese integer."""
    if _UNIT_CHARS.isdisjoint(s):
        return _cn_digit_string(s)
    if "兆" in s:
        return _cn_zhao(s, allow_ellipsis)
    if "万万" in s:
        s = s.replace("万万", "亿")  # 六万万人民: the old way of writing 亿
    return _cn_positional(s, allow_ellipsis)


def _cn_zhao(s: str, allow_ellipsis: bool) -> tuple[int, int]:
    """兆 as 10**12 (五兆六十二亿四万五千二). Only a 兆 with a 亿 or 万 group after it is read: a
    bare 兆 is as often the prefix mega- (兆瓦) or 10**6 as 10**12."""
    head, _, tail = s.partition("兆")
    tail = tail[1:] if tail.startswith("零") else tail
    if not head or not tail or "兆" in tail or _BIG_CHARS.isdisjoint(tail):
        raise ValueError("misplaced 兆")
    high, _ = _cn_positional(head, allow_ellipsis=False)
    low, place = _cn_integer(tail, allow_ellipsis)
    if high >= 10_000 or low >= 10**12:
        raise ValueError("misplaced 兆")
    return high * 10**12 + low, place


def _cn_digit_string(s: str) -> tuple[int, int]:
    """二〇三五 -> 2035: digits read one by one; a lone 两 is 2 but 两 never appears in a digit run."""
    if not s:
        raise ValueError("empty numeral")
    if len(s) == 1:
        d = _DIGIT.get(s)
        if d is None:
            raise ValueError("not a numeral")
        return d, 0
    value = 0
    for c in s:
        d = _FRAC_DIGIT.get(c)
        if d is None:
            raise ValueError("not a numeral")
        value = value * 10 + d
    return value, 0


def _cn_positional(s: str, allow_ellipsis: bool) -> tuple[int, int]:
    """Positional Chinese integer, read left to right in one pass.

    The value is kept as three parts: `total` (everything already multiplied by 亿), `mid`
    (the 万 group of the current 亿 segment) and `section` (below 万). `place` is the exponent
    of the last nonzero term relative to whatever 万/亿 will still multiply it, so applying a
    big unit just adds its exponent.
    """
    total = mid = section = 0
    place = 0
    last_small = _NONE   # exponent of the previous 十/百/千 in this section
    digit = -1           # pending digit, -1 when none
    is_two = False       # the pending digit was written 两
    zero = False         # a 零 since the last unit
    prev_unit = 0        # exponent of the unit written right before the pending digit
    seen_wan = seen_yi = False
    for i, c in enumerate(s):
        if c == "零":
            if zero or digit >= 0 or i == 0 or s[i - 1] not in _UNIT_CHARS:
                raise ValueError("misplaced 零")
            zero = True
            continue
        d = _DIGIT.get(c)
        if d is not None:
            if digit >= 0:
                raise ValueError("two digits without a unit between them")
            digit, is_two = d, c == "两"
            prev_unit = 0 if zero or i == 0 else _UNIT[s[i - 1]]
            continue
        e = _SMALL.get(c)
        if e is not None:
            if digit < 0:
                # Only 十 may stand without a digit: at the start (十五), after 零 (一千零十) or
                # right after 百 (二百十七, 一萬三千五百十三).
                if e != 1 or not (i == 0 or zero or s[i - 1] == "百"):
                    raise ValueError("unit without a digit")
                digit = 1
            elif is_two and e == 1:
                raise ValueError("两 before 十")
            if e >= last_small:
                raise ValueError("units out of order")
            if zero and last_small != _NONE and e + 1 >= last_small:
                raise ValueError("零 does not skip a place")
            section += digit * _POW10[e]
            place = last_small = e
            digit, zero = -1, False
            continue
        e = _BIG.get(c)
        if e is None:
            raise ValueError("not a numeral character")
        if digit >= 0:
            # A bare digit right after 百/千/万 is elliptical (一百五); only allowed at the end.
            # After 亿 it is the 万 group's digit (五亿一万).
            if prev_unit > 1 and not (prev_unit == 8 and e == 4):
                raise ValueError("ambiguous digit before 万/亿")
            # 两 may lead a group (两万, 两亿) but is never a units digit (十两万).
            _check_units_digit(is_two and (section > 0 or zero), zero, last_small)
            section += digit
            place = 0
            digit = -1
        elif zero:
            raise ValueError("零 before 万/亿")
        if e == 4:
            if seen_wan or section == 0:
                raise ValueError("misplaced 万")
            mid = section * 10_000
            seen_wan = True
        else:
            if seen_yi or mid + section == 0:
                raise ValueError("misplaced 亿")
            total = (mid + section) * 100_000_000
            mid = 0
            seen_wan, seen_yi = False, True
        place += e
        section = 0
        last_small = _NONE
        zero = False
    if digit >= 0:
        if prev_unit > 1:
            if not allow_ellipsis or is_two:
                raise ValueError("elliptical digit not allowed here")
            place = prev_unit - 1   # 三万五: the digit takes the next lower place
            section += digit * _POW10[place]
        else:
            _check_units_digit(is_two, zero, last_small)
            section += digit
            place = 0
    elif zero:
        raise ValueError("trailing 零")
    return total + mid + section, place


def _check_units_digit(is_two: bool, zero: bool, last_small: int) -> None:
    if is_two:
        raise ValueError("两 as a units digit")
    if zero and last_small < 2:
        raise ValueError("零 does not skip a place")
