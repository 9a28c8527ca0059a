"""`auditor explain CODE`: a rule's docs, printed as `ruff rule` prints its rules."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("code", ["DATE003", "DOC001", "ARITH001", "INPUT001"])
def test_explain_prints_the_rule_docs_in_order(config, code):
    rule = config.rules[code]
    result = run("explain", code)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0] == f"# {rule.name} ({rule.code})"
    assert f"Category: {rule.category}" in out and f"Severity: {rule.severity}" in out
    parts = [rule.summary, "## What it does", rule.docs["what"].strip(), "## Why is this bad?", rule.docs["why"].strip(),
             "## Example", rule.docs["fail"].strip(), "## Use instead", rule.docs["pass"].strip()]
    positions = [out.index(part) for part in parts]
    assert positions == sorted(positions)


def test_every_rule_can_be_explained(config):
    for code in config.rules:
        result = run("explain", code)
        assert result.exit_code == 0 and code in result.stdout.splitlines()[0], code


def test_passages_are_fenced_verbatim(config):
    out = run("explain", "DATE001").stdout
    fail = config.rules["DATE001"].docs["fail"].strip()
    assert f"## Example\n```text\n{fail}\n```" in out


def test_the_code_is_case_insensitive():
    assert run("explain", "date003").stdout == run("explain", "DATE003").stdout


def test_an_unknown_code_is_a_one_line_usage_error():
    result = run("explain", "NOPE001")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "unknown rule 'NOPE001'" in lines[0] and "Traceback" not in result.output


def test_explain_reads_the_expectations_given(tmp_path, config):
    import shutil

    from tests.conftest import ROOT

    copy = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", copy)
    rules = copy / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: warning", "severity: info"), encoding="utf-8")
    result = run("explain", "DATE003", "--expectations", copy)
    assert result.exit_code == 0 and "Severity: info" in result.stdout


def test_explain_does_not_import_the_heavy_libraries():
    code = ("import sys; from auditor.cli import app; from typer.testing import CliRunner; "
            "r = CliRunner().invoke(app, ['explain', 'DATE003']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('pandas', 'pandera', 'great_expectations') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
