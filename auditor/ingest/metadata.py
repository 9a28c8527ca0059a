"""Report metadata: title, region, report year, publication and signing dates, document number.

Crawled pages start with site chrome (breadcrumbs, 字号, 分享), then a header (title, 发布时间,
document number), then the body, and end with the signing body over the signing date. The
header is everything before the first body paragraph; the signature is looked for in the last
lines only, so that dates quoted in the body are never mistaken for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import regex

from auditor.ingest.numerals import parse_number
from auditor.ingest.spans import Span

_CN_DIGITS = "〇○零一二三四五六七八九十两"  # ○ (white circle) stands for 〇 on many pages
_NUM = rf"(?:\d{{1,4}}|[{_CN_DIGITS}]{{1,4}})"
# 2021-02-25, 2021/2/25, 2021.02.25, 2021年2月25日, 二〇二一年二月二十五日
_DATE = rf"(?P<y>\d{{4}}|[{_CN_DIGITS}]{{4}})\s*(?:[-/.]|年)\s*(?P<m>{_NUM})\s*(?:[-/.]|月)\s*(?P<d>{_NUM})\s*日?"
# Explicit publication labels win over generic ones (生成日期, 日期) wherever they stand.
_PUBLISHED_RE = regex.compile(rf"(?:发布时间|发布日期|公开日期|发文日期)\s*[:：]\s*{_DATE}")
_GENERIC_DATE_RE = regex.compile(rf"(?:成文日期|日期|时间)\s*[:：]\s*{_DATE}")
# A line holding only a date: a bare publication date, or a signature's. [^\S\n], not \s: crawled
# pages pad with NBSP, and \s would run over blank lines.
_DATE_LINE_RE = regex.compile(rf"^[^\S\n]*{_DATE}[^\S\n]*$", regex.M)
# Right-aligned signatures flattened from HTML: 某县人民政府    2022年2月20日
_SIGNATURE_LINE_RE = regex.compile(rf"^[^\S\n]*(?P<signer>\p{{Han}}[^\n]{{1,38}}?)[^\S\n]{{2,}}{_DATE}[^\S\n]*$", regex.M)
# A page flattened onto one line keeps its signature at the end of that line, after the last
# sentence: …提供有力支撑和法治保障。 某某管委会 2024年2月23日
_SIGNATURE_AFTER_SENTENCE_RE = regex.compile(
    rf"(?<=[。！？!?；;][^\S\n]*)(?P<signer>\p{{Han}}[^\s，,。：:；;]{{1,38}}?)[^\S\n]+{_DATE}[^\S\n]*$", regex.M)
# What a date's last character can be: only a page whose text ends in one may end in such a
# signature, and most end in a full stop. The test saves scanning the tail with the pattern
# above, whose look-behind is tried at every position (9 ms of read_metadata's 20 on the 72
# work reports: python -m bench.extraction).
_DATE_LAST_CHAR_RE = regex.compile(rf"[\d{_CN_DIGITS}日]")
# The characters _SIGNATURE_AFTER_SENTENCE_RE's signer excludes, which no date or blank holds either
_NOT_IN_SIGNATURE = "，,。：:；;"
_DOCNO_RE = regex.compile(r"\p{Han}{1,10}[〔\[［【(（](?P<y>\d{4})[〕\]］】)）]\s*\d+\s*号")
_TITLE_RE = regex.compile(r"(?:报告|工作报告)[\s\u3000]*$")
# A site's list cuts a long title: 河北省科学技术厅2017年政府信息公开工作年度报...
_CUT_TITLE_RE = regex.compile(r"(?:19|20)\d{2}\s*年\S{2,}?报(?:\.{2,}|…+)[\s\u3000]*$")
# A crawler's label names the title whatever its last word (标题: 某区2021年法治政府建设情况)
_TITLE_LABEL_RE = regex.compile(r"^[\s\u3000]*标题[\s\u3000]*[:：][\s\u3000]*")
# A breadcrumb's arrow (首页>政务公开>…), not a bracket of a title written <…> or an HTML
# comment's end (-->) left in the text
_ARROW = r"(?<!<[^<>\n]{0,80})(?<!-)>"
_CHROME_RE = regex.compile(rf"当前位置|您的位置|{_ARROW}|》\s*正文|扫一扫|今天是|今日|来源\s*[:：]|浏览次数|字号|打印本页|关闭窗口")
_TODAY_RE = regex.compile(r"(?:今天是|今日|当前时间|现在时间)[^\n]{0,12}$")  # a site's clock, not the report's date
_TODAY_WINDOW = 30  # characters before a date in which a clock's words are looked for
_YEAR_IN_TITLE_RE = regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年")
_BODY_OPENING_YEAR_RE = regex.compile(r"[\s\u3000\u200b]*(?P<y>(?:19|20)\d{2})\s*年")
_REPORTED_YEAR_RE = regex.compile(r"现将[^。，,：:]{0,20}?(?P<y>(?:19|20)\d{2})\s*年")
_ADMIN_RE = regex.compile(r"\p{Han}{1,8}?(?:自治县|自治州|自治区|自治旗|省|市|县|区|旗|盟|州)")
_REGION_IN_BODY_RE = regex.compile(r"(?<!\p{Han})\p{Han}{2}[市县区]")  # 《高邮市…, 、安平县…
# Where _REGION_IN_BODY_RE is tried: at two characters before each 市, 县 or 区, found by `re`'s
# scan for a character set. Searching with the pattern itself tries its look-behind at every
# position: 50 of read_metadata's 70 ms on the 72 work reports (python -m bench.extraction).
_REGION_MARK_RE = re.compile("[市县区]")
_REGION_SCAN_CHARS = 20_000  # the place a report is about is named early and often
_NOT_A_PLACE = set("全本我该各市县区乡镇省委级")
_SIGNER_END_RE = regex.compile(r"(?:政府|委员会|局|办公室|院|厅|委|办|中心|处|部|所|室|会|队|站)$")
_BODY_LINE_MIN = 8  # the first punctuated line of at least this length, outside the page chrome, starts the body
# A line this long is a page flattened onto one line: chrome in it (当前位置：…来源：…时间：…) comes
# before its body, which starts at its first punctuated piece without chrome.
_FLAT_PAGE_LINE = 200
_PIECE_RE = regex.compile(r"\S+")
_CLAUSE_RE = regex.compile(r"[，,。；;]")
_BLANKS_RE = regex.compile(r"\s+")
_SIGNER_PUNCTUATION_RE = regex.compile(r"[，,。：:]")  # a signing body's line holds none


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    region: str | None = None
    year: int | None = None
    published: date | None = None
    signer: str | None = None
    signed: date | None = None
    docno: str | None = None
    docno_year: int | None = None
    title_year: int | None = None  # the year the title names (关于2023年…的报告)
    body_year: int | None = None   # the year the body opens with (2023年,在…; 现将2023年…报告如下)
    body_start: int = 0
    spans: dict[str, Span] = field(default_factory=dict)  # where each field was read

    @property
    def period_end(self) -> date | None:
        return date(self.year, 12, 31) if self.year else None


def read_metadata(text: str) -> Metadata:
    body_start = _body_start(text)
    header = text[:body_start]
    spans: dict[str, Span] = {}

    title = _title(header, spans)
    published = _published(header, spans)
    docno, docno_year = _docno(header, spans)
    signer, signed = _signature(text, body_start, spans)
    title_year = _title_year(title)
    body_year = _body_year(text, body_start, spans)
    year = title_year or _year_near_body_start(text, body_start)
    region = _region(title, signer, text)
    return Metadata(title=title, region=region, year=year, published=published, signer=signer,
                    signed=signed, docno=docno, docno_year=docno_year, title_year=title_year,
                    body_year=body_year, body_start=body_start, spans=spans)


def _body_start(text: str) -> int:
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) >= _BODY_LINE_MIN and _CLAUSE_RE.search(stripped):
            if not _CHROME_RE.search(stripped):
                return offset
            if len(stripped) >= _FLAT_PAGE_LINE:
                for piece in _PIECE_RE.finditer(line):
                    if _is_body_piece(piece.group()):
                        return offset + piece.start()
        offset += len(line) + 1
    return 0  # no header recognised: the whole text is body


def _is_body_piece(piece: str) -> bool:
    """A piece of a flattened page (between white space) that opens its body: punctuated, long
    enough, no chrome in its first characters (a long piece runs on into the body)."""
    return len(piece) >= _BODY_LINE_MIN and bool(_CLAUSE_RE.search(piece)) \
        and not _CHROME_RE.search(piece[:_FLAT_PAGE_LINE])


def _lines(text: str, base: int = 0):
    offset = base
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _title(header: str, spans: dict[str, Span]) -> str | None:
    """The first header line that ends in 报告 (a document number before it aside), or that a
    site's list cut short (…年度报...); a line labelled 标题: wins."""
    lines = list(_lines(header))
    labelled = [(offset, line) for offset, line in lines if _TITLE_LABEL_RE.match(line)]
    for offset, line in labelled + lines:
        label = _TITLE_LABEL_RE.match(line)
        stripped = line[label.end():].strip() if label else line.strip()
        if not stripped or _CHROME_RE.search(stripped):
            continue
        if not label and not (_TITLE_RE.search(stripped) or _CUT_TITLE_RE.search(stripped)):
            continue
        docno = _DOCNO_RE.match(stripped)
        title = stripped[docno.end():].strip() if docno else stripped
        if title:
            start = offset + line.index(title)
            spans["title"] = Span(start, start + len(title))
            return title
    return None


def _to_date(match: regex.Match) -> date | None:
    try:
        return date(_int(match["y"]), _int(match["m"]), _int(match["d"]))
    except ValueError:
        return None


def _int(text: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)  # 2024, 02: what parse_number reads them as, without its patterns
    return int(parse_number(text.replace("○", "〇")).value)


def _published(header: str, spans: dict[str, Span]) -> date | None:
    for pattern in (_PUBLISHED_RE, _GENERIC_DATE_RE, _DATE_LINE_RE):
        for match in pattern.finditer(header):
            line_start = header.rfind("\n", 0, match.start()) + 1
            if _TODAY_RE.search(header[max(line_start, match.start() - _TODAY_WINDOW):match.start()]):
                continue  # a site's "today is" date, not the report's
            found = _to_date(match)
            if found:
                spans["published"] = Span(match.start(), match.end())
                return found
    return None


def _docno(header: str, spans: dict[str, Span]) -> tuple[str | None, int | None]:
    match = _DOCNO_RE.search(header)
    if not match:
        return None, None
    spans["docno"] = Span(match.start(), match.end())
    return _BLANKS_RE.sub("", match.group()), int(match["y"])


def _signature(text: str, body_start: int, spans: dict[str, Span]) -> tuple[str | None, date | None]:
    """The last signature in the tail: a date alone on its line under the signing body, both on
    one line, or both after the last sentence of a page flattened onto one line."""
    tail_start = max(body_start, len(text) - 2000)
    candidates = [(m, None) for m in _at_line_starts(_DATE_LINE_RE, text, tail_start)]
    candidates += [(m, m.group("signer").strip()) for m in _at_line_starts(_SIGNATURE_LINE_RE, text, tail_start)]
    page_end = len(text.rstrip())
    if page_end and _DATE_LAST_CHAR_RE.match(text, page_end - 1):
        # No signer, date or blank holds a clause mark, so a match reaching the page's end starts
        # after the last one: the search starts there, not at every position of the tail.
        after_clause = max(text.rfind(c, 0, page_end) for c in _NOT_IN_SIGNATURE) + 1
        candidates += [(m, m.group("signer"))
                       for m in _SIGNATURE_AFTER_SENTENCE_RE.finditer(text, max(tail_start, after_clause))
                       if m.end() == page_end]  # the end of the page only: not a date in its text
    for match, signer in sorted(candidates, key=lambda c: c[0].start(), reverse=True):
        signed = _to_date(match)
        if signed is None:
            continue
        if signer is None:
            signer = text[tail_start:match.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if _is_signer(signer):
            date_text = text[match.start("y"):match.end()].strip()
            spans["signed"] = Span(match.start("y"), match.start("y") + len(date_text))
            signer_start = text.rfind(signer, tail_start, match.start("y"))
            spans["signer"] = Span(signer_start, signer_start + len(signer))
            return signer, signed
    return None, None


def _at_line_starts(pattern: regex.Pattern, text: str, pos: int) -> list[regex.Match]:
    """pattern.finditer(text, pos) for a pattern that matches at a line's start only (^ under
    MULTILINE) and never matches nothing: tried at each line start, not at every position."""
    found = []
    if pos > 0 and text[pos - 1] != "\n":
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return found
    while True:
        match = pattern.match(text, pos)
        if match is not None:
            found.append(match)
            pos = match.end()
            if text[pos - 1] == "\n":
                continue  # the match ran over a line break (a date's blanks may): a line starts here
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return found


def _is_signer(line: str) -> bool:
    return bool(line) and len(line) <= 40 and bool(_SIGNER_END_RE.search(line)) and not _SIGNER_PUNCTUATION_RE.search(line)


def _title_year(title: str | None) -> int | None:
    match = _YEAR_IN_TITLE_RE.search(title) if title else None
    return int(match["y"]) if match else None


def _year_near_body_start(text: str, body_start: int) -> int | None:
    """The report year when the title names none: "2020年,在市委…" opens the body."""
    match = _YEAR_IN_TITLE_RE.match(text, body_start) or _YEAR_IN_TITLE_RE.search(text[body_start:body_start + 200])
    return int(match["y"]) if match else None


def _body_year(text: str, body_start: int, spans: dict[str, Span]) -> int | None:
    """The year the first body paragraph opens with (2020年,在… / 2020年是…), or the year of its
    现将…报告如下 sentence (现将我县2020年法治政府建设情况报告如下). None when the body opens
    otherwise (各位代表：…, 今年以来…)."""
    end = text.find("\n", body_start)
    paragraph_end = len(text) if end == -1 else end
    match = _BODY_OPENING_YEAR_RE.match(text, body_start, paragraph_end) or \
        _REPORTED_YEAR_RE.search(text, body_start, paragraph_end)
    if not match:
        return None
    spans["body_year"] = Span(match.start("y"), match.end())
    return int(match["y"])


def _region(title: str | None, signer: str | None, text: str) -> str | None:
    for source in (title, signer):
        if source:
            chain = []
            for match in _ADMIN_RE.finditer(source.removeprefix("中共")):
                if chain and match.start() != chain[-1].end():
                    break
                if not chain and match.start() != 0:
                    break
                chain.append(match)
            if chain:
                return chain[-1].group()
    # No title or signature: the place the body names most often (《高邮市…》).
    counts = Counter(_places_named(text))
    places = [(n, name) for name, n in counts.items() if not _NOT_A_PLACE & set(name[:2])]
    best = max(places, default=None, key=lambda item: item[0])  # the first of equals: Counter keeps order
    return best[1] if best and best[0] >= 2 else None


def _places_named(text: str) -> list[str]:
    """The place names (two characters and 市, 县 or 区, not inside a longer run of characters)
    in the first _REGION_SCAN_CHARS characters, in order: _REGION_IN_BODY_RE's matches."""
    names = []
    for mark in _REGION_MARK_RE.finditer(text, 2, _REGION_SCAN_CHARS):
        at = mark.start() - 2
        if at and "\u4e00" <= text[at - 1] <= "\u9fff":
            continue  # a character of the main CJK block is Han: the look-behind fails (most marks)
        found = _REGION_IN_BODY_RE.match(text, at, mark.end())
        if found:
            names.append(found.group())
    return names
