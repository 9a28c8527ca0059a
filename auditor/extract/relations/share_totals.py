"""The shares of one whole, together: listed to the last part they make 100%; any list of shares
of one whole, whose parts are kinds of one classification, makes no more.

Reads:  其中维持占60%、撤销占25%、其他占15%           -> 60 + 25 + 15 = 100% (the last part is the rest)
        维持、撤销、其他分别占60%、25%、15%            -> the same, as a 分别 list
        共受理200件,其中刑事80件、民事120件,分别占40%、60% -> 100%: the counts cover the whole
        法规文件类信息51条,占8.42%;规划计划类信息7条,占1.16%;业务动态类信息554条,占91.42%
                                                     -> 101.00% of one whole: no more than 100%
Leaves: 刑事案件、民事案件分别占40%、55%               -> need not cover the whole, and no more
        其中党员30人,占60%;本科学历25人,占50%          -> two classifications: they may overlap

Lists come from the shares reader (passage.share_lists).
"""

from __future__ import annotations

from decimal import Decimal

import regex

from auditor.extract.relations.passage import Passage
from auditor.extract.relations.respective import respective_word
from auditor.extract.relations.passage import head_word
from auditor.extract.relations.shares import ShareList, base_readings


def read(passage: Passage) -> None:
    builder = passage.builder
    continued = {id(listed.after) for listed in passage.share_lists if listed.after is not None}
    for listed in passage.share_lists:
        if id(listed) in continued:
            continue  # its shares are read with the 分别 list that goes on after it
        if listed.after is not None:  # …投诉举报类19.72%,意见建议类和其他类分别占0.53%、0.59%: one list
            _read_chain(passage, listed.after, listed)
            continue
        if len(listed.shares) < 2:
            continue
        names = _names(passage, listed)
        complete = _complete(passage, listed, names)
        if not complete and not _one_classification(passage, listed):
            continue
        terms = [f"{name}{share.text}" if name else builder.expr(share) for name, share in zip(names, listed.shares)]
        how = "listed to the rest of the whole" if complete else "shares of one whole, of one classification"
        builder.pct_total(listed.shares[0].family, listed.shares, terms, complete=complete, how=how)


def _read_chain(passage: Passage, before: ShareList, listed: ShareList) -> None:
    """Shares of counts, then a 分别 list of names that goes on them: the rest closes them all."""
    names = _names(passage, before) + _names(passage, listed)
    shares = before.shares + listed.shares
    complete = bool(passage.words.catch_all.match(names[-1]))
    if complete:
        passage.builder.pct_total(shares[0].family, shares, [f"{n}{s.text}" for n, s in zip(names, shares)],
                                  complete=True, how="listed to the rest of the whole, over two lists")


def _names(passage: Passage, listed: ShareList) -> list[str]:
    """How each share is named in the message: by its count (维持24件占60%) or its own name."""
    if listed.respective:
        label = listed.shares[0].label
        names_text = label[:respective_word(passage, label)]
        pattern = "|".join(regex.escape(j) for j in sorted(passage.words.joiners, key=len, reverse=True))
        names = [n.strip() for n in regex.split(pattern, names_text) if n.strip()]
        if len(names) == len(listed.shares):
            return names
        return [passage.builder.expr(p) if p is not None else "" for p in listed.parts]
    names = []
    for share, part in zip(listed.shares, listed.parts):
        if part is not None:
            names.append(f"{passage.builder.expr(part)}{share.label[-4:] if share.label else ''}")
        else:
            names.append(passage.builder.expr(share).removesuffix(share.text))
    return names


def _complete(passage: Passage, listed: ShareList, names: list[str]) -> bool:
    """The list covers its whole: its last part is the rest (其他, 其余), the list of its counts is
    complete, or its counts add up exactly to a whole they may be shares of."""
    catch_all = passage.words.catch_all
    if listed.respective and names and catch_all.match(names[-1]):
        return True
    last = listed.shares[-1]
    if catch_all.match(last.label) or (listed.parts[-1] is not None and catch_all.match(listed.parts[-1].label)):
        return True
    if any(p is None for p in listed.parts):
        return False
    breakdown = passage.breakdown_of_part(listed.parts[0])
    if breakdown is not None and breakdown.complete:
        return True
    if any(p.value is None or p.rounded or p.qualifier for p in listed.parts):
        return False
    counted = sum((p.value for p in listed.parts), Decimal(0))
    wholes = [base for base, _ in base_readings(passage, listed) if len(base) == 1]
    return any(w[0].value == counted and not w[0].rounded and not w[0].qualifier for w in wholes)


def _one_classification(passage: Passage, listed: ShareList) -> bool:
    """The parts are kinds of one classification, so they cannot overlap: each label holds a
    classification word (…类信息, …方面的) and all end in one head word."""
    if any(p is None for p in listed.parts):
        return False
    if not all(passage.words.classification.search(p.label) for p in listed.parts):
        return False
    return len({head_word(p.label) for p in listed.parts}) == 1 and head_word(listed.parts[0].label) != ""
