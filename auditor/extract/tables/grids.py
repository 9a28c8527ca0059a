"""The template's tables read from grids: a PDF's drawn tables, Word and HTML tables.

A grid tells its cells apart, so no digits are split: a row is the words of the cells that
cover it (a label merged over several rows, 三、本年度办理结果 or （三）不予公开, names each of
them) followed by its figures, the numeric cells at its right end. A row with as many figures as
the table has columns is read; one with blank cells among them, or too few, is left blank.

The table of requests runs from the row naming 本年新收 to 结转下年度, on into the next grid
when it has as many columns (a PDF's table continued on the next page); rows are named as in
the text (requests.py). The table of appeals is the row of width × blocks figures under a
header holding the template's header words. Each cell keeps its place: 第4页表7第4行第5列.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from auditor.config import DisclosureTemplate
from auditor.extract.tables.model import Cell, Row, Table
from auditor.extract.tables.requests import MAX_ROWS, group_of, is_prose, outcome_name, row_key
from auditor.ingest.grid import Grid, GridCell

_NUMBER_RE = regex.compile(r"-?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
_SPACE_RE = regex.compile(r"\s+")


@dataclass
class GridRow:
    grid: Grid
    index: int               # the row in its grid
    labels: list[GridCell]   # the word cells that cover it, left to right
    figures: list[GridCell]  # the numeric cells at its right end
    blanks: bool             # an empty cell stands among its figures

    @property
    def label(self) -> str:
        return _SPACE_RE.sub("", "".join(c.text for c in self.labels))

    @property
    def label_start(self) -> int:
        own = [c.start for c in self.labels if c.row == self.index]
        return min(own) if own else (self.figures[0].start if self.figures else 0)


def read_grid_applications(grids: tuple[Grid, ...], text: str, template: DisclosureTemplate) -> Table | None:
    width = len(template.columns)
    table = Table("applications", tuple(c.zh for c in template.columns))
    group = ""
    for row in _rows_from(grids, lambda r: any(w in r.label for w in template.rows["new"].words)):
        label = row.label
        if any(w in label for w in template.appeal_start_words) or (is_prose(label) and not row.figures):
            break
        key = row_key(label, table.rows, template)
        if key is None:
            continue
        group = group_of(label) or group
        if not row.figures:
            continue
        name = template.rows[key].zh if key in template.rows else outcome_name(label, group)
        table.rows.append(_row(key, name, label, row, width, text, len(table.rows)))
        if key == "carried_out" or len(table.rows) > MAX_ROWS:
            break
    # a grid whose cells hold no figures the template needs (digits run together in one cell)
    # leaves the table to the text reader, which splits them
    return table if any(r.key == "new" for r in table.rows) and table.read_rows() else None


def read_grid_appeals(grids: tuple[Grid, ...], text: str, template: DisclosureTemplate) -> Table | None:
    width = len(template.block_columns) * len(template.blocks)
    columns = tuple(f"{b.zh}{c.zh}" for b in template.blocks for c in template.block_columns)
    for grid in grids:
        header = ""
        for r in range(grid.n_rows):
            row = _grid_row(grid, r)
            if len(row.figures) == width and all(w in header for w in template.appeal_header_words):
                table = Table("appeals", columns)
                table.rows.append(_row("appeals", "政府信息公开行政复议、行政诉讼", header, row, width, text, 0))
                return table
            header += row.label + "".join(c.text for c in row.figures)
            header = _SPACE_RE.sub("", header)
    return None


def _rows_from(grids: tuple[Grid, ...], first):
    """The grid rows from the first that `first` accepts, on into the next grids of as many columns."""
    for n, grid in enumerate(grids):
        rows = [_grid_row(grid, r) for r in range(grid.n_rows)]
        at = next((i for i, row in enumerate(rows) if first(row)), None)
        if at is None:
            continue
        yield from rows[at:]
        for following in grids[n + 1:]:
            if following.n_columns != grid.n_columns:
                return
            yield from (_grid_row(following, r) for r in range(following.n_rows))
        return


def _grid_row(grid: Grid, r: int) -> GridRow:
    cells = grid.row(r)
    figures: list[GridCell] = []
    blanks = False
    k = len(cells)
    while k and (cells[k - 1].row == r and (_is_number(cells[k - 1].text) or not cells[k - 1].text.strip())):
        k -= 1
        if cells[k].text.strip():
            figures.insert(0, cells[k])
        elif figures:
            blanks = True
    labels = [c for c in cells[:k] if c.text.strip()]
    return GridRow(grid, r, labels, figures, blanks)


def _row(key: str, name: str, label: str, grid_row: GridRow, width: int, text: str, index: int) -> Row:
    figures = grid_row.figures[-width:]
    start = figures[0].start if figures else grid_row.label_start
    end = figures[-1].end if figures else start
    row = Row(key, name, label, start, end, text[start:end], False, label_start=grid_row.label_start,
              grid=grid_row.grid.number)
    inside = [c for c in grid_row.figures if c.start >= start]
    if len(figures) < width or len(inside) != len(figures) or grid_row.blanks and _blank_between(grid_row, figures):
        return row  # blank: too few figures, or an empty cell among them
    values = [_value(c.text) for c in figures]
    if any(v is None for v in values):
        return row
    row.status = "read"
    row.cells = [Cell(index, c, cell.text, value, cell.start, cell.end, place=_place(grid_row.grid, cell))
                 for c, (cell, value) in enumerate(zip(figures, values))]
    return row


def _blank_between(grid_row: GridRow, figures: list[GridCell]) -> bool:
    first, last = figures[0].column, figures[-1].column
    return any(not c.text.strip() and first < c.column < last for c in grid_row.grid.row(grid_row.index))


def _place(grid: Grid, cell: GridCell) -> str:
    return f"{grid.name()}第{cell.row + 1}行第{cell.column + 1}列"


def _is_number(text: str) -> bool:
    return _NUMBER_RE.fullmatch(text.strip()) is not None


def _value(text: str):
    digits = text.strip().translate(_FULLWIDTH).replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() and "." not in digits else value
