"""The history store: every audited report and its named figures, in one DuckDB file.

One file, no server (`audit_history.duckdb` in the output folder by default). Two tables:

    reports  one row per report: report_id, the issuing body (issuer_key, issuer, issuer_parents),
             kind, year, title_form, the report's name and path as audited, sha256, metadata
    facts    one row per named figure (a metric of vocabulary.yaml or a template cell): report_id,
             the columns of facts.csv that name, value and quote it (metric, value, lo, hi, …,
             sentence, line)

DuckDB was chosen by measurement (README, bench/history.py): at 100,000 reports it stores a
report in about 16 KB where SQLite needs about 125 KB (its columns are compressed), writes a run's
figures several times faster, and exports Parquet and pandas frames itself; a look-up of last
year's report stays far below 50 ms (it reads only the row groups of the reports asked for, and
the figures are written in report order).

A DuckDB file takes one writer process at a time: every connection here is opened for one step
(a look-up, a recording) and closed at once, and a process that finds the file locked waits for
it (up to AUDITOR_HISTORY_WAIT seconds, 20 by default). A run recorded in batches is one step:
its batches share a connection (tracked.History), since closing one writes the store's file
anew each time. Each recording is one transaction, so a run that stops half way leaves the store
as it was, or with its earlier batches.
"""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from auditor.columns import HISTORY_FACTS, HISTORY_REPORTS
from auditor.history import STORE_NAME  # noqa: E402,F401 - the store's default name, kept light for the CLI
SCHEMA_VERSION = "1"
DEFAULT_WAIT = 20.0
RUN_CHECKPOINT_BYTES = 128 << 20  # about 12,000 reports' figures
# DuckDB's own memory: what it holds beyond this (the figures recorded since the last checkpoint,
# a look-up's join) waits in its temporary folder beside the store. Its default, 80% of the
# machine, let each checkpoint add some 140 MB to a run's peak.
MEMORY_LIMIT = "64MB"

REPORT_COLUMNS, FACT_COLUMNS = HISTORY_REPORTS, HISTORY_FACTS  # the tables' columns, in _DDL's order

_DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS reports (
        report_id BIGINT PRIMARY KEY, issuer_key VARCHAR, issuer VARCHAR, issuer_parents VARCHAR, kind VARCHAR,
        year INTEGER, title_form VARCHAR, report VARCHAR, name VARCHAR, path VARCHAR, sha256 VARCHAR,
        title VARCHAR, region VARCHAR, signer VARCHAR, published_date DATE, signed_date DATE, docno VARCHAR,
        n_facts INTEGER, recorded_at TIMESTAMP DEFAULT current_timestamp)""",
    """CREATE TABLE IF NOT EXISTS facts (
        report_id BIGINT, fact_id INTEGER, kind VARCHAR, family VARCHAR, metric VARCHAR, value VARCHAR,
        value_num DOUBLE, unit VARCHAR, qualifier VARCHAR, lo DOUBLE, hi DOUBLE, text VARCHAR, label VARCHAR,
        line INTEGER, start INTEGER, "end" INTEGER, sentence VARCHAR, sentence_start INTEGER,
        sentence_end INTEGER)""",
)


class HistoryUnavailable(Exception):
    """The store cannot be used for this step; str(err) says why, in one line fit for a user."""


@dataclass
class Recorded:
    added: int = 0
    replaced: int = 0       # a corrected file: its earlier version's figures replaced, its id kept
    unchanged: int = 0      # the same file (sha256) recorded before: nothing changes
    # the files the run recorded, or found recorded (their sha256 as 32 bytes, not a hex string),
    # and the ids of the reports it wrote (8 bytes each): 5.8 MB at 50,000 reports, where a set of
    # the hex strings and one of the ids took 11.4 (tracemalloc)
    shas: set[bytes] = field(default_factory=set)
    ids: array = field(default_factory=lambda: array("q"))


class HistoryStore:
    def __init__(self, path: str | Path, wait: float | None = None) -> None:
        self.path = Path(path)
        self.wait = _wait_seconds() if wait is None else wait

    # --- connections -----------------------------------------------------------------------

    def connect(self, read_only: bool = False, create: bool = True):
        """A connection to the store, waiting while another process holds it. Raises
        HistoryUnavailable when it stays locked, or the file is no DuckDB store."""
        import duckdb

        close_run_connection(self.path)  # a run's recording left open: this step needs the file
        if not self.path.exists() and (read_only or not create):
            raise HistoryUnavailable(f"{self.path}: no history store there")
        if self.path.is_dir():
            raise HistoryUnavailable(f"{self.path} is a folder, not a history store file")
        deadline = time.monotonic() + self.wait
        pause = 0.05
        while True:
            try:
                # one thread: a look-up reads a row group or two, and starting a pool costs more
                con = duckdb.connect(str(self.path), read_only=read_only,
                                     config={"threads": 1, "memory_limit": MEMORY_LIMIT})
                break
            except duckdb.Error as err:
                if not _is_lock(err):
                    raise HistoryUnavailable(f"{self.path} cannot be read as a history store ({_one_line(err)}); "
                                             "move it aside or delete it to start a new one") from err
                if time.monotonic() >= deadline:
                    raise HistoryUnavailable(f"{self.path} is locked by another process (waited {self.wait:g} s)") \
                        from err
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
        try:
            if not read_only:
                for statement in _DDL:
                    _run(con, statement)
                _run(con, "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            version = next(iter(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()), None)
        except duckdb.Error as err:
            con.close()
            raise HistoryUnavailable(f"{self.path} is not an auditor history store ({_one_line(err)}); "
                                     "move it aside or delete it to start a new one") from err
        if version is None or version[0] != SCHEMA_VERSION:
            con.close()
            raise HistoryUnavailable(f"{self.path} is a history store of another version "
                                     f"({version[0] if version else 'none'}, this auditor reads {SCHEMA_VERSION})")
        return con

    def connect_for_run(self):
        """connect(), for a run's recording in batches: the store's file is written (checkpointed)
        once the write-ahead log holds RUN_CHECKPOINT_BYTES, not at every batch's commit. A row
        group written whole is compressed once, where each checkpoint compressed the part of it
        written so far again."""
        con = self.connect()
        try:
            _run(con, f"SET checkpoint_threshold = '{RUN_CHECKPOINT_BYTES}B'")
        except Exception:
            con.close()
            raise
        _RUN_CONNECTIONS[_path_key(self.path)] = con
        return con

    # --- look-up ---------------------------------------------------------------------------

    def reports_of(self, wanted: pd.DataFrame, keep: Callable[[pd.DataFrame], pd.Series] | None = None,
                   with_facts: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(reports, facts) of the stored reports of the (issuer_key, kind, year) rows of wanted;
        with KEEP, only the reports it chooses (a mask of the reports' rows), and their facts
        (none WITH_FACTS false: facts_of gives them later)."""
        if wanted.empty or not self.path.exists():
            return _empty_reports(), _empty_facts()
        con = self.connect(read_only=True)
        try:
            con.register("wanted", wanted[["issuer_key", "kind", "year"]].drop_duplicates())
            reports = _frame(con.execute(
                f"SELECT {_columns(REPORT_COLUMNS, 'r')} FROM reports r JOIN wanted w "
                "ON r.issuer_key = w.issuer_key AND r.kind = w.kind AND r.year = w.year ORDER BY r.report_id"),
                REPORT_COLUMNS)
            if keep is not None and len(reports):
                reports = reports[keep(reports).to_numpy()].reset_index(drop=True)
            facts = self._facts(con, reports["report_id"].tolist() if with_facts else [])
        finally:
            con.close()
        return reports, facts

    def facts_of(self, ids: list[int]) -> pd.DataFrame:
        """The named figures of the stored reports IDS (FACT_COLUMNS), by report and figure."""
        if not ids:
            return _empty_facts()
        con = self.connect(read_only=True)
        try:
            return self._facts(con, sorted(ids))
        finally:
            con.close()

    @staticmethod
    def _facts(con, ids: list[int]) -> pd.DataFrame:
        if not ids:
            return _empty_facts()
        # a list of literals: DuckDB then skips every row group whose report ids lie elsewhere
        listed = ", ".join(str(int(i)) for i in ids)
        return _frame(con.execute(f"SELECT {_columns(FACT_COLUMNS)} FROM facts WHERE report_id IN ({listed}) "
                                  "ORDER BY report_id, fact_id"), FACT_COLUMNS)

    # --- recording ---------------------------------------------------------------------------

    def record(self, reports: pd.DataFrame, facts: pd.DataFrame, so_far: Recorded | None = None,
               con=None) -> Recorded:
        """Record a run's reports (REPORT_COLUMNS but report_id) and their facts (FACT_COLUMNS with
        report, the run's name of the report, for report_id): a file recorded before (same sha256)
        changes nothing; a corrected file (same name, body, kind and year, or the same path)
        replaces its earlier version under the earlier id; any other is added. A run recorded in
        batches gives SO_FAR, what its earlier batches recorded: the counts go on from it, and its
        files are neither recorded again nor taken for earlier versions. CON: a connection of the
        caller's (connect()), left open; without it, one is opened and closed."""
        counts = so_far if so_far is not None else Recorded()
        reports = reports.drop_duplicates("sha256")
        reports = reports[[bytes.fromhex(sha) not in counts.shas for sha in reports["sha256"]]]
        own = con is None
        if own:
            con = self.connect()
        if reports.empty:  # a batch of unreadable files: the store is there, and nothing to add
            if own:
                con.close()
            return counts
        try:
            con.begin()
            con.register("run", reports[["sha256", "name", "path", "issuer_key", "kind", "year"]])
            known = _frame(con.execute(
                "SELECT r.report_id, r.sha256, r.name, r.path, r.issuer_key, r.kind, r.year FROM reports r "
                "WHERE r.sha256 IN (SELECT sha256 FROM run) OR r.path IN (SELECT path FROM run) "
                "OR r.name IN (SELECT name FROM run)"), ("report_id", "sha256", "name", "path", "issuer_key", "kind", "year"))
            known = known[~known["report_id"].isin(np.frombuffer(counts.ids, dtype=np.int64))]  # the run's own, recorded by an earlier batch
            next_id = int(con.execute("SELECT coalesce(max(report_id), 0) FROM reports").fetchall()[0][0]) + 1
            known_shas = set(known["sha256"])
            ids, replaced = [], []
            for row in reports.itertuples(index=False):
                if row.sha256 in known_shas:
                    ids.append(None)
                    counts.unchanged += 1
                    continue
                earlier = _earlier_version(known, row)
                if earlier is None:
                    ids.append(next_id)
                    next_id += 1
                    counts.added += 1
                else:
                    ids.append(earlier)
                    replaced.append(earlier)
                    known = known[known["report_id"] != earlier]  # one corrected file per earlier version
                    counts.replaced += 1
            fresh = reports.assign(report_id=ids)
            fresh = fresh[fresh["report_id"].notna()].astype({"report_id": "int64"})
            if replaced:
                listed = ", ".join(map(str, replaced))
                _run(con, f"DELETE FROM facts WHERE report_id IN ({listed})")
                _run(con, f"DELETE FROM reports WHERE report_id IN ({listed})")
            if len(fresh):
                rows = fresh[list(REPORT_COLUMNS)]
                con.register("fresh", rows)
                _run(con, f"INSERT INTO reports ({_columns(REPORT_COLUMNS)}) SELECT * FROM fresh")
                by_report = dict(zip(fresh["report"], fresh["report_id"]))
                new_facts = facts[facts["report"].isin(by_report)]
                new_facts = new_facts.assign(report_id=new_facts["report"].map(by_report)).sort_values(
                    ["report_id", "fact_id"])
                con.register("new_facts", new_facts[list(FACT_COLUMNS)])
                _run(con, f"INSERT INTO facts ({_columns(FACT_COLUMNS)}) SELECT * FROM new_facts")
            con.commit()
            counts.shas.update(map(bytes.fromhex, reports["sha256"]))
            counts.ids.extend(fresh["report_id"].tolist())
        except Exception:
            try:
                con.rollback()
            except Exception:  # noqa: BLE001 - the connection may be gone; the transaction is then too
                pass
            raise
        finally:
            if own:
                con.close()
        return counts

    # --- reading for `auditor history` -----------------------------------------------------

    def query(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        con = self.connect(read_only=True)
        try:
            return con.execute(sql, parameters or []).df()
        finally:
            con.close()

    def export(self, folder: Path, fmt: str) -> list[Path]:
        """reports and facts (with each figure's body, kind and year) as CSV or Parquet files."""
        folder.mkdir(parents=True, exist_ok=True)
        queries = {
            "reports": f"SELECT {_columns(REPORT_COLUMNS)}, recorded_at FROM reports ORDER BY issuer_key, kind, year, report_id",
            "facts": f"SELECT r.issuer_key, r.issuer, r.kind AS report_kind, r.year, r.report, "
                     f"{_columns(FACT_COLUMNS, 'f')} FROM facts f JOIN reports r USING (report_id) "
                     "ORDER BY r.issuer_key, r.kind, r.year, f.report_id, f.fact_id",
        }
        options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
        written = []
        con = self.connect(read_only=True)
        try:
            for table, sql in queries.items():
                target = folder / f"history_{table}.{fmt}"
                _run(con, f"COPY ({sql}) TO '{_sql_text(str(target))}' {options}")
                written.append(target)
        finally:
            con.close()
        return written


# A run's recording connection (connect_for_run), open between its batches, by the store's path:
# any other connection of this process to the file closes it first (DuckDB refuses a second
# connection of another kind to a file open in the same process).
_RUN_CONNECTIONS: dict[str, object] = {}


def close_run_connection(path: str | Path, con=None) -> None:
    """Close the run's recording connection to the store at PATH, if one is open (only CON, when given)."""
    key = _path_key(path)
    held = _RUN_CONNECTIONS.get(key)
    if held is None or (con is not None and held is not con):
        return
    del _RUN_CONNECTIONS[key]
    held.close()


def holds_run_connection(path: str | Path, con) -> bool:
    """Whether CON is still the open recording connection to the store at PATH."""
    return con is not None and _RUN_CONNECTIONS.get(_path_key(path)) is con


def _path_key(path: str | Path) -> str:
    return os.path.realpath(path)


def _run(con, sql: str, parameters: list | None = None) -> None:
    """A statement whose result is not wanted, consumed: DuckDB takes no other work on a
    connection that has a result pending."""
    con.execute(sql, parameters or []).fetchall()


def _earlier_version(known: pd.DataFrame, row) -> int | None:
    """The stored report a corrected file replaces: the same name, body, kind and year, or else
    the same path."""
    if known.empty:
        return None
    if isinstance(row.issuer_key, str):
        same = known[(known["name"] == row.name) & (known["issuer_key"] == row.issuer_key)
                     & (known["kind"] == row.kind) & (known["year"] == row.year)]
        if len(same):
            return int(same["report_id"].iloc[0])
    same = known[known["path"] == row.path]
    return int(same["report_id"].iloc[0]) if len(same) else None


def _is_lock(err: Exception) -> bool:
    text = str(err).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "resource temporarily" in text)


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:200]


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("AUDITOR_HISTORY_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _columns(names: tuple[str, ...], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{name}"' for name in names)


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _frame(cursor, columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows as a frame, built here: DuckDB's own conversion costs more than the query for
    the few hundred rows of a look-up."""
    return pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))


def _empty_reports() -> pd.DataFrame:
    return pd.DataFrame(columns=list(REPORT_COLUMNS))


def _empty_facts() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FACT_COLUMNS))
