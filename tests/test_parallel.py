"""Using both cores changes nothing but the time: worker processes read the reports while a
thread imports Great Expectations (auditor/pipeline.py)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import SEEDS

runner = CliRunner()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Ten reports: the seeds, and each again under another name (enough for two workers)."""
    folder = tmp_path_factory.mktemp("reports")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        shutil.copy(seed, folder / f"copy_{seed.name}")
    return folder


def audit(folder, out, jobs):
    return runner.invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", str(jobs), "-q", "--fail-on", "never"])


def test_every_output_is_the_same_whatever_the_jobs(reports, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert audit(reports, one, 1).exit_code == 0
    assert audit(reports, two, 2).exit_code == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert "flags.xlsx" in names and "gx_validation.json" in names
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
