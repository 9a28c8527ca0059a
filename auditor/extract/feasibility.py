"""Whole-number feasibility (GRIM-style): can a stated percentage come from whole counts at all?

A count is a whole number, so a percentage computed from counts can take only some values. A
stated rate whose base is not stated still needs some whole base D >= its numerator with
N / D within the rate's rounding; a stated change against last year needs a whole previous
count V with L / V - 1 within the change's rounding. These functions work on exact fractions,
so a boundary case (3件 after a fall of 40% from exactly 5件) is decided exactly, never by a
float that lands a hair off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Solution:
    lo: Fraction          # the interval the unknown whole number must lie in
    hi: Fraction
    whole: int            # a whole number inside it, or the nearest one outside
    achieved: Fraction    # the percentage that whole number gives
    feasible: bool


def base_for_rate(numerator: int, rate_lo: Fraction, rate_hi: Fraction) -> Solution | None:
    """Bases D >= numerator with numerator / D x 100 in [rate_lo, rate_hi]; None when any rate
    in the interval is reachable without a whole base being pinned down (a numerator of 0, a
    rate interval reaching 0)."""
    if numerator <= 0 or rate_lo <= 0 or rate_hi < rate_lo:
        return None
    lo, hi = HUNDRED * numerator / rate_hi, HUNDRED * numerator / rate_lo
    return _solve(lo, hi, numerator, lambda d: HUNDRED * numerator / d, rate_lo, rate_hi)


def previous_for_change(level: int, change_lo: Fraction, change_hi: Fraction, rising: bool) -> Solution | None:
    """Previous whole counts V with level / V - 1 (a rise) or 1 - level / V (a fall), in
    percent, within [change_lo, change_hi]. None for a level of 0 or a fall of 100% or more,
    which no previous count decides."""
    if level <= 0 or change_lo < 0 or change_hi < change_lo:
        return None
    if rising:
        lo, hi = level / (1 + change_hi / HUNDRED), level / (1 + change_lo / HUNDRED)
        return _solve(lo, hi, 1, lambda v: (level - v) * HUNDRED / v, change_lo, change_hi)
    if change_hi >= HUNDRED:
        return None
    lo, hi = level / (1 - change_lo / HUNDRED), level / (1 - change_hi / HUNDRED)
    return _solve(lo, hi, level, lambda v: (v - level) * HUNDRED / v, change_lo, change_hi)


def _solve(lo: Fraction, hi: Fraction, minimum: int, achieved: Callable[[int], Fraction],
           target_lo: Fraction, target_hi: Fraction) -> Solution:
    first, last = max(ceil(lo), minimum), floor(hi)
    if first <= last:
        middle = min(max(round((lo + hi) / 2), first), last)
        return Solution(lo, hi, middle, achieved(middle), True)

    def distance(n: int) -> Fraction:
        value = achieved(n)
        return max(target_lo - value, value - target_hi, Fraction(0))

    candidates = {n for n in (floor(lo), ceil(lo), floor(hi), ceil(hi), minimum) if n >= minimum}
    nearest = min(sorted(candidates), key=distance)
    return Solution(lo, hi, nearest, achieved(nearest), False)
