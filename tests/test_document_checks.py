"""Document-level checks (auditor/extract/document_features.py, report_end.py): duplicates audited
once, report kinds, sections, dates in the body, the end of the text, publication deadlines; and
the flags they give on the seeds and on the State Council work reports."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from auditor.extract.document_features import (_EDGE, RULE_OF_LAW, WORK_REPORT, _normalized_lines, blank_out,
                                            check_document, find_duplicates, issuer_class, issuer_name,
                                            publication_deadline, report_kind)
from auditor.extract.report_end import ends_a_report, find_ending
from auditor.config import load_config
from auditor.errors import ConfigError
from auditor.ingest.metadata import read_metadata
from auditor.ingest.spans import Span
from tests.conftest import ROOT, SEEDS, shared_config, whole_report

YUFENG = SEEDS / "004_e3ed8bc2defce3f6.txt"
CORPUS = ROOT.parent / "shared" / "corpora" / "government_work_reports.jsonl"


def checks(text: str) -> dict:
    return document(text).fields


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
    assert [f.rule for f in flags if f.rule == "ARITH001"] == ["ARITH001"]
    assert flags_of(flags, "DOC001")[0].evidence[0].start == text.rindex(wrong)


def flags_of(flags, rule):
    return [f for f in flags if f.rule == rule]


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
    found = sorted((Path(f.report).name[:3], f.rule, f.observed) for f in seed_audit.flags
                   if f.rule[:3] in ("DAT", "DOC") and f.rule != "DATE001")
    assert found == [
        ("001", "DOC003", "missing: signing date"),  # the page ends with 扫一扫在手机打开当前页
        ("003", "DOC002", "missing 存在的不足和原因"),  # 高邮: five measures headings and a one-line plan
        ("003", "DOC003", "missing: title, publication date, signing date"),  # the text starts with its body
        ("004", "DOC001", "35 paragraph(s), 4744 characters"),  # 鱼峰: the whole report twice
    ]


def test_the_seed_flags_quote_their_evidence(seed_audit):
    for flag in seed_audit.flags:
        if flag.rule[:3] not in ("DAT", "DOC"):
            continue
        text = (ROOT / flag.report).read_text(encoding="utf-8") if not Path(flag.report).is_absolute() \
            else Path(flag.report).read_text(encoding="utf-8")
        assert flag.evidence, flag
        for quote in flag.evidence:
            assert text[quote.start:quote.end].strip() == quote.text


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


# --- the end of the text (DOC004) ---------------------------------------------------------

def document(text: str):
    config = shared_config()
    duplicates = find_duplicates(text)
    return check_document(text, blank_out(text, duplicates.spans), read_metadata(text), duplicates, config.report_text,
                          config.thresholds)


def ending_of(text: str) -> str | None:
    words = shared_config().report_text
    span = find_ending(text, read_metadata(text).body_start, words, frozenset())
    return text[span.start:span.end] if span else None


BODY = ("2022年,县政府坚持以公开为常态、不公开为例外,全年通过政府门户网站主动公开政府信息2,318条,其中规范性文件12件,"
        "政策解读46篇,全年共收到政府信息公开申请37件,均在法定期限内予以答复。")


@pytest.mark.parametrize("tail, ending", [
    ("\n扫一扫在手机打开当前页\n【打印本页】  【关闭窗口】", BODY),
    ("\n====================\n==== 正文 ====", BODY),
    ("\n附件：某县人民政府2022年政府信息公开工作年度报告\n2、某县2022年年度报告.pdf", BODY),
    ("\n- 3 -\n第3页 共3页", BODY),
    ("\nCopyright © 2023 www.example.gov.cn All Rights Reserved", BODY),
    ("\n主办单位:某县人民政府办公室  网站标识码:1234567890  ICP备案号:某ICP备12345678号", BODY),
    (" 附件下载", BODY),                                   # a page flattened onto one line
    ("附件：1、某厅2022年政府信息公开工作年度报告.doc\u3000\u30002、某厅2022年政府信息公开工作年度报告.pdf", BODY),
    (" --> | QQ空间 微信", BODY),
])
def test_the_page_chrome_after_the_body_is_not_its_ending(tail, ending):
    assert ending_of(BODY + tail) == ending


def test_a_repeat_of_the_title_at_the_end_of_the_page_is_chrome():
    title = "某县人民政府2022年政府信息公开工作年度报告"
    text = f"{title}\n{BODY}\n{title}\n"
    span = find_ending(text, read_metadata(text).body_start, shared_config().report_text,
                       frozenset({title}))
    assert text[span.start:span.end] == BODY


@pytest.mark.parametrize("ending", [
    "……全年未发生因政府信息公开引起的行政复议和行政诉讼。",
    "请予审议!",
    "(此件公开发布)",
    "某县人民政府\u3000\u30002022年2月20日",
    "二〇二二年二月二十日",
    "特此报告",
    "……下一步将继续加强。\u3000\u3000某省某某厅",
    "六、其他需要报告的事项 无其他需要报告的事项",
    "六、其他需要报告的事项 暂无",
    "(七)总计 21 0 0 0 0 0 21",
    "行政复议数 件 0 0 行政诉讼数 件 0 0",
    "行政复议数条00行政诉讼数条00行政申诉数条00",
    "0",
])
def test_complete_endings(ending):
    assert ends_a_report(ending, shared_config().report_text)


@pytest.mark.parametrize("ending", [
    "2021年,我县深入推进依法行政,全年共办理行政复议案件",     # mid-sentence
    "全年共收到行政复议申请52件,依法受理48件,",              # at a comma
    "在总结成绩的同时,全县法治政府建设还存在以下问题:",      # at a colon
    "全年共办理行政诉讼案件12",                               # one figure after a word: a sentence
    "结果维持 结果纠正 其他结果 尚未审结 总计",               # a table's header row
    "三、下一步工作计划",                                     # a heading
    "全年无",                                                 # 无 inside a clause, not a closing statement
])
def test_endings_of_a_cut_text(ending):
    assert not ends_a_report(ending, shared_config().report_text)


@pytest.mark.parametrize("text", [
    "某县2021年法治政府建设情况报告\n发布时间:2022-02-25 10:00\n扫一扫在手机打开当前页\n【打印本页】",
    "某县2021年法治政府建设情况报告\n2021年,我县深入推进依法行政,全年共办理行政复议案件\n====================",
    "某县2021年法治政府建设情况报告\n发布时间:2022-02-25 10:00\n" + BODY + "\n附件下载",
    "2021年,我县深入推进依法行政,全年共办理",
])
def test_a_flagged_ending_always_quotes_text(text):
    result = document(text)
    assert result.fields["truncated"] is True
    assert result.fields["ending"].strip()
    quoted = result.evidence["ending_evidence"]
    assert quoted and all(text[span.start:span.end].strip() for span in quoted)


# --- the publication deadline (DATE003) -----------------------------------------------------

@pytest.mark.parametrize("name, issuer", [
    ("河北省教育厅", "department"), ("某市司法局", "department"), ("某市卫生健康委员会", "department"),
    ("某区人民政府", "government"), ("平潭综合实验区", "government"), ("某某县", "government"),
    ("某经济开发区管理委员会", "government"), ("平潭综合实验区管委会", "government"),
    ("某市人民政府办公室", "unknown"), ("某省人民政府办公厅", "unknown"), ("某街道办事处", "unknown"), ("", "unknown"),
])
def test_issuer_class(name, issuer):
    assert issuer_class(name, shared_config().report_text) == issuer


@pytest.mark.parametrize("text, name", [
    ("河北省教育厅2023年政府信息公开工作年度报告\n" + BODY, "河北省教育厅"),
    ("关于某市司法局2022年度法治政府建设工作情况的报告\n" + BODY, "某市司法局"),
    ("- 1 -\n洪泽区人民政府\n2023 年政府信息公开工作年度报告\n" + BODY, "洪泽区人民政府"),
    ("关于2020年政府信息公开工作的年度报告\n" + BODY + "\n某县教育局\n2021年1月20日", "某县教育局"),
    ("关于2020年政府信息公开工作的年度报告\n" + BODY, ""),
])
def test_issuer_name(text, name):
    assert issuer_name(read_metadata(text), text) == name


@pytest.mark.parametrize("kind, year, issuer, deadline", [
    ("disclosure", 2011, "government", (3, 31)),
    ("disclosure", 2018, "department", (3, 31)),   # the 2007 regulations until the report on 2018
    ("disclosure", 2019, "department", (1, 31)),
    ("disclosure", 2019, "government", (3, 31)),
    ("disclosure", 2022, "unknown", (3, 31)),       # the later of the two
    ("rule_of_law", 2019, "department", (4, 1)),
    ("rule_of_law", 2018, "government", None),      # before the 2019 rules
    ("work_report", 2021, "government", None),
    ("disclosure", None, "government", None),
])
def test_publication_deadline(kind, year, issuer, deadline):
    deadlines = shared_config().thresholds.publication_deadlines
    found = publication_deadline(kind, year, issuer, deadlines)
    assert (found.month, found.day) == deadline if deadline else found is None


def test_the_deadline_fields_name_the_provision_that_applied():
    text = "某市司法局2021年政府信息公开工作年度报告\n发布日期:2022-02-15\n" + BODY + "\n某市司法局\n2022年1月28日"
    fields = document(text).fields
    assert fields["publication_deadline"] == date(2022, 1, 31)
    assert "第四十九条" in fields["deadline_rule"] and "art. 49" in fields["deadline_rule_en"]


@pytest.mark.parametrize("entry, problem", [
    ("  other_kind:\n    - {month: 3, day: 31, basis: {zh: 某, en: x}}", "report kind"),
    ("  disclosure:\n    - {month: 2, day: 29, basis: {zh: 某, en: x}}", "no such day"),
    ("  disclosure:\n    - {from: 2019, to: 2018, month: 3, day: 31, basis: {zh: 某, en: x}}", "from <= to"),
    ("  disclosure:\n    - {issuer: ministry, month: 3, day: 31, basis: {zh: 某, en: x}}", "issuer"),
    ("  disclosure:\n    - {month: 3, day: 31}", "basis"),
])
def test_malformed_deadlines_are_configuration_errors(tmp_path, entry, problem):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    thresholds = (folder / "thresholds.yaml").read_text(encoding="utf-8")
    thresholds = thresholds[:thresholds.index("publication_deadlines:")] + "publication_deadlines:\n" + entry + "\n"
    (folder / "thresholds.yaml").write_text(thresholds, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_config(folder)


def test_an_unknown_issuer_class_is_a_configuration_error(tmp_path):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    with (folder / "report_text.yaml").open("a", encoding="utf-8") as words:
        words.write("  ministry: [部]\n")
    with pytest.raises(ConfigError, match="issuer class"):
        load_config(folder)


# --- dates in the body, sections and kinds on pages flattened onto one line -----------------

def test_datelines_are_not_dated_events():
    text = ("某县人民政府2021年政府信息公开工作年度报告\n"
            "2021年,全县主动公开政府信息425条。2020年11月26日,县政府办公室印发了《某县政务公开工作方案》。"
            "下一步将继续做好信息公开工作。 二○二二年二月二十日 附件1:某县2021年政府信息公开情况统计表 "
            "指标名称 计量单位 主动公开信息数 条 425 ……继续加强。 某县人民政府 2022年1月16日 附件2:说明")
    fields = document(text).fields
    assert (fields["dates_outside_period"], fields["first_outside_date"]) == (1, "2020年11月26日")


def test_numbered_headings_run_into_the_text_are_sections():
    text = ("某区2023年法治政府建设情况\n"
            "2023年,区委区政府坚持以习近平法治思想为指导,全面推进法治政府建设,党政主要负责人认真履行推进法治建设第一责任人职责。"
            "一、深化放管服改革全年审查规范性文件二十件,备案率100%,清理规范性文件十二件,组织行政执法案卷评查两次,"
            "评查案卷126卷,全区各级调委会共受理矛盾纠纷1,352件,调解成功1,338件。"
            "二、存在问题与不足执法制度执行力有待提升。三、下一步工作计划进一步建立更加严密的执法监督管理机制。")
    assert document(text).fields["missing_sections"] == ""


def test_plans_may_open_with_next_year_and_say_what_will_be_done_later_in_the_sentence():
    text = whole_report("全年共收到行政复议申请52件,依法受理48件,不予受理4件。").replace(
        "三、下一步工作计划\n2022年,我县将继续",
        "2022年是实施“十四五”规划承上启下的关键一年,也是法治政府建设攻坚之年,我县将继续")
    assert document(text).fields["missing_sections"] == ""


def test_the_kind_of_a_report_whose_title_does_not_end_in_a_report():
    text = "河北省教育厅2013年度政府信息公开总结\n\n2013年,我厅认真贯彻落实依法行政要求,坚持依法行政,扎实推进政府信息公开。"
    assert report_kind(None, text, read_metadata(text).body_start) == "disclosure"
