"""Document-level features: what one report's text and metadata say about the report as a whole.

Pure functions of the decoded text and its metadata. They return the document-row fields that
the documents suite (expectations/suites/documents.json) checks, and the spans a flag quotes
as evidence; process.read_text turns the spans into quotes. Nothing here decides what is a
defect: the suite does, over the columns computed here.

| fields | rule |
| --- | --- |
| report_kind | which rules apply: rule_of_law (法治政府建设), disclosure (政府信息公开), work_report (政府工作报告), other |
| publication_deadline, deadline_rule(_en) | DATE003: the deadline for the report's kind, year and issuer, and its basis |
| signed_year | DATE004, against the document number's year |
| title_year, body_year | DATE005 (read by ingest.metadata) |
| dates_outside_period, first_outside_date | DATE006 |
| duplicated_chars, duplicated_paragraphs | DOC001 (find_duplicates) |
| missing_sections | DOC002 |
| missing_metadata, missing_metadata_en | DOC003 |
| truncated, body_chars, ending | DOC004 (where the body ends: extract.report_end) |
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import regex

from auditor.extract.report_end import SIGNER_RE, ends_a_report, find_ending, last_visible_line, line_key
from auditor.config import PublicationDeadline, ReportText, Thresholds
from auditor.ingest.numerals import parse_number
from auditor.ingest.metadata import Metadata
from auditor.ingest.spans import Span, char_positions, matches_from

# --- duplicates (DOC001) --------------------------------------------------------------------

MIN_REPEATED_PARAGRAPH = 60  # characters (white space ignored): a paragraph this long repeated verbatim is a duplicate
MIN_REPEATED_RUN = 120       # …or a run of at least three repeated short lines this long (a short body pasted twice)


@dataclass(frozen=True)
class Duplicates:
    """The repeated copies in a text: runs of whole lines each of which repeats an earlier line."""

    spans: tuple[Span, ...] = ()   # each run, from the start of its first line to the end of its last
    chars: int = 0                 # characters repeated (white space not counted)
    paragraphs: int = 0            # non-blank lines repeated
    first_line: Span | None = None  # the first line of the first repeat, trimmed

    def __bool__(self) -> bool:
        return bool(self.spans)


_CLAUSE_MARK_RE = re.compile(r"[，,。；;：:]")  # a line holding one is a sentence, not a heading
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")  # re: a character class, searched per line
# What a line is trimmed of at its edges: white space (str.isspace) and two zero-width marks.
_EDGE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x20\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
         "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" "\u200b\ufeff")
# A line from its first to its last character that is not an edge (re's \s is str.isspace)
_TRIMMED_LINE_RE = re.compile(r"[^\s\u200b\ufeff](?:[^\n]*[^\s\u200b\ufeff])?")


@lru_cache(maxsize=4)
def _normalized_lines(text: str) -> list[tuple[Span, str]]:
    """The non-blank lines as (trimmed span, text without white space): one match of
    _TRIMMED_LINE_RE per line holding more than white space and edge marks, and its text
    split on white space, so blank lines cost nothing (this runs over every report).

    Cached (the list is shared: not to be changed), because find_duplicates, headings and the
    metadata evidence each need the lines of the same text: 30 ms of check_document's 70 on the
    72 work reports (python -m bench.extraction)."""
    if not any(mark in text for mark in _ZERO_WIDTH):  # the common case, in one comprehension
        return [(_span(Span, match.span()), "".join(match.group().split())) for match in _TRIMMED_LINE_RE.finditer(text)]
    lines = []
    for match in _TRIMMED_LINE_RE.finditer(text):  # rare: each line is cleaned of its marks
        key = _ZERO_WIDTH_RE.sub("", "".join(match.group().split()))
        if key:
            lines.append((_span(Span, match.span()), key))
    return lines


_span = tuple.__new__  # Span(start, end) from a match's pair, as ingest/spans.py makes them


def _lines_between(text: str, start: int, end: int) -> list[tuple[Span, str]]:
    """_normalized_lines(text[start:end]) with its spans counted in text: the whole lines are
    taken from the lines of the whole text (computed once), the lines the range cuts are read
    on their own."""
    first_end = text.find("\n", start, end)
    if first_end == -1:
        return _shifted(_normalized_lines(text[start:end]), start)
    last_start = text.rfind("\n", start, end) + 1
    lines = _normalized_lines(text)
    starts = [span.start for span, _ in lines]
    whole = lines[bisect_left(starts, first_end + 1):bisect_left(starts, last_start)]
    return (_shifted(_normalized_lines(text[start:first_end]), start) + whole
            + _shifted(_normalized_lines(text[last_start:end]), last_start))


def _shifted(lines: list[tuple[Span, str]], offset: int) -> list[tuple[Span, str]]:
    return [(Span(span.start + offset, span.end + offset), key) for span, key in lines] if offset else lines


def _visible_chars(text: str) -> int:
    """Characters that are neither white space nor zero-width marks."""
    count = sum(map(len, text.split()))
    return count - len(_ZERO_WIDTH_RE.findall(text)) if _ZERO_WIDTH_RE.search(text) else count


def find_duplicates(text: str) -> Duplicates:
    """Paragraphs (lines) that repeat an earlier paragraph verbatim, grouped in runs.

    A line repeats when the same characters (white space aside) stood on an earlier line. A run
    of consecutive repeated lines (blank lines between them do not break it) counts when it holds
    a paragraph of at least MIN_REPEATED_PARAGRAPH characters, or at least three lines and
    MIN_REPEATED_RUN characters: a whole body pasted twice is one run, from its title line to its
    signature; a lone repeated heading or date is not a duplicate.
    """
    lines = _normalized_lines(text)
    seen: set[str] = set()
    repeated = []
    for _, key in lines:
        repeated.append(key in seen)
        seen.add(key)
    runs: list[list[int]] = []
    for i, is_repeat in enumerate(repeated):
        if not is_repeat:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    kept = []
    for run in runs:
        sizes = [len(lines[i][1]) for i in run]
        if max(sizes) >= MIN_REPEATED_PARAGRAPH or (len(run) >= 3 and sum(sizes) >= MIN_REPEATED_RUN):
            kept.append(run)
    if not kept:
        return Duplicates()
    spans = tuple(Span(lines[run[0]][0].start, lines[run[-1]][0].end) for run in kept)
    return Duplicates(
        spans=spans,
        chars=sum(len(lines[i][1]) for run in kept for i in run),
        paragraphs=sum(len(run) for run in kept),
        first_line=lines[kept[0][0]][0],
    )


def blank_out(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """The text with every character of the spans but line breaks replaced by a space: what is
    left is read as before, and every offset still points at the same character of the text."""
    if not spans:
        return text
    parts, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        parts.append(text[last:span.start])
        parts.append(regex.sub(r"[^\n]", " ", text[span.start:span.end]))
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


# --- report kind ----------------------------------------------------------------------------

# 《法治政府建设与责任落实督察工作规定》 (2019) sets the sections (its 1 April deadline is in
# thresholds.yaml): the reports on 2019 onward are the first written under it.
RULES_OF_2019_FIRST_YEAR = 2019
RULE_OF_LAW, DISCLOSURE, WORK_REPORT, OTHER = "rule_of_law", "disclosure", "work_report", "other"
_RULE_OF_LAW_TITLE_WORDS = ("法治政府", "法治建设", "依法行政", "依法治")
_WORK_REPORT_MARKERS_RE = regex.compile(r"各位代表|向大会报告|代表国务院|政府工作报告")


_HEADER_LINE_MAX = 60  # a header line this short may be a title that does not end in 报告 (…政府信息公开总结)
# …naming a year, and neither a labelled field nor a breadcrumb (首页>政务公开>政府信息公开)
_HEADER_TITLE_RE = regex.compile(r"^[^:：>＞]*(?:19|20)\d{2}\s*年[^:：>＞]*$")


def _kind_of_title(title: str) -> str | None:
    if "信息公开" in title:
        return DISCLOSURE
    if any(word in title for word in _RULE_OF_LAW_TITLE_WORDS):
        return RULE_OF_LAW
    if "政府工作报告" in title:
        return WORK_REPORT
    return None


def report_kind(title: str | None, text: str, body_start: int) -> str:
    """What kind of annual report this is, from its title; with none, from the short lines of
    its header (河北省教育厅2013年度政府信息公开总结), then from its opening."""
    titles = [title] if title else [line.strip() for line in text[:body_start].split("\n")
                                     if len(line.strip()) <= _HEADER_LINE_MAX and _HEADER_TITLE_RE.match(line.strip())]
    for candidate in titles:
        kind = _kind_of_title(candidate)
        if kind:
            return kind
    opening = text[:body_start + 3000]
    if _WORK_REPORT_MARKERS_RE.search(text, 0, body_start + 500):
        return WORK_REPORT
    if opening.count("信息公开") >= 2 and "年度报告" in opening:
        return DISCLOSURE
    if opening.count("法治政府") >= 2 or opening.count("依法行政") >= 2:
        return RULE_OF_LAW
    return OTHER


# --- headings and sections (DOC002) ---------------------------------------------------------

_CN = "一二三四五六七八九十"
_TOP_HEADING_RE = regex.compile(rf"[\s\u3000]*(?:[{_CN}]{{1,3}}\s*[、.．]|第[{_CN}]{{1,3}}(?:部分|章))\s*")
_TOP_HEADING_FIRST = frozenset(_CN + "第")  # what such a heading starts with, white space aside
_HEADING_END_RE = regex.compile(r"[。；;：:！!？?]")
_SHORT_HEADING_MAX = 20  # an unnumbered line this short, without a comma or a full stop, is a heading
_HEADING_MAX = 40
# A numbered heading run into the text after a sentence (a page flattened onto one line):
# …提升民警的执法能力。八、下一步工作计划进一步建立…
_INLINE_HEADING_RE = regex.compile(rf"[。！？!?；;][^\S\n]*(?P<number>[{_CN}]{{1,3}})[^\S\n]*、")
# Where it may match, found by `re` (whose \s holds every character regex's does), which scans
# for a character set twice as fast (5 ms on the 72 work reports: python -m bench.extraction)
_INLINE_HEADING_AT_RE = re.compile(_INLINE_HEADING_RE.pattern)

SECTIONS = {  # section -> its name in the message
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "duty": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "下一年度主要安排",
}
_MEASURES_HEADING_RE = regex.compile(
    r"举措|措施|成效|成绩|主要工作|工作情况|完成情况|进展情况|建设情况|开展情况|推进情况|落实情况|主要做法|工作回顾")
_SHORTCOMINGS_HEADING_RE = regex.compile(
    r"存在|不足|差距|短板|薄弱|困难和问题|问题(?:和|及|与)(?:原因|建议|困难)")
_SHORTCOMINGS_SENTENCE_RE = regex.compile(
    r"(?:但|同时|然而|不过|也要看到|清醒地)[^。！？!?\n]{0,30}?(?:存在|仍有|还有)[^。！？!?\n]{0,15}?"
    r"(?:问题|不足|差距|短板|薄弱环节)")
_PLANS_HEADING_RE = regex.compile(
    r"下一年|下一步|下步|下一阶段|明年|今后|工作计划|工作安排|工作打算|主要安排|工作思路|努力方向|"
    r"(?:19|20)\d{2}\s*年度?的?(?:工作)?(?:计划|安排|打算|思路|重点|目标|展望)")
_DUTY_WORDS = ("第一责任人", "述法")
MIN_MEASURES_CHARS = 200
# 2022年是…的关键一年,我县将…: how far into a sentence opening with next year its 将 may stand
_PLANS_VERB_WITHIN = 60


@dataclass(frozen=True)
class Heading:
    span: Span      # the heading's text on its line (up to its first full stop or colon)
    text: str


def headings(text: str, start: int, end: int) -> list[Heading]:
    """Top-level headings between start and end: numbered 一、/第一部分 lines, and short
    unnumbered lines (存在的问题, 2022年工作安排) that read as headings."""
    return _headings(text, _lines_between(text, start, end), start, end)


def _headings(text: str, lines: list[tuple[Span, str]], start: int, end: int) -> list[Heading]:
    """headings() over the lines between start and end (_lines_between). The headings run into
    the text are found in one scan of the range, not one per line, with a pattern that starts
    with the sentence end, where a look-behind was tried at every position of every line (15 ms
    of check_document's 70 on the 72 work reports: python -m bench.extraction). Each match
    stands within one line (it crosses no line break)."""
    found = []
    inline = [match for at in _INLINE_HEADING_AT_RE.finditer(text, start, end)
              if (match := _INLINE_HEADING_RE.match(text, at.start(), end))]
    next_inline = 0
    for span, key in lines:
        line_start, line_end = span.start, span.end
        line = text[line_start:line_end]
        # a trimmed line starts with no white space: a numbered heading with its number (one test
        # for most lines, not the pattern: 3 ms on the 72 work reports, python -m bench.extraction)
        numbered = _TOP_HEADING_RE.match(line) if line[0] in _TOP_HEADING_FIRST else None
        if numbered:
            found.append(_numbered_heading(line, line_start, 0, numbered.end()))
        elif len(key) <= _SHORT_HEADING_MAX and not _CLAUSE_MARK_RE.search(key):
            found.append(Heading(Span(line_start, line_end), line))
        while next_inline < len(inline) and inline[next_inline].start() < line_end:
            match = inline[next_inline]
            next_inline += 1
            found.append(_numbered_heading(line, line_start, match.start("number") - line_start,
                                           match.end() - line_start))
    return found


def _numbered_heading(line: str, line_start: int, start: int, number_end: int) -> Heading:
    """The heading that starts at line[start:] with its number: up to its first full stop or
    colon, at most _HEADING_MAX characters after the number."""
    stop = _HEADING_END_RE.search(line, number_end)
    stop_at = min(stop.start() if stop else len(line), number_end + _HEADING_MAX)
    return Heading(Span(line_start + start, line_start + stop_at), line[start:stop_at])


def _plans_start(text: str, heads: list[Heading], body_start: int, body_end: int, year: int | None) -> int | None:
    """Where the plans for the coming year start: the first plans heading, else the first
    sentence that opens with 下一步/今后/next year and says what will be done (2021年,我们将…)."""
    for head in heads:
        if _PLANS_HEADING_RE.search(head.text):
            return head.span.start
    sentence, opener = _plans_patterns(year)
    # The sentence pattern is tried only where a sentence holding an opener starts: searched
    # through the body, its look-behind is tried at every position (10 ms of check_document's
    # 70 on the 72 work reports: python -m bench.extraction). Openers in one sentence share
    # its start; the first start where the pattern matches is the first match in the body.
    tried = body_start  # where the last sentence tried starts: no break before it is looked for again
    first = True
    for found in opener.finditer(text, body_start, body_end):
        start = max(tried, max(text.rfind(mark, tried, found.start()) for mark in _PLANS_BREAKS) + 1)
        if start != tried or first:
            tried, first = start, False
            match = sentence.match(text, start, body_end)
            if match:
                return match.start()
    return None


_PLANS_BREAKS = "。！？!?\n"
_PLANS_OPENERS = ("下一步", "下一阶段", "今后", "明年")


@lru_cache(maxsize=64)
def _plans_patterns(year: int | None) -> tuple[regex.Pattern, re.Pattern]:
    """The sentence that opens with the plans (the next year's, if the report's is known), and
    its openers' words, found by `re`'s scan for literals (the year without what follows it)."""
    years = [str(year + 1)] if year else []
    openers = "|".join([*_PLANS_OPENERS, *[f"{y}\\s*年度?" for y in years]])
    # [^\S\n]: white space within the line only (a blanked-out repeat is long runs of spaces and line breaks)
    sentence = regex.compile(rf"(?:^|(?<=[{_PLANS_BREAKS}]))[^\S\n]*(?:{openers})[,，]?"
                             rf"[^{_PLANS_BREAKS}]{{0,{_PLANS_VERB_WITHIN}}}?(?:将|要|计划)", regex.M)
    return sentence, re.compile("|".join([*_PLANS_OPENERS, *years]))


def _missing_sections(audited: str, body_start: int, body_end: int, heads: list[Heading],
                      plans: int | None) -> list[str]:
    """The required sections of a 法治政府建设 report that the body lacks.

    Lenient, because the reports title their sections in many ways:
    - measures: a heading naming them (主要举措, 成效, 工作情况, 完成情况…), or numbered topical
      headings (一、加强统筹,压实责任…) before the shortcomings and plans, or at least
      MIN_MEASURES_CHARS characters of body before them;
    - shortcomings: a heading (存在的问题, 不足, 差距…), or a sentence that turns to them
      (但还存在…不足);
    - duty of the first person responsible: 第一责任人 (or 述法) anywhere in the body;
    - plans: a heading (下一步工作计划, 2022年度工作安排, 工作打算, 主要安排…), or a sentence
      opening with 下一步/今后/next year and what will be done;
    - 其他需要报告的情况 is written only when there is something to report: its absence is
      not counted.
    """
    shortcomings_heads = [h.span.start for h in heads if _SHORTCOMINGS_HEADING_RE.search(h.text)]
    shortcomings = min(shortcomings_heads, default=None)
    if shortcomings is None:  # the body is searched for such a sentence only when no heading names them
        shortcomings_sentence = _SHORTCOMINGS_SENTENCE_RE.search(audited, body_start, body_end)
        if shortcomings_sentence:
            shortcomings = shortcomings_sentence.start()
    later = [p for p in (shortcomings, plans) if p is not None]
    measures_end = min(later, default=body_end)
    topical = [h for h in heads if h.span.start < measures_end and _TOP_HEADING_RE.match(h.text)
               and not _SHORTCOMINGS_HEADING_RE.search(h.text) and not _PLANS_HEADING_RE.search(h.text)]
    measures = (any(_MEASURES_HEADING_RE.search(h.text) for h in heads) or bool(topical)
                or _visible_chars(audited[body_start:measures_end]) >= MIN_MEASURES_CHARS)
    present = {
        "measures": measures,
        "shortcomings": shortcomings is not None,
        "duty": any(audited.find(word, body_start, body_end) != -1 for word in _DUTY_WORDS),
        "plans": plans is not None,
    }
    return [SECTIONS[name] for name, ok in present.items() if not ok]


# --- dates in the body (DATE006) ------------------------------------------------------------

_CN_DIGITS = "〇○零一二三四五六七八九十两"
_NUM = rf"(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
_BODY_DATE_RE = regex.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})\s*年\s*(?P<m>{_NUM})\s*月(?:\s*(?P<d>{_NUM})\s*[日号])?")
_CITATION_RE = regex.compile(  # its matches start with 《 or 〔 (_dates_outside)
    r"《[^《》\n]{0,120}》(?:\s*[(（][^()（）\n]{0,40}[)）])?|〔[^〔〕\n]{0,12}〕[^\n]{0,4}?号?")
_NOT_AN_EVENT_BEFORE = ("自", "从", "截至", "截止", "截止到", "截至到", "至", "到", "—", "－", "-", "~", "～")
_NOT_AN_EVENT_AFTER = regex.compile(r"\s*(?:以来|起|至今|前|底前|之前|开始|以后|后|止)")


def _number(text: str) -> int | None:
    if text.isascii() and text.isdigit():
        return int(text)  # 12, 03: what parse_number reads them as, without its patterns
    try:
        return int(parse_number(text.replace("○", "〇")).value)
    except (ValueError, ArithmeticError):
        return None


_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


def _year_of(text: str) -> int | None:
    """2021 or 二〇二一 (digit by digit)."""
    digits = text.translate(_YEAR_DIGITS)
    return int(digits) if len(digits) == 4 and digits.isdigit() else None


_SENTENCE_CLOSE = "。！？!?；;"
_CLAUSE_BREAK_RE = regex.compile(r"[。！？!?；;\s]+")


def _is_dateline(text: str, match: regex.Match) -> bool:
    """A date that stands as a document's date, not in a sentence: alone between white space,
    after a sentence or a signing body (…日常化。 二○一二年二月二十日 附件1：…; …保障。 某县人民政府
    2024年2月23日), as pages flattened onto one line carry their signature and their attachment's
    date."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start:match.start()]
    if before and not before[-1].isspace():
        return False
    after = text[match.end():match.end() + 1]
    if after and not after.isspace():
        return False
    before = before.rstrip()
    last_piece = _CLAUSE_BREAK_RE.split(before)[-1] if before else ""
    return not before or before[-1] in _SENTENCE_CLOSE or bool(SIGNER_RE.match(last_piece))


_YEAR_FIRST = "12〇○零一二三四五六七八九"  # what a year of _BODY_DATE_RE starts with


def _body_dates(text: str, start: int, end: int) -> list[regex.Match]:
    """_BODY_DATE_RE.finditer(text, start, end), tried only where a year stands before a 年: the
    year's four characters and white space before each 年 (a match holds one 年, and where its
    year starts follows from where its 年 stands). The blanks skipped are str.isspace's, which
    hold every one of the pattern's \\s and four separators more: before a 年 where they differ
    no date stands at all. A scan of the text for the pattern, which starts with a digit, cost
    100 µs a report; this, 17 µs."""
    found = []
    resume = start
    for at in char_positions(text, "年", start, end):
        year_start = at
        while year_start > resume and text[year_start - 1].isspace():
            year_start -= 1
        year_start -= 4
        if (year_start >= resume and text[year_start] in _YEAR_FIRST
                and (match := _BODY_DATE_RE.match(text, year_start, end)) is not None):
            found.append(match)
            resume = match.end()
    return found


def _dates_outside(audited: str, start: int, end: int, year: int) -> list[regex.Match]:
    """Dated events (2020年3月27日, 2020年3月) between start and end whose year is not the report
    year. Month-day dates (3月12日) take the report year, so they are never outside. Dates in
    titles and citations (《…》, 〔2020〕5号), the ends of periods (自2019年1月起, 截至2021年2月,
    2021年3月底前) and datelines (a date standing alone after a sentence or a signing body) are
    not events."""
    skip = [m.span() for m in matches_from(_CITATION_RE, audited, "《〔", start, end)]
    skip_starts = [a for a, _ in skip]
    outside = []
    for match in _body_dates(audited, start, end):
        # the citations do not overlap: only the last one starting at or before a date may hold it
        i = bisect_right(skip_starts, match.start()) - 1
        if (i >= 0 and match.start() < skip[i][1]) or _is_dateline(audited, match):
            continue
        before = audited[max(start, match.start() - 3):match.start()].rstrip()
        if before.endswith(_NOT_AN_EVENT_BEFORE) or _NOT_AN_EVENT_AFTER.match(audited, match.end()):
            continue
        found_year, month = _year_of(match["y"]), _number(match["m"])
        if found_year is None or month is None or not 1 <= month <= 12:
            continue
        if match["d"] is not None:
            day = _number(match["d"])
            try:
                date(found_year, month, day or 0)
            except (ValueError, TypeError):
                continue
        if found_year != year:
            outside.append(match)
    return outside


# --- the end of the text (DOC004) and the publication deadline (DATE003) ------------------

MIN_BODY_CHARS = 300


def _repeated_lines(text: str, meta: Metadata) -> frozenset[str]:
    """The title and the header lines, as keys: their repeat at the end of a page is chrome."""
    keys = {line_key(line) for line in text[:meta.body_start].split("\n")}
    if meta.title:
        keys.add(line_key(meta.title))
    return frozenset(key for key in keys if key)


_ISSUER_YEAR_RE = regex.compile(r"(?:19|20)\d{2}\s*年")
_ABOUT = "关于"  # 关于某市司法局2022年度…的报告: the issuer follows it


def issuer_name(meta: Metadata, text: str) -> str:
    """Who issued the report: the name before the year in its title (河北省教育厅2023年…), the
    line above a title that opens with its year (洪泽区人民政府 / 2023 年政府信息公开工作年度报告),
    else the signing body."""
    if meta.title:
        year = _ISSUER_YEAR_RE.search(meta.title)
        name = meta.title[:year.start()] if year else ""
        name = "".join(name.split()).removeprefix(_ABOUT)
        if name:
            return name
        if year and "title" in meta.spans:
            above = text[:meta.spans["title"].start].rstrip().rsplit("\n", 1)[-1].strip()
            if 0 < len(above) <= 20 and not _CLAUSE_MARK_RE.search(above):
                return "".join(above.split())
    return meta.signer or ""


def issuer_class(name: str, words: ReportText) -> str:
    """government, department or unknown: the class of the longest issuer ending the name ends
    with (管理委员会 is a government's, 委员会 a department's)."""
    best, best_length = "unknown", 0
    for issuer, endings in words.issuer_endings.items():
        for ending in endings:
            if len(ending) > best_length and name.endswith(ending):
                best, best_length = issuer, len(ending)
    return best


def publication_deadline(kind: str, year: int | None, issuer: str,
                         deadlines: tuple[PublicationDeadline, ...]) -> PublicationDeadline | None:
    """The deadline that applies to a report of this kind, year and issuer class; for an issuer
    that cannot be told, the latest of those that may apply."""
    if year is None:
        return None
    rules = [d for d in deadlines if d.kind == kind and d.covers(year)]
    if issuer != "unknown":
        rules = [d for d in rules if d.issuer in (issuer, "any")]
    return max(rules, key=lambda d: (d.month, d.day), default=None)


def _deadline_fields(kind: str, meta: Metadata, text: str, words: ReportText, thresholds: Thresholds) -> dict:
    """DATE003's columns: the deadline, and the provision it comes from (with a note when the
    issuer could not be told and the later of several deadlines was taken)."""
    deadlines = thresholds.publication_deadlines
    issuer = issuer_class(issuer_name(meta, text), words)
    rule = publication_deadline(kind, meta.year, issuer, deadlines)
    if rule is None or meta.year is None:
        return {"publication_deadline": None, "deadline_rule": "", "deadline_rule_en": ""}
    basis = dict(rule.basis)
    candidates = {(d.month, d.day) for d in deadlines if d.kind == kind and d.covers(meta.year)}
    if issuer == "unknown" and len(candidates) > 1:
        basis = {lang: said + thresholds.unknown_issuer_note.get(lang, "") for lang, said in basis.items()}
    return {"publication_deadline": date(meta.year + 1, rule.month, rule.day), "deadline_rule": basis["zh"],
            "deadline_rule_en": basis["en"]}


# --- evidence helpers -----------------------------------------------------------------------

_QUOTE_LIMIT = 200


def _sentence_around(text: str, start: int, end: int) -> Span:
    """The sentence (or line) around [start, end), trimmed, cut to a window when very long."""
    left = max(text.rfind(c, 0, start) for c in "。！？!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。！？!?\n") if i != -1]
    right = min(rights, default=len(text))
    if right < len(text) and text[right] not in "\n":
        right += 1
    left, right = max(left, start - _QUOTE_LIMIT), min(right, end + _QUOTE_LIMIT)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return Span(left, right)


# --- the whole row --------------------------------------------------------------------------

@dataclass
class DocumentChecks:
    fields: dict                                                     # document-row columns
    evidence: dict[str, list[Span]] = field(default_factory=dict)    # *_evidence column -> spans to quote


def check_document(text: str, audited: str, meta: Metadata, duplicates: Duplicates, words: ReportText,
                   thresholds: Thresholds) -> DocumentChecks:
    """Every document-level field of one report.

    text is the decoded report; audited the same text with its repeated copies blanked out
    (blank_out), so that what is read once is counted once. The end of the text is judged on
    text itself: a page that repeats its body ends where its repeat ends. words are those of
    expectations/report_text.yaml; thresholds holds the publication deadlines.
    """
    kind = report_kind(meta.title, text, meta.body_start)
    body_start = meta.body_start
    signature = [meta.spans[name].start for name in ("signer", "signed") if name in meta.spans]
    body_end = min(signature, default=len(text))
    if body_end <= body_start:
        body_end = len(text)
    evidence: dict[str, list[Span]] = {}
    fields: dict = {
        "report_kind": kind,
        "title_year": meta.title_year,
        "body_year": meta.body_year,
        "signed_year": meta.signed.year if meta.signed else None,
        **_deadline_fields(kind, meta, text, words, thresholds),
    }
    if "body_year" in meta.spans:
        span = meta.spans["body_year"]
        evidence["body_year_evidence"] = [_sentence_around(text, span.start, span.end)]

    # DATE006: not for a work report, whose title year names the session, not the period
    body_lines = _lines_between(audited, body_start, body_end)
    heads = _headings(audited, body_lines, body_start, body_end)
    plans = _plans_start(audited, heads, body_start, body_end, meta.year)
    if meta.year and kind != WORK_REPORT:
        outside = _dates_outside(audited, body_start, plans if plans is not None else body_end, meta.year)
        fields["dates_outside_period"] = len(outside)
        fields["first_outside_date"] = outside[0].group() if outside else ""
        if outside:
            evidence["outside_date_evidence"] = [_sentence_around(text, outside[0].start(), outside[0].end())]
    else:
        fields["dates_outside_period"], fields["first_outside_date"] = None, ""

    # DOC001
    fields["duplicated_chars"] = duplicates.chars
    fields["duplicated_paragraphs"] = duplicates.paragraphs
    if duplicates.first_line:
        line = duplicates.first_line
        evidence["duplicated_evidence"] = [Span(line.start, min(line.end, line.start + _QUOTE_LIMIT))]

    # DOC002: only 法治政府建设 reports have the five sections, required since the 2019 rules
    if kind == RULE_OF_LAW and (meta.year is None or meta.year >= RULES_OF_2019_FIRST_YEAR):
        missing = _missing_sections(audited, body_start, body_end, heads, plans)
        fields["missing_sections"] = "、".join(missing)
        if missing:
            # the report's numbered headings show what it has; with none, its first sentence
            quoted = [h.span for h in heads if _TOP_HEADING_RE.match(audited, h.span.start)][:8]
            if not quoted and body_lines:
                opening = body_lines[0][0].start
                quoted = [_sentence_around(text, opening, opening)]
            evidence["sections_evidence"] = quoted
    else:
        fields["missing_sections"] = None

    # DOC003
    absent = [(zh, en) for zh, en, value in (("标题", "title", meta.title), ("发布日期", "publication date", meta.published),
                                              ("落款日期", "signing date", meta.signed)) if not value]
    fields["missing_metadata"] = "、".join(zh for zh, _ in absent)
    fields["missing_metadata_en"] = ", ".join(en for _, en in absent)
    lines = _normalized_lines(text) if absent else []
    if lines:
        # where the missing fields should stand: the first line for a title or a publication
        # date, the last line for a signature
        wanted = [lines[0][0]] if meta.title is None or meta.published is None else []
        if meta.signed is None and lines[-1][0] not in wanted:
            wanted.append(lines[-1][0])
        evidence["metadata_evidence"] = [Span(w.start, min(w.end, w.start + _QUOTE_LIMIT)) for w in wanted]

    # DOC004: what the ending quotes is never empty; a page of nothing but chrome after its
    # header quotes its last visible line
    last = find_ending(text, body_start, words, _repeated_lines(text, meta))
    body_chars = sum(len(key) for _, key in body_lines)  # _visible_chars of the body, from its lines
    fields["body_chars"] = body_chars
    fields["truncated"] = (body_chars < MIN_BODY_CHARS or last is None
                           or not ends_a_report(text[last.start:last.end], words))
    quoted = last or last_visible_line(text)
    fields["ending"] = text[max(quoted.start, quoted.end - 20):quoted.end] if quoted else ""
    if fields["truncated"] and quoted:
        evidence["ending_evidence"] = [Span(max(quoted.start, quoted.end - _QUOTE_LIMIT), quoted.end)]
    return DocumentChecks(fields, evidence)
