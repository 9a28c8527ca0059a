"""summary.md: counts by severity and category, then the flags; fit for a CI job summary.

GitHub takes at most 1 MiB of a step's summary, so the list is capped (MAX_LISTED flags, and
MAX_BYTES in all): the flags that count come first, errors before warnings before info, and the
page ends with a pointer to the files that hold every flag. Baselined flags are counted apart
and not listed; reviewed ones are marked.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from auditor.config import CATEGORIES, SEVERITIES
from auditor.flags import severity_rank
from auditor.process import ReportRecord
from auditor.report.files import write_atomic
from auditor.review import state, tally

MAX_LISTED = 500            # flags listed
MAX_UNREADABLE = 200        # unreadable inputs listed
MAX_BYTES = 800 * 1024      # well under GitHub's 1 MiB for a step summary
_MESSAGE_CHARS = 300        # a longer message is cut in the list (flags.csv has it whole)
# The files that list every flag, in the order a reader would open them (auditor.report.stale names all).
_FULL_LISTS = (("report.html", "html"), ("flags.xlsx", "xlsx"), ("flags.csv", "csv"), ("flags.json", "json"))


def render_summary(records: list[ReportRecord], flags: list[dict], formats: tuple[str, ...] = ()) -> str:
    failed = [r for r in records if r.document["status"] != "ok"]
    counts = tally(flags)
    lines = [
        "# auditor summary",
        "",
        f"{len(records)} report(s) read, {len(failed)} unreadable; {counts.counted} flag(s)"
        + (f", {counts.reviewed} of them reviewed" if counts.reviewed else "")
        + (f"; {counts.baselined} baselined flag(s) not counted" if counts.baselined else "") + ".",
        "",
    ]
    counted = [f for f in flags if state(f) != "baselined"]
    by_cell = Counter((f["severity"], f["category"]) for f in counted)
    used = [c for c in CATEGORIES if any(by_cell[(s, c)] for s in SEVERITIES)]
    if used:
        lines += ["| severity | " + " | ".join(used) + " | total |",
                  "|---|" + "---:|" * (len(used) + 1)]
        for severity in SEVERITIES:
            row = [by_cell[(severity, c)] for c in used]
            lines.append(f"| {severity} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        lines.append("")
    if counted:
        lines += _flag_list(counted, formats)
    if failed:
        lines += ["## Unreadable inputs", ""]
        lines += [f"- `{r.document['report']}`: {r.document['reason']}" for r in failed[:MAX_UNREADABLE]]
        if len(failed) > MAX_UNREADABLE:
            lines.append(f"- … and {len(failed) - MAX_UNREADABLE:,} more, in reports.csv")
        lines.append("")
    return "\n".join(lines)


def _flag_list(flags: list[dict], formats: tuple[str, ...]) -> list[str]:
    ordered = sorted(flags, key=lambda f: severity_rank(f["severity"]) if f["severity"] in SEVERITIES else 9)
    lines = ["## Flags", "", "| severity | rule | report | line | message |", "|---|---|---|---:|---|"]
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    listed = 0
    for flag in ordered[:MAX_LISTED]:
        line = flag["evidence"][0]["line"] if flag["evidence"] else ""
        message = _cut(flag["message"], _MESSAGE_CHARS) + (" (reviewed)" if state(flag) == "reviewed" else "")
        row = f"| {flag['severity']} | {flag['rule']} | {_cell(flag['report'])} | {line} | {_cell(message)} |"
        size += len(row.encode("utf-8")) + 1
        if size > MAX_BYTES:
            break
        lines.append(row)
        listed += 1
    lines.append("")
    if listed < len(flags):
        where = [name for name, fmt in _FULL_LISTS if not formats or fmt in formats]
        files = ", ".join(f"`{name}`" for name in where) or "the outputs of a run with `--format csv`"
        lines += [f"{len(flags) - listed:,} more flag(s) not listed here (the first {listed:,} are, errors first); "
                  f"every flag is in {files} beside this file.", ""]
    return lines


def write_summary(path: Path, records: list[ReportRecord], flags: list[dict], formats: tuple[str, ...] = ()) -> None:
    write_atomic(path, render_summary(records, flags, formats).encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
