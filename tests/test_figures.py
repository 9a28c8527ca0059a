"""The figure reader on passages written for these tests, then on the sample reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.extract.figures import extract_figures


def figures(text, config):
    return extract_figures(text, config.vocabulary, config.thresholds)


def only(text, config, kind=None):
    found = [f for f in figures(text, config) if kind is None or f.kind == kind]
    assert len(found) == 1, [(f.text, f.kind) for f in found]
    return found[0]


@pytest.mark.parametrize(
    "text, surface, value, unit, lo, hi",
    [
        ("共办理案件62件。", "62件", "62", "件", 62, 62),
        ("参训人员1.2万余人次。", "1.2万余人次", "12000", "人次", 12000, float("inf")),
        ("整改金额2.23亿元。", "2.23亿元", "223000000", "元", 222500000, 223500000),
        ("收缴保证金2180.99万元。", "2180.99万元", "21809900", "元", 21809850, 21809950),
        ("调解成功率为97.5%。", "97.5%", "97.5", "%", 97.45, 97.55),
        ("成功率达99 %。", "99 %", "99", "%", 98.5, 99.5),
        ("另两次未能出庭。", "两次", "2", "次", 2, 2),
        ("开展活动200余场。", "200余场", "200", "场", 200, float("inf")),
        ("共有16500多名人员参加。", "16500多名", "16500", "名", 16500, float("inf")),
        ("信息12,077条。", "12,077条", "12077", "条", 12077, 12077),
        ("聘请律师十二名。", "十二名", "12", "名", 12, 12),
        ("日均新设企业1万6千多户。", "1万6千多户", "16000", "户", 16000, float("inf")),
        ("高速铁路运营里程2万5千公里。", "2万5千公里", "25000", "公里", 24500, 25500),
        ("国内生产总值达到7 4 7 7 2 亿元。", "7 4 7 7 2 亿元", "7477200000000", "元", 7477150000000, 7477250000000),
        ("机床一萬三千五百十三台。", "一萬三千五百十三台", "13513", "台", 13512.5, 13513.5),
        ("損失十八億餘元。", "十八億餘元", "1800000000", "元", 1800000000, float("inf")),
        ("涉及六万万人民。", "六万万人", "600000000", "人", 550000000, 650000000),
        ("参加人数二十几万人。", "二十几万人", "200000", "人", 200000, 300000),
        ("共1000  万人。", "1000  万人", "10000000", "人", 9995000, 10005000),
    ],
)
def test_quantities(config, text, surface, value, unit, lo, hi):
    fact = only(text, config)
    assert (fact.text, fact.unit) == (surface, unit)
    assert fact.value == Decimal(value)
    assert fact.lo == pytest.approx(lo) and fact.hi == pytest.approx(hi)


@pytest.mark.parametrize(
    "text, surface, kind",
    [
        ("2020年,我县", "2020年", "year"),
        ("于2020年3月27日召开", "2020年3月27日", "date"),
        ("发布时间:2021-02-25", "2021-02-25", "date"),
        ("长政发〔2019〕2号", "〔2019〕2号", "docno"),
        ("市政府第31次常务会议", "第31次", "ordinal"),
        ("《纲要(2015-2020年)》", "2015-2020年", "period"),
        ("以“白加黑,5+2”的模式", "5+2", "slogan"),
        ("聚焦二〇三五年远景目标", "二〇三五年", "year"),
        ("同比下降4.8%", "4.8%", "change"),
        ("比去年增加10项", "10项", "change"),
        ("“12345”政府服务热线", "12345", "name"),
        ("由40元提高到80元", "80元", "change"),
        ("比一九五七年的七百零四亿元增长", "七百零四亿元", "change"),
        ("比计划规定的单位数多二百二十七个", "二百二十七个", "change"),
        ("完成年度计划的115%", "115%", "percent"),
        ("占预算数的106.48%", "106.48%", "percent"),
        ("满意度达98%", "98%", "rate"),
        ("按期办结率继续保持高位,达到99.8%", "99.8%", "rate"),
        ("办结率达百分之百", "百分之百", "rate"),
        ("历史长达2600年", "2600年", "measure"),
        ("农业税长达2600年", "2600年", "measure"),
        ("1 9 9 7 年国内生产总值", "1 9 9 7 年", "year"),
        ("1 9 9 9 年1 2 月2 0 日回到祖国", "1 9 9 9 年1 2 月2 0 日", "date"),
        ("六個百分點", "六個百分點", "change"),
        ("平均每年遞增百分之三十六點九", "百分之三十六點九", "change"),
    ],
)
def test_figures_that_are_not_counts_keep_their_kind(config, text, surface, kind):
    fact = next(f for f in figures(text, config) if f.text == surface)
    assert fact.kind == kind


@pytest.mark.parametrize("text", ["一是强化组织领导", "党的十九大精神", "十分重视", "执法队伍分工", "进一步统一思想",
                                  "几十万人", "千兆光网建设", "一 二 三", "参加会议", "千万不要", "5千米跑", "十兆瓦"])
def test_chinese_numerals_in_words_are_not_figures(config, text):
    assert [f.text for f in figures(text, config) if f.kind in ("count", "money", "rate")] == []


def test_spaced_digits_are_one_numeral_only_before_a_unit(config):
    # A table row written with spaces is several numbers; the 1998 report's 7 4 7 7 2 亿元 is one.
    row = [f.value for f in figures("四、结转下年度继续办理 1 0 0 0 0 0 1\n", config) if f.value is not None]
    assert row == [Decimal(v) for v in (1, 0, 0, 0, 0, 0, 1)]
    assert [f.value for f in figures("增长1 5 ．3 ％，", config)] == [Decimal("15.3")]


def test_a_long_digit_run_is_no_figure(config):
    assert [f.value for f in figures("共" + "9" * 500 + "件", config) if f.value is not None] == []


def test_traditional_percentage_points_take_the_canonical_unit(config):
    fact = only("提高了六個百分點", config)
    assert (fact.value, fact.unit) == (Decimal(6), "个百分点")


def test_every_offset_slices_back_to_the_quoted_text(config):
    from tests.conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for fact in figures(text, config):
            assert text[fact.start:fact.end] == fact.text


# --- decimal points written as a full stop ---------------------------------------------------

@pytest.mark.parametrize(
    "text, surface, value, unit, kind",
    [
        ("提交提案412件,立案378件,立案率91。7%;", "91。7%", "91.7", "%", "rate"),
        ("其中农业类23件,占5。6%。", "5。6%", "5.6", "%", "rate"),
        ("已办复的318件,占提案总数的77。18%。", "77。18%", "77.18", "%", "rate"),
        ("群众满意率93・4%", "93・4%", "93.4", "%", "rate"),
        ("全年财政收入2。57亿元。", "2。57亿元", "257000000", "元", "money"),
        ("比上年提高了1。5个百分点", "1。5个百分点", "1.5", "个百分点", "change"),
        ("占比为45。6 %,", "45。6 %", "45.6", "%", "rate"),
    ],
)
def test_a_full_stop_between_digits_before_a_percent_sign_or_multiplier_is_a_decimal_point(
        config, text, surface, value, unit, kind):
    fact = next(f for f in figures(text, config) if f.start <= text.index(surface) < f.end)
    assert (fact.text, fact.value, fact.unit, fact.kind) == (surface, Decimal(value), unit, kind)


@pytest.mark.parametrize(
    "text, read",
    [
        # a sentence that ends after a unit or a percent sign: the next one starts with a figure
        ("全年共受理12件。3月份起实行网上受理。", ["12件", "3月份"]),
        ("按期办结率达到98%。2021年以来未发生超期。", ["98%", "2021年"]),
        # a bare number ends the sentence: a year or a count of people follows, no percent sign
        ("累计公开信息总数为1136。2023年新增信息。", ["1136", "2023年"]),
        ("参加人员共计45。6名干部未参加。", ["45", "6名"]),
        ("编号为12。3", ["12", "3"]),
    ],
)
def test_a_full_stop_that_ends_a_sentence_stays_a_sentence_end(config, text, read):
    assert [f.text for f in figures(text, config)] == read
