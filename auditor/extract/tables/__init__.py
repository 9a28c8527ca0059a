"""The tables of an information-disclosure report (政府信息公开工作年度报告), read from its text.

read_tables finds the template's tables (the 2019/2021 table of requests and the table of
appeals; the 统计表 of the reports before 2020; the table of 规章 and 规范性文件 issued, repealed and in
force) whatever their layout, in the grids of a PDF,
Word or HTML report or else in the text, reads their cells, and
pairs the prose's figures with the table values they name; table_relations turns what was read
into the relations the rules DISC001–DISC008 check.
"""

from __future__ import annotations

from auditor.config import DisclosureTemplate
from auditor.extract.figures import Fact
from auditor.extract.tables.cells import attach_facts
from auditor.extract.tables.grids import read_grid_appeals, read_grid_applications
from auditor.extract.tables.identities import table_relations
from auditor.extract.tables.model import Cell, DisclosureTables, Finding, Row, Table
from auditor.extract.tables.prose import text_pairs
from auditor.extract.tables.regulations import read_regulations
from auditor.extract.tables.requests import read_appeals, read_applications
from auditor.extract.tables.statistics import read_statistics
from auditor.ingest.grid import Grid

__all__ = ["Cell", "DisclosureTables", "Row", "Table", "read_tables", "table_relations"]


def read_tables(text: str, facts: list[Fact], template: DisclosureTemplate,
                grids: tuple[Grid, ...] = ()) -> DisclosureTables | None:
    """The report's template tables, their cells carried by figures (new ones appended to
    facts); None when it has none. A table the report's grids hold (PDF, DOCX, HTML) is read
    from them; the others from the text."""
    applications = read_grid_applications(grids, text, template) if grids else None
    if applications is None:
        applications = read_applications(text, template)
    appeals = read_grid_appeals(grids, text, template) if grids else None
    if appeals is None:
        after = applications.rows[-1].end if applications and applications.rows else 0
        appeals = read_appeals(text, template, after, applications.runs_split if applications else False)
    statistics = read_statistics(text, template.statistics) if template.statistics else None
    regulations = read_regulations(text, template.regulations) if template.regulations else None
    tables = DisclosureTables(applications, appeals, statistics, regulations)
    if not any(t.rows for t in tables.tables()):
        return None
    attach_facts(tables, text, facts, template)
    for table in tables.tables():
        for rows, reasons in table.unfit:
            standing = _standing_in(rows, facts)
            if standing:
                tables.findings.append(Finding(table, rows, reasons, standing))
    tables.text = text_pairs(text, facts, tables, template)
    return tables


def _standing_in(rows: list[Row], facts: list[Fact]) -> list[Fact]:
    """The figures the extractor read in the rows' digits, in order."""
    return [f for f in facts if any(r.start <= f.start < r.end for r in rows)]
