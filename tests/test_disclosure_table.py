"""Reading the information-disclosure template's tables from text (auditor/extract/disclosure_table.py).

The rules' verdicts on whole tables are in tests/fixtures/rules/DISC00*.yaml; here, what is read:
which rows, which cells, under which names, and what is left alone.
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
    return [int(f.value) for f in row.cells]


def test_rows_cells_and_names(config):
    _, tables = read(TABLE, config)
    assert [r.key for r in tables.rows] == ["new", "carried_in", "outcome", "outcome", "outcome", "outcome", "total",
                                            "carried_out"]
    assert [r.name for r in tables.rows if r.key == "outcome"] == ["予以公开", "属于国家秘密", "本机关不掌握相关政府信息",
                                                                  "其他处理·其他"]
    assert values(tables.row("new")) == [25, 3, 0, 0, 1, 0, 29]
    assert values(tables.row("total")) == [26, 4, 0, 0, 1, 0, 31]
    first = tables.row("new").cells[0]
    assert (first.kind, first.unit, first.family, first.metric, first.label) == (
        "count", "件", "information_disclosure", "new.natural_person", "本年新收(自然人)")
    assert TABLE[first.start:first.end] == "25"
    assert tables.row("carried_out").cells[-1].metric == "carried_out.total"


def test_appeals_row(config):
    _, tables = read(TABLE, config)
    assert [int(f.value) for f in tables.appeals] == [1, 0, 0, 0, 1, 2, 0, 1, 0, 3, 0, 0, 0, 0, 0]
    assert tables.appeals[9].label == "行政诉讼(未经复议直接起诉)总计"


@pytest.mark.parametrize("separator", ["\t", " ", "\n", "｜"])
def test_any_separator(config, separator):
    text = TABLE.replace(" | ", separator).replace("| ", "").replace(" |", "")
    _, tables = read(text, config)
    assert values(tables.row("new")) == [25, 3, 0, 0, 1, 0, 29]
    assert values(tables.row("carried_out")) == [1, 0, 0, 0, 0, 0, 1]
    assert len(tables.appeals) == 15


def test_a_row_that_does_not_fill_the_columns_is_left_out(config):
    text = TABLE.replace("| 二、上年结转政府信息公开申请数量 | 2 | 1 |", "| 二、上年结转政府信息公开申请数量 | | 1 |")
    _, tables = read(text, config)
    assert tables.row("carried_in") is None
    assert tables.row("total") is not None  # the rows after it are still read


def test_an_item_number_in_its_own_cell_starts_the_next_row(config):
    text = TABLE.replace("| （三）不予公开 | 1．属于国家秘密 |", "| （三）不予公开 | 1 | 属于国家秘密 |")
    _, tables = read(text, config)
    assert values(tables.rows[2]) == [12, 2, 0, 0, 1, 0, 15]
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
