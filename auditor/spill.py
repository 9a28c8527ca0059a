"""Pieces of a run kept aside while it is checked in batches (auditor.pipeline.AuditRun), on
disk: named pieces in a temporary folder (Spill), and the reports' summaries and the flags
(Packed), which the outputs written at the end read back a piece at a time.

A run of many reports holds at one time the figures of one batch: the others wait here,
pickled, in a temporary folder removed when the run ends, however it ends. A run killed outright
(SIGKILL, the out-of-memory killer) cannot remove its own: the folder's name holds the host and
the process id, and the next run on that host removes the folders of processes that are gone.
A piece is a list of values appended one at a time (a batch's columns, the named figures another
batch compares with) and read back in the order written.
"""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import tempfile
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path

from auditor.errors import OutputError
from auditor.processes import process_exists

PREFIX = "auditor-run-"   # then <host>-<process id>-<random>


class Spill:
    def __init__(self) -> None:
        self._folder: Path | None = None

    def append(self, name: str, value) -> None:
        """Add VALUE to the piece NAME. A full disk or an unwritable temporary folder is an
        OutputError that says where, and how to choose another (TMPDIR)."""
        try:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{socket.gethostname()}-{os.getpid()}-"))
                remove_abandoned(self._folder.parent)
            with open(self._folder / name, "ab") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as err:
            raise _no_room(self._folder, err) from None

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


def remove_abandoned(temporary: Path) -> None:
    """Remove the folders in TEMPORARY that runs on this host left when they were killed: those
    whose process is gone. Another host's (a shared temporary folder) cannot be judged from here."""
    host = socket.gethostname()
    for folder in temporary.glob(PREFIX + "*"):
        owner, _, rest = folder.name[len(PREFIX):].rpartition("-")   # rest: mkdtemp's random part
        owner_host, _, pid = owner.rpartition("-")
        if owner_host == host and pid.isdigit() and int(pid) != os.getpid() and not process_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _no_room(folder: Path | None, err: OSError) -> OutputError:
    """A full disk or an unwritable temporary folder: an error that says where, and how to choose
    another (TMPDIR)."""
    where = folder or Path(tempfile.gettempdir())
    return OutputError(f"{OutputError.of(where, err)} (the temporary folder, where a run keeps the batches "
                       "it is not checking: set TMPDIR to a folder with room, about 14 KB a report)")


class Packed(Sequence):
    """A batched run's records, or its flags, read-only, kept pickled on disk a batch to a piece,
    in a temporary file without a name: the OS frees it when the file is closed, when this is
    collected or the process ends however it ends, so it outlives the run's Spill (the results
    are read after the run) and needs no cleanup. A report's summary (columns.RECORD_SUMMARY)
    takes about 2 KB as live dicts and 460 bytes pickled, a flag about 650 bytes and a quarter
    of that: in memory they grew the run's peak by some 620 bytes a report. What stays here is a
    piece's place in the file. Each piece comes back whole when one of its items is read, and
    the last piece read stays live, so a pass in order over the run unpickles each piece once.
    An item read from here and changed keeps the change only until its piece is read again."""

    def __init__(self) -> None:
        self._file = None
        self._places: list[tuple[int, int]] = []  # each piece's offset in the file, and its size
        self._starts: list[int] = []   # the index of each piece's first item
        self._length = 0
        self._live: tuple[int, list] = (-1, [])

    def add(self, items: list) -> None:
        """Pack ITEMS after those added before."""
        data = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix=PREFIX)
            offset = self._file.seek(0, os.SEEK_END)
            self._file.write(data)
        except OSError as err:
            raise _no_room(None, err) from None
        self._places.append((offset, len(data)))
        self._starts.append(self._length)
        self._length += len(items)

    @property
    def pieces(self) -> int:
        return len(self._places)

    def take(self, index: int) -> list:
        """The items of piece INDEX, no longer kept live: for a reader that needs each piece
        once (the run's batches, checked in turn)."""
        items = self.piece(index)
        self._live = (-1, [])
        return items

    def piece(self, index: int) -> list:
        """The items of piece INDEX, in the order added."""
        if self._live[0] != index:
            offset, size = self._places[index]
            self._file.seek(offset)
            self._live = (index, pickle.loads(self._file.read(size)))
        return self._live[1]

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("index out of range")
        piece = bisect_right(self._starts, index) - 1
        return self.piece(piece)[index - self._starts[piece]]

    def __iter__(self) -> Iterator:
        for index in range(len(self._places)):
            yield from self.piece(index)
