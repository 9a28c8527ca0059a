"""Data-driven rule tests: every passage of tests/fixtures/rules/<CODE>.yaml, and the fail and pass
passages of each rule's docs in expectations/rules.yaml, audited in one run.

A fixture file reads

    rule: RATE001
    fail:            # each passage must produce at least one flag of this rule
      - 全年共受理矛盾纠纷2000件,调解成功1900件,调解成功率为96.5%。
      - text: …      # a passage the tool is known to misread:
        xfail: why   #   kept, and marked xfail(strict=True) with the diagnosis
    pass:            # each passage must produce no flag of this rule
      - …

Every passage is written to its own .txt file in one folder and `audit()` runs once over the
folder (module-scoped fixture); each test then looks up the flags of its own file.

A rule that compares the reports of one run (MULTI_REPORT) cannot be shown by one passage: each
of its passages, in the fixture and in the docs, is several reports, one after each line `---`,
written to a folder of its own and audited as a run of its own (a tenth of a second each).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from auditor.config import load_config
from tests.conftest import read_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
MIN_PASSAGES = 6
NOT_FIXTURED = {"INPUT001"}  # an input rule: its cases are files, not passages
# Rules over the reports of one run (RANGE003: a rate against the same rate in the other reports;
# the checks across years: a report against last year's report of the same body).
MULTI_REPORT = {"RANGE003", "CONS003", "DISC010", "DISC011", "RANGE004"}
REPORT_SEPARATOR_RE = re.compile(r"^---[ \t]*$", re.M)

# Doc passages of rules.yaml the tool is known to misread (rules.yaml is not ours to edit).
DOC_XFAIL: dict[tuple[str, str], str] = {}


def _rules_yaml() -> dict:
    return read_yaml(load_config().root / "rules.yaml")


def _entry(item) -> tuple[str, str | None]:
    """A fixture entry: a passage, or {text, xfail}."""
    if isinstance(item, str):
        return item, None
    return item["text"], item.get("xfail")


def _cases() -> list:
    """(file stem, rule, expectation, text, xfail reason) for every passage."""
    cases = []
    for code, rule in _rules_yaml().items():
        docs = rule.get("docs") or {}
        for expect in ("fail", "pass"):
            if isinstance(docs.get(expect), str):
                cases.append((f"{code}_doc_{expect}", code, expect, docs[expect], DOC_XFAIL.get((code, expect))))
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = read_yaml(path)
        code = data["rule"]
        for expect in ("fail", "pass"):
            for i, item in enumerate(data.get(expect) or (), start=1):
                text, xfail = _entry(item)
                cases.append((f"{code}_{expect}_{i}", code, expect, text, xfail))
    return cases


CASES = _cases()


def _reports(code: str, text: str) -> list[str]:
    """The reports of one case: the passage itself, or for a MULTI_REPORT rule its parts."""
    if code not in MULTI_REPORT:
        return [text]
    return [part.strip() for part in REPORT_SEPARATOR_RE.split(text) if part.strip()]


def _file_bytes(code: str, stem: str, text: str) -> bytes:
    if code == "INPUT001" and "_doc_fail" in stem and "empty file" in text:
        return b""  # the doc describes its failing input: (an empty file)
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[set[str], dict[str, list[dict]]]:
    """Write every passage to its own file and audit the folder once.

    Returns the stems of the files the audit read, and the flags grouped by file stem.
    """
    from auditor.pipeline import audit

    config = load_config()
    folder = tmp_path_factory.mktemp("rule_passages")
    for stem, code, _, text, _ in CASES:
        if code not in MULTI_REPORT:
            (folder / f"{stem}.txt").write_bytes(_file_bytes(code, stem, text))
    result = audit([folder], config)
    flags: dict[str, list[dict]] = defaultdict(list)
    for flag in result.flags:
        flags[Path(flag.report).stem].append(flag)
    audited_stems = {Path(r.document["report"]).stem for r in result.records}
    for stem, code, _, text, _ in CASES:
        if code in MULTI_REPORT:  # a run of its own: its reports are compared with one another only
            run = tmp_path_factory.mktemp(stem)
            reports = _reports(code, text)
            for i, report in enumerate(reports, start=1):
                (run / f"{stem}_{i}.txt").write_text(report, encoding="utf-8")
            result = audit([run], config)
            if len(result.records) == len(reports) > 1 and all(r.document["status"] == "ok" for r in result.records):
                audited_stems.add(stem)
            flags[stem].extend(result.flags)
    return audited_stems, flags


def _param(stem, code, expect, text, xfail):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(stem, code, expect, text, id=stem, marks=marks)


@pytest.mark.parametrize("stem, code, expect, text", [_param(*case) for case in CASES])
def test_passage(audited, stem, code, expect, text):
    reports, flags_by_file = audited
    assert stem in reports, f"{stem}.txt was not audited"
    flags = flags_by_file.get(stem, [])
    own = [f for f in flags if f.rule == code]
    summary = [(f.rule, f.observed, f.expected) for f in flags]
    if expect == "fail":
        assert own, f"expected a {code} flag for:\n{text}\nflags: {summary}"
    else:
        assert not own, f"expected no {code} flag for:\n{text}\nflags: {summary}"


def test_every_rule_has_docs_and_fixtures():
    rules = _rules_yaml()
    problems = []
    for code, rule in rules.items():
        docs = rule.get("docs") or {}
        for expect in ("fail", "pass"):
            if not isinstance(docs.get(expect), str) or not docs[expect].strip():
                problems.append(f"{code}: docs has no {expect} passage")
        if code in NOT_FIXTURED:
            continue
        path = FIXTURES / f"{code}.yaml"
        if not path.is_file():
            problems.append(f"{code}: no fixture file {path.name}")
            continue
        data = read_yaml(path)
        if data.get("rule") != code:
            problems.append(f"{path.name}: rule is {data.get('rule')!r}, not {code}")
        for expect in ("fail", "pass"):
            entries = data.get(expect) or []
            if len(entries) < MIN_PASSAGES:
                problems.append(f"{path.name}: {len(entries)} {expect} passages, fewer than {MIN_PASSAGES}")
            for item in entries:
                text, reason = _entry(item)
                if not text.strip() or (reason is not None and not reason.strip()):
                    problems.append(f"{path.name}: an empty {expect} passage or xfail reason")
                elif code in MULTI_REPORT and len(_reports(code, text)) < 2:
                    problems.append(f"{path.name}: a {expect} case of {code} needs several reports, one after each ---")
    for path in FIXTURES.glob("*.yaml"):
        if path.stem not in rules:
            problems.append(f"{path.name}: no rule {path.stem} in rules.yaml")
    assert not problems, "\n".join(problems)
