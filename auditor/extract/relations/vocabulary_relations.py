"""Sums, bounds and rates among named metrics, as vocabulary.yaml declares them.

Reads:  共收到行政复议申请52件,依法受理47件,不予受理4件   -> 52 = 47 + 4 (received-split)
        受理纠纷2000件,调解成功1900件,调解成功率96.5%    -> 96.5% = 1900 / 2000
Leaves: 受理政府信息公开申请60件,其中自然人申请55件       -> the metric words would make 55 the
        whole of 60 (申请 is received, 受理 accepted); 其中 makes 60 the whole, and structure wins

Figures pair within one clause group (a sentence, cut at semicolons; thresholds.yaml may widen
this to the paragraph) and one family. A rate's base is any of the metrics its template names,
or the count standing right before its numerator (其中人民调解8988件,调解成功8847件,成功率98.4%):
the rate passes when one of them gives it.
"""

from __future__ import annotations

from bisect import bisect_left

from auditor.config import Vocabulary
from auditor.extract.figures import Fact
from auditor.extract.relations.model import RateReading, SumReading
from auditor.extract.relations.passage import QUANTITY_KINDS, Passage


def read(passage: Passage) -> None:
    scope = passage.paragraphs if passage.thresholds.relation_scope == "paragraph" else passage.clauses
    for group in passage.grouped(passage.values, scope):
        families: dict[str | None, list[Fact]] = {}
        for fact in group:
            families.setdefault(fact.family, []).append(fact)
        for family, members in families.items():
            passage.budget.check("relations: vocabulary")
            _read_family(passage, family, members)


def _read_family(passage: Passage, family: str | None, facts: list[Fact]) -> None:
    vocabulary, builder = passage.vocabulary, passage.builder
    by_metric: dict[str, list[Fact]] = {}
    by_metric_unit: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if fact.metric:
            by_metric.setdefault(fact.metric, []).append(fact)
            by_metric_unit.setdefault((fact.metric, fact.unit), []).append(fact)
    if not by_metric:
        return  # every template pairs figures of metrics: none here
    starts: dict[int, list[int]] = {}

    def nearest(metric: str, anchor: Fact, unit: str | None = None) -> Fact | None:
        """The figure of this metric (and unit) nearest the anchor, the later one of two as near.
        By bisection: a crafted clause of thousands of figures must not cost their square."""
        candidates = by_metric.get(metric, ()) if unit is None else by_metric_unit.get((metric, unit), ())
        if not candidates:
            return None
        positions = starts.get(id(candidates))
        if positions is None:
            positions = starts[id(candidates)] = [c.start for c in candidates]
        i = bisect_left(positions, anchor.start)
        around = [c for c in candidates[max(0, i - 2):i + 2] if c is not anchor]
        return min(around, key=lambda c: (abs(c.start - anchor.start), c.start < anchor.start), default=None)

    def extras(metrics: tuple[str, ...], whole: Fact) -> tuple[list[Fact], int]:
        """The stated extra terms of a whole, and how many are not stated at all."""
        found = [nearest(m, whole, whole.unit) for m in metrics]
        stated = [f for f in found if f is not None and not _included(f, vocabulary)]
        return stated, found.count(None)

    for template in vocabulary.sums:
        for whole in by_metric.get(template.whole, ()):
            parts = [nearest(p, whole, whole.unit) for p in template.parts]
            present = [p for p in parts if p is not None]
            if not present or _against_structure(passage, whole, present):
                continue
            optional = [f for f in (nearest(p, whole, whole.unit) for p in template.optional_parts)
                        if f is not None and f not in present]
            added, unstated = extras(template.whole_extra, whole)
            op = "eq" if template.exhaustive and len(present) == len(parts) else "le"
            builder.sums(op, f"sum:{template.name}", family, [SumReading(
                whole, present, f"vocabulary: {template.name}", added, optional, open_ended=unstated > 0)])
    for template in vocabulary.bounds:
        for part in by_metric.get(template.part, ()):
            whole = next(filter(None, (nearest(m, part, part.unit) for m in template.wholes)), None)
            if whole is not None and not _against_structure(passage, whole, [part]):
                added, _ = extras(template.whole_extra, whole)  # an unstated extra counts as none here
                builder.sum("le", f"bound:{template.part}", family, whole, [part], extras=added,
                            how=f"vocabulary: {template.part} within {whole.metric}")
    for template in vocabulary.rates:
        for rate in by_metric.get(template.rate, ()):
            found = [nearest(m, rate) for m in template.numerators]
            numerators = [f for f in found if f is not None]
            if not numerators:
                continue
            unit = numerators[0].unit
            numerators = [f for f in numerators if f.unit == unit]
            # a numerator term the report leaves out (no 变更 in a 纠错率) may be zero or more
            open_ended = len(numerators) < len(template.numerators)
            readings = []
            for metric in template.denominators:
                base = nearest(metric, rate, unit)
                if base is None:
                    continue
                readings.append(RateReading(numerators, [base], f"vocabulary: {metric}", open_ended))
                added, _ = extras(template.denominator_extra, base)
                if added:  # 结案率 over 新收 + 上年结转
                    readings.append(RateReading(numerators, [base, *added], f"vocabulary: {metric} + carried over",
                                                open_ended))
            for reading in list(readings):
                settled = _settled_at_once(passage, template.settled_at_once, numerators, reading.base)
                if settled:
                    readings.append(RateReading([*settled, *numerators], reading.base,
                                                f"{reading.how}, counting {settled[0].label}", open_ended))
            if readings and len(numerators) == 1:
                antecedent = _antecedent(passage, numerators[0])
                if antecedent is not None and all(antecedent not in r.base for r in readings):
                    readings.append(RateReading(numerators, [antecedent], "the count before the numerator",
                                                open_ended))
            if readings:
                builder.rates(f"rate:{template.rate}", family, rate, readings)
            elif not open_ended:
                builder.grim(f"grim:{template.rate}", family, rate, numerators, how="no base stated")


def _included(fact: Fact, vocabulary: Vocabulary) -> bool:
    """A figure stated inside the whole it would be added to (含上年结转3件)."""
    return any(word in fact.label for word in vocabulary.included_words)


def _against_structure(passage: Passage, whole: Fact, parts: list[Fact]) -> bool:
    """The structure says otherwise: the whole is listed as a part of one of these parts
    (受理60件,其中自然人申请55件 makes 55 a part of 60, whatever 申请 and 受理 say), or whole and
    part are two items of one list the same verb governs (成功调解村级矛盾纠纷78件,镇级矛盾纠纷37件:
    37 is no case count behind 78 successes, but more successes)."""
    for breakdown in passage.breakdowns_of_part(whole):
        if any(t is part for t, _ in breakdown.totals for part in parts):
            return True
    return any(_parallel(passage, part, whole) for part in parts)


_MIN_SHARED_NOUN = 2


def _parallel(passage: Passage, first: Fact, second: Fact) -> bool:
    """Two figures side by side, nothing but a comma or 、 between, whose labels end in the same
    words (村级矛盾纠纷, 镇级矛盾纠纷), the second's metric word among them: the second item
    repeats the first's noun under the first's verb."""
    if first.end > second.start:
        first, second = second, first
    if passage.text[first.end:second.start - len(second.label)].strip() not in ("，", ",", "、"):
        return False
    shared = 0
    a, b = first.label, second.label
    while shared < min(len(a), len(b)) and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    suffix = b[len(b) - shared:]
    return shared >= _MIN_SHARED_NOUN and bool(second.metric_word) and second.metric_word in suffix \
        and len(b) > shared  # the second item has its own qualifier (镇级): not the same words twice


_MAX_BETWEEN = 6  # figures between a rate's base and its numerator that may be counts settled at once


def _settled_at_once(passage: Passage, words: tuple[str, ...], numerators: list[Fact], base: list[Fact]) -> list[Fact]:
    """The counts settled on receipt (当场答复5113宗) stated between the base and the numerator in
    one sentence, of the numerator's unit: concluded as well, though the sentence counts them apart
    from 办结. None when more than a few figures stand between (no list of dispositions then)."""
    if not words or len(numerators) != 1 or len(base) != 1:
        return []
    numerator, whole = numerators[0], base[0]
    if not whole.end <= numerator.start or passage.sentence_of(whole.start) != passage.sentence_of(numerator.start):
        return []
    between = passage.values_between(whole.end, numerator.start)
    if len(between) > _MAX_BETWEEN:
        return []
    return [f for f in between if f.kind in QUANTITY_KINDS and f.unit == numerator.unit and f.value is not None
            and any(w in f.label for w in words)]


def _antecedent(passage: Passage, numerator: Fact) -> Fact | None:
    """The count right before a numerator in its sentence, when it can hold it: 8988 in 其中人民调解
    8988件,调解成功8847件."""
    sentence = passage.sentence_of(numerator.start)
    values = passage.values
    i = passage.value_index(numerator.start) - 1
    while i >= 0 and values[i].start >= sentence.start and values[i].kind not in QUANTITY_KINDS:
        i -= 1
    if i < 0 or values[i].start < sentence.start:
        return None
    candidate = values[i]
    if not passage.alike(candidate, numerator) or candidate.value is None or numerator.value is None:
        return None
    return candidate if candidate.value >= numerator.value else None
