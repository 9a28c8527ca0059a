"""The table of 第二十条第（一）项 (二、主动公开政府信息情况): documents issued, repealed, in force.

    信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
    规章 | 0 | 0 | 0
    行政规范性文件 | 13 | 8 | 49

The table has no sums: a row is read when its three figures stand apart (spaces, |, tabs, grid
cells) or its digits run together in one way only (000); a run such as 1153 (1|1|53, 1|15|3 or
11|5|3) is left unread rather than guessed. The checks across years compare its 现行有效件数
with last year's report's (frames/across_years.py, DISC011).
"""

from __future__ import annotations

from auditor.config import RegulationsTemplate
from auditor.extract.tables.model import Row, Table
from auditor.extract.tables.requests import is_prose
from auditor.extract.tables.resolve import may_split, settle
from auditor.extract.tables.stream import Run, iter_segments

_MAX_TABLE_CHARS = 400  # the table is two rows: past this the text is something else
_MAX_LABEL = 30


def read_regulations(text: str, template: RegulationsTemplate) -> Table | None:
    starts = [i for i in (text.find(w) for w in template.start_words) if i >= 0]
    if not starts:
        return None
    start = min(starts)
    width = len(template.columns)
    table = Table("regulations", tuple(c.zh for c in template.columns), keys=tuple(c.key for c in template.columns))
    runs: dict[int, Run] = {}
    for seg in iter_segments(text, start, min(len(text), start + _MAX_TABLE_CHARS)):
        if is_prose(seg.label) or len(seg.label) > _MAX_LABEL + _header_length(seg.label, template):
            break
        row = next((r for r in template.rows if any(w in seg.label for w in r.words)), None)
        if seg.run is None:
            if row is not None:
                break  # a named row without figures: the table is not laid out as rows
            continue
        if row is None or any(r.key == row.key for r in table.rows):
            break
        table.rows.append(Row(row.key, row.zh, seg.label, seg.run.start, seg.run.end, text[seg.run.start:seg.run.end],
                              seg.run.inline, unit="件", label_start=seg.label_start))
        runs[len(table.rows) - 1] = seg.run
        if len(table.rows) == len(template.rows):
            break
    if not runs:
        return None
    table.runs_split = may_split(list(runs.values()), width)
    table.unfit = settle(table, runs, width, [], [], table.runs_split)
    return table


def _header_length(label: str, template: RegulationsTemplate) -> int:
    """The characters of the header's column names a first label may carry (信息内容本年制发件数…规章)."""
    return sum(len(c.zh) for c in template.columns if c.zh in label) + len("信息内容")
