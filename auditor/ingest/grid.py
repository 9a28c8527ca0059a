"""Tables read as grids (PDF, DOCX, HTML), and the report text they are rendered into.

A document that is more than text (a PDF's drawn tables, a Word table, an HTML <table>) is
read as paragraphs and grids. Its text, the one every offset counts in, is assembled here:
paragraphs one a line, and each table one row a line, the cells that start in the row joined
by " | ":

    一、本年新收政府信息公开申请数量 | 21 | 0 | 0 | 0 | 0 | 0 | 21

Each cell remembers where its text stands in that text (start, end), its place in the grid
(row, column, and how many rows and columns it spans) and, for a PDF, its page. The table
readers take a grid's cells directly; the figure and relation readers read the text as they
read any text, and a flag's quote is the text between a cell's offsets.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

CELL_SEPARATOR = " | "


@dataclass
class GridCell:
    row: int                 # 0-based row of the grid where the cell starts
    column: int              # 0-based column where it starts
    text: str                # its text as it stands in the report text
    start: int = 0           # offsets of its text in the report text (start == end: empty)
    end: int = 0
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None  # 1-based page of a PDF

    def covers(self, row: int, column: int) -> bool:
        return self.row <= row < self.row + self.rowspan and self.column <= column < self.column + self.colspan


@dataclass
class Grid:
    """One table: its cells, each once, at the row and column where it starts."""
    number: int              # 1-based among the document's tables
    cells: list[GridCell]
    n_rows: int
    n_columns: int
    _at: dict[tuple[int, int], GridCell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.column, cell.column + cell.colspan):
                    self._at.setdefault((r, c), cell)

    def at(self, row: int, column: int) -> GridCell | None:
        """The cell that covers (row, column): a merged cell covers every place it spans."""
        return self._at.get((row, column))

    def row(self, row: int) -> list[GridCell]:
        """The cells that cover the row, left to right, each once (a merged cell from above too)."""
        out: list[GridCell] = []
        for c in range(self.n_columns):
            cell = self._at.get((row, c))
            if cell is not None and (not out or out[-1] is not cell):
                out.append(cell)
        return out

    @property
    def page(self) -> int | None:
        return self.cells[0].page if self.cells else None

    def name(self) -> str:
        """表3, or 第4页表3 for a PDF's table."""
        return f"第{self.page}页表{self.number}" if self.page else f"表{self.number}"


@dataclass(frozen=True)
class Document:
    """A report's text as auditor reads it, its tables as grids, and where its pages start."""
    text: str
    grids: tuple[Grid, ...] = ()
    page_starts: tuple[int, ...] = ()  # offset of each page's first character (PDF)

    def page(self, offset: int) -> int | None:
        return bisect_right(self.page_starts, offset) if self.page_starts else None


@dataclass
class RawCell:
    """A cell as a reader finds it, before it is placed in the text."""
    row: int
    column: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None


class TextBuilder:
    """Assembles a document's text line by line, tables rendered one row a line."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0
        self._grids: list[Grid] = []
        self._page_starts: list[int] = []

    def page(self) -> None:
        """A new page starts here."""
        self._page_starts.append(self._size)

    def line(self, text: str) -> None:
        text = text.replace("\n", " ")
        if text.strip():
            self._put(text.strip())
            self._put("\n")

    def table(self, cells: list[RawCell]) -> Grid | None:
        """Render the cells (each once, at the row and column where it starts) and keep the grid."""
        if not cells:
            return None
        n_rows = max(c.row + c.rowspan for c in cells)
        n_columns = max(c.column + c.colspan for c in cells)
        placed: list[GridCell] = []
        for r in range(n_rows):
            starting = sorted((c for c in cells if c.row == r), key=lambda c: c.column)
            if not starting:
                continue
            for k, raw in enumerate(starting):
                if k:
                    self._put(CELL_SEPARATOR)
                text = join_lines(raw.text)
                start = self._size
                self._put(text)
                placed.append(GridCell(raw.row, raw.column, text, start, self._size, raw.rowspan, raw.colspan,
                                       raw.page))
            self._put("\n")
        grid = Grid(len(self._grids) + 1, placed, n_rows, n_columns)
        self._grids.append(grid)
        return grid

    def document(self) -> Document:
        return Document("".join(self._parts), tuple(self._grids), tuple(self._page_starts))

    def _put(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)


def join_lines(text: str) -> str:
    """A cell's lines as one: nothing between two CJK characters (结果⏎维持 -> 结果维持), a space
    elsewhere; runs of spaces collapsed."""
    lines = [" ".join(part.split()) for part in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out += line if _is_wide(out[-1]) and _is_wide(line[0]) else " " + line
    return out.replace("|", "｜")  # a bar inside a cell would read as a separator


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")
