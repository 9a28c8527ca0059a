"""summary.md: counts by severity and category, then the flags; fit for a CI job summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from auditor.config import CATEGORIES, SEVERITIES
from auditor.process import ReportRecord
from auditor.report.files import write_atomic


def render_summary(records: list[ReportRecord], flags: list[dict]) -> str:
    failed = [r for r in records if r.document["status"] != "ok"]
    lines = [
        "# auditor summary",
        "",
        f"{len(records)} report(s) read, {len(failed)} unreadable; {len(flags)} flag(s).",
        "",
    ]
    counts = Counter((f["severity"], f["category"]) for f in flags)
    used = [c for c in CATEGORIES if any(counts[(s, c)] for s in SEVERITIES)]
    if used:
        lines += ["| severity | " + " | ".join(used) + " | total |",
                  "|---|" + "---:|" * (len(used) + 1)]
        for severity in SEVERITIES:
            row = [counts[(severity, c)] for c in used]
            lines.append(f"| {severity} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        lines.append("")
    if flags:
        lines += ["## Flags", "", "| severity | rule | report | line | message |", "|---|---|---|---:|---|"]
        for flag in flags:
            line = flag["evidence"][0]["line"] if flag["evidence"] else ""
            lines.append(f"| {flag['severity']} | {flag['rule']} | {_cell(flag['report'])} | {line} "
                         f"| {_cell(flag['message'])} |")
        lines.append("")
    if failed:
        lines += ["## Unreadable inputs", ""]
        lines += [f"- `{r.document['report']}`: {r.document['reason']}" for r in failed]
        lines.append("")
    return "\n".join(lines)


def write_summary(path: Path, records: list[ReportRecord], flags: list[dict]) -> None:
    write_atomic(path, render_summary(records, flags).encode("utf-8"))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
