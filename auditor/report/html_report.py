"""report.html: one self-contained page a reviewer opens offline, in any browser, at any size.

Government networks are often cut off from the internet, so the page loads nothing: its CSS,
its small script and its SVG charts are inline, and a Content-Security-Policy forbids every
other source. Its script runs only by hash, so even markup that slipped past escaping could
not run. Every string that comes from a report (text, messages, evidence, metadata, paths) goes
through `_esc`. Its title names the kinds of report the run read; its fonts fall back through the
CJK fonts of Windows, macOS and Linux (a machine with none shows boxes: install one, such as
fonts-noto-cjk).

The page shows a summary, then one table of every flag, most severe first (each row's id is
`flag-<flag id>`, which the workbook links to), charts that aggregate (flags per rule, reports
per number of flags, the distribution of people's-mediation success rates: their size does not
grow with the run), then each report: its metadata, links to its flags, and its text with every
flag's evidence highlighted at its offsets, open when the report has flags and collapsed when
not. The text is re-read one report at a time with `text_view`, exactly as the offsets count it.
A report longer than `TEXT_VIEW_LIMIT` characters is shown only around its evidence, and the
page says so.

Filters (severity, category, review state, "hide reports without flags") run in the page. The
hash `#selftest=severity:error;category:rate,range;state:open;hide-empty` applies filters on load
and writes the resulting counts as JSON into `<pre id="selftest">`, so a headless browser can
check them (with the time the page took to be ready, `ready_ms`). A report's section is laid
out only when scrolled to (content-visibility), so a run of 1,500 reports is ready in about a
second.

Bounded at any size: the table lists at most MAX_FLAGS_LISTED flags (errors first), the index at
most MAX_REPORTS_LISTED reports and as many sections, each saying how many it leaves out and
which file holds them all (flags.xlsx and flags.csv; reports.csv). A run of 100,000 small
flagged reports made a 306 MB page; it now makes one of a few tens of MB (python -m
bench.outputs). A smaller run's page is as before, byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from auditor import __version__
from auditor.config import CATEGORIES, SEVERITIES, Config
from auditor.flag import Flag
from auditor.flags import is_missing, severity_rank
from auditor.i18n import REPORT_KIND_WORDS
from auditor.ingest.discover import display_name
from auditor.pipeline import AuditResult
from auditor.process import ReportRecord, UnreadableReport, text_view
from auditor.report.files import write_atomic
from auditor.review import STATES, justification, state

# A report up to this many characters is shown whole; a longer one only around its evidence.
TEXT_VIEW_LIMIT = 1_000_000
# A page a browser can open: the text is shown for the first MAX_TEXT_VIEWS flagged reports, and
# a run of more than MAX_REPORTS_WITH_SECTIONS reports lists its unflagged reports in the index only.
MAX_TEXT_VIEWS = 200
MAX_REPORTS_WITH_SECTIONS = 500
INDEX_OPEN_MAX = 50      # a longer index of reports starts collapsed
MAX_RATES_LISTED = 200   # the rates outside their plausible range listed under the chart
MAX_FLAGS_LISTED = 5_000     # rows of the table of flags, errors first
MAX_REPORTS_LISTED = 5_000   # rows of the index, and reports' sections
_TEXT_OMITTED = (f'<p class="notice">原文未展开: this page shows the text of {MAX_TEXT_VIEWS} reports at most, '
                 "flagged ones first in a large run; the evidence is quoted in the table of flags.</p>\n")
CONTEXT_LINES = 2       # lines shown either side of evidence in a shortened view
CONTEXT_CHARS = 2_000   # and at most this many characters either side (one giant line stays bounded)
HEAD_CHARS = 2_000      # a shortened view always starts with the report's head (its title)
CHART_WIDTH = 760       # every chart is this wide, whatever the run's size

SEVERITY_COLOURS = {"error": "#c62828", "warning": "#e07b00", "info": "#1565c0"}
_OTHER_COLOUR = "#6d4c41"
_STATE_LABELS = {"open": "待核实 open", "reviewed": "已审核 reviewed", "baselined": "已基线 baselined"}

_CONTROL = {i: "\ufffd" for i in range(32) if chr(i) not in "\t\n"} | {13: None}


def write_html(out: Path, result: AuditResult, config: Config, rates: MediationRates | None = None) -> None:
    """Write `out / "report.html"` atomically; RATES: the run's, gathered as its batches were
    checked (by default, those of the figures RESULT holds)."""
    write_atomic(out / "report.html", render_html(result, config, rates).encode("utf-8"))


def flag_anchor(flag_id: str) -> str:
    """The id of a flag's row (the workbook's links open it)."""
    return f"flag-{flag_id}"


def render_html(result: AuditResult, config: Config, rates: MediationRates | None = None) -> str:
    """The whole page as one string; deterministic for a given result and RATES (no timestamps)."""
    keys = _listed([(f"f{index}", flag) for index, flag in enumerate(result.flags)])
    flags_by_report: dict[str, list[tuple[str, Flag]]] = defaultdict(list)
    for key, flag in keys:
        flags_by_report[flag.report].append((key, flag))
    section_ids = {r.document["report"]: f"r{i}" for i, r in enumerate(result.records)}
    title = page_title(result.records)
    parts: list[str] = [_head(title), _header(title, config)]
    parts.append(_summary(result))
    parts.append(_filters(result.flags))
    sections, shown = _report_sections(result, flags_by_report, section_ids)
    parts.append(_flag_table(keys, section_ids, shown, config, len(result.flags)))
    parts.append(_charts(result, config, MediationRates.of(result.frames.facts) if rates is None else rates))
    parts.append('<section id="reports"><h2>报告 <span class="en">Reports</span></h2>\n')
    parts.append(_report_index(result.records, flags_by_report, section_ids))
    parts.extend(sections)
    parts.append("</section>\n")
    parts.append(f'<pre id="selftest" hidden></pre>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n')
    return "".join(parts)


def page_title(records: list[ReportRecord]) -> str:
    """The kinds of report the run read, most frequent first: 法治政府建设年度报告审计,
    政府信息公开工作年度报告审计, or both."""
    kinds = Counter(r.document.get("report_kind") for r in records if r.document.get("status") == "ok")
    names = [REPORT_KIND_WORDS["zh"].get(kind) for kind, _ in sorted(kinds.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    names = [name for name in dict.fromkeys(names) if name]
    return ("、".join(names) if names else "年度报告") + "审计"


# ---------------------------------------------------------------------------- small helpers


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _show(value: object) -> str:
    """A metadata value as escaped text: dates as ISO dates, whole floats as integers."""
    if is_missing(value) or value == "":
        return '<span class="none">—</span>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _esc(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return _esc(int(value))
    return _esc(value)


def _num(value: float) -> str:
    """A number for display: 97.5, 100, 97.31."""
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _colour(severity: str) -> str:
    return SEVERITY_COLOURS.get(severity, _OTHER_COLOUR)


def _ordered(values: set[str], known: tuple[str, ...]) -> list[str]:
    """Known names in their configured order, then any others sorted (a custom rules.yaml)."""
    return [v for v in known if v in values] + sorted(v for v in values if v not in known)


def _rank(severity: object) -> int:
    return severity_rank(severity) if severity in SEVERITIES else len(SEVERITIES)


# ---------------------------------------------------------------------------- page frame


def _head(title: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(_CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)} · auditor</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
    )


def _header(title: str, config: Config) -> str:
    return (
        f'<header><h1>{_esc(title)} <span class="en">auditor report</span></h1>\n'
        f'<p class="tool">auditor {_esc(__version__)} · expectations: <code>{_esc(config.root)}</code> · '
        f"{len(config.rules)} rule(s) applied</p></header>\n"
    )


def _summary(result: AuditResult) -> str:
    records = result.records
    unreadable = sum(1 for r in records if r.document.get("status") != "ok")
    states = Counter(state(f) for f in result.flags)
    counted = len(result.flags) - states["baselined"]
    apart = []
    if states["reviewed"]:
        apart.append(f"{states['reviewed']} reviewed 已审核")
    if states["baselined"]:
        apart.append(f"{states['baselined']} baselined 已基线, not counted")
    parts = [
        '<section id="summary"><h2>摘要 <span class="en">Summary</span></h2>\n',
        f"<p>{len(records)} report(s): {len(records) - unreadable} read, {unreadable} unreadable; "
        f"{len(result.flags)} flag(s).</p>\n",
        f'<p class="states">{counted} flag(s) counted' + (f" ({'; '.join(apart)})" if apart else "") + ".</p>\n",
        _counts_table([f for f in result.flags if state(f) != "baselined"]),
        "</section>\n",
    ]
    return "".join(parts)


def _counts_table(flags: list[Flag]) -> str:
    if not flags:
        return '<p class="none">No flags. 未发现问题。</p>\n'
    counts = Counter((f.severity, f.category) for f in flags)
    severities = _ordered({str(s) for s, _ in counts} | set(SEVERITIES), SEVERITIES)
    categories = _ordered({str(c) for _, c in counts}, CATEGORIES)
    rows = ["<table class=\"counts\"><caption>flags counted, by severity × category</caption><thead><tr>"
            "<th>severity</th>"]
    rows += [f"<th>{_esc(c)}</th>" for c in categories]
    rows.append("<th>total</th></tr></thead><tbody>\n")
    for severity in severities:
        cells = [counts[(severity, c)] for c in categories]
        rows.append(f'<tr><th><span class="badge sev-{_esc(severity)}">{_esc(severity)}</span></th>')
        rows += [f'<td class="{"zero" if n == 0 else ""}">{n}</td>' for n in cells]
        rows.append(f"<td><b>{sum(cells)}</b></td></tr>\n")
    totals = [sum(counts[(s, c)] for s in severities) for c in categories]
    rows.append("<tr class=\"total\"><th>total</th>" + "".join(f"<td>{n}</td>" for n in totals))
    rows.append(f"<td><b>{sum(totals)}</b></td></tr>\n</tbody></table>\n")
    return "".join(rows)


def _listed(keys: list[tuple[str, Flag]]) -> list[tuple[str, Flag]]:
    """The flags the page lists: all of them, or the first MAX_FLAGS_LISTED by severity, in the
    run's order."""
    if len(keys) <= MAX_FLAGS_LISTED:
        return keys
    chosen = sorted(range(len(keys)), key=lambda i: (_rank(keys[i][1].severity), i))[:MAX_FLAGS_LISTED]
    return [keys[i] for i in sorted(chosen)]


def _left_out(count: int, what: str, where: str) -> str:
    return f'<p class="notice">{count:,} more {what} not listed on this page; every one is in {where}.</p>\n'


def _report_index(records: list[ReportRecord], flags_by_report: dict, section_ids: dict[str, str]) -> str:
    opened = " open" if len(records) <= INDEX_OPEN_MAX else ""
    rows = [f'<details class="index"{opened}><summary>{len(records)} report(s): the index</summary>'
            '<table class="index"><thead><tr><th>#</th><th>report</th><th>status</th>'
            "<th>title</th><th>region</th><th>year</th>"]
    rows += [f'<th><span class="badge sev-{s}">{s}</span></th>' for s in SEVERITIES]
    rows.append("</tr></thead><tbody>\n")
    for i, record in enumerate(records[:MAX_REPORTS_LISTED]):
        doc = record.document
        sid = section_ids[doc["report"]]
        counts = Counter(f.severity for _, f in flags_by_report.get(doc["report"], []))
        status = _esc(doc.get("status"))
        rows.append(f'<tr class="report-row" data-report="{sid}"><td>{i + 1}</td>'
                    f'<td><a href="#{sid}">{_esc(doc["report"])}</a></td>'
                    f'<td><span class="status status-{status}">{status}</span></td>'
                    f'<td>{_show(doc.get("title"))}</td><td>{_show(doc.get("region"))}</td>'
                    f'<td>{_show(doc.get("year"))}</td>')
        rows += [f'<td class="{"zero" if counts[s] == 0 else ""}">{counts[s]}</td>' for s in SEVERITIES]
        rows.append("</tr>\n")
    rows.append("</tbody></table></details>\n")
    if len(records) > MAX_REPORTS_LISTED:
        rows.append(_left_out(len(records) - MAX_REPORTS_LISTED, "report(s)", "reports.csv"))
    return "".join(rows)


def _filters(flags: list[Flag]) -> str:
    severities = Counter(str(f.severity) for f in flags)
    categories = Counter(str(f.category) for f in flags)
    states = Counter(state(f) for f in flags)
    parts = ['<nav id="filters" aria-label="filters"><fieldset><legend>severity</legend>']
    for severity in _ordered(set(severities) | set(SEVERITIES), SEVERITIES):
        parts.append(_checkbox("severity", severity, severities[severity], f"sev-{severity}", severity))
    parts.append("</fieldset><fieldset><legend>category</legend>")
    for category in _ordered(set(categories), CATEGORIES):
        parts.append(_checkbox("category", category, categories[category], "cat", category))
    if not categories:
        parts.append('<span class="none">—</span>')
    parts.append("</fieldset><fieldset><legend>review</legend>")
    for kind in STATES:
        parts.append(_checkbox("state", kind, states[kind], f"state-{kind}", _STATE_LABELS[kind]))
    parts.append('</fieldset><label class="toggle"><input type="checkbox" id="hide-empty"> '
                 "hide reports without (visible) flags</label>"
                 f'<span id="shown-count" aria-live="polite">{len(flags)} / {len(flags)} flags shown</span></nav>\n')
    return "".join(parts)


def _checkbox(group: str, value: str, count: int, badge: str, label: str) -> str:
    return (f'<label><input type="checkbox" data-filter="{group}" value="{_esc(value)}" checked> '
            f'<span class="badge {_esc(badge)}">{_esc(label)}</span> <small>{count}</small></label>')


# ---------------------------------------------------------------------------- the flags


def _flag_table(keys: list[tuple[str, Flag]], section_ids: dict[str, str], shown: set[str], config: Config,
                total: int | None = None) -> str:
    """One table of every flag listed: errors first, then warnings, then info; within a severity,
    in the order of the reports and of each report's text. TOTAL: the run's flags, when more."""
    head = '<section id="flags"><h2>问题 <span class="en">Flags</span></h2>\n'
    if not keys:
        return head + '<p class="none">No flags. 未发现问题。</p></section>\n'
    ordered = sorted(keys, key=lambda item: _rank(item[1].severity))  # stable: the run's order within
    rows = [head, '<table class="flags"><thead><tr><th>severity</th><th>rule</th><th>report</th><th>where</th>'
                  "<th>message</th><th>review</th></tr></thead><tbody>\n"]
    for key, flag in ordered:
        severity, category, kind = str(flag.severity), str(flag.category), state(flag)
        rule = config.rules.get(str(flag.rule))
        title = rule.title("zh") if rule else flag.name
        report = str(flag.report)
        sid = section_ids.get(report, "r-other")
        rows.append(
            f'<tr class="flag state-{kind}" id="{_esc(flag_anchor(str(flag.id)))}" data-key="{key}" '
            f'data-report="{sid}" data-flag="{_esc(flag.id)}" data-severity="{_esc(severity)}" '
            f'data-category="{_esc(category)}" data-state="{kind}">'
            f'<td><span class="badge sev-{_esc(severity)}">{_esc(severity)}</span></td>'
            f'<td><code>{_esc(flag.rule)}</code><br><small>{_esc(title)}</small></td>'
            f'<td><a href="#{sid}" title="{_esc(report)}">{_esc(_short(Path(report).name, 32))}</a></td>'
            f"<td>{_evidence_links(key, flag, shown)}</td>"
            f'<td class="msg">{_esc(flag.message)}<br><small class="id">{_esc(flag.id)} · '
            f"{_esc(category)}</small></td><td>{_review_cell(flag, kind)}</td></tr>\n")
    rows.append("</tbody></table>")
    if total is not None and total > len(keys):
        rows.append(_left_out(total - len(keys), "flag(s)", "flags.xlsx and flags.csv (the first "
                              f"{len(keys):,} are listed here, errors first)"))
    rows.append("</section>\n")
    return "".join(rows)


def _review_cell(flag: Flag, kind: str) -> str:
    if kind == "open":
        return '<span class="none">—</span>'
    review = flag.review
    why = justification(flag) if kind == "baselined" else \
        ": ".join(part for part in (review.status, review.comment) if part) if review else ""
    return f'<span class="badge state-{kind}" title="{_esc(why)}">{_esc(_STATE_LABELS[kind])}</span>' \
           f'<br><small>{_esc(_short(why, 60))}</small>'


def _evidence_links(key: str, flag: Flag, shown: set[str]) -> str:
    links = []
    for k, item in enumerate(flag.evidence):
        line = item.line
        label = f"L{_esc(line)}" if line is not None else f"#{k + 1}"
        if item.page is not None:  # a PDF's page
            label = f"p{_esc(item.page)} {label}"
        anchor = f"{key}-e{k}"
        if item.report:
            links.append(f'<span class="other" title="{_esc(item.report)}: {_esc(item.text)}">'
                         f'{_esc(item.report.rsplit("/", 1)[-1])} {label}</span>')
        elif anchor in shown:
            links.append(f'<a href="#{anchor}" title="{_esc(item.text)}">{label}</a>')
        else:
            title = _esc(item.text)
            links.append(f'<span class="missing" title="{title or "evidence not shown"}">{label}</span>')
    return " ".join(links) or '<span class="none">—</span>'


# ---------------------------------------------------------------------------- charts


def _charts(result: AuditResult, config: Config, rates: MediationRates) -> str:
    return ('<section id="charts"><h2>图表 <span class="en">Charts</span></h2>\n'
            + _rules_chart(result.flags, config)
            + _per_report_chart(result)
            + _mediation_chart(rates, len(result.records))
            + "</section>\n")


def _svg_open(css: str, width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg class="{css}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{css}-title {css}-desc"><title id="{css}-title">{_esc(title)}</title>'
            f'<desc id="{css}-desc">{_esc(desc)}</desc>')


def _rules_chart(flags: list[Flag], config: Config) -> str:
    """One bar per rule with flags (at most the rules there are), its severity's colour; the
    baselined part pale."""
    title = "每条规则的问题 Flags per rule"
    head = f'<figure class="chart"><figcaption>{_esc(title)}</figcaption>'
    counts = Counter(f.rule for f in flags)
    if not counts:
        return head + '<p class="none">No flags to draw. 未发现问题。</p></figure>\n'
    baselined = Counter(f.rule for f in flags if state(f) == "baselined")
    severity = {f.rule: str(f.severity) for f in flags}
    rules = sorted(counts, key=lambda r: (_rank(severity[r]), -counts[r], str(r)))
    left, right, top, row_h = 250, 40, 8, 22
    width, height = CHART_WIDTH, top + row_h * len(rules) + 26
    most = max(counts.values())
    _, _, step = _axis(0, most)
    step = max(1, math.ceil(step))
    high = step * math.ceil(most / step)

    def x(v: float) -> float:
        return left + (width - left - right) * v / high

    desc = f"{len(flags)} flag(s) of {len(rules)} rule(s); the pale part of a bar is baselined."
    out = [_svg_open("rules", width, height, title, desc)]
    for k in range(high // step + 1):
        out.append(f'<line class="grid" x1="{x(k * step):.1f}" x2="{x(k * step):.1f}" y1="{top}" '
                   f'y2="{height - 22}"/><text class="ylabel" x="{x(k * step):.1f}" y="{height - 8}" '
                   f'text-anchor="middle">{k * step}</text>')
    for i, rule_code in enumerate(rules):
        y = top + row_h * i
        rule = config.rules.get(str(rule_code))
        label = f"{rule_code} {rule.title('zh') if rule else ''}".strip()
        n, accepted = counts[rule_code], baselined[rule_code]
        out.append(f'<text class="ylabel" x="{left - 6}" y="{y + 15}" text-anchor="end">{_esc(_short(label, 22))}'
                   f"<title>{_esc(label)}</title></text>"
                   f'<rect x="{left}" y="{y + 3}" width="{x(n) - left:.1f}" height="{row_h - 6}" '
                   f'fill="{_colour(severity[rule_code])}"><title>{_esc(rule_code)}: {n} flag(s), {accepted} baselined'
                   "</title></rect>")
        if accepted:
            out.append(f'<rect class="pale" x="{x(n - accepted):.1f}" y="{y + 3}" width="{x(n) - x(n - accepted):.1f}" '
                       f'height="{row_h - 6}"/>')
        out.append(f'<text class="value" x="{x(n) + 4:.1f}" y="{y + 15}">{n}</text>')
    out.append("</svg>")
    return head + "".join(out) + f'<p class="note">{_esc(desc)}</p></figure>\n'


_FLAG_BINS = ((0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 9, "5–9"), (10, None, "10+"))


def _per_report_chart(result: AuditResult) -> str:
    """How many reports have no flag, one, two, …: a histogram of a few bins, at any run size."""
    title = "报告按问题数分布 Reports by number of flags"
    head = f'<figure class="chart"><figcaption>{_esc(title)}</figcaption>'
    per_report = Counter(f.report for f in result.flags if state(f) != "baselined")
    bins = [0] * len(_FLAG_BINS)
    read = 0  # counted as the records go by: a large run's are read from disk a batch at a time
    for record in result.records:
        if record.document.get("status") != "ok":
            continue
        read += 1
        n = per_report[record.document["report"]]
        bins[next(i for i, (lo, hi, _) in enumerate(_FLAG_BINS) if n >= lo and (hi is None or n <= hi))] += 1
    if not read:
        return head + '<p class="none">No report was read. 没有可读取的报告。</p></figure>\n'
    desc = (f"{read} report(s) read: {bins[0]} without flags, {read - bins[0]} with; "
            "baselined flags are not counted.")
    return head + _histogram("perreport", [label for _, _, label in _FLAG_BINS], bins, title, desc,
                             "flags per report", "reports") + f'<p class="note">{_esc(desc)}</p></figure>\n'


def _histogram(css: str, labels: list[str], counts: list[int], title: str, desc: str, x_title: str, y_title: str,
               shade: list[bool] | None = None, marked: list[bool] | None = None) -> str:
    left, right, top, bottom = 56, 16, 12, 46
    width, height = CHART_WIDTH, 250
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max(counts) if counts else 0
    _, _, step = _axis(0, max(most, 1))
    step = max(1, math.ceil(step))
    high = step * max(1, math.ceil(most / step))
    slot = plot_w / max(len(counts), 1)

    def y(v: float) -> float:
        return top + plot_h * (high - v) / high

    out = [_svg_open(css, width, height, title, desc)]
    for k in range(high // step + 1):
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(k * step):.1f}" y2="{y(k * step):.1f}"/>'
                   f'<text class="ylabel" x="{left - 6}" y="{y(k * step) + 4:.1f}" text-anchor="end">{k * step}</text>')
    every = max(1, math.ceil(len(labels) / 16))  # at most 16 labels along the axis
    for i, (label, n) in enumerate(zip(labels, counts)):
        x0 = left + slot * i
        if shade and shade[i]:
            out.append(f'<rect class="band" x="{x0:.1f}" y="{top}" width="{slot:.1f}" height="{plot_h}"/>')
        css_bar = "bar out" if marked and marked[i] else "bar"
        if n:
            out.append(f'<rect class="{css_bar}" x="{x0 + 1:.1f}" y="{y(n):.1f}" width="{max(slot - 2, 1):.1f}" '
                       f'height="{y(0) - y(n):.1f}"><title>{_esc(label)}: {n}</title></rect>')
        if i % every == 0:
            out.append(f'<text class="xlabel" x="{x0 + slot / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                       f"{_esc(label)}</text>")
    out.append(f'<text class="xlabel" x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
               f"{_esc(x_title)}</text>")
    out.append(f'<text class="ylabel" x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" '
               f'text-anchor="middle">{_esc(y_title)}</text></svg>')
    return "".join(out)


@dataclass
class _Rate:
    report: str
    value: float
    low: float | None
    high: float | None
    text: str
    line: int

    @property
    def outside(self) -> bool:
        return (self.low is not None and self.value < self.low) or (self.high is not None and self.value > self.high)


def mediation_facts(facts: pd.DataFrame | None) -> pd.DataFrame | None:
    """The figures the mediation chart draws: every people's-mediation success rate, in order."""
    if facts is None or facts.empty:
        return None
    return facts[(facts["kind"] == "rate") & (facts["metric"] == "success_rate")
                 & (facts["family"] == "people_mediation")]


@dataclass
class MediationRates:
    """What the mediation chart draws of a run, gathered a batch of figures at a time
    (auditor.report.writers.RunOutputs.add): each rate's value, in the run's order, the plausible
    ranges, how many reports state a rate, and the rates outside their range, the first
    MAX_RATES_LISTED of them whole. A batch holds every figure of its reports, so the counts of
    its reports add up. It grows by 8 bytes a rate, where the figures' rows kept for the chart
    grew by some 0.36 KB a report."""
    values: array = field(default_factory=lambda: array("d"))
    outside_values: array = field(default_factory=lambda: array("d"))
    bands: set[tuple[float, float]] = field(default_factory=set)
    reports: int = 0
    outside: list[_Rate] = field(default_factory=list)  # the first MAX_RATES_LISTED outside

    @classmethod
    def of(cls, facts: pd.DataFrame | None) -> MediationRates:
        rates = cls()
        rates.add(facts)
        return rates

    def add(self, facts: pd.DataFrame | None) -> None:
        rows = mediation_facts(facts)
        if rows is None:
            return
        reports = set()
        for row in rows[list(_CHART_COLUMNS)].itertuples(index=False):
            if is_missing(row.value_num) or not math.isfinite(row.value_num):
                continue
            low = None if is_missing(row.plausible_min) else float(row.plausible_min)
            high = None if is_missing(row.plausible_max) else float(row.plausible_max)
            rate = _Rate(str(row.report), float(row.value_num), low, high, str(row.text), int(row.line))
            reports.add(rate.report)
            self.values.append(rate.value)
            if low is not None and high is not None:
                self.bands.add((low, high))
            if rate.outside:
                self.outside_values.append(rate.value)
                if len(self.outside) < MAX_RATES_LISTED:
                    self.outside.append(rate)
        self.reports += len(reports)


# What the chart reads of a figure, beside mediation_facts' choice
_CHART_COLUMNS = ("report", "value_num", "plausible_min", "plausible_max", "text", "line")


def _mediation_chart(rates: MediationRates, n_reports: int) -> str:
    """The distribution of the run's people's-mediation success rates (RATES, of N_REPORTS
    reports): a histogram whose bins cover the rates stated, the plausible range shaded, the bins
    outside it in red; the rates outside are listed below (the first MAX_RATES_LISTED)."""
    title = "人民调解成功率分布 People's-mediation success rates"
    head = f'<figure class="chart"><figcaption>{_esc(title)}</figcaption>'
    if not rates.values:
        return head + '<p class="none">No report in this run states a people\'s-mediation success rate. ' \
                      "本次审计的报告均未给出人民调解成功率。</p></figure>\n"
    bands = sorted(rates.bands)
    low_edge, high_edge = min(rates.values), max(rates.values)
    for band in bands:
        low_edge, high_edge = min(low_edge, band[0]), max(high_edge, band[1])
    _, _, step = _axis(low_edge, high_edge)
    step /= 2  # about ten bins over the span the rates and their plausible ranges cover
    start = math.floor(low_edge / step) * step
    n_bins = min(60, max(1, math.floor((high_edge - start) / step + 1e-9) + 1))

    def bin_of(value: float) -> int:
        return min(n_bins - 1, max(0, int((value - start) // step)))

    counts = [0] * n_bins
    for value in rates.values:
        counts[bin_of(value)] += 1
    edges = [start + step * i for i in range(n_bins)]
    inside = [any(lo <= e and e + step <= hi + 1e-9 for lo, hi in bands) for e in edges]
    outside_bins = [False] * n_bins
    for value in rates.outside_values:
        outside_bins[bin_of(value)] = True
    outside = len(rates.outside_values)
    desc = (f"{len(rates.values)} rate(s) from {rates.reports} of {n_reports} report(s), in bins of {_num(step)} points; "
            f"the plausible range is shaded; {outside} rate(s) outside it, in red bins and listed below.")
    labels = [f"{_num(e)}%" for e in edges]
    svg = _histogram("rates", labels, counts, title, desc, "success rate (bin start)", "rates", inside, outside_bins)
    return head + svg + f'<p class="note">{_esc(desc)}</p>{_outside_table(rates.outside, outside)}</figure>\n'


def _outside_table(outside: list[_Rate], count: int) -> str:
    """The first rates outside (OUTSIDE), of COUNT."""
    if not outside:
        return ""
    rows = [f'<details class="outside"><summary>{count} rate(s) outside the plausible range 超出合理区间'
            "</summary><table><thead><tr><th>report</th><th>line</th><th>rate</th><th>plausible</th></tr></thead><tbody>"]
    for r in outside:
        band = f"{_num(r.low)}–{_num(r.high)}%" if r.low is not None and r.high is not None else "—"
        rows.append(f"<tr><td>{_esc(r.report)}</td><td>{r.line}</td><td>{_esc(r.text)}</td><td>{_esc(band)}</td></tr>")
    rows.append("</tbody></table>")
    if count > len(outside):
        rows.append(f'<p class="note">… {count - len(outside)} more; every figure is in facts.csv.</p>')
    rows.append("</details>")
    return "".join(rows)


def _axis(low: float, high: float) -> tuple[float, float, float]:
    """A rounded axis range and tick step that hold [low, high], with about five ticks."""
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


# ---------------------------------------------------------------------------- the reports


def _report_sections(result: AuditResult, flags_by_report: dict, section_ids: dict[str, str]) -> tuple[list[str], set[str]]:
    """Each report's section (a large run: only those with flags or unreadable), and the evidence
    anchors drawn in their texts."""
    sections, shown = [], set()
    text_views = 0
    quiet_sections = len(result.records) <= MAX_REPORTS_WITH_SECTIONS
    for record in result.records:
        doc = record.document
        flags = flags_by_report.get(doc["report"], [])
        if not flags and doc.get("status") == "ok" and not quiet_sections:
            continue  # a large run: reports without flags stand in the index only
        if len(sections) == MAX_REPORTS_LISTED:
            left = sum(1 for r in result.records if flags_by_report.get(r.document["report"])
                       or r.document.get("status") != "ok") - MAX_REPORTS_LISTED
            sections.append(_left_out(left, "report section(s)", "flags.xlsx, flags.csv and reports.csv"))
            break
        with_text = (bool(flags) or quiet_sections) and text_views < MAX_TEXT_VIEWS
        text_views += with_text
        section, drawn = _report_section(record, flags, section_ids[doc["report"]], with_text)
        sections.append(section)
        shown |= drawn
    orphans = [item for report, items in flags_by_report.items() if report not in section_ids for item in items]
    if orphans:  # a flag whose report is not among the records: still shown, never dropped
        sections.append(f'<section class="report" id="r-other" data-flags="{len(orphans)}"><h2>other flags</h2>'
                        + _flag_links(orphans) + "</section>\n")
    return sections, shown


def _report_section(record: ReportRecord, flags: list[tuple[str, Flag]], sid: str,
                    with_text: bool) -> tuple[str, set[str]]:
    doc = record.document
    status = str(doc.get("status"))
    highlights = _highlights(flags)
    if status == "ok" and with_text:
        view_html, shown = _text_section(doc, highlights, sid, opened=bool(flags))
    elif status == "ok":
        view_html, shown = _TEXT_OMITTED, set()
    else:
        view_html, shown = "", set()
    parts = [
        f'<section class="report" id="{sid}" data-flags="{len(flags)}">',
        f'<h3><span class="status status-{_esc(status)}">{_esc(status)}</span> {_esc(doc["report"])}</h3>\n',
        _metadata(record, flags),
        _flag_links(flags),
        view_html,
        "</section>\n",
    ]
    return "".join(parts), shown


def _metadata(record: ReportRecord, flags: list[tuple[str, Flag]]) -> str:
    doc = record.document
    counts = Counter(f.severity for _, f in flags)
    path = display_name(doc["path"]) if doc.get("path") else doc.get("path")  # a name's non-UTF-8 bytes escaped
    items = [("report", doc.get("report")), ("path", path), ("status", doc.get("status")),
             ("reason", doc.get("reason")), ("title", doc.get("title")), ("region", doc.get("region")),
             ("year", doc.get("year")), ("body", doc.get("issuer")), ("previous year", _previous(doc)),
             ("published", doc.get("published_date")),
             ("signed", doc.get("signed_date")), ("signer", doc.get("signer")), ("docno", doc.get("docno")),
             ("encoding", doc.get("encoding")), ("sha256", doc.get("sha256")),
             ("characters", doc.get("n_chars")), ("lines", doc.get("n_lines")),
             ("facts", doc.get("n_facts")), ("relations", doc.get("n_relations")),
             ("checked", doc.get("n_checked"))]  # relations a rule checked, passed or failed
    parts = ['<dl class="meta">']
    for name, value in items:
        if (name in ("reason", "body", "previous year") and not value) or (name == "path" and value == doc.get("report")):
            continue  # nothing to say, or said on the line above
        css = ' class="reason"' if name == "reason" else ""
        parts.append(f"<dt>{name}</dt><dd{css}>{_show(value)}</dd>")
    shown = " · ".join(f'<span class="badge sev-{s}">{s}</span> {counts[s]}' for s in SEVERITIES)
    parts.append(f'<dt>flags</dt><dd>{shown} · <span class="shown-count">{len(flags)} / {len(flags)}</span> shown'
                 "</dd></dl>\n")
    return "".join(parts)


def _previous(doc: dict) -> str | None:
    """Last year's report of the same body, which the checks across years compared it with."""
    previous = doc.get("previous_report")
    if not isinstance(previous, str):
        return None
    return f"{doc.get('previous_year')}: {previous}"


def _flag_links(flags: list[tuple[str, Flag]]) -> str:
    """A report's flags as links to their rows in the table of flags."""
    if not flags:
        return '<p class="none">No flags. 未发现问题。</p>\n'
    items = []
    for key, flag in sorted(flags, key=lambda item: _rank(item[1].severity)):
        severity = str(flag.severity)
        items.append(f'<li data-key="{key}"><a href="#{_esc(flag_anchor(str(flag.id)))}">'
                     f'<span class="badge sev-{_esc(severity)}">{_esc(severity)}</span> <code>{_esc(flag.rule)}'
                     f"</code></a> {_esc(_short(str(flag.message), 90))}</li>")
    return '<ul class="report-flags">' + "".join(items) + "</ul>\n"


# ---------------------------------------------------------------------------- the text view


@dataclass(frozen=True)
class Highlight:
    """One evidence span of one flag: `key` names the flag in the page, `anchor` this span."""

    start: int
    end: int
    key: str
    flag_id: str
    severity: str
    anchor: str
    cell: bool = False       # a table cell the flag compares, marked inside its row


def _highlights(flags: list[tuple[str, Flag]]) -> list[Highlight]:
    out = []
    for key, flag in flags:
        for k, item in enumerate(flag.evidence):
            if item.report:  # a quote of another report
                continue
            start, end = _offset(item.start), _offset(item.end)
            if start is None or end is None:
                continue
            severity = str(flag.severity)
            out.append(Highlight(start, end, key, str(flag.id), severity, f"{key}-e{k}"))
            for j, cell in enumerate(item.cells or ()):
                a, b = (_offset(v) for v in cell) if isinstance(cell, (list, tuple)) and len(cell) == 2 else (None, None)
                if a is not None and b is not None and start <= a < b <= end:
                    out.append(Highlight(a, b, key, str(flag.id), severity, f"{key}-e{k}-c{j}", cell=True))
    return out


def _offset(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or is_missing(value):
        return None
    return int(value) if float(value).is_integer() else None


def _text_section(doc: dict, highlights: list[Highlight], sid: str, opened: bool = True) -> tuple[str, set[str]]:
    """Re-read the report's text (only this one is held) and render it, open or collapsed; returns
    the anchors drawn."""
    path = Path(doc["path"])
    head = (f'<details class="text"{" open" if opened else ""}><summary>原文 <span class="en">text</span>'
            f'{"" if opened else " (no flags: collapsed 无问题, 已折叠)"}</summary>')
    try:
        data = path.read_bytes()
        view = text_view(data, path.suffix)
    except (OSError, UnreadableReport) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return head + f'<p class="notice">The text could not be re-read: {_esc(reason)}</p></details>\n', set()
    notice = ""
    if doc.get("sha256") and hashlib.sha256(data).hexdigest() != doc["sha256"]:
        notice = ('<p class="notice">The file has changed since it was audited: highlights may not match '
                  "the text. 文件在审计后已被修改。</p>")
    del data
    source_line = view.source_line
    body, shown = render_text_view(view.text, highlights, sid, source_line)
    return head + notice + body + "</details>\n", shown


def render_text_view(text: str, highlights: list[Highlight], prefix: str,
                     source_line: Callable[[int], int] | None = None, limit: int | None = None) -> tuple[str, set[str]]:
    """The text as numbered lines with highlights as nested <mark>s; returns (html, anchors drawn).

    Spans outside the text or empty are skipped. Overlapping spans are split where they cross,
    so marks always nest. Time is linear in the text plus the spans (times their nesting depth).
    """
    limit = TEXT_VIEW_LIMIT if limit is None else limit
    n = len(text)
    valid = [h for h in highlights if 0 <= h.start < h.end <= n]
    starts = _line_starts(text)
    notice = ""
    if n > limit:
        windows = _windows(text, starts, valid)
        notice = (f'<p class="notice">This report has {n:,} characters, more than the {limit:,} shown in full: '
                  f"the text view shows its head and ±{CONTEXT_LINES} lines (at most {CONTEXT_CHARS:,} characters) "
                  f"around each flag's evidence; the rest is marked as omitted. "
                  f"正文过长,仅显示问题所在段落。</p>")
    else:
        windows = [(0, n)]
    renderer = _Renderer(text, starts, valid, prefix, source_line)
    body = renderer.render(windows)
    skipped = len(highlights) - len(valid)
    if skipped:
        notice += (f'<p class="notice">{skipped} evidence span(s) lie outside this text and are not highlighted. '
                   "部分证据位置超出正文范围。</p>")
    return notice + body, renderer.anchored


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _windows(text: str, starts: list[int], highlights: list[Highlight]) -> list[tuple[int, int]]:
    """Merged character ranges to show in a shortened view: the head and context around evidence."""
    n = len(text)
    ranges = [(0, min(n, _line_end(text, starts, 0, CONTEXT_LINES * 5), HEAD_CHARS))]
    for h in highlights:
        first = max(0, bisect_right(starts, h.start) - 1 - CONTEXT_LINES)
        last_line = bisect_right(starts, max(h.start, h.end - 1)) - 1
        lo = max(starts[first], h.start - CONTEXT_CHARS)
        hi = min(_line_end(text, starts, last_line, CONTEXT_LINES), h.end + CONTEXT_CHARS)
        ranges.append((lo, max(hi, h.end)))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in ranges:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _line_end(text: str, starts: list[int], line: int, extra: int) -> int:
    """End offset (before its newline) of the line `extra` lines after `line` (0-based)."""
    target = min(line + extra, len(starts) - 1)
    return starts[target + 1] - 1 if target + 1 < len(starts) else len(text)


@dataclass
class _Renderer:
    """Walks the text once, keeping the open highlights as a stack that the DOM mirrors lazily."""

    text: str
    starts: list[int]
    highlights: list[Highlight]
    prefix: str
    source_line: Callable[[int], int] | None = None
    anchored: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        events: dict[int, tuple[list[Highlight], list[Highlight]]] = defaultdict(lambda: ([], []))
        for h in self.highlights:
            events[h.start][1].append(h)
            events[h.end][0].append(h)
        self.positions = sorted(events)
        self.events = dict(events)
        self.next_event = 0
        self.logical: list[Highlight] = []  # open spans, outermost first
        self.dom: list[Highlight] = []      # marks open in the output, a prefix-compatible copy
        self.out: list[str] = []

    def render(self, windows: list[tuple[int, int]]) -> str:
        if not self.text:
            return '<p class="none">(the text is empty)</p>'
        previous = 0
        for lo, hi in windows:
            if lo > previous:
                self._gap(previous, lo)
            line = bisect_right(self.starts, lo) - 1
            while line < len(self.starts) and self.starts[line] < hi:
                line_start = self.starts[line]
                line_end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
                a, b = max(line_start, lo), min(line_end, hi)
                if a < b or a == line_start:  # skip only the empty tail of a line cut at its newline
                    self._line(line, a, b, line_start, line_end)
                line += 1
            previous = max(previous, hi)
        if previous < len(self.text):
            self._gap(previous, len(self.text))
        self._advance(len(self.text))  # anchors for spans that never showed a character
        return '<div class="lines">' + "".join(self.out) + "</div>"

    def _line(self, index: int, a: int, b: int, line_start: int, line_end: int) -> None:
        number = self.source_line(line_start) if self.source_line else index + 1
        cut = (" cut-start" if a > line_start else "") + (" cut-end" if b < line_end else "")
        self.out.append(f'<div class="l{cut}" id="{self.prefix}-L{index + 1}" data-n="{number}">')
        self._advance(a)
        cursor = a
        while self.next_event < len(self.positions) and self.positions[self.next_event] < b:
            q = self.positions[self.next_event]
            self._write(cursor, q)
            cursor = q
            self._advance(q)
        self._write(cursor, b)
        self._close_dom()
        self.out.append("</div>\n")

    def _gap(self, lo: int, hi: int) -> None:
        first = bisect_right(self.starts, lo) - 1
        last = bisect_right(self.starts, max(lo, hi - 1)) - 1
        self.out.append(f'<div class="gap">… lines {first + 1}–{last + 1} partly or wholly omitted '
                        f"({hi - lo:,} characters) 省略 …</div>\n")

    def _advance(self, position: int) -> None:
        """Apply every start and end at or before `position`."""
        while self.next_event < len(self.positions) and self.positions[self.next_event] <= position:
            ends, begins = self.events[self.positions[self.next_event]]
            self.next_event += 1
            if ends:
                ending = set(map(id, ends))
                for h in ends:
                    if h.anchor not in self.anchored and h in self.logical:
                        self._empty_anchor(h)  # its whole span was newlines or omitted: keep the link target
                self.logical = [h for h in self.logical if id(h) not in ending]
            if begins:
                self.logical.extend(sorted(begins, key=lambda h: (-h.end, h.key, h.anchor)))

    def _write(self, a: int, b: int) -> None:
        if a >= b:
            return
        chunk = self.text[a:b].translate(_CONTROL)
        if not chunk:
            return
        self._sync_dom()
        self.out.append(html.escape(chunk, quote=True))

    def _sync_dom(self) -> None:
        common = 0
        for opened, wanted in zip(self.dom, self.logical):
            if opened is not wanted:
                break
            common += 1
        self.out.extend("</mark>" for _ in self.dom[common:])
        self.out.extend(self._open(h) for h in self.logical[common:])
        self.dom = list(self.logical)

    def _close_dom(self) -> None:
        self.out.extend("</mark>" for _ in self.dom)
        self.dom = []

    def _open(self, h: Highlight) -> str:
        anchor = ""
        if h.anchor not in self.anchored:
            self.anchored.add(h.anchor)
            anchor = f' id="{h.anchor}"'
        cell = " cell" if h.cell else ""
        return (f'<mark{anchor} class="hl sev-{_esc(h.severity)}{cell}" data-key="{h.key}" '
                f'data-flag="{_esc(h.flag_id)}" data-ev="{h.anchor}">')

    def _empty_anchor(self, h: Highlight) -> None:
        self.out.append(self._open(h) + "</mark>")


# ---------------------------------------------------------------------------- static assets

# CJK fonts of Windows (微软雅黑, 黑体, 宋体), macOS (苹方, 冬青黑体, 华文黑体) and Linux (Noto, 思源,
# 文泉驿, Droid), then the generic family: lang="zh-CN" lets a browser pick its own CJK fallback.
_FONT = ('"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", '
         '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", '
         '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "SimHei", "黑体", "SimSun", "宋体", '
         "sans-serif")

_CSS = """
:root { --error: #c62828; --warning: #e07b00; --info: #1565c0; --line: #d8dde3; --muted: #5f6b76; }
* { box-sizing: border-box; }
body { font-family: FONT; margin: 0 auto; max-width: 1280px; padding: 0 20px 60px; color: #1d2329;
       background: #fff; line-height: 1.55; font-size: 15px; }
header { border-bottom: 3px solid #8b1a1a; margin-bottom: 12px; }
h1 { font-size: 24px; margin: 18px 0 2px; color: #8b1a1a; }
h2 { font-size: 19px; margin: 26px 0 8px; }
h3 { font-size: 16px; margin: 8px 0 6px; overflow-wrap: anywhere; }
.en { color: var(--muted); font-weight: normal; font-size: 0.8em; }
.tool, .note, .none { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; position: sticky; top: 0; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 2px; }
table.counts td { text-align: right; min-width: 4em; }
table.counts tr.total td, table.counts tr.total th { background: #fafbfc; }
td.zero { color: #b0b7be; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; color: #fff;
         background: #607d8b; white-space: nowrap; }
.badge.sev-error { background: var(--error); } .badge.sev-warning { background: var(--warning); }
.badge.sev-info { background: var(--info); } .badge.cat { background: #455a64; }
.badge.state-open { background: #78909c; } .badge.state-reviewed { background: #6a1b9a; }
.badge.state-baselined { background: #2e7d32; }
.status { font-size: 12px; padding: 0 6px; border-radius: 3px; border: 1px solid; }
.status-ok { color: #2e7d32; } .status-error { color: var(--error); }
nav#filters { position: sticky; top: 0; z-index: 5; background: #fffffff0; border: 1px solid var(--line);
              border-radius: 4px; padding: 6px 10px; display: flex; flex-wrap: wrap; gap: 6px 18px;
              align-items: center; box-shadow: 0 1px 4px #0001; }
nav#filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; }
nav#filters legend { float: left; color: var(--muted); font-size: 13px; margin-right: 6px; }
nav#filters label { cursor: pointer; white-space: nowrap; }
#shown-count { margin-left: auto; color: var(--muted); font-size: 13px; }
table.flags { width: 100%; }
table.flags thead th { top: 48px; z-index: 1; }
table.flags td.msg { min-width: 22em; }
table.flags small.id { color: #9aa3ab; font-family: monospace; }
tr.flag.state-baselined td { background: #f4f8f4; color: #4b5a4b; }
tr.flag:target { outline: 2px solid #8b1a1a; }
figure.chart { margin: 10px 0 20px; }
figure.chart figcaption { font-weight: bold; margin-bottom: 4px; }
svg { font-family: FONT; font-size: 12px; display: block; max-width: 100%; height: auto; }
svg .grid { stroke: #e3e7eb; } svg .band { fill: #2e7d32; fill-opacity: 0.14; }
svg .bar { fill: #1565c0; } svg .bar.out { fill: var(--error); } svg .pale { fill: #fff; fill-opacity: 0.55; }
svg .ylabel, svg .xlabel, svg .value { fill: var(--muted); }
details.index > summary, details.outside > summary { cursor: pointer; color: var(--muted); }
section.report { border-top: 2px solid var(--line); margin-top: 22px;
                  content-visibility: auto; contain-intrinsic-size: auto 900px; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr) max-content minmax(0, 1fr);
          gap: 2px 14px; margin: 6px 0 12px; font-size: 14px; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
dd.reason { color: var(--error); font-weight: bold; }
ul.report-flags { margin: 4px 0 8px; padding-left: 18px; font-size: 14px; }
.missing { color: var(--muted); text-decoration: underline dotted; }
.other { color: var(--muted); }
details.text > summary { cursor: pointer; font-weight: bold; margin: 6px 0; }
.lines { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 4px;
         padding: 6px 8px 6px 0; background: #fcfcfd; }
.l { position: relative; padding-left: 4.6em; white-space: pre-wrap; overflow-wrap: anywhere;
     min-height: 1.55em; }
.l::before { content: attr(data-n); position: absolute; left: 0; width: 3.8em; text-align: right;
             color: #a3abb3; font-size: 12px; user-select: none; }
.l.cut-start::before { content: attr(data-n) " …"; }
.l.cut-end::after { content: " …"; color: var(--muted); }
.l:target { background: #fff6d6; }
.gap { color: var(--muted); font-style: italic; padding-left: 4.6em; background: #f1f3f5; }
mark.hl { background: rgba(198, 40, 40, 0.16); border-bottom: 2px solid var(--error); color: inherit;
          scroll-margin-top: 80px; cursor: pointer; }
mark.hl.sev-warning { background: rgba(224, 123, 0, 0.18); border-bottom-color: var(--warning); }
mark.hl.sev-info { background: rgba(21, 101, 192, 0.14); border-bottom-color: var(--info); }
mark.hl.off { background: none; border-bottom: 0; }
mark.hl.cell { outline: 2px solid var(--error); outline-offset: 1px; font-weight: bold; }
mark.hl.cell.sev-warning { outline-color: var(--warning); }
mark.hl.cell.off { outline: none; font-weight: normal; }
mark.hl:target { outline: 2px solid #8b1a1a; }
.notice { background: #fff3e0; border-left: 4px solid var(--warning); padding: 6px 10px; }
@media print { nav#filters { display: none; } .lines { max-height: none; overflow: visible; }
               thead th { position: static; } section.report { content-visibility: visible; } }
""".replace("FONT", _FONT)

# Plain ES5 so that old browsers on government desktops run it too.
_SCRIPT = """
(function () {
  "use strict";
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var boxes = all("input[data-filter]"), rows = all("tr.flag"), marks = all("mark[data-key]");
  var sections = all("section.report"), indexRows = all("tr.report-row"), links = all("ul.report-flags li");
  var hideEmpty = document.getElementById("hide-empty");

  function wanted() {
    var on = {severity: {}, category: {}, state: {}};
    boxes.forEach(function (b) { on[b.getAttribute("data-filter")][b.value] = b.checked; });
    return on;
  }

  /* Show the flag rows the filters allow, their highlights and links, and the reports that keep some. */
  function apply() {
    var on = wanted(), visible = {}, perReport = {}, bySeverity = {}, byState = {};
    var shown = 0, marksOn = 0, reportsOn = 0;
    rows.forEach(function (r) {
      var sev = r.getAttribute("data-severity"), rep = r.getAttribute("data-report");
      var st = r.getAttribute("data-state");
      var show = on.severity[sev] !== false && on.category[r.getAttribute("data-category")] !== false &&
                 on.state[st] !== false;
      r.hidden = !show;
      visible[r.getAttribute("data-key")] = show;
      if (show) {
        shown += 1;
        perReport[rep] = (perReport[rep] || 0) + 1;
        bySeverity[sev] = (bySeverity[sev] || 0) + 1;
        byState[st] = (byState[st] || 0) + 1;
      }
    });
    marks.forEach(function (m) {
      var show = visible[m.getAttribute("data-key")] === true;
      m.classList.toggle("off", !show);
      if (show) { marksOn += 1; }
    });
    links.forEach(function (l) { l.hidden = visible[l.getAttribute("data-key")] !== true; });
    var hidden = {};
    sections.forEach(function (s) {
      var n = perReport[s.id] || 0, hide = hideEmpty.checked && n === 0;
      s.hidden = hide;
      hidden[s.id] = hide;
      if (!hide) { reportsOn += 1; }
      var counter = s.querySelector(".shown-count");
      if (counter) { counter.textContent = n + " / " + s.getAttribute("data-flags"); }
    });
    indexRows.forEach(function (r) { r.hidden = hidden[r.getAttribute("data-report")] === true; });
    document.getElementById("shown-count").textContent = shown + " / " + rows.length + " flags shown";
    return {visible_flags: shown, total_flags: rows.length, by_severity: bySeverity, by_state: byState,
            visible_reports: reportsOn, total_reports: sections.length, marks_on: marksOn, marks: marks.length};
  }

  /* Going to an anchor inside a collapsed text opens it. */
  function reveal() {
    var id = location.hash.slice(1), target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentNode) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    if (target && target.scrollIntoView) { target.scrollIntoView(); }
  }

  /* Test hook: #selftest=severity:error,warning;category:rate;state:open;hide-empty */
  function selftest(spec) {
    spec.split(";").forEach(function (part) {
      var pair = part.split(":"), group = pair[0];
      if (group === "hide-empty") { hideEmpty.checked = true; return; }
      if (pair.length < 2) { return; }
      var values = pair[1].split(",");
      boxes.forEach(function (b) {
        if (b.getAttribute("data-filter") === group) { b.checked = values.indexOf(b.value) >= 0; }
      });
    });
  }

  function sizes(state) {
    var texts = all("details.text"), wide = 0, tall = 0;
    state.texts_open = texts.filter(function (d) { return d.open; }).length;
    state.texts_closed = texts.length - state.texts_open;
    all("svg").forEach(function (s) {
      wide = Math.max(wide, +s.getAttribute("width") || 0);
      tall = Math.max(tall, +s.getAttribute("height") || 0);
    });
    state.svg_max_width = wide;
    state.svg_max_height = tall;
    document.body.getBoundingClientRect();  /* the layout done: the page is ready to read */
    state.ready_ms = Math.round(window.performance ? performance.now() : 0);
    return state;
  }

  var match = /^#selftest=(.*)$/.exec(location.hash);
  if (match) { selftest(decodeURIComponent(match[1])); }
  var state = apply();
  if (match) {
    var out = document.getElementById("selftest");
    out.textContent = JSON.stringify(sizes(state));
    out.hidden = false;
  } else if (location.hash) {
    reveal();
  }
  boxes.concat([hideEmpty]).forEach(function (b) { b.addEventListener("change", apply); });
  window.addEventListener("hashchange", reveal);
  /* A click on highlighted text goes to its flag's row. */
  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.hl") : null;
    if (mark) { location.hash = "flag-" + mark.getAttribute("data-flag"); }
  });
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
# Nothing loads from anywhere; only our own script (by hash) runs; inline event handlers never do.
_CSP = (f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'")

__all__ = ["write_html", "render_html", "MediationRates", "render_text_view", "Highlight", "TEXT_VIEW_LIMIT", "flag_anchor", "page_title"]
