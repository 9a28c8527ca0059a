"""Shares (占比, 占…的P%) against the count they qualify and the whole they are a share of.

Reads:  全县1366项,…有742项,占比54.32%                       -> 54.32% = 742 / 1366
        共办理500件,其中民事300件,占60%;刑事150件,占30%     -> both shares of 500, not of each other
        立案4979件。……立案的提案中:经济建设方面1911件,占38.4%;… -> shares of the 4979 the phrase names
        网络申请39件,占88.6%,信函申请5件,占11.4%             -> shares of 44, the sum of a list whose
                                                              shares make 100%
Leaves: 纠纷数量最多,达2005件,占22.3%                        -> no whole stated for it

The shares after one another, each right after its own count, form a list with one base. Which
whole that is, is a reading: the whole a share names (占受理案件总数的30%: the figure the words
受理案件 label, in this sentence or an earlier one), the total of the list its counts belong to
(其中, 在…中), the sum of its counts when its shares make 100%, or, when nothing else offers, the
first figure of the sentence. A share passes when one reading gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from auditor.extract.figures import Fact
from auditor.extract.relations.breakdowns import named_wholes
from auditor.extract.relations.model import RateReading
from auditor.extract.relations.passage import QUANTITY_KINDS, Passage, is_quantity, last_before
from auditor.extract.relations.respective import respective_word
from auditor.extract.relations.words import share_position

# between a count and the 占 of its share: punctuation, and particles that name nothing
# (an aside that says what the count holds may stand between: 554条,包括统计信息等内容,占91.42%)
_OWN_COUNT_GAP_RE = regex.compile(r"(?:[，,](?:包括|包含|含|即|主要是|主要为)[^，,。；;]{0,30})?"
                                  r"[\s，,、；;：:（(）)]*(?:其中|均|共|约|所|分别|依次|则)*")
_ADJACENT_RE = regex.compile(r"[\s，,、；;。]*")
_BASE_TAIL = ("的比例", "的比重", "比例", "比重", "的", "为", "达", "约", "了", "是")


@dataclass
class ShareList:
    shares: list[Fact]
    parts: list              # the count each share qualifies (None where it names no count), in order
    base_words: str          # what the first share names as its whole ("" for a bare 占)
    respective: bool         # 分别占40%、55%: the shares follow all their counts
    after: "ShareList | None" = None  # a 分别 list that goes on the list before it (…,其他类分别占0.53%、0.59%)


def read(passage: Passage) -> None:
    passage.share_lists = share_lists(passage)  # all of them first: a whole is no part of any
    for listed in passage.share_lists:
        passage.budget.check("relations: shares")
        if any(p is None for p in listed.parts):
            continue  # shares of names, not of counts: share_totals reads them
        readings = base_readings(passage, listed)
        family = listed.parts[0].family
        for share, part in zip(listed.shares, listed.parts):
            together = _listed_with(passage, part) if len(listed.shares) == 1 else []
            plausible = [(base, how) for base, how in readings if _plausible(passage, share, [part], base, how)]
            passage.builder.rates("share", part.family or family, share, [
                *(RateReading([part], base, how) for base, how in plausible),
                # 交通类783件、城建类579件、政法类562件,占工单总量的77%: the three together
                *(RateReading(together, base, f"the counts listed together, {how}") for base, how in readings
                  if together and all(b not in together for b in base)),
            ])





def share_lists(passage: Passage) -> list[ShareList]:
    """The shares of the report, in lists of one base: the shares one after another, each right
    after its own count (or each right after its own name: 其中维持占60%、撤销占25%), that name the
    same whole or none; a 分别 list of shares with the counts before it."""
    values = passage.values
    lists: list[ShareList] = []
    current: ShareList | None = None
    skip: set[int] = set()
    last_rate_end: int | None = None  # where the last rate before the current figure ends
    for i, fact in enumerate(values):
        if i and values[i - 1].kind == "rate":
            last_rate_end = values[i - 1].end
        if fact.index in skip:
            continue
        if not passage.is_share(fact):
            if fact.kind == "rate":
                current = None  # another rate ends a list of shares
            continue
        if respective_word(passage, fact.label) != -1:  # 分别占40%、55%: the counts before, in order
            shares = [fact, *_listed_after(passage, values, i)]
            skip.update(f.index for f in shares)
            # the counts the names before 分别 hold, after any share before them: 刑事80件、民事120件,
            # 分别占40%、60% (not 咨询类…占38.74%,…意见建议类和其他类分别占比0.53%、0.59%)
            since = passage.sentence_of(fact.start).start if last_rate_end is None else last_rate_end
            counts = last_before(values, i, len(shares), is_quantity, since)
            parts = counts if len(counts) == len(shares) else [None] * len(shares)
            if any(p is None for p in parts) or not all(passage.alike(p, parts[0]) for p in parts):
                parts = [None] * len(shares)
            listed = ShareList(shares, parts, _base_words(passage, fact.label), True)
            listed.after = current if current is not None and _goes_on(passage, current, fact, None, listed.base_words,
                                                                      respective=True) else None
            lists.append(listed)
            current = None
            continue
        part = _own_count(passage, values, i)
        base = _base_words(passage, fact.label)
        if current is not None and _goes_on(passage, current, fact, part, base):
            current.shares.append(fact)
            current.parts.append(part)
            continue
        current = ShareList([fact], [part], base, False)
        lists.append(current)
    return lists


def _goes_on(passage: Passage, current: ShareList, share: Fact, part: Fact | None, base: str, *,
             respective: bool = False) -> bool:
    """A share continues a list: the same whole named (or none), its count of the list's kind
    (in a list without counts: in the same sentence), and either right after the list's last
    share (one item a line: 同意公开1件,占总数的33.3%⏎信息不存在1件,占总数的33.3%), in the same
    sentence, or past a full stop named in the list's manner (…方面的196件,占35%。政治建设方面的
    47件,占8.3%)."""
    if base not in ("", current.base_words):
        return False
    last, first = current.shares[-1], current.parts[0]
    if current.parts[-1] is not None and passage.words.catch_all.match(current.parts[-1].label):
        return False  # …其他14件(10.2%): the rest closed the list; what follows starts another
    if respective:  # a 分别 list of names after shares of counts: the same sentence
        return passage.sentence_of(share.start) == passage.sentence_of(last.start)
    if part is None or first is None:
        return part is None and first is None and passage.sentence_of(share.start) == passage.sentence_of(last.start)
    if not passage.alike(part, first):
        return False
    if _ADJACENT_RE.fullmatch(passage.text, last.end, part.start - len(part.label)):
        return True
    if passage.sentence_of(share.start) == passage.sentence_of(last.start):
        return True
    if passage.paragraph_of(share.start) != passage.paragraph_of(last.start):
        return False
    # past a full stop: each share naming the same whole (占提案总数的…), or counts named alike
    return bool(base) or passage.same_manner(current.parts[-1], part)


def _listed_after(passage: Passage, values: list[Fact], i: int) -> list[Fact]:
    followers = []
    for follower in values[i + 1:]:
        if follower.kind != "rate" or follower.label.strip("".join(passage.words.joiners)) != "":
            break
        followers.append(follower)
    return followers


def _own_count(passage: Passage, values: list[Fact], i: int) -> Fact | None:
    """The count a share qualifies: the quantity right before it, with nothing but punctuation
    and particles between (网络申请39件,占88.6%; 20条,所占比例为30%). A share with a name of its
    own before 占 (其中维持占60%) qualifies no count."""
    share = values[i]
    previous = values[i - 1] if i else None
    if previous is None or previous.kind not in QUANTITY_KINDS:
        return None
    between = passage.text[previous.end:share.start]
    if not share.label:  # 43件(30.2%)
        return previous if between.strip() in ("(", "（") else None
    at = share_position(between, passage.words)
    if at == -1 or passage.sentence_of(previous.start) != passage.sentence_of(share.start):
        return None
    return previous if _OWN_COUNT_GAP_RE.fullmatch(between[:at]) else None


def _base_words(passage: Passage, label: str) -> str:
    """What a share names as its whole: 受理案件总数 in 占受理案件总数的30%; "" for a bare 占; the
    generic word itself (总数) for a whole named only generically (占总数, 占案件总数)."""
    words = label[share_position(label, passage.words) + 1:]
    words = words.removeprefix("比")
    changed = True
    while changed:
        changed = False
        for tail in _BASE_TAIL:
            if words.endswith(tail):
                words, changed = words[:-len(tail)], True
    generic = passage.words.generic_base.search(words)
    if generic and generic.end() == len(words):
        rest = words[:generic.start()]
        if not rest or rest in passage.shapes.restatements.generic_nouns:
            return _GENERIC  # 占案件总数的22.0% and 占总数的35.6% name one whole
    return words


_BREAKS_RE = regex.compile(r"[，,；;。：:]")
_NAME_COVER = 0.5  # of the words a share names its whole by, the share a figure's label must hold
_GENERIC = "总数"  # how a share names a whole only generically
_FAR = "named"  # (NAMED, NAMED_IN_FULL and the whole named by 占…的 all hold it)  # readings of a whole named from afar: 占…的, or 总数 (see _plausible)
_FACTOR = 2


def _plausible(passage: Passage, share: Fact, part: list[Fact], base: list[Fact], how: str) -> bool:
    """A whole found by its name alone, elsewhere in the text, whose share comes out more than
    twice or less than half the one stated, names another scope (北京市共受理9.9万件 is not the
    centre's own total): that reading is dropped rather than the share flagged."""
    if _FAR not in how and "nearest" not in how:
        return True
    if any(f.value is None for f in (*part, *base)) or share.value is None or share.value <= 0:
        return True
    whole = sum(f.value for f in base)
    if whole <= 0:
        return False
    computed = sum(f.value for f in part) / whole * 100
    return share.value / _FACTOR <= computed <= share.value * _FACTOR


def _listed_with(passage: Passage, part: Fact) -> list[Fact]:
    """The counts joined to this one by 、 right before it (783件、579件、562件), itself last;
    [] when it stands alone."""
    run = [part]
    for fact in reversed(passage.values):
        if fact.start >= run[0].start:
            continue
        between = passage.text[fact.end:run[0].start].strip()
        if not passage.alike(fact, part) or not between.startswith("、") or _BREAKS_RE.search(between):
            break
        run.insert(0, fact)
    return run if len(run) > 1 else []


def base_readings(passage: Passage, listed: ShareList) -> list[tuple[list[Fact], str]]:
    first = listed.parts[0]
    readings: list[tuple[list[Fact], str]] = []
    words = listed.base_words
    if words and words != _GENERIC and not passage.words.generic_base.fullmatch(words):
        # a whole named in the share's own words: most of them, not a head noun they share
        # (一般公共预算支出 is not 工资福利支出预算, though both say 支出)
        for whole, how in named_wholes(passage, words, first.start, first, cover=_NAME_COVER):
            if all(whole is not p for p in listed.parts):
                readings.append(([whole], f"the whole named by 占{words}"))
    elif words:  # 占总数的17.3%: the whole, whatever it is called: the nearest figure that can hold the list
        whole = _nearest_whole(passage, listed)
        if whole is not None:
            readings.append(([whole], f"the nearest figure before the list that holds it (占{words})"))
    breakdown = passage.breakdown_of_part(first)
    if breakdown is not None:
        readings += [([total], f"the total of the list ({how})") for total, how in breakdown.totals]
    if len(listed.parts) >= 2 and _make_hundred(passage, listed.shares):
        readings.append((list(listed.parts), "the sum of the listed counts, whose shares make 100%"))
    if not readings:
        head = _head(passage, listed)
        if head is not None:
            readings.append(([head], "the first figure of the sentence"))
    return readings


def _nearest_whole(passage: Passage, listed: ShareList) -> Fact | None:
    """The last figure of the parts' kind before the list, in its paragraph or the few before,
    that is at least the sum of the list's counts."""
    first = listed.parts[0]
    if any(p.value is None for p in listed.parts):
        return None
    needed = sum(p.value for p in listed.parts)
    reach = passage.reach_start(first.start)
    shared = {p.index for other in passage.share_lists for p in other.parts if p is not None}
    for fact in reversed(passage.values):
        if fact.start >= first.start or fact.index in shared:
            continue  # a count with a share of its own is a part of some list, not a whole
        if fact.start < reach:
            return None
        if passage.alike(fact, first) and fact.value is not None and fact.value >= needed:
            return fact
    return None


def _make_hundred(passage: Passage, shares: list[Fact]) -> bool:
    lo, hi = passage.builder.total(shares)
    return lo <= 100 <= hi


def _head(passage: Passage, listed: ShareList) -> Fact | None:
    """全县1366项…有742项,占比54.32%: the first figure of the sentence, of the parts' kind."""
    first = listed.parts[0]
    sentence = passage.sentence_of(first.start)
    shared = {p.index for other in passage.share_lists for p in other.parts if p is not None}
    for fact in passage.values[passage.value_index(sentence.start):]:  # those before its sentence never are
        if fact.start >= first.start:
            return None
        if fact.start >= sentence.start and passage.alike(fact, first):
            # a count with a share of its own is a sibling in some list, never this list's whole
            return None if fact.index in shared else fact
    return None

