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
