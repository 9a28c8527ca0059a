"""Relations and the builder that states them: a stated figure is a claim, checked against the
readings the passage allows.

A relation states one figure (a total, a rate, a share) and computes the same quantity from
others, each side as an interval, so the checks compare intervals and never exact floats. Where
the passage allows several readings (which total a 其中 list breaks down, which base a share is
of), the builder receives them all, the one the structure favours first: the relation holds the
first reading that explains the stated figure, or, when none does, the favoured one, with the
others named in `tried` so that a flag says what else was checked. `reading` names the reading
kept, so a reviewer sees what was verified, not only what failed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from auditor.config import Thresholds
from auditor.extract.feasibility import base_for_rate, previous_for_change
from auditor.extract.figures import INF, Fact
from auditor.extract.relations.words import Words, short_label
from auditor.ingest.spans import Span


@dataclass
class Relation:
    op: str                   # see kinds.py: eq, le, rate, grim, prior, pct_total, pct_le, restate, delta,
                              # table (checked); change, repeat (recorded only)
    source: str               # which reader found it, e.g. "sum:received-split", "qizhong", "share"
    family: str | None
    stated: Fact
    parts: list[Fact]         # the figures the computed side is made of
    stated_lo: float
    stated_hi: float
    computed_lo: float
    computed_hi: float
    stated_expr: str
    computed_expr: str
    computed_value: str
    sentences: list[Span] = field(default_factory=list)
    reading: str = ""         # which reading of the passage the computed side is
    tried: str = ""           # when no reading explains the claim: the others, as "expr = value; …"
    direction: str = ""       # rise or fall, for a change read right after its level


@dataclass
class SumReading:
    """whole (+ extras) against parts (+ optional parts, each between zero and its value)."""
    whole: Fact
    parts: list[Fact]
    how: str = ""
    extras: list[Fact] = field(default_factory=list)
    optional: list[Fact] = field(default_factory=list)
    open_ended: bool = False  # an unstated extra term (上年结转) may be any number


@dataclass
class RateReading:
    """numerators / base × per (100: a percentage; 1: a plain ratio, 复议诉讼比值达2.6);
    open_ended when some numerator terms go unstated."""
    numerators: list[Fact]
    base: list[Fact]
    how: str = ""
    open_ended: bool = False
    per: int = 100


class Builder:
    """Collects the relations of one report; every reader states its claims through it."""

    def __init__(self, text: str, sentences: list[Span], thresholds: Thresholds, words: Words) -> None:
        self.text = text
        self.words = words
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.thresholds = thresholds
        self.relations: list[Relation] = []
        self.listed: set[int] = set()  # figures of a 分别 list: their label names the whole list
        self.named: set[int] = set()   # table cells: their label is their name (本年新收(自然人))
        self._seen: set[tuple] = set()
        self._short_labels: dict[str, str] = {}  # label -> short_label(label): a figure is shown in many relations

    # --- intervals ----------------------------------------------------------------------------

    def interval(self, fact: Fact) -> tuple[float, float]:
        """The fact's interval, widened by one unit of its last digit where reports may truncate."""
        lo, hi = fact.lo, fact.hi
        if self.thresholds.allow_truncation and fact.rounded and not fact.qualifier and fact.ulp:
            hi = float(fact.value + fact.ulp)
        return lo, hi

    def exact(self, fact: Fact) -> tuple[Fraction, Fraction] | None:
        """The fact's interval as exact fractions (widened like interval()), None when unbounded."""
        if fact.value is None:
            return None
        if fact.qualifier or not fact.rounded or not fact.ulp:
            lo, hi = fact.lo, fact.hi
            if lo == -INF or hi == INF:
                return None
            return (Fraction(fact.value), Fraction(fact.value)) if lo == hi else (Fraction(lo), Fraction(hi))
        value, ulp = Fraction(fact.value), Fraction(fact.ulp)
        high = value + ulp if self.thresholds.allow_truncation else value + ulp / 2
        return value - ulp / 2, high

    def total(self, facts) -> tuple[float, float]:
        """The sum of the facts' intervals (interval(), inline: every reading of every claim adds
        up its terms), added in order as sum() adds them."""
        lo = hi = 0
        truncation = self.thresholds.allow_truncation
        for fact in facts:
            lo += fact.lo
            if truncation and fact.rounded and not fact.qualifier and fact.ulp:
                hi += float(fact.value + fact.ulp)
            else:
                hi += fact.hi
        return lo, hi

    # --- sums ---------------------------------------------------------------------------------

    def sum(self, op: str, source: str, family: str | None, whole: Fact, parts: list[Fact], *,
            extras: list[Fact] = (), optional: list[Fact] = (), open_ended: bool = False, how: str = "") -> bool:
        """One reading of a total and its parts (see sums)."""
        return self.sums(op, source, family, [SumReading(whole, list(parts), how, list(extras), list(optional),
                                                         open_ended)])

    def sums(self, op: str, source: str, family: str | None, readings: list[SumReading], *,
             near: float | None = None) -> bool:
        """A total claimed for some parts, under each reading the passage allows (favoured first).
        eq: the parts make the total; le: they do not exceed it. With `near`, a list that does not
        exceed its total but falls short of it by at most that share of it is recorded as op near
        (it reads as complete, with a part missed). False when nothing was recorded (no usable
        reading, or this claim is recorded already)."""
        readings = [r for r in readings if r.parts and not any(p is r.whole for p in r.parts)]
        if not readings:
            return False
        first = readings[0]
        key = ("sum", first.whole.index, frozenset(p.index for p in first.parts))
        if key in self._seen:
            return False
        self._seen.add(key)
        evaluated = [(r, *self._sum_sides(r)) for r in readings]
        fits = [e for e in evaluated if _sum_fits(op, *e[1:])]
        # of the readings that fit, one whose parts reach the total (no shortfall to report)
        chosen = next((e for e in fits if e[4] >= e[1]), fits[0] if fits else evaluated[0])
        reading, stated_lo, stated_hi, computed_lo, computed_hi = chosen
        whole, parts, optional = reading.whole, reading.parts, reading.optional
        if op == "le" and near is not None and fits and 0 < stated_lo - computed_hi <= near * stated_lo:
            op = "near"
        optional_expr = "".join(f" [+ {self.expr(f)}]" for f in optional)
        tried = "" if fits else "; ".join(
            f"{self.expr(r.whole)}: {self._sum_expr(r.parts)} = {self.format_sum(r.parts, r.whole)}"
            for r, *_ in evaluated if r is not reading)
        self.relations.append(Relation(
            op=op, source=source, family=family, stated=whole, parts=[*parts, *optional],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=computed_lo, computed_hi=computed_hi,
            stated_expr=" + ".join(self.expr(f) for f in [whole, *reading.extras]),
            computed_expr=" + ".join(self.expr(p) for p in parts) + optional_expr,
            computed_value=self.format_sum(parts, whole),
            sentences=self._sentences([whole, *reading.extras, *parts, *optional]),
            reading=reading.how, tried=tried,
        ))
        return True

    def _sum_sides(self, reading: SumReading) -> tuple[float, float, float, float]:
        stated_lo, stated_hi = self.total([reading.whole, *reading.extras])
        if reading.open_ended:
            stated_hi = INF
        computed_lo, computed_hi = self.total(reading.parts)
        computed_hi += self.total(reading.optional)[1]
        return stated_lo, stated_hi, computed_lo, computed_hi

    def format_sum(self, parts: list[Fact], like: Fact) -> str:
        return _format_like(sum((p.value for p in parts), Decimal(0)), like, parts)

    # --- rates --------------------------------------------------------------------------------

    def rate(self, source: str, family: str | None, rate: Fact, numerator: Fact | list[Fact],
             bases: list[list[Fact]], *, open_ended: bool = False, how: str = "") -> RateReading | None:
        """A stated rate against numerator / base, for each candidate base (see rates)."""
        numerators = numerator if isinstance(numerator, list) else [numerator]
        return self.rates(source, family, rate, [RateReading(numerators, base, how, open_ended) for base in bases])

    def rates(self, source: str, family: str | None, rate: Fact, readings: list[RateReading]) -> RateReading | None:
        """A stated rate (or share, or ratio) under each reading of its numerator and base, favoured
        first. Returns the reading recorded, None when none was (no usable reading, or the rate is
        checked already)."""
        stated_lo, stated_hi = self.interval(rate)
        evaluated = []
        for reading in readings:
            if not reading.base or [b.index for b in reading.base] == [n.index for n in reading.numerators]:
                continue  # a figure over itself (the sum of a list may hold its part: 39件 / (39件 + 5件))
            n_lo, n_hi = self.total(reading.numerators)
            if reading.open_ended:
                n_hi = INF
            d_lo, d_hi = self.total(reading.base)
            if d_lo <= 0:
                continue
            lo, hi = n_lo / d_hi * reading.per, n_hi / d_lo * reading.per
            evaluated.append((reading, lo, hi, max(0.0, stated_lo - hi, lo - stated_hi)))
        if not evaluated:
            return None
        fits = [e for e in evaluated if e[3] == 0]
        reading, lo, hi, _ = fits[0] if fits else evaluated[0]
        key = ("rate", rate.index, frozenset([*(n.index for n in reading.numerators), *(b.index for b in reading.base)]))
        if key in self._seen or ("rated", rate.index) in self._seen:
            return None
        self._seen.update({key, ("rated", rate.index)})
        places = max(1, _decimals(rate.ulp) + 1)
        tried = "" if fits else "; ".join(
            f"{self._ratio_expr(r)} = {self._quotient(r, places)}" for r, *_ in evaluated if r is not reading)
        self.relations.append(Relation(
            op="rate", source=source, family=family, stated=rate, parts=[*reading.numerators, *reading.base],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=self.expr(rate), computed_expr=self._ratio_expr(reading),
            computed_value=self._quotient(reading, places),
            sentences=self._sentences([rate, *reading.numerators, *reading.base]),
            reading=reading.how, tried=tried,
        ))
        return reading

    def implied(self, family: str | None, share: Fact, part: Fact, first_share: Fact, first_part: Fact, *,
                how: str = "") -> bool:
        """A share of a whole the text names but never states, against the whole another share
        of it implies: part / (first_part / first_share)."""
        key = ("rated", share.index)
        if key in self._seen:
            return False
        stated_lo, stated_hi = self.interval(share)
        c_lo, c_hi = self.interval(part)
        a_lo, a_hi = self.interval(first_part)
        p_lo, p_hi = self.interval(first_share)
        if a_lo <= 0 or p_lo <= 0:
            return False
        self._seen.add(key)
        exact = Decimal(str(part.value)) * Decimal(str(first_share.value)) / Decimal(str(first_part.value))
        places = max(1, _decimals(share.ulp) + 1)
        self.relations.append(Relation(
            op="rate", source="implied_whole", family=family, stated=share, parts=[part, first_part, first_share],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=c_lo * p_lo / a_hi, computed_hi=c_hi * p_hi / a_lo,
            stated_expr=self.expr(share),
            computed_expr=f"{self.expr(part)} / ({self.expr(first_part)} / {first_share.text})",
            computed_value=f"{exact:.{places}f}%",
            sentences=self._sentences([share, part, first_part, first_share]), reading=how,
        ))
        return True

    def ratio_change(self, family: str | None, change: tuple[Fact, bool], top: tuple[Fact, bool],
                     bottom: tuple[Fact, bool]) -> None:
        """A ratio's percentage change against its levels' changes: (1 + a) / (1 + b) − 1 (op delta)."""
        (stated, rising), (a, a_rising), (b, b_rising) = change, top, bottom
        key = ("delta", stated.index)
        if key in self._seen:
            return
        a_lo, a_hi = _signed(self.interval(a), a_rising)
        b_lo, b_hi = _signed(self.interval(b), b_rising)
        if 100 + b_lo <= 0:
            return
        lo, hi = ((100 + a_lo) / (100 + b_hi) - 1) * 100, ((100 + a_hi) / (100 + b_lo) - 1) * 100
        if not rising:
            lo, hi = -hi, -lo
        value = ((100 + float(a.value) * (1 if a_rising else -1)) / (100 + float(b.value) * (1 if b_rising else -1))
                 - 1) * 100 * (1 if rising else -1)
        places = max(1, _decimals(stated.ulp) + 1)
        sign = {True: "+", False: "−"}
        expr = f"(1 {sign[a_rising]} {a.text}) / (1 {sign[b_rising]} {b.text}) − 1"
        self._seen.add(key)
        stated_lo, stated_hi = self.interval(stated)
        self.relations.append(Relation(
            op="delta", source="ratio_change", family=family, stated=stated, parts=[a, b],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=self.expr(stated), computed_expr=expr if rising else f"−[{expr}]",
            computed_value=f"{value:.{places}f}%", sentences=self._sentences([stated, a, b]),
            reading="the ratio's levels, each with its change", direction=_direction(rising),
        ))

    def rated(self, fact: Fact) -> bool:
        """A rate some reader has checked already."""
        return ("rated", fact.index) in self._seen

    def _ratio_expr(self, reading: RateReading) -> str:
        return f"{self._sum_expr(reading.numerators)} / {self._sum_expr(reading.base)}"

    @staticmethod
    def _quotient(reading: RateReading, places: int) -> str:
        exact = sum((n.value for n in reading.numerators), Decimal(0)) / sum((b.value for b in reading.base),
                                                                           Decimal(0)) * reading.per
        return f"{exact:.{places}f}" + ("%" if reading.per == 100 else "")

    def grim(self, source: str, family: str | None, rate: Fact, numerators: list[Fact], how: str = "") -> None:
        """A stated rate with its numerator and no base: the rate some whole base D >= the
        numerator gives that comes nearest the stated one (inside it when D exists)."""
        stated = self.exact(rate)
        if stated is None or any(not whole_count(n) for n in numerators):
            return
        count = int(sum(n.value for n in numerators))
        solution = base_for_rate(count, *stated)
        key = ("grim", rate.index, frozenset(n.index for n in numerators))
        if solution is None or key in self._seen:
            return
        self._seen.add(key)
        unit = numerators[0].unit
        places = max(1, _decimals(rate.ulp) + 1)
        self.relations.append(Relation(
            op="grim", source=source, family=family, stated=rate, parts=list(numerators),
            stated_lo=float(stated[0]), stated_hi=float(stated[1]),
            computed_lo=float(solution.achieved), computed_hi=float(solution.achieved),
            stated_expr=self.expr(rate),
            computed_expr=f"{self._sum_expr(numerators)} ÷ {rate.text} = "
                          f"{_span(solution.lo, solution.hi)}{unit}",
            computed_value=f"{count}{unit} / {solution.whole}{unit} = {float(solution.achieved):.{places}f}%",
            sentences=self._sentences([rate, *numerators]), reading=how,
        ))

    # --- changes ------------------------------------------------------------------------------

    def prior(self, family: str | None, change: Fact, level: Fact | list[Fact], rising: bool | None) -> bool:
        """A percent change of a whole count: the change some whole previous count gives that
        comes nearest the stated one (op "prior"). Several levels are the readings of what the
        change qualifies (来访95件127人次,同比上升63.79%): the first some whole count explains is
        kept. False when this is not such a change."""
        levels = level if isinstance(level, list) else [level]
        stated = self.exact(change) if change.unit == "%" and rising is not None else None
        if stated is None:
            return False
        solved = [(lv, previous_for_change(int(lv.value), *stated, rising)) for lv in levels
                  if lv.kind == "count" and whole_count(lv)]
        solved = [(lv, solution) for lv, solution in solved if solution is not None]
        if not solved:
            return False
        level, solution = next(((lv, sol) for lv, sol in solved if sol.feasible), solved[0])
        key = ("prior", change.index)
        if key in self._seen:
            return True
        self._seen.add(key)
        places = max(1, _decimals(change.ulp) + 1)
        whole = f"{solution.whole}{level.unit}"
        achieved = f"{float(solution.achieved):.{places}f}%"
        self.relations.append(Relation(
            op="prior", source="prior", family=family, stated=change, parts=[level],
            stated_lo=float(stated[0]), stated_hi=float(stated[1]),
            computed_lo=float(solution.achieved), computed_hi=float(solution.achieved),
            stated_expr=self.expr(change),
            computed_expr=f"{self.expr(level)} ÷ (1 {'+' if rising else '−'} {change.text}) = "
                          f"{_span(solution.lo, solution.hi)}{level.unit}",
            computed_value=(f"{level.text} / {whole} − 1 = {achieved}" if rising
                            else f"1 − {level.text} / {whole} = {achieved}"),
            sentences=self._sentences([change, level]), direction=_direction(rising),
            reading="the level right before the change" if level is levels[0] else "the figure beside that level",
            tried="" if solution.feasible else "; ".join(f"{self.expr(lv)}" for lv, _ in solved if lv is not level),
        ))
        return True

    def delta(self, family: str | None, change: Fact, before: Fact, after: Fact, rising: bool, how: str) -> None:
        """A change stated with both its levels (由40件增加到52件,增长30%; 3326件(2023年为867件),
        同比增长283.6%): the change the two levels give, each as its interval (op "delta")."""
        key = ("delta", change.index)
        if key in self._seen:
            return
        b_lo, b_hi = self.interval(before)
        a_lo, a_hi = self.interval(after)
        if change.unit == "%":
            if b_lo <= 0:
                return
            lo, hi = (a_lo / b_hi - 1) * 100, (a_hi / b_lo - 1) * 100
            if not rising:
                lo, hi = -hi, -lo
            value = (after.value / before.value - 1) * 100 * (1 if rising else -1)
            places = max(1, _decimals(change.ulp) + 1)
            shown = f"{value:.{places}f}%"
            expr = f"{after.text} / {before.text} − 1" if rising else f"1 − {after.text} / {before.text}"
        else:
            lo, hi = (a_lo - b_hi, a_hi - b_lo) if rising else (b_lo - a_hi, b_hi - a_lo)
            value = (after.value - before.value) * (1 if rising else -1)
            shown = _format_like(value, change, [change, before, after]) if change.kind != "rate" and \
                change.unit not in ("%", "个百分点") else f"{value.normalize():f}{change.unit}"
            expr = f"{after.text} − {before.text}" if rising else f"{before.text} − {after.text}"
        self._seen.add(key)
        stated_lo, stated_hi = self.interval(change)
        self.relations.append(Relation(
            op="delta", source="delta", family=family, stated=change, parts=[before, after],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=self.expr(change), computed_expr=expr, computed_value=shown,
            sentences=self._sentences([change, before, after]), reading=how, direction=_direction(rising),
        ))

    def pair(self, op: str, source: str, family: str | None, stated: Fact, other: Fact,
             direction: str = "") -> None:
        """Two figures recorded side by side, each as its own interval (the stated one widened like
        every stated figure): a change and its level, which frames/year_over_year.py may check
        against last year's report, or one metric stated twice. Nothing is summed or divided."""
        key = (op, stated.index, other.index)
        if key in self._seen:
            return
        self._seen.add(key)
        stated_lo, stated_hi = self.interval(stated)
        self.relations.append(Relation(
            op=op, source=source, family=family, stated=stated, parts=[other],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=other.lo, computed_hi=other.hi,
            stated_expr=self.expr(stated), computed_expr=self.expr(other), computed_value=other.text,
            sentences=self._sentences([stated, other]), direction=direction,
        ))

    # --- one thing, twice -----------------------------------------------------------------------

    def restate(self, first: Fact, later: Fact, noun: str | None, how: str) -> None:
        """One thing stated twice as a whole: the first statement against the later one."""
        key = ("restate", first.index, later.index)
        if key in self._seen:
            return
        self._seen.add(key)
        self.relations.append(Relation(
            op="restate", source="restate", family=first.family or later.family, stated=first, parts=[later],
            stated_lo=first.lo, stated_hi=first.hi, computed_lo=later.lo, computed_hi=later.hi,
            stated_expr=self._named_expr(first, noun), computed_expr=self._named_expr(later, noun),
            computed_value=later.text, sentences=self._sentences([first, later]), reading=how,
        ))

    # --- shares of one whole ------------------------------------------------------------------

    def pct_total(self, family: str | None, shares: list[Fact], terms: list[str], *, complete: bool,
                  how: str) -> None:
        """Shares of one whole: listed to the last part they must make 100% (op pct_total); a
        partial list must not make more (op pct_le)."""
        op = "pct_total" if complete else "pct_le"
        key = ("pct", frozenset(f.index for f in shares))
        if key in self._seen or len(shares) < 2:
            return
        self._seen.add(key)
        lo, hi = self.total(shares)
        places = max(_decimals(f.ulp) for f in shares)
        total = sum((f.value for f in shares), Decimal(0))
        self.relations.append(Relation(
            op=op, source="pct_total", family=family, stated=shares[0], parts=list(shares),
            stated_lo=100.0, stated_hi=100.0, computed_lo=lo, computed_hi=hi,
            stated_expr="100%", computed_expr=" + ".join(terms),
            computed_value=f"{total:.{places}f}%", sentences=self._sentences(shares), reading=how,
        ))

    # --- words --------------------------------------------------------------------------------

    def _named_expr(self, fact: Fact, noun: str | None) -> str:
        """全市224个村(社区): the figure with the words that name it on both sides."""
        expr = self.expr(fact)
        if noun and expr.startswith(fact.text):
            return f"{fact.text}{noun}"
        if noun and expr.endswith(fact.text):
            return f"{expr}{noun}"
        return expr

    def expr(self, fact: Fact) -> str:
        """A figure in the report's words; one of a 分别 list by its own name (受理52件, 办结50件),
        a table cell by its row and column (本年新收(自然人)25)."""
        if fact.index in self.named:
            return f"{fact.label}{fact.text}"
        if fact.index in self.listed and fact.metric_word:
            return f"{fact.metric_word}{fact.text}"
        label = self._short_labels.get(fact.label)
        if label is None:
            label = self._short_labels[fact.label] = short_label(fact.label, self.words)[-_SHORT_LABEL_CHARS:]
        return _labelled(fact, label)

    def _sum_expr(self, facts: list[Fact]) -> str:
        """受理58件, or (撤销3件 + 变更1件) for several terms."""
        joined = " + ".join(self.expr(f) for f in facts)
        return f"({joined})" if len(facts) > 1 else joined

    def sentence_of(self, offset: int) -> Span:
        return self.sentences[max(0, bisect_right(self.sentence_starts, offset) - 1)]

    def _sentences(self, facts: list[Fact]) -> list[Span]:
        indexes = sorted({bisect_right(self.sentence_starts, f.start) - 1 for f in facts})
        return [self.sentences[i] for i in indexes if i >= 0]


def _sum_fits(op: str, stated_lo: float, stated_hi: float, computed_lo: float, computed_hi: float) -> bool:
    if op == "le":
        return computed_lo <= stated_hi
    return computed_lo <= stated_hi and stated_lo <= computed_hi


def _direction(rising: bool | None) -> str:
    return "" if rising is None else "rise" if rising else "fall"


def whole_count(fact: Fact) -> bool:
    """A count stated exactly, as a whole number (not 1.2万, not 200余)."""
    return (fact.kind == "count" and fact.value is not None and not fact.rounded and not fact.qualifier
            and fact.value == fact.value.to_integral_value())


def _span(lo: Fraction, hi: Fraction) -> str:
    """33.61–34.19: two decimals, more where two would not tell the ends apart (4.1916–4.2004)."""
    for places in (2, 3, 4):
        low, high = f"{float(lo):.{places}f}", f"{float(hi):.{places}f}"
        if low != high:
            break
    return f"{low}–{high}"


def _decimals(ulp: Decimal | None) -> int:
    if not ulp or ulp >= 1:
        return 0
    places = _PLACES.get(ulp)
    if places is None:
        places = _PLACES[ulp] = -ulp.normalize().as_tuple().exponent
    return places


_PLACES: dict[Decimal, int] = {}  # ulp -> _decimals(ulp): the same few ulps recur in every report


_SHORT_LABEL_CHARS = 12


def _expr(fact: Fact, words: Words) -> str:
    """A figure with the report's own words for it: 受理58件, 调解成功率97.5%, 25件还在审理中."""
    return _labelled(fact, short_label(fact.label, words)[-_SHORT_LABEL_CHARS:])


def _labelled(fact: Fact, label: str) -> str:
    if label:
        return f"{label}{fact.text}"
    return f"{fact.text}{fact.after[:_SHORT_LABEL_CHARS]}" if fact.after else f"{fact.metric_word}{fact.text}"


_ONE = Decimal(1)
_SCALES = (("亿", Decimal(10**8)), ("万", Decimal(10**4)))


def _format_like(value: Decimal, like: Fact, parts: list[Fact]) -> str:
    """Format a computed amount the way the stated figure is written (万, 亿, decimals, unit)."""
    scale, mult = _ONE, ""
    for word, factor in _SCALES:
        if word in like.text and abs(value) >= factor:
            scale, mult = factor, word
            break
    if scale is _ONE:  # x / 1 is x
        places = max((_decimals(f.ulp or _ONE) for f in [like, *parts]), default=0)
    else:
        places = max((_decimals((f.ulp or _ONE) / scale) for f in [like, *parts]), default=0)
    unit = like.unit if like.kind != "money" else "元"
    return f"{value / scale:.{places}f}{mult}{unit}"


def _signed(interval: tuple[float, float], rising: bool) -> tuple[float, float]:
    """A change's interval as a signed percentage: a fall of 3.9% is −3.9%."""
    lo, hi = interval
    return (lo, hi) if rising else (-hi, -lo)
