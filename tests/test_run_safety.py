"""A run stopped part-way (Ctrl-C, SIGTERM) leaves --out as the previous run left it, and nothing
behind: no worker or writer process, no temporary file, no staging folder, no lock."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.report.out_folder import STAGING_PREFIX, publish, staging_folder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and /proc")


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())
            if p.is_file() and p.suffix != ".duckdb"}


def _descendants(pid: int) -> set[int]:
    """Every process under PID (psutil when installed, else /proc)."""
    try:
        import psutil

        return {child.pid for child in psutil.Process(pid).children(recursive=True)}
    except ImportError:
        pass
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _audit(corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(corpus), "--out", str(out), "-j", "2",
                             "--no-history", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "CI": "1"})


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """A small corpus for the run before; a large one, still being read a second after its lock
    is taken; a medium one, enough to be caught writing (its writers take a second or so), in
    a third of the large one's reading time."""
    from bench.generate import generate

    root = tmp_path_factory.mktemp("runs")
    generate(6, root / "small", seed=11)
    generate(600, root / "large", seed=3)
    generate(200, root / "medium", seed=3)
    return root / "small", {"reading": root / "large", "writing": root / "medium"}


@pytest.fixture(scope="module")
def first_run(corpora, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """One run of the small corpus (a process of its own), and the digests of what it wrote."""
    small, _ = corpora
    out = tmp_path_factory.mktemp("first") / "out"
    first = _audit(small, out)
    first.communicate(timeout=300)
    assert first.returncode in (0, 1)
    before = _digests(out)
    assert {"facts.csv", "summary.md", "flags.json", "report.html"} <= set(before)
    return out, before


def _previous_run(first_run: tuple[Path, dict[str, str]], out: Path) -> dict[str, str]:
    """OUT as the first run left its folder: a copy of every file it wrote, hidden ones too."""
    written, before = first_run
    shutil.copytree(written, out, symlinks=True)
    assert _digests(out) == before
    return before


def _wait_for(condition, child: subprocess.Popen, timeout: float = 300) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if condition():
            return True
        time.sleep(0.005)
    return False


def _staging_holds_a_file(out: Path) -> bool:
    return any(any(True for _ in stage.iterdir()) for stage in out.glob(STAGING_PREFIX + "*") if stage.is_dir())


@pytest.mark.parametrize("signum, when, status", [
    (signal.SIGTERM, "writing", 143),
    (signal.SIGTERM, "reading", 143),
    (signal.SIGINT, "writing", 130),
])
def test_a_run_stopped_part_way_leaves_the_previous_outputs_whole(corpora, first_run, tmp_path, signum, when, status):
    _, stopped = corpora
    out = tmp_path / "out"
    before = _previous_run(first_run, out)
    child = _audit(stopped[when], out)
    if when == "writing":
        caught = _wait_for(lambda: _staging_holds_a_file(out), child)
    else:
        caught = _wait_for(lambda: (out / ".auditor.lock").exists(), child)
        time.sleep(1.0)  # the workers are reading
    assert caught and child.poll() is None, "the run ended before it could be stopped"
    processes = _descendants(child.pid)
    os.kill(child.pid, signum)  # the run's own process only, as `kill` or a CI runner sends it
    _, error = child.communicate(timeout=60)
    assert child.returncode == status, (child.returncode, error)
    assert "auditor: interrupted" in error and "Traceback" not in error
    time.sleep(0.3)
    assert not [pid for pid in processes if _alive(pid)], "a child process outlived the run"
    assert _digests(out) == before  # every output as the previous run wrote it: none new, none half
    left = sorted(p.name for p in out.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))
    assert left == [], left


def test_a_whole_run_replaces_every_output_and_leaves_no_staging_folder(corpora, first_run, tmp_path):
    small, _ = corpora
    out = tmp_path / "out"
    before = _previous_run(first_run, out)
    (small / "extra.txt").write_text("2021年,全县共受理行政复议申请10件,其中受理8件。\n", encoding="utf-8")
    try:
        second = _audit(small, out)
        second.communicate(timeout=300)
    finally:
        (small / "extra.txt").unlink()
    after = _digests(out)
    assert set(after) == set(before)
    assert after["facts.csv"] != before["facts.csv"] and after["flags.json"] != before["flags.json"]
    assert not list(out.glob(".*"))


def test_a_staging_folder_a_killed_run_left_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    killed = out / f"{STAGING_PREFIX}999999"
    killed.mkdir()
    (killed / "facts.csv").write_text("half", encoding="utf-8")
    with staging_folder(out) as stage:
        assert stage.is_dir() and not killed.exists()
    assert not stage.exists()


def test_publish_moves_the_last_file_after_the_others(tmp_path):
    out, seen = tmp_path / "out", []
    out.mkdir()
    with staging_folder(out) as stage:
        for name in ("flags.json", "a.csv", "b.md"):
            (stage / name).write_text(name, encoding="utf-8")
        (stage / ".a.csv.x.tmp").write_text("half", encoding="utf-8")
        publish(stage, out, last="flags.json",
                after_others=lambda: seen.append(sorted(p.name for p in out.iterdir() if p.is_file())))
    assert seen == [["a.csv", "b.md"]]
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.md", "flags.json"]
