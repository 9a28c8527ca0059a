"""What a run prints: a progress bar and a summary table on a terminal, plain lines elsewhere.

On a pipe or in CI (the CI variable set) the output is plain and short, so logs stay readable;
`--quiet` prints nothing but errors, `--verbose` adds one line per report.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from enum import IntEnum

from auditor.config import SEVERITIES
from auditor.ingest.discover import display_name

_PROGRESS_MIN_FILES = 20  # a bar for a handful of files only flickers


class Verbosity(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


def is_interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress_bar(total_hint: int | None, verbosity: Verbosity):
    """Yield a callback (done, total) -> None; draws a rich bar only where someone watches."""
    if verbosity is Verbosity.QUIET or not is_interactive():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, console=_console(stderr=True)) as bar:
        task = bar.add_task("reports", total=total_hint)

        def advance(done: int, total: int) -> None:
            if total >= _PROGRESS_MIN_FILES:
                bar.update(task, completed=done, total=total)

        yield advance


def print_summary(records, flags: list[dict], out, verbosity: Verbosity) -> None:
    if verbosity is Verbosity.QUIET:
        return
    out = display_name(out)
    if verbosity is Verbosity.VERBOSE:
        per_report = Counter((f["report"], f["severity"]) for f in flags)
        for record in records:
            doc = record.document
            counts = ", ".join(f"{per_report[(doc['report'], s)]} {s}" for s in SEVERITIES)
            state = doc["status"] if doc["status"] == "ok" else f"error: {doc['reason']}"
            print(f"{doc['report']}: {state}; {record.n_facts} figures, {record.n_relations} relations; {counts}")
    counts = Counter(f["severity"] for f in flags)
    baselined = sum(1 for f in flags if f.get("baselined"))
    unreadable = sum(r.document["status"] != "ok" for r in records)
    if sys.stdout.isatty() and not os.environ.get("CI"):
        _print_table(records, flags, unreadable, baselined, out)
        return
    note = f", {baselined} baselined" if baselined else ""
    print(f"{len(records)} report(s), {unreadable} unreadable; {counts['error']} error(s), "
          f"{counts['warning']} warning(s), {counts['info']} info{note} -> {out}/")


def _print_table(records, flags, unreadable, baselined, out) -> None:
    from rich.table import Table

    table = Table(title=f"auditor: {len(records)} report(s), {unreadable} unreadable", title_justify="left")
    table.add_column("category")
    for severity in SEVERITIES:
        table.add_column(severity, justify="right")
    counts = Counter((f["category"], f["severity"]) for f in flags)
    for category in sorted({f["category"] for f in flags}):
        table.add_row(category, *(str(counts[(category, s)] or "") for s in SEVERITIES))
    console = _console()
    console.print(table)
    if baselined:
        console.print(f"{baselined} flag(s) baselined (not counted for --fail-on)")
    console.print(f"outputs in {out}/")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)
