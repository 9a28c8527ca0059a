"""Which files each command writes into --out."""

from __future__ import annotations

from pathlib import Path

from auditor.config import Config
from auditor.frames import Frames
from auditor.pipeline import AuditResult
from auditor.process import ReportRecord
from auditor.report.csv_files import facts_frame, flags_frame, relations_frame, reports_frame, write_csv
from auditor.report.json_report import write_flags_json
from auditor.report.markdown import write_summary


def write_audit(out: Path, result: AuditResult, config: Config) -> None:
    write_csv(out / "facts.csv", facts_frame(result.frames.facts))
    write_csv(out / "relations.csv", relations_frame(result))
    write_csv(out / "reports.csv", reports_frame(result.records, result.flags))
    write_csv(out / "flags.csv", flags_frame(result.flags))
    write_summary(out / "summary.md", result.records, result.flags)
    # Last: a tool that waits for flags.json finds every other output complete.
    write_flags_json(out / "flags.json", result.records, result.flags, config)


def write_extract(out: Path, records: list[ReportRecord], frames: Frames) -> None:
    write_csv(out / "facts.csv", facts_frame(frames.facts))
    write_csv(out / "reports.csv", reports_frame(records, []))
