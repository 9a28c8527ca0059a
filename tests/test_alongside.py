"""A writer's task run beside the run (auditor.report.alongside): in order, its value and its
error back in the run's process, and nothing left running once the run is over. The outputs'
bytes with and without it: tests/test_batches.py."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from auditor.errors import AuditorError, OutputError
from auditor.report.alongside import Alongside

forking = pytest.mark.skipif(sys.platform != "linux", reason="tasks run beside the run on Linux only")


@forking
def test_tasks_run_in_another_process_one_after_the_other(tmp_path):
    path = tmp_path / "out.txt"
    seen = []
    alongside = Alongside(True)

    def write(text: str, pause: float):
        def task():
            time.sleep(pause)  # a task that takes longer than the next must still come first
            with open(path, "a", encoding="utf-8") as file:
                file.write(text)
            return os.getpid()
        return task

    alongside.start(write("a", 0.3), then=seen.append)
    alongside.start(write("b", 0.0), then=seen.append)
    alongside.wait()
    assert path.read_text(encoding="utf-8") == "ab"
    assert len(seen) == 2 and os.getpid() not in seen and seen[0] != seen[1]


def test_without_fork_a_task_runs_at_once_here():
    seen = []
    alongside = Alongside(False)
    alongside.start(lambda: os.getpid(), then=seen.append)
    assert seen == [os.getpid()]  # done before start() returned
    alongside.wait()


@forking
def test_a_task_that_fails_raises_its_error_in_the_run():
    alongside = Alongside(True)
    alongside.start(lambda: (_ for _ in ()).throw(OutputError("cannot write facts.csv: no space left on device")))
    with pytest.raises(OutputError, match="no space left on device") as caught:
        alongside.wait()
    assert not getattr(caught.value, "__notes__", None)  # a user's error: one line, as in one process


@forking
def test_a_bug_in_a_task_keeps_the_traceback_of_where_it_happened():
    def task():
        return {}["missing"]

    alongside = Alongside(True)
    alongside.start(task)
    with pytest.raises(KeyError) as caught:
        alongside.start(lambda: None)  # the next task waits for the last, and meets its error
    assert "in task" in caught.value.__notes__[0]


@forking
def test_a_task_whose_process_dies_is_an_error_not_a_hang():
    alongside = Alongside(True)
    alongside.start(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(AuditorError, match="ended unexpectedly"):
        alongside.wait()


@forking
def test_closing_stops_a_task_still_running(tmp_path):
    marker = tmp_path / "late"

    def task():
        time.sleep(5)
        marker.write_text("written after the run ended", encoding="utf-8")

    alongside = Alongside(True)
    alongside.start(task)
    process = alongside._running[0]
    alongside.close()
    assert not process.is_alive()
    time.sleep(0.1)
    assert not marker.exists()
    alongside.wait()  # nothing left to wait for


@forking
def test_the_runs_packed_records_read_the_same_here_and_beside_at_once():
    from auditor.spill import Packed

    packed = Packed()  # on disk: the two processes share the file and its position, which reads
    # at a position of their own (spill._read_at) leave alone; a clash of seeks is rare enough
    # that this cannot show it, only that reading beside the run works
    pieces = [[{"report": f"r{piece}-{i}", "text": "x" * (i * 97 % 5000)} for i in range(20)] for piece in range(100)]
    for items in pieces:
        packed.add(items)
    every = [item for items in pieces for item in items]
    alongside = Alongside(True)
    alongside.start(lambda: all(list(packed) == every for _ in range(20)), then=lambda same: seen.append(same))
    seen = []
    here = all(list(packed) == every for _ in range(20))
    alongside.wait()
    assert here and seen == [True]
