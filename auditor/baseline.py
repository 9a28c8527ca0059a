"""Baselines: flags a team has accepted, so that later audits report them without failing on them.

A baseline is built from an audit's flags.json (every flag is accepted) or from a reviewed
flags.xlsx (the rows a reviewer marked 误报 or 已整改, with their comments). It is matched to
later flags by id, which survives unrelated edits of a report and changes when its figures do.

    {"tool": "auditor", "format": 1, "source": "...",
     "flags": [{"id", "rule", "report", "message", "status", "comment"}, ...]}   (sorted by id)
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from auditor.errors import AuditorError
from auditor.flag import Flag
from auditor.limits import check_file_size, load_json
from auditor.report.files import write_atomic

FORMAT = 1
ACCEPTED = "accepted"  # the status of every flag taken from a flags.json
REVIEWED_STATUSES = ("误报", "已整改")  # the workbook statuses that put a flag in the baseline
ENTRY_FIELDS = ("id", "rule", "report", "message", "status", "comment")
_ZIP_MAGIC = b"PK\x03\x04"
_NOT_BASELINE = "not an auditor baseline"


def build_baseline(source: Path) -> dict:
    """The baseline of a flags.json or a reviewed flags.xlsx (told apart by content, not name)."""
    source = Path(source)
    data = _read(source)
    entries = _from_workbook(source, data) if data.startswith(_ZIP_MAGIC) else _from_flags_json(source, data)
    unique = {entry["id"]: entry for entry in entries}
    return {"tool": "auditor", "format": FORMAT, "source": str(source),
            "flags": [unique[key] for key in sorted(unique)]}


def write_baseline(source: Path, out: Path) -> int:
    """Write the baseline of SOURCE to OUT (UTF-8 JSON, atomically); return how many flags it holds."""
    baseline = build_baseline(source)
    write_atomic(Path(out), json.dumps(baseline, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return len(baseline["flags"])


def load_baseline(path: Path) -> dict[str, dict]:
    """A baseline file as flag id -> entry."""
    path = Path(path)
    document = _parse_json(path, _read(path), _NOT_BASELINE)
    if not isinstance(document, dict) or document.get("tool") != "auditor" or "format" not in document:
        raise AuditorError(f"{path}: {_NOT_BASELINE} (write one with `auditor baseline`)")
    if document["format"] != FORMAT:
        raise AuditorError(f"{path}: baseline format {document['format']!r} is not supported (expected {FORMAT})")
    return {entry["id"]: entry for entry in _flag_list(path, document)}


def apply_baseline(flags: list[Flag], baseline: dict[str, dict]) -> list[Flag]:
    """The flags, each marked: baselined is True when the baseline holds its id."""
    return [replace(flag, baselined=flag.id in baseline) for flag in flags]


# --- sources ---------------------------------------------------------------------------------

def _from_flags_json(source: Path, data: bytes) -> list[dict]:
    document = _parse_json(source, data, "neither a flags.json nor a flags.xlsx")
    if not isinstance(document, dict) or "flags" not in document:
        raise AuditorError(f"{source}: not an audit's flags.json (no \"flags\" list)")
    if "flags_omitted" in document:  # a capped flags.json (auditor.report.json_report): every flag is in flags.csv
        return [_entry(flag, ACCEPTED, "") for flag in _every_flag_beside(source)]
    return [_entry(flag, ACCEPTED, "") for flag in _flag_list(source, document)]


def _every_flag_beside(source: Path) -> list[dict]:
    """The flags of flags.csv beside a capped flags.json: its id, rule, report and message."""
    import csv
    import io

    from auditor.report.json_report import FULL_LIST

    full = source.parent / FULL_LIST
    if not full.is_file():
        raise AuditorError(f"{source} lists only some of the run's flags, and {full}, which lists every one, "
                           "is missing; rerun the audit with --format csv,json")
    rows = csv.DictReader(io.StringIO(_read(full).decode("utf-8-sig"), newline=""))
    flags = [{key: _unquoted(row.get(key) or "") for key in ("id", "rule", "report", "message")} for row in rows]
    if not all(flag["id"] for flag in flags):
        raise AuditorError(f"{full}: a flag has no id")
    return flags


def _unquoted(text: str) -> str:
    """A CSV cell without the quote the formula guard put before it (auditor.report.files)."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def _from_workbook(source: Path, data: bytes) -> list[dict]:
    from auditor.report.workbook import read_flag_rows  # openpyxl: only when a workbook is read

    try:
        rows = read_flag_rows(data, required=ENTRY_FIELDS)
    except AuditorError as err:
        raise AuditorError(f"{source}: {err}") from None
    return [_entry(row, row["status"], row["comment"]) for row in rows if row["status"] in REVIEWED_STATUSES]


def _entry(flag: dict, status: str, comment: str) -> dict:
    return {"id": flag["id"], "rule": str(flag.get("rule") or ""), "report": str(flag.get("report") or ""),
            "message": str(flag.get("message") or ""), "status": status, "comment": comment}


# --- reading ---------------------------------------------------------------------------------

def _read(path: Path) -> bytes:
    if not path.exists():
        raise AuditorError(f"{path}: no such file")
    try:
        check_file_size(path)
        return path.read_bytes()
    except AuditorError as err:
        raise AuditorError(f"{path}: {err}") from None
    except OSError as err:
        raise AuditorError(f"{path}: cannot read ({err.strerror or err})") from None


def _parse_json(path: Path, data: bytes, expected: str):
    """The JSON document in DATA; EXPECTED says what the file should have been, for the error. Its
    size, nesting and integers are bounded (auditor.limits)."""
    try:
        return load_json(data)
    except AuditorError as err:
        raise AuditorError(f"{path}: {expected} ({err})") from None
    except UnicodeDecodeError:
        raise AuditorError(f"{path}: {expected} (not UTF-8 text)") from None
    except json.JSONDecodeError as err:
        raise AuditorError(f"{path}: {expected} (not valid JSON at line {err.lineno}: {err.msg})") from None


def _flag_list(path: Path, document: dict) -> list[dict]:
    flags = document.get("flags")
    if not isinstance(flags, list):
        raise AuditorError(f"{path}: \"flags\" must be a list")
    for number, flag in enumerate(flags, start=1):
        if not isinstance(flag, dict) or not isinstance(flag.get("id"), str) or not flag["id"]:
            raise AuditorError(f"{path}: flag {number} has no \"id\"")
    return flags
