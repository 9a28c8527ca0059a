"""The example CI workflow and the pre-commit hook, run here as far as they can be."""

from __future__ import annotations

import re
import shlex
import shutil

import yaml
from typer.testing import CliRunner

from auditor.cli import app
from tests.conftest import ROOT, SEEDS

runner = CliRunner()


def run(command: str, *extra: str):
    words = shlex.split(command)
    assert words[0] == "auditor"
    return runner.invoke(app, [*words[1:], *extra])


def test_pre_commit_hook_runs_on_changed_reports(tmp_path, monkeypatch):
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    pattern = re.compile(hook["files"])
    assert pattern.search("reports/a.txt") and pattern.search("a.html") and not pattern.search("README.md")
    monkeypatch.chdir(tmp_path)
    anomalous = shutil.copy(SEEDS / "000_bffc2002e0c26100.txt", tmp_path / "a.txt")
    clean = tmp_path / "b.txt"
    clean.write_text("2021年,全县共收到行政复议申请40件,其中受理37件,不予受理3件。\n", encoding="utf-8")
    assert run(hook["entry"], str(clean)).exit_code == 0
    assert run(hook["entry"], str(clean), str(anomalous)).exit_code == 1
    assert (tmp_path / "audit_out" / "flags.sarif").is_file()


def workflow() -> dict:
    return yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))


def test_ci_workflow_installs_auditor_from_its_repository():
    job = workflow()["jobs"]["audit"]
    install = next(s["run"] for s in job["steps"] if s.get("name") == "install auditor")
    source = job["env"]["AUDITOR_SOURCE"]
    assert install == 'python -m pip install "$AUDITOR_SOURCE"'
    assert source == "." and (ROOT / "pyproject.toml").is_file()  # this repository, checked out
    assert "pip install auditor" not in (ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8")


def test_ci_workflow_steps_pass_with_a_baseline_and_fail_without(tmp_path, monkeypatch):
    steps = [s["run"] for s in workflow()["jobs"]["audit"]["steps"] if "run" in s]
    audit_step = next(s for s in steps if s.startswith("auditor audit"))
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "reports_in")
    # The first run: no baseline yet. A warning, every flag counts, each an annotation at its line.
    first = run(audit_step)
    assert first.exit_code == 1, first.output
    assert "baseline baseline.json does not exist yet" in first.stderr and not (tmp_path / "baseline.json").exists()
    annotations = [line for line in first.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 10 and annotations[0].startswith("::error file=reports_in/000_bffc2002e0c26100.txt,line=61,")
    # Adoption: review everything once and accept it as the baseline.
    assert run("auditor baseline audit_out/flags.json -o baseline.json").exit_code == 0
    result = run(audit_step)
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]  # accepted: no annotation
    for later in ("audit_out/summary.md", "audit_out/flags.sarif"):  # what the later steps read
        assert (tmp_path / later).is_file()
    # A new anomaly fails the gate.
    (tmp_path / "reports_in" / "new.txt").write_text(
        "2021年,全县共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%。\n", encoding="utf-8")
    assert run(audit_step).exit_code == 1
