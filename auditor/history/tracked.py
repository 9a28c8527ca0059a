"""An audit's history: where last year's report comes from when the run lacks it.

`History` is what an audit holds: it looks up, in the store (store.py), the reports that may be
last year's of the run's reports, and records the run's reports when the audit is done. Whatever
goes wrong with the store (a file locked by another process, or no DuckDB store at all) becomes a
note, one line for the user, and the audit runs on without it: a history problem never stops an
audit nor changes its exit status.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from auditor.ingest.discover import escape_surrogates

from auditor.history.store import (STORE_NAME, HistoryStore, HistoryUnavailable, Recorded, close_run_connection,
                                   holds_run_connection)



_REPORT_FIELDS = ("issuer_key", "issuer", "issuer_parents", "report_kind", "year", "title_form", "report", "path",
                  "sha256", "title", "region", "signer", "published_date", "signed_date", "docno", "n_facts")


def default_store_path(out: Path) -> Path:
    """The store of a run whose outputs go to OUT: beside them, in OUT."""
    return Path(out) / STORE_NAME


@dataclass
class History:
    path: Path
    wait: float | None = None
    explicit: bool = False    # named with --history: a missing store is worth a note
    notes: list[str] = field(default_factory=list)   # one line each, for the user
    recorded: Recorded | None = None
    usable: bool = True
    _existed: bool = False
    # A run's batches are recorded through one connection, closed once every report of the run
    # (prior_reports counts them; each batch's are its own) is recorded: closing writes the
    # store's file anew.
    _unrecorded: int | None = field(default=None, repr=False, compare=False)
    _prior_ids: dict = field(default_factory=dict, repr=False, compare=False)  # prior_reports': name -> ids
    _con: Any = field(default=None, repr=False, compare=False)
    _con_file: tuple | None = field(default=None, repr=False, compare=False)
    _closer: Any = field(default=None, repr=False, compare=False)   # weakref.finalize: closed at exit too

    @property
    def store(self) -> HistoryStore:
        return HistoryStore(self.path, self.wait)

    def prior_reports(self, documents: pd.DataFrame, with_facts: bool = True):
        """PriorReports of the store for the run's documents (the year before each), or None.
        Without WITH_FACTS their figures are left in the store, for prior_facts to give those of
        the reports a batch links to."""
        from auditor.columns import PRIOR_DOCUMENT_COLUMNS
        from auditor.frames.across_years import PriorReports, outside_run

        self._close(quietly=True)  # a read-only look-up cannot share the file with a connection left open
        self._unrecorded = documents["report"].nunique()
        self._existed = self.path.exists()
        if not self._existed:
            if self.explicit:
                self.notes.append(f"{self.path}: no history store yet; this run starts it")
            return None
        wanted = documents[(documents["status"] == "ok") & documents["issuer_key"].notna() & documents["year"].notna()
                           & documents["report_kind"].notna()]
        wanted = pd.DataFrame({"issuer_key": wanted["issuer_key"].astype(str), "kind": wanted["report_kind"].astype(str),
                               "year": wanted["year"].astype(int) - 1})
        try:
            # the run's own reports, recorded by an earlier run, are never last year's from the
            # store: their figures are left there (a rerun's would be most of the store's)
            reports, facts = self.store.reports_of(
                wanted, keep=lambda stored: outside_run(documents, stored.rename(columns={"kind": "report_kind"})),
                with_facts=with_facts)
        except HistoryUnavailable as err:
            self._unusable(f"{err}: audited without last year's reports from it")
            return None
        stored = reports.rename(columns={"kind": "report_kind"})
        self._prior_ids = {}
        for report, report_id in zip(reports["report"], reports["report_id"]):
            self._prior_ids.setdefault(report, []).append(int(report_id))
        return PriorReports(stored[list(PRIOR_DOCUMENT_COLUMNS)].reset_index(drop=True),
                            self._named(facts, self._prior_ids))

    def prior_facts(self, reports: set[str]) -> pd.DataFrame:
        """The named figures of the store's REPORTS, among those prior_reports gave, as
        PriorReports.facts holds them."""
        ids = [report_id for report in reports for report_id in self._prior_ids.get(report, ())]
        try:
            facts = self.store.facts_of(ids)
        except HistoryUnavailable as err:
            self._unusable(f"{err}: audited without last year's figures from it")
            facts = self.store.facts_of([])
        return self._named(facts, reports)

    def _named(self, facts: pd.DataFrame, reports: Iterable[str]) -> pd.DataFrame:
        """FACTS of the store's REPORTS (names prior_reports gave) with each one's name for its id."""
        names = {report_id: report for report in reports for report_id in self._prior_ids.get(report, ())}
        return facts.assign(report=facts["report_id"].map(names)).drop(columns="report_id")

    def record(self, documents: pd.DataFrame, facts: pd.DataFrame) -> None:
        """Record the run's reports that were read, with their named figures; a run checked in
        batches records each batch's in turn (store.record's so_far)."""
        first = self.recorded is None
        if not self.usable:
            if first:
                self.notes.append(f"{self.path}: this run's reports were not recorded")
                self.recorded = Recorded()
            return
        if first and self._existed and not self.path.exists():
            self.notes.append(f"{self.path} was removed during the run; a new store is started with this run's reports")
        ok = documents[(documents["status"] == "ok") & documents["sha256"].notna()]
        reports = pd.DataFrame({name: ok[name] for name in _REPORT_FIELDS}).rename(columns={"report_kind": "kind"})
        reports["name"] = [str(r).rsplit("/", 1)[-1] for r in reports["report"]]
        # the store holds text: a name that is not UTF-8 is kept with its bytes escaped, as outputs show it
        reports["path"] = [escape_surrogates(path) for path in _resolved(reports["path"])]
        reports["year"] = reports["year"].astype("Int64")
        for name in ("published_date", "signed_date"):
            reports[name] = pd.to_datetime(reports[name]).dt.date
        named = facts[facts["report"].isin(set(ok["report"])) & (facts["metric"] != "") & facts["value_num"].notna()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.recorded = self.store.record(reports, named, self.recorded, con=self._connection())
        except (HistoryUnavailable, OSError) as err:
            self._close(quietly=True)
            self._unusable(f"{err}: {'the rest of ' if self.recorded else ''}this run's reports were not recorded")
            self.recorded = self.recorded or Recorded()
            return
        except BaseException:
            self._close(quietly=True)
            raise
        if self._unrecorded is not None:
            self._unrecorded -= documents["report"].nunique()
        if self._unrecorded is None or self._unrecorded <= 0:
            self._close()

    def _connection(self):
        """The connection of the run's recording: the one its earlier batches used, unless the
        store's file was removed or replaced since."""
        try:
            now = _file_id(self.path)
        except OSError:
            now = None
        if now is not None and now == self._con_file and holds_run_connection(self.path, self._con):
            return self._con
        self._close(quietly=True)
        con = self.store.connect_for_run()
        self._con, self._con_file = con, _file_id(self.path)
        self._closer = weakref.finalize(self, close_run_connection, self.path, con)
        return con

    def _close(self, quietly: bool = False) -> None:
        closer, self._con, self._con_file, self._closer = self._closer, None, None, None
        if closer is None:
            return
        try:
            closer()
        except Exception:  # noqa: BLE001 - a store that failed already: its error is the one told
            if not quietly:
                raise

    def _unusable(self, note: str) -> None:
        self.usable = False
        self.notes.append(note)


def _file_id(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _resolved(paths) -> list[str]:
    """str(Path(p).resolve()) of each path. A folder's reports share its resolved path, found once:
    resolving each file's every folder again cost a system call per folder per report. A file
    that is itself a symbolic link resolves whole, to its target."""
    folders: dict[str, str] = {}
    resolved = []
    for text in paths:
        path = Path(text)
        folder, name = str(path.parent), path.name
        if not name or name == ".." or os.path.islink(path):
            resolved.append(str(path.resolve()))
            continue
        if folder not in folders:
            folders[folder] = str(path.parent.resolve())
        resolved.append(os.path.join(folders[folder], name))
    return resolved
