"""The 72 State Council government work reports (1954–2025), read by `extract_figures`.

The corpus is `shared/corpora/government_work_reports.jsonl` next to the repository (`../shared`
from its root; the module is skipped when the file is absent): one JSON object per line with
title, content and year (None for the NPC resolutions on the reports). Simplified and
traditional script (1954), Chinese numerals (百分之三十六點九, 八千一百九十九萬噸), fullwidth
digits (1956: １３，７６２，０９０，０００元), ○ for zero (一九八○年), and one report (1998) whose
digits are spaced out (7 4 7 7 2 亿元, 1 9 9 7 年).

First every report is read without error and the figures satisfy invariants that hold whatever
the text. Then a sample of figures checked by hand against the text, across the decades: each
row is (year, surface text as it stands in the report, value, unit, kind, qualifier); the figure
must span exactly that surface. Rows the extractor gets wrong are strict xfails whose reason is
the diagnosis; the defects are listed below, most important first.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import pytest

from auditor.extract.figures import extract_figures

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "government_work_reports.jsonl"

if not CORPUS.is_file():
    pytest.skip(f"work-report corpus not found at {CORPUS} (../shared/corpora relative to the repository root)",
                allow_module_level=True)

N_REPORTS = 72
QUANTITY_KINDS = ("count", "money", "rate", "percent", "change", "measure")
MAX_YUAN = Decimal("1e16")  # about 80 times China's GDP in 2024; old-currency 1954 sums stay below


@pytest.fixture(scope="module")
def reports() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def extracted(reports, config) -> dict[str, tuple[str, list, BaseException | None]]:
    """report name -> (text, figures, error)."""
    result = {}
    for i, report in enumerate(reports):
        name = f"{i:02d} {report['year'] or '-'} {report['title']}"
        try:
            facts = extract_figures(report["content"], config.vocabulary, config.thresholds)
        except Exception as err:  # noqa: BLE001 - reported by test_every_report_is_read
            result[name] = (report["content"], [], err)
        else:
            result[name] = (report["content"], facts, None)
    return result


def test_every_report_is_read(reports, extracted):
    assert len(reports) == N_REPORTS
    assert {name: repr(err) for name, (_, _, err) in extracted.items() if err} == {}
    assert all(facts for _, facts, _ in extracted.values())


def test_offsets_slice_back(extracted):
    bad = [(name, f.text, f.start, f.end) for name, (text, facts, _) in extracted.items()
           for f in facts if text[f.start:f.end] != f.text]
    assert bad == []


def test_figures_are_in_order_and_do_not_overlap(extracted):
    for name, (_, facts, _) in extracted.items():
        assert [f.index for f in facts] == list(range(len(facts))), name
        for before, after in zip(facts, facts[1:]):
            assert before.start < before.end <= after.start, (name, before.text, after.text)


def test_quantities_have_values_inside_their_interval(extracted):
    bad = []
    for name, (_, facts, _) in extracted.items():
        for f in facts:
            if f.kind not in QUANTITY_KINDS:
                continue
            if f.value is None or math.isnan(f.lo) or math.isnan(f.hi) or not f.lo <= float(f.value) <= f.hi:
                bad.append((name, f.kind, f.text, f.value, f.lo, f.hi))
    assert bad == []


def test_units_match_kinds(extracted):
    bad = [(name, f.kind, f.text, f.unit) for name, (_, facts, _) in extracted.items() for f in facts
           if (f.kind == "money" and f.unit != "元") or (f.kind in ("rate", "percent") and f.unit != "%")]
    assert bad == []


def test_no_sum_of_money_above_1e16_yuan(extracted):
    bad = [(name, f.text, f.value) for name, (_, facts, _) in extracted.items() for f in facts
           if f.unit == "元" and f.value is not None and abs(f.value) > MAX_YUAN]
    assert bad == []


# ---------------------------------------------------------------------------------------------
# Defects found in the corpus are strict xfail rows below, with the diagnosis as the reason. None
# is open: fixed so far are Arabic digits with Chinese place values (1万6千多户, 2万5千公里), X百十Y
# (一萬三千五百十三台), traditional-script words (餘, 噸, 個百分點, 增長/遞增, 佔), digits spaced out by
# the layout (the 1998 report: 7 4 7 7 2 亿元) and a duration read as a year (长达2600年).
# ---------------------------------------------------------------------------------------------


def row(year, surface, value, unit, kind, qualifier="", where=None, defect=None):
    marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
    return pytest.param(year, where or surface, surface, value, unit, kind, qualifier,
                        marks=marks, id=f"{year}-{surface}")


# Every row was checked against the report text: `where` (default: the surface) is the first
# occurrence, and it is the occurrence quoted in the comment.
HAND_CHECKED = [
    # 1954, traditional script: 電力一百零八億度 … 原煤八千一百九十九萬噸 … 棉紗四百六十萬件
    row("1954", "一九四九年", "1949", "", "year"),
    row("1954", "百分之三十三", "33", "%", "change", where="比一九五二年增加了百分之三十三"),
    row("1954", "四百六十萬件", "4600000", "件", "count"),
    row("1954", "三億二千三百八十萬九千六百八十四人", "323809684", "人", "count"),  # 共登記選民…
    row("1954", "一萬六千億元", "1600000000000", "元", "money"),  # old currency: 每年爲國家增産一萬六千億元
    row("1954", "百分之三十六點九", "36.9", "%", "change"),  # 平均每年遞增
    row("1954", "一百零八億度", "10800000000", "度", "measure"),
    row("1954", "八千一百九十九萬噸", "81990000", "噸", "measure"),
    row("1954", "一萬三千五百十三台", "13513", "台", "count"),  # 金屬切削機床
    row("1954", "十八億餘元", "1800000000", "元", "money", "余"),
    row("1954", "一億六千五百五十二萬餘人", "165520000", "人", "count", "余"),  # 社員
    row("1954", "六萬萬人", "600000000", "人", "count"),  # 同中國六萬萬人民爲敵: the old way of writing 億
    # 1955–1959
    row("1955", "一万公里", "10000", "公里", "measure", "约", where="约为一万公里"),
    row("1955", "一九○七年", "1907", "", "year"),  # 我国在一九○七年，才建设起
    row("1956", "１３，７６２，０９０，０００元", "13762090000", "元", "money"),  # 经济建设费支出
    row("1956", "９６．９９％", "96.99", "%", "percent"),  # 占预算数的: against a plan
    row("1956", "１０亿余元", "1000000000", "元", "money", "余"),  # 节约的资金约达１０亿余元
    row("1957", "一百一十七亿元", "11700000000", "元", "money"),  # 手工業总产值达到
    row("1957", "15%以上", "15", "%", "change", "以上"),  # 零售总額增加了15%以上
    row("1957", "二十一万多人", "210000", "人", "count", "多"),
    row("1957", "六万万人", "600000000", "人", "count"),  # 涉及六万万人民生活
    row("1959", "一九五八年", "1958", "", "year", where="即一九五八年"),
    row("1959", "六百零三亿五千万元", "60350000000", "元", "money"),  # 农业总产值达到了
    row("1959", "五百三十七个", "537", "个", "count"),  # 工矿建设单位有
    # 1964–1986
    row("1964", "第一个", None, "", "ordinal", where="超过第一个五年计划"),
    row("1964", "一九五七年", "1957", "", "year"),
    row("1975", "一千一百个", "1100", "个", "count"),  # 建成了一千一百个大中型项目
    row("1975", "百分之九十五以上", "95", "%", "percent", "以上"),  # 团结…的干部
    row("1979", "百分之三十三", "33", "%", "change", where="比上一年增长百分之三十三"),
    row("1982", "二千三百亿元", "230000000000", "元", "money"),  # 基本建设投资总额计划安排
    row("1982", "三千二百万亩", "32000000", "亩", "measure", where="由一九八○年的三千二百万亩"),
    row("1986", "三千亿度", "300000000000", "度", "measure", where="发电量由三千亿度"),
    row("1986", "一九八○年", "1980", "", "year", where="从一九五三年至一九八○年"),
    # 1988–2008: fullwidth digits, then ASCII
    row("1988", "１０９２０亿元", "1092000000000", "元", "money"),  # 国民生产总值１９８７年达到
    row("1988", "２６９０万人次", "26900000", "人次", "count"),  # 来华旅游入境总人数
    row("1993", "５．９亿吨", "590000000", "吨", "measure"),  # 沿海港口货物吞吐量
    row("1995", "百分之十一点八", "11.8", "%", "change"),  # 比上年增长
    row("1998", "7 4 7 7 2 亿元", "7477200000000", "元", "money"),  # 国内生产总值达到
    row("1998", "1 9 9 7 年", "1997", "", "year"),
    row("1998", "1 5 ．3 ％", "15.3", "%", "change"),  # 工业增加值平均每年增长
    row("1998", "8 ．8 ％", "8.8", "%", "change"),  # 去年经济增长
    row("2003", "36项", "36", "项", "count", where="新开工建设36项"),
    row("2006", "2600年", "2600", "年", "measure", where="长达2600年"),
    row("2007", "1.5 亿", "150000000", "", "number", where="农村1.5 亿中小学生"),
    row("2008", "50150万吨", "501500000", "吨", "measure"),  # 2007年产量达到
    row("2008", "1144万人", "11440000", "人", "count"),  # 本科生和研究生规模达到
    # 2013–2025
    row("2013", "2.7个百分点", "2.7", "个百分点", "change"),  # 服务业增加值占…比重提高
    row("2013", "1200多万套", "12000000", "套", "count", "多"),  # 棚户区改造住房
    row("2018", "1351万人", "13510000", "人", "count"),  # 城镇新增就业
    # 日均新设企业由5千多户增加到1万6千多户: both ends of a change (由…增加到) are of kind change by
    # design, as 由40元提高到80元 in test_figures
    row("2018", "5千多户", "5000", "户", "change", "多"),
    row("2018", "1万6千多户", "16000", "户", "change", "多"),
    row("2018", "2万5千公里", "25000", "公里", "measure"),  # 高速铁路运营里程
    row("2023", "1206万人", "12060000", "人", "count"),
    row("2023", "40%以上", "40", "%", "change", "以上"),  # 发电装机容量增长40%以上
    row("2025", "134.9万亿元", "134900000000000", "元", "money"),  # 国内生产总值达到
    row("2025", "1256万人", "12560000", "人", "count"),
    row("2025", "5.1%", "5.1", "%", "rate", where="失业率平均为5.1%"),
    row("2025", "1200万人以上", "12000000", "人", "count", "以上"),
    row("2025", "1100多万人", "11000000", "人", "count", "多"),  # 惠及
]
_FOLD_QUALIFIER = str.maketrans({"餘": "余"})


@pytest.fixture(scope="module")
def by_year(reports) -> dict[str, str]:
    return {report["year"]: report["content"] for report in reports if report["year"]}


def test_hand_checked_sample_spans_decades():
    years = {p.values[0] for p in HAND_CHECKED}
    assert len(HAND_CHECKED) >= 25 and {y[:3] for y in years} >= {"195", "196", "197", "198", "199", "200", "201", "202"}


@pytest.mark.parametrize("year, where, surface, value, unit, kind, qualifier", HAND_CHECKED)
def test_hand_checked_figure(config, by_year, year, where, surface, value, unit, kind, qualifier):
    text = by_year[year]
    at = text.find(where)
    assert at >= 0 and surface in where, f"{where!r} is not in the {year} report"
    start = at + where.index(surface)
    facts = extract_figures(text, config.vocabulary, config.thresholds)
    here = [f for f in facts if f.start < start + len(surface) and start < f.end]
    read = [(f.text, f.kind, f.value, f.unit, f.qualifier) for f in here]
    assert len(here) == 1 and (here[0].start, here[0].end) == (start, start + len(surface)), read
    fact = here[0]
    assert (fact.kind, fact.unit, fact.qualifier.translate(_FOLD_QUALIFIER)) == (kind, unit, qualifier), read
    assert fact.value == (None if value is None else Decimal(value)), read
