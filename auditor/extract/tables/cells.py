"""The figures that carry a table's cells into facts.csv and the relations.

A cell whose digits are a figure the extractor already read keeps that figure; a cell split
out of a run of digits (6|0|0|0|0|1|7 of 6000017) becomes a new figure spanning its own digits.
Either way it is renamed by its row and column (metric new.natural_person, label 本年新收(自然人)).
Where a row's digits share one line without | or tabs, the row as written goes into the label of
its total cell (予以公开〔6000017〕(总计)), so a flag shows how its figures were read; a cell read
from a grid names its place there instead (行政复议〔第4页表7第4行第5列〕总计). Every other
figure standing in a table's digits (the run 6000017 read as one number) is set aside as a plain
number, out of every other reader's way.
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

import regex

from auditor.config import DisclosureTemplate
from auditor.extract.figures import VALUE_KINDS, Fact
from auditor.extract.tables.model import DisclosureTables, Row, Table
from auditor.ingest.spans import LineIndex

FAMILY = "information_disclosure"
UNIT = "件"
_SPACES_RE = regex.compile(r"\s+")


def attach_facts(tables: DisclosureTables, text: str, facts: list[Fact], template: DisclosureTemplate) -> None:
    by_span = {(f.start, f.end): f for f in facts}
    line_of = LineIndex(text).line  # the text's lines found with str.find, not a pattern
    taken: set[int] = set()
    for table in tables.tables():
        for row in table.rows:
            for cell in row.cells:
                cell.text, cell.line = text[cell.start:cell.end], line_of(cell.start)
                cell.fact = _fact_for(cell.start, cell.end, cell.text, cell.value, by_span, facts)
                taken.add(cell.fact.index)
            if row.read:
                _name(table, row, template)
    spans = sorted((r.start, r.end) for t in tables.tables() for r in t.rows)
    for fact in facts:
        if fact.index in taken or not spans:
            continue
        i = bisect_right(spans, (fact.start, float("inf"))) - 1
        if i >= 0 and fact.start < spans[i][1] and fact.end > spans[i][0]:
            tables.absorbed.add(fact.index)
            if fact.kind in VALUE_KINDS:
                fact.kind = "number"


def written(row: Row) -> str:
    """The row's digits as written, spaces collapsed."""
    return _SPACES_RE.sub(" ", row.written.strip())


def _fact_for(start: int, end: int, text: str, value, by_span: dict, facts: list[Fact]) -> Fact:
    fact = by_span.get((start, end))
    if fact is not None and fact.value is not None and fact.value == value:
        return fact
    number = Decimal(value)
    ulp = Decimal(1) if number == number.to_integral_value() else Decimal(1).scaleb(number.as_tuple().exponent)
    fact = Fact(index=len(facts), kind="count", value=number, unit=UNIT, qualifier="", lo=float(number),
                hi=float(number), ulp=ulp, rounded=False, text=text, start=start, end=end)
    facts.append(fact)
    return fact


def _name(table: Table, row: Row, template: DisclosureTemplate) -> None:
    written_quote = f"〔{written(row)}〕" if row.inline else ""
    for cell in row.cells:
        quote = f"〔{cell.place}〕" if cell.place else written_quote  # a grid's cell names its place
        if table.kind == "applications":
            column = template.columns[cell.column]
            last = cell.column == len(template.columns) - 1
            _rename(cell.fact, f"{row.key}.{column.key}", f"{row.name}{quote if last else ''}({column.zh})", UNIT)
        elif table.kind == "appeals":
            width = len(template.block_columns)
            block, column = template.blocks[cell.column // width], template.block_columns[cell.column % width]
            last = cell.column % width == width - 1
            _rename(cell.fact, f"appeal{cell.column // width + 1}.{column.zh}",
                    f"{block.zh}{quote if last else ''}{column.zh}", UNIT)
        elif table.kind == "regulations":
            _rename(cell.fact, f"regulations.{row.key}.{table.keys[cell.column]}",
                    f"{row.name}{quote if cell.column == len(table.columns) - 1 else ''}({table.columns[cell.column]})",
                    UNIT)
        else:
            _rename(cell.fact, f"statistics.{row.key}.{table.keys[cell.column]}",
                    f"{row.name}{quote}({table.columns[cell.column]})", row.unit or "条")


def _rename(fact: Fact, metric: str, label: str, unit: str) -> None:
    fact.kind, fact.unit, fact.family, fact.metric = "count", unit, FAMILY, metric
    fact.label, fact.after, fact.metric_word = label, "", ""
