"""flags.json: the contract other tools read. Keep its shape stable.

{"tool": {name, version, expectations}, "reports": [one per input], "flags": [one per flag]}

A flag holds auditor.flags.FLAG_FIELDS, then `baselined` when a baseline was given and `review`
when it has one (auditor.review).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from auditor import __version__
from auditor.config import SEVERITIES, Config
from auditor.flags import public_fields
from auditor.process import ReportRecord
from auditor.report.files import write_atomic

METADATA_FIELDS = {"title": "title", "region": "region", "year": "year", "published": "published_date",
                   "signed": "signed_date", "signer": "signer", "docno": "docno"}


def tool_entry(config: Config) -> dict:
    return {"name": "auditor", "version": __version__, "expectations": str(config.root)}


def report_entries(records: list[ReportRecord], flags: list[dict]) -> list[dict]:
    counts = Counter((f["report"], f["severity"]) for f in flags)
    entries = []
    for record in records:
        doc = record.document
        entries.append({
            "path": doc["report"],
            "sha256": doc.get("sha256"),
            "status": doc["status"],
            "reason": doc.get("reason") or "",
            "encoding": doc.get("encoding"),
            "metadata": {key: _json_value(doc.get(field)) for key, field in METADATA_FIELDS.items()},
            "counts": {"facts": record.n_facts, "relations": record.n_relations, "checked": record.n_checked,
                       **{severity: counts[(doc["report"], severity)] for severity in SEVERITIES}},
        })
    return entries


def flags_document(records: list[ReportRecord], flags: list[dict], config: Config) -> dict:
    """What flags.json holds (and `--output-format json` prints)."""
    return {"tool": tool_entry(config), "reports": report_entries(records, flags),
            "flags": [public_fields(flag) for flag in flags]}


def write_flags_json(path: Path, records: list[ReportRecord], flags: list[dict], config: Config) -> None:
    document = flags_document(records, flags, config)
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value
