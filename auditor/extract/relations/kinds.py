"""The kinds of relation (their op), and the rules that check each: one table, which the frames,
the writers and a test of the relations suite read, so no list is kept in step by hand. It holds
the kinds the readers of one report state and those the checks across reports add (yoy, carry,
stock, jump)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    op: str
    rules: tuple[str, ...]   # the rules whose expectations (suites/relations.json) select this op
    what: str

    @property
    def checked(self) -> bool:
        return bool(self.rules)


KINDS: dict[str, Kind] = {k.op: k for k in (
    Kind("eq", ("ARITH001",), "the parts make the total"),
    Kind("le", ("BOUND001", "ARITH002"), "the parts do not exceed their whole"),
    Kind("near", ("ARITH003",), "a list that reads as complete falls a little short of its total"),
    Kind("rate", ("RATE001",), "a rate or share is its numerator over its base"),
    Kind("grim", ("RATE002",), "some whole base gives the rate"),
    Kind("pct_total", ("RATE003",), "the shares of one whole, listed to the rest, make 100%"),
    Kind("pct_le", ("RATE004",), "the shares of one whole make no more than 100%"),
    Kind("restate", ("CONS001",), "one thing stated twice has one value"),
    Kind("prior", ("CONS002",), "some whole count last year gives the change"),
    Kind("yoy", ("CONS003",), "last year's report gives the change"),
    # checks across years (frames/across_years.py): two reports of one body
    Kind("carry", ("DISC010",), "last year's 结转下年度 is this year's 上年结转"),
    Kind("stock", ("DISC011",), "last year's 现行有效 plus 本年制发 minus 本年废止 is this year's 现行有效"),
    Kind("jump", ("RANGE004",), "a figure within a plausible factor of last year's"),
    Kind("delta", ("CONS004",), "the two stated levels give the change"),
    Kind("table", ("DISC001", "DISC002", "DISC003", "DISC004", "DISC005", "DISC006", "DISC007", "DISC008",
                   "DISC009"), "an identity of the disclosure template, or the text against its table"),
    Kind("change", (), "a change and its level, recorded for a reviewer"),
    Kind("repeat", (), "one metric stated again with another value, recorded for a reviewer"),
)}

CHECKED_OPS = tuple(op for op, kind in KINDS.items() if kind.checked)
RECORDED_OPS = tuple(op for op, kind in KINDS.items() if not kind.checked)
