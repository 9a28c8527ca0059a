"""Bounded reading of the files a user hands back: a reviewed flags.xlsx, a flags.json, a baseline.

These come from outside and are parsed whole, so what they declare is checked before anything
is parsed: a hostile or damaged file (a zip bomb, a sheet declared a million rows by sixteen
thousand columns, a million styles, JSON nested 200,000 deep, an integer of 4,300 digits) is
refused in seconds with one line saying what is too large, instead of taking minutes and
gigabytes or failing with a bug's exit status. Every limit is well above what auditor writes for
a national year's run (some 30,000 reports and 10,000 flags), and the rows, columns and styles
are those a workbook can hold (Excel: 1,048,576 rows by 16,384 columns, 64,000 cell formats).

A zip entry's declared uncompressed size bounds what reading it yields: Python's zipfile stops
there, and fails on a checksum when the entry holds more.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from auditor.errors import AuditorError

MB = 1 << 20
MAX_FILE_BYTES = 256 * MB         # a workbook or JSON file as it stands on disk
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
MAX_ZIP_ENTRIES = 1_000           # auditor's workbook has 12; Excel and WPS add a few
MAX_PART_BYTES = 64 * MB          # one part (a sheet, the shared strings), uncompressed
MAX_UNCOMPRESSED_BYTES = 256 * MB  # every part together
MAX_STYLES_BYTES = 8 * MB         # styles.xml: a workbook's styles fit in a few hundred KB
MAX_STYLE_RECORDS = 100_000       # xf, font, fill, border, numFmt, dxf records: Excel allows 64,000 formats
MAX_SHARED_STRINGS = 500_000      # openpyxl parses them all on opening, some 100,000 a second
MAX_CELLS = 1_000_000             # in the sheet read: 15 columns of 66,000 flags, some 5 s
MAX_JSON_DEPTH = 64               # auditor's JSON files nest 5 levels
MAX_INT_DIGITS = 30               # counts, offsets, line numbers: never more than a dozen digits

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = f"{_RELATIONSHIPS_NS}/officeDocument"
_STYLE_RECORD_RE = re.compile(rb"<(?:\w+:)?(?:xf|font|fill|border|numFmt|dxf)[\s/>]")
_SHARED_STRING_RE = re.compile(rb"<(?:\w+:)?si[\s/>]")
_CELL_RE = re.compile(rb"<(?:\w+:)?c[\s/>]")
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref=\"([^\"]*)\"")
_CELL_REF_RE = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,9})")


def check_file_size(path: Path) -> None:
    """Refuse a file larger than any workbook or JSON file auditor reads back, before reading it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise AuditorError(f"{_mb(size)} MB, larger than the {_mb(MAX_FILE_BYTES)} MB such a file can be")


# --- workbooks -------------------------------------------------------------------------------

def check_workbook(data: bytes, sheet: str | tuple[str, ...]) -> None:
    """Refuse an xlsx workbook that declares more than one can hold or than auditor reads: too
    many zip entries, a part or all of them too large once uncompressed, too many styles or
    shared strings (parsed whole when the workbook opens), or a SHEET (the one to be read)
    declared larger than a workbook's rows and columns or holding too many cells (SHEET may be
    several names, a sheet's name in each language: the first found is checked). Raises
    AuditorError saying which (without the file's name: the caller knows it)."""
    if len(data) > MAX_FILE_BYTES:
        raise AuditorError(f"{_mb(len(data))} MB, larger than the {_mb(MAX_FILE_BYTES)} MB a workbook can be here")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise AuditorError(f"not a readable .xlsx workbook ({err})") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise AuditorError(f"a workbook of {len(entries):,} parts (zip entries); at most {MAX_ZIP_ENTRIES:,} are read")
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise AuditorError(f"a workbook of {_mb(total):,} MB once uncompressed; at most "
                               f"{_mb(MAX_UNCOMPRESSED_BYTES)} MB are read")
        for entry in entries:
            _check_part(archive, entry)
        part = _sheet_part(archive, sheet)
        if part is not None:
            data = _read_part(archive, archive.getinfo(part))
            _check_dimension(part, data)
            _check_count(part, data, _CELL_RE, MAX_CELLS, "cells")


def _check_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    name = entry.filename.lower()
    is_styles = name.endswith("styles.xml")
    limit = MAX_STYLES_BYTES if is_styles else MAX_PART_BYTES
    if entry.file_size > limit:
        raise AuditorError(f"part {entry.filename} is {_mb(entry.file_size):,} MB once uncompressed; at most "
                           f"{_mb(limit)} MB are read")
    if is_styles:
        _check_count(entry.filename, _read_part(archive, entry), _STYLE_RECORD_RE, MAX_STYLE_RECORDS, "style records")
    elif name.endswith("sharedstrings.xml"):
        _check_count(entry.filename, _read_part(archive, entry), _SHARED_STRING_RE, MAX_SHARED_STRINGS,
                     "shared strings")


def _check_count(name: str, data: bytes, pattern: re.Pattern, limit: int, what: str) -> None:
    for count, _ in enumerate(pattern.finditer(data), start=1):
        if count > limit:
            raise AuditorError(f"part {name} holds more than {limit:,} {what}; a workbook auditor reads holds fewer")


def _read_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(entry)  # at most its declared size, checked above
    except Exception as err:  # noqa: BLE001 - BadZipFile (a checksum), zlib.error, EOFError...: damaged
        raise AuditorError(f"part {entry.filename} is damaged ({type(err).__name__}: {err})") from None


def _sheet_part(archive: zipfile.ZipFile, sheet: str | tuple[str, ...]) -> str | None:
    """The zip entry of the sheet named SHEET: the package's officeDocument part (the workbook)
    names its sheets, and the workbook's relationships give each one's part. None when any link
    is missing (openpyxl then says what is wrong with the file)."""
    workbook = _target(archive, "_rels/.rels", _OFFICE_DOCUMENT, "")
    if workbook is None:
        return None
    folder, _, base = workbook.rpartition("/")
    try:
        tree = ElementTree.fromstring(_read_part(archive, archive.getinfo(workbook)))
    except (KeyError, ElementTree.ParseError):
        return None
    names = (sheet,) if isinstance(sheet, str) else sheet
    ids = [element.get(f"{{{_RELATIONSHIPS_NS}}}id") for element in tree.iter(f"{{{_MAIN_NS}}}sheet")
           if element.get("name") in names]
    if not ids:
        return None
    return _target(archive, f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels", None, folder, ids[0])


def _target(archive: zipfile.ZipFile, rels: str, kind: str | None, folder: str, rel_id: str | None = None) -> str | None:
    """The part a relationship of RELS points to (by type KIND or by id REL_ID), as a zip entry name."""
    try:
        tree = ElementTree.fromstring(_read_part(archive, archive.getinfo(rels)))
    except (KeyError, ElementTree.ParseError):
        return None
    for element in tree.iter(f"{{{_PACKAGE_NS}}}Relationship"):
        if (kind and element.get("Type") == kind) or (rel_id and element.get("Id") == rel_id):
            target = element.get("Target") or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            return name if name in archive.NameToInfo else None
    return None


def _check_dimension(name: str, data: bytes) -> None:
    """The sheet's declared dimension (A1:O120) within a workbook's 1,048,576 rows and 16,384 columns."""
    match = _DIMENSION_RE.search(data, 0, 4096)  # it comes first, before the rows
    if not match:
        return
    for ref in match.group(1).decode("ascii", "replace").split(":"):
        cell = _CELL_REF_RE.fullmatch(ref.strip())
        if cell is None:
            continue
        row, column = int(cell.group(2)), column_number(cell.group(1))
        if row > EXCEL_ROWS or column > EXCEL_COLUMNS:
            raise AuditorError(f"sheet {name} declares the range {match.group(1).decode('ascii', 'replace')}, larger than "
                               f"a workbook's {EXCEL_ROWS:,} rows by {EXCEL_COLUMNS:,} columns")


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# --- JSON ------------------------------------------------------------------------------------

def load_json(data: bytes):
    """The JSON document in DATA, refused (AuditorError, message without the file's name) when it
    is larger than MAX_FILE_BYTES, nested deeper than MAX_JSON_DEPTH or holds an integer of more
    than MAX_INT_DIGITS digits; invalid UTF-8 or JSON raise UnicodeDecodeError and
    json.JSONDecodeError as json.loads does."""
    if len(data) > MAX_FILE_BYTES:
        raise AuditorError(f"{_mb(len(data))} MB, larger than the {_mb(MAX_FILE_BYTES)} MB a JSON file can be here")
    text = data.decode("utf-8-sig")
    _check_depth(text)
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:  # _check_depth lets nothing this deep through; kept as a backstop
        raise AuditorError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise AuditorError(f"JSON holds an integer of {len(digits.lstrip('-')):,} digits; "
                           f"at most {MAX_INT_DIGITS} are read")
    return int(digits)


_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")


def _check_depth(text: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before json.loads recurses into it. Strings
    go first (a bracket inside one does not count), then everything but brackets, both in C."""
    depth = 0
    for bracket in _NOT_BRACKET_RE.sub("", _STRING_RE.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise AuditorError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")


def _mb(size: int) -> int:
    return -(-size // MB)
