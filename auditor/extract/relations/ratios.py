"""A ratio of the two counts before it, and its change against theirs.

Reads:  新收行政复议申请8745件,同比增长75.7%,新收一审行政诉讼案件3362件,同比下降3.9%,复议诉讼比值达2.6,同比增长76.5%
                            -> 2.6 = 8745 / 3362 (op rate), and 76.5% against
                               (1 + 75.7%) / (1 − 3.9%) − 1 = 82.8% (op delta): a ratio grows as
                               its numerator's level over its denominator's
Leaves: 复议诉讼比值达2.6,同比增长76.5%     -> no counts stated before it
        受理80件,办结60件,结案40件,比值为1.5 -> three counts: which two is not said

The ratio is a plain number (no unit) named by a ratio word (shapes.yaml changes.ratio_words),
with exactly two counts of one dimension before it in its sentence. Either may be the
numerator: the first over the second is favoured, the other way round tried; a ratio is flagged
only when neither gives it, and its change only when the change of the reading that gives the
ratio does not.
"""

from __future__ import annotations

from auditor.extract.figures import Fact
from auditor.extract.relations.changes import adjacent, rising_of
from auditor.extract.relations.model import RateReading
from auditor.extract.relations.passage import Passage, is_quantity, last_before

def read(passage: Passage) -> None:
    words = passage.shapes.changes.ratio_words
    values = [f for f in passage.facts if f.kind in ("count", "money", "number", "change")]
    position = {id(f): i for i, f in enumerate(values)}
    for i, ratio in enumerate(values):
        if ratio.kind != "number" or ratio.value is None or ratio.value <= 0 \
                or not any(w in ratio.label for w in words):
            continue
        sentence = passage.sentence_of(ratio.start)
        # the sentence's counts before the ratio, three at most (then which two is not said)
        levels = last_before(values, i, 3, is_quantity, sentence.start)
        if len(levels) != 2 or not passage.alike(*levels) or any(f.value is None or f.value <= 0 for f in levels):
            continue
        first, second = levels
        how = "the two counts before the ratio"
        kept = passage.builder.rates("ratio", first.family or second.family, ratio, [
            RateReading([first], [second], how, per=1), RateReading([second], [first], how, per=1)])
        if kept is None:
            continue
        change = _change_after(passage, values, i)
        numerator_change = _change_after(passage, values, position[id(kept.numerators[0])])
        denominator_change = _change_after(passage, values, position[id(kept.base[0])])
        if change is not None and numerator_change is not None and denominator_change is not None:
            passage.builder.ratio_change(ratio.family, change, numerator_change, denominator_change)


def _change_after(passage: Passage, values: list[Fact], i: int) -> tuple[Fact, bool] | None:
    """The percentage change right after a level (8745件,同比增长75.7%) and whether it is a rise."""
    if i + 1 >= len(values):
        return None
    level, change = values[i], values[i + 1]
    if change.kind != "change" or change.unit != "%" or change.value is None \
            or not passage.words.delta_label.fullmatch(change.label) or not adjacent(passage, level, change):
        return None
    rising = rising_of(passage, change.label)
    return None if rising is None else (change, rising)
