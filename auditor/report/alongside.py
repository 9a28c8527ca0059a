"""A writer's work done in a forked process beside the run, while the run goes on: the one speed
trick of the writer boundary (auditor.report.writers.RunOutputs).

An audit checks its batches on one core while the other waits: facts.csv and relations.csv of
batch N are written beside the checking of batch N+1, and the workbook beside the other outputs
written at the end. A forked child sees the parent's objects as they were when it started
(copy-on-write: nothing is pickled on the way there) and sends back only what its task returns.
One task runs at a time, and the next starts when the last is done, so the files are written
in the order they would be in one process and their bytes do not change.

Measure: `python -m bench.phases --size 10000` (the phases the run waits on) and
`python -m bench.run --sizes 10000` (wall time), against the same with `--jobs 1`, where the CLI
writes in its own process.
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

from auditor.errors import AuditorError


_STOPS = {signal.SIGINT, signal.SIGTERM}


class Alongside:
    """Tasks run one at a time in a forked child (where fork exists and ENABLED), else at once
    in this process. start() waits for the task before, wait() for the last one; either raises
    the error of a task that failed, as it was raised in the child."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.platform == "linux"  # fork is safe to rely on there
        self._running = None   # (process, the end of the pipe its outcome comes through, then)

    def start(self, task: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run TASK; THEN, in this process, takes what it returned once it is done."""
        self.wait()
        if not self.enabled:
            value = task()
            if then:
                then(value)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        for stream in (sys.stdout, sys.stderr):  # what the child would flush again on leaving
            stream.flush()
        process = context.Process(target=_run_child, args=(task, send), name="auditor-writer", daemon=True)
        # a stop (Ctrl-C, SIGTERM: auditor.cli) waits until the fork is done: its KeyboardInterrupt
        # raised inside the fork's own handlers would be printed and lost, and the child would
        # take the run's handler for its own until it sets its own
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        send.close()
        self._running = (process, receive, then)

    def wait(self) -> None:
        if self._running is None:
            return
        process, receive, then = self._running
        self._running = None
        try:
            done, value = receive.recv()
        except EOFError:  # the child ended without a word: killed, or out of memory
            process.join()
            raise AuditorError(f"the process writing beside the run ended unexpectedly (exit status "
                               f"{process.exitcode})") from None
        finally:
            receive.close()
        process.join()
        if not done:
            raise value
        if then:
            then(value)

    def close(self) -> None:
        """Stop a task still running (the run failed or was stopped): it must not write on."""
        if self._running is not None:
            process, receive, _ = self._running
            self._running = None
            process.terminate()
            process.join()
            receive.close()


def _run_child(task: Callable[[], Any], send) -> None:
    from auditor.pipeline import ignore_interrupts

    ignore_interrupts()  # the run's own process stops this one (Alongside.close, auditor.cli)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
    try:
        outcome = (True, task())
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the run
        if not isinstance(error, AuditorError):  # a bug: its traceback is the child's (auditor --debug)
            error.add_note("".join(traceback.format_exception(error)).rstrip())
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:  # an error or value that does not pickle
        send.send((False, AuditorError(f"{type(error).__name__}: {error}")))
    send.close()
