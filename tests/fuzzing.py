"""Real report text, damaged the ways published pages are damaged, and what a reading of it must
keep whatever the damage. Shared by the property test in tests/test_hostile.py (a fixed seed, a
few hundred cases) and the long run `python -m bench.fuzz`.

The texts to damage are the hand-checked passages, the sentences of the real reports (both in
`../shared/corpora` next to the repository, used when present) and of the sample reports in
`reports_in/`, plus the few passages below, so that the test runs without the corpora.

    mutated_texts(pool)   a hypothesis strategy: a text of the pool with one to four mutations
    check_reading(text)   read_text(text) must not raise, and its figures, relations and quotes
                          must point into the text (raises AssertionError saying which does not)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import regex
from hypothesis import strategies as st

from auditor.config import Config
from auditor.ingest.spans import sentences
from auditor.process import ReportRecord, read_text

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "reports_in"

# Written for these tests in the shapes real reports take: a 其中 list, a 分别 list, shares of a
# whole, a rate, amounts in 万元, Chinese numerals, a disclosure table row, full-width digits.
EMBEDDED = (
    "2022年,全区共收到行政复议申请128件,其中受理115件、不予受理9件、告知向其他机关申请4件。"
    "已审结109件,其中维持71件、撤销12件、确认违法5件、驳回申请11件、终止10件,纠错率为15.6%。",
    "全年共办理法律援助案件1,436件,同比增长8.3%,分别为刑事案件612件、民事案件779件、行政案件45件。",
    "各级人民调解组织共排查调解矛盾纠纷3562起,调解成功3498起,调解成功率98.2%;"
    "其中婚姻家庭纠纷1024起,占28.7%;邻里纠纷867起,占24.3%;其他纠纷1671起,占47.0%。",
    "本年度主动公开政府信息二千三百一十五条(其中政策文件四百零二条,工作动态一千九百一十三条),"
    "依申请公开二十七件。",
    "| 一、本年新收政府信息公开申请数量 | 41 | 3 | 1 | 0 | 0 | 2 | 47 |\n"
    "| 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n",
    "全县行政执法人员共１２８６人（其中持证１２１９人），持证率９４．８％，较上年提高２．１个百分点。",
    "安排法治建设专项经费356.8万元,比上年增加42万元,增长13.3%;培训执法人员2100余人次。",
    "县政府共出庭应诉行政诉讼案件63件,行政机关负责人出庭应诉58件,出庭应诉率92.06%。\n"
    "审理行政复议案件86件(2021年为74件),同比增长16.2%。",
)

_MINIMUM_PIECE = 20  # characters: shorter pieces (headings, page numbers) teach the reader little
_DIGIT_RE = regex.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两]")
_FIGURE_RE = regex.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_BETWEEN_DIGITS_RE = regex.compile(r"(?<=[0-9０-９])(?=[0-9０-９])|[.．](?=[0-9０-９])")
_SEPARATOR_RE = regex.compile(r"[、,，;；]")
_CLOSING_RE = regex.compile(r"[)）】〕」』\]]")
_LIST_WORDS = ("其中", "其中:", ",其中", "分别", "分别为", "占", "占比")
_OPENING = ("(", "（", "【", "〔", "「")
_HUGE = ("9" * 19, "1" + "0" * 30, "9" * 60, "99999999999999.99", "18446744073709551616", "九千九百九十九亿")
_ZERO = ("0", "0.0", "00", "0.00", "〇")


# --- the texts -------------------------------------------------------------------------------

def text_pool(corpora: Path = CORPORA, seeds: Path = SEEDS) -> list[str]:
    """The texts to damage: the embedded passages, then, where they exist, the real passages and
    the real and the sample reports, whole and in pieces (see report_pieces)."""
    pool = list(EMBEDDED)
    passages = corpora / "real_passages" / "passages.jsonl"
    if passages.is_file():
        with passages.open(encoding="utf-8") as lines:
            pool.extend(json.loads(line)["text"] for line in lines if line.strip())
    for folder in (corpora / "real_reports", seeds):
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            text = path.read_text(encoding="utf-8-sig")
            pool.append(text)
            pool.extend(report_pieces(text))
    return pool


def report_pieces(text: str) -> list[str]:
    """Runs of one, three and twelve consecutive sentences, as they stand (line breaks and all),
    that hold a figure: overlapping, so a relation across a sentence break, or a table printed one
    cell a line, is whole in some piece."""
    spans = sentences(text)
    pieces = []
    for i in range(len(spans)):
        for width in (1, 3, 12):
            if i + width > len(spans):
                break
            piece = text[spans[i].start:spans[i + width - 1].end]
            if len(piece) >= _MINIMUM_PIECE and _DIGIT_RE.search(piece):
                pieces.append(piece)
    return pieces


# --- the mutations ---------------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy], object]


def _position(draw: Draw, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _pick(draw: Draw, matches: list) -> object | None:
    return draw(st.sampled_from(matches)) if matches else None


def _replace_figure(draw: Draw, text: str, by: tuple[str, ...]) -> str:
    match = _pick(draw, list(_FIGURE_RE.finditer(text)))
    if match is None:
        return text
    return text[:match.start()] + draw(st.sampled_from(by)) + text[match.end():]


def zero_figure(draw: Draw, text: str) -> str:
    """受理115件 -> 受理0件"""
    return _replace_figure(draw, text, _ZERO)


def huge_figure(draw: Draw, text: str) -> str:
    """受理115件 -> 受理999…9件"""
    return _replace_figure(draw, text, _HUGE)


def delete_character(draw: Draw, text: str) -> str:
    if not text:
        return text
    at = draw(st.integers(0, len(text) - 1))
    return text[:at] + text[at + 1:]


def double_character(draw: Draw, text: str) -> str:
    if not text:
        return text
    at = draw(st.integers(0, len(text) - 1))
    return text[:at + 1] + text[at:]


def insert_list_word(draw: Draw, text: str) -> str:
    """A 其中, 分别 or 占 where none was."""
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(_LIST_WORDS)) + text[at:]


def remove_list_word(draw: Draw, text: str) -> str:
    found = [m for word in ("其中", "分别", "占") for m in regex.finditer(word, text)]
    match = _pick(draw, found)
    return text if match is None else text[:match.start()] + text[match.end():]


def cut_list_short(draw: Draw, text: str) -> str:
    """A list that stops after some item: from a separator to the end of its sentence is lost."""
    match = _pick(draw, list(_SEPARATOR_RE.finditer(text)))
    if match is None:
        return text
    end = text.find("。", match.start())
    return text[:match.start()] + (text[end:] if end != -1 else "")


def leave_bracket_open(draw: Draw, text: str) -> str:
    closing = list(_CLOSING_RE.finditer(text))
    if closing and draw(st.booleans()):
        match = draw(st.sampled_from(closing))
        return text[:match.start()] + text[match.end():]
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(_OPENING)) + text[at:]


def swap_width(draw: Draw, text: str) -> str:
    """Full-width and half-width forms swapped over a stretch (１２８６人 <-> 1286人, ，<-> ,)."""
    start = _position(draw, text)
    end = min(len(text), start + draw(st.integers(1, 40)))
    return text[:start] + text[start:end].translate(_WIDTH_SWAP) + text[end:]


def stop_between_digits(draw: Draw, text: str) -> str:
    """82.3% -> 82。3%, 1286 -> 12。86: an input method's full stop inside a figure."""
    match = _pick(draw, list(_BETWEEN_DIGITS_RE.finditer(text)))
    if match is None:
        return text
    return text[:match.start()] + "。" + text[match.end():]


def break_line(draw: Draw, text: str) -> str:
    """A line break anywhere, as PDF extraction and table cells one per line leave them."""
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(("\n", "\n\n", " \n"))) + text[at:]


def _width_table() -> dict[int, int]:
    table = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
    table.update({code + 0xFEE0: code for code in range(0x21, 0x7F)})
    table.update({0x20: 0x3000, 0x3000: 0x20, ord("。"): ord("."), ord("、"): ord(",")})
    return table


_WIDTH_SWAP = _width_table()

MUTATIONS = (zero_figure, huge_figure, delete_character, double_character, insert_list_word, remove_list_word,
             cut_list_short, leave_bracket_open, swap_width, stop_between_digits, break_line)


@st.composite
def mutated_texts(draw: Draw, pool: list[str]) -> str:
    """A text of POOL with one to four mutations, each anywhere."""
    text = draw(st.sampled_from(pool))
    for _ in range(draw(st.integers(1, 4))):
        mutation = draw(st.sampled_from(MUTATIONS))
        text = mutation(draw, text)
    return text


# --- what every reading keeps ----------------------------------------------------------------

def check_reading(text: str, config: Config) -> ReportRecord:
    """Read TEXT as a report; every figure, relation and quote must point into it."""
    document = {"report": "fuzz.txt", "path": "fuzz.txt", "sha256": None, "status": "ok", "reason": "",
                "encoding": "utf-8"}
    record = read_text(text, document, config)
    facts = record.facts
    surfaces = {}
    for i, fact_id in enumerate(facts["fact_id"]):
        start, end, surface = facts["start"][i], facts["end"][i], facts["text"][i]
        assert 0 <= start <= end <= len(text) and text[start:end] == surface, ("figure", fact_id, surface, start, end)
        if facts["value"][i]:
            lo, hi, value = facts["lo"][i], facts["hi"][i], facts["value_num"][i]
            assert not any(map(math.isnan, (lo, hi, value))), ("NaN in figure", surface, value, lo, hi)
            assert lo <= hi, ("interval out of order", surface, lo, hi)
        surfaces[fact_id] = surface
    relations = record.relations
    for i, op in enumerate(relations["op"]):
        named = [relations["stated_fact"][i], *map(int, filter(None, relations["part_facts"][i].split(";")))]
        missing = [index for index in named if index not in surfaces]
        assert not missing, ("relation names figures that are not in the text", op, relations["source"][i], missing)
        for side in ("stated", "computed"):
            lo, hi = relations[f"{side}_lo"][i], relations[f"{side}_hi"][i]
            assert not (math.isnan(lo) or math.isnan(hi)), (f"NaN in the {side} side", op, relations["source"][i])
            assert lo <= hi, (f"{side} interval out of order", op, relations["source"][i], lo, hi)
        for quote in relations["evidence"][i]:
            _check_quote(text, quote, op)
    for name, value in document.items():
        for quote in value if isinstance(value, list) else [value]:
            if isinstance(quote, dict) and "start" in quote:
                _check_quote(text, quote, name)
    return record


def _check_quote(text: str, quote: dict, what: str) -> None:
    start, end = quote["start"], quote["end"]
    assert 0 <= start <= end <= len(text) and text[start:end] == quote["text"], ("quote", what, quote)
