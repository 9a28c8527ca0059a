"""Writing output files safely: atomically, and with spreadsheet formulas neutralised."""

from __future__ import annotations

import operator
import os
import tempfile
from collections.abc import Iterable
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


def neutralise(value):
    """Report text is untrusted: make text that looks like a formula inert with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_texts(texts: list[str]) -> list[str]:
    """neutralise() over a list of strings. Formula-like text is rare: the set of the cells' first
    characters, built in C, shows that none is, far faster than a test per cell."""
    if set(_FORMULA_STARTS).isdisjoint(map(_FIRST_CHARACTER, texts)):
        return texts
    return ["'" + text if text.startswith(_FORMULA_STARTS) else text for text in texts]


def neutralise_frame(frame):
    """neutralise() over every text column of a dataframe, vectorised."""
    import pandas as pd

    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("string")
            risky = text.str.startswith(_FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                safe[name] = column.where(~risky, "'" + text)
    return safe
