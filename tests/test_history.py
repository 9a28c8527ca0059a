"""The history store and the checks across years: the issuing body as an identity, recording
(same file, corrected file), two writers at once, a locked or corrupt store, the store and the
run as one code path, and `auditor history`."""

from __future__ import annotations

import json
import multiprocessing
import os
import warnings
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.frames import links_of
from auditor.history.store import HistoryStore
from auditor.history.tracked import History
from auditor.ingest.issuer import normalise, parents_agree, read_issuer
from auditor.ingest.metadata import read_metadata
from auditor.pipeline import extract
from tests.conftest import REAL_REPORTS

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real_reports"
OPS = ("yoy", "carry", "stock", "jump")


@pytest.fixture(scope="module")
def config():
    return load_config()


def _report(body: str, year: int, accepted: int, extra: str = "") -> str:
    return f"{body}{year}年法治政府建设年度报告\n{year}年,全县共受理行政复议案件{accepted}件{extra}。\n"


def _extract(paths, config, history=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(paths, config, 1, history=history)[1]


def _across(frames) -> list[tuple]:
    r = frames.relations
    r = r[r["op"].isin(OPS)]
    return sorted((Path(x.report).name, x.op, x.stated_expr, x.computed_expr, x.computed_value, x.interval_gap,
                   tuple((e["text"], e["line"]) for e in x.evidence)) for x in r.itertuples())


# --- the issuing body --------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("河北省科技厅", "河北省科学技术厅"),           # a short form written out
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),       # the city named or not
    ("平潭综合实验区管委会", "福建省平潭综合实验区"),  # the organ of a government dropped
    ("北川县人民政府", "北川县政府"),
])
def test_one_body_under_several_names(config, a, b):
    (key_a, parents_a), (key_b, parents_b) = normalise(a, config.issuers), normalise(b, config.issuers)
    assert key_a == key_b and parents_agree(parents_a, parents_b)


@pytest.mark.parametrize("a, b", [
    ("北川县人民政府", "北川县司法局"),                 # a government and its department
    ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"),   # one name under two cities
    ("平潭县人民政府", "平潭综合实验区管委会"),
    ("某县人民政府", "某县人民政府办公室"),             # the government's office publishes its own report
])
def test_two_bodies_stay_apart(config, a, b):
    (key_a, parents_a), (key_b, parents_b) = normalise(a, config.issuers), normalise(b, config.issuers)
    assert key_a != key_b or not parents_agree(parents_a, parents_b)


@pytest.mark.parametrize("text, name", [
    ("河北省科技厅2016年政府信息公开工作年度报告\n本报告依据条例编制。\n", "河北省科技厅"),
    ("- 1 -\n洪泽区人民政府\n2023 年政府信息公开工作年度报告\n本报告由区政府办公室编制。\n", "洪泽区人民政府"),
    ("标题: 平潭综合实验区管委会关于报送2023年法治政府建设情况的函\n发布时间: 2024-02-28\n现将情况报送如下，请审阅。\n",
     "平潭综合实验区管委会"),
    ("2022年政府信息公开工作年度报告\n本报告依据条例编制，全年受理申请3件。\n\n东坡县司法局\n2023年1月20日\n", "东坡县司法局"),
])
def test_the_body_is_read_from_title_heading_or_signature(config, text, name):
    endings = tuple(e for words in config.report_text.issuer_endings.values() for e in words)
    issuer = read_issuer(text, read_metadata(text), config.issuers, endings)
    assert issuer is not None and issuer.name == name


def test_a_title_without_a_body_and_no_signature_names_none(config):
    text = "关于2014年政府信息公开工作要点落实情况的函\n现将有关情况函告如下，全年公开信息20条。\n"
    endings = tuple(e for words in config.report_text.issuer_endings.values() for e in words)
    assert read_issuer(text, read_metadata(text), config.issuers, endings) is None


# --- the store and the run: one code path -------------------------------------------------------

def test_last_years_report_from_the_store_gives_the_same_check_as_in_one_run(tmp_path, config):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    last = tmp_path / "a" / "2021.txt"
    this = tmp_path / "b" / "2022.txt"
    last.write_text(_report("某县", 2021, 61), encoding="utf-8")
    this.write_text(_report("某县", 2022, 58, ",同比下降15%"), encoding="utf-8")
    one_run = _across(_extract([last, this], config))
    store = tmp_path / "h.duckdb"
    first = History(store)
    frames = _extract([last], config, first)
    first.record(frames.documents, frames.facts)
    second = History(store)
    frames = _extract([this], config, second)
    assert one_run and _across(frames) == one_run
    assert frames.documents["previous_report"].tolist() == [str(last).replace(os.sep, "/")]
    evidence = frames.relations[frames.relations["op"] == "yoy"]["evidence"].iloc[0]
    assert evidence[-1]["path"] == str(last.resolve()) and evidence[-1]["line"] == 2
    assert not first.notes and not second.notes


def test_a_rerun_takes_from_the_store_only_last_years_reports_it_lacks(tmp_path, config):
    # the second run holds 2021 and 2022 again, and 2023 anew: its own reports (the same files,
    # recorded by the first run) are never loaded from the store; 2020, which it lacks, is
    reports = {}
    for year, accepted in ((2020, 70), (2021, 61), (2022, 58), (2023, 52)):
        reports[year] = tmp_path / f"{year}.txt"
        reports[year].write_text(_report("某县", year, accepted), encoding="utf-8")
    store = tmp_path / "h.duckdb"
    first = History(store)
    frames = _extract([reports[2020], reports[2021], reports[2022]], config, first)
    first.record(frames.documents, frames.facts)
    second = History(store)
    again = [reports[2021], reports[2022], reports[2023]]
    records, _ = extract(again, config, 1)
    prior = second.prior_reports(links_of(records))
    assert prior.documents["report"].map(lambda r: Path(r).name).tolist() == ["2020.txt"]
    assert set(prior.facts["report"]) == set(prior.documents["report"])
    frames = _extract(again, config, History(store))
    assert frames.documents["previous_report"].map(lambda r: Path(r).name).tolist() == \
        ["2020.txt", "2021.txt", "2022.txt"]


def test_reauditing_the_same_file_changes_nothing_and_a_corrected_file_keeps_its_id(tmp_path, config):
    report = tmp_path / "2021.txt"
    report.write_text(_report("某县", 2021, 61), encoding="utf-8")
    store = tmp_path / "h.duckdb"
    for expected in ((1, 0, 0), (0, 0, 1)):
        history = History(store)
        frames = _extract([report], config, history)
        history.record(frames.documents, frames.facts)
        assert (history.recorded.added, history.recorded.replaced, history.recorded.unchanged) == expected
    before = HistoryStore(store).query("SELECT report_id, sha256 FROM reports")
    report.write_text(_report("某县", 2021, 63), encoding="utf-8")  # corrected
    history = History(store)
    frames = _extract([report], config, history)
    history.record(frames.documents, frames.facts)
    after = HistoryStore(store).query("SELECT report_id, sha256 FROM reports")
    figures = HistoryStore(store).query("SELECT value FROM facts WHERE metric = 'accepted'")
    assert history.recorded.replaced == 1 and len(after) == 1
    assert after["report_id"].tolist() == before["report_id"].tolist()
    assert after["sha256"].tolist() != before["sha256"].tolist() and figures["value"].tolist() == ["63"]


def _record_in_process(store: str, folder: str, body: str, years: list[int]) -> None:
    config = load_config()
    for year in years:
        path = Path(folder) / f"{body}{year}.txt"
        path.write_text(_report(body, year, 40 + year % 7), encoding="utf-8")
        history = History(Path(store), wait=60)
        frames = _extract([path], config, history)
        history.record(frames.documents, frames.facts)
        assert not history.notes, history.notes


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    store = tmp_path / "h.duckdb"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_record_in_process, args=(str(store), str(tmp_path), body, list(range(2010, 2016))))
               for body in ("甲县", "乙县")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    reports = HistoryStore(store).query("SELECT issuer_key, count(*) AS n, count(DISTINCT report_id) AS ids "
                                        "FROM reports GROUP BY issuer_key ORDER BY issuer_key")
    assert reports.values.tolist() == [["乙县", 6, 6], ["甲县", 6, 6]]
    facts = HistoryStore(store).query("SELECT count(*) AS n FROM facts f JOIN reports r USING (report_id)")
    assert int(facts["n"].iloc[0]) >= 12


def test_a_corrupt_store_is_named_and_the_audit_runs_without_it(tmp_path, config):
    report = tmp_path / "r" / "2021.txt"
    report.parent.mkdir()
    report.write_text(_report("某县", 2021, 61), encoding="utf-8")
    store = tmp_path / "h.duckdb"
    store.write_bytes(b"not a database" * 1000)
    history = History(store)
    frames = _extract([report.parent], config, history)
    history.record(frames.documents, frames.facts)
    assert len(frames.documents) == 1 and not history.usable
    assert "cannot be read as a history store" in history.notes[0] and "not recorded" in history.notes[-1]
    assert store.read_bytes() == b"not a database" * 1000  # left for the user to look at


def _hold_lock(store: str, ready, release) -> None:
    import duckdb

    con = duckdb.connect(store)
    ready.set()
    release.wait(60)
    con.close()


def test_a_locked_store_is_named_and_the_audit_runs_without_it(tmp_path, config):
    report = tmp_path / "2021.txt"
    report.write_text(_report("某县", 2021, 61), encoding="utf-8")
    store = tmp_path / "h.duckdb"
    HistoryStore(store).connect().close()
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(store), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        history = History(store, wait=0.5)
        frames = _extract([report], config, history)
        history.record(frames.documents, frames.facts)
    finally:
        release.set()
        holder.join(60)
    assert len(frames.documents) == 1 and not history.usable
    assert "locked by another process" in history.notes[0]


def test_the_cli_audits_with_a_deleted_or_corrupt_store_and_says_so(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "2021.txt").write_text(_report("某县", 2021, 61), encoding="utf-8")
    store = tmp_path / "h.duckdb"
    store.write_text("garbage", encoding="utf-8")
    command = ["audit", str(reports), "--out", str(tmp_path / "out"), "--history", str(store), "--format", "json", "-q"]
    run = _cli(*command)
    assert run.exit_code == 0 and (tmp_path / "out" / "flags.json").is_file()
    assert "auditor: history:" in run.stderr and "cannot be read" in run.stderr
    store.unlink()
    run = _cli(*command)
    assert run.exit_code == 0 and "no history store yet" in run.stderr and store.is_file()


def _cli(*args):
    """The command line, run in this process (typer's CliRunner keeps stdout and stderr apart)."""
    from typer.testing import CliRunner

    from auditor.cli import app

    return CliRunner().invoke(app, list(args))


def test_history_commands_show_bodies_years_figures_and_export(tmp_path, config):
    store = tmp_path / "h.duckdb"
    for year in (2019, 2020, 2022):
        path = tmp_path / f"{year}.txt"
        path.write_text(_report("北川县人民政府", year, 40 + year % 10), encoding="utf-8")
        history = History(store)
        frames = _extract([path], config, history)
        history.record(frames.documents, frames.facts)
    run = lambda *args: _cli("history", *args, "--history", str(store))
    table = run()
    assert table.exit_code == 0
    row = next(line for line in table.stdout.splitlines() if line.startswith("北川县"))
    assert row.split("\t")[-1] == "2021" and "·" in row
    shown = run("show", "北川县")
    assert shown.exit_code == 0 and "accepted" in shown.stdout and "49" in shown.stdout and "42" in shown.stdout
    exported = run("export", str(tmp_path / "export"), "--format", "csv")
    assert exported.exit_code == 0
    import pandas as pd

    facts = pd.read_csv(tmp_path / "export" / "history_facts.csv")
    assert set(facts["year"]) == {2019, 2020, 2022} and set(facts["issuer_key"]) == {"北川县"}


@pytest.mark.skipif(not REAL.is_dir(), reason="real reports not found beside the repository")
def test_real_reports_year_by_year_give_the_cross_year_checks_of_one_run(tmp_path, config, real_extract):
    """The real reports audited oldest year first, each year a run of its own with the store,
    link the same reports and give the same relations across years as one run of them all
    (REAL_EXTRACT: that one run, without a store)."""
    assert REAL == REAL_REPORTS
    _, one = real_extract
    by_year: dict[int, list[Path]] = {}
    for line in (REAL / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        by_year.setdefault(entry["year"], []).append(REAL / f"{entry['id']}.txt")
    store = tmp_path / "h.duckdb"
    yearly, links = [], []
    for year in sorted(by_year):
        history = History(store)
        frames = _extract(sorted(by_year[year]), config, history)
        history.record(frames.documents, frames.facts)
        assert not history.notes
        yearly += _across(frames)
        links += [(a, b) for a, b in zip(frames.documents["report"], frames.documents["previous_report"])
                  if isinstance(b, str)]
    one_links = [(a, b) for a, b in zip(one.documents["report"], one.documents["previous_report"]) if isinstance(b, str)]
    assert sorted(yearly) == _across(one)
    assert sorted(links) == sorted(one_links) and len(one_links) >= 30
    linked = {Path(a).stem: Path(b).stem for a, b in one_links}
    assert linked["kgc_xxgk_2024_hongze"] == "kgc_xxgk_2023_hongze"
    assert linked["pt_fazhi_2024_qu"] == "pt_fazhi_2023_qu"       # the report, not its covering letter
    assert linked["hb_kjt_xxgk_2017"] == "hb_kjt_xxgk_2016"       # 科技厅 = 科学技术厅
