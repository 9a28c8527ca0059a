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
from auditor.history.tracked import History
from auditor.ingest.discover import InputFile, Skipped, discover, display_name
from auditor.process import ReportRecord, process_file


@dataclass
class AuditResult:
    records: list[ReportRecord]
    frames: Frames
    flags: list[dict]
    validation: dict | None   # Great Expectations' results, per table, as JSON; None until gx_validation.json asks
    failed_rules: dict[str, list[str]]  # relation_key -> codes of the rules it failed
    lang: str = "zh"          # of the messages, and of the outputs written for a reader
    formats: tuple[str, ...] = ()  # the outputs the run writes (auditor.report.writers), once known


def read_reports(paths: Sequence[str | Path], config: Config, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, exclude: Sequence[str | Path] = (),
                 follow_links: bool = False) -> list[ReportRecord]:
    """Read every input; an unreadable one becomes an error record, never an exception. Folders
    in `exclude` (the run's output folder) are not read; symlinks out of a named folder only
    with FOLLOW_LINKS (auditor.ingest.discover).

    With jobs > 1 the files are read in worker processes; the records come back in input
    order, so the result does not depend on the number of jobs.
    """
    items, skipped = discover(paths, exclude, follow_links=follow_links)
    missing = [s for s in skipped if s.reason == "does not exist"]
    if missing:
        raise AuditorError(f"{display_name(missing[0].path)}: no such file or folder")
    if not items and not skipped:
        raise AuditorError("no reports (.txt, .html, .htm, .pdf, .docx) found in " + ", ".join(map(display_name, paths)))
    records = []
    for record in _process_all(items, config, jobs):
        records.append(record)
        if progress:
            progress(len(records), len(items))
    records.extend(_skipped_record(s) for s in skipped if not s.info)  # a symlink loop is no input
    return records


def _process_all(items: list[InputFile], config: Config, jobs: int) -> Iterator[ReportRecord]:
    if jobs <= 1 or len(items) < _MIN_FILES_PER_WORKER * 2:
        return (process_file(item, config) for item in items)
    workers = min(jobs, len(items) // _MIN_FILES_PER_WORKER)
    chunk = max(1, min(64, len(items) // (workers * 8)))  # big enough to amortise, small enough to balance
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(config.root,))
    results = executor.map(_process_in_worker, items, chunksize=chunk)
    return _drain(executor, results)


def _drain(executor: ProcessPoolExecutor, results: Iterator[ReportRecord]) -> Iterator[ReportRecord]:
    with executor:
        yield from results


_worker_config: Config | None = None
_MIN_FILES_PER_WORKER = 4


def _start_worker(root: Path) -> None:
    global _worker_config
    ignore_interrupts()
    _worker_config = load_config(root)


def ignore_interrupts() -> None:
    """A worker leaves Ctrl-C to the run's own process, which stops it (auditor.cli), rather than
    print a traceback of its own; SIGTERM, which that process sends it then, ends it at once (a
    forked worker would otherwise inherit the run's own SIGTERM handler)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _process_in_worker(item: InputFile) -> ReportRecord:
    return process_file(item, _worker_config)


def extract(paths: Sequence[str | Path], config: Config, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None,
            exclude: Sequence[str | Path] = (), history: History | None = None,
            phase: Callable[[str], None] | None = None, follow_links: bool = False) -> tuple[list[ReportRecord], Frames]:
    """Read every input and assemble the frames; PROGRESS hears (done, total) as each report is
    read, and PHASE the name of each step as it begins. HISTORY (the store of earlier runs) gives last
    year's reports the run lacks."""
    records = read_reports(paths, config, jobs, progress, exclude, follow_links)
    if phase:
        phase("checking")
    prior = history.prior_reports(_documents_of(records)) if history is not None else None
    return records, build_frames(records, config.thresholds, prior)


def _documents_of(records: list[ReportRecord]):
    """The fields of the run's documents a look-up of last year's reports needs."""
    import pandas as pd

    fields = ("status", "issuer_key", "report_kind", "year")
    return pd.DataFrame([{f: r.document.get(f) for f in fields} for r in records], columns=list(fields))


def audit(paths: Sequence[str | Path], config: Config, lang: str = "zh", jobs: int = 1,
          progress: Callable[[int, int], None] | None = None,
          exclude: Sequence[str | Path] = (), history: History | None = None,
          phase: Callable[[str], None] | None = None, follow_links: bool = False) -> AuditResult:
    """Read, check and flag. With HISTORY, last year's reports the run lacks come from its store,
    and the run's reports are recorded in it once their flags are built. PHASE, when given, hears
    each step's name as it begins: reading, checking (the frames and the expectation suites),
    flagging."""
    from auditor.checks.suites import run_suites
    from auditor.flags import build_flags

    if phase:
        phase("reading")
    records, frames = extract(paths, config, jobs, progress, exclude=exclude, history=history, phase=phase, follow_links=follow_links)
    failures = run_suites(frames, config)
    if phase:
        phase("flagging")
    flags = build_flags(failures, frames, config, lang)
    if history is not None:
        history.record(frames.documents, frames.facts)
    return AuditResult(records, frames, flags, None, failed_rules(failures), lang)


def failed_rules(failures) -> dict[str, list[str]]:
    """relation_key -> the codes of the rules it failed, each once, in order."""
    failed: dict[str, list[str]] = {}
    for failure in failures:
        if failure.table == "relations" and failure.rule not in failed.get(failure.key, []):
            failed.setdefault(failure.key, []).append(failure.rule)
    return failed


def _skipped_record(skipped: Skipped) -> ReportRecord:
    item = InputFile(skipped.path, display_name(skipped.path))
    return ReportRecord({"report": item.display, "path": str(item.path), "sha256": None, "status": "error",
                         "reason": skipped.reason, "encoding": None})
