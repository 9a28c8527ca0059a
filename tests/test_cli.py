"""The command line end to end: exit codes, the output contract, the sample reports' flags."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from auditor import __version__
from auditor.cli import app
from tests.conftest import ROOT, SEEDS, whole_report

runner = CliRunner()
FLAG_KEYS = {"id", "report", "rule", "name", "category", "severity", "message", "expected", "observed",
             "region", "year", "evidence"}
CATEGORIES = {"arithmetic", "bound", "rate", "range", "date", "consistency", "template", "document", "input"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("audit", SEEDS, "--out", out)
    return result, out


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_help_does_not_import_the_heavy_libraries():
    code = ("import sys; from auditor.cli import app; from typer.testing import CliRunner; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('pandas', 'pandera', 'great_expectations', 'pdfplumber', 'pdfminer', 'docx') "
            "if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["no/such/folder"], [str(SEEDS), "--select", "NOPE"], [str(SEEDS), "--ignore", "ZZ"]])
def test_a_mistyped_path_or_rule_is_refused_before_the_heavy_libraries_are_imported(args):
    code = ("import sys; from auditor.cli import app; from typer.testing import CliRunner; "
            f"result = CliRunner().invoke(app, ['audit', *{args!r}, '--out', 'never_written']); "
            "print(result.exit_code, sorted(m for m in ('pandas', 'pandera', 'duckdb') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "2 []"


def test_reading_a_text_report_does_not_import_the_pdf_and_word_readers():
    code = ("import sys; from auditor.process import text_view; text_view('本年受理3件。'.encode(), '.txt'); "
            "print(sorted(m for m in ('pdfplumber', 'pdfminer', 'docx') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"auditor {__version__}"


def test_rules_lists_every_rule(config):
    result = run("rules")
    assert result.exit_code == 0
    for code in config.rules:
        assert code in result.stdout


def test_seed_audit_exits_1_and_writes_every_output(seed_run):
    result, out = seed_run
    assert result.exit_code == 1, result.output
    for name in ("flags.json", "flags.csv", "facts.csv", "relations.csv", "reports.csv", "summary.md"):
        assert (out / name).is_file(), name
    assert not list(out.glob(".*.tmp"))


def test_flags_json_contract(seed_run):
    _, out = seed_run
    document = json.loads((out / "flags.json").read_text(encoding="utf-8"))
    assert document["tool"]["version"] == __version__
    assert [r["path"] for r in document["reports"]] == [f"{SEEDS.as_posix()}/{p.name}" for p in sorted(SEEDS.glob("*.txt"))]
    for report in document["reports"]:
        assert report["status"] == "ok" and len(report["sha256"]) == 64
        assert set(report["metadata"]) >= {"title", "region", "year", "published", "signed", "docno"}
    for flag in document["flags"]:
        assert set(flag) == FLAG_KEYS
        assert flag["category"] in CATEGORIES and flag["severity"] in {"error", "warning", "info"}
        assert flag["evidence"], flag
        text = (ROOT / flag["report"]).read_text(encoding="utf-8") if not flag["report"].startswith("/") else open(flag["report"], encoding="utf-8").read()
        for quote in flag["evidence"]:
            assert text[quote["start"]:quote["end"]].strip() == quote["text"]
            assert text.count("\n", 0, quote["start"]) + 1 == quote["line"]


def test_csv_contract(seed_run):
    _, out = seed_run
    assert (out / "flags.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    facts = read_csv(out / "facts.csv")
    assert {"report", "value", "unit", "qualifier", "lo", "hi", "text", "start", "end", "line", "kind"} <= set(facts[0])
    relations = read_csv(out / "relations.csv")
    assert {row["status"] for row in relations} == {"pass", "fail", "unchecked"}
    assert all(row["status"] == "unchecked" for row in relations if row["op"] in ("change", "repeat"))
    assert len(read_csv(out / "reports.csv")) == 5
    assert len(read_csv(out / "flags.csv")) == len(json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"])


def _flags(out):
    return json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]


def test_the_design_card_examples(seed_run):
    _, out = seed_run
    hengxian = [f for f in _flags(out) if f["report"].endswith("000_bffc2002e0c26100.txt")]
    by_rule = {f["rule"]: f for f in hengxian}
    assert by_rule["DATE001"]["observed"] == "2020-02-25"
    assert "97.31%" in by_rule["RATE001"]["message"] and "97.5%" in by_rule["RATE001"]["message"]
    assert "= 50件" in by_rule["ARITH001"]["message"] and "58件" in by_rule["ARITH001"]["message"]
    relations = read_csv(out / "relations.csv")
    split = [r for r in relations if r["source"] == "sum:received-split" and "62件" in r["stated_expr"]]
    assert [r["status"] for r in split] == ["pass"]  # 62 = 58 + 4


@pytest.mark.parametrize(
    "stated, computed",
    [
        ("32248条", "2841条 + "),       # 32248 = 2841 + 5876 + 127 + 993 + 22274 + 137
        ("50件", "35件 + "),            # 50 = 35 + 9 + 5 + 1
        ("3.84亿元", "2.23亿元 + "),     # 3.84亿 = 2.23亿 + 1.61亿
        ("54.32%", "742项 / "),         # 742 / 1366 = 54.32%
        ("89%", "33个 / "),             # 33 / 37 = 89%
        ("4%", "2件 / "),               # 2 / 50 = 4%
        ("18次", "16次 + "),            # 18 = 16 + 两次
    ],
)
def test_relations_that_hold_in_the_seeds_pass(seed_run, stated, computed):
    _, out = seed_run
    rows = [r for r in read_csv(out / "relations.csv") if r["stated_expr"].endswith(stated) and computed in r["computed_expr"]]
    assert rows and all(r["status"] == "pass" for r in rows)


@pytest.mark.parametrize(
    "passage, fail_on, status",
    [
        # ARITH002 (info) only: a 其中 list below its total
        ("2021年,全县共查处案件120件,其中食品案件60件,药品案件30件。", "error", 0),
        ("2021年,全县共查处案件120件,其中食品案件60件,药品案件30件。", "warning", 0),
        ("2021年,全县共查处案件120件,其中食品案件60件,药品案件30件。", "info", 1),
        # RANGE002 (warning) only: an implausible mediation success rate
        ("2021年,全县各级人民调解委员会调解成功率为45%。", "error", 0),
        ("2021年,全县各级人民调解委员会调解成功率为45%。", "warning", 1),
        # RATE001 (error)
        ("2021年,共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%。", "error", 1),
        ("2021年,共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%。", "never", 0),
    ],
)
def test_fail_on_levels(tmp_path, passage, fail_on, status):
    report = tmp_path / "report.txt"
    # a whole report around the passage: a bare passage would also be flagged as short and unsigned
    report.write_text(whole_report(passage), encoding="utf-8")
    result = run("audit", report, "--out", tmp_path / "out", "--fail-on", fail_on)
    assert result.exit_code == status, result.output


def test_clean_report_exits_0(tmp_path):
    report = tmp_path / "clean.txt"
    report.write_text("某县2021年法治政府建设情况报告\n2021年,全县共收到行政复议申请40件,其中受理37件,不予受理3件。\n", encoding="utf-8")
    assert run("audit", report, "--out", tmp_path / "out").exit_code == 0


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("audit", tmp_path / "nowhere.txt", "--out", tmp_path)
    assert result.exit_code == 2
    assert "no such file or folder" in result.output and "Traceback" not in result.output


def test_bad_option_is_a_usage_error(tmp_path):
    assert run("audit", SEEDS, "--fail-on", "sometimes").exit_code == 2


def test_malformed_expectations_is_a_configuration_error(tmp_path):
    broken = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", broken)
    (broken / "thresholds.yaml").write_text("allow_truncation: [unclosed\n", encoding="utf-8")
    result = run("audit", SEEDS, "--out", tmp_path / "out", "--expectations", broken)
    assert result.exit_code == 2
    assert "thresholds.yaml" in result.output and "Traceback" not in result.output


def test_unreadable_input_becomes_an_input_flag(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    shutil.copy(SEEDS / "002_6d5bb867e184b50c.txt", folder / "good.txt")
    result = run("audit", folder, "--out", tmp_path / "out", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "flags.json").read_text(encoding="utf-8"))
    status = {r["path"].rsplit("/", 1)[-1]: (r["status"], r["reason"]) for r in document["reports"]}
    assert status["good.txt"] == ("ok", "")
    assert status["empty.txt"][0] == status["binary.txt"][0] == "error"
    inputs = {f["report"].rsplit("/", 1)[-1] for f in document["flags"] if f["category"] == "input"}
    assert inputs == {"empty.txt", "binary.txt"}


def test_english_messages(tmp_path):
    result = run("audit", SEEDS / "000_bffc2002e0c26100.txt", "--out", tmp_path, "--lang", "en")
    assert result.exit_code == 1
    messages = [f["message"] for f in _flags(tmp_path)]
    assert any("does not match" in m for m in messages)


def test_extract_writes_facts_only(tmp_path):
    result = run("extract", SEEDS, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "facts.csv").is_file() and not (tmp_path / "flags.json").exists()
    kinds = {row["kind"] for row in read_csv(tmp_path / "facts.csv")}
    assert {"count", "rate", "money", "year", "date", "docno", "ordinal"} <= kinds


def test_quiet_prints_nothing_and_verbose_a_line_per_report(tmp_path):
    quiet = run("audit", SEEDS, "--out", tmp_path / "q", "--quiet", "--fail-on", "never")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = run("audit", SEEDS, "--out", tmp_path / "v", "--verbose", "--fail-on", "never")
    lines = verbose.output.strip().splitlines()
    # one line per report, then the flags, then the summary line
    assert all(line.startswith(str(SEEDS)) and "figures" in line for line in lines[:5])
    assert "figures" not in lines[5] and "flags in 5 reports" in lines[-1]


def test_format_selects_outputs(tmp_path):
    result = run("audit", SEEDS, "--out", tmp_path, "--format", "json,sarif", "--format", "md", "--fail-on", "never")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit_history.duckdb", "flags.json", "flags.sarif", "summary.md"]
    assert run("audit", SEEDS, "--out", tmp_path, "--format", "pdf").exit_code == 2


def test_debug_shows_the_traceback_of_a_user_error(tmp_path):
    broken = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", broken)
    (broken / "rules.yaml").write_text("ARITH001: [not, a, mapping]\n", encoding="utf-8")
    plain = run("audit", SEEDS, "--out", tmp_path / "out", "--expectations", broken)
    assert plain.exit_code == 2 and "rules.yaml" in plain.output and "Traceback" not in plain.output
    debug = run("audit", SEEDS, "--out", tmp_path / "out", "--expectations", broken, "--debug")
    assert debug.exit_code == 2 and "Traceback" in debug.stderr  # the traceback, and the same status
    assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip()


@pytest.mark.parametrize(("args", "status", "printed"), [
    (["--version"], 0, f"auditor {__version__}"),
    (["audit", "no/such/folder"], 2, "no such file or folder"),
    (["audit", str(SEEDS), "--format", "json"], 1, "10 flags in 5 reports: 4 errors, 3 warnings, 3 info."),
])
def test_the_console_script_exits_with_the_status_and_everything_printed(tmp_path, args, status, printed):
    # main() leaves the process without freeing its objects one by one; the status, the printed
    # lines and the files must all still be there.
    if args[0] == "audit":
        args = [*args, "--out", str(tmp_path / "out")]
    done = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          env={**os.environ, "CI": "1"})
    assert done.returncode == status
    assert printed in done.stdout + done.stderr
    if status == 1:
        assert json.loads((tmp_path / "out" / "flags.json").read_text(encoding="utf-8"))["flags"]
