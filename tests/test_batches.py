"""A run checked in batches (auditor.pipeline.AuditRun) writes what a run held whole writes, byte
for byte, and holds the figures of one batch at a time: the checks across reports (a rate's spread
across the run, last year's report in another batch) see the whole run all the same."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from auditor import cli
from auditor.history import STORE_NAME
from auditor.history.store import HistoryStore
from auditor.columns import RECORD_SUMMARY
from auditor.pipeline import AuditRun, audit
from auditor.report import html_report, workbook, writers
from auditor.spill import Packed
from tests.conftest import SEEDS

runner = CliRunner()


def _report(body: str, year: int, accepted: int, carried_out: int, change: str = "") -> str:
    return (f"{body}{year}年政府信息公开工作年度报告\n"
            f"{year}年,全县共受理行政复议案件{accepted}件{change}。\n"
            f"本年度收到政府信息公开申请{accepted * 3}件,上年结转{accepted // 2}件,结转下年度继续办理{carried_out}件。\n")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The seeds, and three bodies' reports whose last year's report sorts before, after or
    beside them, so that batches of two put most of them apart."""
    folder = tmp_path_factory.mktemp("reports")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    texts = {
        "a_2022.txt": _report("甲县", 2022, 58, 3, ",同比下降15%"),
        "m_2021.txt": _report("乙县", 2021, 40, 7),
        "n_2022.txt": _report("乙县", 2022, 400, 2, ",同比上升900%"),
        "y_2023.txt": _report("丙县", 2023, 12, 1),
        "z_2021.txt": _report("甲县", 2021, 61, 5),
        "b_2022.txt": _report("丙县", 2022, 30, 4),
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _audit(folder, out, batch_reports, monkeypatch, *options):
    monkeypatch.setattr(cli, "BATCH_REPORTS", batch_reports)
    return runner.invoke(cli.app, ["audit", str(folder), "--out", str(out), "-q", "--fail-on", "never", *options])


def _stored(folder):
    store = HistoryStore(folder / STORE_NAME)
    return (store.query("SELECT report, sha256, year FROM reports ORDER BY report").values.tolist(),
            store.query("SELECT r.report, f.fact_id, f.metric, f.value_num FROM facts f JOIN reports r "
                        "USING (report_id) ORDER BY r.report, f.fact_id").values.tolist())


def test_every_output_is_the_same_whatever_the_batch_size(reports, tmp_path, monkeypatch):
    whole, batched, jobs = tmp_path / "whole", tmp_path / "batched", tmp_path / "jobs"
    assert _audit(reports, whole, 1000, monkeypatch).exit_code == 0
    assert _audit(reports, batched, 2, monkeypatch).exit_code == 0
    assert _audit(reports, jobs, 3, monkeypatch, "--jobs", "2").exit_code == 0
    names = sorted(p.name for p in whole.iterdir())
    assert "relations.csv" in names and "flags.xlsx" in names
    relations = (whole / "relations.csv").read_text(encoding="utf-8-sig")
    for op in ("yoy", "jump"):  # last year's report found in another batch
        assert f",{op}," in relations, op
    for out in (batched, jobs):
        assert sorted(p.name for p in out.iterdir()) == names
        for name in names:
            if name != STORE_NAME:  # a database file: what it holds is compared below
                assert (whole / name).read_bytes() == (out / name).read_bytes(), (out.name, name)
        assert _stored(out) == _stored(whole)
    reports_stored, facts_stored = _stored(whole)
    assert len(reports_stored) == 11 and facts_stored


def test_last_years_reports_from_the_store_reach_each_batch_as_in_one(reports, tmp_path, monkeypatch):
    # the 2021 reports are recorded by an earlier run; the next run, in batches of 2 or whole,
    # takes them from the store: a batch gets the figures of those its reports link to
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    for name in ("m_2021.txt", "z_2021.txt"):
        shutil.copy(reports / name, earlier / name)
    rest = tmp_path / "rest"
    shutil.copytree(reports, rest, ignore=shutil.ignore_patterns("*_2021.txt"))
    outs = {}
    for size in (1000, 2):
        store = tmp_path / f"store-{size}.duckdb"
        assert _audit(earlier, tmp_path / f"first-{size}", 1000, monkeypatch, "--history", str(store)).exit_code == 0
        outs[size] = tmp_path / f"then-{size}"
        assert _audit(rest, outs[size], size, monkeypatch, "--history", str(store)).exit_code == 0
    relations = (outs[1000] / "relations.csv").read_text(encoding="utf-8-sig")
    assert ",jump," in relations and "z_2021.txt" in relations  # last year's, from the store
    for name in sorted(p.name for p in outs[1000].iterdir()):
        assert (outs[1000] / name).read_bytes() == (outs[2] / name).read_bytes(), name


def test_a_batch_holds_its_own_figures_only(reports, config):
    seen = []
    with AuditRun([reports], config, batch_reports=3) as run:
        for batch in run.batches():
            inside = {r.document["report"] for r in batch.records}
            assert set(batch.frames.facts["report"]) <= inside
            assert set(batch.frames.documents["report"]) == inside
            # a batch's columns move into its frames; the others' wait on disk, but the last batch's,
            # which never left memory
            holding = {r.document["report"] for r in run.records if r.facts is not None}
            seen.append(holding)
        result = run.result()
    last = {r.document["report"] for r in run.records[-2:]}
    assert len(seen) == 4 and all(holding <= last for holding in seen) and not seen[-1]
    assert run._spill._folder is None  # the run's pieces on disk are gone with it
    whole = audit([reports], config)
    assert [f.id for f in result.flags] == [f.id for f in whole.flags]
    assert result.flags == whole.flags


@pytest.fixture(scope="module")
def rated(reports, tmp_path_factory):
    """The reports, and six bodies' that state a people's-mediation success rate: enough for
    RANGE003's spread across the run, one of them far from the others."""
    folder = tmp_path_factory.mktemp("rated")
    shutil.copytree(reports, folder, dirs_exist_ok=True)
    for i, rate in enumerate((91.5, 92.5, 93.5, 94.5, 95.5, 40.5), start=1):
        (folder / f"d{i}_2022.txt").write_text(f"丁{i}县2022年政府信息公开工作年度报告\n"
                                               f"2022年,全县共调解矛盾纠纷{i}00件,人民调解成功率为{rate}%。\n",
                                               encoding="utf-8")
    return folder


def test_each_batch_reads_the_runs_spread_of_a_rate_and_its_links_from_disk(rated, config):
    # RANGE003's columns are the run's: computed once, then each batch's rows wait on disk beside
    # it, as do its links to last year's reports; the batches' figures carry what the run's do
    from auditor.columns import OUTLIER_COLUMNS

    columns = ["fact_key", *OUTLIER_COLUMNS, "previous_report"]

    def linked(frames):
        return frames.facts.merge(frames.documents[["report", "previous_report"]], on="report")[columns]

    expected = linked(audit([rated], config).frames)
    with AuditRun([rated], config, batch_reports=2) as run:
        found = pd.concat([linked(batch.frames) for batch in run.batches()], ignore_index=True)
    assert expected["robust_z"].notna().sum() >= 6 and expected["previous_report"].notna().sum() >= 3
    assert found.sort_values("fact_key").reset_index(drop=True).equals(
        expected.sort_values("fact_key").reset_index(drop=True))


def test_a_rate_far_from_the_runs_is_flagged_alike_in_batches(rated, tmp_path, monkeypatch):
    whole, batched = tmp_path / "whole", tmp_path / "batched"
    assert _audit(rated, whole, 1000, monkeypatch).exit_code == 0
    assert _audit(rated, batched, 2, monkeypatch).exit_code == 0
    assert ",RANGE003," in (whole / "flags.csv").read_text(encoding="utf-8-sig")
    for name in sorted(p.name for p in whole.iterdir()):
        if name != STORE_NAME:
            assert (whole / name).read_bytes() == (batched / name).read_bytes(), name


def test_a_suite_that_tolerates_failing_rows_sees_the_run_whole(reports, config):
    # `mostly` judges the share of a whole table's rows: its run is one batch
    suites = json.loads(json.dumps(config.suites))
    suites["facts"]["expectations"][0]["kwargs"]["mostly"] = 0.5
    tolerant = type(config)(**{**config.__dict__, "suites": suites})
    assert AuditRun([reports], tolerant, batch_reports=2).batch_reports is None
    assert AuditRun([reports], config, batch_reports=2).batch_reports == 2


def test_the_run_on_disk_is_removed_when_a_batch_fails(reports, config, monkeypatch):
    from auditor import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a check failed")

    monkeypatch.setattr(pipeline, "batch_frames", broken)
    with pytest.raises(RuntimeError, match="a check failed"):
        with AuditRun([reports], config, batch_reports=2) as run:
            for _ in run.batches():
                pass
    assert run._spill._folder is None


def test_the_figures_kept_for_the_last_outputs_give_them_unchanged(seed_audit, config, monkeypatch):
    # Capped at 7 rows, the workbook lists the flagged reports' first figures, and chooses the
    # same rows from the figures a run of several batches keeps. The HTML report's chart has its
    # rates gathered a batch at a time (here a report to a batch), and draws the same from them.
    monkeypatch.setattr(workbook, "_MAX_FACT_ROWS", 7)
    facts = seed_audit.frames.facts
    flagged = {flag.report for flag in seed_audit.flags}
    kept = writers.shown_facts(facts, flagged)
    assert len(facts) > len(kept) == 7
    slim = type(seed_audit)(seed_audit.records, type(seed_audit.frames)(seed_audit.frames.documents, kept,
                                                                        seed_audit.frames.relations.iloc[:0]),
                            seed_audit.flags, None, {}, seed_audit.lang, seed_audit.formats)
    assert workbook.listed_facts(kept, flagged).equals(workbook.listed_facts(facts, flagged))
    assert workbook.workbook_bytes(slim) == workbook.workbook_bytes(seed_audit)
    rates = html_report.MediationRates()
    for _, rows in facts.groupby("report", sort=False):
        rates.add(rows)
    assert rates.reports > 1 and len(rates.values) >= rates.reports
    assert html_report.render_html(slim, config, rates) == html_report.render_html(seed_audit, config)


def test_the_mediation_chart_gathered_in_batches_is_the_runs(monkeypatch):
    # the rates outside their range listed up to the cap, in the run's order, the rest counted
    monkeypatch.setattr(html_report, "MAX_RATES_LISTED", 2)
    values = [97.5, 12.0, 99.0, 100.0, 5.0, float("nan"), 3.0, 98.0]
    facts = pd.DataFrame({
        "report": [f"r{i // 2}" for i in range(len(values))], "kind": "rate", "metric": "success_rate",
        "family": ["people_mediation"] * 7 + ["administrative_reconsideration"],
        "value_num": values, "plausible_min": [80.0] * 4 + [None] * 4, "plausible_max": [100.0] * 4 + [None] * 4,
        "text": [f"调解成功率为{v}%" for v in values], "line": range(1, len(values) + 1)})
    facts.loc[6, ["plausible_min", "plausible_max"]] = (60.0, 100.0)
    whole = html_report.MediationRates.of(facts)
    gathered = html_report.MediationRates()
    for start in range(0, len(facts), 2):  # a batch holds whole reports
        gathered.add(facts.iloc[start:start + 2])
    gathered.add(facts.iloc[:0])
    assert gathered == whole
    assert list(whole.values) == [97.5, 12.0, 99.0, 100.0, 5.0, 3.0]
    assert whole.reports == 4 and whole.bands == {(80.0, 100.0), (60.0, 100.0)}
    assert list(whole.outside_values) == [12.0, 3.0] and [r.line for r in whole.outside] == [2, 7]
    chart = html_report._mediation_chart(gathered, 5)
    assert "6 rate(s) from 4 of 5 report(s)" in chart and "2 rate(s) outside it" in chart
    monkeypatch.setattr(html_report, "MAX_RATES_LISTED", 1)
    capped = html_report.MediationRates.of(facts)
    assert [r.line for r in capped.outside] == [2]
    assert "… 1 more; every figure is in facts.csv." in html_report._mediation_chart(capped, 5)


def test_history_records_a_run_in_batches_as_one(tmp_path, config):
    # the same name in two folders is two reports, not a corrected version of the first batch's;
    # the same file under two names is recorded once
    from auditor.history.tracked import History

    folder = tmp_path / "in"
    for sub, body, accepted in (("x", "甲县", 58), ("y", "乙县", 40)):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "r.txt").write_text(_report(body, 2022, accepted, 3), encoding="utf-8")
    (folder / "y" / "same.txt").write_text(_report("甲县", 2022, 58, 3), encoding="utf-8")
    (folder / "y" / "zz.doc").write_bytes(b"\xd0\xcf")  # refused: a batch with no report to record
    stored = []
    for batch_reports in (1, None):
        history = History(tmp_path / f"h{batch_reports}.duckdb")
        with AuditRun([folder], config, history=history, batch_reports=batch_reports) as run:
            for _ in run.batches():
                pass
        assert not history.notes
        recorded = history.recorded
        stored.append(((recorded.added, recorded.replaced, recorded.unchanged),
                       history.store.query("SELECT name, issuer_key FROM reports ORDER BY name, issuer_key")
                       .values.tolist()))
    assert stored[0] == stored[1]
    assert stored[0][0] == (2, 0, 0) and len(stored[0][1]) == 2


def _bodies(folder, count):
    folder.mkdir()
    for i in range(count):
        (folder / f"r{i}.txt").write_text(_report(f"{'甲乙丙丁戊'[i]}县", 2022, 40 + i, 3), encoding="utf-8")
    return folder


def test_a_run_in_batches_leaves_the_store_closed_and_whole(tmp_path, config):
    # the batches share one connection; once the last is recorded the store is one file again,
    # which another step of the same process opens read-only
    from auditor.history.tracked import History

    store = tmp_path / "h.duckdb"
    history = History(store)
    with AuditRun([_bodies(tmp_path / "in", 5)], config, history=history, batch_reports=2) as run:
        batches = sum(1 for _ in run.batches())
    assert batches == 3 and not history.notes
    assert not store.with_name(store.name + ".wal").exists()
    assert HistoryStore(store).query("SELECT count(*) FROM reports").iloc[0, 0] == 5
    assert history.recorded.added == 5


def test_a_run_stopped_between_batches_keeps_what_it_recorded(tmp_path, config):
    from auditor.history.tracked import History

    store = tmp_path / "h.duckdb"
    history = History(store)
    with AuditRun([_bodies(tmp_path / "in", 5)], config, history=history, batch_reports=2) as run:
        next(iter(run.batches()))  # a stop after the first batch: its connection stays open
        assert HistoryStore(store).query("SELECT count(*) FROM reports").iloc[0, 0] == 2
    # a later run of the same process records the rest
    again = History(store)
    with AuditRun([tmp_path / "in"], config, history=again, batch_reports=2) as run:
        for _ in run.batches():
            pass
    assert not again.notes and (again.recorded.added, again.recorded.unchanged) == (3, 2)
    assert HistoryStore(store).query("SELECT count(*) FROM reports").iloc[0, 0] == 5


def test_last_years_report_without_figures_in_another_batch(tmp_path, config):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_2022.txt").write_text(_report("甲县", 2022, 58, 3, ",同比下降15%"), encoding="utf-8")
    (folder / "z_2021.txt").write_text("甲县2021年政府信息公开工作年度报告\n本县依法公开政府信息。\n", encoding="utf-8")
    runs = []
    for batch_reports in (1, None):
        with AuditRun([folder], config, batch_reports=batch_reports) as run:
            for _ in run.batches():
                pass
            runs.append(run.result())
    assert [r.document.get("previous_report") for r in runs[0].records] == \
        [r.document.get("previous_report") for r in runs[1].records]
    assert runs[0].records[0].document["previous_report"].endswith("z_2021.txt")
    assert runs[0].flags == runs[1].flags


def test_extract_writes_the_same_files_in_batches(reports, tmp_path, monkeypatch):
    outs = []
    for batch_reports in (1000, 2):
        monkeypatch.setattr(cli, "BATCH_REPORTS", batch_reports)
        out = tmp_path / str(batch_reports)
        result = runner.invoke(cli.app, ["extract", str(reports), "--out", str(out), "-q"])
        assert result.exit_code == 0, result.output
        outs.append(out)
    for name in ("facts.csv", "reports.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert len((outs[0] / "facts.csv").read_text(encoding="utf-8-sig").splitlines()) > 100


def test_a_full_temporary_folder_is_a_clear_error(reports, tmp_path, monkeypatch):
    import errno

    from auditor import spill

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spill, "open", full, raising=False)
    monkeypatch.setattr(cli, "BATCH_REPORTS", 2)
    result = runner.invoke(cli.app, ["audit", str(reports), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("auditor: error: cannot write ") and "no space left on device" in last
    assert "TMPDIR" in last
    assert not list((tmp_path / "out").glob("*.csv"))  # nothing published


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path, monkeypatch):
    import os
    import socket
    import subprocess
    import sys

    from auditor import spill

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()  # a process id no longer running
    host = socket.gethostname()
    folders = {name: tmp_path / f"{spill.PREFIX}{name}" for name in (
        f"{host}-{gone}-k1ll3d",          # killed on this host: removed
        f"{host}-{os.getppid()}-l1v3",    # a run still going on: kept
        f"other-host-{gone}-sh4r3d",      # another host's, in a shared folder: cannot be judged, kept
        "4bcd3f_9",                       # a name of another form: not a run's of this kind, kept
    )}
    for folder in folders.values():
        folder.mkdir()
        (folder / "batch-0").write_bytes(b"figures")
    monkeypatch.setattr(spill.tempfile, "tempdir", str(tmp_path))
    with spill.Spill() as run:
        run.append("batch-0", [1, 2])
        own = run._folder
        assert own.parent == tmp_path and own.name.startswith(f"{spill.PREFIX}{host}-{os.getpid()}-")
        assert [name for name, folder in folders.items() if not folder.exists()] == [f"{host}-{gone}-k1ll3d"]
        assert own.exists()
    assert not own.exists()


def test_packed_records_read_back_as_a_sequence_in_the_order_added():
    packed = Packed()
    batches = [[{"report": f"r{i}", "n": i} for i in range(start, start + size)]
               for start, size in ((0, 3), (3, 1), (4, 2))]
    for batch in batches:
        packed.add(batch)
    every = [row for batch in batches for row in batch]
    assert len(packed) == 6 and packed.pieces == 3
    assert list(packed) == every
    assert [packed[i] for i in range(-6, 6)] == every + every
    assert packed[1:5] == every[1:5] and packed[::-2] == every[::-2]
    with pytest.raises(IndexError):
        packed[6]
    assert packed.take(1) == batches[1]
    assert packed.piece(2) == batches[2]


def test_a_run_of_several_batches_gives_the_records_of_a_run_of_one(config, reports):
    # batches of 4: two full ones wait packed while the last is read; the links to last year's
    # reports reach the packed summaries too
    with AuditRun([reports], config) as whole:
        list(whole.batches())
        expected = whole.result().records
    with AuditRun([reports], config, batch_reports=4) as batched:
        list(batched.batches())
        records = batched.result().records
    assert isinstance(records, Packed) and records.pieces == 3
    assert sum(bool(r.document.get("previous_report")) for r in records) >= 3
    assert [r.document for r in records] == [{name: r.document[name] for name in RECORD_SUMMARY
                                              if name in r.document} for r in expected]


def test_what_a_run_keeps_between_batches_holds_no_batchs_arrays(reports, config, monkeypatch):
    # an empty slice of a frame (iloc[:0]) is a view that keeps each column's whole array alive,
    # and with an object column every value in it: the run's empty frames, kept from batch to
    # batch, and its context without what each batch reads from disk are copies that hold nothing
    import numpy as np

    contexts = []
    context_of = AuditRun._context_of
    monkeypatch.setattr(AuditRun, "_context_of",
                        lambda run, index, context: contexts.append(context) or context_of(run, index, context))
    with AuditRun([reports], config, batch_reports=2) as run:
        for _ in run.batches():
            pass
        kept = [run._empty.documents, run._empty.facts, run._empty.relations]
    assert len(contexts) > 2
    kept += [contexts[0].documents, contexts[0].outliers]
    for frame in kept:
        assert len(frame) == 0 and len(frame.columns) > 2
        for name in frame.columns:
            array = np.asarray(frame[name].array)
            assert array.base is None or array.base.size == 0, name
