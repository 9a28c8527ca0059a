"""The relation readers, in the order they run. Order matters where readers share figures:
分别 lists are named before anything pairs metrics; the breakdowns (structure) are read before
the vocabulary pairs figures by their metric words, so that the vocabulary can defer to them;
the shares reader needs the breakdowns, the share totals the shares; completions come after the
readers whose lists they would otherwise re-read (the builder keeps the first relation of one
whole and its parts)."""

from __future__ import annotations

from collections.abc import Callable

from auditor.extract.relations import (breakdowns, changes, completions, implied_wholes, part_rates, ratios,
                                       remainders, respective, restatements, share_totals, shares,
                                       specialisations, vocabulary_relations)
from auditor.extract.relations.passage import Passage

READERS: tuple[tuple[str, Callable[[Passage], None]], ...] = (
    ("respective", respective.read),
    ("breakdowns", breakdowns.read),
    ("vocabulary", vocabulary_relations.read),
    ("shares", shares.read),
    ("share_totals", share_totals.read),
    ("implied_wholes", implied_wholes.read),
    ("part_rates", part_rates.read),
    ("remainders", remainders.read),
    ("completions", completions.read),
    ("specialisations", specialisations.read),
    ("ratios", ratios.read),
    ("changes", changes.read),
    ("restatements", restatements.read),
)
