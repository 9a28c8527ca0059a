"""Pieces of a run kept on disk while it is checked in batches (auditor.pipeline.AuditRun).

A run of many reports holds at one time the figures of one batch: the others wait here,
pickled, in a temporary folder removed when the run ends, however it ends. A piece is a list of
values appended one at a time (a batch's columns, the named figures another batch compares
with) and read back in the order written.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from auditor.errors import OutputError


class Spill:
    def __init__(self) -> None:
        self._folder: Path | None = None

    def append(self, name: str, value) -> None:
        """Add VALUE to the piece NAME. A full disk or an unwritable temporary folder is an
        OutputError that says where, and how to choose another (TMPDIR)."""
        try:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="auditor-run-"))
            with open(self._folder / name, "ab") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as err:
            where = self._folder or Path(tempfile.gettempdir())
            raise OutputError(f"{OutputError.of(where, err)} (the temporary folder, where a run keeps the batches "
                              "it is not checking: set TMPDIR to a folder with room, about 14 KB a report)") from None

    def read(self, name: str) -> Iterator:
        """The values of the piece NAME, in the order appended; none for a piece never written."""
        path = self._folder / name if self._folder is not None else None
        if path is None or not path.exists():
            return
        with open(path, "rb") as file:
            while True:
                try:
                    yield pickle.load(file)
                except EOFError:
                    return

    def discard(self, name: str) -> None:
        if self._folder is not None:
            (self._folder / name).unlink(missing_ok=True)

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
