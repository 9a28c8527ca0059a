"""Where the test suite's time goes: a pytest plugin that sums, per test module, the wall time,
the CPU of the process running the tests, and the CPU of the processes the tests start (CLI runs,
spawned writers, a browser), and when each xdist worker finished its last test.

    python -m pytest -p bench.suite_cpu                # the suite as the README runs it
    python -m pytest -p bench.suite_cpu -n 0 tests/test_history.py

On this machine kind the suite is CPU-bound: its wall time is about its CPU over two cores. A
module that spends its time in child processes pays Python's and pandas' start-up in each; one
that spends it in its own process pays the run's fixed costs (frames, pandera, the suites) per
run. The columns say which. Each process appends its tests' lines to a folder of its own, which
the process that started the session reads when the session ends.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

_FOLDER_VARIABLE = "AUDITOR_SUITE_CPU_DIR"
_SHOWN = 15  # modules printed, the costliest first


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # only children already waited for
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or the only process: it owns the folder
        os.environ[_FOLDER_VARIABLE] = tempfile.mkdtemp(prefix="suite_cpu_")  # xdist's workers inherit it
        config._suite_cpu_start = time.time()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started, (own, children) = time.time(), _cpu()
    yield
    ended, (own_after, children_after) = time.time(), _cpu()
    line = [item.nodeid.split("::", 1)[0], ended - started, own_after - own, children_after - children, ended]
    with open(Path(os.environ[_FOLDER_VARIABLE]) / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


def pytest_terminal_summary(terminalreporter, config) -> None:
    if hasattr(config, "workerinput") or not hasattr(config, "_suite_cpu_start"):
        return
    folder = Path(os.environ[_FOLDER_VARIABLE])
    modules: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    last_test = {}
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            module, wall, own, children, ended = json.loads(line)
            totals = modules[module]
            totals[0] += wall
            totals[1] += own
            totals[2] += children
            totals[3] += 1
            last_test[path.stem] = max(last_test.get(path.stem, 0.0), ended)
    shutil.rmtree(folder, ignore_errors=True)
    own = sum(t[1] for t in modules.values())
    children = sum(t[2] for t in modules.values())
    write = terminalreporter.write_line
    terminalreporter.section("where the suite's time goes (bench.suite_cpu)")
    write(f"CPU in tests: {own:.1f} s in the test processes, {children:.1f} s in the processes they start")
    start = config._suite_cpu_start
    write("last test of each process ended at: " + ", ".join(
        f"{ended - start:.1f} s" for ended in sorted(last_test.values())))
    write(f"{'wall s':>8} {'own CPU s':>10} {'children s':>11} {'tests':>6}  module")
    for module, (wall, own_cpu, child_cpu, tests) in sorted(modules.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:_SHOWN]:
        write(f"{wall:8.1f} {own_cpu:10.1f} {child_cpu:11.1f} {tests:6d}  {module}")
