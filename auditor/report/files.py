"""Writing output files safely: atomically, and with spreadsheet formulas neutralised."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# A cell starting with one of these is run as a formula by Excel, WPS and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def neutralise(value):
    """Report text is untrusted: make text that looks like a formula inert with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
