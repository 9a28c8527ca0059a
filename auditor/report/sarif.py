"""flags.sarif: the flags as SARIF 2.1.0, for code-scanning views (GitHub, GitLab, IDEs).

One run and one result per flag. The driver lists every rule the run applied, so a viewer can
describe a rule even when nothing broke it. A baselined flag carries a suppression, accepted,
with the reviewer's justification (its status and comment in the baseline), so code scanning
shows it as dismissed rather than open. Columns count Unicode code points
(run.columnKind), the same unit as the flags' offsets, not UTF-16 units: one CJK
character is one column either way, but a character outside the BMP is two UTF-16 units.

Bounded as flags.json is (auditor.report.json_report.capped): flags.sarif holds at most
MAX_FLAGS_IN_FULL results, errors first (GitHub's code scanning takes 25,000 results a run and
shows 5,000); a capped run says what it left out in the run's properties, and a notification:

    "properties": {"flagsOmitted": {"count": 90000, "error": 0, "warning": 60000, "info": 30000,
                                    "every_flag_in": "flags.csv"}}

`--output-format sarif` on stdout is not capped.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from auditor import __version__
from auditor.config import Config, Rule
from auditor.flag import Evidence, Flag
from auditor.pipeline import AuditResult
from auditor.report.files import json_pieces, write_atomic
from auditor.report.json_report import MAX_FLAGS_IN_FULL, capped
from auditor.review import justification

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "auditorFlagId/v1"  # versioned: if the id recipe in flags.py changes, the key changes too
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def write_sarif(out: Path, result: AuditResult, config: Config, limit: int = MAX_FLAGS_IN_FULL) -> None:
    """Write out/flags.sarif, of at most LIMIT results."""
    write_atomic(out / "flags.sarif", json_pieces(build_sarif(result, config, limit)))


def build_sarif(result: AuditResult, config: Config, limit: int | None = None) -> dict:
    """The SARIF document; with LIMIT, of at most that many results (see the module's docstring)."""
    rules = list(config.rules.values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    flags, omitted = capped(result.flags, limit) if limit is not None else (result.flags, None)
    run = {
        "tool": {"driver": {"name": "auditor", "version": __version__, "rules": [_rule(r) for r in rules]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(flag, index) for flag in flags],
    }
    if omitted is not None:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [{
            "level": "warning",
            "message": {"text": f"{omitted['count']:,} of {len(result.flags):,} flags are not in this file (at most "
                                f"{len(flags):,} are, errors first); every flag is in {omitted['every_flag_in']}."}}]}]
        run["properties"] = {"flagsOmitted": omitted}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def artifact_uri(report: str) -> str:
    r"""The report path as a URI reference: the same string for ordinary names. Spaces, '%', '#',
    '?' and non-ASCII characters (Chinese file names) are percent-encoded, because a URI
    cannot carry them as they are; a byte of a name that is not UTF-8, which the report's name
    shows as \xb1 (ingest.discover.display_name), is that byte again (%B1), so the URI names the
    file on disk."""
    pieces = _ESCAPED_BYTE_RE.split(report)  # text, byte, text, byte, ..., text
    return "".join(quote(piece.replace("\\", "/"), safe="/") if i % 2 == 0 else f"%{piece.upper()}"
                   for i, piece in enumerate(pieces))


_ESCAPED_BYTE_RE = re.compile(r"\\x([89a-f][0-9a-f])")


def _rule(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs["what"]},
        "help": {"text": rule.docs["why"]},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def _result(flag: Flag, index: dict[str, int]) -> dict:
    evidence = flag.evidence
    result = {
        "ruleId": flag.rule,
        "level": LEVELS[flag.severity],
        "message": {"text": flag.message},
        "locations": [_location(flag.report, evidence[0] if evidence else None)],
        "partialFingerprints": {FINGERPRINT_KEY: flag.id},
        "properties": {"category": flag.category, "expected": flag.expected, "observed": flag.observed},
    }
    if flag.rule in index:
        result["ruleIndex"] = index[flag.rule]
    if len(evidence) > 1:
        # Further quotes (a signature date, the title) are context for the first, not separate findings.
        result["relatedLocations"] = [_location(e.report or flag.report, e, i)
                                      for i, e in enumerate(evidence[1:], start=1)]
    if flag.baselined is not None:  # only when a baseline was used: otherwise "new" would be a claim we cannot make
        result["baselineState"] = "unchanged" if flag.baselined else "new"
    if flag.baselined:
        # Accepted by a reviewer: code scanning shows it as dismissed, with the reviewer's reason.
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification(flag)}]
    elif flag.review:
        result["properties"]["review"] = {k: v for k, v in (("status", flag.review.status),
                                                           ("comment", flag.review.comment)) if v}
    return result


def _location(report: str, evidence: Evidence | None, location_id: int | None = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": artifact_uri(report)}}
    region = _region(evidence) if evidence else None
    if region:
        physical["region"] = region
    location: dict = {"physicalLocation": physical}
    if location_id is not None:
        location["id"] = location_id
        if evidence and evidence.text:
            location["message"] = {"text": evidence.text}
    return location


def _region(evidence: Evidence) -> dict | None:
    line = evidence.line
    if not isinstance(line, int) or line < 1:
        return None
    region: dict = {"startLine": line}
    column = evidence.column
    if isinstance(column, int) and column >= 1:
        region["startColumn"] = column
        if _on_one_line(evidence):
            region["endColumn"] = column + evidence.end - evidence.start  # SARIF's endColumn is exclusive
            # Only when the region is exactly the quote: for HTML the quote is visible text, not the file's bytes.
            region["snippet"] = {"text": evidence.text}
    return region


def _on_one_line(evidence: Evidence) -> bool:
    """Whether the quoted span stays on its first line. A quote whose length does not match its
    offsets was reworked (for example, whitespace collapsed), so its columns would be guesses."""
    text, start, end = evidence.text or "", evidence.start, evidence.end
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return False
    return len(text) == end - start and "\n" not in text and "\r" not in text
