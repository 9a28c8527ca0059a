"""Splits of a row's digits into its cells, and the splits its sums allow.

Where a report runs the cells of a row together (`（七）总计20000011`, `20 0 00 0 121`), the
digits cannot be told apart by their layout. Every split into the row's number of cells is then
tried: each token gives one or more cells, and no cell has a leading zero (a lone 0 is a cell).
A split is kept when it meets every sum the row must meet (the 总计 column = the other columns;
each block of the appeals table; 历年累计 ≥ 本年度). A row whose digits allow too many splits
to try (MAX_SPLITS) is left unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Iterator

MAX_SPLITS = 20000        # splits tried for one row; past this the row is left unread
MAX_COMBINATIONS = 20000  # joint choices tried across the undecided rows of one table


@dataclass(frozen=True)
class Sum:
    """sum(left) == sum(right) (eq), or sum(left) >= sum(right) (ge), over cells of a row (by
    column) or of a table (by (row, column))."""
    left: tuple
    right: tuple
    op: str = "eq"

    def holds(self, value) -> bool:
        left = sum(value(c) for c in self.left)
        right = sum(value(c) for c in self.right)
        return left == right if self.op == "eq" else left >= right

    def cells(self) -> tuple:
        return self.left + self.right

    def describe(self, value) -> str:
        """2 + 0 + 0 + 0 + 0 + 0 = 2 ≠ 11: the sum with a split's figures, for a flag."""
        def side(cells):
            values = [value(c) for c in cells]
            joined = " + ".join(str(v) for v in values)
            return f"{joined} = {sum(values)}" if len(values) > 1 else joined
        return f"{side(self.left)} {'≠' if self.op == 'eq' else '<'} {side(self.right)}"


def splits(tokens: list[str], width: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut the tokens into width cells, in order, none with a leading zero."""
    def cuts(i: int, left: int) -> Iterator[tuple[int, ...]]:
        if i == len(tokens):
            if left == 0:
                yield ()
            return
        digits = tokens[i]
        rest = tokens[i + 1:]
        most = left - len(rest)                   # each later token needs a cell
        least = left - sum(len(t) for t in rest)  # and gives at most one per digit
        for parts in range(max(1, least), min(len(digits), most) + 1):
            for head in _pieces(digits, parts):
                for tail in cuts(i + 1, left - parts):
                    yield head + tail
    if sum(len(t) for t in tokens) < width or len(tokens) > width:
        return
    yield from cuts(0, width)


def _pieces(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield (int(digits),)
        return
    for cut in range(1, len(digits) - parts + 2):
        head = digits[:cut]
        if len(head) > 1 and head[0] == "0":
            break
        for tail in _pieces(digits[cut:], parts - 1):
            yield (int(head), *tail)


def fitting_splits(tokens: list[str], width: int, sums: list[Sum]) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]], bool]:
    """(every split, those every sum allows, whether all splits were tried)."""
    tried, kept = [], []
    # Sum.holds over a split's cells, inline: a row of run-together digits may have thousands
    # of splits (the cells are ints, so the order of the additions does not matter)
    checks = [(s.left, s.right, s.op == "eq") for s in sums]
    for cells in splits(tokens, width):
        if len(tried) >= MAX_SPLITS:
            return tried, kept, False
        tried.append(cells)
        at = cells.__getitem__
        for left, right, eq in checks:
            a, b = sum(map(at, left)), sum(map(at, right))
            if not (a == b if eq else a >= b):
                break
        else:
            kept.append(cells)
    return tried, kept, True


def joint_choices(options: dict[int, list[tuple[int, ...]]], fixed: dict[int, tuple[int, ...]],
                  sums: list[Sum]) -> list[dict[int, tuple[int, ...]]] | None:
    """The choices of one split per undecided row (options) that, with the decided rows (fixed),
    meet every sum over the table whose rows are all known; None when there are too many to try."""
    rows = sorted(options)
    known = set(rows) | set(fixed)
    relevant = [s for s in sums if {r for r, _ in s.cells()} <= known and any(r in options for r, _ in s.cells())]
    total = 1
    for r in rows:
        total *= len(options[r])
        if total > MAX_COMBINATIONS:
            return None
    found = []
    for combination in product(*(options[r] for r in rows)):
        chosen = dict(zip(rows, combination))

        def value(cell, chosen=chosen):
            row, column = cell
            return (chosen.get(row) or fixed[row])[column]

        if all(s.holds(value) for s in relevant):
            found.append(chosen)
    return found
