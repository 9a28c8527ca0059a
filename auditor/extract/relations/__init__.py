"""Find the checkable relations between the figures of one report.

A stated figure is a claim: a total of its parts, a share of its whole, a rate of its counts, a
change between two levels, one count stated twice. Each reader (one module per sentence shape,
listed in registry.READERS) finds the claims of its shape and the readings the passage allows
for each; the builder (model.Builder) keeps, per claim, the first reading that explains the
stated figure, or the one the structure favours when none does, naming the others it tried.
Structure is read before vocabulary: the breakdown reader records each total and its parts
(其中, 在…中, brackets), and the readers that pair figures by metric words defer to it.

The words of the shapes are in expectations/shapes.yaml; metric words and units in
vocabulary.yaml. kinds.KINDS maps each kind of relation to the rules that check it.
"""

from __future__ import annotations

from auditor.config import Config
from auditor.extract.budget import UNLIMITED, Budget
from auditor.extract.disclosure_table import DisclosureTables, table_relations
from auditor.extract.figures import VALUE_KINDS, Fact
from auditor.extract.relations.model import Builder, Relation
from auditor.extract.relations.passage import Passage, clause_spans
from auditor.extract.relations.registry import READERS
from auditor.extract.relations.words import words_of
from auditor.ingest.spans import Span

__all__ = ["Builder", "Relation", "find_relations"]


def find_relations(text: str, facts: list[Fact], sentences: list[Span], paragraphs: list[Span], config: Config,
                   tables: DisclosureTables | None = None, budget: Budget = UNLIMITED) -> list[Relation]:
    """Relations among the facts; the figures of template tables (read_tables) only by the
    template's sums."""
    words = words_of(config.shapes, config.vocabulary)
    builder = Builder(text, sentences, config.thresholds, words)
    cells = tables.cell_indexes() if tables else set()
    passage = Passage(
        text=text, facts=facts, values=[f for f in facts if f.kind in VALUE_KINDS and f.index not in cells],
        sentences=sentences, paragraphs=paragraphs, clauses=clause_spans(text, sentences),
        vocabulary=config.vocabulary, shapes=config.shapes, words=words, thresholds=config.thresholds,
        builder=builder, budget=budget,
    )
    if tables:
        builder.named |= cells
    for name, read in READERS:
        budget.check(f"relations: {name}")
        read(passage)
    if tables:
        table_relations(builder, tables, config.template)
    return builder.relations
