"""Document-level checks (auditor/checks/document_checks.py): duplicates audited once, report
kinds, sections, dates in the body, the end of the text; and the flags they give on the seeds
and on the State Council work reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.checks.document_checks import (_EDGE, RULE_OF_LAW, WORK_REPORT, _normalized_lines, blank_out,
                                            check_document, find_duplicates, report_kind)
from auditor.ingest.metadata import read_metadata
from auditor.ingest.spans import Span
from tests.conftest import ROOT, SEEDS, whole_report

YUFENG = SEEDS / "004_e3ed8bc2defce3f6.txt"
CORPUS = ROOT.parent / "shared" / "corpora" / "government_work_reports.jsonl"


def checks(text: str) -> dict:
    duplicates = find_duplicates(text)
    return check_document(text, blank_out(text, duplicates.spans), read_metadata(text), duplicates).fields


# --- duplicates ---------------------------------------------------------------------------

def test_the_yufeng_seed_repeats_its_whole_report_from_its_title():
    text = YUFENG.read_text(encoding="utf-8")
    duplicates = find_duplicates(text)
    assert len(duplicates.spans) == 1
    span = duplicates.spans[0]
    assert text[span.start:].startswith("鱼峰区人民政府关于2023年法治政府建设工作情况的报告")
    assert text[duplicates.first_line.start:duplicates.first_line.end] == "鱼峰区人民政府关于2023年法治政府建设工作情况的报告"
    assert text[span.end:].strip() == ""  # the run goes on to the repeated signature
    first_copy = text.index("柳州市人民政府:")
    assert text.count("柳州市人民政府:") == 2 and first_copy < span.start


def test_blanking_out_keeps_every_offset():
    text = "甲乙\n丙丁戊\n己庚\n"
    blank = blank_out(text, [Span(3, 6)])
    assert len(blank) == len(text) and blank.count("\n") == text.count("\n")
    assert blank[:3] == "甲乙\n" and blank[3:6] == "   " and blank[6:] == text[6:]


def test_a_duplicated_report_is_audited_once(config):
    from auditor.pipeline import extract

    text = YUFENG.read_text(encoding="utf-8")
    start = find_duplicates(text).spans[0].start
    records, frames = extract([YUFENG], config)
    facts = frames.facts
    assert len(facts) and (facts["start"] < start).all()  # no figure is read from the repeat
    # as many figures as in the first copy alone
    from auditor.extract.figures import extract_figures

    assert len(facts) == len(extract_figures(text[:start], config.vocabulary, config.thresholds))


def test_a_repeated_paragraph_does_not_double_its_flags(tmp_path, config):
    from auditor.pipeline import audit

    wrong = "全年共收到行政复议申请40件,其中受理36件,不予受理3件,受理案件全部依法办理完毕,无一起被人民法院判决撤销或确认违法。"
    report = tmp_path / "report.txt"
    report.write_text(whole_report(wrong + "\n" + wrong), encoding="utf-8")
    text = report.read_text(encoding="utf-8")
    flags = audit([report], config).flags
    assert [f["rule"] for f in flags if f["rule"] == "ARITH001"] == ["ARITH001"]
    assert flags_of(flags, "DOC001")[0]["evidence"][0]["start"] == text.rindex(wrong)


def flags_of(flags, rule):
    return [f for f in flags if f["rule"] == rule]


@pytest.mark.parametrize("text", [
    "一、主要举措和成效\n(一)加强组织领导\n全年共办理案件5件。\n二、下一步工作计划\n(一)加强组织领导\n",
    "某县人民政府\n2022年2月20日\n抄送:县委。\n某县人民政府\n2022年2月20日\n",
])
def test_short_repeated_lines_are_not_duplicates(text):
    assert not find_duplicates(text)


def test_lines_are_trimmed_of_every_white_space_and_edge_mark():
    white_space = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(_EDGE) == white_space | {"\u200b", "\ufeff"}
    text = "\u3000\ufeff 第一行\u200b\xa0\n\u2003\u200b\n \u200c\n\t第二\u200d行 \r"
    lines = _normalized_lines(text)
    assert [(text[span.start:span.end], key) for span, key in lines] == [("第一行", "第一行"), ("第二\u200d行", "第二行")]


# --- report kinds and sections --------------------------------------------------------------

@pytest.mark.parametrize("title, text, kind", [
    ("某县2021年法治政府建设情况报告", "2021年,我县……", RULE_OF_LAW),
    ("某局2021年依法行政工作情况的报告", "2021年,我局……", RULE_OF_LAW),
    ("某区人民政府2021年政府信息公开工作年度报告", "2021年,我区……", "disclosure"),
    ("2021年中华人民共和国国务院政府工作报告", "各位代表：\n现在，我代表国务院，向大会报告政府工作。", WORK_REPORT),
    (None, "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。", WORK_REPORT),
    (None, "2020年,我市深入推进法治政府建设。\n一、压实法治政府建设责任。", RULE_OF_LAW),
    (None, "2021年,全县共查处案件120件。", "other"),
])
def test_report_kind(title, text, kind):
    assert report_kind(title, text, 0) == kind


def test_a_whole_report_passes_every_document_check():
    fields = checks(whole_report("全年共收到行政复议申请52件,依法受理48件,不予受理4件。"))
    assert fields["missing_sections"] == "" and fields["missing_metadata"] == ""
    assert fields["dates_outside_period"] == 0 and fields["duplicated_chars"] == 0
    assert fields["truncated"] is False and fields["body_chars"] >= 300


# --- the seeds ----------------------------------------------------------------------------

def test_the_seed_document_flags(seed_audit):
    """Every document flag the five seeds give, each checked by hand (see the rule docs)."""
    found = sorted((Path(f["report"]).name[:3], f["rule"], f["observed"]) for f in seed_audit.flags
                   if f["rule"][:3] in ("DAT", "DOC") and f["rule"] != "DATE001")
    assert found == [
        ("001", "DOC003", "missing: signing date"),  # the page ends with 扫一扫在手机打开当前页
        ("003", "DOC002", "missing 存在的不足和原因"),  # 高邮: five measures headings and a one-line plan
        ("003", "DOC003", "missing: title, publication date, signing date"),  # the text starts with its body
        ("004", "DOC001", "35 paragraph(s), 4744 characters"),  # 鱼峰: the whole report twice
    ]


def test_the_seed_flags_quote_their_evidence(seed_audit):
    for flag in seed_audit.flags:
        if flag["rule"][:3] not in ("DAT", "DOC"):
            continue
        text = (ROOT / flag["report"]).read_text(encoding="utf-8") if not Path(flag["report"]).is_absolute() \
            else Path(flag["report"]).read_text(encoding="utf-8")
        assert flag["evidence"], flag
        for quote in flag["evidence"]:
            assert text[quote["start"]:quote["end"]].strip() == quote["text"]


# --- the State Council work reports: another kind of report ---------------------------------

@pytest.mark.skipif(not CORPUS.is_file(), reason=f"work-report corpus not found at {CORPUS}")
def test_work_reports_are_not_held_to_the_sections_or_the_period():
    with CORPUS.open(encoding="utf-8") as lines:
        reports = [json.loads(line) for line in lines if line.strip()]
    assert len(reports) == 72
    for report in reports:
        text = f"{report['title']}\n{report['content']}"
        fields = checks(text)
        assert fields["report_kind"] == WORK_REPORT, report["title"]
        assert fields["missing_sections"] is None  # DOC002 does not apply
        assert fields["dates_outside_period"] is None and fields["publication_deadline"] is None
