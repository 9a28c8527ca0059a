"""The audit path as a library: inputs -> records -> frames -> expectations -> flags.

The CLI is a thin layer over `extract()` and `audit()`; tests and other tools call them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.frames import Frames, build_frames
from auditor.ingest.discover import InputFile, Skipped, discover
from auditor.process import ReportRecord, process_file


@dataclass
class AuditResult:
    records: list[ReportRecord]
    frames: Frames
    flags: list[dict]
    validation: dict          # Great Expectations' results, per table, as JSON
    failed_rules: dict[str, list[str]]  # relation_key -> codes of the rules it failed


def read_reports(paths: Sequence[str | Path], config: Config) -> list[ReportRecord]:
    """Read every input; an unreadable one becomes an error record, never an exception."""
    items, skipped = discover(paths)
    missing = [s for s in skipped if s.reason == "does not exist"]
    if missing:
        raise AuditorError(f"{missing[0].path}: no such file or folder")
    if not items and not skipped:
        raise AuditorError("no .txt, .html or .htm reports found in " + ", ".join(map(str, paths)))
    records = [process_file(item, config) for item in items]
    records.extend(_skipped_record(s) for s in skipped)
    return records


def extract(paths: Sequence[str | Path], config: Config) -> tuple[list[ReportRecord], Frames]:
    records = read_reports(paths, config)
    return records, build_frames(records, config.thresholds)


def audit(paths: Sequence[str | Path], config: Config, lang: str = "zh") -> AuditResult:
    from auditor.checks.gx_suites import run_suites  # imports Great Expectations: seconds
    from auditor.flags import build_flags

    records, frames = extract(paths, config)
    failures, validation = run_suites(frames, config)
    failed_rules: dict[str, list[str]] = {}
    for failure in failures:
        if failure.table == "relations" and failure.rule not in failed_rules.get(failure.key, []):
            failed_rules.setdefault(failure.key, []).append(failure.rule)
    flags = build_flags(failures, frames, config, lang)
    return AuditResult(records, frames, flags, validation, failed_rules)


def _skipped_record(skipped: Skipped) -> ReportRecord:
    item = InputFile(skipped.path, skipped.path.as_posix())
    return ReportRecord({"report": item.display, "path": str(item.path), "sha256": None, "status": "error",
                         "reason": skipped.reason, "encoding": None})
