"""The two tables of the 2019 and 2021 template: requests by applicant, and appeals.

收到和处理政府信息公开申请情况: from 本年新收 to 结转下年度继续办理, one row per kind of request
and outcome, one column per kind of applicant, the total last. Rows are named by a word of their
label (disclosure_template.yaml); every row between 上年结转 and 总计 is an outcome.

政府信息公开行政复议、行政诉讼情况: one row of blocks (行政复议; 行政诉讼 未经复议直接起诉;
行政诉讼 复议后起诉), each 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import regex

from auditor.config import DisclosureTemplate
from auditor.extract.tables.model import Row, Table
from auditor.extract.tables.resolve import may_split, settle
from auditor.extract.tables.splits import Sum
from auditor.extract.tables.stream import Run, Segment, iter_segments, last_item_name

MAX_ROWS = 60            # the template has about 30; past this the stream is no table
MAX_TABLE_CHARS = 12000  # how far after its first row a table may run
_PROSE_MARKS = ("。", "；")
_FROM_BRACKET_RE = regex.compile(r"[（(].*$")
_BRACKETS_RE = regex.compile(r"[()（）]")
_PUNCTUATION_OR_BLANK_RE = regex.compile(r"[\p{P}\s]")
_GROUP_RE = regex.compile(r"[（(]([一二三四五六七八九十]+)[)）]([^（(0-9０-９]*)")


def is_prose(label: str) -> bool:
    """A label holding a full stop or a semicolon is a sentence: the table has ended."""
    return any(mark in label for mark in _PROSE_MARKS)


def find_words(text: str, words: tuple[str, ...], start: int = 0) -> Iterator[re.Match]:
    """The matches of an alternation of the words, in their order, from start on. str.find
    tells first whether the text holds any of them (most reports hold no table); only then is
    the text scanned with the pattern, whose first characters (政, 行) are common: the scans
    took 10 of read_tables' 16 ms on the 72 work reports, which hold no table (python -m
    bench.extraction)."""
    if words and all(text.find(word, start) == -1 for word in words):
        return iter(())
    return words_re(words).finditer(text, start)


@lru_cache(maxsize=16)
def words_re(words: tuple[str, ...]) -> re.Pattern:
    """An alternation of the words, in their order, compiled once per word list."""
    return re.compile("|".join(re.escape(w) for w in words))


def is_stray(run: Run, width: int) -> bool:
    """A lone short number between labels (an item number in its own cell: | 1 | 属于国家秘密 |)."""
    return width > 2 and len(run.tokens) == 1 and run.n_digits < min(width, 3)


def read_applications(text: str, template: DisclosureTemplate) -> Table | None:
    anchors = [a for a in (text.find(w) for w in template.rows["new"].words) if a >= 0]
    if not anchors:
        return None
    start = min(anchors)
    width = len(template.columns)
    table = Table("applications", tuple(c.zh for c in template.columns))
    runs: dict[int, Run] = {}
    pending, group = "", ""
    for seg in iter_segments(text, start, min(len(text), start + MAX_TABLE_CHARS)):
        label = pending + seg.label
        if seg.run is not None and is_stray(seg.run, width):
            pending = label + seg.run.tokens[0].text + "."  # an item number in a cell of its own
            continue
        pending = ""
        if any(w in label for w in template.appeal_start_words):
            break  # the table of appeals begins
        key = row_key(label, table.rows, template)
        if key is None:
            if is_prose(label) or seg.run is None:
                break
            continue
        group = group_of(label) or group
        if seg.run is None:
            break
        name = template.rows[key].zh if key in template.rows else outcome_name(label, group)
        table.rows.append(_row(key, name, label, seg, text))
        runs[len(table.rows) - 1] = seg.run
        if key == "carried_out" or len(table.rows) > MAX_ROWS:
            break
    if not any(r.key == "new" for r in table.rows):
        return None
    row_sums = [Sum(tuple(range(width - 1)), (width - 1,))]
    table.runs_split = may_split(list(runs.values()), width)
    table.unfit = settle(table, runs, width, row_sums, _column_sums(table, width), table.runs_split)
    return table


def _row(key: str, name: str, label: str, seg: Segment, text: str) -> Row:
    run = seg.run
    return Row(key, name, label, run.start, run.end, text[run.start:run.end], run.inline,
               label_start=seg.label_start)


def row_key(label: str, rows: list[Row], template: DisclosureTemplate) -> str | None:
    """new first; then carried_in, outcomes, total and carried_out in the template's order."""
    words = {key: named.words for key, named in template.rows.items()}
    seen = {r.key for r in rows}
    if not seen:
        return "new" if _has(label, words["new"]) else None
    if "total" in seen:
        return "carried_out" if _has(label, words["carried_out"]) else None
    if _has(label, words["carried_out"]):
        return "carried_out"
    if _has(label, words["total"]):
        return "total"
    if _has(label, words["carried_in"]):
        return "carried_in"
    return "outcome"


def _has(label: str, words: tuple[str, ...]) -> bool:
    return any(w in label for w in words)


def group_of(label: str) -> str:
    """The last outcome group a label opens: （六）其他处理 -> 其他处理."""
    groups = _GROUP_RE.findall(label)
    return _FROM_BRACKET_RE.sub("", groups[-1][1]) if groups else ""


def outcome_name(label: str, group: str) -> str:
    """予以公开, 属于国家秘密, 其他处理·其他 (a short item keeps its group's name)."""
    name = last_item_name(label)
    if len(name) < 3 and "·" not in name and group and group != name:
        name = f"{group}·{name}"
    return name[:16]


def _column_sums(table: Table, width: int) -> list[Sum]:
    """Across rows, per column: 本年新收 + 上年结转 = 总计 + 结转下年度; 总计 = the outcomes."""
    index = {r.key: i for i, r in enumerate(table.rows) if r.key != "outcome"}
    outcomes = [i for i, r in enumerate(table.rows) if r.key == "outcome"]
    sums = []
    for c in range(width):
        if all(k in index for k in ("new", "carried_in", "total", "carried_out")):
            sums.append(Sum(((index["new"], c), (index["carried_in"], c)),
                            ((index["total"], c), (index["carried_out"], c))))
        if "total" in index and outcomes:
            sums.append(Sum(tuple((i, c) for i in outcomes), ((index["total"], c),)))
    return sums


# --- appeals --------------------------------------------------------------------------------

def read_appeals(text: str, template: DisclosureTemplate, after: int = 0, runs_split: bool = False) -> Table | None:
    """The appeals table after offset `after`: the first opening word followed by its header
    and its row (not the same words in a sentence before it); runs_split when the report runs
    its cells together."""
    for match in find_words(text, template.appeal_start_words, after):
        table = _appeals_at(text, match.start(), template, runs_split)
        if table is not None:
            return table
    return None


def _appeals_at(text: str, start: int, template: DisclosureTemplate, runs_split: bool) -> Table | None:
    block = len(template.block_columns)
    width = block * len(template.blocks)
    columns = tuple(f"{b.zh}{c.zh}" for b in template.blocks for c in template.block_columns)
    table = Table("appeals", columns)
    label = ""
    stream = iter_segments(text, start, min(len(text), start + MAX_TABLE_CHARS // 4))
    for seg in stream:
        label += seg.label
        if is_prose(label) or seg.run is None:
            return None
        if not all(w in label for w in template.appeal_header_words):
            continue
        if is_stray(seg.run, width):
            label += seg.run.tokens[0].text
            continue
        run = _stacked(seg.run, stream, width, _header_words(template))  # the segments after this one
        table.rows.append(Row("appeals", "政府信息公开行政复议、行政诉讼", label, run.start, run.end,
                              text[run.start:run.end], run.inline, label_start=seg.label_start))
        row_sums = [Sum(tuple(range(b, b + block - 1)), (b + block - 1,)) for b in range(0, width, block)]
        table.runs_split = runs_split or may_split([run], width)
        table.unfit = settle(table, {0: run}, width, row_sums, [], table.runs_split)
        return table
    return None


def _stacked(run: Run, following: Iterable[Segment], width: int, header: tuple[str, ...]) -> Run:
    """A wide table printed in stacked parts (行政复议's block, then 行政诉讼's two under their own
    header): the runs after the first, each under a label of header words only, joined while
    they fill the row exactly; otherwise the first run as it stands."""
    tokens = list(run.tokens)
    for seg in following:
        if len(tokens) >= width or seg.run is None or not _only_header(seg.label, header):
            break
        tokens += seg.run.tokens
    if len(tokens) != width or len(tokens) == len(run.tokens):
        return run
    return Run(tokens, explicit=True, inline=False)  # each part's tokens are whole cells


def _header_words(template: DisclosureTemplate) -> tuple[str, ...]:
    words = {c.zh for c in template.block_columns}
    for b in template.blocks:
        words |= {w for w in _BRACKETS_RE.split(b.zh) if w}
    return tuple(sorted(words, key=len, reverse=True))


def _only_header(label: str, header: tuple[str, ...]) -> bool:
    for word in header:
        label = label.replace(word, "")
    return not _PUNCTUATION_OR_BLANK_RE.sub("", label)
