"""From the runs of digits under a table's rows to the rows' cells.

A row whose run has one token per column is read as it stands: the layout tells its cells
apart, and a sum it breaks is the template rules' business (DISC001–DISC004). A row whose
digits run together is split (splits.py) where the table's layout allows it: the splits its own
sums allow are kept; one is read; none is a finding (DISC006: the template proves an error
whatever the split); several are settled, where possible, by the sums across rows with the rows
already read (本年新收 + 上年结转 = 总计 + 结转下年度; 主动公开 ≥ 网站 + 公报), and otherwise
left unread. A row whose figures cannot fill its columns is left blank.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from auditor.extract.tables.model import Cell, Row, Table
from auditor.extract.tables.splits import Sum, fitting_splits, joint_choices
from auditor.extract.tables.stream import Run

_SHOWN_SPLITS = 4  # splits spelled out in a finding; the rest are counted


def may_split(runs: list[Run | None], width: int) -> bool:
    """A table whose digits run together somewhere: one row's figures are one token of at least
    as many digits as the row has cells (0000000). Elsewhere a row short of tokens has blank cells."""
    return any(r is not None and len(r.tokens) == 1 and r.n_digits >= width > 1 for r in runs)


def settle(table: Table, runs: dict[int, Run], width: int, row_sums: list[Sum], table_sums: list[Sum],
           split: bool) -> list[tuple[list[Row], list[str]]]:
    """Set each row's status and cells; return the findings: (rows, why no split fits)."""
    findings: list[tuple[list[Row], list[str]]] = []
    options: dict[int, list[tuple]] = {}
    fixed: dict[int, tuple] = {}
    for i, row in enumerate(table.rows):
        run = runs.get(i)
        if run is None:
            continue
        tokens = run.tokens
        if len(tokens) == width:
            values = [_value(t.digits) for t in tokens]
            if all(v is not None for v in values):
                _read(table, i, row, run, tuple(values), [(t.start, t.end) for t in tokens])
                fixed[i] = tuple(values)
                continue
        if not split or run.explicit or not all(t.whole for t in tokens):
            continue
        tried, kept, complete = fitting_splits([t.digits for t in tokens], width, row_sums)
        row.splits = tried
        if not complete or not tried:
            continue
        if len(tried) == 1:  # one way only (7 digits for 7 cells): read as it stands
            _read_split(table, i, row, run, tried[0])
            fixed[i] = tried[0]
        elif len(kept) == 1:
            _read_split(table, i, row, run, kept[0])
            fixed[i] = kept[0]
        elif not kept:
            row.status = "unfit"
            findings.append(([row], [_why(split_, row_sums) for split_ in tried[:_SHOWN_SPLITS]]
                             + _more(len(tried))))
        else:
            row.status = "ambiguous"
            options[i] = kept
    if options:
        findings += _settle_jointly(table, runs, options, fixed, table_sums)
    return findings


def _settle_jointly(table, runs, options, fixed, table_sums) -> list[tuple[list[Row], list[str]]]:
    relevant = [s for s in table_sums if any(r in options for r, _ in s.cells())]
    if not relevant:
        return []
    choices = joint_choices(options, fixed, relevant)
    if choices is None:
        return []
    if not choices:
        rows = [table.rows[i] for i in sorted(options)]
        for row in rows:
            row.status = "unfit"
        return [(rows, [f"{len(options[i])}种拆法" for i in sorted(options)])]
    for i in sorted(options):
        picked = {choice[i] for choice in choices}
        if len(picked) == 1:
            _read_split(table, i, table.rows[i], runs[i], picked.pop())
    return []


def _read_split(table: Table, i: int, row: Row, run: Run, values: tuple) -> None:
    """Cells from a split: each value takes its digits' place in the tokens, in order."""
    spans = []
    tokens = iter(run.tokens)
    token, offset = next(tokens), 0
    for value in values:
        size = len(str(value))
        if offset == len(token.text):
            token, offset = next(tokens), 0
        spans.append((token.start + offset, token.start + offset + size))
        offset += size
    _read(table, i, row, run, values, spans)


def _read(table: Table, i: int, row: Row, run: Run, values: tuple, spans: list[tuple[int, int]]) -> None:
    row.status = "read"
    row.cells = [Cell(i, c, "", v, s, e) for c, (v, (s, e)) in enumerate(zip(values, spans))]


def _value(digits: str):
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() and "." not in digits else value


def _why(split: tuple, sums: list[Sum]) -> str:
    failed = next((s for s in sums if not s.holds(lambda c: split[c])), None)
    cells = "|".join(str(v) for v in split)
    return f"{cells}: {failed.describe(lambda c: split[c])}" if failed else cells


def _more(n: int) -> list[str]:
    return [f"…共{n}种拆法"] if n > _SHOWN_SPLITS else []
