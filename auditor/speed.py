"""The speed tricks of a command-line run, kept here at the edge: the library (pipeline, frames,
checks, writers) runs the same without them, only slower on big runs.

- no_cyclic_gc: the cyclic garbage collector off for a run. A run's records, frames and flags make
  no reference cycles, yet the collector walks them again and again as they grow: at 10,000
  reports 2.7 s of the main process's time while the workers read, and 0.7 s after, for the
  same peak memory. Measure: `python -m bench.phases --size 10000` (it runs with the collector
  off, as the CLI does) against the same with `gc.enable()` after its import.
- no_cyclic_gc_from_start: the console script turns the collector off before a command imports
  pandas, pandera, DuckDB and the writers: their modules and classes are made to stay, yet the
  collector walked them about 280 times (two full passes) while one report's audit started,
  0.12 s of its 1.15 s. Every command then runs as `audit` ran already under no_cyclic_gc.
  Measure: `python -m bench.run --one` (one report's audit beside `python -c pass`).
- hypothesis_unseen: pandera imports Hypothesis, where it is installed (auditor's test extra
  installs it), for the data synthesis auditor never asks of it: 0.06 s of one report's audit
  at its first validation. The console script lets it look absent, as it is in a plain install.
  Measure: `python -m bench.run --one` in an environment with `.[test]` installed.
- exit_leaving_memory: the console script ends with os._exit once the exit handlers have run
  and the streams are flushed; freeing a big run's objects one by one took 1.4 s at 10,000
  reports. Measure: `python -m bench.run --sizes 10000` (wall time of the whole command).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cyclic collector off inside, restored to the state it was found in on leaving."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def no_cyclic_gc_from_start() -> None:
    """The cyclic collector off for the rest of the process (the console script's: it ends
    with exit_leaving_memory, which leaves the memory to the operating system anyway)."""
    gc.disable()


def hypothesis_unseen() -> None:
    """`import hypothesis` fails in this process, unless something imported it already."""
    sys.modules.setdefault("hypothesis", None)


def exit_leaving_memory(status: int) -> None:
    """End the process with STATUS: the exit handlers (temporary folders, worker processes) run
    and the output streams are flushed, but the objects are left to the operating system."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(status)
