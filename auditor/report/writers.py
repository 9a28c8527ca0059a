"""Which files each command writes into --out.

Every output format is one writer: a function (out_dir, result, config) -> None that writes its
files atomically. `--format` picks formats by name; the default is all of them but gx, whose
gx_validation.json needs Great Expectations (seconds to import, and the run's checks again).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.frames import Frames
from auditor.pipeline import AuditResult, ignore_interrupts
from auditor.process import ReportRecord
from auditor.report.gx_results import write_gx_results
from auditor.report.html_report import mediation_facts, write_html
from auditor.report.junit import write_junit
from auditor.report.sarif import write_sarif
from auditor.report.out_folder import carry_into, publish, staging_folder
from auditor.report.workbook import WORKBOOK_NAME, listed_facts, write_workbook
from auditor.report.csv_files import facts_frame, flags_frame, relations_frame, reports_frame, write_csv
from auditor.report.json_report import write_flags_json
from auditor.report.markdown import write_summary
from auditor.report.stale import EXTRACT_FILES, OUTPUT_FILES, remove_stale_outputs

Writer = Callable[[Path, AuditResult, Config], None]


def _csv(out: Path, result: AuditResult, config: Config) -> None:
    write_csv(out / "facts.csv", facts_frame(result.frames.facts))
    write_csv(out / "relations.csv", relations_frame(result, config.rules))
    write_csv(out / "reports.csv", reports_frame(result.records, result.flags))
    write_csv(out / "flags.csv", flags_frame(result.flags))


def _markdown(out: Path, result: AuditResult, config: Config) -> None:
    write_summary(out / "summary.md", result.records, result.flags, result.formats)


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


# What a run writes without --format: every output but GX's own, asked for by name (--format gx).
DEFAULT_FORMATS = tuple(name for name in WRITERS if name != "gx")


def check_formats(formats: list[str] | None) -> list[str]:
    """The formats asked for, in writing order; an unknown name is a usage error."""
    if not formats:
        return list(DEFAULT_FORMATS)
    unknown = sorted(set(formats) - set(WRITERS))
    if unknown:
        raise AuditorError(f"unknown --format {', '.join(unknown)}; choose from {', '.join(WRITERS)}")
    return [name for name in WRITERS if name in formats]


def write_audit(out: Path, result: AuditResult, config: Config, formats: list[str] | None = None,
                jobs: int = 1, aside: AsideWriters | None = None, phase: Callable[[str], None] | None = None,
                data_docs: bool = False) -> list[str]:
    """Write the chosen formats into OUT, and remove the outputs of an earlier run that this one
    does not write (a reviewed workbook is set aside, never removed); return what was removed.
    The files are written into a staging folder and moved into OUT together at the end
    (auditor.report.out_folder): a run stopped before then leaves the earlier run's outputs whole.
    With ASIDE (or with jobs > 1 and a big enough run), the writers that need few figures run in
    another process meanwhile. PHASE hears the name of each file being written."""
    chosen = [name for name in WRITERS if name in set(formats or DEFAULT_FORMATS)]
    result.formats = tuple(chosen)
    written = [name for format_name in chosen for name in OUTPUT_FILES[format_name]]
    removed: list[str] = []
    with staging_folder(out) as stage, aside or AsideWriters(chosen, jobs) as beside:
        if "xlsx" in chosen:
            carry_into(stage, out, WORKBOOK_NAME)  # the workbook carries a reviewer's work over
        beside.prepare(len(result.records))
        elsewhere = beside.write(stage, result, config)
        if elsewhere and phase:
            phase("writing " + ", ".join(name for f in elsewhere for name in OUTPUT_FILES[f]) + " (beside)")
        for name in chosen:
            if name in elsewhere:
                continue
            if name == "json":
                beside.finish()  # flags.json stays the last file written
            if phase:
                phase("writing " + ", ".join(OUTPUT_FILES[name]))
            WRITERS[name](stage, result, config)
        beside.finish()
        publish(stage, out, last="flags.json",
                after_others=lambda: removed.extend(remove_stale_outputs(out, written, data_docs)))
    return removed


# With more than one core, the writers that need few of the figures run in another process while
# this one writes the CSV files, which quote every figure: at 10,000 reports each side takes 3 to
# 4 s. The process is spawned, not forked: a forked child shares this process's pages, and the CSV
# writer's reference counting would then copy every page it reads (the peak memory grew by half).
# It starts (0.6 s of a core) while the checks run. Measured against writing in one process: a
# run of 500 reports ends 0.3 s later, one of 2,000 0.25 s sooner; at 10,000 the writing takes
# 4.5 s instead of 7 s (python -m bench.phases).
_ASIDE = ("md", "xlsx", "html", "junit", "sarif")  # not gx: it validates the run's whole frames
_ASIDE_MIN_REPORTS = 2000


class AsideWriters:
    """The writers that need few figures, run in a spawned process beside this one's.

    prepare() starts the process once the run's size is known, so that its start-up (Python,
    pandas, XlsxWriter: about 1 s) overlaps the checks; write() hands it the result; finish()
    waits for it and raises its error, a user's or a bug, as it was raised there. As a context
    manager it never leaves the process behind."""

    def __init__(self, formats: list[str] | None, jobs: int) -> None:
        chosen = formats or list(WRITERS)
        self.names = [name for name in _ASIDE if name in chosen] if jobs > 1 else []
        self._executor = self._future = None

    def prepare(self, n_reports: int) -> None:
        if self._executor or not self.names or n_reports < _ASIDE_MIN_REPORTS:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=ignore_interrupts)
        self._executor.submit(_ready)

    def write(self, out: Path, result: AuditResult, config: Config) -> list[str]:
        """Start the writers there; the names of those started (none without prepare())."""
        if not self._executor:
            return []
        # Pickled here, at once: left to the executor, a thread of this process pickles it while
        # the CSV writer holds the interpreter, and the other process waited a second for it.
        job = pickle.dumps((self.names, out, _for_aside(result), config), protocol=pickle.HIGHEST_PROTOCOL)
        self._future = self._executor.submit(_write, job)
        return self.names

    def finish(self) -> None:
        executor, future, self._executor, self._future = self._executor, self._future, None, None
        if executor:
            with executor:
                if future:
                    future.result()

    def __enter__(self) -> AsideWriters:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            self.finish()
        elif self._executor:  # an error here already: stop the other process, report this one
            self._executor.shutdown(cancel_futures=True)
            self._executor = self._future = None


def _ready() -> None:
    """Nothing: the spawned process imports this module, and every writer, to run it."""


def _write(job: bytes) -> None:
    names, out, result, config = pickle.loads(job)
    for name in names:
        WRITERS[name](out, result, config)


def _for_aside(result: AuditResult) -> AuditResult:
    """The result as the aside writers read it, a few MB to send: every record, document and flag,
    and of the figures only those the workbook lists and the HTML report charts. Each of them
    chooses its figures again from these and finds the same rows."""
    facts = result.frames.facts
    shown = listed_facts(facts, result.flags).index
    charted = mediation_facts(facts)
    if charted is not None:
        shown = shown.union(charted.index)  # sorted: the run's order
    frames = Frames(result.frames.documents, facts.loc[shown.sort_values()], result.frames.relations.iloc[:0])
    return AuditResult(result.records, frames, result.flags, result.validation, {}, result.lang, result.formats)


def write_extract(out: Path, records: list[ReportRecord], frames: Frames) -> list[str]:
    """facts.csv and reports.csv; the other outputs of an earlier run are removed (returned)."""
    removed: list[str] = []
    with staging_folder(out) as stage:
        write_csv(stage / "facts.csv", facts_frame(frames.facts))
        write_csv(stage / "reports.csv", reports_frame(records, []))
        publish(stage, out, after_others=lambda: removed.extend(
            remove_stale_outputs(out, list(EXTRACT_FILES), data_docs=False)))
    return removed
