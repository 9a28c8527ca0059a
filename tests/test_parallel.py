"""Using both cores changes nothing but the time: worker processes read the reports while a
thread imports Great Expectations (auditor/pipeline.py), and a spawned process writes the outputs
that need few figures while this one writes the CSV files (auditor/report/writers.py)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.history import STORE_NAME
from auditor.report import html_report, workbook, writers
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


@pytest.fixture
def aside_always(monkeypatch):
    """Write beside the CSV files whatever the run's size; record which writers went aside."""
    started = []
    write = writers.AsideWriters.write

    def recorded(self, *args):
        names = write(self, *args)
        started.append(names)
        return names

    monkeypatch.setattr(writers, "_ASIDE_MIN_REPORTS", 1)
    monkeypatch.setattr(writers.AsideWriters, "write", recorded)
    return started


def test_every_output_is_the_same_whatever_the_jobs(reports, tmp_path, aside_always):
    one, two = tmp_path / "one", tmp_path / "two"
    assert audit(reports, one, 1).exit_code == 0
    assert aside_always == [[]]
    assert audit(reports, two, 2).exit_code == 0
    assert aside_always[-1] == list(writers._ASIDE)
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


def test_an_error_of_the_aside_writers_reaches_the_user(reports, tmp_path, aside_always):
    out = tmp_path / "out"
    (out / "flags.xlsx").mkdir(parents=True)  # the workbook cannot be written, nor read for reviews
    result = audit(reports, out, 2)
    assert aside_always[-1] == list(writers._ASIDE)
    assert result.exit_code == 2
    assert "flags.xlsx" in result.output
    assert (out / "facts.csv").exists()  # written meanwhile, here
    assert not (out / "flags.json").exists()  # written last, only when everything else is


def test_the_aside_writers_choose_the_same_figures_from_what_they_receive(seed_audit, config, monkeypatch):
    # Capped at 7 rows, the workbook lists the flagged reports' first figures; the HTML report
    # charts every mediation rate. Both choose the same rows from the few figures sent aside.
    monkeypatch.setattr(workbook, "_MAX_FACT_ROWS", 7)
    slim = writers._for_aside(seed_audit)
    facts = seed_audit.frames.facts
    assert len(facts) > len(slim.frames.facts) > 7
    assert workbook.listed_facts(slim.frames.facts, slim.flags).equals(workbook.listed_facts(facts, seed_audit.flags))
    charted = html_report.mediation_facts(facts)
    assert len(charted) and html_report.mediation_facts(slim.frames.facts).equals(charted)
    assert workbook.workbook_bytes(slim) == workbook.workbook_bytes(seed_audit)
    assert html_report.render_html(slim, config) == html_report.render_html(seed_audit, config)


def test_the_aside_process_is_stopped_when_the_run_fails_before_writing(monkeypatch):
    monkeypatch.setattr(writers, "_ASIDE_MIN_REPORTS", 1)
    with pytest.raises(RuntimeError, match="the checks failed"):
        with writers.AsideWriters(None, jobs=2) as aside:
            aside.prepare(1)
            processes = list(aside._executor._processes.values())
            raise RuntimeError("the checks failed")
    assert aside._executor is None
    for process in processes:
        process.join(timeout=10)
        assert not process.is_alive()
