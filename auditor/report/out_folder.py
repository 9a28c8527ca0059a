"""The output folder: checked before a run reads anything, and held by one run at a time.

Two runs writing into one folder would interleave their files (flags.json of one, flags.csv of
the other). So a run holds `--out` with a lock file, `.auditor.lock`, created exclusively
(O_EXCL: of two runs, exactly one creates it) and holding the run's process id and host. A
second run finds it and stops at once; a lock whose process no longer exists (a run killed
before it could remove it) is taken over. This needs no fcntl or msvcrt, and works the same on
every system and on network file systems that honour O_EXCL.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditor.errors import AuditorError, OutputError
from auditor.ingest.discover import display_name
from auditor.processes import process_exists

LOCK_NAME = ".auditor.lock"


@contextmanager
def held_output_folder(out: Path) -> Iterator[Path]:
    """Make sure OUT is a folder this run can write to, creating it if missing, then hold it for
    the run. Raises AuditorError naming OUT as the user gave it when it is not a folder, cannot
    be created or written to, or is held by another run. On leaving, the lock is removed, and a
    folder this made and left empty (the run stopped early) is removed too."""
    out = Path(out)
    shown = display_name(out)
    if out.exists() and not out.is_dir():
        raise AuditorError(f"--out {shown} is not a folder")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AuditorError(f"cannot create --out {shown}: {_reason(err)}") from None
    lock = out / LOCK_NAME
    try:
        _take(lock, shown)
    except BaseException:
        _remove_if_empty(out, created)
        raise
    try:
        yield out
    finally:
        lock.unlink(missing_ok=True)
        _remove_if_empty(out, created)


def _take(lock: Path, shown: str) -> None:
    for _ in range(2):  # a stale lock is removed, then taken once more
        try:
            handle = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder is None or _is_running(*holder):
                pid = f" (process {holder[0]} on {holder[1]})" if holder else ""
                raise AuditorError(f"--out {shown}/ is in use by another auditor run{pid}; wait for it to end or "
                                   f"choose another --out (if no run is going on, remove {shown}/{LOCK_NAME})") from None
            lock.unlink(missing_ok=True)  # its run was killed: the folder is free
            continue
        except OSError as err:
            raise AuditorError(f"cannot write to {shown}/: {_reason(err)}") from None
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {socket.gethostname()}\n")
        return
    raise AuditorError(f"--out {shown}/ is in use by another auditor run; wait for it to end or choose another --out")


def _holder(lock: Path) -> tuple[int, str] | None:
    """(process id, host) written in a lock; None when it cannot be read (being written this
    instant by the run that holds it, or not ours)."""
    try:
        pid, _, host = lock.read_text(encoding="utf-8").strip().partition(" ")
        return int(pid), host
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _is_running(pid: int, host: str) -> bool:
    """Whether the lock's run may still be going on. A process on another host cannot be seen
    from here: assumed running. This process's own id in a lock is a run that has ended."""
    if host != socket.gethostname():
        return True
    return pid != os.getpid() and process_exists(pid)


def _reason(err: OSError) -> str:
    if err.errno == errno.EROFS:
        return "read-only"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (err.strerror or str(err)).lower()


def _remove_if_empty(out: Path, created: bool) -> None:
    if created:
        try:
            out.rmdir()  # only when empty
        except OSError:
            pass


# --- a run's outputs as a whole -------------------------------------------------------------------
#
# Each file is written atomically (auditor.report.files.write_atomic), but a run writes many: a
# run stopped between two of them (Ctrl-C, SIGTERM, a full disk) would leave its new facts.csv
# and summary.md beside the previous run's flags.json, two runs mixed under one folder. So a run
# writes every output into a fresh staging folder inside --out (`.auditor-run-<pid>/`, hidden,
# on the same file system), and only once all are written moves them into --out, flags.json last,
# with Ctrl-C and SIGTERM held back for those few renames (milliseconds, whatever the size). A run
# stopped before then leaves --out as the previous run left it, and its staging folder is removed
# on the way out (or, if the process was killed outright, by the next run, which holds the lock).
#
# A manifest written last, naming each file and its hash, would have done as much for a reader
# that checks it, but every reader (a CI step, Excel, a browser) would have to check it; a folder
# swapped in needs no reader's cooperation. The one window left is a SIGKILL or power loss during
# the renames themselves.

STAGING_PREFIX = ".auditor-run-"


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh, empty folder inside OUT for this run's outputs; removed with whatever it still
    holds on leaving. Staging folders an earlier, killed run left are removed first (this run
    holds OUT's lock: no other run is writing one)."""
    import shutil

    for stale in Path(out).glob(STAGING_PREFIX + "*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    stage = Path(out) / f"{STAGING_PREFIX}{os.getpid()}"
    stage.mkdir()
    try:
        yield stage
    except OutputError as err:
        # name the file the user will look for (out/flags.json), not its place while staged
        raise OutputError(str(err).replace(display_name(stage), display_name(Path(out)), 1)) from err
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def carry_into(stage: Path, out: Path, name: str) -> None:
    """The previous run's OUT/NAME, linked (or copied) into STAGE, for a writer that reads the file
    it replaces (the workbook carries a reviewer's work over, or sets it aside)."""
    import shutil

    source = Path(out) / name
    if not source.is_file() or source.is_symlink():
        return
    try:
        os.link(source, stage / name)
    except OSError:
        shutil.copy2(source, stage / name)


def publish(stage: Path, out: Path, last: str | None = None, after_others=None) -> None:
    """Move every file in STAGE into OUT, replacing what is there; LAST (flags.json) is moved last,
    after AFTER_OTHERS() runs (the removal of the outputs this run does not write). Ctrl-C and
    SIGTERM wait until the moves are done: the run's outputs are then whole, and the run still
    stops with its interrupted status."""
    with _signals_held():
        names = sorted(entry.name for entry in os.scandir(stage) if entry.is_file(follow_symlinks=False)
                       and not entry.name.endswith(".tmp"))
        for name in names:
            if name != last:
                os.replace(stage / name, Path(out) / name)
        if after_others is not None:
            after_others()
        if last in names:
            os.replace(stage / last, Path(out) / last)


@contextmanager
def _signals_held():
    import signal
    import threading

    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
