"""junit.xml: the audit as test results, for CI systems that show JUnit reports.

One testcase for each report and each rule family (category). Every readable report gets a
testcase for every category that has rules in the config, so checks that pass are reported as
passing, not left out. A testcase fails when the report has a flag of that category with
severity error or warning, unless the flag is baselined. Info flags and baselined flags go to
<system-out> and do not fail anything, so the CI gate follows the severity policy. An unreadable
report gets a single testcase, "input".
"""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from auditor.config import CATEGORIES, SEVERITIES, Config
from auditor.flag import Flag
from auditor.pipeline import AuditResult
from auditor.report.files import write_atomic

SUITE_NAME = "auditor"
FAILING_SEVERITIES = ("error", "warning")

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF. Report text is untrusted and
# can contain them (form feeds, stray escapes), and one of them would make the whole file unparsable.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_junit(out: Path, result: AuditResult, config: Config) -> None:
    """Write out/junit.xml, a <testsuite> at a time: the file of a large run is never whole in
    memory (its tree took about 6 KB a report)."""
    write_atomic(out / "junit.xml", junit_pieces(result, config))


def junit_pieces(result: AuditResult, config: Config) -> Iterator[bytes]:
    """junit.xml's bytes, those ElementTree gives the whole tree indented by two spaces: one
    <testsuite> per report, in the order of result.records. The root's counts come first, so the
    suites wait in a temporary file until the last is counted."""
    by_case: dict[tuple[str, str], list[Flag]] = defaultdict(list)
    flagged: dict[str, set[str]] = defaultdict(set)  # report -> the categories of its flags
    for flag in result.flags:
        by_case[(flag.report, flag.category)].append(flag)
        flagged[flag.report].add(flag.category)
    configured = [c for c in CATEGORIES if any(rule.category == c for rule in config.rules.values())]
    root = ET.Element("testsuites", name=SUITE_NAME)
    tests = failures = 0
    with tempfile.TemporaryFile() as suites:
        for record in result.records:
            report = record.document["report"]
            if record.document["status"] == "ok":
                # Categories of the report's own flags too, in case a flag belongs to none of the configured ones.
                categories = [c for c in CATEGORIES if c in configured or c in flagged.get(report, ())]
                cases = [_testcase(report, c, by_case.get((report, c), [])) for c in categories]
            else:
                cases = [_unreadable_case(report, record.document.get("reason") or "", by_case.get((report, "input"), []))]
            suite = _testsuite(report, cases)
            tests, failures = tests + int(suite.get("tests")), failures + int(suite.get("failures"))
            ET.indent(suite, space=_INDENT, level=1)
            suites.write(_INDENT_1 + ET.tostring(suite, encoding="utf-8"))
        _set_counts(root, tests, failures)
        if not suites.tell():
            yield ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
            return
        root.text = _MARK
        head, tail = ET.tostring(root, encoding="utf-8", xml_declaration=True).split(_MARK.encode())
        yield head
        suites.seek(0)
        yield from iter(lambda: suites.read(1 << 20), b"")
        yield b"\n" + tail + b"\n"


_INDENT = "  "
_INDENT_1 = b"\n" + _INDENT.encode()  # before each <testsuite>, as ET.indent puts it
_MARK = "\x00"  # the root's text while its two tags are cut apart


def clean(text: object) -> str:
    """Text safe for XML 1.0: characters XML cannot carry are dropped."""
    return _XML_ILLEGAL.sub("", str(text))


def fails(flag: Flag) -> bool:
    """Whether a flag fails its testcase: error or warning, and not accepted in a baseline."""
    return flag.severity in FAILING_SEVERITIES and not flag.baselined


def flag_line(flag: Flag) -> str:
    """One line per flag: 'RULE severity line N: message'."""
    evidence = flag.evidence
    where = f" line {evidence[0].line}" if evidence and evidence[0].line is not None else ""
    baselined = " (baselined)" if flag.baselined else ""
    return clean(f"{flag.rule} {flag.severity}{where}: {flag.message}{baselined}".replace("\n", " "))


def _testcase(report: str, category: str, flags: list[Flag]) -> ET.Element:
    case = ET.Element("testcase", classname=clean(report), name=category)
    failing = [f for f in flags if fails(f)]
    quiet = [f for f in flags if not fails(f)]
    if failing:
        failure = ET.SubElement(case, "failure", message=_summary(failing), type=_worst(failing))
        failure.text = "\n".join(flag_line(f) for f in failing)
    if quiet:
        ET.SubElement(case, "system-out").text = "\n".join(flag_line(f) for f in quiet)
    return case


def _unreadable_case(report: str, reason: str, flags: list[Flag]) -> ET.Element:
    if flags:
        return _testcase(report, "input", flags)
    # Normally INPUT001 flags an unreadable report. If it doesn't, the report still has to show up.
    case = ET.Element("testcase", classname=clean(report), name="input")
    failure = ET.SubElement(case, "failure", message="unreadable report", type="error")
    failure.text = clean(reason or "unreadable")
    return case


def _testsuite(report: str, cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", name=clean(report))
    suite.extend(cases)
    _set_counts(suite, len(cases), sum(case.find("failure") is not None for case in cases))
    return suite


def _set_counts(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def _summary(flags: list[Flag]) -> str:
    counts = Counter(f.severity for f in flags)
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    return f"{len(flags)} flag{'s' if len(flags) != 1 else ''} ({parts})"


def _worst(flags: list[Flag]) -> str:
    return min((f.severity for f in flags), key=SEVERITIES.index)
