"""A PDF report as text and grids, through pdfplumber (imported only when a PDF is read).

Each page is read top to bottom. Its drawn tables are found by their ruling lines
(page.find_tables); a table row with two cells or more is data, and consecutive data rows make
one grid, its merged cells found from their boxes (a cell as wide as two columns spans them).
A row of one cell as wide as the table is a line of prose in a framed page, not data. The
characters that stand in the data cells are taken out of the page's text lines, the grids are
put back where they stood, and the page's lines keep the breaks the layout put in them (a
sentence runs on to the next line; the figure readers read across such breaks).

A PDF with no character on any page is a scan (an image of text) and is refused: auditor does
no OCR.
"""

from __future__ import annotations

import io
from bisect import bisect_left

from auditor.ingest.grid import Document, RawCell, TextBuilder

_TOLERANCE = 1.0  # points: a box edge this close to a column or row boundary is on it


class PdfError(Exception):
    """str(err) says in one line why the PDF cannot be read."""


def pdf_document(data: bytes) -> Document:
    try:
        import pdfplumber
        from pdfminer.psexceptions import PSException
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as err:  # pragma: no cover - pdfplumber is a dependency
        raise PdfError(f"PDF files need pdfplumber ({err})") from err
    if not data.strip():
        raise PdfError("empty file")
    try:
        return _read(pdfplumber.open(io.BytesIO(data)))
    except (PSException, PdfminerException) as err:  # a broken file, an encrypted one, a bad stream
        raise PdfError(f"not a readable PDF: {type(err).__name__}: {err}") from err


def _read(pdf) -> Document:
    builder = TextBuilder()
    with pdf:
        if not pdf.pages:
            raise PdfError("a PDF without pages")
        n_chars = 0
        for number, page in enumerate(pdf.pages, start=1):
            builder.page()
            n_chars += len(page.chars)
            _read_page(page, number, builder)
            page.close()  # its parsed objects are no longer needed
        if not n_chars:
            pages = len(pdf.pages)
            raise PdfError(f"scanned PDF: no text layer on its {pages} page{'s' if pages != 1 else ''} "
                           "(images of text only); auditor does no OCR, so give it the text or an OCR'd PDF")
    return builder.document()


def _read_page(page, number: int, builder: TextBuilder) -> None:
    items: list[tuple[float, int, object]] = []  # (top, order, a line's text or a grid's cells)
    boxes: list[tuple[float, float, float, float]] = []
    for table in page.find_tables():
        for top, cells, cell_boxes in _data_blocks(table, number):
            items.append((top, len(items), cells))
            boxes += cell_boxes
    kept = page.filter(_outside(boxes)) if boxes else page
    for line in kept.extract_text_lines(return_chars=False):
        items.append((line["top"], len(items), line["text"]))
    for _, _, item in sorted(items, key=lambda i: (i[0], i[1])):
        if isinstance(item, str):
            builder.line(item)
        else:
            builder.table(item)


def _data_blocks(table, page: int):
    """(top, cells, cell boxes) of each run of consecutive rows with two cells or more."""
    rows = table.rows
    texts = table.extract()
    xs = sorted({round(box[0], 1) for row in rows for box in row.cells if box})
    tops = sorted({round(box[1], 1) for row in rows for box in row.cells if box})
    block: list[int] = []
    for i, row in enumerate(rows + [None]):
        if row is not None and sum(box is not None for box in row.cells) >= 2:
            block.append(i)
            continue
        if block:
            yield _block(rows, texts, block, xs, tops, page)
            block = []


def _block(rows, texts, indexes: list[int], xs: list[float], tops: list[float], page: int):
    first, last = indexes[0], indexes[-1]
    cells, boxes = [], []
    row_of = {round(rows[i].bbox[1], 1): i - first for i in indexes}
    for i in indexes:
        for j, box in enumerate(rows[i].cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            column = bisect_left(xs, round(x0, 1) - _TOLERANCE)
            colspan = max(1, bisect_left(xs, x1 - _TOLERANCE) - column)
            start_row = row_of.get(round(top, 1), i - first)
            below = bisect_left(tops, bottom - _TOLERANCE) - bisect_left(tops, round(top, 1) - _TOLERANCE)
            rowspan = max(1, min(below, last - i + 1))
            cells.append(RawCell(start_row, column, texts[i][j] or "", rowspan, colspan, page))
            boxes.append(box)
    return rows[first].bbox[1], cells, boxes


def _outside(boxes: list[tuple[float, float, float, float]]):
    """A filter keeping every object but the characters whose centre stands in one of the boxes."""
    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)
    return keep
