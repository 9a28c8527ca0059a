"""Find the checkable relations between the figures of one report.

Three readers, each a function of the figures and the text:
- vocabulary relations: sums, bounds and rates among named metrics of one family in one
  clause group (a sentence, split further at semicolons), as vocabulary.yaml declares them;
- 其中 lists: a total followed by 其中 and parts with the same unit;
- shares: 占比 / 占…的 P% with the part before it and the base of its sentence.

Every relation states one figure (the whole, or the rate) and computes the same quantity from
others, each side as an interval, so the checks compare intervals and never exact floats.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import regex

from auditor.config import Thresholds, Vocabulary
from auditor.extract.figures import INF, Fact
from auditor.extract.labels import metric_patterns
from auditor.ingest.spans import Span

_CLAUSE_BREAK_RE = regex.compile(r"[；;]")
_BRACKET_RE = regex.compile(r"[()（）]")
_HEAD_FILLER_RE = regex.compile(r"(?:的|有|为|是|共计|共|达到|达|了)+$")
_ASIDE_RE = regex.compile(r"[(（][^()（）]*[)）]")
_QIZHONG_RE = regex.compile(r"其中")
_SHORT_LABEL_STRIP_RE = regex.compile(r"^(?:其中|共计|共|合计|累计|全年|另外|另|有|的|是|为|[：:、，,]|\s)+")
_SHORT_LABEL_TAIL_RE = regex.compile(r"(?:为|达|是|有|的|了|共计|共)+$")
_SHORT_LABEL_CHARS = 12
_TOTAL_MARKER_RE = regex.compile(r"共计|共|合计|总计|累计")
_SHARE_TAIL_RE = regex.compile(r"(?:的|为|达|约|了|是)+$")


@dataclass
class Relation:
    op: str                   # eq: stated = computed; le: computed <= stated; rate: stated = computed
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


def find_relations(text: str, facts: list[Fact], sentences: list[Span], paragraphs: list[Span],
                   vocabulary: Vocabulary, thresholds: Thresholds) -> list[Relation]:
    values = [f for f in facts if f.kind in ("count", "money", "rate")]
    builder = _Builder(text, sentences, thresholds)
    scope = paragraphs if thresholds.relation_scope == "paragraph" else _clause_groups(text, sentences)
    for group in _group(values, scope):
        for family, members in _by_family(group).items():
            _vocabulary_relations(builder, family, members, vocabulary)
    for paragraph_facts in _group(values, paragraphs):
        _qizhong_relations(builder, paragraph_facts, vocabulary)
    for sentence_facts in _group(values, sentences):
        _share_relations(builder, sentence_facts, vocabulary)
    return builder.relations


# --- grouping -----------------------------------------------------------------------------

def _clause_groups(text: str, sentences: list[Span]) -> list[Span]:
    groups = []
    for s in sentences:
        start = s.start
        for m in _CLAUSE_BREAK_RE.finditer(text, s.start, s.end):
            groups.append(Span(start, m.start()))
            start = m.end()
        groups.append(Span(start, s.end))
    return groups


def _group(facts: list[Fact], spans: list[Span]) -> list[list[Fact]]:
    starts = [s.start for s in spans]
    groups: dict[int, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(bisect_right(starts, fact.start) - 1, []).append(fact)
    return [groups[k] for k in sorted(groups)]


def _by_family(facts: list[Fact]) -> dict[str | None, list[Fact]]:
    families: dict[str | None, list[Fact]] = {}
    for fact in facts:
        families.setdefault(fact.family, []).append(fact)
    return families


def _nearest(candidates: list[Fact], anchor: Fact, unit: str | None = None) -> Fact | None:
    usable = [c for c in candidates if c is not anchor and (unit is None or c.unit == unit)]
    return min(usable, key=lambda c: (abs(c.start - anchor.start), c.start < anchor.start), default=None)


# --- readers ------------------------------------------------------------------------------

def _vocabulary_relations(builder: _Builder, family: str | None, facts: list[Fact], vocabulary: Vocabulary) -> None:
    by_metric: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.metric:
            by_metric.setdefault(fact.metric, []).append(fact)

    def nearest(metric: str, anchor: Fact, unit: str | None = None) -> Fact | None:
        return _nearest(by_metric.get(metric, []), anchor, unit)

    def extras(metrics: tuple[str, ...], whole: Fact) -> tuple[list[Fact], int]:
        """The stated extra terms of a whole, and how many are not stated at all."""
        found = [nearest(m, whole, whole.unit) for m in metrics]
        stated = [f for f in found if f is not None and not _included(f, vocabulary)]
        return stated, found.count(None)

    for template in vocabulary.sums:
        for whole in by_metric.get(template.whole, ()):
            parts = [nearest(p, whole, whole.unit) for p in template.parts]
            present = [p for p in parts if p is not None]
            if not present:
                continue
            optional = [f for f in (nearest(p, whole, whole.unit) for p in template.optional_parts)
                        if f is not None and f not in present]
            added, unstated = extras(template.whole_extra, whole)
            op = "eq" if len(present) == len(parts) else "le"
            builder.sum(op, f"sum:{template.name}", family, whole, present, extras=added, optional=optional,
                        open_ended=unstated > 0)
    for template in vocabulary.bounds:
        for part in by_metric.get(template.part, ()):
            whole = next(filter(None, (nearest(m, part, part.unit) for m in template.wholes)), None)
            if whole is not None:
                added, _ = extras(template.whole_extra, whole)  # an unstated extra counts as none here
                builder.sum("le", f"bound:{template.part}", family, whole, [part], extras=added)
    for template in vocabulary.rates:
        for rate in by_metric.get(template.rate, ()):
            numerator = nearest(template.numerator, rate)
            if numerator is None:
                continue
            bases = [[b] for b in (nearest(d, rate, numerator.unit) for d in template.denominators) if b is not None]
            for base in list(bases):
                added, _ = extras(template.denominator_extra, base[0])
                if added:
                    bases.append(base + added)  # 结案率 over 新收 + 上年结转
            builder.rate(f"rate:{template.rate}", family, rate, numerator, bases)


def _included(fact: Fact, vocabulary: Vocabulary) -> bool:
    """A figure the report says is already inside another (含上年结转3件)."""
    return any(word in fact.label for word in vocabulary.included_words)


def _qizhong_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> None:
    """A total, 其中, then its parts. The total may close the previous sentence (…300件。其中,…)."""
    text = builder.text
    siblings, outcomes = _siblings(vocabulary), {b.part for b in vocabulary.bounds}
    for match in _QIZHONG_RE.finditer(text, facts[0].start, facts[-1].end):
        sentence = builder.sentence_of(match.start())
        closing = _closing_bracket(text, match.start(), sentence.end)
        asides = _brackets(text, match.end(), closing)  # (含…), nested (其中…): not parts of this list
        after = [f for f in facts if match.end() <= f.start < closing and f.kind in ("count", "money")
                 and not any(a.start < f.start < a.end for a in asides)]
        if not after:
            continue
        first = after[0]
        total = _total_before(builder, facts, match.start(), sentence, first)
        if total is None or any(word in total.label for word in vocabulary.average_words):
            continue  # no total, or an average (年均2040亿元,其中去年2573亿元)
        parts: list[Fact] = []
        running = Decimal(0)
        for fact in after:
            if fact.unit != total.unit or fact.kind != total.kind:
                break
            if parts and _ends_list(text, parts, fact, total, siblings, outcomes):
                break
            if running >= total.value and not _continues(text, parts, fact):
                break  # the list is complete; what follows is something else
            parts.append(fact)
            running += fact.value
        builder.sum("le", "qizhong", total.family, total, parts)


def _total_before(builder: _Builder, facts: list[Fact], pos: int, sentence: Span, first: Fact) -> Fact | None:
    """The total a 其中 list breaks down: the last figure of the parts' unit before 其中 in its
    sentence, or the figure that closes the previous sentence (…80件。其中,…)."""
    before = [f for f in facts if f.end <= pos]
    in_sentence = [f for f in before if f.start >= sentence.start and f.unit == first.unit and f.kind == first.kind]
    if in_sentence:
        return in_sentence[-1]
    reach = builder.previous_sentence_start(sentence)
    if before and before[-1].start >= reach and before[-1].unit == first.unit and before[-1].kind == first.kind:
        return before[-1]
    return None


def _continues(text: str, parts: list[Fact], fact: Fact) -> bool:
    """After the parts reach the total, only a figure listed like them still belongs to the list:
    joined by 、, of the same metric, or with the same head word (A类…, B类…, C类…)."""
    if "、" in text[parts[-1].end:fact.start]:
        return True
    first = parts[0]
    if first.metric and fact.metric == first.metric:
        return True
    return _head(first.label) != "" and _head(first.label) == _head(fact.label)


def _head(label: str) -> str:
    return _HEAD_FILLER_RE.sub("", label)[-1:]


def _ends_list(text: str, parts: list[Fact], fact: Fact, total: Fact, siblings: dict[str, set[str]],
               outcomes: set[str]) -> bool:
    """Whether `fact` starts something new rather than continuing the 其中 list."""
    between = _ASIDE_RE.sub("", text[parts[-1].end:fact.start])  # a nested (其中…) is skipped, not an end
    if "其中" in between or _TOTAL_MARKER_RE.search(fact.label):
        return True  # a nested list, or a new total (共办理45件)
    if total.family and fact.family and fact.family != total.family and _CLAUSE_BREAK_RE.search(between):
        return True  # …;办理行政应诉案件35件: past a semicolon, another family's figures
    first = parts[0]
    if fact.metric is None or fact.metric == first.metric:
        return False
    if first.metric is None:
        return fact.metric in outcomes  # 其中婚姻纠纷420件、邻里纠纷385件,调解成功1338件
    return fact.metric not in siblings.get(first.metric, set())  # 其中受理58件,不予受理4件,审结23件


@lru_cache(maxsize=8)
def _siblings(vocabulary: Vocabulary) -> dict[str, set[str]]:
    """Metrics that are parts of one whole in vocabulary.yaml, and so may share a 其中 list."""
    siblings: dict[str, set[str]] = {}
    for template in vocabulary.sums:
        members = set(template.parts) | set(template.optional_parts)
        for metric in members:
            siblings.setdefault(metric, set()).update(members - {metric})
    return siblings


def _closing_bracket(text: str, pos: int, limit: int) -> int:
    """Where a 其中 inside brackets ends: at the bracket that closes it, else the sentence end."""
    opened = max(text.rfind("(", 0, pos), text.rfind("（", 0, pos))
    closed = max(text.rfind(")", 0, pos), text.rfind("）", 0, pos))
    if opened > closed:
        ends = [i for i in (text.find(")", pos, limit), text.find("）", pos, limit)) if i != -1]
        if ends:
            return min(ends)
    return limit


def _brackets(text: str, start: int, end: int) -> list[Span]:
    """Bracketed asides between start and end (unclosed ones run to end)."""
    spans, depth, opened = [], 0, start
    for match in _BRACKET_RE.finditer(text, start, end):
        if match.group() in "(（":
            if depth == 0:
                opened = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append(Span(opened, match.end()))
    if depth:
        spans.append(Span(opened, end))
    return spans


def _share_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> None:
    """占比 P% against its part and base. 分别占40%、55% pairs the shares with the parts in order."""
    patterns = metric_patterns(vocabulary)
    for i, rate in enumerate(facts):
        if rate.kind != "rate" or "占" not in rate.label:
            continue
        shares = [rate]
        if "分别" in rate.label:
            for follower in facts[i + 1:]:
                if follower.kind != "rate" or follower.label.strip("、和及与") != "":
                    break
                shares.append(follower)
        base_words = _SHARE_TAIL_RE.sub("", rate.label[rate.label.rfind("占") + 1:]).removeprefix("比")
        earlier = [f for f in facts[:i] if f.kind in ("count", "money")]
        if len(earlier) < len(shares):
            continue
        parts = earlier[-len(shares):]
        unit = parts[0].unit
        candidates = [f for f in earlier[:-len(shares)] if f.unit == unit]
        if base_words:
            pattern, owner = patterns["money" if parts[0].kind == "money" else "count"]
            named = {owner[m.group()][1] for m in pattern.finditer(base_words)}
            bases = [f for f in candidates if f.metric in named]
        else:
            bases = candidates[:1]  # the head of the sentence: 全县1366项…有742项,占比54.32%
        if bases and all(p.unit == unit for p in parts):
            for share, part in zip(shares, parts):
                builder.rate("share", part.family, share, part, [bases[:1]])


# --- building -----------------------------------------------------------------------------

class _Builder:
    def __init__(self, text: str, sentences: list[Span], thresholds: Thresholds) -> None:
        self.text = text
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.thresholds = thresholds
        self.relations: list[Relation] = []
        self._seen: set[tuple] = set()

    def interval(self, fact: Fact) -> tuple[float, float]:
        """The fact's interval, widened by one unit of its last digit where reports may truncate."""
        lo, hi = fact.lo, fact.hi
        if self.thresholds.allow_truncation and fact.rounded and not fact.qualifier and fact.ulp:
            hi = float(fact.value + fact.ulp)
        return lo, hi

    def sum(self, op: str, source: str, family: str | None, whole: Fact, parts: list[Fact], *,
            extras: list[Fact] = (), optional: list[Fact] = (), open_ended: bool = False) -> None:
        """whole (+ extras) against parts (+ optional parts, each between zero and its value)."""
        key = (whole.index, frozenset(p.index for p in parts))
        if not parts or key in self._seen or any(p is whole for p in parts):
            return
        self._seen.add(key)
        stated_lo, stated_hi = self._total([whole, *extras])
        if open_ended:
            stated_hi = INF  # an unstated 上年结转 may be any number of cases
        computed_lo, computed_hi = self._total(parts)
        computed_hi += self._total(optional)[1]
        optional_expr = "".join(f" [+ {_expr(f)}]" for f in optional)
        self.relations.append(Relation(
            op=op, source=source, family=family, stated=whole, parts=[*parts, *optional],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=computed_lo, computed_hi=computed_hi,
            stated_expr=" + ".join(_expr(f) for f in [whole, *extras]),
            computed_expr=" + ".join(_expr(p) for p in parts) + optional_expr,
            computed_value=_format_like(sum((p.value for p in parts), Decimal(0)), whole, parts),
            sentences=self._sentences([whole, *extras, *parts, *optional]),
        ))

    def rate(self, source: str, family: str | None, rate: Fact, numerator: Fact, bases: list[list[Fact]]) -> None:
        """A stated rate against numerator / base; of several candidate bases, the one that agrees best."""
        stated_lo, stated_hi = self.interval(rate)
        n_lo, n_hi = self.interval(numerator)
        best = None
        for base in bases:
            d_lo, d_hi = self._total(base)
            if numerator in base or d_lo <= 0:
                continue
            lo, hi = n_lo / d_hi * 100, n_hi / d_lo * 100
            gap = max(0.0, stated_lo - hi, lo - stated_hi)
            if best is None or gap < best[0]:
                best = (gap, base, lo, hi)
        if best is None:
            return
        _, base, lo, hi = best
        key = (rate.index, frozenset([numerator.index, *(b.index for b in base)]))
        if key in self._seen:
            return
        self._seen.add(key)
        exact = numerator.value / sum((b.value for b in base), Decimal(0)) * 100
        places = max(1, _decimals(rate.ulp) + 1)
        base_expr = " + ".join(_expr(b) for b in base)
        self.relations.append(Relation(
            op="rate", source=source, family=family, stated=rate, parts=[numerator, *base],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=_expr(rate),
            computed_expr=f"{_expr(numerator)} / {f'({base_expr})' if len(base) > 1 else base_expr}",
            computed_value=f"{exact:.{places}f}%", sentences=self._sentences([rate, numerator, *base]),
        ))

    def _total(self, facts) -> tuple[float, float]:
        intervals = [self.interval(f) for f in facts]
        return sum(lo for lo, _ in intervals), sum(hi for _, hi in intervals)

    def sentence_of(self, offset: int) -> Span:
        return self.sentences[max(0, bisect_right(self.sentence_starts, offset) - 1)]

    def previous_sentence_start(self, sentence: Span) -> int:
        """Start of the sentence before this one when both stand on one line, else this one's."""
        i = bisect_right(self.sentence_starts, sentence.start) - 1
        if i > 0 and "\n" not in self.text[self.sentences[i - 1].end:sentence.start]:
            return self.sentences[i - 1].start
        return sentence.start

    def _sentences(self, facts: list[Fact]) -> list[Span]:
        indexes = sorted({bisect_right(self.sentence_starts, f.start) - 1 for f in facts})
        return [self.sentences[i] for i in indexes if i >= 0]


def _decimals(ulp: Decimal | None) -> int:
    if not ulp or ulp >= 1:
        return 0
    return -ulp.normalize().as_tuple().exponent


def _expr(fact: Fact) -> str:
    """A figure with the report's own words for it: 受理58件, 调解成功率97.5%, 25件还在审理中."""
    label = _TOTAL_MARKER_RE.split(fact.label)[-1]  # 各级人民调解委员会共受理… -> 受理…
    label = _SHORT_LABEL_TAIL_RE.sub("", _SHORT_LABEL_STRIP_RE.sub("", label))[-_SHORT_LABEL_CHARS:]
    if label:
        return f"{label}{fact.text}"
    return f"{fact.text}{fact.after[:_SHORT_LABEL_CHARS]}" if fact.after else f"{fact.metric_word}{fact.text}"


def _format_like(value: Decimal, like: Fact, parts: list[Fact]) -> str:
    """Format a computed amount the way the stated figure is written (万, 亿, decimals, unit)."""
    scale, mult = Decimal(1), ""
    for word, factor in (("亿", Decimal(10**8)), ("万", Decimal(10**4))):
        if word in like.text and abs(value) >= factor:
            scale, mult = factor, word
            break
    places = max((_decimals((f.ulp or Decimal(1)) / scale) for f in [like, *parts]), default=0)
    unit = like.unit if like.kind != "money" else "元"
    return f"{value / scale:.{places}f}{mult}{unit}"
