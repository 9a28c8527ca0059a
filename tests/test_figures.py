"""The figure reader on passages written for these tests, then on the sample reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.config import load_config
from auditor.errors import ConfigError
from auditor.extract.figures import extract_figures
from tests.conftest import ROOT


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


# --- spaces inside a figure ----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        ("调解成功率达96.25 %。", "96.25 %", "96.25", "%"),
        ("同比下降 7.7 %,", "7.7 %", "7.7", "%"),
        ("设立公共法律服务室 15 个。", "15 个", "15", "个"),
        ("全区共有 219 个村(居),", "219 个", "219", "个"),
        ("受理申请 17 件,", "17 件", "17", "件"),
        ("办理案件29 757件。", "29 757件", "29757", "件"),
        ("办理案件 29 757 件。", "29 757 件", "29757", "件"),
        ("参训1 204 人次,", "1 204 人次", "1204", "人次"),
    ],
)
def test_spaces_before_the_unit_and_between_thousands(config, text, surface, value, unit):
    fact = only(text, config)
    assert (fact.text, fact.value, fact.unit) == (surface, Decimal(value), unit)


@pytest.mark.parametrize(
    "row, values",
    [
        ("（七）总计 120 300 0 0 0 0 420\n", (120, 300, 0, 0, 0, 0, 420)),
        ("行政许可 1 250 836\n", (1, 250, 836)),
        ("三、本年度办理结果 12 345 0 0 0 0 357\n", (12, 345, 0, 0, 0, 0, 357)),
    ],
)
def test_numbers_of_a_table_row_are_not_joined_into_thousands(config, row, values):
    # 29 757 is one figure only before a unit: the cells of a row are several
    assert [f.value for f in figures(row, config) if f.value is not None] == [Decimal(v) for v in values]


# --- Chinese numerals inside words -----------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "初次信访事项一次性化解率达96.83%",
        "落实一次性告知制度",
        "向困难群众发放一次性生活补助",
        "党的一元化领导",
        "推行“一站式”服务和一体化平台",
        "压实一把手责任,充实一线力量,推进一网通办",
        "高效办成一件事",
        "加快建设全省一张网",
        "按照省政府统一部署",
        "唯一一次",
        "一部分群众",
        "由六部分组成",
        "每一个部门都要落实",
        "每一所学校",
    ],
)
def test_numerals_inside_words_are_no_counts(config, text):
    assert [f.text for f in figures(text, config) if f.kind in ("count", "money", "measure")] == []


def test_a_one_off_rate_is_read_without_a_count_of_one(config):
    found = figures("初次信访事项一次性办结率为98.41%;", config)
    assert [(f.text, f.kind) for f in found] == [("98.41%", "rate")]


@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        ("召开常务会议一次,研究法治工作", "一次", 1, "次"),
        ("开展业务培训两次", "两次", 2, "次"),
        ("全年召开了两次会议", "两次", 2, "次"),
        ("举办一期培训班", "一期", 1, "期"),
        ("建成一个化工园区", "一个", 1, "个"),        # 化工 is a word of its own
        ("有五十三个化学工业企业", "五十三个", 53, "个"),  # after 五十三, 化 begins 化学
        ("两类性质不同的矛盾", "两类", 2, "类"),
        ("举办两期专题讲座", "两期", 2, "期"),
    ],
)
def test_counts_written_in_chinese_numerals_stay_counts(config, text, surface, value, unit):
    fact = only(text, config, kind="count")
    assert (fact.text, fact.value, fact.unit) == (surface, Decimal(value), unit)


def test_a_numbered_whole_made_of_parts_is_no_count_of_parts(config):
    # 3部分: 部 begins 部分 (part), so the number has no unit
    assert [(f.text, f.kind) for f in figures("报告由3部分组成", config)] == [("3", "number")]


@pytest.mark.parametrize(
    "text, surface",
    [
        ("按照十三届全国人大一次会议批准的计划", "一次"),
        ("市政协十三届四次会议以来", "四次"),
        ("区一届人大五次会议共收到建议168件", "五次"),
        ("實施天然林保護二期工程", "二期"),
        ("在新媒体平台二次传播", "二次"),
        ("破除城乡二元结构", "二元"),
    ],
)
def test_session_numbers_and_ranks_are_ordinals(config, text, surface):
    fact = next(f for f in figures(text, config) if f.text == surface)
    assert fact.kind == "ordinal"
    assert all(f.kind != "count" or f.text != surface for f in figures(text, config))


def test_a_meeting_held_once_is_a_count_without_a_session_before_it(config):
    fact = only("今年召开一次会议专题研究,另于三届政府成立时", config, kind="count")
    assert (fact.text, fact.value) == ("一次", Decimal(1))


# --- units --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, surface, kind, unit",
    [
        ("办理时限压缩至5个工作日", "5个工作日", "measure", "个工作日"),
        ("用时三个月完成", "三个月", "measure", "个月"),
        ("全年四个季度", "四个季度", "measure", "个季度"),
        ("治理面积1.2万平方公里", "1.2万平方公里", "measure", "平方公里"),
        ("主動公開政府資訊606條", "606條", "count", "條"),
        ("辦結事項38項", "38項", "count", "項"),
    ],
)
def test_lengths_of_time_and_traditional_units(config, text, surface, kind, unit):
    fact = only(text, config)
    assert (fact.text, fact.kind, fact.unit) == (surface, kind, unit)


def test_traditional_qualifiers_bound_the_figure(config):
    fact = only("發布信息約5.2萬條", config)
    assert fact.qualifier == "約" and fact.lo < 52000 < fact.hi and fact.hi < float("inf")
    assert only("超過300條", config).lo == 300 and only("超過300條", config).hi == float("inf")


@pytest.mark.parametrize(
    "text, value",
    [
        ("受灾农田一亿六千余万亩", 160_000_000),
        ("原煤产量达到七亿七千多万吨", 770_000_000),
        ("損失二十五億七千多萬元", 2_570_000_000),
        ("3千多万人", 30_000_000),
        ("1100多万人", 11_000_000),
    ],
)
def test_a_multiplier_after_the_qualifier_multiplies_the_last_section(config, text, value):
    fact = only(text, config)
    assert fact.value == Decimal(value) and fact.lo == value and fact.hi == float("inf")


@pytest.mark.parametrize(
    "text, surface",
    [("电话:0517-87290606。", "0517-87290606"), ("咨询电话0311-8589188,", "0311-8589188")],
)
def test_a_telephone_number_is_a_name_not_a_period(config, text, surface):
    assert [(f.text, f.kind) for f in figures(text, config)] == [(surface, "name")]


def test_a_period_does_not_end_inside_a_digit_run(config):
    assert [(f.text, f.kind) for f in figures("《规划(2021-2025年)》", config)] == [("2021-2025年", "period")]
    assert "period" not in {f.kind for f in figures("行政处罚2648-18538行政强制", config)}


# --- line breaks of the page layout ------------------------------------------------------

def _laid_out(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


# Text as taken from a PDF: the page's lines of about 25 characters, cut inside words and figures.
LAID_OUT = _laid_out([
    "一、总体情况",
    "本年度,区政府办公室坚持以人民为中心,持续深化政务",
    "公开,不断提升公开质量和实效,各项工作有序推进。区",
    "政府办公室代表区政府依法受理并及时转办各类政府",
    "信息公开申请 17 件,均在法定期限内予以答复。",
    "二、主动公开情况",
    "全年在区政府门户网站主动公开各类政府信息 2428 条",
    ",通过政务新媒体同步公开了区政府全体常务会议 7",
    "期,解读信息发布 9 条,回应社会关切问题 36 个,进",
    "一步提升了政府工作透明度,保障了群众的知情权、参与",
    "权和监督权,政务公开工作取得了新的成效和进步。",
    "三、存在的主要问题",
    "对照上级要求和群众期盼,我区政府信息公开工作仍存在",
    "一些不足,主要是个别部门主动公开意识不强,公开内容",
    "不够全面,政策解读形式还不够丰富,回应关切还不够及",
    "时,需要在今后工作中切实加以改进和提高,不断推动政",
    "务公开工作再上新台阶,更好地服务全区经济社会发展。",
])


def test_laid_out_text_is_recognised_and_its_figures_keep_their_offsets(config):
    found = figures(LAID_OUT, config)
    for fact in found:
        assert LAID_OUT[fact.start:fact.end] == fact.text


def test_a_label_is_read_across_a_layout_line_break(config):
    fact = next(f for f in figures(LAID_OUT, config) if f.value == 17)
    assert fact.label == "区政府办公室代表区政府依法受理并及时转办各类政府信息公开申请"
    assert (fact.kind, fact.unit) == ("count", "件")


def test_a_unit_is_read_across_a_layout_line_break(config):
    fact = next(f for f in figures(LAID_OUT, config) if f.text.startswith("7"))
    assert (fact.text, fact.kind, fact.unit, fact.value) == ("7\n期", "count", "期", Decimal(7))
    assert fact.label == "通过政务新媒体同步公开了区政府全体常务会议"


def test_a_heading_line_is_no_part_of_a_label(config):
    # One paragraph to a line: every line break ends its paragraph, the heading's words stay out.
    text = "二、行政复议受理情况\n全年共收到行政复议申请 17 件,依法受理 15 件。\n"
    first = figures(text, config)[0]
    assert first.label == "全年共收到行政复议申请"


def test_a_table_row_at_the_end_of_a_full_line_takes_no_unit_from_the_next(config):
    rows = _laid_out(["（一）予以公开本机关主动公开的信息 50 0 0 0 0 0 1", "件数统计另行说明"] * 12)
    assert all(f.kind != "count" for f in figures(rows, config))


def test_numeral_words_in_the_vocabulary_are_checked(tmp_path):
    import shutil

    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    path = folder / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  set_phrases:", "  phrases:"), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown numeral_words key"):
        load_config(folder)
    path.write_text(text.replace("  set_phrases: [", "  set_phrases: [[", 1).replace("一条龙]", "一条龙]]", 1),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="numeral_words.set_phrases"):
        load_config(folder)


def test_a_negative_rate_is_a_percentage_not_a_share(config):
    """贡献率为-8.6%: a contribution may be negative; only a proportion must lie in 0–100%."""
    [fact] = [f for f in extract_figures("货物和服务净出口的贡献率为-8.6%。", config.vocabulary, config.thresholds)
              if f.unit == "%"]
    assert fact.kind == "percent" and fact.value == Decimal("-8.6")


@pytest.mark.parametrize("text, kinds", [
    ("住房保障43件(30.2%);物业服务17件（12.3%）。", ["count", "rate", "count", "rate"]),  # a count's share
    ("完成投资12亿元(完成计划的108%)。", ["money", "percent"]),                        # no share: words in the bracket
    ("全年增长(8.5%)。", ["percent"]),                                                  # no count before it
])
def test_a_percentage_alone_in_brackets_after_a_count_is_its_share(config, text, kinds):
    facts = extract_figures(text, config.vocabulary, config.thresholds)
    assert [f.kind for f in facts] == kinds
