"""flags.xlsx: the reviewer's workbook — flags to triage, the reports read, the figures found.

Three sheets: 「问题清单」 (one row per flag, with a 审核状态 drop-down and a 审核意见 column for the
reviewer), 「报告」 (one row per input) and 「数据」 (the figures, those of flagged reports first, capped).
The workbook is in the run's language (--lang): its sheets, headers, severities, categories and
statuses, and each flag's rule by name with a short explanation. A flag's figures stand in the
columns of their meaning (报告所述, 计算值 or 要求, and their 差额 as a number: auditor.config.SIDES);
a link opens the flag in report.html. Rows are as tall as their text, and a sheet prints on A4
landscape, one page wide, its header row on every page.

A reviewer's work is never lost: when the existing flags.xlsx carries any review, it is moved
aside to flags.reviewed-<sha256 prefix>.xlsx and its statuses and comments are carried over, by
flag id, into the new workbook; a flag a baseline accepted with a reviewer's status carries that.
The bytes are deterministic: the same result gives the same file. A workbook handed back may be in
either language (its sheet and headers are read in both, its statuses as the Chinese ones).

Written with XlsxWriter (fast, rows streamed in order), read back with openpyxl.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Sequence
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
from auditor.flag import Evidence, Flag
from auditor.flags import is_missing, quoted
from auditor.i18n import KIND_WORDS, SEVERITY_WORDS, category_word, display_width, severity_word
from auditor.limits import EXCEL_COLUMNS, EXCEL_ROWS, MAX_FILE_BYTES, check_workbook
from auditor.pipeline import AuditResult
from auditor.report.csv_files import FACT_COLUMNS
from auditor.report.files import neutralise, write_atomic
from auditor.report.html_report import flag_anchor
from auditor.report.json_report import report_entries

WORKBOOK_NAME = "flags.xlsx"
HTML_NAME = "report.html"  # the flags link to their rows there (html_report.flag_anchor)
FLAGS_SHEET, REPORTS_SHEET, FACTS_SHEET = "问题清单", "报告", "数据"
SHEETS = {"zh": (FLAGS_SHEET, REPORTS_SHEET, FACTS_SHEET), "en": ("Flags", "Reports", "Figures")}

PENDING = "待核实"
STATUSES = (PENDING, "确认问题", "误报", "已整改")
STATUSES_EN = ("pending", "confirmed", "false positive", "fixed")  # the same, in the English workbook
BASELINED = "已基线"

# Column key -> header of 「问题清单」, in the order of the sheet. Readers find columns by header (in
# either language), so a reviewer may reorder them.
FLAG_HEADERS: dict[str, str] = {
    "severity": "严重程度", "rule": "规则", "title": "规则名称", "report": "报告", "line": "行号",
    "message": "问题描述", "stated": "报告所述", "computed": "计算值", "required": "要求", "difference": "差额",
    "evidence": "证据", "status": "审核状态", "comment": "审核意见", "link": "查看", "baselined": "基线",
    "category": "类别", "summary": "规则说明", "region": "地区", "year": "年度", "id": "问题编号",
}
FLAG_HEADERS_EN: dict[str, str] = {
    "severity": "severity", "rule": "rule", "title": "rule name", "report": "report", "line": "line",
    "message": "message", "stated": "stated", "computed": "computed", "required": "required",
    "difference": "difference", "evidence": "evidence", "status": "review status", "comment": "review comment",
    "link": "view", "baselined": "baselined", "category": "category", "summary": "what the rule checks",
    "region": "region", "year": "year", "id": "flag id",
}
REPORT_HEADERS: dict[str, str] = {
    "path": "报告", "status": "状态", "reason": "原因", "title": "标题", "region": "地区", "year": "年度",
    "published": "发布日期", "signed": "签署日期", "facts": "数据条数", "relations": "关系条数", "error": "错误",
    "warning": "警告", "info": "提示",
}
REPORT_HEADERS_EN: dict[str, str] = {
    "path": "report", "status": "status", "reason": "reason", "title": "title", "region": "region", "year": "year",
    "published": "published", "signed": "signed", "facts": "figures", "relations": "relations", "error": "errors",
    "warning": "warnings", "info": "info",
}
FACT_HEADERS_ZH: dict[str, str] = {
    "report": "报告", "fact_id": "编号", "kind": "类型", "value": "数值", "unit": "单位", "qualifier": "限定",
    "lo": "下限", "hi": "上限", "text": "原文", "start": "起", "end": "止", "line": "行号", "label": "标签",
    "family": "类别", "metric": "指标", "sentence": "句子",
}
_REPORT_STATUS = {"zh": {"ok": "已读取", "error": "无法读取"}, "en": {}}
_LINK_TEXT = {"zh": "在报告中查看", "en": "open in report.html"}
_STATUS_PROMPT = {"zh": ("审核状态", "请从列表中选择: "), "en": ("review status", "choose from the list: ")}

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
# Wrapped or long text: fixed widths (in characters of the default font; a CJK character takes two).
_WIDTH = {"message": 50, "evidence": 70, "sentence": 60, "comment": 44, "stated": 28, "computed": 34,
          "required": 26, "summary": 40, "title": 22, "status": 12, "link": 14}
_WRAPPED_FLAG_COLUMNS = ("message", "stated", "computed", "required", "evidence", "comment", "summary", "title")
_LINE_POINTS = 14.0    # the height of a line of 10-point 微软雅黑, in points
_MAX_ROW_POINTS = 409  # Excel's tallest row


@dataclass(frozen=True)
class Review:
    status: str
    comment: str


def write_workbook(out: Path, result: AuditResult, config: Config) -> None:
    """Write out/flags.xlsx atomically, first setting aside (and carrying over) a reviewed one."""
    path = out / WORKBOOK_NAME
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:  # not one auditor wrote: kept, never read
        with path.open("rb") as existing_file:
            digest = hashlib.file_digest(existing_file, "sha256").hexdigest()
        os.replace(path, _aside_path(path, digest))
    existing = path.read_bytes() if path.is_file() else None
    reviews, set_aside = existing_reviews(existing)
    data = workbook_bytes(result, reviews, config)
    if existing is not None and set_aside and data != existing:
        os.replace(path, reviewed_path(path, existing))
    write_atomic(path, data)


def reviewed_path(path: Path, data: bytes) -> Path:
    """Where a reviewed workbook is set aside: named by its content, so a rerun never multiplies copies."""
    return _aside_path(path, hashlib.sha256(data).hexdigest())


def _aside_path(path: Path, digest: str) -> Path:
    return path.with_name(f"{path.stem}.reviewed-{digest[:8]}{path.suffix}")


def read_reviews(path: Path) -> dict[str, Review]:
    """The reviews a flags.xlsx carries (flag id -> status, comment); none when it is missing,
    larger than auditor reads, or unreadable (the writer sets such a file aside)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
        return {}
    try:
        return existing_reviews(path.read_bytes())[0]
    except OSError:
        return {}


def workbook_bytes(result: AuditResult, reviews: dict[str, Review] | None = None, config: Config | None = None) -> bytes:
    """The workbook of one audit, with the given reviews (flag id -> status, comment) filled in."""
    lang = result.lang if result.lang in SHEETS else "zh"
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    book.set_properties({"author": "auditor", "created": _STAMP})
    formats = _formats(book)
    flags_name, reports_name, facts_name = SHEETS[lang]
    linked = not result.formats or "html" in result.formats  # a run writing no report.html links to none
    _flags_sheet(book.add_worksheet(flags_name), formats, result.flags, reviews or {}, config, lang, linked)
    _reports_sheet(book.add_worksheet(reports_name), formats, result, lang)
    _facts_sheet(book.add_worksheet(facts_name), formats, result, config, lang)
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

    names = tuple(sheets[0] for sheets in SHEETS.values())
    check_workbook(data, names)
    with warnings.catch_warnings():  # what openpyxl does not support (WPS's extensions) is not read anyway
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises a zoo of exception types on a damaged file
            raise AuditorError(f"not a readable .xlsx workbook ({type(err).__name__})") from err
        try:
            found = [name for name in names if name in book.sheetnames]
            if not found:
                raise AuditorError(f"no sheet 「{FLAGS_SHEET}」")
            return _rows_by_header(book[found[0]], required)
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

def existing_reviews(data: bytes | None) -> tuple[dict[str, Review], bool]:
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
    position = {}
    for headers in (FLAG_HEADERS, FLAG_HEADERS_EN):
        for key, title in headers.items():
            if key not in position and title in header:
                position[key] = header.index(title)
    missing = [FLAG_HEADERS[key] for key in required if key not in position]
    if missing:
        raise AuditorError(f"sheet 「{FLAGS_SHEET}」 lacks the column(s) {'、'.join(missing)}")
    width = max(position.values(), default=0) + 1
    entries = []
    for row in sheet.iter_rows(min_row=2, max_row=EXCEL_ROWS, max_col=width, values_only=True):
        if not any(value is not None for value in row):
            continue  # a gap between rows: openpyxl yields it as an empty row
        entry = {key: cell_text(row[i]) if i < len(row) else "" for key, i in position.items()}
        if "status" in entry:  # the English workbook's statuses, read as the Chinese ones
            entry["status"] = _STATUS_FROM_EN.get(entry["status"], entry["status"])
        if entry.get("id"):
            entries.append(entry)
    return entries


_STATUS_FROM_EN = dict(zip(STATUSES_EN, STATUSES))


# --- the sheets ------------------------------------------------------------------------------

def _flags_sheet(sheet: Worksheet, formats: dict[str, Format], flags: list[Flag], reviews: dict[str, Review],
                 config: Config | None, lang: str, linked: bool) -> None:
    headers = FLAG_HEADERS if lang == "zh" else FLAG_HEADERS_EN
    statuses = STATUSES if lang == "zh" else STATUSES_EN
    rules = config.rules if config else {}
    rows = [_flag_row(flag, reviews.get(flag.id) or _baseline_review(flag), rules.get(flag.rule), lang)
            for flag in flags]
    to_shown = dict(zip(STATUSES, statuses))
    for row in rows:
        row["status"] = to_shown.get(row["status"], row["status"])
    # Excel opens report.html at the flag's row: a link's address and, after #, its sub-address.
    links = {"link": ([f"external:{HTML_NAME}#{flag_anchor(row['id'])}" for row in rows], _LINK_TEXT[lang])} \
        if linked else {}
    _table(sheet, formats, headers, [[row[key] for key in headers] for row in rows],
           wrapped=set(_WRAPPED_FLAG_COLUMNS), inputs={"status", "comment"}, frozen_columns=2, links=links,
           style=lambda key, value: formats[_SEVERITY_OF[value]] if key == "severity" and value in _SEVERITY_OF
           else None)
    _status_dropdown(sheet, list(headers).index("status"), len(flags), statuses, lang)


_SEVERITY_OF = {word: severity for words in SEVERITY_WORDS.values() for severity, word in words.items()}


def _baseline_review(flag: Flag) -> Review | None:
    """A baselined flag's reviewer status and comment (a baseline from a reviewed workbook keeps them)."""
    review = flag.review
    if review is not None and review.source == "baseline" and review.status in STATUSES:
        return Review(review.status, review.comment or "")
    return None


def _page(evidence: Evidence, lang: str) -> str:
    """第4页 (p. 4) for a quote of a PDF, else nothing."""
    if evidence.page is None:
        return ""
    return f"第{evidence.page}页" if lang == "zh" else f"p. {evidence.page}, "


def _quote_line(evidence: Evidence, lang: str) -> str:
    if evidence.line is None:
        return quoted(evidence)
    where = f"第{evidence.line}行" if lang == "zh" else f"line {evidence.line}"
    return f"{_page(evidence, lang)}{where}: {quoted(evidence)}"


def _flag_row(flag: Flag, review: Review | None, rule, lang: str) -> dict:
    evidence = flag.evidence
    sides = flag.sides
    return {
        **{key: getattr(flag, key) for key in ("rule", "report", "region", "year", "message", "id")},
        "severity": severity_word(flag.severity, lang),
        "category": category_word(flag.category, lang),
        "title": rule.title(lang) if rule else flag.name,
        "summary": rule.text("summary", lang) if rule else "",
        "stated": sides.stated, "computed": sides.computed, "required": sides.required,
        "difference": sides.difference,
        "evidence": "\n".join(_quote_line(e, lang) for e in evidence),
        "line": evidence[0].line if evidence else None,
        "status": review.status if review else PENDING,
        "comment": review.comment if review else "",
        "link": None,
        "baselined": (BASELINED if lang == "zh" else "baselined") if flag.baselined else "",
    }


def _status_dropdown(sheet: Worksheet, col: int, count: int, statuses: Sequence[str], lang: str) -> None:
    title, prompt = _STATUS_PROMPT[lang]
    sheet.data_validation(1, col, max(count, 1), col, {
        "validate": "list", "source": list(statuses), "ignore_blank": True,
        "error_title": title, "error_message": prompt + ("、" if lang == "zh" else ", ").join(statuses)})


def _reports_sheet(sheet: Worksheet, formats: dict[str, Format], result: AuditResult, lang: str) -> None:
    headers = REPORT_HEADERS if lang == "zh" else REPORT_HEADERS_EN
    statuses = _REPORT_STATUS[lang]
    rows = []
    for entry in report_entries(result.records, result.flags):
        meta, counts = entry["metadata"], entry["counts"]
        values = {"path": entry["path"], "status": statuses.get(entry["status"], entry["status"]),
                  "reason": entry["reason"], **{k: meta.get(k) for k in ("title", "region", "year", "published", "signed")},
                  **{k: counts.get(k) for k in ("facts", "relations", "error", "warning", "info")}}
        rows.append([values[key] for key in headers])
    ok = statuses.get("ok", "ok")  # any other status is an unreadable input
    _table(sheet, formats, headers, rows,
           style=lambda key, value: formats["error"] if key == "status" and value != ok else None)


def _facts_sheet(sheet: Worksheet, formats: dict[str, Format], result: AuditResult, config: Config | None,
                 lang: str) -> None:
    """The figures a reviewer checks flags against: those of the flagged reports first, then the
    rest, up to _MAX_FACT_ROWS (a workbook is for reading, and slow to write; facts.csv has all).
    A figure's value is a number (its text in the column 原文)."""
    chosen = listed_facts(result.frames.facts, {flag.report for flag in result.flags})
    columns = chosen[FACT_COLUMNS]
    if "value_num" in chosen:
        numbers = chosen["value_num"].to_numpy(dtype=float)
        columns = columns.assign(value=[v if math.isfinite(v) else text
                                        for v, text in zip(numbers.tolist(), chosen["value"].tolist())])
    if lang == "zh":
        kinds = KIND_WORDS["zh"]
        columns = columns.assign(kind=[kinds.get(k, k) for k in columns["kind"].tolist()])
        if config is not None:
            names = config.vocabulary.family_names
            columns = columns.assign(family=[names.get(f, {}).get("zh", f) if isinstance(f, str) else f
                                             for f in columns["family"].tolist()])
    rows = [list(row) for row in columns.itertuples(index=False, name=None)]
    total = sum(record.n_facts for record in result.records)  # the run's, whatever frames.facts holds
    if total > len(chosen):
        more = total - len(chosen)
        rows.append([f"… 另有 {more} 行未列出, 完整数据见 facts.csv" if lang == "zh"
                     else f"… {more} more rows, all in facts.csv"])
    headers = FACT_HEADERS_ZH if lang == "zh" else {name: name for name in FACT_COLUMNS}
    _table(sheet, formats, headers, rows)


def listed_facts(facts: pd.DataFrame, flagged_reports: Collection[str]) -> pd.DataFrame:
    """The figures 「数据」 lists: the FLAGGED_REPORTS' first, then the rest, in the run's order,
    up to _MAX_FACT_ROWS. Chosen from any subset of facts holding these rows, in the same order,
    it gives the same rows (the writers beside the CSV files receive only such a subset)."""
    flagged = facts["report"].isin(set(flagged_reports)).to_numpy()
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
               "wrapped": book.add_format({**body, "text_wrap": True}),
               "link": book.add_format({**body, "font_color": "#0563C1", "underline": 1})}
    for severity, (fill, colour) in _SEVERITY_STYLE.items():
        formats[severity] = book.add_format({**body, "pattern": 1, "bg_color": fill, "font_color": colour})
    return formats


def _table(sheet: Worksheet, formats: dict[str, Format], columns: dict[str, str], rows: list[list], *,
           wrapped: set[str] = frozenset(), inputs: set[str] = frozenset(), frozen_columns: int = 0,
           links: dict[str, tuple[list[str], str]] | None = None,
           style: Callable[[str, object], Format | None] = lambda key, value: None) -> None:
    """A header row (column key -> header) over the rows: frozen, filtered, sized, set up to print.
    Wrapped keys wrap, and each row is as tall as its longest wrapped cell; input keys (the
    reviewer's) have a marked header and are styled even while empty; STYLE(key, value) may give a
    cell its own format; LINKS (key -> one address per row, the text shown) makes a column links."""
    keys = list(columns)
    widths = []
    for col, key in enumerate(keys):
        _write(sheet, 0, col, columns[key], formats["input" if key in inputs else "header"])
        width = _WIDTH.get(key) or _fit_width(columns[key], (row[col] for row in rows if col < len(row)))
        sheet.set_column(col, col, width)
        widths.append(width)
    bodies = [formats["wrapped" if key in wrapped else "body"] for key in keys]
    tall = [col for col, key in enumerate(keys) if key in wrapped]
    links = links or {}
    for row_number, row in enumerate(rows, start=1):
        lines = max((_lines(row[col], widths[col]) for col in tall if col < len(row)), default=1)
        if lines > 1:  # set before the row's cells: constant_memory writes rows in order
            sheet.set_row(row_number, min(_MAX_ROW_POINTS, lines * _LINE_POINTS + 4))
        for col, value in enumerate(row):
            key = keys[col]
            if key in links and row_number <= len(links[key][0]):
                sheet.write_url(row_number, col, links[key][0][row_number - 1], formats["link"], links[key][1])
                continue
            _write(sheet, row_number, col, value, style(key, value) or bodies[col], blank=key in inputs)
    sheet.freeze_panes(1, frozen_columns)
    sheet.autofilter(0, 0, len(rows), len(keys) - 1)
    _print_setup(sheet)


def _lines(value, width: float) -> int:
    """How many lines VALUE takes wrapped in a column WIDTH characters wide."""
    if value is None or not isinstance(value, str) or not value:
        return 1
    usable = max(1.0, width - 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in value.split("\n"))


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&C&P / &N")


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
    # Text of printable characters alone, most cells, has neither: isprintable() tests it in C.
    if not text.isprintable():
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
    return display_width(text.split("\n")[0])
