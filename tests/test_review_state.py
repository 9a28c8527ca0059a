"""One review state everywhere, through the CLI: a reviewer marks flags in flags.xlsx, a baseline
accepts some; the next run shows the same state in the terminal, summary.md, flags.csv, flags.json,
flags.sarif (suppressions with the reviewer's justification), the workbook and report.html. And the
outputs of one run only: what a run does not write is removed (a reviewed workbook set aside);
summary.md stays within GitHub's 1 MiB however many flags there are."""

from __future__ import annotations

import csv
import dataclasses
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.flag import Evidence, Flag
from auditor.report import markdown
from auditor.report.workbook import FLAG_HEADERS, FLAGS_SHEET
from tests.conftest import SEEDS

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def column(key: str) -> int:
    return list(FLAG_HEADERS).index(key) + 1


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Audit; a reviewer marks two rows 误报 (with comments) and one 确认问题 in flags.xlsx; the
    baseline takes the 误报 rows; then the next run, into the same folder, with the baseline."""
    base = tmp_path_factory.mktemp("review")
    out = base / "out"
    assert run("audit", SEEDS, "--out", out).exit_code == 1
    flags = json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]
    book = openpyxl.load_workbook(out / "flags.xlsx")
    sheet = book[FLAGS_SHEET]
    ids = {sheet.cell(row, column("id")).value: row for row in range(2, sheet.max_row + 1)}
    errors = [f["id"] for f in flags if f["severity"] == "error"]
    false_positives, confirmed = errors[:2], errors[2]
    for flag_id in false_positives:
        sheet.cell(ids[flag_id], column("status")).value = "误报"
        sheet.cell(ids[flag_id], column("comment")).value = "经电话核实, 数字无误"
    sheet.cell(ids[confirmed], column("status")).value = "确认问题"
    book.save(out / "flags.xlsx")
    assert run("baseline", out / "flags.xlsx", "-o", base / "baseline.json").exit_code == 0
    result = run("audit", SEEDS, "--out", out, "--baseline", base / "baseline.json")
    return result, out, flags, set(false_positives), confirmed


def test_the_terminal_counts_them_apart(reviewed):
    result, out, flags, accepted, confirmed = reviewed
    assert result.exit_code == 1  # one error is left, confirmed
    assert result.stdout.splitlines()[-1].startswith(
        f"{len(flags) - 2} flags in 5 reports: 2 errors, 3 warnings, 3 info (1 reviewed); "
        "2 baselined (not shown, not counted).")
    assert "(reviewed: 确认问题)" in result.stdout


def test_flags_csv_and_json_carry_the_state(reviewed):
    _, out, flags, accepted, confirmed = reviewed
    rows = {row["id"]: row for row in read_csv(out / "flags.csv")}
    assert {i for i, row in rows.items() if row["baselined"] == "true"} == accepted
    assert {row["baselined"] for i, row in rows.items() if i not in accepted} == {"false"}
    assert {rows[i]["review_status"] for i in accepted} == {"误报"} and rows[confirmed]["review_status"] == "确认问题"
    assert rows[next(iter(accepted))]["review_comment"] == "经电话核实, 数字无误"
    document = json.loads((out / "flags.json").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in document["flags"]}
    assert by_id[confirmed]["review"] == {"status": "确认问题", "comment": "", "source": "workbook"}
    assert all(by_id[i]["baselined"] and by_id[i]["review"]["source"] == "baseline" for i in accepted)
    assert "sides" not in by_id[confirmed]  # the workbook's columns stay out of flags.json


def test_sarif_suppresses_the_baselined_with_the_reviewers_reason(reviewed):
    _, out, _, accepted, confirmed = reviewed
    results = json.loads((out / "flags.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    by_id = {r["partialFingerprints"]["auditorFlagId/v1"]: r for r in results}
    for flag_id in accepted:
        assert by_id[flag_id]["suppressions"] == [{"kind": "external", "status": "accepted",
                                                   "justification": "误报: 经电话核实, 数字无误"}]
        assert by_id[flag_id]["baselineState"] == "unchanged"
    assert "suppressions" not in by_id[confirmed] and by_id[confirmed]["properties"]["review"] == {"status": "确认问题"}


def test_summary_md_counts_them_apart_and_lists_the_counted(reviewed):
    _, out, flags, accepted, confirmed = reviewed
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"{len(flags) - 2} flag(s), 1 of them reviewed; 2 baselined flag(s) not counted." in summary
    listed = [line for line in summary.splitlines() if line.startswith("| error |") and "reports_in" in line]
    assert len(listed) == 2 and "(reviewed)" in "".join(listed)
    first_rows = [line.split("|")[1].strip() for line in summary.split("## Flags")[1].splitlines() if line.startswith("| ")]
    assert first_rows[1:] == sorted(first_rows[1:], key=["error", "warning", "info"].index)


def test_the_workbook_keeps_the_reviews_and_marks_the_baselined(reviewed):
    _, out, _, accepted, confirmed = reviewed
    sheet = openpyxl.load_workbook(out / "flags.xlsx")[FLAGS_SHEET]
    rows = {sheet.cell(r, column("id")).value: r for r in range(2, sheet.max_row + 1)}
    for flag_id in accepted:
        assert sheet.cell(rows[flag_id], column("baselined")).value == "已基线"
        assert sheet.cell(rows[flag_id], column("status")).value == "误报"
    assert sheet.cell(rows[confirmed], column("status")).value == "确认问题"


def test_report_html_marks_each_state(reviewed):
    from tests.test_html_report import Page

    _, out, flags, accepted, confirmed = reviewed
    page = Page((out / "report.html").read_text(encoding="utf-8"))
    rows = {a["data-flag"]: a for a in page.tags("tr") if "flag" in (a.get("class") or "").split()}
    assert {i for i, a in rows.items() if a["data-state"] == "baselined"} == accepted
    assert rows[confirmed]["data-state"] == "reviewed"
    assert sum(a["data-state"] == "open" for a in rows.values()) == len(flags) - 3
    states = {(a["data-filter"], a["value"]) for a in page.tags("input") if a.get("data-filter") == "state"}
    assert states == {("state", "open"), ("state", "reviewed"), ("state", "baselined")}


def test_report_html_filters_by_state_in_headless_chromium(reviewed, tmp_path):
    from tests.test_html_report import selftest

    _, out, flags, accepted, confirmed = reviewed
    everything = selftest(out / "report.html", "", tmp_path / "profile")
    assert everything["by_state"] == {"open": len(flags) - 3, "reviewed": 1, "baselined": 2}
    still_open = selftest(out / "report.html", "state:open,reviewed", tmp_path / "profile")
    assert still_open["visible_flags"] == len(flags) - 2 and "baselined" not in still_open["by_state"]
    accepted_only = selftest(out / "report.html", "state:baselined;hide-empty", tmp_path / "profile")
    assert accepted_only["visible_flags"] == 2 and accepted_only["visible_reports"] == 1


def test_a_baseline_not_written_yet_is_a_warning(tmp_path):
    result = run("audit", SEEDS, "--out", tmp_path / "out", "--baseline", tmp_path / "baseline.json")
    assert result.exit_code == 1  # every flag counts: the seeds have errors
    warning = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1 and "does not exist yet, so every flag counts" in warning[0]
    assert "auditor baseline" in warning[0] and not (tmp_path / "baseline.json").exists()
    assert "baselined" not in json.loads((tmp_path / "out" / "flags.json").read_text(encoding="utf-8"))["flags"][0]


# ---------------------------------------------------------------------------- outputs of one run


def test_a_rerun_with_fewer_formats_leaves_only_its_own_outputs(tmp_path):
    out = tmp_path / "out"
    assert run("audit", SEEDS, "--out", out, "--fail-on", "never").exit_code == 0
    (out / "notes.txt").write_text("a reviewer's own file", encoding="utf-8")
    (out / "data_docs").mkdir()  # as an earlier run with --data-docs leaves it
    (out / "data_docs" / "index.html").write_text("<html></html>", encoding="utf-8")
    (out / "gx_validation.json").write_text("{}", encoding="utf-8")  # as one with --format gx leaves it
    again = run("audit", SEEDS, "--out", out, "--format", "json,md", "--fail-on", "never")
    assert again.exit_code == 0
    # the history store is kept across runs: it is what the next run compares with
    assert sorted(p.name for p in out.iterdir()) == ["audit_history.duckdb", "flags.json", "notes.txt",
                                                     "summary.md"]
    said = again.stdout.splitlines()[-1]
    assert said.startswith(f"Removed from {out}/ the outputs of an earlier run that this one did not write:")
    for name in ("facts.csv", "flags.xlsx", "report.html", "junit.xml", "flags.sarif", "gx_validation.json",
                 "data_docs/"):
        assert name in said
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "report.html" not in summary  # it points only at files this run wrote


def test_a_reviewed_workbook_is_set_aside_never_removed(tmp_path):
    out = tmp_path / "out"
    run("audit", SEEDS, "--out", out, "--fail-on", "never")
    book = openpyxl.load_workbook(out / "flags.xlsx")
    book[FLAGS_SHEET].cell(2, column("comment")).value = "待复核"
    book.save(out / "flags.xlsx")
    reviewed = (out / "flags.xlsx").read_bytes()
    result = run("extract", SEEDS, "--out", out)
    names = sorted(p.name for p in out.iterdir())
    aside = [n for n in names if n.startswith("flags.reviewed-")]
    assert names == sorted(["audit_history.duckdb", "facts.csv", "reports.csv", *aside]) and len(aside) == 1
    assert (out / aside[0]).read_bytes() == reviewed
    assert f"flags.xlsx -> {aside[0]}" in result.stdout


def test_summary_md_is_capped_with_a_pointer(tmp_path, monkeypatch):
    monkeypatch.setattr(markdown, "MAX_LISTED", 3)
    out = tmp_path / "out"
    run("audit", SEEDS, "--out", out, "--fail-on", "never", "--format", "md,csv")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    rows = [line for line in summary.split("## Flags")[1].splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 3 and all("| error |" in row for row in rows[1:])
    assert "7 more flag(s) not listed here (the first 3 are, errors first); every flag is in `flags.csv`" in summary


def test_summary_md_stays_under_githubs_limit_at_any_size():
    flag = Flag(id="x", report="reports/" + "很长的文件名" * 10 + ".txt", rule="RATE001", severity="error",
                category="rate", message="调解成功率" * 200, evidence=(Evidence("x", 0, 1, 1),))
    text = markdown.render_summary([], [dataclasses.replace(flag, id=str(i)) for i in range(50_000)])
    assert len(text.encode("utf-8")) < 1024 * 1024
    assert "49,500 more flag(s)" in text or "more flag(s) not listed" in text
