"""The audit path as a library: inputs -> records -> frames -> expectations -> flags.

The CLI is a thin layer over `extract()` and `audit()`; tests and other tools call them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import TypeVar

import pandas as pd

from auditor.columns import OUTLIER_COLUMNS, RECORD_SUMMARY
from auditor.config import Config, load_config
from auditor.errors import AuditorError
from auditor.flag import Flag
from auditor.frames import (Frames, RunContext, batch_frames, build_frames, link_records, links_of, named_facts,
                            rates_of, run_context)
from auditor.history.tracked import History
from auditor.ingest.discover import InputFile, Skipped, discover, display_name, refuse_missing
from auditor.process import ReportRecord, process_file
from auditor.spill import Packed, Spill

T = TypeVar("T")


@dataclass
class AuditResult:
    records: list[ReportRecord]
    frames: Frames
    flags: list[Flag]
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
    return list(_records(paths, config, jobs, progress, exclude, follow_links))


def _records(paths, config: Config, jobs: int, progress, exclude, follow_links: bool) -> Iterator[ReportRecord]:
    """read_reports' records one by one, as each is read: every input's, then one for each input
    refused before reading."""
    refuse_missing(paths)
    items, skipped = discover(paths, exclude, follow_links=follow_links)
    if not items and not skipped:
        raise AuditorError("no reports (.txt, .html, .htm, .pdf, .docx) found in " + ", ".join(map(display_name, paths)))
    for done, record in enumerate(_process_all(items, config, jobs), start=1):
        yield record
        if progress:
            progress(done, len(items))
    yield from (_skipped_record(s) for s in skipped if not s.info)  # a symlink loop is no input


def _process_all(items: list[InputFile], config: Config, jobs: int) -> Iterator[ReportRecord]:
    if jobs <= 1 or len(items) < _MIN_FILES_PER_WORKER * 2:
        return (process_file(item, config) for item in items)
    workers = min(jobs, len(items) // _MIN_FILES_PER_WORKER)
    chunk = max(1, min(64, len(items) // (workers * 8)))  # big enough to amortise, small enough to balance
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(config.root,))
    results = executor.map(_process_in_worker, items, chunksize=chunk)
    return _drain(executor, results)


def _drain(executor: ProcessPoolExecutor, results: Iterator[ReportRecord]) -> Iterator[ReportRecord]:
    try:
        yield from results
    except KeyboardInterrupt:
        # A stopped run (auditor.cli) has terminated its workers, one perhaps half-way through
        # sending its records: the pool's thread would wait for the rest of them for ever, and a
        # shutdown that waited for that thread with it. Workers that still run end after their
        # share.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        executor.shutdown()
        raise
    executor.shutdown()


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
    prior = history.prior_reports(links_of(records)) if history is not None else None
    return records, build_frames(records, config.thresholds, prior)


def extract_batches(paths: Sequence[str | Path], config: Config, jobs: int = 1,
                    progress: Callable[[int, int], None] | None = None, exclude: Sequence[str | Path] = (),
                    follow_links: bool = False,
                    batch_reports: int | None = None) -> Iterator[tuple[list[ReportRecord], pd.DataFrame]]:
    """`auditor extract`'s run: the records of each batch of BATCH_REPORTS inputs (all of them
    when None) as they are read, with their figures as a frame. Those are build_frames' figures
    without what the checks across reports add, which extract does not make (nothing waits for
    the whole run, and no batch goes to disk)."""
    context = RunContext(links_of([]), {},
                         pd.DataFrame(columns=list(OUTLIER_COLUMNS), dtype=float), config.thresholds)
    for batch in batched(_records(paths, config, jobs, progress, exclude, follow_links), batch_reports):
        yield batch, batch_frames(batch, context).facts


def batched(items: Iterable[T], size: int | None) -> Iterator[list[T]]:
    """ITEMS in lists of SIZE as they come, the last one shorter; one list when SIZE is None (none
    when there is no item)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def audit(paths: Sequence[str | Path], config: Config, lang: str = "zh", jobs: int = 1,
          progress: Callable[[int, int], None] | None = None,
          exclude: Sequence[str | Path] = (), history: History | None = None,
          phase: Callable[[str], None] | None = None, follow_links: bool = False) -> AuditResult:
    """Read, check and flag, the run in one batch: the result holds every frame. With HISTORY,
    last year's reports the run lacks come from its store, and the run's reports are recorded in
    it once their flags are built. PHASE, when given, hears each step's name as it begins:
    reading, checking (the frames, the expectation suites and the flags)."""
    with AuditRun(paths, config, lang, jobs, progress, exclude, history, phase, follow_links) as run:
        for _ in run.batches():
            pass
        return run.result()


@dataclass
class Batch:
    """Some of a run's reports, checked: their frames, and the flags and failed rules of them.
    The flags are in the order of their failures and have no ids yet: AuditRun.result() orders
    and numbers the run's flags once every batch is checked."""
    records: list[ReportRecord]
    frames: Frames
    flags: list[Flag]
    failed_rules: dict[str, list[str]]


class AuditRun:
    """An audit that holds the figures of BATCH_REPORTS reports at a time (all of them when None).

    batches() reads every report first, leaving each full batch's figures and the most of its
    documents on disk (auditor.spill), and keeping of the run each report's summary
    (columns.RECORD_SUMMARY) and its rates: the checks across reports (RANGE003's spread of a
    rate, the link to last year's report) need all of them before any batch is checked. What
    those give each batch goes to disk beside it, and the rates are let go. Then it
    checks one batch at a time and yields it; the named figures of a report that is last year's
    of one in another batch travel to that batch, and HISTORY records each batch. result() gives
    the run's records, its flags in order and, for a run of one batch, its frames; a run of
    several keeps no documents' rows, and of its figures only those KEEP_FACTS chooses, given them
    and the reports flagged so far (the
    figures the outputs written at the end show). Flags, their order and their ids, and the
    history recorded, do not depend on the size of a batch.
    """

    def __init__(self, paths: Sequence[str | Path], config: Config, lang: str = "zh", jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, exclude: Sequence[str | Path] = (),
                 history: History | None = None, phase: Callable[[str], None] | None = None,
                 follow_links: bool = False, batch_reports: int | None = None,
                 keep_facts: Callable[[pd.DataFrame, set[str]], pd.DataFrame] | None = None):
        from auditor.checks.suites import row_by_row

        self.paths, self.config, self.lang, self.jobs = paths, config, lang, jobs
        self.progress, self.exclude, self.history, self.phase = progress, exclude, history, phase
        self.follow_links, self.keep_facts = follow_links, keep_facts
        # `mostly` judges a whole table at once: such suites see the run in one batch
        self.batch_reports = batch_reports if batch_reports and row_by_row(config) else None
        self.records: list[ReportRecord] | Packed = []  # once checked (result() gives them)
        self._waiting = Packed()            # the full batches read, not yet checked: their summaries
        self._last: list[ReportRecord] = []        # the last batch read when not full: stays live
        self._bounds: list[tuple[int, int]] = []   # each batch's records: start, end
        self._rate_bounds: list[tuple[int, int]] = []  # each batch's rows of the run's rates: start, end
        self._flags: list[Flag] | Packed = []       # a run of several batches: packed, a batch to a piece
        self._flagged: set[str] = set()            # the reports flagged so far
        self._kept: pd.DataFrame | None = None     # a run of several batches: the figures kept
        self._empty: Frames | None = None
        self._whole: Batch | None = None           # a run of one batch: that batch
        self._spill = Spill()

    def __enter__(self) -> AuditRun:
        return self

    def __exit__(self, *exc) -> None:
        self._spill.close()

    def batches(self) -> Iterator[Batch]:
        self._note("reading")
        rates = self._read()
        self._note("checking")
        links = links_of(chain(self._waiting, self._last))
        several = len(self._bounds) > 1
        # a run of several batches takes from the store the figures of the reports each batch
        # links to (_send_earlier), not every candidate's at once
        prior = self.history.prior_reports(links, with_facts=not several) if self.history is not None else None
        context = run_context(self._last, links, self.config.thresholds, prior, rates)
        del rates  # what RANGE003 needs of them is in context.outliers now
        names = links["report"].tolist()
        del links  # context.documents holds them
        self._send_earlier(context.previous, names)
        if several:
            context = self._set_aside(context, names)
        del names
        self.records = Packed() if several else self._last
        self._flags = Packed() if several else []
        for index in range(len(self._bounds)):
            if index:
                self._note("checking")
            batch = self._check(index, self._context_of(index, context) if several else context)
            if several:
                self._keep(batch)
                yield batch
                for record in batch.records:
                    _summarise(record)
                self.records.add(batch.records)
                self._flags.add(batch.flags)
                # the next batch is built without this one's frames (some 40 MB at 500 reports)
                del batch
            else:
                self._flags = batch.flags
                self._whole = batch
                yield batch

    def _check(self, index: int, context: RunContext) -> Batch:
        """Batch INDEX checked, given its CONTEXT: its frames, flags and failed rules; the
        history store records it."""
        from auditor.checks.suites import run_suites
        from auditor.flags import flag_rows

        records = self._last if index == self._waiting.pieces else self._waiting.take(index)
        link_records(records, context.previous)
        self._restore(index, records)
        earlier = list(self._spill.read(f"earlier-{index}"))
        frames = batch_frames(records, context, pd.concat(earlier, ignore_index=True) if earlier else None)
        failures = run_suites(frames, self.config)
        self._note("flagging")
        batch = Batch(records, frames, flag_rows(failures, frames, self.config, self.lang), failed_rules(failures))
        self._flagged.update(flag.report for flag in batch.flags)
        if self.history is not None:
            self.history.record(frames.documents, frames.facts)
        return batch

    def result(self) -> AuditResult:
        """The run, once batches() is done: its records and flags, and its frames (see the class)."""
        from auditor.flags import ordered_flags

        flags = ordered_flags(list(self._flags))
        if self._whole is not None:
            return AuditResult(self.records, self._whole.frames, flags, None, self._whole.failed_rules, self.lang)
        facts = self._kept if self._kept is not None else self._empty.facts
        return AuditResult(self.records, Frames(self._empty.documents, facts, self._empty.relations), flags, None,
                           {}, self.lang)

    def _note(self, name: str) -> None:
        if self.phase:
            self.phase(name)

    def _read(self) -> pd.DataFrame:
        """Read every report; each full batch's figures go to disk. The run's rates."""
        rates = []
        records = _records(self.paths, self.config, self.jobs, self.progress, self.exclude, self.follow_links)
        read = 0
        for batch in batched(records, self.batch_reports):
            rates.append(rates_of(batch))
            first = self._rate_bounds[-1][1] if self._rate_bounds else 0
            self._rate_bounds.append((first, first + len(rates[-1])))
            if len(batch) == self.batch_reports:  # a full batch; the last, shorter one stays in memory
                self._spill.append(f"batch-{len(self._bounds)}", [(r.facts, r.relations, _summarise(r)) for r in batch])
                for r in batch:
                    r.facts = r.relations = None
                self._waiting.add(batch)
            else:
                self._last = batch
            self._bounds.append((read, read + len(batch)))
            read += len(batch)
        return pd.concat(rates, ignore_index=True)

    def _set_aside(self, context: RunContext, names: list[str]) -> RunContext:
        """Of CONTEXT, what each batch reads of the whole run, put on disk for that batch: its
        reports' links to last year's, the documents those links name, and the outliers columns
        of its rates (RANGE003's spread is the run's, computed once). Kept whole they grew with
        the run (pandas counts some 1.7 KB a report in them, shared strings counted at each
        row); batch_frames finds the same rows in a batch's. What stays is the context without
        them. NAMES: the run's reports, in order."""
        for index, ((start, end), (first, last)) in enumerate(zip(self._bounds, self._rate_bounds)):
            previous, linked = context.links_of_batch(names[start:end])
            self._spill.append(f"context-{index}", (linked, previous, context.outliers.iloc[first:last]))
        return replace(context, documents=_empty_like(context.documents), previous={},
                       outliers=_empty_like(context.outliers))

    def _context_of(self, index: int, context: RunContext) -> RunContext:
        """The context of batch INDEX: CONTEXT with what _set_aside put on disk for it."""
        linked, previous, outliers = next(self._spill.read(f"context-{index}"))
        self._spill.discard(f"context-{index}")
        return replace(context, documents=linked, previous=previous, outliers=outliers)

    def _restore(self, index: int, records: list[ReportRecord]) -> None:
        """The figures of batch INDEX back in its records, from disk (the last batch never left)."""
        for columns in self._spill.read(f"batch-{index}"):
            for record, (facts, relations, rest) in zip(records, columns):
                record.facts, record.relations = facts, relations
                record.document.update(rest)
        self._spill.discard(f"batch-{index}")

    def _send_earlier(self, previous: dict[str, str], names: list[str]) -> None:
        """The named figures of each report that is last year's of a report in another batch, or
        in the history store, put on disk for that batch: one pass over the batches, holding one
        at a time, then the store's a batch at a time. NAMES: the run's reports, in order."""
        if len(self._bounds) < 2 or not previous:
            return
        batch_of = {names[i]: index for index, (start, end) in enumerate(self._bounds) for i in range(start, end)}
        wanted: dict[int, dict[str, set[int]]] = {}   # batch -> its reports wanted -> the batches wanting them
        stored: dict[int, set[str]] = {}              # batch -> the store's reports it wants
        for report, last in previous.items():
            source, target = batch_of.get(last), batch_of[report]
            if source is None:
                stored.setdefault(target, set()).add(last)
            elif source != target:
                wanted.setdefault(source, {}).setdefault(last, set()).add(target)
        for target, reports in sorted(stored.items()):
            facts = self.history.prior_facts(reports) if self.history is not None else None
            if facts is not None and len(facts):
                self._spill.append(f"earlier-{target}", facts)
        for source, reports in sorted(wanted.items()):
            columns = next(self._spill.read(f"batch-{source}"), None)
            facts = [f for f, _, _ in columns] if columns is not None else [r.facts for r in self._last]
            wanted_here = set(reports)
            pieces = [named_facts(f, wanted_here) for f in facts if f and f["report"] and f["report"][0] in wanted_here]
            if not pieces:  # last year's reports here state no figure
                continue
            named = pd.concat(pieces, ignore_index=True)
            for target in sorted(set().union(*reports.values())):
                wanted_there = {report for report, targets in reports.items() if target in targets}
                self._spill.append(f"earlier-{target}", named[named["report"].isin(wanted_there)])

    def _keep(self, batch: Batch) -> None:
        """Of a batch of a run of several, what result() keeps: the figures KEEP_FACTS chooses
        among those kept so far and the batch's, in the run's order."""
        if self._empty is None:
            self._empty = Frames(*map(_empty_like, (batch.frames.documents, batch.frames.facts,
                                                    batch.frames.relations)))
        if self.keep_facts is None:
            return
        facts = batch.frames.facts if self._kept is None else \
            pd.concat([self._kept, batch.frames.facts], ignore_index=True)
        self._kept = self.keep_facts(facts.reset_index(drop=True), self._flagged)


def _empty_like(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME's columns and dtypes without its rows, holding none of its memory: a slice such as
    iloc[:0] is a view that keeps every column's whole array, and the values an object column
    points to, alive."""
    return frame.iloc[:0].copy()


def _summarise(record: ReportRecord) -> dict:
    """Leave the record's document with its summary (RECORD_SUMMARY); return the rest of it."""
    document = record.document
    record.document = {name: document[name] for name in RECORD_SUMMARY if name in document}
    return {name: value for name, value in document.items() if name not in record.document}


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
