"""除…外 remainders: a total, the figures excepted from it, and the rest.

Reads:  明确下放的82个事项,除因修法涉及林业部门的1个事项相应取消外,其他81个事项已完成交接
                                                   -> 82 = 1 + 81
Leaves: 今年扫黑除恶共打掉涉黑组织3个,除此之外还查处案件12件 -> 除恶 is a word; nothing follows 外
        清理规范性文件120件,除95件继续有效外,废止25件      -> the rest is not right after 外

The total stands before 除, the excepted figures inside 除…外, and the rest right after 外
(其他/其余/剩余… or directly), all of one unit, in one sentence.
"""

from __future__ import annotations

from auditor.extract.relations.passage import Passage, first_at


def read(passage: Passage) -> None:
    for facts in passage.grouped(passage.values, passage.sentences):
        passage.budget.check("relations: remainders")
        _read_sentence(passage, facts)


def _read_sentence(passage: Passage, facts) -> None:
    text, words = passage.text, passage.words
    sentence = passage.sentence_of(facts[0].start)
    if text.find("除", sentence.start, sentence.end) == -1:
        return  # no 除…外 (most sentences): str.find, not a scan with the pattern
    for match in words.except_word.finditer(text, sentence.start, sentence.end):
        if match.group("inside") is None:
            continue  # 扫黑除恶, 排除: a word, not 除…外
        # the figures around the phrase by bisection: a crafted sentence of thousands of 除…外 must
        # not cost their square
        at = first_at(facts, match.end())
        rest = facts[at] if at < len(facts) else None
        if rest is None or not words.rest.fullmatch(text, match.end(), rest.start):
            continue
        begin = first_at(facts, match.start())
        excepted = [f for f in facts[begin:at] if f.unit == rest.unit and f.kind == rest.kind
                    and match.start() < f.start]
        total = next((facts[j] for j in range(begin - 1, -1, -1) if facts[j].unit == rest.unit
                      and facts[j].kind == rest.kind and facts[j].end <= match.start()), None)
        if total is not None and excepted:
            passage.builder.sum("eq", "remainder", total.family or rest.family, total, [*excepted, rest],
                                how="除…外: the total, the excepted and the rest")
