"""Find the checkable relations between the figures of one report.

Readers, each a function of the figures and the text:
- vocabulary relations: sums, bounds and rates among named metrics of one family in one
  clause group (a sentence, split further at semicolons), as vocabulary.yaml declares them;
  figures listed after 分别 are first named from the list before it, in order;
- 其中 lists: a total followed by 其中 and parts with the same unit;
- shares: 占比 / 占…的 P% with the part before it and the base of its sentence;
- 除…外 remainders: a total, the figures excepted, and the rest (82 = 1 + 81);
- 另 completions: a total, parts, and 另外/其余 the rest (4 = 1 + 3);
- whole-number bases: a rate whose numerator is stated and whose base is not, against the
  rates some whole base gives (op "grim");
- percentages that must total 100%: the shares of one whole listed to the last part (其余/其他
  占…, or parts whose counts cover the whole) (op "pct_total");
- changes: 同比下降26% with the level it qualifies; against a whole count, the change is
  checked against the changes a whole previous count gives (op "prior"), otherwise only
  recorded (op "change"); both name the direction in their source (prior:fall, change:rise)
  when the change stands right after its level, for the check against last year's report
  (checks/year_over_year.py);
- the template tables of an information-disclosure report (disclosure_table.py), whose figures
  only the template's sums join (op "table");
- repeats: one metric stated again elsewhere with another value. A restatement both of whose
  statements name the same specific thing and claim the whole of it (全市224个村(社区),
  220个村(社区)均已…) is checked (op "restate"); the rest are only recorded (op "repeat").

Every relation states one figure (the whole, or the rate) and computes the same quantity from
others, each side as an interval, so the checks compare intervals and never exact floats.
The recorded-only changes and repeats hold the two figures, each as its interval.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import regex

from auditor.config import DisclosureTemplate, Thresholds, Vocabulary
from auditor.extract.disclosure_table import DisclosureTables, table_relations
from auditor.extract.feasibility import base_for_rate, previous_for_change
from auditor.extract.figures import INF, VALUE_KINDS, Fact
from auditor.extract.labels import metric_patterns
from auditor.ingest.spans import Span

_CLAUSE_BREAK_RE = re.compile(r"[；;]")
_BRACKET_RE = regex.compile(r"[()（）]")
_HEAD_FILLER_RE = regex.compile(r"(?:的|有|为|是|共计|共|达到|达|了)+$")
_ASIDE_RE = regex.compile(r"[(（][^()（）]*[)）]")
_QIZHONG_RE = regex.compile(r"其中")
_SHORT_LABEL_STRIP_RE = regex.compile(r"^(?:其中|共计|共|合计|累计|全年|另外|另|有|的|是|为|[：:、，,]|\s)+")
_SHORT_LABEL_TAIL_RE = regex.compile(r"(?:为|达|是|有|的|了|共计|共)+$")
_SHORT_LABEL_CHARS = 12
_TOTAL_MARKER_RE = regex.compile(r"共计|共|合计|总计|累计")
_SHARE_TAIL_RE = regex.compile(r"(?:的|为|达|约|了|是)+$")
# 分别 lists
_METRIC_UNIT_OF_KIND = {"count": "count", "money": "money", "rate": "percent"}
_RESPECTIVE_VERB_RE = regex.compile(r"(?:为|是|达到|达|有|了|[：:]|\s)*")
_RESPECTIVE = "分别"
_LIST_JOINERS = ("、", "和", "及", "与", "以及")
_LIST_JOINER_CHARS = "、和及与以"
_NAME_SEPARATOR_RE = regex.compile(r"、")
_NAME_JOINER_RE = regex.compile(r"、|以及|和|及|与")
# 除…外: 除 that is not part of a word (扫黑除恶, 排除, 消除, 除险加固), a short clause, then (以)外
_EXCEPT_RE = regex.compile(
    r"(?<![黑排消清删废解拆免去剔革铲根破祛摒切开剪扣整割驱戒撤罢])除(?![恶险夕湿尘草雪冰害法数权])了?"
    r"[^，,。；;！？!?\n]{1,50}?以?外")
_REST_INTRO_RE = regex.compile(r"[,，]?(?:其他|其它|其余|剩余|余下|剩下|全部|均|的)*")
# 另 completions
_COMPLETION_INTRO_RE = regex.compile(r"另外|另有|另|其余|其他|其它")
_COMPLETION_TOTAL_RE = regex.compile(r"共计|共|合计|总计|累计|总")
_COMPLETION_FILLER_RE = regex.compile(r"其中|其他|其它|其余|有|的|已|均|是|为|外|[、：:]|\s")
# changes and repeats
_DELTA_FILLERS = ("了", "约", "近", "达", "多", "少", "同期", "，", ",", " ")
_NEGATIONS = ("无", "没有", "未有")
_NOUN_AFTER_RE = regex.compile(r"(?:(?![均已都全也还将正在被并且的是和与及或等共])\p{Han}|[(（][\p{Han}]{1,4}[)）])+")
_NOUN_CHARS = 6
_VERB_AFTER_NOUN_RE = regex.compile(r"实现|完成|开展|建成|建立|设立|配备|开通|达到|成立|落实|推行|推进|获得|取得|通过|纳入"
                                    r"|参加|参与|开设|设置|覆盖|提供|办理|受理|签订|聘请|制定|出台")
_SHARE_METRIC = "share"
_RISE_WORDS = ("增长", "增加", "提高", "上升", "提升", "增多")
_FALL_WORDS = ("下降", "减少", "降低", "下滑", "回落")
_DIRECTION_RE = regex.compile("|".join(_RISE_WORDS + _FALL_WORDS))
_COMPARISON_ONLY_RE = regex.compile(r"[,，、\s]*(?:(?:同比|比|较|与)(?:\d{4}\s*年度?|上年|去年|上一年)?(?:同期)?(?:相比)?)?[,，\s]*")
# restatements: what makes a repeated figure checkable
_SUBSET_WORDS = ("其中", "此类", "该类", "其余", "其他", "其它", "另", "新增", "新建", "新设", "累计", "试点", "首批",
                 "部分", "分别", "重点", "涉及", "领域", "以上", "以下")
_GENERIC_NOUNS = ("方面", "项目", "个人", "部门", "单位", "类别", "领域", "环节", "事项", "问题", "工作", "活动",
                  "内容", "任务", "批次", "方式", "措施", "阶段", "国家", "地区", "城市", "省份", "行业", "人员",
                  "群众", "对象", "案件", "重点", "层级", "年度", "月份", "小时", "工作日")
# the whole of a thing, right before its count: 全市224个村(社区), 所有…; 共有 is not enough, as
# it names the whole of whatever stands before it (机械工业各部共有77个建设项目)
_WHOLE_SCOPE_RE = regex.compile(r"(?:全(?:市|县|区|镇|乡|省|州|旗|盟)|所有|全部)(?:共有|共计|共|有|的|\s)*$")
# the whole of a year's count of a metric, anywhere in its label: 全年受理, 本年度…共受理
_WHOLE_YEAR_RE = regex.compile(r"全(?:市|县|区|镇|乡|省|州|旗|盟|年)|本年度?|今年|所有|全部|总计|合计|共计|共有"
                               r"|(?<!公)共(?![处同享建治识赢进产和])")
_WHOLE_AFTER_RE = regex.compile(r"^(?:均|全部|都|全都)|全覆盖")
_SENTENCE_REST_CHARS = 40
_NOT_YET_WORDS = ("将", "力争", "争取", "计划", "明年", "逐步", "推动", "推进")
# percentages of one whole that must total 100%
_CATCH_ALL_RE = regex.compile(r"^[、，,；;\s和及与]*(?:其他|其它|其余|剩余|余下|另外|另)")
_RESPECTIVE_SHARE_RE = regex.compile(r"(?:分别|依次)(?:占比?|为|是|达)")


@dataclass
class Relation:
    op: str                   # eq: stated = computed; le: computed <= stated; rate: stated = computed;
                              # grim, prior: stated = the nearest percentage whole counts give;
                              # pct_total: 100% = the sum of the shares; restate: first = later;
                              # change, repeat: two figures recorded side by side, not checked
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
                   vocabulary: Vocabulary, thresholds: Thresholds, tables: DisclosureTables | None = None,
                   template: DisclosureTemplate | None = None) -> list[Relation]:
    """Relations among the facts; the figures of template tables (read_tables) only by the
    template's sums."""
    cells = tables.cell_indexes() if tables else set()
    values = [f for f in facts if f.kind in VALUE_KINDS and f.index not in cells]
    builder = _Builder(text, sentences, thresholds)
    clause_groups = _clause_groups(text, sentences)
    builder.listed = _name_respective_metrics(text, values, vocabulary)
    scope = paragraphs if thresholds.relation_scope == "paragraph" else clause_groups
    for group in _group(values, scope):
        for family, members in _by_family(group).items():
            _vocabulary_relations(builder, family, members, vocabulary)
    for paragraph_facts in _group(values, paragraphs):
        _qizhong_relations(builder, paragraph_facts, vocabulary)
    for sentence_facts in _group(values, sentences):
        _share_relations(builder, sentence_facts, vocabulary)
        _remainder_relations(builder, sentence_facts)
        _percent_total_relations(builder, sentence_facts)
    # after the 其中 and vocabulary readers: a list they read (其中…,另两次…) keeps their reading,
    # since the builder keeps the first relation of one whole and its parts
    for clause_facts in _group(values, clause_groups):
        _completion_relations(builder, clause_facts, vocabulary)
    levels_and_changes = [f for f in facts if f.kind in (*VALUE_KINDS, "change")]
    for clause_facts in _group(levels_and_changes, clause_groups):
        _change_relations(builder, clause_facts, vocabulary)
    restated = _restate_relations(builder, values, vocabulary)
    _repeat_relations(builder, values, restated)
    if tables and template:
        table_relations(builder, tables, template)
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
            op = "eq" if template.exhaustive and len(present) == len(parts) else "le"
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
            found = [nearest(m, rate) for m in template.numerators]
            numerators = [f for f in found if f is not None]
            if not numerators:
                continue
            unit = numerators[0].unit
            numerators = [f for f in numerators if f.unit == unit]
            bases = [[b] for b in (nearest(d, rate, unit) for d in template.denominators) if b is not None]
            for base in list(bases):
                added, _ = extras(template.denominator_extra, base[0])
                if added:
                    bases.append(base + added)  # 结案率 over 新收 + 上年结转
            # a numerator term the report leaves out (no 变更 in a 纠错率) may be zero or more
            open_ended = len(numerators) < len(template.numerators)
            if bases:
                builder.rate(f"rate:{template.rate}", family, rate, numerators, bases, open_ended=open_ended)
            elif not open_ended:
                builder.grim(f"grim:{template.rate}", family, rate, numerators)  # no base: any whole one?


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
            if parts and running >= total.value and not _continues(text, parts, fact):
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


def _percent_total_relations(builder: _Builder, facts: list[Fact]) -> None:
    """Shares of one whole listed to its last part, which together must make 100% (op
    "pct_total"). Only a list that says it covers the whole is read:
    - 其中维持占60%、撤销占25%、其他占15%: parts after 其中, each with its own 占 of one base,
      the last one 其他/其余/另…;
    - 维持、撤销、其他分别占60%、25%、15%: a 分别/依次 list whose last name is 其他/其余…;
    - 共受理200件,其中刑事80件、民事120件,分别占40%、60%: a 分别 list of the parts before it, whose
      counts add up to the whole before them.
    A list of shares that need not cover the whole (刑事案件、民事案件分别占40%、55%) is left alone."""
    text = builder.text
    sentence = builder.sentence_of(facts[0].start)
    used: set[int] = set()
    for i, fact in enumerate(facts):
        if fact.kind != "rate" or "占" not in fact.label or fact.index in used:
            continue
        respective = _RESPECTIVE_SHARE_RE.search(fact.label)
        if respective:
            shares = [fact]
            for follower in facts[i + 1:]:
                if follower.kind != "rate" or follower.label.strip("、和及与") != "":
                    break
                shares.append(follower)
            names = [_SHORT_LABEL_STRIP_RE.sub("", n).strip()
                     for n in _NAME_JOINER_RE.split(fact.label[:respective.start()]) if n.strip()]
            named = len(names) == len(shares)
            exhaustive = (named and bool(_CATCH_ALL_RE.match(names[-1]))) or \
                _counts_cover_whole(facts[:i], len(shares))
            terms = [f"{name}{f.text}" for name, f in zip(names, shares)] if named else [f.text for f in shares]
        else:
            shares, base = [fact], _share_base(fact.label)
            counts: dict[int, Fact] = {}  # share -> the part's own count before it (维持24件、占60%)
            previous = facts[i - 1] if i else None
            listed_from = text.rfind("其中", sentence.start, fact.start)  # -1: no 其中, not exhaustive
            if previous is not None and previous.kind in ("count", "money") and previous.start > listed_from >= 0:
                counts[fact.index] = previous
            for follower in facts[i + 1:]:
                if follower.kind in ("count", "money"):
                    previous = follower
                    continue
                if follower.kind != "rate" or "占" not in follower.label or _share_base(follower.label) != base:
                    break
                shares.append(follower)
                if previous is not None and previous.start > shares[-2].end:
                    counts[follower.index] = previous
            before_last = text[shares[-2].end:shares[-1].start] if len(shares) > 1 else ""
            exhaustive = listed_from >= 0 and bool(_CATCH_ALL_RE.match(before_last))
            terms = [f"{builder.expr(counts[f.index])}{f.label[-1:]}{f.text}" if f.index in counts else builder.expr(f)
                     for f in shares]
        used.update(f.index for f in shares)
        if exhaustive and len(shares) > 1:
            builder.pct_total(fact.family, shares, terms)


def _share_base(label: str) -> str:
    """What a share is of: 受理总数 in 占受理总数的60%; empty for a bare 占."""
    return _SHARE_TAIL_RE.sub("", label[label.rfind("占") + 1:]).removeprefix("比")


def _counts_cover_whole(before: list[Fact], n: int) -> bool:
    """The n counts before a 分别 list of shares are its parts, and add up exactly to the whole
    stated before them (200 = 80 + 120), or end with 其他/其余 (…其他案件15件)."""
    counts = [f for f in before if f.kind in ("count", "money")]
    if len(counts) < n:
        return False
    parts = counts[-n:]
    if any(p.unit != parts[0].unit or p.value is None for p in parts):
        return False
    if _CATCH_ALL_RE.match(parts[-1].label):
        return True
    wholes = [f for f in counts[:-n] if f.unit == parts[0].unit]
    return bool(wholes) and not any(p.rounded or p.qualifier for p in [wholes[-1], *parts]) \
        and wholes[-1].value == sum((p.value for p in parts), Decimal(0))


def _name_respective_metrics(text: str, facts: list[Fact], vocabulary: Vocabulary) -> set[int]:
    """分别 lists: 全年受理、办结行政复议案件分别为52件、50件 names 52件 accepted (受理) and 50件
    concluded (办结), the names before 分别 in the order of the figures after it.

    Each figure's label holds the whole list, so it was named by the list's first vocabulary
    word (办结 for both): only the metric and metric_word of the listed figures change here.
    Returns the indexes of the figures renamed."""
    patterns = metric_patterns(vocabulary)
    renamed: set[int] = set()
    i = 0
    while i < len(facts):
        listed = _respective_list(text, facts, i)
        if listed:
            names = _respective_names(facts[i].label, len(listed))
            unit = _METRIC_UNIT_OF_KIND[facts[i].kind]
            if names and all(_METRIC_UNIT_OF_KIND[f.kind] == unit for f in listed):
                renamed.update(_rename(listed, _name_metrics(patterns[unit], names)))
        i += max(1, len(listed))
    return renamed


def _respective_list(text: str, facts: list[Fact], i: int) -> list[Fact]:
    """The figures listed after 分别 from facts[i] on: 分别为52件、50件 (not 分别占40%, a share)."""
    label = facts[i].label
    at = label.rfind(_RESPECTIVE)
    if at == -1 or not _RESPECTIVE_VERB_RE.fullmatch(label[at + 2:]):
        return []
    listed = [facts[i]]
    for fact in facts[i + 1:]:
        if text[listed[-1].end:fact.start].strip() not in _LIST_JOINERS:
            break
        listed.append(fact)
    return listed if len(listed) > 1 else []


def _respective_names(label: str, count: int) -> list[str] | None:
    """The names before 分别, split at 、 (or also at 和/及/与, which may stand inside a name)."""
    names_text = label[:label.rfind(_RESPECTIVE)]
    for separator in (_NAME_SEPARATOR_RE, _NAME_JOINER_RE):
        names = [n for n in separator.split(names_text) if n.strip()]
        if len(names) == count:
            return names
    return None


def _best_word(pattern_owner, text: str):
    """The metric word of a text that vocabulary.yaml lists first, as a match, or None."""
    pattern, owner = pattern_owner
    return min(pattern.finditer(text), key=lambda m: owner[m.group()][0], default=None)


def _name_metrics(pattern_owner, names: list[str]) -> list[tuple[str, str] | None]:
    """(metric, word) per name. A name with no metric word of its own is read with the noun the
    names share, which ends the last one: 民事、刑事案件 -> 民事案件; 排查、调解成功矛盾纠纷 -> 排查矛盾纠纷."""
    owner = pattern_owner[1]
    last = _best_word(pattern_owner, names[-1])
    shared = ""
    if last is not None:
        shared = names[-1][last.end():] if names[-1][last.end():].strip() else last.group()
    metrics = []
    for name in names:
        word = _best_word(pattern_owner, name) or _best_word(pattern_owner, name + shared)
        metrics.append((owner[word.group()][1], word.group()) if word else None)
    return metrics


def _rename(listed: list[Fact], metrics: list[tuple[str, str] | None]) -> list[int]:
    renamed = []
    for fact, metric in zip(listed, metrics):
        if metric is not None:
            fact.metric, fact.metric_word = metric
            renamed.append(fact.index)
    return renamed


def _remainder_relations(builder: _Builder, facts: list[Fact]) -> None:
    """除…外 remainders: 明确下放的82个事项,除因修法涉及林业部门的1个事项相应取消外,其他81个事项
    已完成交接 reads 82 = 1 + 81: the total before 除, the figures inside 除…外, and the rest
    right after 外 (其他/其余/剩余… or directly), all of one unit."""
    text = builder.text
    sentence = builder.sentence_of(facts[0].start)
    for match in _EXCEPT_RE.finditer(text, sentence.start, sentence.end):
        rest = next((f for f in facts if f.start >= match.end()), None)
        if rest is None or not _REST_INTRO_RE.fullmatch(text, match.end(), rest.start):
            continue
        same = [f for f in facts if f.unit == rest.unit and f.kind == rest.kind]
        excepted = [f for f in same if match.start() < f.start < match.end()]
        total = next((f for f in reversed(same) if f.end <= match.start()), None)
        if total is not None and excepted:
            builder.sum("eq", "remainder", total.family or rest.family, total, [*excepted, rest])


def _completion_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> None:
    """另 completions: 共审结行政复议案件4件,1件已公开,另外3件无需公开 reads 4 = 1 + 3: a total
    (共/合计/总…, else the first figure before parts named only by the words after them), the
    parts after it, and a last part introduced by 另/另外/另有/其余/其他, all of one unit."""
    text = builder.text
    for i, last in enumerate(facts):
        label = last.label.lstrip(_LIST_JOINER_CHARS)
        intro = _COMPLETION_INTRO_RE.match(label)
        if last.kind not in ("count", "money") or intro is None:
            continue
        earlier = [f for f in facts[:i] if f.unit == last.unit and f.kind == last.kind]
        total = next((f for f in reversed(earlier) if _COMPLETION_TOTAL_RE.search(f.label)), None)
        if total is None and earlier and all(_bare(f.label) for f in earlier[1:]):
            total = earlier[0]  # 审结4件,1件已公开,另外3件…: the parts are named after their figure
        if total is None:
            continue
        asides = _brackets(text, total.end, last.start)  # (含上年结转1件): inside a part, not one of them
        parts = [f for f in earlier if f.start > total.start and not _included(f, vocabulary)
                 and not any(a.start < f.start < a.end for a in asides)]
        parts.append(last)
        if len(parts) < 2 or "其中" in text[total.end:last.start]:
            continue  # nothing but the rest, or a 其中 list, which its own reader reads
        if total.family and last.family and total.family != last.family:
            continue  # …;另外办理行政应诉案件: another family's count
        if any(p.lo > total.hi for p in parts):
            continue  # a figure above the total is another count, not one of its parts
        noun = _COMPLETION_FILLER_RE.sub("", label[intro.end():])
        if noun and not any(noun in f.label for f in [total, *parts[:-1]]):
            continue  # 另有咨询300件, 另外办理行政应诉案件12件: something else, not the rest of the total
        builder.sum("eq", "completion", total.family, total, parts)


def _bare(label: str) -> bool:
    """A label with no name of its own: the figure is named by the words after it (1件已公开)."""
    return not _COMPLETION_FILLER_RE.sub("", label)


def _change_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> None:
    """Year-over-year changes: 行政处罚案件215件,同比下降26% pairs the change (stated) with the
    level before it that it qualifies (op "change"). A change that names its own subject
    (行政处罚案件数同比下降26%) has no stated level; 由…提高到… are levels, not changes."""
    delta_re = _delta_label_re(vocabulary)
    for i, change in enumerate(facts):
        if change.kind != "change" or not delta_re.fullmatch(change.label):
            continue
        level = _level_before(facts, i)
        if level is not None and _change_fits(change, level):
            family = level.family or change.family
            # checked only right after its level (7件,同比增长66.7%): across other words the change
            # may well be of something else (四个自治区,工业总产值增长88%)
            rising = _rising(change.label) if _adjacent(builder.text, level, change) else None
            if not builder.prior(family, change, level, rising):
                builder.pair("change", direction_source("change", rising), family, change, level)


def _adjacent(text: str, level: Fact, change: Fact) -> bool:
    """Nothing but punctuation and the words of the comparison between a level and its change:
    7件,同比增长66.7%; 88件,比2021年增长12.8%."""
    between = text[level.end:change.start]
    if change.label and between.endswith(change.label):
        between = between[:-len(change.label)]
    return bool(_COMPARISON_ONLY_RE.fullmatch(between))


def direction_source(op: str, rising: bool | None) -> str:
    """change:rise, prior:fall: a change read right after its level says which way it goes (the
    year-over-year check across reports reads it); a change read across other words does not."""
    return op if rising is None else f"{op}:{'rise' if rising else 'fall'}"


def _rising(label: str) -> bool | None:
    """Whether a change label says a rise (增长, 提高) or a fall (下降, 减少); None when it says
    neither (提速, 压缩 of a time)."""
    words = list(_DIRECTION_RE.finditer(label))
    return words[-1].group() in _RISE_WORDS if words else None


def _level_before(facts: list[Fact], i: int) -> Fact | None:
    """The level figure a change qualifies: the nearest value figure before it, unless another
    change stands between (that one qualifies it) or it is a negation (无一件 says none)."""
    for fact in reversed(facts[:i]):
        if fact.kind == "change":
            return None
        if not fact.label.endswith(_NEGATIONS):
            return fact
    return None


def _change_fits(change: Fact, level: Fact) -> bool:
    """A relative change (%) fits any level; 个百分点 a rate; a count or an amount its own unit."""
    if change.unit == "%":
        return True
    if change.unit == "个百分点":
        return level.kind == "rate"
    return change.unit == level.unit


@lru_cache(maxsize=8)
def _delta_label_re(vocabulary: Vocabulary) -> regex.Pattern:
    """A change label made only of comparison and change words (同比下降, 比上年增加, 增长了):
    one that names no subject of its own, and is no 由/从…到/至 level."""
    words = {w for w in (*vocabulary.change_markers, *vocabulary.comparison_words, *_DELTA_FILLERS)
             if w not in ("由", "从") and not w.endswith(("到", "至"))}
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?:{alternatives})+")


def _restate_relations(builder: _Builder, facts: list[Fact], vocabulary: Vocabulary) -> set[int]:
    """One thing counted twice, each time as the whole of it, with different values:
    220个村(社区)均已开通… in one sentence, 全市224个村(社区)… in another (op "restate", the first
    statement against each later value). Returns the indexes of the later figures so paired.

    Most figures that repeat a metric are not restatements: 受理此类案件17件 and 受理…206件 count
    two scopes of one metric, 5个乡镇 may be some of 全县12个乡镇. So a restatement needs both
    figures to be counts of one unit naming the same specific thing (a noun of its own after
    the figure, 村(社区), not 部门 or 方面; or the same metric words of one family, 受理行政复议
    案件), and each to claim the whole of it (全市, 全年, 共, 所有 before it; 均, 全覆盖 after it),
    with no word of a subset (其中, 此类, 新增, 试点, 累计…) before it."""
    seen: dict[tuple, list[Fact]] = {}
    restated: set[int] = set()
    for fact in facts:
        key = _restate_key(builder, fact, vocabulary)
        if key is None:
            continue
        earlier = seen.setdefault(key, [])
        if any(e.value == fact.value for e in earlier):
            continue
        sentence = builder.sentence_of(fact.start)
        first = next((e for e in earlier if builder.sentence_of(e.start) != sentence), None)
        if first is not None:
            builder.restate(first, fact, key[-1] if key[0] is None else None)
            restated.add(fact.index)
        earlier.append(fact)
    return restated


def _restate_key(builder: _Builder, fact: Fact, vocabulary: Vocabulary) -> tuple | None:
    """What names a figure as the whole of one specific thing, or None."""
    if fact.kind != "count" or fact.metric == _SHARE_METRIC or fact.qualifier:
        return None
    if fact.value == 1 and fact.text.startswith("一"):
        return None
    text = builder.text
    label = fact.label
    if any(word in label for word in _SUBSET_WORDS):
        return None
    noun = _noun_after(text, fact)
    if noun is not None and _specific(noun):
        if not _claims_whole(builder, fact, label, noun):
            return None
        return (None, None, fact.unit, noun)
    if fact.family and fact.metric and fact.metric_word and fact.metric_word in label and _WHOLE_YEAR_RE.search(label):
        # what is counted, in the report's words less those of time and totality: 全年共受理行政复议
        # 案件 -> 受理行政复议案件; it must name its family itself (行政复议), not take it from a
        # sentence before, and two counts are one metric only when these words are the same
        named = _SHORT_LABEL_TAIL_RE.sub("", _WHOLE_YEAR_RE.sub("", label)).strip()
        if fact.metric_word in named and any(word in named for word in vocabulary.families.get(fact.family, ())):
            return (fact.family, fact.metric, fact.unit, named)
    return None


def _specific(noun: str) -> bool:
    """A noun that names something of its own: 村(社区), 法律服务工作站; not 部门, 方面, 个人."""
    han = regex.sub(r"[^\p{Han}]", "", noun)
    return len(han) >= 2 and not han.startswith(_GENERIC_NOUNS)


def _claims_whole(builder: _Builder, fact: Fact, label: str, noun: str) -> bool:
    """全市224个村(社区), 所有…: the whole before it; 220个村(社区)均已…, …实现全覆盖: the whole
    after it, in the rest of its sentence."""
    if _WHOLE_SCOPE_RE.search(label):
        return True
    sentence = builder.sentence_of(fact.start)
    rest = builder.text[fact.end + len(noun):min(sentence.end, fact.end + len(noun) + _SENTENCE_REST_CHARS)]
    claim = _WHOLE_AFTER_RE.search(rest)
    # 在5个乡镇开展试点,力争明年实现全覆盖: the whole is yet to come, and not these five
    return claim is not None and not any(word in rest[:claim.start()] for word in (*_SUBSET_WORDS, *_NOT_YET_WORDS))


def _repeat_relations(builder: _Builder, facts: list[Fact], restated: set[int]) -> None:
    """One metric stated more than once with different values, recorded unchecked (op "repeat",
    the first statement against each later value) unless _restate_relations checks it. The
    same metric is the same family, metric and unit; for a figure with no metric, the same unit
    and the same noun right after it (村(社区))."""
    seen: dict[tuple, list[Fact]] = {}
    for fact in facts:
        key = _repeat_key(builder.text, fact)
        if key is None:
            continue
        if fact.index in restated:
            seen.setdefault(key, []).append(fact)
            continue
        earlier = seen.setdefault(key, [])
        if any(e.value == fact.value for e in earlier):
            continue  # the same value again (a report that repeats its own body) is consistent
        sentence = builder.sentence_of(fact.start)
        first = next((e for e in earlier if builder.sentence_of(e.start) != sentence), None)
        if first is not None:
            builder.pair("repeat", "repeat", fact.family, first, fact)
        earlier.append(fact)


def _repeat_key(text: str, fact: Fact) -> tuple | None:
    """What makes two figures one metric, or None for a figure no other can repeat."""
    if fact.metric == _SHARE_METRIC:
        return None  # 占…: two shares are one metric only over the same part and base
    if fact.metric:
        return fact.family, fact.metric, fact.kind, fact.unit
    if fact.kind != "count":
        return None  # a count's noun follows it (224个村); an amount's or a rate's stands before it
    if fact.value == 1 and fact.text.startswith("一"):
        return None  # 一个, 一项: an article, not a count
    noun = _noun_after(text, fact)
    return (fact.family, None, fact.kind, fact.unit, noun) if noun else None


def _noun_after(text: str, fact: Fact) -> str | None:
    """The noun right after a figure, up to a break or a function word: 村(社区) in 224个村(社区)已…;
    None when shorter than two characters (个村 alone says too little)."""
    match = _NOUN_AFTER_RE.match(text, fact.end, fact.end + _NOUN_CHARS + 4)
    noun = match.group() if match else ""
    closed = max(noun.find(")"), noun.find("）"))
    if closed != -1:
        noun = noun[:closed + 1]  # 乡(镇)实现…: the bracket closes the noun
    else:
        verb = _VERB_AFTER_NOUN_RE.search(noun, 1)
        noun = noun[:verb.start()] if verb else noun  # 行政村实现…
    noun = noun[:_NOUN_CHARS]
    return noun if len(noun) >= 2 else None


# --- building -----------------------------------------------------------------------------

class _Builder:
    def __init__(self, text: str, sentences: list[Span], thresholds: Thresholds) -> None:
        self.text = text
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.thresholds = thresholds
        self.relations: list[Relation] = []
        self.listed: set[int] = set()  # figures of a 分别 list: their label names the whole list
        self.named: set[int] = set()   # table cells: their label is their name (本年新收(自然人))
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
        optional_expr = "".join(f" [+ {self.expr(f)}]" for f in optional)
        self.relations.append(Relation(
            op=op, source=source, family=family, stated=whole, parts=[*parts, *optional],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=computed_lo, computed_hi=computed_hi,
            stated_expr=" + ".join(self.expr(f) for f in [whole, *extras]),
            computed_expr=" + ".join(self.expr(p) for p in parts) + optional_expr,
            computed_value=_format_like(sum((p.value for p in parts), Decimal(0)), whole, parts),
            sentences=self._sentences([whole, *extras, *parts, *optional]),
        ))

    def rate(self, source: str, family: str | None, rate: Fact, numerator: Fact | list[Fact], bases: list[list[Fact]],
             *, open_ended: bool = False) -> None:
        """A stated rate against numerator / base; of several candidate bases, the one that agrees best.
        The numerator may be several figures, summed; open_ended when some of its terms are unstated."""
        numerators = numerator if isinstance(numerator, list) else [numerator]
        stated_lo, stated_hi = self.interval(rate)
        n_lo, n_hi = self._total(numerators)
        if open_ended:
            n_hi = INF
        best = None
        for base in bases:
            d_lo, d_hi = self._total(base)
            if any(n in base for n in numerators) or d_lo <= 0:
                continue
            lo, hi = n_lo / d_hi * 100, n_hi / d_lo * 100
            gap = max(0.0, stated_lo - hi, lo - stated_hi)
            if best is None or gap < best[0]:
                best = (gap, base, lo, hi)
        if best is None:
            return
        _, base, lo, hi = best
        key = (rate.index, frozenset([*(n.index for n in numerators), *(b.index for b in base)]))
        if key in self._seen:
            return
        self._seen.add(key)
        exact = sum((n.value for n in numerators), Decimal(0)) / sum((b.value for b in base), Decimal(0)) * 100
        places = max(1, _decimals(rate.ulp) + 1)
        self.relations.append(Relation(
            op="rate", source=source, family=family, stated=rate, parts=[*numerators, *base],
            stated_lo=stated_lo, stated_hi=stated_hi, computed_lo=lo, computed_hi=hi,
            stated_expr=self.expr(rate),
            computed_expr=f"{self._sum_expr(numerators)} / {self._sum_expr(base)}",
            computed_value=f"{exact:.{places}f}%", sentences=self._sentences([rate, *numerators, *base]),
        ))

    def pair(self, op: str, source: str, family: str | None, stated: Fact, other: Fact) -> None:
        """Two figures recorded side by side, each as its own interval (the stated one widened like
        every stated figure): a change and its level, which checks/year_over_year.py may check
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
            sentences=self._sentences([stated, other]),
        ))

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

    def grim(self, source: str, family: str | None, rate: Fact, numerators: list[Fact]) -> None:
        """A stated rate with its numerator and no base: the rate some whole base D >= the
        numerator gives that comes nearest the stated one (inside it when D exists)."""
        stated = self.exact(rate)
        if stated is None or any(not _whole(n) for n in numerators):
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
            sentences=self._sentences([rate, *numerators]),
        ))

    def prior(self, family: str | None, change: Fact, level: Fact, rising: bool | None) -> bool:
        """A percent change of a whole count: the change some whole previous count gives that
        comes nearest the stated one (op "prior"). False when this is not such a change."""
        if change.unit != "%" or level.kind != "count" or rising is None or not _whole(level):
            return False
        stated = self.exact(change)
        solution = previous_for_change(int(level.value), *stated, rising) if stated else None
        if solution is None:
            return False
        key = ("prior", change.index, level.index)
        if key in self._seen:
            return True
        self._seen.add(key)
        places = max(1, _decimals(change.ulp) + 1)
        whole = f"{solution.whole}{level.unit}"
        achieved = f"{float(solution.achieved):.{places}f}%"
        self.relations.append(Relation(
            op="prior", source=direction_source("prior", rising), family=family, stated=change, parts=[level],
            stated_lo=float(stated[0]), stated_hi=float(stated[1]),
            computed_lo=float(solution.achieved), computed_hi=float(solution.achieved),
            stated_expr=self.expr(change),
            computed_expr=f"{self.expr(level)} ÷ (1 {'+' if rising else '−'} {change.text}) = "
                          f"{_span(solution.lo, solution.hi)}{level.unit}",
            computed_value=(f"{level.text} / {whole} − 1 = {achieved}" if rising
                            else f"1 − {level.text} / {whole} = {achieved}"),
            sentences=self._sentences([change, level]),
        ))
        return True

    def restate(self, first: Fact, later: Fact, noun: str) -> None:
        """One thing stated twice as a whole: the first statement against the later one."""
        key = ("restate", first.index, later.index)
        if key in self._seen:
            return
        self._seen.add(key)
        self.relations.append(Relation(
            op="restate", source="restate", family=first.family or later.family, stated=first, parts=[later],
            stated_lo=first.lo, stated_hi=first.hi, computed_lo=later.lo, computed_hi=later.hi,
            stated_expr=self._named_expr(first, noun), computed_expr=self._named_expr(later, noun),
            computed_value=later.text, sentences=self._sentences([first, later]),
        ))

    def pct_total(self, family: str | None, shares: list[Fact], terms: list[str]) -> None:
        """Shares of one whole listed to the last part: together they must make 100%."""
        key = ("pct_total", frozenset(f.index for f in shares))
        if key in self._seen or len(shares) < 2:
            return
        self._seen.add(key)
        lo, hi = self._total(shares)
        places = max(_decimals(f.ulp) for f in shares)
        total = sum((f.value for f in shares), Decimal(0))
        self.relations.append(Relation(
            op="pct_total", source="pct_total", family=family, stated=shares[0], parts=list(shares),
            stated_lo=100.0, stated_hi=100.0, computed_lo=lo, computed_hi=hi,
            stated_expr="100%", computed_expr=" + ".join(terms),
            computed_value=f"{total:.{places}f}%", sentences=self._sentences(shares),
        ))

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
        return _expr(fact)

    def _sum_expr(self, facts: list[Fact]) -> str:
        """受理58件, or (撤销3件 + 变更1件) for several terms."""
        joined = " + ".join(self.expr(f) for f in facts)
        return f"({joined})" if len(facts) > 1 else joined

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


def _whole(fact: Fact) -> bool:
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
