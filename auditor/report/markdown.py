"""summary.md: counts by severity and category, then the flags; fit for a CI job summary.

GitHub takes at most 1 MiB of a step's summary, so the list is capped (MAX_LISTED flags, and
MAX_BYTES in all): the flags that count come first, errors before warnings before info, and the
page ends with a pointer to the files that hold every flag. Baselined flags are counted apart
and not listed; reviewed ones are marked.

Every text that comes from a report or its name (report names, messages, reasons) is untrusted
and escaped for Markdown (_text): a line break becomes a visible \\n, so that a file name cannot
start a heading or a list of its own; backslashes, backticks, pipes, brackets and HTML's <, >
and & are escaped, so that it cannot close a table cell or a code span, make a link or an
image, or open an HTML tag; control characters are shown as escapes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from auditor.config import CATEGORIES, SEVERITIES
from auditor.flag import Flag
from auditor.flags import severity_rank
from auditor.process import ReportRecord
from auditor.report.files import write_atomic
from auditor.report.json_report import MAX_FLAGS_IN_FULL
from auditor.review import state, tally

MAX_LISTED = 500            # flags listed
MAX_UNREADABLE = 200        # unreadable inputs listed
MAX_BYTES = 800 * 1024      # well under GitHub's 1 MiB for a step summary
_MESSAGE_CHARS = 300        # a longer message is cut in the list (flags.csv has it whole)
# The files that list every flag, in the order a reader would open them (auditor.report.stale names all).
_FULL_LISTS = (("report.html", "html"), ("flags.xlsx", "xlsx"), ("flags.csv", "csv"), ("flags.json", "json"))


def render_summary(records: list[ReportRecord], flags: list[Flag], formats: tuple[str, ...] = ()) -> str:
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
    by_cell = Counter((f.severity, f.category) for f in counted)
    used = [c for c in CATEGORIES if any(by_cell[(s, c)] for s in SEVERITIES)]
    if used:
        lines += ["| severity | " + " | ".join(used) + " | total |",
                  "|---|" + "---:|" * (len(used) + 1)]
        for severity in SEVERITIES:
            row = [by_cell[(severity, c)] for c in used]
            lines.append(f"| {severity} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        lines.append("")
    if counted:
        lines += _flag_list(counted, formats, whole_json=len(flags) <= MAX_FLAGS_IN_FULL)
    if failed:
        lines += ["## Unreadable inputs", ""]
        lines += [f"- {_text(r.document['report'])}: {_prose(r.document['reason'])}" for r in failed[:MAX_UNREADABLE]]
        if len(failed) > MAX_UNREADABLE:
            lines.append(f"- … and {len(failed) - MAX_UNREADABLE:,} more, in reports.csv")
        lines.append("")
    return "\n".join(lines)


def _flag_list(flags: list[Flag], formats: tuple[str, ...], whole_json: bool = True) -> list[str]:
    ordered = sorted(flags, key=lambda f: severity_rank(f.severity) if f.severity in SEVERITIES else 9)
    lines = ["## Flags", "", "| severity | rule | report | line | message |", "|---|---|---|---:|---|"]
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    listed = 0
    for flag in ordered[:MAX_LISTED]:
        line = flag.evidence[0].line if flag.evidence else ""
        message = _cut(flag.message, _MESSAGE_CHARS) + (" (reviewed)" if state(flag) == "reviewed" else "")
        row = f"| {flag.severity} | {flag.rule} | {_cell(flag.report)} | {line} | {_prose(message)} |"
        size += len(row.encode("utf-8")) + 1
        if size > MAX_BYTES:
            break
        lines.append(row)
        listed += 1
    lines.append("")
    if listed < len(flags):
        where = [name for name, fmt in _FULL_LISTS if (not formats or fmt in formats) and (whole_json or fmt != "json")]
        files = ", ".join(f"`{name}`" for name in where) or "the outputs of a run with `--format csv`"
        lines += [f"{len(flags) - listed:,} more flag(s) not listed here (the first {listed:,} are, errors first); "
                  f"every flag is in {files} beside this file.", ""]
    return lines


def write_summary(path: Path, records: list[ReportRecord], flags: list[Flag], formats: tuple[str, ...] = ()) -> None:
    write_atomic(path, render_summary(records, flags, formats).encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text: str) -> str:
    return _text(text)


def _prose(text: str) -> str:
    """A message: its line breaks (a quoted sentence's) read as spaces, the rest as _text."""
    return _text(" ".join(str(text).splitlines()))


# Characters Markdown (GitHub's included) gives a meaning: escaped with a backslash, or as
# entities for HTML's. Emphasis marks (* _ ~) are left: at worst they change a word's style, and
# report names are full of underscores. A backslash is doubled only where Markdown would read it
# as an escape (before punctuation, a control shown as an escape, or the end): a name's escaped
# byte, \xb1, stays as written.
_MARKDOWN_ESCAPES = {"`": "\\`", "|": "\\|", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MARKDOWN_RE = re.compile("[" + re.escape("".join(_MARKDOWN_ESCAPES)) + "]")
_CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL_RE = re.compile(f"[{_CONTROLS}]")
_BACKSLASH_RE = re.compile(f"\\\\(?=[!-/:-@\\[-`{{-~{_CONTROLS}]|\\Z)")
_SHOWN_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": " "}


def _text(text) -> str:
    """Untrusted text as inline Markdown: on one line, inert, showing what it holds. A name
    'a.txt<LF># H [x](u) <img>' is written 'a.txt\\n# H \\[x\\](u) &lt;img&gt;'."""
    text = _BACKSLASH_RE.sub(r"\\\\", str(text))
    text = _MARKDOWN_RE.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], text)
    return _CONTROL_RE.sub(_shown_control, text)


def _shown_control(match: re.Match) -> str:
    char = match.group()
    if char in _SHOWN_CONTROLS:
        return _SHOWN_CONTROLS[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
