"""What a run shows while it works and says when it ends.

On a terminal (stderr a TTY, CI unset) a one-line display names the phase under way (reading,
with a bar and a count; checking; flagging; writing each file) and is erased when the run ends,
so the screen is never blank and keeps only what matters: the flags and one summary line. On a
pipe or in CI nothing moves. `--quiet` prints nothing but errors, `--verbose` adds one line per
report. Names and reasons are untrusted: their control characters are shown as escapes
(auditor.listing.safe), never sent to the terminal.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from enum import IntEnum

from auditor.config import SEVERITIES
from auditor.flag import Flag
from auditor.ingest.discover import display_name
from auditor.listing import safe
from auditor.review import tally


class Verbosity(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


_PHASE_WORDS = {"reading": "reading reports", "checking": "checking (frames, Great Expectations suites)",
                "flagging": "building the flags"}


def is_interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class Display:
    """The progress display: progress(done, total) while reading, phase(name) at each step. Both
    do nothing where nobody watches (a pipe, CI, --quiet)."""

    def __init__(self, bar=None) -> None:
        self._bar = bar
        self._task = None

    def progress(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total, count=f"{done}/{total}")

    def phase(self, name: str) -> None:
        """A new line for each phase: its own clock, and a pulsing bar until a count is known."""
        if self._bar is not None:
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(_PHASE_WORDS.get(name, name), total=None, count="")
            self._bar.refresh()  # at once: a short phase would otherwise never be drawn

    @property
    def active(self) -> bool:
        return self._bar is not None


@contextmanager
def display(verbosity: Verbosity):
    """Yield a Display; a rich one, erased on leaving, only on a terminal someone watches."""
    if verbosity is Verbosity.QUIET or not is_interactive():
        yield Display()
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[count]}"),
                  TimeElapsedColumn(), transient=True, console=_console(stderr=True)) as bar:
        shown = Display(bar)
        shown.phase("starting")
        yield shown


def report_lines(records, flags: list[Flag]) -> list[str]:
    """--verbose: one line per report."""
    per_report = Counter((f.report, f.severity) for f in flags)
    lines = []
    for record in records:
        doc = record.document
        counts = ", ".join(f"{per_report[(doc['report'], s)]} {s}" for s in SEVERITIES)
        state = doc["status"] if doc["status"] == "ok" else f"error: {safe(doc['reason'])}"
        lines.append(f"{safe(doc['report'])}: {state}; {record.n_facts} figures, {record.n_relations} relations; {counts}")
    return lines


def summary_line(records, flags: list[Flag], out) -> str:
    """One line: the flags that count by severity, the reviewed among them and the baselined apart,
    the unreadable inputs, and where the outputs are."""
    counts = tally(flags)
    reports = _plural(len(records), "report")
    if counts.counted:
        severities = ", ".join(_plural(counts.by_severity[s], s) for s in SEVERITIES if counts.by_severity[s])
        line = f"{_plural(counts.counted, 'flag')} in {reports}: {severities}"
        if counts.reviewed:
            line += f" ({counts.reviewed} reviewed)"
    else:
        line = f"No flags in {reports}"
    if counts.baselined:
        line += f"; {counts.baselined} baselined (not shown, not counted)"
    unreadable = sum(r.document["status"] != "ok" for r in records)
    if unreadable:
        line += f"; {_plural(unreadable, 'unreadable input')}"
    return line + f". Outputs in {safe(display_name(out))}/"


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info"
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)
