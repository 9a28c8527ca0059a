"""The CI-gate outputs: junit.xml, flags.sarif, gx_validation.json and the optional Data Docs.

One audit per module, over a folder of three inputs: a sample report with three error flags,
a clean passage whose file name has a space and Chinese characters, and an empty (unreadable)
file. Great Expectations takes seconds per audit. Tests of policy (severities, baselines,
control characters, HTML inputs) change the flags of that one result, without running GX again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.error import URLError
from urllib.parse import unquote

import pytest

from auditor.report.gx_results import VOLATILE, build_data_docs, write_gx_results
from auditor.report.junit import write_junit
from auditor.report.sarif import write_sarif
from tests.conftest import ROOT, SEEDS, whole_report

SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
SAMPLE = "000_bffc2002e0c26100.txt"
CLEAN = "清洁 报告.txt"  # a space and Chinese characters: the SARIF uri must percent-encode them
# a whole report (title, dates, sections, signature): a bare passage would be flagged as short and unsigned
CLEAN_TEXT = whole_report("2021年,全县共收到行政复议申请52件,依法受理48件,不予受理4件。")
EMPTY = "empty.txt"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("ci")
    reports = base / "reports"
    reports.mkdir()
    shutil.copy(SEEDS / SAMPLE, reports / SAMPLE)
    (reports / CLEAN).write_text(CLEAN_TEXT, encoding="utf-8")
    (reports / EMPTY).write_bytes(b"")
    return base


@pytest.fixture(scope="module")
def audited(workdir, config):
    """The one audit of this module. It runs from workdir, so report paths are relative ("reports/…"), as in CI."""
    return _audit_in(workdir, config)


@pytest.fixture(scope="module")
def out(audited, config, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    write_junit(folder, audited, config)
    write_sarif(folder, audited, config)
    write_gx_results(folder, audited, config)
    return folder


def _audit_in(folder: Path, config):
    from auditor.pipeline import audit

    here = Path.cwd()
    os.chdir(folder)
    try:
        return audit(["reports"], config)
    finally:
        os.chdir(here)


def _report(name: str) -> str:
    return f"reports/{name}"


def _configured_categories(config) -> list[str]:
    from auditor.config import CATEGORIES

    return [c for c in CATEGORIES if any(r.category == c for r in config.rules.values())]


def _cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {(case.get("classname"), case.get("name")): case for case in root.iter("testcase")}


def test_the_sample_audit_is_what_these_tests_assume(audited):
    by_report = {}
    for flag in audited.flags:
        by_report.setdefault(flag.report, []).append(flag)
    assert [f.severity for f in by_report[_report(SAMPLE)]] == ["error"] * 3
    assert _report(CLEAN) not in by_report
    assert [f.rule for f in by_report[_report(EMPTY)]] == ["INPUT001"]


# --- JUnit --------------------------------------------------------------------------------

def test_junit_has_a_testcase_per_readable_report_and_category_and_one_for_an_unreadable_report(out, config):
    root = ET.parse(out / "junit.xml").getroot()
    categories = _configured_categories(config)
    expected = {(_report(name), c) for name in (SAMPLE, CLEAN) for c in categories} | {(_report(EMPTY), "input")}
    cases = _cases(root)
    assert set(cases) == expected
    assert len(cases) == len(list(root.iter("testcase")))  # no duplicates
    assert root.get("tests") == str(len(expected))
    assert root.get("failures") == str(len(list(root.iter("failure"))))


def test_junit_failures_carry_the_flags_of_their_report_and_category(out, audited):
    cases = _cases(ET.parse(out / "junit.xml").getroot())
    failing = {(f.report, f.category) for f in audited.flags if f.severity in ("error", "warning")}
    assert {key for key, case in cases.items() if case.find("failure") is not None} == failing
    for flag in audited.flags:
        failure = cases[(flag.report, flag.category)].find("failure")
        assert failure.get("message") == "1 flag (1 error)"
        assert failure.get("type") == "error"
        line = failure.text.strip()
        evidence = flag.evidence
        where = f" line {evidence[0].line}" if evidence else ""
        assert line == f"{flag.rule} error{where}: {flag.message}"
    assert all(case.find("failure") is None for (report, _), case in cases.items() if report == _report(CLEAN))


def test_junit_info_and_baselined_flags_pass_and_are_listed_in_system_out(audited, config, tmp_path):
    first, second = (f for f in audited.flags if f.report == _report(SAMPLE) and f.rule in ("ARITH001", "RATE001"))
    flags = [dataclasses.replace(first, severity="info"), dataclasses.replace(second, baselined=True),
             dataclasses.replace(second, id="x", baselined=False, severity="warning")]
    write_junit(tmp_path, dataclasses.replace(audited, flags=flags), config)
    cases = _cases(ET.parse(tmp_path / "junit.xml").getroot())
    arithmetic = cases[(_report(SAMPLE), "arithmetic")]
    assert arithmetic.find("failure") is None
    assert arithmetic.find("system-out").text.startswith("ARITH001 info line ")
    rate = cases[(_report(SAMPLE), "rate")]
    assert rate.find("failure").get("message") == "1 flag (1 warning)"
    assert rate.find("failure").get("type") == "warning"
    assert rate.find("system-out").text.endswith("(baselined)")
    # The unreadable report lost its flag here, and still fails.
    assert cases[(_report(EMPTY), "input")].find("failure") is not None


def test_junit_strips_characters_xml_cannot_carry(audited, config, tmp_path):
    flag = dataclasses.replace(audited.flags[0], message="bad\x0b\x1bchar\x00s\ufffe end", report=_report(SAMPLE))
    write_junit(tmp_path, dataclasses.replace(audited, flags=[flag]), config)
    failure = _cases(ET.parse(tmp_path / "junit.xml").getroot())[(_report(SAMPLE), flag.category)].find("failure")
    assert failure.text.endswith(": badchars end")


def test_junit_output_is_deterministic(audited, config, out, tmp_path):
    write_junit(tmp_path, audited, config)
    assert (tmp_path / "junit.xml").read_bytes() == (out / "junit.xml").read_bytes()


# --- SARIF --------------------------------------------------------------------------------

def _sarif(folder: Path) -> dict:
    return json.loads((folder / "flags.sarif").read_text(encoding="utf-8"))


def _validate(log: dict) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # the draft the schema declares
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema, format_checker=validator_class.FORMAT_CHECKER).iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_shipped_schema_is_the_oasis_sarif_2_1_0_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema.get("$id", schema.get("id")) in (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "https://json.schemastore.org/sarif-2.1.0.json")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_validates_against_the_schema(out):
    _validate(_sarif(out))


def test_sarif_has_every_rule_and_one_result_per_flag(out, audited, config):
    from auditor import __version__

    run, = _sarif(out)["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("auditor", __version__)
    assert "informationUri" not in driver
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert [(r["id"], r["name"], r["defaultConfiguration"]["level"], r["properties"]["category"]) for r in driver["rules"]] \
        == [(r.code, r.name, levels[r.severity], r.category) for r in config.rules.values()]
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"] for r in driver["rules"])
    results = run["results"]
    assert [(r["ruleId"], r["level"], r["message"]["text"], r["partialFingerprints"]["auditorFlagId/v1"]) for r in results] \
        == [(f.rule, levels[f.severity], f.message, f.id) for f in audited.flags]
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert all("baselineState" not in r for r in results)  # no baseline was used


def test_sarif_locations_point_at_the_quoted_text(out, audited, workdir):
    run, = _sarif(out)["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    for flag, result in zip(audited.flags, run["results"]):
        location = result["locations"][0]["physicalLocation"]
        assert unquote(location["artifactLocation"]["uri"]) == flag.report
        if not flag.evidence:
            assert "region" not in location
            continue
        evidence, region = flag.evidence[0], location["region"]
        assert region["startLine"] == evidence.line
        assert region["startColumn"] == evidence.column
        assert region["endColumn"] == evidence.column + evidence.end - evidence.start
        # The region, read back from the file on disk, is the quote.
        line = (workdir / flag.report).read_text(encoding="utf-8").split("\n")[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:region["endColumn"] - 1] == evidence.text == region["snippet"]["text"]
        related = result.get("relatedLocations", [])
        assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [e.line for e in flag.evidence[1:]]


def test_sarif_reports_an_unreadable_input_as_input001(out):
    run, = _sarif(out)["runs"]
    result, = [r for r in run["results"] if r["ruleId"] == "INPUT001"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": _report(EMPTY)}}


def test_sarif_percent_encodes_what_a_uri_cannot_carry():
    from auditor.report.sarif import artifact_uri

    assert artifact_uri("reports_in/000_bffc2002e0c26100.txt") == "reports_in/000_bffc2002e0c26100.txt"
    assert artifact_uri(_report(CLEAN)) == "reports/%E6%B8%85%E6%B4%81%20%E6%8A%A5%E5%91%8A.txt"


def test_sarif_baseline_state_and_html_columns(audited, config, tmp_path):
    first, second = audited.flags[0], audited.flags[1]
    html = dataclasses.replace(first, id="h", report="reports/page.html",
                               evidence=tuple(dataclasses.replace(e, column=None) for e in first.evidence))
    multiline = dataclasses.replace(second, id="m",
                                    evidence=(dataclasses.replace(second.evidence[0], text="a\nb", start=0, end=3),))
    flags = [dataclasses.replace(first, baselined=True), dataclasses.replace(html, baselined=False),
             dataclasses.replace(multiline, baselined=False)]
    write_sarif(tmp_path, dataclasses.replace(audited, flags=flags), config)
    log = _sarif(tmp_path)
    _validate(log)
    results = log["runs"][0]["results"]
    assert [r["baselineState"] for r in results] == ["unchanged", "new", "new"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": first.evidence[0].line}
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert "startColumn" in region and "endColumn" not in region and "snippet" not in region


# --- Great Expectations ---------------------------------------------------------------------

def test_gx_validation_is_json_of_every_table_without_run_time_values(out):
    text = (out / "gx_validation.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document["tables"]) == ["documents", "facts", "relations"]
    tables = json.dumps(document["tables"])
    assert "ge_load_time" not in tables and "run_id" not in tables
    assert all("success" in table and "results" in table for table in document["tables"].values())
    assert document["normalised"]["removed"] == [".".join(path) for path in VOLATILE]
    failed = {table: [r["expectation_config"]["meta"]["rule"] for r in result["results"] if not r["success"]]
              for table, result in document["tables"].items()}
    assert "INPUT001" in failed["documents"] and "ARITH001" in failed["relations"]


def test_gx_validation_is_identical_across_two_audits(out, workdir, config, tmp_path):
    again = _audit_in(workdir, config)  # a second GX run: seconds, but the point of the test
    write_gx_results(tmp_path, again, config)
    assert (tmp_path / "gx_validation.json").read_bytes() == (out / "gx_validation.json").read_bytes()


@pytest.mark.slow
def test_data_docs_site_is_built(audited, config, tmp_path):
    """Renders the whole Data Docs site: a few seconds. Building needs no network (the pages
    only link to CDNs), so the skip below is for an environment where GX tries to reach one anyway."""
    try:
        index = build_data_docs(tmp_path, audited.frames, config)
    except (ConnectionError, URLError) as err:
        pytest.skip(f"Data Docs could not be built offline: {err}")
    assert index == tmp_path / "data_docs" / "index.html"
    assert index.is_file()
    pages = {p.relative_to(tmp_path / "data_docs").parts[0] for p in (tmp_path / "data_docs").rglob("*.html")}
    assert {"expectations", "validations"} <= pages
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data_docs")]  # no staging left behind


def test_junit_written_a_suite_at_a_time_is_the_whole_tree_indented(out):
    # write_junit streams its testsuites; the bytes are those ElementTree gives the whole tree
    data = (out / "junit.xml").read_bytes()
    root = ET.fromstring(data)
    assert len(root) > 1
    ET.indent(root, space="  ")
    assert ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n" == data
