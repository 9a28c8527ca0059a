"""Writing output files safely: atomically, and with spreadsheet formulas neutralised.

In a CSV file, which has no types, the formula guard is for text only: a cell that is a plain
number ("-5", "+3.5", "-1e3") is a number to every spreadsheet, never a formula, and stays as it
is (facts.csv's negative values; neutralise_cell, neutralise_texts, neutralise_frame). The
workbook writes numbers as numbers and every text as text, so there neutralise() quotes any text
that starts like a formula, "-5" included. A NUL, which cuts a cell short in many CSV readers,
is written as U+FFFD.
"""

from __future__ import annotations

import operator
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from auditor.errors import OutputError

# A cell starting with one of these is run as a formula by Excel, WPS and LibreOffice.
def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIRST_CHARACTER = operator.itemgetter(slice(0, 1))
_SIGNED = ("+", "-")  # formula starts that also start a number
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
NUL, NUL_SHOWN = "\x00", "\ufffd"


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file.
    data may come in pieces, so that a large file is never whole in memory. A file system error
    (a full disk) is raised as OutputError naming PATH, which the OS's error does not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError.of(path, err) from None
    try:
        with os.fdopen(handle, "wb") as out:
            for piece in [data] if isinstance(data, bytes) else data:
                out.write(piece)
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes files private; outputs are meant to be shared
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError.of(path, err) from None
        raise


_JSON_PIECE = 1 << 20  # characters of JSON text held before they are written


class Streamed(list):
    """A list of COUNT items that json_pieces writes one at a time as ITEMS (an iterable, read
    once) gives them, without holding them: JSONEncoder.iterencode (json_pieces') is the
    pure-Python encoder, which walks a list by iterating it and asks its length only whether it
    is empty (json.dumps' C encoder gives the same text, but lists a list subclass whole first).
    flags.json's entries of 30,000 reports held at once were some 50 MB of a run's peak."""

    def __init__(self, items: Iterable, count: int) -> None:
        super().__init__()
        self._items, self._count = items, count

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return self._count


def json_pieces(document) -> Iterator[bytes]:
    """DOCUMENT as `json.dumps(document, ensure_ascii=False, indent=2)` gives it, then a line
    break, UTF-8, in pieces of about a megabyte: a large run's flags.sarif (30 MB at 50,000
    reports) was 230 MB more memory whole, as text and then as bytes."""
    import json

    held, size = [], 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document):
        held.append(chunk)
        size += len(chunk)
        if size >= _JSON_PIECE:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    held.append("\n")
    yield "".join(held).encode("utf-8")


def neutralise(value):
    """Report text is untrusted: make text that looks like a formula inert with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_cell(value):
    """neutralise() for a CSV cell: a plain number is left as it is, a NUL shown as U+FFFD."""
    if isinstance(value, str):
        if NUL in value:
            value = value.replace(NUL, NUL_SHOWN)
        if _is_formula_like(value):
            return "'" + value
    return value


def _is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_STARTS) and not (text.startswith(_SIGNED) and _NUMBER_RE.match(text))


def neutralise_texts(texts: list[str]) -> list[str]:
    """neutralise_cell() over a list of strings. Formula-like text and NULs are rare: the set of the
    cells' first characters, built in C, shows that none is, far faster than a test per cell."""
    if NUL in "".join(texts):
        texts = [text.replace(NUL, NUL_SHOWN) for text in texts]
    if set(_FORMULA_STARTS).isdisjoint(map(_FIRST_CHARACTER, texts)):
        return texts
    return ["'" + text if _is_formula_like(text) else text for text in texts]


def neutralise_frame(frame):
    """neutralise_cell() over every text column of a dataframe, vectorised."""
    import pandas as pd

    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("string")
            has_nul = text.str.contains(NUL, regex=False).fillna(False).astype(bool)
            if has_nul.any():
                text = text.str.replace(NUL, NUL_SHOWN, regex=False)
                column = safe[name] = column.where(~has_nul, text)
            risky = text.str.startswith(_FORMULA_STARTS).fillna(False).astype(bool)
            risky &= ~(text.str.startswith(_SIGNED) & text.str.match(_NUMBER_RE.pattern)).fillna(False).astype(bool)
            if risky.any():
                safe[name] = column.where(~risky, "'" + text)
    return safe
