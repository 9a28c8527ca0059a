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

import regex

from auditor.config import Thresholds, Vocabulary
from auditor.extract.figures import INF, Fact
from auditor.extract.labels import _metric_res
from auditor.ingest.spans import Span

_CLAUSE_BREAK_RE = regex.compile(r"[；;]")
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
    for sentence_facts in _group(values, sentences):
        _qizhong_relations(builder, text, sentence_facts, vocabulary.average_words)
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
    for template in vocabulary.sums:
        for whole in by_metric.get(template.whole, ()):
            parts = [_nearest(by_metric.get(p, []), whole, whole.unit) for p in template.parts]
            present = [p for p in parts if p is not None]
            if not present:
                continue
            extras = [_nearest(by_metric.get(e, []), whole, whole.unit) for e in template.whole_extra]
            op = "eq" if len(present) == len(parts) else "le"
            builder.sum(op, f"sum:{template.name}", family, whole, present, extras, missing_extras=extras.count(None))
    for template in vocabulary.bounds:
        for part in by_metric.get(template.part, ()):
            whole = next((w for w in (_nearest(by_metric.get(m, []), part, part.unit) for m in template.wholes) if w), None)
            if whole is not None:
                builder.sum("le", f"bound:{template.part}", family, whole, [part], [], 0)
    for template in vocabulary.rates:
        for rate in by_metric.get(template.rate, ()):
            numerator = _nearest(by_metric.get(template.numerator, []), rate)
            if numerator is None:
                continue
            bases = [_nearest(by_metric.get(d, []), rate, numerator.unit) for d in template.denominators]
            builder.rate(f"rate:{template.rate}", family, rate, numerator, [b for b in bases if b is not None])


def _qizhong_relations(builder: _Builder, text: str, facts: list[Fact], averages: tuple[str, ...]) -> None:
    for match in _QIZHONG_RE.finditer(text, facts[0].start, facts[-1].end):
        before = [f for f in facts if f.end <= match.start() and f.kind != "rate"]
        if not before or any(word in before[-1].label for word in averages):
            continue  # no total, or an average (年均2040亿元,其中去年2573亿元)
        total = before[-1]
        closing = _closing_bracket(text, match.start(), facts[-1].end)
        parts: list[Fact] = []
        running = Decimal(0)
        for fact in facts:
            if fact.start < match.end() or fact.kind == "change":
                continue
            if fact.start >= closing or fact.unit != total.unit or fact.kind != total.kind:
                break
            if parts and (text.find("其中", parts[-1].end, fact.start) != -1 or _TOTAL_MARKER_RE.search(fact.label)):
                break  # a nested 其中, or a new total (共办理45件), ends the list
            parts.append(fact)
            running += fact.value
            if running >= total.value:
                break
        if parts:
            builder.sum("le", "qizhong", total.family, total, parts, [], 0)


def _closing_bracket(text: str, pos: int, limit: int) -> int:
    """Where a 其中 inside brackets ends: at the bracket that closes it, else the sentence end."""
    opened = max(text.rfind("(", 0, pos), text.rfind("（", 0, pos))
    closed = max(text.rfind(")", 0, pos), text.rfind("）", 0, pos))
    if opened > closed:
        ends = [i for i in (text.find(")", pos, limit), text.find("）", pos, limit)) if i != -1]
        if ends:
            return min(ends)
    return limit + 1


def _share_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> None:
    pattern, owner = _metric_res(vocabulary)["count"]
    for i, rate in enumerate(facts):
        if rate.kind != "rate" or "占" not in rate.label:
            continue
        base_words = _SHARE_TAIL_RE.sub("", rate.label[rate.label.rfind("占") + 1:]).removeprefix("比")
        earlier = [f for f in facts[:i] if f.kind in ("count", "money")]
        if not earlier:
            continue
        part = earlier[-1]
        same_unit = [f for f in earlier if f.unit == part.unit and f is not part]
        if base_words:
            named = {owner[m.group()][1] for m in pattern.finditer(base_words)}
            bases = [f for f in same_unit if f.metric in named]
        else:
            bases = same_unit[:1]  # the head of the sentence: 全县1366项…有742项,占比54.32%
        if bases:
            builder.rate("share", part.family, rate, part, bases[:1])


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

    def sum(self, op: str, source: str, family: str | None, whole: Fact, parts: list[Fact],
            extras: list[Fact | None], missing_extras: int) -> None:
        key = (whole.index, frozenset(p.index for p in parts))
        if key in self._seen or any(p is whole for p in parts):
            return
        self._seen.add(key)
        stated_lo, stated_hi = self.interval(whole)
        for extra in (e for e in extras if e is not None):
            lo, hi = self.interval(extra)
            stated_lo, stated_hi = stated_lo + lo, stated_hi + hi
        if missing_extras:
            stated_hi = INF  # an unstated 上年结转 may be any number of cases
        part_intervals = [self.interval(p) for p in parts]
        total = sum((p.value for p in parts), Decimal(0))
        stated_expr = " + ".join(_expr(f) for f in [whole, *(e for e in extras if e is not None)])
        self.relations.append(Relation(
            op=op, source=source, family=family, stated=whole, parts=parts,
            stated_lo=stated_lo, stated_hi=stated_hi,
            computed_lo=sum(lo for lo, _ in part_intervals), computed_hi=sum(hi for _, hi in part_intervals),
            stated_expr=stated_expr, computed_expr=" + ".join(_expr(p) for p in parts),
            computed_value=_format_like(total, whole, parts),
            sentences=self._sentences([whole, *parts]),
        ))

    def rate(self, source: str, family: str | None, rate: Fact, numerator: Fact, bases: list[Fact]) -> None:
        stated_lo, stated_hi = self.interval(rate)
        best = None
        for base in bases:
            if base is numerator or not base.value or base.lo <= 0:
                continue
            n_lo, n_hi = self.interval(numerator)
            d_lo, d_hi = self.interval(base)
            lo, hi = n_lo / d_hi * 100, (n_hi / d_lo * 100 if d_lo > 0 else INF)
            gap = max(0.0, stated_lo - hi, lo - stated_hi)
            if best is None or gap < best[0]:
                best = (gap, base, lo, hi)
        if best is None:
            return
        _, base, lo, hi = best
        key = (rate.index, frozenset((numerator.index, base.index)))
        if key in self._seen:
            return
        self._seen.add(key)
        exact = numerator.value / base.value * 100
        places = max(1, _decimals(rate.ulp) + 1)
        self.relations.append(Relation(
            op="rate", source=source, family=family, stated=rate, parts=[numerator, base],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=_expr(rate), computed_expr=f"{_expr(numerator)} / {_expr(base)}",
            computed_value=f"{exact:.{places}f}%", sentences=self._sentences([rate, numerator, base]),
        ))

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
