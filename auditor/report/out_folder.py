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

from auditor.errors import AuditorError
from auditor.ingest.discover import display_name

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


def process_exists(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, another user's
        return True
    return True


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
