"""Visible text of an HTML page, laid out one block per line, with a map back to source lines.

Rules, roughly what a reader sees in a browser:
- script, style, noscript, template, nav, head (except the <title>) and comments are dropped;
- the page <title> is the first line;
- block elements (p, div, li, h1-h6, ...) start a new line, <br> breaks a line;
- a table row is one line, its cells separated by tabs; paragraphs inside a cell become spaces
  so that Word-exported tables (<td><p>...</p></td>) keep one row per line. A row that holds a
  nested table or a long multi-paragraph cell is page layout, not data: its cell and
  paragraph boundaries become line breaks instead;
- white space runs collapse to one space (&nbsp; included), except that a source line break
  between two CJK characters disappears (as in Firefox), since Chinese puts no space there;
- no trailing spaces, no leading spaces, never more than one blank line in a row.

Each data table (not page layout) is also kept as a grid (auditor/ingest/grid.py): its cells
placed by the HTML table algorithm (a cell with rowspan or colspan covers the places below and
to its right), each with the offsets of its text in the visible text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser

from auditor.ingest.grid import Grid, GridCell

_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "head"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "ol", "p",
    "section", "summary", "ul",
})
# Tags that only occur in a body: seeing one means an unclosed <head> has ended.
_BODY_TAGS = _BLOCK | {"table", "tr", "td", "th", "pre", "br"}
_WS_CHARS = " \t\n\r\f\v\xa0"
_TOKEN_RE = re.compile(f"[{_WS_CHARS}]+|[^{_WS_CHARS}]+")
_WS_RE = re.compile(f"[{_WS_CHARS}]+")
# A cell with more paragraphs or text than this is page layout, not a data cell.
_LAYOUT_BREAKS = 3
_LAYOUT_CHARS = 1000
_MAX_NEWLINES = 2  # at most one blank line


@dataclass(frozen=True)
class OffsetMap:
    """Sorted anchors (text offset, 1-based source line) taken where text segments start."""

    offsets: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()

    def source_line(self, text_offset: int) -> int:
        """Source line of the segment holding text_offset (separators map to the one before)."""
        if not self.lines:
            return 1
        index = bisect_right(self.offsets, text_offset) - 1
        return self.lines[max(index, 0)]


def html_to_text(html: str) -> tuple[str, OffsetMap]:
    """The page's visible text and a map from its offsets to lines of `html`; never raises."""
    text, offsets, _ = html_document(html)
    return text, offsets


def html_document(html: str) -> tuple[str, OffsetMap, tuple[Grid, ...]]:
    """The visible text, its map to source lines, and the page's data tables as grids."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.result()


@dataclass
class _Cell:
    rowspan: int = 1
    colspan: int = 1
    start: int | None = None  # offsets of its text in the text written so far
    end: int | None = None


@dataclass
class _Row:
    cells: int = 0
    in_cell: bool = False
    cell_chars: int = 0
    cell_breaks: int = 0
    layout: bool = False
    separators: list[int] = field(default_factory=list)  # offsets of its tabs and in-cell breaks
    spans: list[_Cell] = field(default_factory=list)     # its cells, for the grid


@dataclass
class _Table:
    row: _Row | None = None
    rows: list[_Row] = field(default_factory=list)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._size = 0
        self._last = ""
        self._anchor_offsets: list[int] = []
        self._anchor_lines: list[int] = []
        # Separators are written lazily, just before the next text, so none ever trails a line.
        self._newlines = 0
        self._tabs = 0
        self._tab_row: _Row | None = None
        self._break_row: _Row | None = None   # a block boundary inside a table cell
        self._space = False
        self._space_hard = False              # &nbsp; seen: a real space, never dropped
        self._space_newline = False           # a source line break: dropped between CJK
        self._skip: list[str] = []
        self._pre = 0
        self._tables: list[_Table] = []
        self._layout_separators: list[int] = []
        self._title_parts: list[str] | None = None
        self._title: str | None = None
        self._title_line: int | None = None
        self._grids: list[list[_Row]] = []

    # -- HTMLParser callbacks ------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._title_parts is not None:
            self._finish_title()  # an unclosed <title> ends at the next tag
        if tag == "title":
            self._start_title()
            return
        self._leave_head_if_body_starts(tag)
        if tag in _SKIP or self._skip:
            if tag in _SKIP:
                self._skip.append(tag)
            return
        self._open(tag)
        if tag in ("td", "th") and self._tables and self._tables[-1].row is not None:
            self._tables[-1].row.spans.append(_Cell(_span(attrs, "rowspan"), _span(attrs, "colspan")))

    def handle_endtag(self, tag: str) -> None:
        if self._title_parts is not None:
            self._finish_title()
            if tag == "title":
                return
        if self._skip:
            if tag in self._skip:
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag):]
            return
        self._close(tag)

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            if self._title_line is None and data.strip(_WS_CHARS):
                leading = data[: len(data) - len(data.lstrip(_WS_CHARS))]
                self._title_line = self.getpos()[0] + leading.count("\n")
            self._title_parts.append(data)
        elif not self._skip:
            (self._pre_text if self._pre else self._text)(data, self.getpos()[0])

    def parse_html_declaration(self, i: int) -> int:
        # Python 3.11 raises AssertionError on some malformed "<!..." / "<![...": a comment.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            return self.parse_bogus_comment(i)

    # -- structure -----------------------------------------------------------------------

    def _open(self, tag: str) -> None:
        if tag == "table":
            outer = self._cell_row()
            if outer is not None:
                outer.layout = True  # a table inside a cell: the outer table is layout
            self._block()
            self._tables.append(_Table())
        elif tag == "tr":
            self._open_row()
        elif tag in ("td", "th"):
            self._open_cell()
        elif tag == "br":
            self._line_break()
        elif tag == "pre":
            self._block()
            self._pre += 1
        elif tag in _BLOCK:
            self._block()

    def _close(self, tag: str) -> None:
        if tag in ("td", "th"):
            if self._tables and self._tables[-1].row is not None:
                self._close_cell(self._tables[-1].row)
        elif tag == "tr":
            if self._tables:
                self._close_row(self._tables[-1])
            self._block()
        elif tag == "table":
            if self._tables:
                table = self._tables.pop()
                self._close_row(table)
                if table.rows and not any(r.layout for r in table.rows):
                    self._grids.append(table.rows)
            self._block()
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
            self._block()
        elif tag in _BLOCK:
            self._block()

    def _leave_head_if_body_starts(self, tag: str) -> None:
        # Pages that never close <head> must not lose their body.
        if "head" not in self._skip:
            return
        if tag == "body" or (self._skip == ["head"] and tag in _BODY_TAGS):
            del self._skip[self._skip.index("head"):]

    def _open_row(self) -> None:
        if self._tables:
            self._new_row(self._tables[-1])
        else:
            self._block()  # a stray <tr>: a line break is all it can mean

    def _new_row(self, table: _Table) -> _Row:
        self._close_row(table)  # </tr> is optional
        row = table.row = _Row()
        table.rows.append(row)
        self._block()
        return row

    def _close_row(self, table: _Table) -> None:
        row = table.row
        if row is None:
            return
        self._close_cell(row)
        table.row = None
        if row.layout:
            self._layout_separators.extend(row.separators)
        self._block()

    def _open_cell(self) -> None:
        if not self._tables:
            return  # a stray cell outside any table: its text simply runs on
        table = self._tables[-1]
        row = table.row or self._new_row(table)  # <tr> is optional too
        self._close_cell(row)
        if row.cells:
            self._tabs += 1
            self._tab_row = row
            self._break_row = None
            self._space = False
        row.cells += 1
        row.in_cell = True
        row.cell_chars = row.cell_breaks = 0

    def _close_cell(self, row: _Row) -> None:
        if row.in_cell:
            row.in_cell = False
            if row.cell_breaks > _LAYOUT_BREAKS or row.cell_chars > _LAYOUT_CHARS:
                row.layout = True

    def _cell_row(self) -> _Row | None:
        """The row whose cell encloses the current position, if any."""
        for table in reversed(self._tables):
            if table.row is not None and table.row.in_cell:
                return table.row
        return None

    # -- separators ------------------------------------------------------------------------

    def _block(self) -> None:
        row = self._cell_row()
        if row is not None:
            self._cell_break(row)
        else:
            self._newlines = max(self._newlines, 1)
            self._clear_inline()

    def _line_break(self) -> None:
        row = self._cell_row()
        if row is not None:
            self._cell_break(row)
        else:
            self._newlines += 1  # <br><br> makes a blank line
            self._clear_inline()

    def _cell_break(self, row: _Row) -> None:
        if not self._tabs:
            self._break_row = row

    def _clear_inline(self) -> None:
        self._tabs = 0
        self._tab_row = self._break_row = None
        self._space = self._space_hard = self._space_newline = False

    def _note_space(self, ws: str) -> None:
        self._space = True
        self._space_hard |= "\xa0" in ws
        self._space_newline |= "\n" in ws or "\r" in ws

    # -- text ------------------------------------------------------------------------------

    def _text(self, data: str, line: int) -> None:
        for match in _TOKEN_RE.finditer(data):
            token = match.group()
            if token[0] in _WS_CHARS:
                self._note_space(token)
                line += token.count("\n")
            else:
                self._put(token, line)

    def _pre_text(self, data: str, line: int) -> None:
        """Preformatted text keeps its line breaks and indentation."""
        for i, part in enumerate(data.split("\n")):
            if i:
                self._line_break()
                line += 1
            part = part.replace("\r", "").replace("\xa0", " ")
            body = part.rstrip(" \t\f\v")
            if body.strip():
                self._put(body, line)
            if len(body) < len(part):
                self._note_space(" ")

    def _put(self, text: str, line: int) -> None:
        """Write text, preceded by whatever separator is pending."""
        if self._size:
            self._write_separator(text)
        self._clear_inline()
        self._newlines = 0
        if not self._anchor_lines or self._anchor_lines[-1] != line:
            self._anchor_offsets.append(self._size)
            self._anchor_lines.append(line)
        start = self._size
        self._write(text)
        row = self._cell_row()
        if row is not None:
            row.cell_chars += len(text)
            if row.spans:
                cell = row.spans[-1]
                cell.start = start if cell.start is None else cell.start
                cell.end = self._size

    def _write_separator(self, following: str) -> None:
        if self._newlines:
            self._write("\n" * min(self._newlines, _MAX_NEWLINES))
            at_line_start = True
        else:
            at_line_start = False
        if self._tabs and self._tab_row is not None:
            if not at_line_start:  # a leading tab (empty first cell) never becomes a line break
                self._tab_row.separators.extend(range(self._size, self._size + self._tabs))
            self._write("\t" * self._tabs)
        elif at_line_start:
            pass  # no leading spaces
        elif self._break_row is not None:
            self._break_row.separators.append(self._size)
            self._break_row.cell_breaks += 1
            self._write(" ")
        elif self._space and not self._joins_cjk(following):
            self._write(" ")

    def _joins_cjk(self, following: str) -> bool:
        return (self._space_newline and not self._space_hard
                and _is_wide(self._last) and _is_wide(following[0]))

    def _write(self, text: str) -> None:
        self._out.append(text)
        self._size += len(text)
        self._last = text[-1]

    # -- title and result --------------------------------------------------------------------

    def _start_title(self) -> None:
        if self._title is None and all(tag == "head" for tag in self._skip):
            self._title_parts = []
        else:
            self._skip.append("title")  # a second <title> (e.g. inside an SVG) is not shown

    def _finish_title(self) -> None:
        assert self._title_parts is not None
        self._title = _WS_RE.sub(_collapse_space, "".join(self._title_parts)).strip()
        self._title_parts = None

    def result(self) -> tuple[str, OffsetMap]:
        if self._title_parts is not None:
            self._finish_title()
        for table in reversed(self._tables):
            self._close_row(table)  # unclosed rows still get their layout decision
        body = self._out_text = _newlines_at("".join(self._out), sorted(self._layout_separators))
        offsets, lines = self._anchor_offsets, self._anchor_lines
        if self._title:
            prefix = self._title + ("\n" if body else "")
            offsets = [0] + [offset + len(prefix) for offset in offsets]
            lines = [self._title_line or 1] + lines
            body = prefix + body
        shift = len(body) - len(self._out_text)
        grids = tuple(_grid(n + 1, rows, body, shift) for n, rows in enumerate(self._grids))
        return body, OffsetMap(tuple(offsets), tuple(lines)), tuple(g for g in grids if g.cells)


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    """rowspan or colspan: a whole number from 1 to 1000 (as browsers clamp it), else 1."""
    value = next((v for k, v in attrs if k == name), None) or ""
    digits = re.match(r"\s*(\d+)", value)
    return min(max(int(digits.group(1)), 1), 1000) if digits else 1


def _grid(number: int, rows: list[_Row], text: str, shift: int) -> Grid:
    """The rows' cells placed by the HTML table algorithm: each cell takes the first place to
    the right that no rowspan from above holds, and covers rowspan × colspan places."""
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for span in row.spans:
            while (r, c) in taken:
                c += 1
            rowspan = min(span.rowspan, len(rows) - r)
            for dr in range(rowspan):
                for dc in range(span.colspan):
                    taken.add((r + dr, c + dc))
            start = end = None
            if span.start is not None:
                start, end = span.start + shift, span.end + shift
            else:  # an empty cell: where the next text is
                start = end = min(len(text), (cells[-1].end if cells else 0))
            cells.append(GridCell(r, c, text[start:end], start, end, rowspan, span.colspan))
            c += span.colspan
    n_columns = max((cell.column + cell.colspan for cell in cells), default=0)
    return Grid(number, cells, len(rows), n_columns)


def _newlines_at(text: str, offsets: list[int]) -> str:
    """Replace the one-character separators at offsets by line breaks (lengths unchanged)."""
    if not offsets:
        return text
    pieces, start = [], 0
    for offset in offsets:
        pieces += [text[start:offset], "\n"]
        start = offset + 1
    pieces.append(text[start:])
    return "".join(pieces)


def _collapse_space(match: re.Match[str]) -> str:
    """One space for a white space run; none for a source line break between CJK characters."""
    ws, text, start, end = match.group(), match.string, match.start(), match.end()
    if ("\n" in ws or "\r" in ws) and "\xa0" not in ws and start and end < len(text):
        if _is_wide(text[start - 1]) and _is_wide(text[end]):
            return ""
    return " "


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")
