"""A Word (.docx) report as text and grids, through python-docx (imported only when one is read).

The body is read in order: each paragraph one line, each table a grid. python-docx gives a
table as rows of the grid's columns, a merged cell repeated in every place it covers
(horizontally through gridSpan, vertically through vMerge); a cell is placed once, where it
starts, spanning the places that repeat it. A table nested in a cell is not read (its cell
keeps its own paragraphs only).
"""

from __future__ import annotations

import io
import zipfile

from auditor.ingest.grid import Document, RawCell, TextBuilder


class DocxError(Exception):
    """str(err) says in one line why the file cannot be read."""


def docx_document(data: bytes) -> Document:
    try:
        import docx
        from docx.table import Table
    except ImportError as err:  # pragma: no cover - python-docx is a dependency
        raise DocxError(f"Word files need python-docx ({err})") from err
    if not data.strip():
        raise DocxError("empty file")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocxError(f"not a readable .docx file: {type(err).__name__}: {err}") from err
    builder = TextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            builder.table(_cells(block))
        else:
            builder.line(block.text)
    return builder.document()


def _cells(table) -> list[RawCell]:
    rows = [list(row.cells) for row in table.rows]
    placed: dict[int, RawCell] = {}  # id of the cell's XML element -> the cell, placed once
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            key = id(cell._tc)
            found = placed.get(key)
            if found is None:
                placed[key] = RawCell(r, c, "\n".join(p.text for p in cell.paragraphs))
            else:  # a place the cell covers: it spans to here
                found.rowspan = max(found.rowspan, r - found.row + 1)
                found.colspan = max(found.colspan, c - found.column + 1)
    return list(placed.values())
