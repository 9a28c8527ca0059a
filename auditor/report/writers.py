"""Which files each command writes into --out.

Every output format is one writer: a function (out_dir, result, config) -> None that writes its
files atomically. `--format` picks formats by name; the default is all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.frames import Frames
from auditor.pipeline import AuditResult
from auditor.process import ReportRecord
from auditor.report.gx_results import write_gx_results
from auditor.report.html_report import write_html
from auditor.report.junit import write_junit
from auditor.report.sarif import write_sarif
from auditor.report.workbook import write_workbook
from auditor.report.csv_files import facts_frame, flags_frame, relations_frame, reports_frame, write_csv
from auditor.report.json_report import write_flags_json
from auditor.report.markdown import write_summary

Writer = Callable[[Path, AuditResult, Config], None]


def _csv(out: Path, result: AuditResult, config: Config) -> None:
    write_csv(out / "facts.csv", facts_frame(result.frames.facts))
    write_csv(out / "relations.csv", relations_frame(result))
    write_csv(out / "reports.csv", reports_frame(result.records, result.flags))
    write_csv(out / "flags.csv", flags_frame(result.flags))


def _markdown(out: Path, result: AuditResult, config: Config) -> None:
    write_summary(out / "summary.md", result.records, result.flags)


def _json(out: Path, result: AuditResult, config: Config) -> None:
    write_flags_json(out / "flags.json", result.records, result.flags, config)


# Order matters: flags.json is written last, so a tool that waits for it finds the rest complete.
WRITERS: dict[str, Writer] = {
    "csv": _csv,
    "md": _markdown,
    "xlsx": write_workbook,
    "html": write_html,
    "junit": write_junit,
    "sarif": write_sarif,
    "gx": write_gx_results,
    "json": _json,
}


def check_formats(formats: list[str] | None) -> list[str]:
    """The formats asked for, in writing order; an unknown name is a usage error."""
    if not formats:
        return list(WRITERS)
    unknown = sorted(set(formats) - set(WRITERS))
    if unknown:
        raise AuditorError(f"unknown --format {', '.join(unknown)}; choose from {', '.join(WRITERS)}")
    return [name for name in WRITERS if name in formats]


def write_audit(out: Path, result: AuditResult, config: Config, formats: list[str] | None = None) -> None:
    # One after the other, in this process. Writing the workbook in a forked process beside the
    # others saved a few seconds at 10,000 reports but doubled the peak memory: reference counting
    # writes to every object the child touches, so copy-on-write copies them all.
    chosen = set(formats or WRITERS)
    for name, writer in WRITERS.items():
        if name in chosen:
            writer(out, result, config)


def write_extract(out: Path, records: list[ReportRecord], frames: Frames) -> None:
    write_csv(out / "facts.csv", facts_frame(frames.facts))
    write_csv(out / "reports.csv", reports_frame(records, []))
