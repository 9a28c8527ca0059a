"""Which files each command writes into --out.

Every output format is one writer: a function (out_dir, result, config) -> None that writes its
files atomically. `--format` picks formats by name; the default is all of them.
"""

from __future__ import annotations

import os
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


def write_audit(out: Path, result: AuditResult, config: Config, formats: list[str] | None = None,
                jobs: int = 1) -> None:
    chosen = [name for name in WRITERS if name in set(formats or WRITERS)]
    side = _start_aside(out, result, config, chosen) if jobs > 1 else None
    for name in chosen:
        if side and name in side.names:
            continue
        if side and name == "json":
            side.finish()  # flags.json stays the last file written
        WRITERS[name](out, result, config)
    if side:
        side.finish()


# With more than one core, some writers run in a forked process beside the others, once a run is
# big enough for the fork to pay: the workbook (openpyxl is pure Python) and junit.xml, which at
# 10,000 reports take about as long as the CSV files and the rest.
_ASIDE = ("xlsx", "junit")
_ASIDE_MIN_REPORTS = 500


class _Aside:
    """Writers running in a forked child; finish() waits for it and re-raises its error."""

    def __init__(self, names: list[str], out: Path, result: AuditResult, config: Config) -> None:
        import multiprocessing

        self.names = names
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_write_aside, args=(names, out, result, config, send),
                                        name="auditor-write-aside")
        self._process.start()
        send.close()
        self._done = False

    def finish(self) -> None:
        if self._done:
            return
        self._done = True
        error = self._receive.recv() if self._receive.poll(None) else None
        self._process.join()
        if error is None and self._process.exitcode != 0:
            error = (False, f"the {'/'.join(self.names)} writers stopped with exit status {self._process.exitcode}")
        if error:
            user_error, message = error
            raise AuditorError(message) if user_error else RuntimeError(message)


def _start_aside(out: Path, result: AuditResult, config: Config, chosen: list[str]) -> _Aside | None:
    import threading

    names = [name for name in _ASIDE if name in chosen]
    # fork only from a single-threaded process: a thread could hold a lock the child inherits
    if not names or len(result.records) < _ASIDE_MIN_REPORTS or threading.active_count() > 1 or not hasattr(os, "fork"):
        return None
    return _Aside(names, out, result, config)


def _write_aside(names: list[str], out: Path, result: AuditResult, config: Config, send) -> None:
    name = names[0]
    try:
        for name in names:
            WRITERS[name](out, result, config)
        send.send(None)
    except AuditorError as err:
        send.send((True, str(err)))
    except BaseException as err:  # reported by the parent, which exits with the internal-error status
        send.send((False, f"{name} writer: {type(err).__name__}: {err}"))
    finally:
        send.close()


def write_extract(out: Path, records: list[ReportRecord], frames: Frames) -> None:
    write_csv(out / "facts.csv", facts_frame(frames.facts))
    write_csv(out / "reports.csv", reports_frame(records, []))
