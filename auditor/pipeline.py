"""The audit path as a library: inputs -> records -> frames -> expectations -> flags.

The CLI is a thin layer over `extract()` and `audit()`; tests and other tools call them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from auditor.config import Config, load_config
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


def read_reports(paths: Sequence[str | Path], config: Config, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> list[ReportRecord]:
    """Read every input; an unreadable one becomes an error record, never an exception.

    With jobs > 1 the files are read in worker processes; the records come back in input
    order, so the result does not depend on the number of jobs.
    """
    items, skipped = discover(paths)
    missing = [s for s in skipped if s.reason == "does not exist"]
    if missing:
        raise AuditorError(f"{missing[0].path}: no such file or folder")
    if not items and not skipped:
        raise AuditorError("no .txt, .html or .htm reports found in " + ", ".join(map(str, paths)))
    records = []
    for record in _process_all(items, config, jobs):
        records.append(record)
        if progress:
            progress(len(records), len(items))
    records.extend(_skipped_record(s) for s in skipped)
    return records


def _process_all(items: list[InputFile], config: Config, jobs: int) -> Iterator[ReportRecord]:
    if jobs <= 1 or len(items) < _MIN_FILES_PER_WORKER * 2:
        return (process_file(item, config) for item in items)
    workers = min(jobs, len(items) // _MIN_FILES_PER_WORKER)
    chunk = max(1, min(64, len(items) // (workers * 8)))  # big enough to amortise, small enough to balance
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(config.root,))
    return _drain(executor, executor.map(_process_in_worker, items, chunksize=chunk))


def _drain(executor: ProcessPoolExecutor, results: Iterator[ReportRecord]) -> Iterator[ReportRecord]:
    with executor:
        yield from results


_worker_config: Config | None = None
_MIN_FILES_PER_WORKER = 4


def _start_worker(root: Path) -> None:
    global _worker_config
    _worker_config = load_config(root)


def _process_in_worker(item: InputFile) -> ReportRecord:
    return process_file(item, _worker_config)


def extract(paths: Sequence[str | Path], config: Config, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> tuple[list[ReportRecord], Frames]:
    records = read_reports(paths, config, jobs, progress)
    return records, build_frames(records, config.thresholds)


def audit(paths: Sequence[str | Path], config: Config, lang: str = "zh", jobs: int = 1,
          progress: Callable[[int, int], None] | None = None) -> AuditResult:
    from auditor.checks.gx_suites import run_suites  # imports Great Expectations: seconds
    from auditor.flags import build_flags

    records, frames = extract(paths, config, jobs, progress)
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
