"""flags.xlsx: the reviewer's workbook — flags to triage, the reports read, the figures found.

Three sheets: 「问题清单」 (one row per flag, with a 审核状态 drop-down and a 审核意见 column for the
reviewer), 「报告」 (one row per input) and 「数据」 (the figures, those of flagged reports first, capped).

A reviewer's work is never lost: when the existing flags.xlsx carries any review, it is moved
aside to flags.reviewed-<sha256 prefix>.xlsx and its statuses and comments are carried over, by
flag id, into the new workbook. The bytes are deterministic: the same result gives the same file.

Written with XlsxWriter (fast, rows streamed in order), read back with openpyxl.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.flags import is_missing, quoted
from auditor.limits import EXCEL_COLUMNS, EXCEL_ROWS, MAX_FILE_BYTES, check_workbook
from auditor.pipeline import AuditResult
from auditor.report.csv_files import FACT_COLUMNS
from auditor.report.files import neutralise, write_atomic
from auditor.report.json_report import report_entries

WORKBOOK_NAME = "flags.xlsx"
FLAGS_SHEET, REPORTS_SHEET, FACTS_SHEET = "问题清单", "报告", "数据"

PENDING = "待核实"
STATUSES = (PENDING, "确认问题", "误报", "已整改")
BASELINED = "已基线"

# Column key -> header of 「问题清单」. Readers find columns by header, so a reviewer may reorder them.
FLAG_HEADERS: dict[str, str] = {
    "severity": "严重程度", "category": "类别", "rule": "规则", "report": "报告", "region": "地区",
    "year": "年度", "message": "问题描述", "expected": "应为", "observed": "实为", "evidence": "证据",
    "line": "行号", "id": "问题编号", "status": "审核状态", "comment": "审核意见", "baselined": "基线",
}
REPORT_HEADERS: dict[str, str] = {
    "path": "报告", "status": "状态", "reason": "原因", "title": "标题", "region": "地区", "year": "年度",
    "published": "发布日期", "signed": "签署日期", "facts": "数据条数", "relations": "关系条数", "error": "错误",
    "warning": "警告", "info": "提示",
}

# A font present on every Windows since Vista and bundled with WPS, with full CJK coverage.
FONT_NAME = "Microsoft YaHei"
_INPUT_FILL = "#FFF2CC"  # the columns the reviewer fills in
# severity -> (fill, font colour) of its cell
_SEVERITY_STYLE = {"error": ("#FFC7CE", "#9C0006"), "warning": ("#FFEB9C", "#9C5700"), "info": ("#DDEBF7", "#1F4E78")}

# constant_memory streams each row to a temporary file as the next begins (rows must come in
# order). No string conversions: report text must never become a formula, number or link.
_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False}
_STAMP = datetime(2000, 1, 1)  # the document's creation date, fixed so the bytes are too
# The C0 controls XML 1.0 cannot carry (tab, line feed and carriage return it can).
_ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_MAX_CELL = 32767  # Excel's limit on the characters in a cell
_MAX_FACT_ROWS = 5_000
_MAX_WIDTH = 40  # of a fitted column
_WIDTH = {"message": 50, "evidence": 70, "sentence": 60}  # wrapped or long text: fixed widths


@dataclass(frozen=True)
class Review:
    status: str
    comment: str


def write_workbook(out: Path, result: AuditResult, config: Config) -> None:
    """Write out/flags.xlsx atomically, first setting aside (and carrying over) a reviewed one.

    CONFIG is unused; it is part of every writer's signature (auditor.report.writers.Writer).
    """
    path = out / WORKBOOK_NAME
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:  # not one auditor wrote: kept, never read
        with path.open("rb") as existing_file:
            digest = hashlib.file_digest(existing_file, "sha256").hexdigest()
        os.replace(path, _aside_path(path, digest))
    existing = path.read_bytes() if path.is_file() else None
    reviews, set_aside = _existing_reviews(existing)
    data = workbook_bytes(result, reviews)
    if existing is not None and set_aside and data != existing:
        os.replace(path, reviewed_path(path, existing))
    write_atomic(path, data)


def reviewed_path(path: Path, data: bytes) -> Path:
    """Where a reviewed workbook is set aside: named by its content, so a rerun never multiplies copies."""
    return _aside_path(path, hashlib.sha256(data).hexdigest())


def _aside_path(path: Path, digest: str) -> Path:
    return path.with_name(f"{path.stem}.reviewed-{digest[:8]}{path.suffix}")


def workbook_bytes(result: AuditResult, reviews: dict[str, Review] | None = None) -> bytes:
    """The workbook of one audit, with the given reviews (flag id -> status, comment) filled in."""
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    book.set_properties({"author": "auditor", "created": _STAMP})
    formats = _formats(book)
    _flags_sheet(book.add_worksheet(FLAGS_SHEET), formats, result.flags, reviews or {})
    _reports_sheet(book.add_worksheet(REPORTS_SHEET), formats, result)
    _facts_sheet(book.add_worksheet(FACTS_SHEET), formats, result)
    book.close()  # zips the parts with a fixed entry time (their temporary files stamped 1980-01-31)
    return buffer.getvalue()


def read_flag_rows(data: bytes, required: Iterable[str] = ("id", "status", "comment")) -> list[dict[str, str]]:
    """The rows of a flags workbook's 「问题清单」 as text keyed like FLAG_HEADERS; rows without an id skipped.

    The workbook comes from outside: what it declares is checked first (auditor.limits: its
    parts' sizes, styles, shared strings, the sheet's dimension and cells), and of the sheet only
    the columns named in FLAG_HEADERS are read, up to a workbook's last row. Raises AuditorError
    (without a file name: the caller knows it) when the bytes are not an xlsx workbook, are
    larger than it can be, or lack the sheet or a required column.
    """
    from openpyxl import load_workbook  # here, not at the top: most runs have no workbook to read

    check_workbook(data, FLAGS_SHEET)
    with warnings.catch_warnings():  # what openpyxl does not support (WPS's extensions) is not read anyway
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises a zoo of exception types on a damaged file
            raise AuditorError(f"not a readable .xlsx workbook ({type(err).__name__})") from err
        try:
            if FLAGS_SHEET not in book.sheetnames:
                raise AuditorError(f"no sheet 「{FLAGS_SHEET}」")
            return _rows_by_header(book[FLAGS_SHEET], required)
        except AuditorError:
            raise
        except Exception as err:  # a sheet whose XML is damaged fails while it is read
            raise AuditorError(f"sheet 「{FLAGS_SHEET}」 is unreadable ({type(err).__name__})") from err
        finally:
            book.close()


def cell_text(value) -> str:
    """A cell read back as text, without the quote neutralise() put before formula-like text."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(("=", "+", "-", "@")):
        return text[1:]
    return text


# --- the existing workbook -------------------------------------------------------------------

def _existing_reviews(data: bytes | None) -> tuple[dict[str, Review], bool]:
    """(reviews to carry over, whether the file must be set aside before it is replaced)."""
    if data is None:
        return {}, False
    try:
        rows = read_flag_rows(data)
    except AuditorError:
        return {}, True  # not ours or damaged: keep it, carry nothing
    reviews = {row["id"]: Review(row["status"] or PENDING, row["comment"]) for row in rows
               if row["status"] not in ("", PENDING) or row["comment"]}
    return reviews, bool(reviews)


def _rows_by_header(sheet, required: Iterable[str]) -> list[dict[str, str]]:
    """The rows under the header row, as text by FLAG_HEADERS key. Only the columns up to the
    last one named are read (openpyxl would otherwise fill every row out to the sheet's declared
    width, up to 16,384 cells), and no row past a workbook's last."""
    first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=EXCEL_COLUMNS, values_only=True), ())
    header = [cell_text(value) for value in first]
    position = {key: header.index(title) for key, title in FLAG_HEADERS.items() if title in header}
    missing = [FLAG_HEADERS[key] for key in required if key not in position]
    if missing:
        raise AuditorError(f"sheet 「{FLAGS_SHEET}」 lacks the column(s) {'、'.join(missing)}")
    width = max(position.values(), default=0) + 1
    entries = []
    for row in sheet.iter_rows(min_row=2, max_row=EXCEL_ROWS, max_col=width, values_only=True):
        if not any(value is not None for value in row):
            continue  # a gap between rows: openpyxl yields it as an empty row
        entry = {key: cell_text(row[i]) if i < len(row) else "" for key, i in position.items()}
        if entry.get("id"):
            entries.append(entry)
    return entries


# --- the sheets ------------------------------------------------------------------------------

def _flags_sheet(sheet: Worksheet, formats: dict[str, Format], flags: list[dict],
                 reviews: dict[str, Review]) -> None:
    rows = [_flag_row(flag, reviews.get(flag["id"])) for flag in flags]
    _table(sheet, formats, FLAG_HEADERS, rows, wrapped={"message", "evidence", "comment"},
           inputs={"status", "comment"},
           style=lambda key, value: formats[value] if key == "severity" and value in _SEVERITY_STYLE else None)
    _status_dropdown(sheet, list(FLAG_HEADERS).index("status"), len(flags))


def _page(evidence: dict) -> str:
    """第4页 for a quote of a PDF, else nothing."""
    return f"第{evidence['page']}页" if evidence.get("page") is not None else ""


def _flag_row(flag: dict, review: Review | None) -> list:
    evidence = flag.get("evidence") or []
    quotes = "\n".join(f"{_page(e)}第{e['line']}行: {quoted(e)}" if e.get("line") is not None else quoted(e)
                       for e in evidence)
    values = {
        **{key: flag.get(key) for key in ("severity", "category", "rule", "report", "region", "year",
                                          "message", "expected", "observed", "id")},
        "evidence": quotes,
        "line": evidence[0].get("line") if evidence else None,
        "status": review.status if review else PENDING,
        "comment": review.comment if review else "",
        "baselined": BASELINED if flag.get("baselined", False) else "",
    }
    return [values[key] for key in FLAG_HEADERS]


def _status_dropdown(sheet: Worksheet, col: int, count: int) -> None:
    sheet.data_validation(1, col, max(count, 1), col, {
        "validate": "list", "source": list(STATUSES), "ignore_blank": True,
        "error_title": "审核状态", "error_message": "请从列表中选择: " + "、".join(STATUSES)})


def _reports_sheet(sheet: Worksheet, formats: dict[str, Format], result: AuditResult) -> None:
    rows = []
    for entry in report_entries(result.records, result.flags):
        meta, counts = entry["metadata"], entry["counts"]
        values = {"path": entry["path"], "status": entry["status"], "reason": entry["reason"],
                  **{k: meta.get(k) for k in ("title", "region", "year", "published", "signed")},
                  **{k: counts.get(k) for k in ("facts", "relations", "error", "warning", "info")}}
        rows.append([values[key] for key in REPORT_HEADERS])
    # A status other than "ok" is an unreadable input.
    _table(sheet, formats, REPORT_HEADERS, rows,
           style=lambda key, value: formats["error"] if key == "status" and value != "ok" else None)


def _facts_sheet(sheet: Worksheet, formats: dict[str, Format], result: AuditResult) -> None:
    """The figures a reviewer checks flags against: those of the flagged reports first, then the
    rest, up to _MAX_FACT_ROWS (a workbook is for reading, and slow to write; facts.csv has all)."""
    chosen = listed_facts(result.frames.facts, result.flags)
    rows = [list(row) for row in chosen[FACT_COLUMNS].itertuples(index=False, name=None)]
    total = sum(record.n_facts for record in result.records)  # the run's, whatever frames.facts holds
    if total > len(chosen):
        rows.append([f"… 另有 {total - len(chosen)} 行未列出, 完整数据见 facts.csv"])
    _table(sheet, formats, {name: name for name in FACT_COLUMNS}, rows)


def listed_facts(facts: pd.DataFrame, flags: list[dict]) -> pd.DataFrame:
    """The figures 「数据」 lists: the flagged reports' first, then the rest, in the run's order,
    up to _MAX_FACT_ROWS. Chosen from any subset of facts holding these rows, in the same order,
    it gives the same rows (the writers beside the CSV files receive only such a subset)."""
    flagged = facts["report"].isin({f["report"] for f in flags}).to_numpy()
    order = np.concatenate([np.flatnonzero(flagged), np.flatnonzero(~flagged)])
    return facts.iloc[order[:_MAX_FACT_ROWS]]  # positions first: only the rows listed are copied


# --- cells and layout ------------------------------------------------------------------------

def _formats(book: xlsxwriter.Workbook) -> dict[str, Format]:
    """The cell formats by name: header, input (a header the reviewer fills in), body, wrapped, and
    one per severity."""
    body = {"font_name": FONT_NAME, "font_size": 10, "valign": "top"}
    header = {"font_name": FONT_NAME, "font_size": 10, "bold": True, "valign": "vcenter", "pattern": 1}
    formats = {"header": book.add_format({**header, "bg_color": "#D9D9D9"}),
               "input": book.add_format({**header, "bg_color": _INPUT_FILL}),
               "body": book.add_format(body),
               "wrapped": book.add_format({**body, "text_wrap": True})}
    for severity, (fill, colour) in _SEVERITY_STYLE.items():
        formats[severity] = book.add_format({**body, "pattern": 1, "bg_color": fill, "font_color": colour})
    return formats


def _table(sheet: Worksheet, formats: dict[str, Format], columns: dict[str, str], rows: list[list], *,
           wrapped: set[str] = frozenset(), inputs: set[str] = frozenset(),
           style: Callable[[str, object], Format | None] = lambda key, value: None) -> None:
    """A header row (column key -> header) over the rows: frozen, filtered, sized. Wrapped keys wrap;
    input keys (the reviewer's) have a marked header and are styled even while empty; STYLE(key,
    value) may give a cell its own format."""
    keys = list(columns)
    for col, key in enumerate(keys):
        _write(sheet, 0, col, columns[key], formats["input" if key in inputs else "header"])
        width = _WIDTH.get(key) or _fit_width(columns[key], (row[col] for row in rows if col < len(row)))
        sheet.set_column(col, col, width)
    bodies = [formats["wrapped" if key in wrapped else "body"] for key in keys]
    for row_number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            key = keys[col]
            _write(sheet, row_number, col, value, style(key, value) or bodies[col], blank=key in inputs)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(keys) - 1)


def _write(sheet: Worksheet, row: int, col: int, value, cell_format: Format, blank: bool = False) -> None:
    """Write a value _cell_value() makes safe: text always as text, never a formula. An empty cell
    is not written (smaller, faster files) unless BLANK: then only its format is."""
    value = _cell_value(value)
    if isinstance(value, str) and value:
        sheet.write_string(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, cell_format)
    elif blank:
        sheet.write_blank(row, col, None, cell_format)


def _cell_value(value):
    """A value a spreadsheet shows as is: text made inert, missing as empty, infinity as ∞."""
    if type(value) is str:  # most cells: skip the tests below
        return _safe_text(value)
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"  # xlsx has no infinity; Excel rejects the file
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (date, datetime)):
        value = value.isoformat()  # text, so no time zone or date format can change it
    return _safe_text(str(value))


def _safe_text(text: str) -> str:
    # Control characters first: dropping one may uncover a leading "=" that neutralise must see.
    # A carriage return reads back as a line feed from XML (XlsxWriter would write it as _x000D_).
    text = _ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) >= _MAX_CELL:
        text = text[:_MAX_CELL - 2] + "…"
    if text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter copies such text into the sheet's XML unescaped, as rich-text runs: a report
        # could inject any cell, a formula included. The quote makes it plain text.
        return "'" + text
    return neutralise(text)


def _fit_width(header, values: Iterable) -> float:
    widest = _display_width(header)
    for value in values:
        # A character is at most two columns wide: only a value that may be wider is measured.
        if value is not None and 2 * len(str(value)) > widest:
            widest = max(widest, _display_width(value))
            if widest + 2 >= _MAX_WIDTH:
                break
    return float(min(max(widest + 2, 6), _MAX_WIDTH))


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.split("\n")[0])
