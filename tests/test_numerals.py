"""Tests for auditor.ingest.numerals: exact values, ulps, rejections and the search patterns."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.ingest.numerals import (
    ARABIC_NUMBER_PATTERN,
    CHINESE_NUMBER_PATTERN,
    Number,
    parse_number,
)

ARABIC_RE = regex.compile(ARABIC_NUMBER_PATTERN)
CHINESE_RE = regex.compile(CHINESE_NUMBER_PATTERN)

ARABIC_CASES = [
    ("62", "62", "1"),
    ("0", "0", "1"),
    ("97.5", "97.5", "0.1"),
    ("0.05", "0.05", "0.01"),
    ("12,077", "12077", "1"),
    ("12，077", "12077", "1"),
    ("1,234,567.89", "1234567.89", "0.01"),
    ("29 757", "29757", "1"),
    ("1 234 567", "1234567", "1"),
    ("99·59", "99.59", "0.01"),
    ("99•59", "99.59", "0.01"),
    ("3．5", "3.5", "0.1"),
    ("１２３", "123", "1"),
    ("１２，０７７．５", "12077.5", "0.1"),
    ("-5", "-5", "1"),
    ("−5.2", "-5.2", "0.1"),
    ("－3", "-3", "1"),
    ("+7", "7", "1"),
    ("负3.5", "-3.5", "0.1"),
    ("正12", "12", "1"),
    ("007", "7", "1"),
    ("2000", "2000", "1"),
    (" 62 ", "62", "1"),
]

MULTIPLIER_CASES = [
    ("3.84亿", "384000000", "1000000"),
    ("2880万", "28800000", "10000"),
    ("1.2万", "12000", "1000"),
    ("4.78万亿", "4780000000000", "10000000000"),
    ("23.07亿", "2307000000", "1000000"),
    ("1萬", "10000", "10000"),
    ("2.5億", "250000000", "10000000"),
    ("3千万", "30000000", "10000000"),
    ("1.5百万", "1500000", "100000"),
    ("1.2千亿", "120000000000", "10000000000"),
    ("12,345万", "123450000", "10000"),
    ("-0.5亿", "-50000000", "10000000"),
    ("1", "1", "1"),
    # A decimal without its leading zero.
    (".5", "0.5", "0.1"),
    ("-.5", "-0.5", "0.1"),
    ("．25", "0.25", "0.01"),
]

# Arabic digits with Chinese place values: the ulp is the place of the last Arabic digit.
MIXED_CASES = [
    ("25万6千", "256000", "1000"),
    ("3万4000", "34000", "1"),
    ("5万4千6百", "54600", "100"),
    ("5亿1万4千6百", "500014600", "100"),
    ("1千零20", "1020", "1"),
    ("1千零1", "1001", "1"),
    ("2千零30万", "20300000", "10000"),
    ("1万6千", "16000", "1000"),
    ("3万5千", "35000", "1000"),
    ("1亿5000万", "150000000", "10000"),
    ("5亿4千万", "540000000", "10000000"),
    ("4百零5万", "4050000", "10000"),
    ("3万零400", "30400", "1"),
    ("５萬４千", "54000", "1000"),
    ("7萬5仟4佰", "75400", "100"),
]

CHINESE_CASES = [
    ("零", "0", "1"),
    ("〇", "0", "1"),
    ("五", "5", "1"),
    ("两", "2", "1"),
    ("十", "10", "10"),
    ("十五", "15", "1"),
    ("二十", "20", "10"),
    ("一十五", "15", "1"),
    ("三千", "3000", "1000"),
    ("三千零五", "3005", "1"),
    ("一百零八", "108", "1"),
    ("一千零五十", "1050", "10"),
    ("一千零十", "1010", "10"),
    ("三万零二百", "30200", "100"),
    ("一百零八亿", "10800000000", "100000000"),
    ("八千一百九十九万", "81990000", "10000"),
    ("四万五千", "45000", "1000"),
    ("一亿二千万", "120000000", "10000000"),
    ("十万", "100000", "100000"),
    ("两千", "2000", "1000"),
    ("两万三千", "23000", "1000"),
    ("两亿", "200000000", "100000000"),
    ("一万两千", "12000", "1000"),
    ("一千二百三十四万五千六百七十八", "12345678", "1"),
    ("四万亿", "4000000000000", "1000000000000"),
    ("三万五千亿", "3500000000000", "100000000000"),
    ("三万亿零五百万", "3000005000000", "1000000"),
    ("一亿零五百万", "105000000", "1000000"),
    ("一百〇八", "108", "1"),
    # Elliptical: the last digit takes the next lower place.
    ("三万五", "35000", "1000"),
    ("一百五", "150", "10"),
    ("三千五", "3500", "100"),
    ("一亿五", "150000000", "10000000"),
    # Traditional / banking forms.
    ("壹佰贰拾", "120", "10"),
    ("貳仟零伍", "2005", "1"),
    ("叁萬肆仟", "34000", "1000"),
    ("陸億", "600000000", "100000000"),
    ("玖拾捌", "98", "1"),
    ("參拾柒", "37", "1"),
    ("廿", "20", "10"),
    ("廿五", "25", "1"),
    ("一百廿", "120", "10"),
    # Decimals with 点, optionally followed by a multiplier.
    ("三十六点九", "36.9", "0.1"),
    ("零点五", "0.5", "0.1"),
    ("三点一四", "3.14", "0.01"),
    ("三点五万", "35000", "1000"),
    ("十二点五亿", "1250000000", "10000000"),
    ("一点二万亿", "1200000000000", "100000000000"),
    ("三十六點九", "36.9", "0.1"),
    ("两点五", "2.5", "0.1"),
    # Digit by digit.
    ("二〇三五", "2035", "1"),
    ("一九九八", "1998", "1"),
    ("二零二三", "2023", "1"),
    ("〇五", "5", "1"),
    # Signs.
    ("负三", "-3", "1"),
    ("负三十六点九", "-36.9", "0.1"),
    ("正五", "5", "1"),
    ("-一百", "-100", "100"),
    ("負三十二", "-32", "1"),
    # 十 right after 百 needs no digit of its own.
    ("二百十七", "217", "1"),
    ("一万三千五百十三", "13513", "1"),
    ("五百十", "510", "10"),
    # 万 right after 亿 takes the digit between them (五亿一万), 万万 is an old 亿, 兆 is 10**12
    # when lower places follow it.
    ("五亿一万", "500010000", "10000"),
    ("六万万", "600000000", "100000000"),
    ("四万万五千万", "450000000", "10000000"),
    ("五兆六十二亿四万五千二", "5006200045200", "100"),
    ("四十九兆九千五百九十二億", "49959200000000", "100000000"),
]

INVALID = [
    "",
    " ",
    "万",
    "亿",
    "百",
    "千万",
    "万亿",
    "1,23",
    "1,2345",
    "1234,567",
    "0,123",
    "12 34",
    "1  234",
    "1.",
    "·5",
    ".",
    "-.",
    "1.2.3",
    "abc",
    "1e5",
    "12a",
    "1 2",
    "3 4",
    "12 345,678",
    "三 四",
    "1千",
    "5千",
    "4百",
    "12千",
    "3亿4000",
    "25万6",
    "1千零05",
    "1千零5百",
    "--5",
    "-",
    "负",
    "负负三",
    "十两",
    "十两万",
    "一百零两万",
    "一百两",
    "两十",
    "二两",
    "一二百",
    "五万万万",
    "一亿万万",
    "一兆",
    "五兆",
    "十兆五",
    "一亿二亿",
    "十二十",
    "一百零",
    "零五十",
    "一千零五百",
    "一十零五",
    "一百五万",
    "三万五亿",
    "一百五点五",
    "三点",
    "点五",
    "三点两",
    "三点五百",
    "三点五点六",
    "一万十五",
    "一千十五",
    "百十",
    "1" * 200,
]


@pytest.mark.parametrize("text, value, ulp", ARABIC_CASES + MULTIPLIER_CASES + MIXED_CASES + CHINESE_CASES)
def test_parse(text: str, value: str, ulp: str) -> None:
    number = parse_number(text)
    assert number == Number(Decimal(value), Decimal(ulp))
    # Exact representation, not just numeric equality: no stray exponent or trailing zeros.
    assert str(number.value) == value
    assert str(number.ulp) == ulp


@pytest.mark.parametrize("text", INVALID)
def test_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_near_misses_that_are_valid() -> None:
    # A digit run may contain only zeros, and 一零 is a digit run (10), not a misplaced 零.
    assert parse_number("零零") == Number(Decimal(0), Decimal(1))
    assert parse_number("一零") == Number(Decimal(10), Decimal(1))


@pytest.mark.parametrize("text", [t for t, _, _ in ARABIC_CASES + MULTIPLIER_CASES + MIXED_CASES if t == t.strip()])
def test_arabic_pattern_matches_whole_surface(text: str) -> None:
    assert ARABIC_RE.fullmatch(text), text


@pytest.mark.parametrize("text", [t for t, _, _ in CHINESE_CASES if t[0] not in "-"])
def test_chinese_pattern_matches_whole_surface(text: str) -> None:
    assert CHINESE_RE.fullmatch(text), text


@pytest.mark.parametrize(
    "text, found",
    [
        ("收入3.84亿元，增长12,077人", ["3.84亿", "12,077"]),
        ("2019-2020年", ["2019", "2020"]),
        ("下降-5.2%", ["-5.2"]),
        ("共29 757件", ["29 757"]),
        ("1,2345", ["1", "2345"]),
        ("日均新设企业1万6千多户", ["1万6千"]),
        ("里程2万5千公里，5千米", ["2万5千", "5"]),
        ("25万亿元", ["25万亿"]),
        ("3亿4000", ["3亿", "4000"]),
        ("2019年3万4000人", ["2019", "3万4000"]),
        ("1.2.5和.5", ["1.2", ".5"]),  # no number starts after a digit and a point
        # 。 and ・ are decimal points only before a percent sign, 个百分点 or a multiplier
        ("立案率82。3%;", ["82。3"]),
        ("占86・42 %", ["86・42"]),
        ("增长3。84亿元", ["3。84亿"]),
        ("提高1。2个百分点", ["1。2"]),
        ("共受理12件。3月份", ["12", "3"]),
        ("总数为125。2021年", ["125", "2021"]),
        ("编号12。3", ["12", "3"]),
    ],
)
def test_arabic_pattern_in_text(text: str, found: list[str]) -> None:
    assert [m.group() for m in ARABIC_RE.finditer(text)] == found


@pytest.mark.parametrize(
    "text, found",
    [
        ("办理一百零八件，千万不要", ["一百零八"]),
        ("万一出现", []),  # 万一 means "in case"
        ("百分之三十六点九", ["三十六点九"]),
        ("增长三点五万人", ["三点五万"]),
        ("二〇三五年远景目标", ["二〇三五"]),
        ("负三度", ["负三"]),
        ("一百 五 十 二个", ["一百 五 十 二"]),
        ("四点 五个百分点", ["四点 五"]),
        ("二十几万个", ["二十几万"]),
        ("几十万人", []),  # 几 never starts a numeral, and nothing after it does
    ],
)
def test_chinese_pattern_in_text(text: str, found: list[str]) -> None:
    assert [m.group() for m in CHINESE_RE.finditer(text)] == found


def test_patterns_have_no_groups_and_survive_verbose() -> None:
    for pattern in (ARABIC_NUMBER_PATTERN, CHINESE_NUMBER_PATTERN):
        assert regex.compile(pattern).groups == 0
        assert regex.compile(pattern, regex.VERBOSE).pattern == pattern
    assert regex.compile(ARABIC_NUMBER_PATTERN, regex.VERBOSE).fullmatch("29 757")


def test_number_is_frozen_and_hashable() -> None:
    number = parse_number("1.2万")
    with pytest.raises(AttributeError):
        number.value = Decimal(1)  # type: ignore[misc]
    assert hash(number) == hash(Number(Decimal(12000), Decimal(1000)))


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------
NUMERAL_ALPHABET = (
    "0123456789０１２３４５６７８９,，.．·• -−－+负正"
    "〇零一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億廿卅点點"
)
ARABIC_ALPHABET = "0123456789０９,，.．·• -+负万亿千百萬"


def _parse_or_none(text: str) -> Number | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=NUMERAL_ALPHABET, max_size=12)))
def test_only_value_error(text: str) -> None:
    number = _parse_or_none(text)
    if number is not None:
        assert isinstance(number.value, Decimal) and isinstance(number.ulp, Decimal)
        assert number.ulp > 0


@settings(max_examples=500)
@given(st.text(alphabet=ARABIC_ALPHABET, min_size=1, max_size=12))
def test_arabic_pattern_agrees_with_parser(text: str) -> None:
    # Surrounding whitespace is stripped by the parser but never part of a match.
    if text != text.strip():
        return
    assert (ARABIC_RE.fullmatch(text) is not None) == (_parse_or_none(text) is not None), text


@settings(max_examples=500)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n: int) -> None:
    for text in (str(n), f"{n:,}", f"{n:,}".replace(",", "，"), f"{n:,}".replace(",", " ")):
        assert parse_number(text) == Number(Decimal(n), Decimal(1)), text


@settings(max_examples=500)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip(d: Decimal) -> None:
    text = f"{d:f}"
    number = parse_number(text)
    assert number.value == d
    assert number.ulp == Decimal(1).scaleb(d.as_tuple().exponent)


# Standard positional Chinese, written independently of the parser under test.
_CN_DIGITS = "零一二三四五六七八九"


def _cn_section(n: int) -> str:
    """1..9999 without leading 零; a 零 marks each run of skipped places."""
    out, gap = "", False
    for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // power % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += _CN_DIGITS[d] + unit
    return out


def to_chinese(n: int) -> str:
    """0..99,999,999 in standard Chinese positional form: 10 -> 十, 10015 -> 一万零一十五."""
    if not 0 <= n < 10**8:
        raise ValueError(n)
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    out = _cn_section(high) + "万" if high else ""
    if low:
        out += ("零" if high and low < 1000 else "") + _cn_section(low)
    return _shorten(out)


def _shorten(out: str) -> str:
    """A leading 一十 is written 十 (十五, 十五万)."""
    return "十" + out[2:] if out.startswith("一十") else out


def _trailing_zero_ulp(n: int) -> int:
    ulp = 1
    while n and n % (ulp * 10) == 0:
        ulp *= 10
    return ulp


@pytest.mark.parametrize(
    "n, text",
    [(0, "零"), (10, "十"), (15, "十五"), (108, "一百零八"), (1050, "一千零五十"), (10015, "一万零一十五"),
     (150000, "十五万"), (30200, "三万零二百"), (81990000, "八千一百九十九万"), (100001, "十万零一")],
)
def test_formatter(n: int, text: str) -> None:
    assert to_chinese(n) == text


def test_chinese_round_trip() -> None:
    rng = random.Random(20240601)
    samples = [rng.randrange(10**8) for _ in range(300)]
    samples += [rng.randrange(10**k) * 10 ** rng.randrange(8 - k + 1) for k in range(1, 8) for _ in range(20)]
    for n in samples:
        text = to_chinese(n)
        assert parse_number(text) == Number(Decimal(n), Decimal(_trailing_zero_ulp(n))), text


@pytest.mark.parametrize("text, value", [("82。3", "82.3"), ("86・42", "86.42"), ("3。84亿", "384000000"), ("0･5", "0.5")])
def test_a_full_stop_or_dot_as_decimal_point(text: str, value: str) -> None:
    assert parse_number(text).value == Decimal(value)


@pytest.mark.parametrize("text", ["。5", "・5"])
def test_a_full_stop_does_not_start_a_decimal(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
