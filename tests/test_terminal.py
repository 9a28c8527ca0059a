"""What a run prints, through the real command line: the flags where a reviewer looks
(path:line:col CODE message, the quoted sentence under it), the other --output-format, one
summary line, --statistics, the phases on a terminal, one-line errors, a quiet broken pipe,
plain help, and Ctrl-C."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.listing import safe
from tests.conftest import ROOT, SEEDS, whole_report

runner = CliRunner()
SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
LOCATION_RE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]+\d{3}) \[(?P<sev>error|warning|info)\] ")


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def console(*args, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The installed command as a shell runs it (python -m auditor: the same main())."""
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "CI": "1", **(env or {})}, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The sample reports, and one whose flagged sentence holds a terminal escape sequence."""
    folder = tmp_path_factory.mktemp("reports")
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "escape.txt").write_text(
        whole_report("2021年,全县共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%\x1b[2J\x1b]0;pwned\x07。"),
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def full(reports, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("audit", reports, "--out", out)
    flags = json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]
    return result, out, flags


def test_full_format_prints_every_flag_at_its_place_with_its_sentence(full):
    result, out, flags = full
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    heads = [(i, LOCATION_RE.match(line)) for i, line in enumerate(lines)]
    heads = [(i, m) for i, m in heads if m]
    assert len(heads) == len(flags)
    for (i, match), flag in zip(heads, flags):  # in the order of flags.json: by report, then position
        first = flag["evidence"][0]
        assert (match["path"], int(match["line"]), int(match["col"]), match["rule"], match["sev"]) == \
            (flag["report"], first["line"], first["column"], flag["rule"], flag["severity"])
        assert lines[i].endswith(flag["message"])
        gutter, _, quote = lines[i + 1].partition(" | ")
        assert gutter.strip() == str(first["line"]) and quote == safe(first["text"])
    assert lines[-1] == f"{len(flags)} flags in 6 reports: 5 errors, 3 warnings, 3 info. Outputs in {out}/"


def test_report_text_cannot_reach_the_terminal_as_control_sequences(full):
    result, _, _ = full
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    escape = next(line for line in result.stdout.splitlines() if "调解成功率为96.5%" in line)
    assert " [2J" in escape  # the ESC became a space when the report was decoded


def test_concise_is_one_line_a_flag(reports, tmp_path, full):
    _, _, flags = full
    result = run("audit", reports, "--out", tmp_path, "--output-format", "concise", "--format", "json")
    lines = result.stdout.splitlines()
    assert len(lines) == len(flags) + 1 and all(LOCATION_RE.match(line) for line in lines[:-1])


def test_json_and_sarif_print_one_document_and_the_summary_on_stderr(reports, tmp_path):
    as_json = run("audit", reports, "--out", tmp_path / "j", "--output-format", "json")
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document == json.loads((tmp_path / "j" / "flags.json").read_text(encoding="utf-8"))
    assert "flags in 6 reports" in as_json.stderr and "flags in" not in as_json.stdout

    as_sarif = run("audit", reports, "--out", tmp_path / "s", "--output-format", "sarif", "--format", "json")
    sarif = json.loads(as_sarif.stdout)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(sarif["runs"][0]["results"]) == len(document["flags"])


def test_github_annotations_one_a_flag_escaped(reports, tmp_path, full):
    _, _, flags = full
    result = run("audit", reports, "--out", tmp_path, "--output-format", "github", "--format", "json")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == len(flags)
    for line, flag in zip(annotations, flags):
        level, _, rest = line[2:].partition(" ")
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[flag["severity"]]
        properties, _, message = rest.partition("::")
        fields = dict(item.split("=", 1) for item in properties.split(","))
        assert fields["line"] == str(flag["evidence"][0]["line"]) and fields["col"] == str(flag["evidence"][0]["column"])
        assert fields["title"].startswith(flag["rule"] + " ") and "%3A" not in fields["file"] or ":" not in flag["report"]
        assert "\n" not in message and message.startswith(flag["message"].replace("%", "%25"))
        assert "%0A" in message  # the quoted sentence on its own line


def test_statistics_count_each_rule(reports, tmp_path, full):
    _, _, flags = full
    result = run("audit", reports, "--out", tmp_path, "--statistics", "--format", "json")
    counts = {}
    for flag in flags:
        counts[flag["rule"]] = counts.get(flag["rule"], 0) + 1
    lines = result.stdout.splitlines()[:-1]
    assert len(lines) == len(counts)
    for line in lines:
        number, code, severity, *title = line.split()
        assert int(number) == counts[code] and title
    assert [int(line.split()[0]) for line in lines] == sorted((int(line.split()[0]) for line in lines), reverse=True)
    as_json = run("audit", reports, "--out", tmp_path, "--statistics", "--output-format", "json", "--format", "json")
    rows = json.loads(as_json.stdout)
    assert {row["code"]: row["count"] for row in rows} == counts


def test_the_summary_counts_baselined_and_reviewed_flags_apart(reports, tmp_path, full):
    _, out, flags = full
    accepted = [f for f in flags if f["severity"] == "error"][:2]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"tool": "auditor", "format": 1, "flags": [
        {"id": f["id"], "rule": f["rule"], "report": f["report"], "message": "", "status": "误报", "comment": "已核实"}
        for f in accepted]}, ensure_ascii=False), encoding="utf-8")
    result = run("audit", reports, "--out", tmp_path / "out", "--baseline", baseline, "--output-format", "concise")
    listed = [line for line in result.stdout.splitlines() if LOCATION_RE.match(line)]
    assert len(listed) == len(flags) - 2  # the baselined are accepted: not listed
    assert result.stdout.splitlines()[-1].startswith(f"{len(flags) - 2} flags in 6 reports: 3 errors, 3 warnings, "
                                                     "3 info; 2 baselined (not shown, not counted).")


def test_phases_show_on_a_terminal_and_are_erased(tmp_path):
    """Run in a pseudo-terminal, as a reviewer does: the display names each phase, so the screen
    is never blank while the checks and the writers run; the flags and the summary stay."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    command = [sys.executable, "-m", "auditor", "audit", str(SEEDS), "--out", str(tmp_path / "out")]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        os.execvpe(command[0], command, env)
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    _, status = os.waitpid(pid, 0)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))
    assert os.waitstatus_to_exitcode(status) == 1
    for phase in ("reading reports", "checking", "building the flags", "writing facts.csv", "writing report.html"):
        assert phase in text, phase
    assert "10 flags in 5 reports" in text and "ARITH001" in text


@pytest.mark.parametrize(("args", "says"), [
    (["audit", str(SEEDS), "--fail-on", "bogus"], "Invalid value for '--fail-on': 'bogus' is not one of"),
    (["audit", str(SEEDS), "-j", "0"], "Invalid value for '--jobs' / '-j'"),
    (["audit"], "Missing argument 'PATH...'"),
    (["audit", str(SEEDS), "--output-format", "xml"], "Invalid value for '--output-format'"),
    (["audit", str(SEEDS), "--select", "NOPE"], "--select NOPE: no rule code, prefix of codes or category"),
    (["audit", "no/such/folder"], "no/such/folder: no such file or folder"),
    (["explain", "NOPE001"], "unknown rule 'NOPE001'"),
])
def test_usage_errors_are_one_line(tmp_path, args, says):
    done = console(*args, "--out", tmp_path / "out") if args[0] == "audit" else console(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("auditor: error: ") and says in lines[0], done.stderr
    assert "╭" not in done.stderr and "Usage:" not in done.stderr and done.stdout == ""


def test_a_closed_pipe_ends_the_printing_quietly():
    """`auditor rules | head -1`: the reader goes away; auditor says nothing and exits 0."""
    child = subprocess.Popen([sys.executable, "-m", "auditor", "rules", "--lang", "zh"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    child.stdout.close()  # before the first line is written: every write meets a closed pipe
    _, error = child.communicate(timeout=60)
    assert child.returncode == 0 and error == b""
    head = subprocess.run(f"{sys.executable} -m auditor rules | head -1", shell=True, capture_output=True, text=True,
                          timeout=60)
    assert head.stdout.startswith("ARITH001") and head.stderr == ""


@pytest.mark.parametrize("command", ["audit", "extract", "baseline", "rules", "explain", "history", "history show",
                                     "history export", None])
def test_help_names_values_not_python_types(command):
    result = run(*(command.split() if command else []), "--help")
    assert result.exit_code == 0
    assert "<list" not in result.stdout and "<bool>" not in result.stdout and "<path>" not in result.stdout
    if command == "audit":
        assert "PATH..." in result.stdout and "--output-format" in result.stdout and "--select" in result.stdout


def test_ctrl_c_stops_a_run_at_once_and_says_so(tmp_path):
    """A run of many reports, interrupted while its workers read: a message, status 130 within a
    second or two, the --out lock removed, no half-written file, no worker left behind."""
    from bench.generate import generate

    corpus = tmp_path / "corpus"
    generate(400, corpus, seed=3)
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(corpus), "--out", str(out), "-j", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             env={**os.environ, "CI": "1"})
    lock = out / ".auditor.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the workers are reading
    assert child.poll() is None, "the run ended before it could be interrupted"
    workers = _children(child.pid)
    started = time.monotonic()
    os.killpg(child.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole process group
    _, error = child.communicate(timeout=30)
    took = time.monotonic() - started
    assert child.returncode == 130 and took < 3, (child.returncode, took, error)
    assert "auditor: interrupted" in error and "Traceback" not in error
    assert not lock.exists() and not list(out.glob(".*.tmp")) if out.exists() else True
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and _state(pid) != "Z"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
