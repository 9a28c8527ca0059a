"""flags.json: the contract other tools read. Keep its shape stable.

{"tool": {name, version, expectations}, "reports": [one per input], "flags": [one per flag]}

A flag holds auditor.flag.JSON_FIELDS, then `baselined` when a baseline was given and `review`
when it has one (auditor.review).

Bounded: a run of more than MAX_FLAGS_IN_FULL flags (100,000 small flagged reports made a
205 MB file, which no JSON reader loads in one piece, auditor's own baseline included) writes the
first MAX_FLAGS_IN_FULL of them, errors first, in the run's order, and says what it left out:

    "flags_omitted": {"count": 90000, "error": 0, "warning": 60000, "info": 30000,
                      "every_flag_in": "flags.csv"}

flags.csv keeps every flag (`auditor baseline` reads it beside such a flags.json). Likewise a run
of more than MAX_REPORTS_IN_FULL reports lists that many: those of the flags kept and the
unreadable ones first, then the others in the run's order, and says
`"reports_omitted": {"count": 70000, "every_report_in": "reports.csv"}`. A run under both caps
(a national year's run is) writes the file as before, byte for byte, without these keys.
`--output-format json` on stdout is not capped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from auditor import __version__
from auditor.config import SEVERITIES, Config
from auditor.flag import Flag
from auditor.process import ReportRecord
from auditor.report.files import Streamed, json_pieces, write_atomic

METADATA_FIELDS = {"title": "title", "region": "region", "year": "year", "published": "published_date",
                   "signed": "signed_date", "signer": "signer", "docno": "docno"}


def tool_entry(config: Config) -> dict:
    return {"name": "auditor", "version": __version__, "expectations": str(config.root)}


def report_entries(records: Iterable[ReportRecord], flags: list[Flag]) -> Iterator[dict]:
    """Each record's entry, as it is read (a large run's records are read a batch at a time)."""
    counts = Counter((f.report, f.severity) for f in flags)
    for record in records:
        doc = record.document
        yield {
            "path": doc["report"],
            "sha256": doc.get("sha256"),
            "status": doc["status"],
            "reason": doc.get("reason") or "",
            "encoding": doc.get("encoding"),
            "metadata": {key: _json_value(doc.get(field)) for key, field in METADATA_FIELDS.items()},
            "counts": {"facts": record.n_facts, "relations": record.n_relations, "checked": record.n_checked,
                       **{severity: counts[(doc["report"], severity)] for severity in SEVERITIES}},
        }


def flags_document(records: list[ReportRecord], flags: list[Flag], config: Config) -> dict:
    """What flags.json holds (and `--output-format json` prints)."""
    return {"tool": tool_entry(config), "reports": list(report_entries(records, flags)),
            "flags": [flag.to_json() for flag in flags]}


MAX_FLAGS_IN_FULL = 10_000  # above what a national year's run flags (some 10,000): normal runs are whole
FULL_LIST = "flags.csv"     # the output that keeps every flag, named in a capped file
MAX_REPORTS_IN_FULL = 30_000  # a national year's run: some 30,000 reports


def capped(flags: list[Flag], limit: int = MAX_FLAGS_IN_FULL) -> tuple[list[Flag], dict | None]:
    """FLAGS when there are at most LIMIT; else the first LIMIT by severity (errors first), in
    their own order, and the counts of those left out, by severity, with the file holding them."""
    if len(flags) <= limit:
        return flags, None
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    chosen = sorted(range(len(flags)), key=lambda i: (rank.get(flags[i].severity, len(rank)), i))[:limit]
    kept_positions = set(chosen)
    kept = [flags[i] for i in sorted(chosen)]
    left = Counter(flags[i].severity for i in range(len(flags)) if i not in kept_positions)
    omitted = {"count": len(flags) - limit, **{severity: left[severity] for severity in SEVERITIES},
               "every_flag_in": FULL_LIST}
    return kept, omitted


def _reports_listed(records: Sequence[ReportRecord], kept: list[Flag], limit: int) -> tuple[Iterable[ReportRecord], int]:
    """RECORDS, or at most LIMIT of them: those of the KEPT flags and the unreadable first, in
    order; and their count. Read as they are listed (a large run's records come from disk)."""
    if len(records) <= limit:
        return records, len(records)
    flagged = {flag.report for flag in kept}
    first = [i for i, r in enumerate(records) if r.document["report"] in flagged or r.document["status"] != "ok"]
    chosen = set(first[:limit])
    for i in range(len(records)):
        if len(chosen) >= limit:
            break
        chosen.add(i)
    return (record for i, record in enumerate(records) if i in chosen), len(chosen)


def write_flags_json(path: Path, records: Sequence[ReportRecord], flags: list[Flag], config: Config,
                     limit: int = MAX_FLAGS_IN_FULL, report_limit: int = MAX_REPORTS_IN_FULL) -> None:
    kept, omitted = capped(flags, limit)
    listed, count = _reports_listed(records, kept, report_limit)
    document = {"tool": tool_entry(config), "reports": Streamed(report_entries(listed, flags), count),
                "flags": [flag.to_json() for flag in kept]}  # flags_document(), of what is kept
    if omitted is not None:
        document["flags_omitted"] = omitted
    if count < len(records):
        document["reports_omitted"] = {"count": len(records) - count, "every_report_in": "reports.csv"}
    write_atomic(path, json_pieces(document))


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value
