"""bench.suite_cpu: the pytest plugin that says where the suite's time goes."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_the_plugin_sums_each_modules_own_and_childrens_cpu(tmp_path):
    (tmp_path / "test_spends.py").write_text(
        "import subprocess, sys\n"
        "def test_own():\n"
        "    assert sum(i * i for i in range(300_000)) > 0\n"
        "def test_child():\n"
        "    subprocess.run([sys.executable, '-c', 'sum(i * i for i in range(3_000_000))'], check=True)\n",
        encoding="utf-8")
    (tmp_path / "test_idle.py").write_text("def test_nothing():\n    assert True\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "bench.suite_cpu", "-p", "no:cacheprovider",
                           "-n", "0", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    start = lines.index(next(line for line in lines if "where the suite's time goes" in line))
    report = lines[start + 1:start + 6]
    assert report[0].startswith("CPU in tests:") and report[1].startswith("last test of each process ended at:")
    rows = {line.split()[-1]: [float(x) for x in line.split()[:3]] + [int(line.split()[3])] for line in report[3:]}
    spends, idle = rows["test_spends.py"], rows["test_idle.py"]
    assert spends[3] == 2 and idle[3] == 1
    assert spends[2] > 0.05 and spends[2] > spends[1] / 2  # the child's loop, ten times the test's own
    assert idle[2] == 0.0 and list(rows) == ["test_spends.py", "test_idle.py"]  # the costliest first
