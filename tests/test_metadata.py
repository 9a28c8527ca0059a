"""Report metadata on headers and signatures written for these tests, and on the sample reports."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.ingest.metadata import read_metadata
from tests.conftest import SEEDS

BODY = "2021年,我区深入推进法治政府建设,全年共办理行政复议案件12件,各项工作取得明显成效。\n"


def test_crawled_page_with_breadcrumbs_header_and_signature():
    text = (
        "您当前的位置:首页>政务公开>法治政府建设年度报告\n"
        "某某区人民政府2021年法治政府建设年度报告\n"
        "发布日期:2022-03-01 09:10  来源:某某区司法局\n\n" + BODY +
        "\n某某区人民政府\n\n二〇二二年二月二十八日\n\n扫一扫在手机打开当前页"
    )
    meta = read_metadata(text)
    assert meta.title == "某某区人民政府2021年法治政府建设年度报告"
    assert meta.region == "某某区"
    assert meta.year == 2021
    assert meta.published == date(2022, 3, 1)
    assert (meta.signer, meta.signed) == ("某某区人民政府", date(2022, 2, 28))
    assert meta.period_end == date(2021, 12, 31)
    assert text[meta.spans["signed"].start:meta.spans["signed"].end] == "二〇二二年二月二十八日"


def test_document_number_and_bare_header_date():
    text = (
        "临水政发〔2020〕5号临水县2019年法治政府建设情况报告\n2020-03-20\n\n"
        "临水县2019年法治政府建设情况报告\n\n市人民政府:\n" + BODY.replace("2021", "2019")
        + "\n临水县人民政府\n2020年3月10日\n\n抄送:县委。\n临水县人民政府办公室  2020年3月10日印发"
    )
    meta = read_metadata(text)
    assert meta.title == "临水县2019年法治政府建设情况报告"
    assert (meta.docno, meta.docno_year) == ("临水政发〔2020〕5号", 2020)
    assert meta.published == date(2020, 3, 20)
    assert meta.signed == date(2020, 3, 10)  # the signature, not the 印发 line


def test_report_without_header_takes_year_from_body_and_region_from_names():
    text = BODY.replace("我区", "我市") + "对照《安平市法治政府建设实施纲要》和《安平市重大行政决策程序规定》,全面落实。\n"
    meta = read_metadata(text)
    assert (meta.title, meta.published, meta.signed) == (None, None, None)
    assert meta.year == 2021
    assert meta.region == "安平市"


def test_a_date_quoted_in_the_body_is_not_a_signature():
    text = "某县2020年法治政府建设情况报告\n" + BODY + "2020年3月27日,县委召开全面依法治县委员会会议。\n"
    assert read_metadata(text).signed is None


@pytest.mark.parametrize(
    "seed, region, year, published, signed",
    [
        ("000_bffc2002e0c26100.txt", "横县", 2020, date(2021, 2, 25), date(2020, 2, 25)),
        ("001_ced26390e78030fa.txt", "忠县", 2021, date(2022, 2, 14), None),
        ("002_6d5bb867e184b50c.txt", "长海县", 2018, date(2019, 3, 26), date(2019, 1, 30)),
        ("003_5770321b2e468db9.txt", "高邮市", 2020, None, None),
        ("004_e3ed8bc2defce3f6.txt", "鱼峰区", 2023, date(2024, 3, 1), date(2024, 3, 1)),
    ],
)
def test_sample_reports(seed, region, year, published, signed):
    meta = read_metadata((SEEDS / seed).read_text(encoding="utf-8"))
    assert (meta.region, meta.year, meta.published, meta.signed) == (region, year, published, signed)


# --- pages flattened onto one line, crawler headers, cut titles ------------------------------

FLAT_BODY = ("根据《中华人民共和国政府信息公开条例》要求，现公布2021年度政府信息公开工作年度报告。2021年，区政府全年主动公开"
             "政府信息3,256条，收到政府信息公开申请47件，均已按期答复。下一步，将继续加强政策解读。" * 2)


def test_a_flattened_page_starts_its_body_after_the_chrome_on_its_line():
    text = ("某区2021年度政府信息公开工作年度报告\n\n当前位置： 首页>政务公开>政府信息公开年报 某区2021年度政府信息公开工作"
            "年度报告 来源：某区人民政府 时间：2022-02-08 16:34 微信 微博 文字版 相关链接： --> " + FLAT_BODY)
    meta = read_metadata(text)
    assert text[meta.body_start:].startswith("根据《中华人民共和国政府信息公开条例》")
    assert meta.published == date(2022, 2, 8)
    assert meta.title == "某区2021年度政府信息公开工作年度报告"


def test_a_long_line_without_chrome_is_body_from_its_start():
    text = "某区2021年度政府信息公开工作年度报告\n\n" + FLAT_BODY
    assert read_metadata(text).body_start == text.index(FLAT_BODY)


@pytest.mark.parametrize("line, is_body", [
    ("本报告根据《国务院办公厅关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》要求编制,现予公布。", True),
    ("推进公开。<!--[if !supportLists]-->7、<!--[endif]-->公共监管信息公开情况,全年公开环境信息12条。", True),
    ("您当前的位置:首页>政务公开>法治政府建设年度报告,欢迎访问。", False),
    ("首页 > 政务公开 > 年度报告,欢迎访问本站。", False),
])
def test_a_title_in_angle_brackets_is_not_a_breadcrumb(line, is_body):
    text = f"某县2021年政府信息公开工作年度报告\n{line}\n" + BODY
    assert (read_metadata(text).body_start == text.index(line)) is is_body


def test_a_crawler_header_labels_the_title_and_the_publication_date():
    text = ("标题: 平潭综合实验区2021年法治政府建设情况\n发布时间: 2022-01-07 10:50\n文号: \n"
            "发布机构: 平潭综合实验区管委会\n==================== 正文 ====================\n" + BODY)
    meta = read_metadata(text)
    assert meta.title == "平潭综合实验区2021年法治政府建设情况"
    assert meta.published == date(2022, 1, 7) and meta.year == 2021


@pytest.mark.parametrize("line, title", [
    ("河北省科学技术厅2017年政府信息公开工作年度报...", "河北省科学技术厅2017年政府信息公开工作年度报..."),
    ("某县2021年法治政府建设情况报…", "某县2021年法治政府建设情况报…"),
    ("政务公开...", None),  # no year: a menu item, not a title
])
def test_a_title_cut_short_by_a_site_list(line, title):
    assert read_metadata(f"{line}\n\n{BODY}").title == title


@pytest.mark.parametrize("header, published", [
    ("今天是2022年6月1日 星期三\n发布时间:2022-03-15 08:30\n", date(2022, 3, 15)),
    ("日期:2022-03-15  今日访问量:123\n", date(2022, 3, 15)),  # the clock's word after the date is not its label
    ("今天是2022年6月1日 星期三\n", None),
])
def test_a_site_clock_is_not_the_publication_date(header, published):
    assert read_metadata("某县2021年法治政府建设情况报告\n" + header + BODY).published == published


@pytest.mark.parametrize("tail, signed", [
    ("提高解读质量。\u3000\u3000某省科学技术厅\u3000\u30002018年2月2日", date(2018, 2, 2)),
    ("提供有力支撑和法治保障。 某某综合实验区管委会 2024年2月23日", date(2024, 2, 23)),
    ("提高解读质量。 某县人民政府 2022年1月16日 附件1：某县政府信息公开情况统计表 主动公开信息数 条 425", None),
    ("于 2022年1月16日", None),
])
def test_a_flattened_page_signs_after_its_last_sentence(tail, signed):
    text = "某省2017年政府信息公开工作年度报告\n" + FLAT_BODY + tail
    assert read_metadata(text).signed == signed
