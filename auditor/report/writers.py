"""Which files each command writes into --out.

Every output format is one writer: a function (out_dir, result, config) -> None that writes its
files atomically. `--format` picks formats by name; the default is all of them but gx, whose
gx_validation.json needs Great Expectations (seconds to import, and the run's checks again).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.ingest.discover import display_name
from auditor.frames.across_years import ACROSS_OPS
from auditor.pipeline import AuditResult, Batch
from auditor.process import ReportRecord
from auditor.report.gx_results import write_gx_results
from auditor.report.html_report import MediationRates, write_html
from auditor.report.junit import write_junit
from auditor.report.sarif import write_sarif
from auditor.report.out_folder import carry_into, publish, staging_folder
from auditor.report.workbook import WORKBOOK_NAME, listed_facts, write_workbook
from auditor.report.csv_files import (CsvFile, facts_frame, flags_frames, relations_frame, reports_frames, write_csv,
                                      write_frames)
from auditor.report.json_report import write_flags_json
from auditor.report.markdown import write_summary
from auditor.report.stale import EXTRACT_FILES, OUTPUT_FILES, remove_stale_outputs
from auditor.spill import Spill

Writer = Callable[[Path, AuditResult, Config], None]


def _csv(out: Path, result: AuditResult, config: Config) -> None:
    write_csv(out / "facts.csv", facts_frame(result.frames.facts))
    write_csv(out / "relations.csv", relations_frame(result, config.rules))
    _write_listings(out, result)


def _write_listings(out: Path, result: AuditResult) -> None:
    """reports.csv and flags.csv, a piece at a time: a run's reports come back a batch at a time
    (auditor.spill.Packed)."""
    write_frames(out / "reports.csv", reports_frames(result.records, result.flags))
    write_frames(out / "flags.csv", flags_frames(result.flags))


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
                phase: Callable[[str], None] | None = None, data_docs: bool = False) -> list[str]:
    """Write the chosen formats of a run held whole (auditor.pipeline.audit) into OUT, and remove
    the outputs of an earlier run that this one does not write; return what was removed."""
    with RunOutputs(out, config, formats, data_docs) as outputs:
        outputs.add(result)
        outputs.finish(result, phase)
    return outputs.removed


class RunOutputs:
    """The outputs of a run, written as its batches are checked (auditor.pipeline.AuditRun).

    add() appends each batch to facts.csv and relations.csv (the relations across years, which
    follow the reports' own in relations.csv, wait on disk until the last batch) and gathers what
    report.html's mediation chart draws of it (html_report.MediationRates); finish() writes
    the other outputs from the run's result. The bytes do not depend on the size of a batch. The
    files are written into a staging folder and moved into OUT together once finished
    (auditor.report.out_folder): a run stopped before then leaves the earlier run's outputs
    whole. The outputs of an earlier run that this one does not write are removed then (a
    reviewed workbook is set aside, never removed): `removed` lists them."""

    def __init__(self, out: Path, config: Config, formats: list[str] | None = None, data_docs: bool = False) -> None:
        self.out, self.config, self.data_docs = Path(out), config, data_docs
        self.chosen = [name for name in WRITERS if name in set(formats or DEFAULT_FORMATS)]
        self.removed: list[str] = []
        self._stack = ExitStack()

    def __enter__(self) -> RunOutputs:
        self.stage: Path | None = None
        self._across = self._stack.enter_context(Spill())
        self._rates = MediationRates()
        return self

    def _staged(self) -> Path:
        """The staging folder, made when the first output is written (once the reports are read)."""
        if self.stage is None:
            self.stage = self._stack.enter_context(staging_folder(self.out))
            if "xlsx" in self.chosen:
                carry_into(self.stage, self.out, WORKBOOK_NAME)  # the workbook carries a reviewer's work over
            self._facts, self._relations = CsvFile(self.stage / "facts.csv"), CsvFile(self.stage / "relations.csv")
            self._stack.callback(self._facts.close)  # a run that fails leaves no file open
            self._stack.callback(self._relations.close)
        return self.stage

    def __exit__(self, *exc) -> bool:
        return self._stack.__exit__(*exc)  # the staging folder names OUT in an error, not itself

    def add(self, batch: Batch | AuditResult) -> None:
        self._staged()
        if "html" in self.chosen:
            self._rates.add(batch.frames.facts)
        if "csv" not in self.chosen:
            return
        self._facts.append(facts_frame(batch.frames.facts))
        relations = relations_frame(batch, self.config.rules)
        own = ~relations["op"].isin(ACROSS_OPS)
        self._relations.append(relations[own])
        for op, rows in relations[~own].groupby("op", sort=False):
            self._across.append(op, rows)

    def finish(self, result: AuditResult, phase: Callable[[str], None] | None = None) -> None:
        self._staged()
        result.formats = tuple(self.chosen)
        for name in self.chosen:
            if phase:
                phase("writing " + ", ".join(OUTPUT_FILES[name]))
            if name == "html":
                write_html(self.stage, result, self.config, self._rates)  # the chart's rates, gathered in add()
                continue
            if name != "csv":
                WRITERS[name](self.stage, result, self.config)
                continue
            self._facts.close()
            for op in ACROSS_OPS:
                for rows in self._across.read(op):
                    self._relations.append(rows)
            self._relations.close()
            _write_listings(self.stage, result)
        if phase:
            phase("moving the outputs into " + display_name(self.out))
        written = [name for format_name in self.chosen for name in OUTPUT_FILES[format_name]]
        publish(self.stage, self.out, last="flags.json",
                after_others=lambda: self.removed.extend(remove_stale_outputs(self.out, written, self.data_docs)))


def shown_facts(facts: pd.DataFrame, flagged_reports: Collection[str]) -> pd.DataFrame:
    """Of FACTS (a run's, or some of them, in the run's order), those the outputs written after
    the CSV files show, given the reports flagged: the figures the workbook lists. It chooses its
    figures again from these and finds the same rows. (The HTML report's chart has its rates
    from RunOutputs.add, a batch at a time.)"""
    return facts.loc[listed_facts(facts, flagged_reports).index.sort_values()]


def write_extract(out: Path, batches: Iterable[tuple[list[ReportRecord], pd.DataFrame]]) -> tuple[list[ReportRecord], int, list[str]]:
    """facts.csv, a batch at a time (auditor.pipeline.extract_batches), and reports.csv; the other
    outputs of an earlier run are removed. The run's records, its count of figures, and what was
    removed."""
    records: list[ReportRecord] = []
    figures = 0
    removed: list[str] = []
    with staging_folder(out) as stage:
        facts = CsvFile(stage / "facts.csv")
        for batch, frame in batches:
            facts.append(facts_frame(frame))
            figures += len(frame)
            records.extend(batch)
        facts.close()
        write_frames(stage / "reports.csv", reports_frames(records, []))
        publish(stage, out, after_others=lambda: removed.extend(
            remove_stale_outputs(out, list(EXTRACT_FILES), data_docs=False)))
    return records, figures, removed
