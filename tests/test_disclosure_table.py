"""Reading the information-disclosure template's tables from text (auditor/extract/tables/).

The rules' verdicts on whole tables are in tests/fixtures/rules/DISC00*.yaml; here, what is read:
which rows, which cells, under which names, from which layout, and what is left alone.
"""

from __future__ import annotations

import shutil

import pytest

from auditor.config import load_config
from auditor.errors import ConfigError
from auditor.extract.disclosure_table import read_tables
from auditor.extract.figures import extract_figures
from auditor.extract.labels import name_facts
from auditor.extract.relations import find_relations
from auditor.ingest.spans import paragraphs, sentences
from tests.conftest import ROOT

TABLE = """\
三、收到和处理政府信息公开申请情况
| 申请人情况 | 自然人 | 法人或其他组织 | | | | | 总计 |
| | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |
| 一、本年新收政府信息公开申请数量 | 25 | 3 | 0 | 0 | 1 | 0 | 29 |
| 二、上年结转政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |
| 三、本年度办理结果 | （一）予以公开 | 12 | 2 | 0 | 0 | 1 | 0 | 15 |
| | （三）不予公开 | 1．属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| | （四）无法提供 | 1．本机关不掌握相关政府信息 | 14 | 1 | 0 | 0 | 0 | 0 | 15 |
| | （六）其他处理 | 3．其他 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |
| | （七）总计 | 26 | 4 | 0 | 0 | 1 | 0 | 31 |
| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
四、政府信息公开行政复议、行政诉讼情况
| 行政复议 | 行政诉讼 |
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |
| 1 | 0 | 0 | 0 | 1 | 2 | 0 | 1 | 0 | 3 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
本年新收申请较上年有所增加,答复质量仍需提高。
"""


def read(text, config):
    facts = extract_figures(text, config.vocabulary, config.thresholds)
    name_facts(text, facts, sentences(text), paragraphs(text), config.vocabulary)
    return facts, read_tables(text, facts, config.template)


def values(row):
    return [int(c.value) for c in row.cells]


def test_rows_cells_and_names(config):
    _, tables = read(TABLE, config)
    assert [r.key for r in tables.rows] == ["new", "carried_in", "outcome", "outcome", "outcome", "outcome", "total",
                                            "carried_out"]
    assert [r.name for r in tables.rows if r.key == "outcome"] == ["予以公开", "属于国家秘密", "本机关不掌握相关政府信息",
                                                                  "其他处理·其他"]
    assert values(tables.row("new")) == [25, 3, 0, 0, 1, 0, 29]
    assert values(tables.row("total")) == [26, 4, 0, 0, 1, 0, 31]
    cell = tables.row("new").cells[0]
    first = cell.fact
    assert (first.kind, first.unit, first.family, first.metric, first.label) == (
        "count", "件", "information_disclosure", "new.natural_person", "本年新收(自然人)")
    assert TABLE[first.start:first.end] == "25" == cell.text
    assert (cell.row, cell.column, cell.start, cell.end, cell.line) == (0, 0, first.start, first.end, 4)
    assert tables.row("carried_out").cells[-1].fact.metric == "carried_out.total"


def test_appeals_row(config):
    _, tables = read(TABLE, config)
    assert [c.value for c in tables.appeal_cells] == [1, 0, 0, 0, 1, 2, 0, 1, 0, 3, 0, 0, 0, 0, 0]
    assert tables.appeal_cells[9].fact.label == "行政诉讼(未经复议直接起诉)总计"


@pytest.mark.parametrize("separator", ["\t", " ", "\n", "｜"])
def test_any_separator(config, separator):
    text = TABLE.replace(" | ", separator).replace("| ", "").replace(" |", "")
    _, tables = read(text, config)
    assert values(tables.row("new")) == [25, 3, 0, 0, 1, 0, 29]
    assert values(tables.row("carried_out")) == [1, 0, 0, 0, 0, 0, 1]
    assert len(tables.appeal_cells) == 15


def test_a_row_that_does_not_fill_the_columns_is_left_out(config):
    text = TABLE.replace("| 二、上年结转政府信息公开申请数量 | 2 | 1 |", "| 二、上年结转政府信息公开申请数量 | | 1 |")
    _, tables = read(text, config)
    assert tables.row("carried_in") is None
    assert tables.row("total") is not None  # the rows after it are still read


def test_an_item_number_in_its_own_cell_starts_the_next_row(config):
    text = TABLE.replace("| （三）不予公开 | 1．属于国家秘密 |", "| （三）不予公开 | 1 | 属于国家秘密 |")
    _, tables = read(text, config)
    assert values(tables.rows[2]) == [12, 2, 0, 0, 1, 0, 15]  # the 1 is no row of its own
    assert tables.rows[3].name == "属于国家秘密"


def test_prose_is_no_table(config):
    prose = "本年新收政府信息公开申请 25 件,上年结转 2 件,办理结果总计 26 件,结转下年度继续办理 1 件。"
    _, tables = read(prose, config)
    assert tables is None


def test_table_cells_enter_only_the_template_sums(config):
    facts, tables = read(TABLE, config)
    relations = find_relations(TABLE, facts, sentences(TABLE), paragraphs(TABLE), config, tables)
    cells = tables.cell_indexes()
    touching = [r for r in relations if r.stated.index in cells or any(p.index in cells for p in r.parts)]
    assert touching and all(r.op == "table" for r in touching)
    sources = {r.source for r in touching}
    assert sources == {"table:applicants", "table:balance", "table:outcomes", "table:appeals"}
    assert all(r.stated.index in cells | tables.absorbed for r in touching)
    balance = next(r for r in touching if r.source == "table:balance" and r.stated.metric == "new.total")
    assert balance.stated_expr == "本年新收(总计)29 + 上年结转(总计)3"
    assert balance.computed_expr == "办理结果总计(总计)31 + 结转下年度(总计)1"


def test_a_template_file_without_a_row_is_a_config_error(tmp_path):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    path = folder / "disclosure_template.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    carried_in:", "    carried_in_typo:"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="disclosure_template.yaml: applications.rows lacks carried_in"):
        load_config(folder)


# --- flattened layouts ----------------------------------------------------------------------

# (label, cells) of a small consistent table of requests: 21 received, 7 + 6 + 4 + 4 handled
ROWS = [
    ("一、本年新收政府信息公开申请数量", [20, 0, 0, 0, 0, 1, 21]),
    ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果（一）予以公开", [6, 0, 0, 0, 0, 1, 7]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [6, 0, 0, 0, 0, 0, 6]),
    ("（三）不予公开1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）无法提供1.本机关不掌握相关政府信息", [4, 0, 0, 0, 0, 0, 4]),
    ("（六）其他处理", [4, 0, 0, 0, 0, 0, 4]),
    ("（七）总计", [20, 0, 0, 0, 0, 1, 21]),
    ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
]
APPEALS_HEAD = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
                "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")
LAYOUTS = {
    "run together": lambda label, cells: label + "".join(map(str, cells)),
    "one cell per paragraph": lambda label, cells: label + "\n\n" + "\n\n".join(map(str, cells)) + "\n\n",
    "spaces": lambda label, cells: f"{label} {' '.join(map(str, cells))}\n",
    "tabs": lambda label, cells: label + "\t" + "\t".join(map(str, cells)) + "\n",
}


def table_of(layout, rows=ROWS, tail="五、存在的主要问题及改进情况。"):
    return "三、收到和处理政府信息公开申请情况" + "".join(LAYOUTS[layout](label, cells) for label, cells in rows) + tail


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_reads_the_same_cells(config, layout):
    _, tables = read(table_of(layout), config)
    assert [values(r) for r in tables.rows] == [cells for _, cells in ROWS]
    assert [r.name for r in tables.rows if r.key == "outcome"] == ["予以公开", "部分公开", "属于国家秘密",
                                                                  "其他法律行政法规禁止公开", "本机关不掌握相关政府信息", "其他处理"]


def test_a_run_of_digits_is_split_at_the_next_rows_item_number(config):
    text = table_of("run together")
    assert "00000002.其他法律" in text  # the 2 numbers the next row, not a cell
    _, tables = read(text, config)
    secret = next(r for r in tables.rows if r.name == "属于国家秘密")
    assert values(secret) == [0] * 7 and secret.written == "0000000"


def test_split_cells_carry_their_own_digits(config):
    text = table_of("run together")
    facts, tables = read(text, config)
    row = tables.row("new")
    assert [text[c.start:c.end] for c in row.cells] == ["20", "0", "0", "0", "0", "1", "21"]
    assert all(c.fact.start == c.start and c.fact in facts for c in row.cells)
    run = next(f for f in facts if f.text.startswith("200000121"))
    assert run.index in tables.absorbed and run.kind != "count"  # the run as one number is set aside


def test_mixed_spaces_and_runs_give_one_split(config):
    rows = [(label, cells) for label, cells in ROWS]
    text = table_of("run together", rows).replace("（七）总计200000121", "（七）总计20 0 00 0 121")
    _, tables = read(text, config)
    total = tables.row("total")
    assert values(total) == [20, 0, 0, 0, 0, 1, 21] and total.written == "20 0 00 0 121"
    assert total.cells[-1].fact.label == "办理结果总计〔20 0 00 0 121〕(总计)"  # the row as written, for the flags


def test_several_fitting_splits_read_nothing(config):
    # 110000011: 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11, and no other row settles it
    text = "一、本年新收政府信息公开申请数量110000011二、上年结转政府信息公开申请数量0000000五、存在的问题。"
    _, tables = read(text, config)
    new = tables.applications.rows[0]
    assert new.status == "ambiguous" and not new.cells and tables.row("new") is None
    assert not tables.findings


def test_other_rows_settle_a_split(config):
    # 本年新收 110000011 is ambiguous alone; 总计 11 (予以公开 10 + 1) and 上年结转 0 leave one reading
    text = ("一、本年新收政府信息公开申请数量110000011二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开100000010"
            "（三）不予公开1.属于三类内部事务信息1000001（七）总计110000011四、结转下年度继续办理0000000五、存在的问题。")
    _, tables = read(text, config)
    assert values(tables.row("new")) == [11, 0, 0, 0, 0, 0, 11]


def test_no_fitting_split_is_a_finding_that_quotes_the_row(config):
    text = table_of("run together").replace("（七）总计200000121", "（七）总计20000011")
    facts, tables = read(text, config)
    (finding,) = tables.findings
    assert finding.rows[0].written == "20000011" and finding.rows[0].status == "unfit"
    assert finding.reasons == ["2|0|0|0|0|0|11: 2 + 0 + 0 + 0 + 0 + 0 = 2 ≠ 11",
                               "20|0|0|0|0|1|1: 20 + 0 + 0 + 0 + 0 + 1 = 21 ≠ 1"]
    relations = find_relations(text, facts, sentences(text), paragraphs(text), config, tables)
    (split,) = [r for r in relations if r.source == "table:split"]
    assert "（七）总计20000011" in split.stated_expr and split.stated_lo > split.computed_hi


def test_a_row_with_one_possible_split_is_read_as_it_stands(config):
    # 7 digits for 7 cells: no choice, so a wrong total is DISC002's, not a split's
    text = table_of("run together").replace("（七）总计200000121", "（七）总计2000003")
    _, tables = read(text, config)
    assert values(tables.row("total")) == [2, 0, 0, 0, 0, 0, 3] and not tables.findings


def test_cells_one_per_line_with_a_blank_are_not_split(config):
    text = table_of("one cell per paragraph").replace("\n\n20\n\n0\n\n0\n\n0\n\n0\n\n1\n\n21", "\n\n20\n\n0\n\n0\n\n0\n\n0\n\n21", 1)
    _, tables = read(text, config)
    assert tables.applications.rows[0].status == "blank" and not tables.findings


def test_a_page_footer_between_rows_is_no_cell(config):
    text = table_of("spaces").replace("（四）无法提供", "- 4 -\n（四）无法提供")
    _, tables = read(text, config)
    assert [values(r) for r in tables.rows] == [cells for _, cells in ROWS]


def test_a_label_split_over_lines_and_spaced_headers(config):
    text = ("一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n三\n、\n本\n年\n度\n（一）予以公开 3 0 0 0 0 0 3\n"
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果\n维持\n结果\n纠正\n其他\n结果\n尚未\n审结 总 计\n"
            "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0\n五、存在的主要问题及改进情况。")
    _, tables = read(text, config)
    assert [c.value for c in tables.appeal_cells][:5] == [10, 1, 0, 0, 0]


def test_appeals_run_together_have_one_fitting_split(config):
    _, tables = read(APPEALS_HEAD + "10203120001200000五、存在的主要问题及改进情况。", config)
    assert [c.value for c in tables.appeal_cells] == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]


def test_appeals_after_a_sentence_naming_them(config):
    text = "全年发生政府信息公开行政复议3件。\n" + APPEALS_HEAD + " 3 0 0 0 3 0 0 0 0 0 0 0 0 0 0\n五、其他。"
    _, tables = read(text, config)
    assert tables.appeal_cells[4].value == 3


# --- the statistics table before 2020 ----------------------------------------------------------

STATS = ("政府信息公开情况统计表 指标名称 计量单位 2011年度 历年累计 主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509 "
         "2.政府公报公开 条 7 7 受理依申请公开信息总数 条 3 5 其中：1.当面申请数 条 1 2 2.网上申请数 条 2 3 "
         "3.其它形式申请数 条 0 0 行政复议数 件 0 0 附件下载")


def stats_values(tables):
    return {r.key: values(r) for r in tables.statistics.rows if r.read}


def test_statistics_rows_by_their_words(config):
    facts, tables = read(STATS, config)
    assert tables.statistics.columns == ("本年度", "历年累计")
    assert stats_values(tables) == {"published": [425, 1516], "published_web": [418, 1509],
                                    "published_gazette": [7, 7], "requests": [3, 5], "requests_in_person": [1, 2],
                                    "requests_online": [2, 3], "requests_other": [0, 0], "reconsideration": [0, 0]}
    cell = tables.statistics.row("published").cells[0]
    assert (cell.fact.metric, cell.fact.unit, cell.fact.label) == (
        "statistics.published.year", "条", "主动公开信息数〔425 1516〕(本年度)")


def test_statistics_run_together_are_split_by_their_sums(config):
    text = STATS.replace(" ", "").replace("2011年度", " 2011年度 ")
    assert "条4251516其中：1.网站公开条41815092.政府" in text
    _, tables = read(text, config)
    assert stats_values(tables)["published"] == [425, 1516]  # 42|51516 and 4|251516 leave no room for 418 + 7
    assert stats_values(tables)["published_web"] == [418, 1509]


def test_statistics_ambiguous_rows_are_left_unread(config):
    text = "指标名称计量单位2015年度历年累计主动公开文件数条294981916其中：1、政府网站公开数条2949819162、政府公报公开数条00"
    _, tables = read(text, config)
    assert {r.key: r.status for r in tables.statistics.rows} == {
        "published": "ambiguous", "published_web": "ambiguous", "published_gazette": "read"}


def test_statistics_single_column(config):
    text = "政府信息公开情况统计表\n统计指标 | 单位 | 数量\n收到申请数 | 件 | 12\n当面申请数 | 件 | 5\n网上申请数 | 件 | 7\n"
    _, tables = read(text, config)
    assert tables.statistics.columns == ("本年度",) and stats_values(tables)["requests"] == [12]


def test_a_list_of_the_reports_parts_is_no_table(config):
    text = "本报告由概述、政府信息公开情况统计表共五个部分组成。在互联网上，区公开办主动公开信息数为222条。"
    assert read(text, config)[1] is None


# --- the text against the table ---------------------------------------------------------------

@pytest.mark.parametrize("sentence, paired", [
    ("2011年主动公开政府信息425条。", 425),
    ("全年共主动公开政府信息 4970 条。", 4970),
    ("2011年全区未收到政府信息公开申请，收到1份有关政府信息公开行政复议申请。", 1),
    ("其中，区直、县直各单位主动公开政府信息3933条。", None),      # a part
    ("在互联网上，2011年区管委会、县政府公开办主动公开信息数为222条。", None),  # another subject
    ("2011年，全县共受理行政复议5件，没有因政府信息公开而被提起的行政复议。", None),  # not about disclosure
])
def test_prose_figures_paired_with_the_table(config, sentence, paired):
    _, tables = read(sentence + "\n" + STATS, config)
    assert [int(p.fact.value) for p in tables.text] == ([paired] if paired is not None else [])


def test_received_may_be_the_caseload(config):
    rows = [(label, cells) for label, cells in ROWS]
    rows[1] = (rows[1][0], [1, 0, 0, 0, 0, 0, 1])
    text = "2020年，全区收到政府信息公开申请22件。\n" + table_of("spaces", rows)
    _, tables = read(text, config)
    (pair,) = tables.text
    assert {t.value for t in pair.targets} == {21, 22}


def test_statistics_identities_name_known_rows(tmp_path):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    path = folder / "disclosure_template.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("complete_with: [replies_other]", "complete_with: [replies_typo]"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="names unknown row"):
        load_config(folder)


@pytest.mark.parametrize("sep", [" ", "\n"])
def test_appeals_printed_in_stacked_parts(config, sep):
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
            + sep.join("10004") + "\n行政诉讼\n未经复议直接起诉 复议后起诉\n结果维持 结果纠正 其他结果 尚未审结 总计 "
            "结果维持 结果纠正 其他结果 尚未审结 总计\n" + sep.join("2010300000") + "\n五、存在的主要问题及改进情况。")
    _, tables = read(text, config)
    assert [c.value for c in tables.appeal_cells] == [1, 0, 0, 0, 4, 2, 0, 1, 0, 3, 0, 0, 0, 0, 0]


def test_a_part_of_the_appeals_alone_is_not_read(config):
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持 结果纠正 其他结果 尚未审结 总计\n1 0 0 0 1\n"
            "五、存在的主要问题及改进情况。")
    _, tables = read(text, config)
    assert tables.appeals.rows[0].status == "blank" and not tables.appeal_cells
