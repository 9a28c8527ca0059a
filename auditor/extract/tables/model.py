"""One model for every template table, whatever text it was read from.

A table is rows of cells. A cell knows its row and column, its digits as written, its value and
where it stands in the report (offsets and line); once read, the figure (Fact) that carries it
into facts.csv and the relations. A table read from a grid (a PDF's drawn table, a Word or HTML
table) also knows, for each cell, its place in the grid (table, row, column and the PDF's page). A row keeps its label and its digits as written, and how it
was read: `read` (its cells are known), `ambiguous` (several splits of its digits fit its sums:
nothing is read), `unfit` (no split fits: the template proves an error, DISC006) or `blank`
(too few figures for its columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.extract.figures import Fact


@dataclass
class Cell:
    row: int                 # the row's place in its table
    column: int
    text: str                # the digits as written
    value: int
    start: int               # offsets in the report text
    end: int
    line: int = 0            # 1-based line of the report text
    fact: Fact | None = None  # the figure that carries the cell (set when the table is read)
    place: str = ""          # read from a grid: where it stands (第4页表7第4行第5列)


@dataclass
class Row:
    key: str                 # the template's key for the row (new, outcome, published, appeals …)
    name: str                # its short name (本年新收, 属于国家秘密, 主动公开信息数)
    label: str               # its label as written, spaces and line breaks collapsed
    start: int               # span of its digits in the report text
    end: int
    written: str             # its digits as written (20 0 00 0 121)
    inline: bool             # its digits share a line, not set apart by | or tabs: flags quote them
    status: str = "blank"    # read, ambiguous, unfit, blank; unnamed: a row the template does not name
    cells: list[Cell] = field(default_factory=list)
    splits: list[tuple[int, ...]] = field(default_factory=list)  # the splits tried, when it had to be split
    unit: str = ""
    label_start: int = 0
    grid: int = 0            # read from a grid (PDF, DOCX, HTML): the table's number, else 0

    @property
    def read(self) -> bool:
        return self.status == "read"

    def facts(self) -> list[Fact]:
        return [c.fact for c in self.cells if c.fact is not None]


@dataclass
class Table:
    kind: str                # applications, appeals, statistics
    columns: tuple[str, ...]  # the columns' names
    rows: list[Row] = field(default_factory=list)
    keys: tuple[str, ...] = ()  # the columns' keys, where the template gives them
    runs_split: bool = False  # its digits run together: rows may be split
    unfit: list[tuple[list[Row], list[str]]] = field(default_factory=list)  # rows no split fits, and why

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key and r.read), None)

    def read_rows(self) -> list[Row]:
        return [r for r in self.rows if r.read]


@dataclass
class Finding:
    """Digits that no split fits: the rows, and why each split fails."""
    table: Table
    rows: list[Row]
    reasons: list[str]       # one per split tried (or a summary), shown in the flag
    facts: list[Fact]        # the figures of the report that stand in the digits


@dataclass
class DisclosureTables:
    applications: Table | None = None
    appeals: Table | None = None
    statistics: Table | None = None
    regulations: Table | None = None  # 第二十条第（一）项: documents issued, repealed, in force
    findings: list[Finding] = field(default_factory=list)
    text: list = field(default_factory=list)  # prose figures paired with table values (prose.TextPair)
    absorbed: set[int] = field(default_factory=set)  # other figures standing in the tables' digits

    def tables(self) -> list[Table]:
        return [t for t in (self.applications, self.appeals, self.statistics, self.regulations) if t is not None]

    def cell_indexes(self) -> set[int]:
        cells = {c.fact.index for t in self.tables() for r in t.read_rows() for c in r.cells if c.fact}
        return cells | self.absorbed

    @property
    def rows(self) -> list[Row]:
        """The read rows of the table of requests."""
        return self.applications.read_rows() if self.applications else []

    def row(self, key: str) -> Row | None:
        return self.applications.row(key) if self.applications else None

    @property
    def appeal_cells(self) -> list[Cell]:
        row = self.appeals.rows[0] if self.appeals and self.appeals.rows else None
        return row.cells if row and row.read else []
