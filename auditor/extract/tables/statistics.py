"""The 政府信息公开情况统计表 of the reports before 2020.

One row per 统计指标: its label, its unit (条, 件 …) and one or two value columns, 本年度 and
历年累计, as the header names them:

    指标名称 计量单位 2013年度 历年累计 主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509 …

Rows are named by the words of disclosure_template.yaml (the longest word a label holds wins);
rows it does not name are passed over. The sums it declares tie the rows together (收到申请数 =
当面 + 传真 + … when a 其他 row closes the list, else at least their sum); 历年累计 is at least
本年度 in every row.
"""

from __future__ import annotations

from auditor.config import StatisticsTemplate
from auditor.extract.tables.model import Row, Table
from auditor.extract.tables.requests import MAX_TABLE_CHARS, find_words, is_prose, words_re
from auditor.extract.tables.resolve import may_split, settle
from auditor.extract.tables.splits import Sum
from auditor.extract.tables.stream import Run, iter_segments

_MAX_UNNAMED = 3  # labels in a row that name no row: the table has ended
_MAX_LABEL = 40   # a longer label is prose
_MAX_HEADER = 80  # characters between the opening word and the first row


def _opening(text: str, template: StatisticsTemplate) -> tuple[int, int] | None:
    """(the opening word, the first row) of the first opening word followed by a row within
    _MAX_HEADER characters (not 统计表 in the report's list of its parts)."""
    for match in find_words(text, template.start_words):
        rows = words_re(tuple(w for row in template.rows for w in row.words))
        row = rows.search(text, match.end(), match.end() + _MAX_HEADER)
        if row is not None and not is_prose(text[match.end():row.start()]):
            return match.start(), row.start()
    return None


def read_statistics(text: str, template: StatisticsTemplate) -> Table | None:
    opened = _opening(text, template)
    if opened is None:
        return None
    start, first_row = opened
    header = "".join(text[start:first_row].split())
    columns = [c for c in template.columns if any(w in header for w in c.words)] or [template.columns[0]]
    width = len(columns)
    table = Table("statistics", tuple(c.zh for c in columns))
    table.keys = tuple(c.key for c in columns)
    runs: dict[int, Run] = {}
    unnamed = 0
    for seg in iter_segments(text, first_row, min(len(text), first_row + MAX_TABLE_CHARS)):
        if is_prose(seg.label) or seg.run is None or len(seg.label) > _MAX_LABEL:
            break
        row = _named_row(seg.label, template)
        if row is None:
            unnamed += 1
            if unnamed >= _MAX_UNNAMED:
                break
            table.rows.append(Row("", seg.label, seg.label, seg.run.start, seg.run.end,
                                  text[seg.run.start:seg.run.end], seg.run.inline, status="unnamed"))
            continue
        unnamed = 0
        table.rows.append(Row(row.key, row.zh, seg.label, seg.run.start, seg.run.end, text[seg.run.start:seg.run.end],
                              seg.run.inline, unit=_unit(seg.label, template), label_start=seg.label_start))
        runs[len(table.rows) - 1] = seg.run
    if not runs:
        return None
    keys = [c.key for c in columns]
    row_sums = [Sum((keys.index("cumulative"),), (keys.index("year"),), "ge")] if {"year", "cumulative"} <= set(keys) else []
    table.runs_split = may_split(list(runs.values()), width) or any(len(r.tokens) == 1 for r in runs.values())
    table.unfit = settle(table, runs, width, row_sums, identity_sums(table, template, text, width, read_only=False),
                         table.runs_split)
    return table


def identity_sums(table: Table, template: StatisticsTemplate, text: str, width: int, read_only: bool = True) -> list[Sum]:
    """The declared sums as Sum over (row, column): whole ≥ the parts (ge), or = them (eq) when a
    complete_with row is among them; each part ≤ whole where the table says parts may overlap."""
    index = {r.key: i for i, r in enumerate(table.rows) if r.key and (r.read or not read_only)}
    table_text = text[table.rows[0].label_start:table.rows[-1].end] if table.rows else ""
    sums = []
    for identity in template.identities:
        if identity.whole not in index:
            continue
        parts = [index[p] for p in identity.parts if p in index]
        if not parts:
            continue
        op = "eq" if any(k in index for k in identity.complete_with) else "ge"
        overlap = any(w in table_text for w in identity.overlap_words)
        for c in range(width):
            whole = ((index[identity.whole], c),)
            if overlap:
                sums += [Sum(whole, ((p, c),), "ge") for p in parts]
            else:
                sums.append(Sum(whole, tuple((p, c) for p in parts), op))
    return sums


def _named_row(label: str, template: StatisticsTemplate):
    """The row whose word the label holds; of several, the one with the longest word."""
    best, size = None, 0
    for row in template.rows:
        for word in row.words:
            if word in label and len(word) > size:
                best, size = row, len(word)
    return best


def _unit(label: str, template: StatisticsTemplate) -> str:
    for unit in sorted(template.units, key=len, reverse=True):
        if label.endswith(unit):
            return unit
    return ""
