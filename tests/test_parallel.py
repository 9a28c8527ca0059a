"""Using both cores changes nothing but the time: worker processes read the reports, a thread
imports Great Expectations meanwhile, and a forked process writes the workbook and junit.xml
beside the other writers (auditor/pipeline.py, auditor/report/writers.py)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import AuditorError
from auditor.report import writers
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


@pytest.fixture
def aside_always(monkeypatch):
    """Fork the aside writers whatever the run's size; record which were."""
    started = []

    class Recorded(writers._Aside):
        def __init__(self, *args):
            started.append(args[0])
            super().__init__(*args)

    monkeypatch.setattr(writers, "_ASIDE_MIN_REPORTS", 1)
    monkeypatch.setattr(writers, "_Aside", Recorded)
    return started


def audit(folder, out, jobs):
    return runner.invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", str(jobs), "-q", "--fail-on", "never"])


def test_every_output_is_the_same_whatever_the_jobs(reports, tmp_path, aside_always):
    one, two = tmp_path / "one", tmp_path / "two"
    assert audit(reports, one, 1).exit_code == 0
    assert aside_always == []
    assert audit(reports, two, 2).exit_code == 0
    assert aside_always == [["xlsx", "junit"]]
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert "flags.xlsx" in names and "gx_validation.json" in names
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def _fails(message, user_error):
    def writer(out, result, config):
        raise AuditorError(message) if user_error else ValueError(message)
    return writer


@pytest.mark.parametrize(("user_error", "status"), [(True, 2), (False, 3)])
def test_an_error_in_the_forked_writer_reaches_the_user(reports, tmp_path, aside_always, monkeypatch, user_error,
                                                        status):
    monkeypatch.setitem(writers.WRITERS, "xlsx", _fails("the workbook is open in another program", user_error))
    result = audit(reports, tmp_path / "out", 2)
    assert aside_always == [["xlsx", "junit"]]
    assert result.exit_code == status
    assert "the workbook is open in another program" in result.output
    assert not (tmp_path / "out" / "flags.json").exists()  # written last, after the workbook
