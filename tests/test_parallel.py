"""Using both cores changes nothing but the time: worker processes read the reports
(auditor/pipeline.py) and the records come back in input order."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from auditor import pipeline
from auditor.cli import app
from auditor.history import STORE_NAME
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
    assert "flags.xlsx" in names and "gx_validation.json" not in names  # GX's own output only when asked
    for name in names:
        if name == STORE_NAME:  # the history store, a database file: what it holds is compared instead
            continue
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    from auditor.history.store import HistoryStore

    stored = [HistoryStore(folder / STORE_NAME).query("SELECT report, sha256 FROM reports ORDER BY report").values.tolist()
              for folder in (one, two)]
    assert stored[0] == stored[1] and stored[0]


class _Pool:
    def __init__(self):
        self.shutdowns = []

    def shutdown(self, wait=True, *, cancel_futures=False):
        self.shutdowns.append((wait, cancel_futures))


def _results(error):
    yield "first"
    raise error


@pytest.mark.parametrize("error, shutdown", [
    # a stopped run's workers are gone, one maybe half-way through sending: waiting would hang
    (KeyboardInterrupt(), (False, True)),
    (ValueError("a reader's bug"), (True, False)),
])
def test_a_stopped_read_leaves_the_pool_without_waiting_on_its_workers(error, shutdown):
    pool = _Pool()
    drained = pipeline._drain(pool, _results(error))
    assert next(drained) == "first"
    with pytest.raises(type(error)):
        next(drained)
    assert pool.shutdowns == [shutdown]
