"""The flags as a run prints them on stdout (--output-format), and their count per rule (--statistics).

full      path:line:col: CODE [severity] message, then the quoted sentence(s) under it, one a
          line with its line number (ruff's and pytest's habit: an editor opens path:line:col)
concise   the first line only
github    one GitHub Actions workflow command per flag (::error file=…,line=…::message), so the
          job's log and the pull request show each flag at its line
json      flags.json's document
sarif     flags.sarif's document

Baselined flags are accepted: the text formats and GitHub's leave them out (the summary line
counts them), json and sarif keep them with their state. Report text is untrusted: control
characters (a terminal's escape sequences among them) and bidirectional overrides are shown as
escapes (ESC as \\x1b, U+202E as \\u202e), never sent to the terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable

from auditor.flag import Evidence, Flag
from auditor.flags import quoted
from auditor.i18n import clip, display_width
from auditor.review import state

OUTPUT_FORMATS = ("full", "concise", "json", "github", "sarif")
MACHINE_FORMATS = ("json", "sarif")   # stdout holds one document: every other line goes to stderr
MAX_QUOTES = 3                        # quotes shown under a flag in the full format
_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
# C0 and C1 controls but tab and line feed, DEL, and the bidirectional controls.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_COLOURS = {"error": "31", "warning": "33", "info": "34"}


def safe(text: object) -> str:
    """Report text made harmless for a terminal, on one line: each control character shown as
    its escape (\\x1b[2J is printed as the six characters \\x1b[2J)."""
    return _UNSAFE_RE.sub(_escape, str(text)).replace("\t", " ").replace("\n", " ")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def location(flag: Flag) -> str:
    """path:line:col of the flag's first quote, or the path alone."""
    first = flag.evidence[0] if flag.evidence else None
    where = safe(flag.report)
    if first is not None and isinstance(first.line, int):
        where += f":{first.line}"
        if isinstance(first.column, int):
            where += f":{first.column}"
    return where


def text_lines(flags: list[Flag], concise: bool = False, colour: bool = False,
               width: int | None = None) -> Iterable[str]:
    """The full or concise format, line by line. WIDTH cuts a quote to a terminal's width."""
    paint = _painter(colour)
    for flag in flags:
        if state(flag) == "baselined":
            continue
        severity = flag.severity
        mark = " (reviewed: " + safe(flag.review.status) + ")" if state(flag) == "reviewed" else ""
        yield (f"{paint(location(flag), '1')}: {paint(flag.rule, _COLOURS.get(severity, '0') + ';1')} "
               f"[{paint(severity, _COLOURS.get(severity, '0'))}] {safe(flag.message)}{mark}")
        if concise:
            continue
        quotes = flag.evidence
        numbers = [_gutter(q) for q in quotes[:MAX_QUOTES]]
        gutter = max((display_width(n) for n in numbers), default=0)
        anchors = _anchors(flag)
        for number, quote in zip(numbers, quotes):
            text = safe(quoted(quote))
            if width:
                text = clip_around(text, max(20, width - gutter - 3), anchors)
            yield f"{' ' * (gutter - display_width(number))}{number} {paint('|', '2')} {text}"
        if len(quotes) > MAX_QUOTES:
            yield f"{' ' * gutter} {paint('|', '2')} … {len(quotes) - MAX_QUOTES} more"
        yield ""


def _anchors(flag: Flag) -> list[str]:
    """The figures a flag names, to find in its quotes: its expected and observed values and the
    report's side (97.31%, 调解成功率97.5%), longest first."""
    texts = [flag.observed, flag.expected, flag.sides.stated]
    pieces = {piece.strip() for text in texts if isinstance(text, str) for piece in re.split(r"[;=,、]", text)}
    return sorted((p for p in pieces if len(p) >= 2 and any(ch.isdigit() for ch in p)), key=len, reverse=True)


def clip_around(text: str, width: int, anchors: list[str]) -> str:
    """TEXT cut to WIDTH columns so that the first of ANCHORS it holds stays in view."""
    if display_width(text) <= width:
        return text
    found = [text.find(anchor) for anchor in anchors if anchor in text]
    at = min(found) if found else 0
    if display_width(text[:at]) + min(display_width(text[at:]), width // 2) <= width - 1:
        return clip(text, width)
    start = at
    while start > 0 and display_width(text[start - 1:at]) <= width // 4:  # a little of what comes before
        start -= 1
    return clip("…" + text[start:], width)


def _gutter(quote: Evidence) -> str:
    number = str(quote.line) if isinstance(quote.line, int) else ""
    return f"p{quote.page} {number}".strip() if quote.page is not None else number


def _painter(colour: bool) -> Callable[[str, str], str]:
    if not colour:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m"


def github_lines(flags: list[Flag], rule_names: dict[str, str] | None = None) -> Iterable[str]:
    """GitHub Actions workflow commands: ::error file=…,line=…,col=…,title=…::message."""
    rule_names = rule_names or {}
    for flag in flags:
        if state(flag) == "baselined":
            continue
        first = flag.evidence[0] if flag.evidence else None
        properties = [f"file={_property(flag.report)}"]
        if first is not None and isinstance(first.line, int):
            properties.append(f"line={first.line}")
            if isinstance(first.column, int):
                properties.append(f"col={first.column}")
        title = f"{flag.rule} {rule_names.get(flag.rule, flag.name)}".strip()
        properties.append(f"title={_property(title)}")
        body = flag.message + (f"\n{quoted(first)}" if first is not None and first.text else "")
        yield f"::{_GITHUB_LEVELS.get(flag.severity, 'warning')} {','.join(properties)}::{_data(body)}"


def _data(text: str) -> str:
    return safe_multiline(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def safe_multiline(text: str) -> str:
    return _UNSAFE_RE.sub("\ufffd", str(text))


def statistics_rows(flags: list[Flag]) -> list[dict]:
    """Per rule: the flags that count, and the baselined apart; most frequent first."""
    counted = Counter(f.rule for f in flags if state(f) != "baselined")
    baselined = Counter(f.rule for f in flags if state(f) == "baselined")
    first = {}
    for flag in flags:
        first.setdefault(flag.rule, flag)
    rows = [{"code": code, "name": first[code].name, "severity": first[code].severity,
             "count": counted[code], "baselined": baselined[code]} for code in first]
    return sorted(rows, key=lambda row: (-row["count"], -row["baselined"], row["code"]))


def statistics_lines(flags: list[Flag], titles: dict[str, str] | None = None) -> Iterable[str]:
    rows = statistics_rows(flags)
    if not rows:
        return
    titles = titles or {}
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    any_baselined = any(row["baselined"] for row in rows)
    for row in rows:
        title = titles.get(row["code"], row["name"])
        tail = f"  ({row['baselined']} baselined)" if any_baselined and row["baselined"] else ""
        yield (f"{row['count']:>{count_width}}  {row['code']:<{code_width}}  {row['severity']:<7}  {title}{tail}")


def print_lines(lines: Iterable[str], stream=None) -> None:
    stream = stream or sys.stdout
    for line in lines:
        stream.write(line + "\n")
    stream.flush()


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
