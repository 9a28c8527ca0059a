"""The tables of an information-disclosure report (政府信息公开工作年度报告), read from its text.

The national template (expectations/disclosure_template.yaml) has two tables whose figures must
add up: 收到和处理政府信息公开申请情况 (rows of requests and outcomes by kind of applicant) and
政府信息公开行政复议、行政诉讼情况 (one row of blocks). Reports reach auditor as text in which
the cells of a row are separated by `|`, tabs, spaces or line breaks, so a table is read as a
stream of cells: a row is the label cells since the previous row's figures, then as many figures
as the table has columns. Rows are named by a word of their label; every row between 上年结转
and 总计 is an outcome. A row whose figures do not fill the columns (a blank cell, a merged cell)
is not guessed at: it is left out, and so are the sums it would enter.

The figures of a table become counts named by their row and column (metric new.natural_person,
label 本年新收(自然人)), and the other relation readers leave them alone: a table row is no
sentence of prose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from auditor.config import DisclosureTemplate
from auditor.extract.figures import Fact

if TYPE_CHECKING:
    from auditor.extract.relations import Builder

FAMILY = "information_disclosure"
UNIT = "件"
_CELL_RE = regex.compile(r"[^\s|｜]+")
_NUMBER_CELL_RE = regex.compile(r"[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+")
_ITEM_MARK_RE = regex.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])+")
_ASIDE_RE = regex.compile(r"[（(][^（()）]*[)）]$")
_NAME_CHARS = 12
_MAX_ROWS = 60  # the template has about 30; past this the stream is no table
_PROSE_MARKS = ("。", "；")


@dataclass
class TableRow:
    key: str               # new, carried_in, outcome, total, carried_out
    name: str              # the template's name for the row (本年新收), an outcome's own (属于国家秘密)
    cells: list[Fact]      # one per column, the total last


@dataclass
class DisclosureTables:
    rows: list[TableRow] = field(default_factory=list)
    appeals: list[Fact] = field(default_factory=list)  # blocks × block columns, in order

    def cell_indexes(self) -> set[int]:
        return {f.index for row in self.rows for f in row.cells} | {f.index for f in self.appeals}

    def row(self, key: str) -> TableRow | None:
        return next((r for r in self.rows if r.key == key), None)


def read_tables(text: str, facts: list[Fact], template: DisclosureTemplate) -> DisclosureTables | None:
    """The report's template tables, with their figures renamed; None when it has neither."""
    by_start = {f.start: f for f in facts}
    tables = DisclosureTables(rows=_application_rows(text, by_start, template),
                              appeals=_appeal_cells(text, by_start, template))
    if not tables.rows and not tables.appeals:
        return None
    for row in tables.rows:
        for fact, column in zip(row.cells, template.columns):
            _rename(fact, f"{row.key}.{column.key}", f"{row.name}({column.zh})")
    width = len(template.block_columns)
    for i, fact in enumerate(tables.appeals):
        block, column = template.blocks[i // width], template.block_columns[i % width]
        _rename(fact, f"appeal{i // width + 1}.{column.zh}", f"{block.zh}{column.zh}")
    return tables


def table_relations(builder: Builder, tables: DisclosureTables, template: DisclosureTemplate) -> None:
    """The sums the template implies (rules DISC001–DISC004 check them)."""
    builder.named |= tables.cell_indexes()
    width = len(template.columns)
    for row in tables.rows:  # the 总计 column = 自然人 + the kinds of 法人或其他组织
        _sum(builder, "table:applicants", row.cells[-1], row.cells[:-1])
    new, carried_in = tables.row("new"), tables.row("carried_in")
    total, carried_out = tables.row("total"), tables.row("carried_out")
    outcomes = [r for r in tables.rows if r.key == "outcome"]
    for c in range(width):
        if new and carried_in and total and carried_out:  # 本年新收 + 上年结转 = 总计 + 结转下年度
            builder.sum("table", "table:balance", FAMILY, new.cells[c], [total.cells[c], carried_out.cells[c]],
                        extras=[carried_in.cells[c]])
        if total and outcomes:  # (七)总计 = (一) + … + (六)
            _sum(builder, "table:outcomes", total.cells[c], [r.cells[c] for r in outcomes])
    block = len(template.block_columns)
    for b in range(0, len(tables.appeals), block):  # 维持 + 纠正 + 其他结果 + 尚未审结 = 总计
        cells = tables.appeals[b:b + block]
        _sum(builder, "table:appeals", cells[-1], cells[:-1])


def _sum(builder: Builder, source: str, whole: Fact, parts: list[Fact]) -> None:
    # Zero cells add nothing and would crowd the message; one is kept when all are zero.
    stated = [p for p in parts if p.value] or parts[:1]
    builder.sum("table", source, FAMILY, whole, stated)


def _rename(fact: Fact, metric: str, label: str) -> None:
    fact.kind, fact.unit, fact.family, fact.metric = "count", UNIT, FAMILY, metric
    fact.label, fact.after, fact.metric_word = label, "", ""


# --- the table of requests ------------------------------------------------------------------

def _application_rows(text: str, by_start: dict[int, Fact], template: DisclosureTemplate) -> list[TableRow]:
    anchors = [text.find(w) for w in template.rows["new"].words]
    anchors = [a for a in anchors if a >= 0]
    if not anchors:
        return []
    width = len(template.columns)
    rows: list[TableRow] = []
    for label, cells in _rows(text, text.rfind("\n", 0, min(anchors)) + 1, by_start, width):
        key = _row_key(label, rows, template)
        if key is None:
            if rows and _is_prose(label):
                break
            continue
        if cells is not None:
            name = template.rows[key].zh if key in template.rows else _short_name(label)
            rows.append(TableRow(key, name, cells))
        if key == "carried_out" or len(rows) > _MAX_ROWS:
            break
    return rows if any(r.key == "new" for r in rows) else []


def _row_key(label: str, rows: list[TableRow], template: DisclosureTemplate) -> str | None:
    """new first; then carried_in, outcomes, total and carried_out in the template's order."""
    words = {key: named.words for key, named in template.rows.items()}
    seen = {r.key for r in rows}
    if not seen:
        return "new" if _has(label, words["new"]) else None
    if "total" in seen:
        return "carried_out" if _has(label, words["carried_out"]) else None
    if _has(label, words["carried_out"]):
        return "carried_out"
    if _has(label, words["total"]):
        return "total"
    if _has(label, words["carried_in"]):
        return "carried_in"
    return "outcome"


def _has(label: str, words: tuple[str, ...]) -> bool:
    return any(w in label for w in words)


def _short_name(label: str) -> str:
    """三、本年度办理结果（一）予以公开 -> 予以公开: the last cell of the label, unnumbered;
    a bare 3．其他 keeps the cell before it (其他处理·其他)."""
    cells = [_ASIDE_RE.sub("", _ITEM_MARK_RE.sub("", c)) or c for c in label.split("\x1f")]
    name = cells[-1]
    if len(name) <= 2 and len(cells) > 1:
        name = f"{cells[-2]}·{name}"
    return name[:_NAME_CHARS]


def _rows(text: str, start: int, by_start: dict[int, Fact], width: int):
    """(label, cells) for each run of label cells and the figures after them. cells is None
    when the figures do not fill the row (or are not all read as figures)."""
    label: list[str] = []
    numbers: list[regex.Match] = []
    for match in _CELL_RE.finditer(text, start):
        if _NUMBER_CELL_RE.fullmatch(match.group()):
            numbers.append(match)
            continue
        if numbers:
            # 8 figures before a label: the last is the item number of the next row (1 属于…)
            carried = numbers.pop() if len(numbers) == width + 1 else None
            yield "\x1f".join(label), _cells(numbers, by_start, width)
            label, numbers = ([carried.group()] if carried else []), []
        label.append(match.group())
    if numbers:
        yield "\x1f".join(label), _cells(numbers, by_start, width)


def _cells(numbers: list[regex.Match], by_start: dict[int, Fact], width: int) -> list[Fact] | None:
    if len(numbers) != width:
        return None
    facts = [by_start.get(m.start()) for m in numbers]
    if any(f is None or f.end != m.end() or f.value is None for f, m in zip(facts, numbers)):
        return None
    return facts


# --- the table of appeals -------------------------------------------------------------------

def _appeal_cells(text: str, by_start: dict[int, Fact], template: DisclosureTemplate) -> list[Fact]:
    starts = [text.find(w) for w in template.appeal_start_words]
    starts = [s for s in starts if s >= 0]
    if not starts:
        return []
    width = len(template.block_columns) * len(template.blocks)
    for label, cells in _rows(text, min(starts), by_start, width):
        if all(w in label for w in template.appeal_header_words):
            return cells or []
        if _is_prose(label):
            return []
    return []


def _is_prose(label: str) -> bool:
    """A label cell holding a full stop or a semicolon is a sentence: the table has ended."""
    return any(mark in label for mark in _PROSE_MARKS)
