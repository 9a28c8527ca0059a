"""Rates stated right after a part of a list, of a kind the vocabulary does not know.

Reads:  共制发规范性文件72件…。其中,在法定期限内报送备案的45件,备案及时率63.5%
                                      -> 63.5% against 45 / 72: the part over the list's total
Leaves: 开展培训12次,培训覆盖率98%    -> 12 is the part of no list: nothing names the whole
        其中,办结156件,办结率99.4%      -> a rate vocabulary.yaml knows (结案率): read there

Two readings: the part over each total its list may break down, or the part as the base of a
count the passage leaves unstated (of the 45 filed, some whole number 63.5% gives). The second
is out when the rate's name repeats the part's own words (网上申请60件,网上申请率75%; 报送备案的
45件,备案及时率…): the part is what the rate counts. Otherwise the rate is checked only when no
whole count of the part gives it. It is flagged when no total gives it either.
"""

from __future__ import annotations

from fractions import Fraction

from auditor.extract.figures import Fact
from auditor.extract.relations.model import RateReading
from auditor.extract.relations.passage import QUANTITY_KINDS, Passage


def read(passage: Passage) -> None:
    values, builder = passage.values, passage.builder
    known = {template.rate for template in passage.vocabulary.rates}
    for i, rate in enumerate(values):
        if rate.kind != "rate" or i == 0 or builder.rated(rate) or passage.is_share(rate):
            continue
        if rate.metric in known:
            continue  # 败诉率: its base is what vocabulary.yaml names (审结), not the part's list
        part = values[i - 1]
        if part.kind not in QUANTITY_KINDS or not _right_after(passage, part, rate):
            continue
        breakdown = passage.breakdown_of_part(part)
        if breakdown is None or (not _names_the_part(rate, part) and _some_count_gives(builder, part, rate)):
            continue
        builder.rates("part_rate", part.family, rate,
                      [RateReading([part], [total], f"the part over the list's total ({how})")
                       for total, how in breakdown.totals])


def _right_after(passage: Passage, part: Fact, rate: Fact) -> bool:
    """Only the rate's own label between: 45件,备案及时率63.5%."""
    between = passage.text[part.end:rate.start - len(rate.label)]
    return between.strip("，, ") == "" and "率" in rate.label


def _names_the_part(rate: Fact, part: Fact) -> bool:
    """备案及时率 after 报送备案的45件: the rate's name holds two characters of the part's label."""
    name = rate.label[:rate.label.rfind("率")]
    return any(name[i:i + 2] in part.label for i in range(len(name) - 1))


def _some_count_gives(builder, part: Fact, rate: Fact) -> bool:
    """Some whole count k of the part's (0 <= k <= part) gives the rate: the part may be its base."""
    bounds = builder.exact(rate)
    if bounds is None or part.value is None or part.value != part.value.to_integral_value():
        return True  # no whole-number test possible: the part may well be the base
    lo, hi = bounds
    base = Fraction(part.value)
    if base <= 0:
        return True
    for k in (int(lo * base / 100), int(lo * base / 100) + 1):
        if 0 <= k <= base and lo <= Fraction(k) / base * 100 <= hi:
            return True
    return False
