"""flags.xlsx: the reviewer's workbook — flags to triage, the reports read, the figures found.

Three sheets: 「问题清单」 (one row per flag, with a 审核状态 drop-down and a 审核意见 column for the
reviewer), 「报告」 (one row per input) and 「数据」 (the figures, those of flagged reports first, capped).

A reviewer's work is never lost: when the existing flags.xlsx carries any review, it is moved
aside to flags.reviewed-<sha256 prefix>.xlsx and its statuses and comments are carried over, by
flag id, into the new workbook. The bytes are deterministic: the same result gives the same file.
"""

from __future__ import annotations

import hashlib
import math
import os
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.flags import quoted
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
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the columns the reviewer fills in
_SEVERITY_STYLE = {
    "error": (PatternFill("solid", fgColor="FFC7CE"), Font(name=FONT_NAME, size=10, color="9C0006")),
    "warning": (PatternFill("solid", fgColor="FFEB9C"), Font(name=FONT_NAME, size=10, color="9C5700")),
    "info": (PatternFill("solid", fgColor="DDEBF7"), Font(name=FONT_NAME, size=10, color="1F4E78")),
}
# Named styles: one lookup per cell instead of one per attribute, which matters on the facts sheet.
_HEADER, _BODY, _WRAPPED = "auditor 表头", "auditor 正文", "auditor 换行"
_STYLES = (
    NamedStyle(_HEADER, font=Font(name=FONT_NAME, size=10, bold=True), fill=PatternFill("solid", fgColor="D9D9D9"),
               alignment=Alignment(vertical="center")),
    NamedStyle(_BODY, font=Font(name=FONT_NAME, size=10), alignment=Alignment(vertical="top")),
    NamedStyle(_WRAPPED, font=Font(name=FONT_NAME, size=10), alignment=Alignment(vertical="top", wrap_text=True)),
)

# Fixed stamps: docProps and zip entry times would otherwise make every run's bytes differ.
_STAMP = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MAX_CELL = 32767  # Excel's limits: characters in a cell, rows in a sheet
_MAX_FACT_ROWS = 5_000
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
    existing = path.read_bytes() if path.is_file() else None
    reviews, set_aside = _existing_reviews(existing)
    data = workbook_bytes(result, reviews)
    if existing is not None and set_aside and data != existing:
        os.replace(path, reviewed_path(path, existing))
    write_atomic(path, data)


def reviewed_path(path: Path, data: bytes) -> Path:
    """Where a reviewed workbook is set aside: named by its content, so a rerun never multiplies copies."""
    return path.with_name(f"{path.stem}.reviewed-{hashlib.sha256(data).hexdigest()[:8]}{path.suffix}")


def workbook_bytes(result: AuditResult, reviews: dict[str, Review] | None = None) -> bytes:
    """The workbook of one audit, with the given reviews (flag id -> status, comment) filled in."""
    book = Workbook()
    for style in _STYLES:
        book.add_named_style(style)
    _flags_sheet(book.active, result.flags, reviews or {})
    _reports_sheet(book.create_sheet(REPORTS_SHEET), result)
    _facts_sheet(book.create_sheet(FACTS_SHEET), result)
    book.properties.creator = "auditor"
    book.properties.created = book.properties.modified = _STAMP
    return _save(book)


def read_flag_rows(data: bytes, required: Iterable[str] = ("id", "status", "comment")) -> list[dict[str, str]]:
    """The rows of a flags workbook's 「问题清单」 as text keyed like FLAG_HEADERS; rows without an id skipped.

    Raises AuditorError (without a file name: the caller knows it) when the bytes are not an
    xlsx workbook or lack the sheet or a required column.
    """
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises a zoo of exception types on a damaged file
        raise AuditorError(f"not a readable .xlsx workbook ({type(err).__name__})") from err
    try:
        if FLAGS_SHEET not in book.sheetnames:
            raise AuditorError(f"no sheet 「{FLAGS_SHEET}」")
        return _rows_by_header(book[FLAGS_SHEET].iter_rows(values_only=True), required)
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


def _rows_by_header(rows: Iterable[Sequence], required: Iterable[str]) -> list[dict[str, str]]:
    rows = iter(rows)
    header = [cell_text(value) for value in next(rows, ())]
    position = {key: header.index(title) for key, title in FLAG_HEADERS.items() if title in header}
    missing = [FLAG_HEADERS[key] for key in required if key not in position]
    if missing:
        raise AuditorError(f"sheet 「{FLAGS_SHEET}」 lacks the column(s) {'、'.join(missing)}")
    entries = []
    for row in rows:
        entry = {key: cell_text(row[i]) if i < len(row) else "" for key, i in position.items()}
        if entry.get("id"):
            entries.append(entry)
    return entries


# --- the sheets ------------------------------------------------------------------------------

def _flags_sheet(sheet: Worksheet, flags: list[dict], reviews: dict[str, Review]) -> None:
    sheet.title = FLAGS_SHEET
    rows = [_flag_row(flag, reviews.get(flag["id"])) for flag in flags]
    _table(sheet, FLAG_HEADERS, rows, wrapped={"message", "evidence", "comment"})
    keys = list(FLAG_HEADERS)
    for row_number, flag in enumerate(flags, start=2):
        if flag["severity"] in _SEVERITY_STYLE:
            cell = sheet.cell(row_number, keys.index("severity") + 1)
            cell.fill, cell.font = _SEVERITY_STYLE[flag["severity"]]
    for key in ("status", "comment"):
        sheet.cell(1, keys.index(key) + 1).fill = _INPUT_FILL
        for row_number in range(2, len(flags) + 2):  # styled even while empty: the reviewer types here
            sheet.cell(row_number, keys.index(key) + 1).style = _WRAPPED if key == "comment" else _BODY
    _status_dropdown(sheet, get_column_letter(keys.index("status") + 1), len(flags))


def _flag_row(flag: dict, review: Review | None) -> list:
    evidence = flag.get("evidence") or []
    quotes = "\n".join(f"第{e['line']}行: {quoted(e)}" if e.get("line") is not None else quoted(e)
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


def _status_dropdown(sheet: Worksheet, column: str, count: int) -> None:
    rule = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="审核状态", error="请从列表中选择: " + "、".join(STATUSES))
    rule.add(f"{column}2:{column}{max(count, 1) + 1}")
    sheet.add_data_validation(rule)


def _reports_sheet(sheet: Worksheet, result: AuditResult) -> None:
    rows = []
    for entry in report_entries(result.records, result.flags):
        meta, counts = entry["metadata"], entry["counts"]
        values = {"path": entry["path"], "status": entry["status"], "reason": entry["reason"],
                  **{k: meta.get(k) for k in ("title", "region", "year", "published", "signed")},
                  **{k: counts.get(k) for k in ("facts", "relations", "error", "warning", "info")}}
        rows.append([values[key] for key in REPORT_HEADERS])
    _table(sheet, REPORT_HEADERS, rows)
    status_col = list(REPORT_HEADERS).index("status") + 1
    for row_number, row in enumerate(rows, start=2):
        if row[status_col - 1] != "ok":  # an unreadable input
            cell = sheet.cell(row_number, status_col)
            cell.fill, cell.font = _SEVERITY_STYLE["error"]


def _facts_sheet(sheet: Worksheet, result: AuditResult) -> None:
    """The figures a reviewer checks flags against: those of the flagged reports first, then the
    rest, up to _MAX_FACT_ROWS (a workbook is for reading, and slow to write; facts.csv has all)."""
    facts = result.frames.facts
    flagged = facts["report"].isin({f["report"] for f in result.flags})
    ordered = pd.concat([facts[flagged], facts[~flagged]]) if len(facts) else facts
    chosen = ordered.head(_MAX_FACT_ROWS)
    rows = [list(row) for row in chosen[FACT_COLUMNS].itertuples(index=False, name=None)]
    if len(facts) > len(chosen):
        rows.append([f"… 另有 {len(facts) - len(chosen)} 行未列出, 完整数据见 facts.csv"])
    _table(sheet, {name: name for name in FACT_COLUMNS}, rows)


# --- cells and layout ------------------------------------------------------------------------

def _table(sheet: Worksheet, columns: dict[str, str], rows: list[list], wrapped: set[str] = frozenset()) -> None:
    """A header row (column key -> header) over the rows: frozen, filtered, sized; wrapped keys wrap."""
    keys = list(columns)
    for col, key in enumerate(keys, start=1):
        _put(sheet, 1, col, _cell_value(columns[key])).style = _HEADER
    styles = [_WRAPPED if key in wrapped else _BODY for key in keys]
    for row_number, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            value = _cell_value(value)
            if value not in (None, ""):  # an empty cell is not written: smaller, faster files
                _put(sheet, row_number, col, value).style = styles[col - 1]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
    for col, key in enumerate(keys, start=1):
        width = _WIDTH.get(key) or _fit_width(columns[key], (row[col - 1] for row in rows if col <= len(row)))
        sheet.column_dimensions[get_column_letter(col)].width = width


def _put(sheet: Worksheet, row: int, col: int, value):
    """Set a cell to a value _cell_value() made safe."""
    cell = sheet.cell(row, col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": report text must not become a formula
    return cell


def _cell_value(value):
    """A value a spreadsheet shows as is: text made inert, missing as empty, infinity as ∞."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
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
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) >= _MAX_CELL:
        text = text[:_MAX_CELL - 2] + "…"
    return neutralise(text)


def _fit_width(header, values: Iterable) -> float:
    widest = max([_display_width(header), *(_display_width(v) for v in values)])
    return float(min(max(widest + 2, 6), 40))


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.split("\n")[0])


# --- saving ----------------------------------------------------------------------------------

def _save(book: Workbook) -> bytes:
    """The workbook's bytes, identical for identical content."""
    buffer = BytesIO()
    # ExcelWriter, not book.save(): save() stamps properties.modified with the current time.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times and attributes (openpyxl stamps the current time)."""
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
