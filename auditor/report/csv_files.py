"""flags.csv, facts.csv, relations.csv, reports.csv: UTF-8 with a byte-order mark, for Excel."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from auditor import columns
from auditor.flag import Flag
from auditor.flags import is_missing, quote_text, quoted
from auditor.extract.relations.kinds import KINDS  # the rules that check each kind of relation
from auditor.frames import CHECKED_OPS  # the ops expectations/suites/relations.json selects
from auditor.pipeline import AuditResult, batched
from auditor.errors import OutputError
from auditor.report.files import NUL, neutralise_cell, neutralise_frame, neutralise_texts, write_atomic
from auditor.report.files import _FORMULA_STARTS  # what neutralise_texts looks for
from auditor.report.json_report import report_entries

# lists: pandas reads a tuple as one key
FACT_COLUMNS, RELATION_COLUMNS = list(columns.FACTS_CSV), list(columns.RELATIONS_CSV)
FLAG_COLUMNS, REPORT_COLUMNS = list(columns.FLAGS_CSV), list(columns.REPORTS_CSV)
# The columns of flags.csv a flag holds as they are (the others: its first quote's line, its quotes
# as text, its review state).
_FLAG_ATTRIBUTES = ("id", "severity", "category", "rule", "name", "report", "region", "year", "message",
                    "expected", "observed")


_CHUNK_ROWS = 10_000  # a piece of facts.csv in memory at a time (its transient strings: ~25 MB)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    write_atomic(path, _csv_pieces(frame))


def write_frames(path: Path, frames: Iterable[pd.DataFrame]) -> None:
    """What write_csv writes of the frames' concatenation, a frame at a time (the first may be
    empty, and gives the header)."""
    write_atomic(path, chain.from_iterable(_csv_pieces(frame, header=not i) for i, frame in enumerate(frames)))


class CsvFile:
    """A CSV file written a frame at a time (into a staging folder: auditor.report.out_folder),
    the same bytes as write_csv gives the frames' concatenation: the byte-order mark and the
    header come with the first frame, which may be empty."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def append(self, frame: pd.DataFrame) -> None:
        first = self._file is None
        try:
            if first:
                self._file = open(self.path, "wb")
            self._file.writelines(_csv_pieces(frame, header=first))
        except OSError as err:
            raise OutputError.of(self.path, err) from None

    def close(self) -> None:
        if self._file is not None and not self._file.closed:
            try:
                self._file.close()
            except OSError as err:
                raise OutputError.of(self.path, err) from None


def _csv_pieces(frame: pd.DataFrame, header: bool = True):
    """The CSV in pieces of _CHUNK_ROWS rows, neutralised one piece at a time; HEADER: with the
    byte-order mark and the header line (those of a file's first piece)."""
    if header:
        yield "\ufeff".encode()  # the byte-order mark Excel needs to read UTF-8
    elif frame.empty:
        return
    for start in range(0, max(len(frame), 1), _CHUNK_ROWS):
        chunk = frame.iloc[start:start + _CHUNK_ROWS]
        columns = [_fields(chunk[name]) for name in chunk.columns]
        # pandas for a dtype it formats its own way, and for a single column (whose empty field
        # the csv module writes as "")
        if len(columns) < 2 or any(fields is None for fields in columns):
            text = neutralise_frame(chunk).to_csv(index=False, header=header and start == 0, lineterminator="\r\n")
        else:
            text = _lines(columns)
            if header and start == 0:
                text = ",".join(_quoted(list(map(str, chunk.columns)))) + "\r\n" + text
        yield text.encode("utf-8")


def _lines(columns: list[list[str]]) -> str:
    """The rows of COLUMNS' fields as CSV lines, each ended by CRLF: the fields and separators laid
    out in one list by slices, then joined once (a join per row took a third longer)."""
    rows, width = len(columns[0]), 2 * len(columns)
    pieces = [","] * (width * rows)
    for number, fields in enumerate(columns):
        pieces[2 * number::width] = fields
    pieces[width - 1::width] = ["\r\n"] * rows
    return "".join(pieces)


def _fields(column: pd.Series) -> list[str] | None:
    """The column's cells as CSV fields, byte for byte as pandas.to_csv writes them (missing as
    empty, text neutralised, quoted only where it must be), or None for a dtype pandas formats
    its own way (dates). Joined into lines by str.join, facts.csv (~130 MB at
    10,000 reports) takes about half the time of the csv module."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
    if kind in ("i", "u", "b"):
        return _each_value_once(column.to_numpy(), str)
    if kind == "f":
        array = column.to_numpy()
        if not np.signbit(array[array == 0]).any():  # np.unique takes -0.0 for 0.0
            return _each_value_once(array, _float_field)
    values = column.tolist()
    if kind == "f":
        return [_float_field(value) for value in values]
    if isinstance(column.dtype, pd.Int64Dtype):
        return ["" if value is pd.NA else str(value) for value in values]
    if isinstance(column.dtype, pd.StringDtype):
        try:  # every cell a string, the common case; a missing one (not text) stops the join
            joined = "".join(values)
        except TypeError:
            joined = None
        if joined is not None:
            if not _may_neutralise(values, joined):
                return _quoted(values, joined)
            texts = neutralise_texts(values)
            return _quoted(texts, joined if texts is values else None)
    if kind == "O" or pd.api.types.is_string_dtype(column.dtype):
        return [_field(value) for value in values]
    return None


def _float_field(value: float) -> str:
    return repr(value) if value == value else ""  # NaN: empty


def _each_value_once(array: np.ndarray, field: Callable[[object], str]) -> list[str]:
    """FIELD of each value of a numeric ARRAY, each distinct value formatted once (a column
    repeats its line numbers, ids and amounts) and picked by position in C."""
    if len(array) < 2:  # itemgetter of one position gives the item, not a tuple
        return [field(value) for value in array.tolist()]
    distinct, positions = np.unique(array, return_inverse=True)  # NaNs are one value
    fields = [field(value) for value in distinct.tolist()]
    return list(operator.itemgetter(*positions.tolist())(fields))


def _may_neutralise(texts: list[str], joined: str) -> bool:
    """Whether neutralise_texts may change any of TEXTS (JOINED: them joined): not when they hold
    no NUL and none starts like a formula, which most columns show by holding no such character
    at all."""
    if NUL in joined:
        return True
    starts = [mark for mark in _FORMULA_STARTS if mark in joined]
    return bool(starts) and not set(starts).isdisjoint(map(_FIRST_CHARACTER, texts))


_FIRST_CHARACTER = operator.itemgetter(slice(0, 1))


def _field(value) -> str:
    if isinstance(value, str):
        return _quoted([neutralise_cell(value)])[0]
    if is_missing(value):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


_MUST_QUOTE = (",", '"', "\r", "\n")  # what makes the csv module's minimal quoting quote a field
_MUST_QUOTE_RE = re.compile("[" + "".join(_MUST_QUOTE) + "]")


def _quoted(texts: list[str], joined: str | None = None) -> list[str]:
    """Texts as CSV fields: those holding a comma, a quote or a line break in quotes. Most
    columns hold none, which one look at the joined texts (JOINED, when known) shows."""
    if joined is None:
        joined = "".join(texts)
    present = [mark for mark in _MUST_QUOTE if mark in joined]
    if not present:
        return texts
    if len(present) == 1:  # mostly a comma: `in` is several times faster than a pattern's search
        mark = present[0]
        return ['"' + text.replace('"', '""') + '"' if mark in text else text for text in texts]
    must_quote = _MUST_QUOTE_RE.search
    return ['"' + text.replace('"', '""') + '"' if must_quote(text) else text for text in texts]


def facts_frame(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[FACT_COLUMNS]


def relations_frame(result: AuditResult, rules: Iterable[str] | None = None) -> pd.DataFrame:
    """relations.csv. RULES: the codes of the rules the run applied (all of them when None)."""
    relations = result.frames.relations
    failed = [";".join(result.failed_rules.get(key, ())) for key in relations["relation_key"].tolist()]
    # The changes and repeats no rule checks are recorded for a reviewer, with status "unchecked",
    # and so is a relation whose rules a run left out (--select, --ignore).
    if rules is None:
        checked_ops = CHECKED_OPS
    else:
        applied = set(rules)
        checked_ops = [op for op, kind in KINDS.items() if applied.intersection(kind.rules)]
    checked = relations["op"].isin(checked_ops).tolist()
    status = ["fail" if rules else "pass" if is_checked else "unchecked" for rules, is_checked in zip(failed, checked)]
    text, start, end, line = [], [], [], []
    for quotes in relations["evidence"].tolist():
        text.append(" … ".join(quote_text(quote["text"], quote.get("report")) for quote in quotes))
        # offsets and line count in the relation's own report (CONS003 also quotes last year's)
        own = [quote for quote in quotes if "report" not in quote]
        start.append(own[0].get("start") if own else None)
        end.append(own[-1].get("end") if own else None)
        line.append(own[0].get("line") if own else None)
    added = {"failed_rules": failed, "status": status, "text": text, "start": start, "end": end, "line": line}
    columns = {name: pd.Series(added[name], index=relations.index) if name in added else relations[name]
               for name in RELATION_COLUMNS}
    return pd.DataFrame(columns)


def flags_frame(flags: list[Flag]) -> pd.DataFrame:
    rows = []
    for flag in flags:
        evidence = flag.evidence
        rows.append({
            **{k: getattr(flag, k) for k in _FLAG_ATTRIBUTES},
            "line": evidence[0].line if evidence else None,
            "evidence": " … ".join(map(quoted, evidence)),
            # true or false when a baseline was given; empty when none was, as flags.json leaves it out
            "baselined": "" if flag.baselined is None else "true" if flag.baselined else "false",
            "review_status": flag.review.status if flag.review else "",
            "review_comment": flag.review.comment if flag.review else "",
        })
    return _whole_numbers(pd.DataFrame(rows, columns=FLAG_COLUMNS), ("line", "year"))


def flags_frames(flags: list[Flag]) -> Iterator[pd.DataFrame]:
    """flags.csv, _CHUNK_ROWS flags at a time."""
    for start in range(0, max(len(flags), 1), _CHUNK_ROWS):
        yield flags_frame(flags[start:start + _CHUNK_ROWS])


def reports_frames(records: Iterable, flags: list[Flag]) -> Iterator[pd.DataFrame]:
    """reports.csv, _CHUNK_ROWS reports at a time, after an empty frame that carries the header
    alone (a run may have no report to list)."""
    yield _reports_frame([])
    for entries in batched(report_entries(records, flags), _CHUNK_ROWS):
        yield _reports_frame(entries)


def _reports_frame(entries: list[dict]) -> pd.DataFrame:
    rows = []
    for entry in entries:
        meta, counts = entry["metadata"], entry["counts"]
        rows.append({
            "report": entry["path"], "status": entry["status"], "reason": entry["reason"],
            "sha256": entry["sha256"], "encoding": entry["encoding"], **{k: meta.get(k) for k in (
                "title", "region", "year", "published", "signed", "signer", "docno")},
            "facts": counts["facts"], "relations": counts["relations"], "checked": counts["checked"],
            "errors": counts["error"],
            "warnings": counts["warning"], "infos": counts["info"],
        })
    return _whole_numbers(pd.DataFrame(rows, columns=REPORT_COLUMNS), ("year",))


def _whole_numbers(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """FRAME with the columns NAMES as whole numbers that may be missing: a line or a year is
    written 12, never 12.0 (a column of numbers with one missing is read as floats)."""
    for name in names:
        frame[name] = pd.array([None if is_missing(v) or v == "" else int(v) for v in frame[name].tolist()],
                               dtype="Int64")
    return frame
