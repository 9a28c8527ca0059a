"""How the outputs and messages name a path (auditor.ingest.discover re-exports these: most of
auditor imports them from there; auditor.errors, below every layer, from here)."""

from __future__ import annotations

import os  # noqa: F401 - display_name's example
import re
from pathlib import Path


def display_name(path: str | Path) -> str:
    r"""The path as outputs name it: forward slashes, and each byte of a name that is not UTF-8
    as \xNN. Python reads such a name (报告.txt from a GBK file system) with one lone surrogate
    per byte, which no UTF-8 output can hold; the escaped form can, and still tells the bytes
    (the SARIF writer turns it back into them).

    >>> display_name(os.fsdecode(b"in/\xb1\xa8\xb8\xe6.txt"))
    'in/\\xb1\\xa8\\xb8\\xe6.txt'
    """
    return escape_surrogates(Path(path).as_posix())


def escape_surrogates(text: str) -> str:
    """TEXT with the lone surrogates of undecodable name bytes as \\xNN (see display_name)."""
    return _SURROGATE_RE.sub(_escaped, text)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
