"""The relations a report's template tables imply, for the rules DISC001–DISC008 to check.

The sums of the tables go through the relation builder's `sum` (op "table", one source per
identity). Four kinds of record have no such sum, and are built here as Relation rows the way
`sum` builds them, all with op "table":
- table:statistics-bound: parts that may not exceed their whole (网站 + 公报 ≤ 主动公开; 本年度 ≤
  历年累计): the whole stands as the interval [0, whole], so only parts above it fail (DISC007);
- table:split: digits no split fits (DISC006): one split was needed, none was found;
- table:count: a cell below zero or not whole (DISC008);
- table:text: a prose figure against the table value(s) it may name (DISC005).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from auditor.config import DisclosureTemplate
from auditor.extract.figures import Fact
from auditor.extract.tables.cells import FAMILY, written
from auditor.extract.tables.model import DisclosureTables, Finding, Row, Table
from auditor.extract.tables.prose import TextPair
from auditor.extract.tables.statistics import identity_sums
from auditor.ingest.spans import Span

if TYPE_CHECKING:
    from auditor.extract.relations import Builder


def table_relations(builder: Builder, tables: DisclosureTables, template: DisclosureTemplate) -> None:
    builder.named |= tables.cell_indexes()
    if tables.applications is not None:
        _application_sums(builder, tables.applications, len(template.columns))
    if tables.appeals is not None and tables.appeals.rows and tables.appeals.rows[0].read:
        block = len(template.block_columns)
        cells = [c.fact for c in tables.appeals.rows[0].cells]
        for b in range(0, len(cells), block):  # 维持 + 纠正 + 其他结果 + 尚未审结 = 总计
            _sum(builder, "table:appeals", cells[b + block - 1], cells[b:b + block - 1])
    if tables.statistics is not None and template.statistics is not None:
        _statistics_sums(builder, tables.statistics, template, builder.text)
    for finding in tables.findings:
        _unfit(builder, finding)
    for table in tables.tables():
        _counts(builder, table)
    for pair in tables.text:
        _text(builder, pair)


def _application_sums(builder: Builder, table: Table, width: int) -> None:
    for row in table.read_rows():  # the 总计 column = 自然人 + the kinds of 法人或其他组织
        facts = row.facts()
        _sum(builder, "table:applicants", facts[-1], facts[:-1])
    new, carried_in = table.row("new"), table.row("carried_in")
    total, carried_out = table.row("total"), table.row("carried_out")
    outcomes = [r for r in table.read_rows() if r.key == "outcome"]
    unread = any(r.key == "outcome" and not r.read for r in table.rows)
    for c in range(width):
        if new and carried_in and total and carried_out:  # 本年新收 + 上年结转 = 总计 + 结转下年度
            builder.sum("table", "table:balance", FAMILY, new.cells[c].fact,
                        [total.cells[c].fact, carried_out.cells[c].fact], extras=[carried_in.cells[c].fact])
        if total and outcomes and not unread:  # (七)总计 = (一) + … + (六)
            _sum(builder, "table:outcomes", total.cells[c].fact, [r.cells[c].fact for r in outcomes])


def _statistics_sums(builder: Builder, table: Table, template: DisclosureTemplate, text: str) -> None:
    width = len(table.columns)
    for s in identity_sums(table, template.statistics, text, width):
        whole = table.rows[s.left[0][0]].cells[s.left[0][1]].fact
        parts = [table.rows[r].cells[c].fact for r, c in s.right]
        if s.op == "eq":
            builder.sum("table", "table:statistics", FAMILY, whole, parts)
        else:
            _bound(builder, whole, parts, [table.rows[s.left[0][0]]] + [table.rows[r] for r, _ in s.right])
    if {"year", "cumulative"} <= set(table.keys):
        year, cumulative = table.keys.index("year"), table.keys.index("cumulative")
        for row in table.read_rows():
            _bound(builder, row.cells[cumulative].fact, [row.cells[year].fact], [row])


def _sum(builder: Builder, source: str, whole: Fact, parts: list[Fact]) -> None:
    # Zero cells add nothing and would crowd the message; one is kept when all are zero.
    stated = [p for p in parts if p.value] or parts[:1]
    builder.sum("table", source, FAMILY, whole, stated)


# --- records built here ---------------------------------------------------------------------

def _bound(builder: Builder, whole: Fact, parts: list[Fact], rows: list[Row]) -> None:
    """The parts at most the whole: the whole stands as [0, whole]."""
    shown = [p for p in parts if p.value] or parts[:1]
    total = sum((p.value for p in shown), Decimal(0))
    _record(builder, "table:statistics-bound", whole, shown, 0.0, whole.hi,
            float(sum(p.lo for p in shown)), float(sum(p.hi for p in shown)),
            _expr(whole), " + ".join(_expr(p) for p in shown), f"{total}{whole.unit}", rows)


def _unfit(builder: Builder, finding: Finding) -> None:
    """Digits no split fits: at least one split should, none does."""
    quoted = "; ".join(f"{_row_name(finding.table, r)}{written(r)}" for r in finding.rows)
    _record(builder, "table:split", finding.facts[0], finding.facts, 1.0, 1.0, 0.0, 0.0,
            quoted, "; ".join(finding.reasons), f"{sum(len(r.splits) for r in finding.rows)}种拆法", finding.rows)


def _counts(builder: Builder, table: Table) -> None:
    """A count below zero or with a fraction: no whole number of requests."""
    for row in table.read_rows():
        for cell in row.cells:
            value = cell.fact.value
            if value < 0 or value != value.to_integral_value():
                nearest = max(Decimal(0), value.to_integral_value())
                _record(builder, "table:count", cell.fact, [cell.fact], cell.fact.lo, cell.fact.hi,
                        float(nearest), float(nearest), _expr(cell.fact), f"{nearest}", f"{nearest}{cell.fact.unit}", [row])


def _text(builder: Builder, pair: TextPair) -> None:
    """The prose figure against the nearest value the tables give for it."""
    value = pair.fact.value
    nearest = min(pair.targets, key=lambda t: abs(t.value - value))
    _record(builder, "table:text", pair.fact, [f for t in pair.targets for f in t.facts], pair.fact.lo, pair.fact.hi,
            float(nearest.value), float(nearest.value), pair.phrase, "; ".join(t.expr for t in pair.targets),
            f"{nearest.value}", [])


def _record(builder: Builder, source: str, stated: Fact, parts: list[Fact], stated_lo: float, stated_hi: float,
            computed_lo: float, computed_hi: float, stated_expr: str, computed_expr: str, computed_value: str,
            rows: list[Row]) -> None:
    from auditor.extract.relations import Relation  # relations imports this module

    spans = [Span(r.start, r.end) for r in rows] or [Span(f.start, f.end) for f in [stated, *parts]]
    unique = sorted({(s.start, s.end) for s in spans})
    builder.relations.append(Relation(
        op="table", source=source, family=FAMILY, stated=stated, parts=list(parts) or [stated],
        stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=computed_lo, computed_hi=computed_hi,
        stated_expr=stated_expr, computed_expr=computed_expr, computed_value=computed_value,
        sentences=[Span(a, b) for a, b in unique]))


def _expr(fact: Fact) -> str:
    return f"{fact.label}{fact.text}"


def _row_name(table: Table, row: Row) -> str:
    return "行政复议、行政诉讼 " if table.kind == "appeals" else row.label[-14:]
