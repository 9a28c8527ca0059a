"""Find the report files to audit among the paths the user gave.

A named file is always taken (a later stage judges what it holds). A named folder is walked,
and every file it holds is accounted for: a report file (.txt, .html, .htm, .pdf, .docx) or one
of a kind a later stage refuses with its own reason (.doc, .wps, .xls, .xlsx) is taken; any
other is skipped with a reason, so it shows in the outputs as refused. Hidden files and folders
and the run's own output folder are left out. Results are deterministic and each real file
appears once.

Inputs stay inside what the user named: under a named folder, a symlink whose target lies
outside that folder (`x.txt -> /etc/passwd`, a folder link to `/`) is refused with its reason,
unless --follow-links allows it; a file named on the command line is read wherever a link of
that name points. A symlink loop is not an input (the folder it leads back to is walked anyway):
it is noted (Skipped.info), not refused, so it never fails a CI gate.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError
# how outputs name a path; imported from here by most of auditor
from auditor.paths import display_name, escape_surrogates  # noqa: F401

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")  # compared case-insensitively
REFUSED_SUFFIXES = (".doc", ".wps", ".xls", ".xlsx")  # taken, and refused with a reason when read


@dataclass(frozen=True)
class InputFile:
    path: Path      # as given, joined with the path found under a folder; not resolved
    display: str    # display_name(path): the report's name in outputs


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str         # one short English line
    info: bool = False  # a note (a symlink loop), not a refused input: no record, no flag


def discover(paths: Sequence[str | Path], exclude: Sequence[str | Path] = (),
             follow_links: bool = False) -> tuple[list[InputFile], list[Skipped]]:
    """Files to read, in argument order (sorted within a folder), and what was skipped. Folders
    in `exclude` (the run's output folder) are not walked. FOLLOW_LINKS takes the targets of
    symlinks that lead out of a named folder too."""
    found: list[InputFile] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()  # real paths already taken: a file reached twice is read once
    left_out = {os.path.realpath(p) for p in exclude}
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            candidates = sorted((display_name(path), path, real) for path, real in _walk(root, skipped, left_out, follow_links))
        elif root.is_file():
            candidates = [(display_name(root), root, os.path.realpath(root))]
        else:
            skipped.append(Skipped(root, _missing_reason(root)))
            continue
        for display, path, real in candidates:
            if real not in seen:
                seen.add(real)
                found.append(InputFile(path, display))
    return found, _unique(skipped)


def refuse_missing(paths: Sequence[str | Path]) -> None:
    """A named path that does not exist (a typo) stops the run: checked by the CLI before the
    pipeline's libraries are imported, so the user hears of it at once, and by the pipeline."""
    for raw in paths:
        if not os.path.lexists(raw):  # discover's "does not exist": a broken symlink is refused there
            raise AuditorError(f"{display_name(Path(raw))}: no such file or folder")


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _unknown_reason(path: Path) -> str:
    kind = f"a {path.suffix.lower()} file" if path.suffix else "a file without a suffix"
    return f"not a report file ({kind}): auditor reads {', '.join(SUPPORTED_SUFFIXES)}"


def _missing_reason(path: Path) -> str:
    if os.path.lexists(path):
        if os.path.islink(path):
            return "broken symlink or symlink loop"
        return "not a regular file or folder"
    return "does not exist"


def _walk(root: Path, skipped: list[Skipped], left_out: set[str] = frozenset(),
          follow_links: bool = False) -> list[tuple[Path, str]]:
    """Non-hidden files under root that are reports or refused kinds, each with its real path
    (any other skipped with a reason); symlinked folders are followed once each, folders in
    left_out not at all, links out of root only with FOLLOW_LINKS."""
    files: list[tuple[Path, str]] = []
    inside = os.path.realpath(root)
    visited: set[str] = {inside}

    def on_error(err: OSError) -> None:
        skipped.append(Skipped(Path(err.filename or root), f"cannot read folder: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        here = os.path.realpath(dirpath)
        kept = []
        for name in sorted(dirnames):  # sorted: which of two routes to a folder wins is stable
            if name.startswith("."):
                continue
            real = os.path.realpath(os.path.join(dirpath, name))
            if real in left_out:
                continue  # the run's own output folder
            if real in visited:
                if _is_ancestor(real, here):
                    skipped.append(Skipped(Path(dirpath) / name, "symlink loop", info=True))
                continue  # another route to a folder already walked: its files are found there
            if not follow_links and not _is_ancestor(inside, real):
                skipped.append(Skipped(Path(dirpath) / name, _outside_reason(real, root, "folder")))
                continue
            visited.add(real)
            kept.append(name)
        dirnames[:] = kept
        folder = Path(dirpath)
        for name in filenames:
            if name.startswith("."):
                continue  # hidden: not asked for
            path = folder / name
            real = _real_file(path, here, name)
            if real is None:
                if os.path.islink(path):
                    skipped.append(Skipped(path, "broken symlink"))
                elif os.path.lexists(path):  # a FIFO, a socket, a device: never opened
                    skipped.append(Skipped(path, "not a regular file or folder"))
            elif not follow_links and not _is_ancestor(inside, real):
                skipped.append(Skipped(path, _outside_reason(real, root, "file")))
            elif name.lower().endswith(SUPPORTED_SUFFIXES + REFUSED_SUFFIXES):
                files.append((path, real))
            else:
                skipped.append(Skipped(path, _unknown_reason(path)))
    return files


def _real_file(path: Path, here: str, name: str) -> str | None:
    """The real path of a regular file (or of a link to one) in the folder whose real path is
    HERE; None for anything else. A plain file's is HERE/name: one lstat, where realpath would
    take one per component of the path."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return os.path.join(here, name)
    if stat.S_ISLNK(mode) and os.path.isfile(path):
        return os.path.realpath(path)
    return None


def _outside_reason(real: str, root: Path, kind: str) -> str:
    return (f"symlink to a {kind} outside {display_name(root)}/ ({display_name(real)}): not read "
            "(--follow-links reads it)")


def read_regular_file(path: str | Path) -> bytes:
    """The bytes of the regular file at PATH. Opened without blocking and checked on the opened
    descriptor: a file swapped for a FIFO (or a device) after discovery is refused with an
    OSError, where a plain read would wait forever for a writer."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
                else "a socket" if stat.S_ISSOCK(mode) else "not a file"
            raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(path))
        with os.fdopen(handle, "rb", closefd=True) as file:
            handle = None
            return file.read()
    finally:
        if handle is not None:
            os.close(handle)


def _unique(skipped: list[Skipped]) -> list[Skipped]:
    """Drop repeats: a folder given twice reports its broken links once."""
    seen: set[Path] = set()
    kept = []
    for item in skipped:
        if item.path not in seen:
            seen.add(item.path)
            kept.append(item)
    return kept


def _is_ancestor(real: str, here: str) -> bool:
    return here == real or here.startswith(real.rstrip(os.sep) + os.sep)
