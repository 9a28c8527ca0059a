"""The README's two Quick start commands are the ones CI and users run, and they work on a fresh
machine: a virtual environment first (a system Python refuses a bare pip install), then the
install, then the audit, whose output the README shows."""

from __future__ import annotations

import re
import shlex
import shutil

from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import ROOT, SEEDS


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    install_and_audit, test = commands
    assert "auditor audit reports_in/" in install_and_audit and "audit_out/" in install_and_audit
    assert "pytest" in test


def test_the_first_command_makes_and_activates_a_virtual_environment_before_installing():
    steps = [step.strip() for step in quick_start_commands()[0].split("&&")]
    venv = re.fullmatch(r"python3? -m venv (\S+)", steps[0])
    assert venv, steps[0]
    assert steps[1] in (f". {venv[1]}/bin/activate", f"source {venv[1]}/bin/activate")
    assert steps[2].startswith("pip install") and steps[3].startswith("auditor audit")


def test_the_quick_start_audit_prints_what_the_readme_shows(tmp_path, monkeypatch):
    audit = quick_start_commands()[0].split("&&")[-1].strip()
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "reports_in")
    result = CliRunner().invoke(app, shlex.split(audit)[1:])
    assert result.exit_code == 1
    shown = readme().split("```text\n$ auditor audit reports_in/\n", 1)[1].split("```", 1)[0].splitlines()
    printed = result.stdout.splitlines()
    assert shown[0] == printed[0] and shown[1] == printed[1]  # the first flag and its sentence, verbatim
    assert shown[-1].split(". Outputs")[0] == printed[-1].split(". Outputs")[0]
    assert (tmp_path / "audit_out" / "report.html").is_file()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_sample_reports_are_in_place():
    assert len(list((ROOT / "reports_in").glob("*.txt"))) == 5
