"""A table's text as a stream of segments: label words, then a run of figures.

Reports flatten a table in many ways: `| 25 | 3 |`, one cell per line, one cell per paragraph,
cells between spaces, or no separator at all (`（七）总计20000011`). Whatever the layout, a row
is the words of its label followed by digits, so the text is cut into (label, run) segments: a
run is every digit with only separators (spaces, line breaks, `|`, tabs) between, up to the
next word. A run keeps each token's place and whether its tokens were set apart by `|` or tabs
(each token is then one cell) or share one line (the flags quote such rows as written).

Two things in the digits are not figures and are moved back into the labels:
- the item number of the next row glued to the digits of this one (`00000002.其他法律…`: the
  last 2 numbers the next row);
- a page footer between the rows of a PDF's text (`- 4 -` on a line of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

_TOKEN_RE = regex.compile(
    r"(?P<num>(?<![0-9０-９])-?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)"
    r"|(?P<word>[^\s|｜0-9０-９]+)")
_ITEM_MARKS = ".．、"
_ITEM_AFTER_RE = regex.compile(rf"[{_ITEM_MARKS}](?![0-9０-９])")
_ITEM_IN_LABEL_RE = regex.compile(r"(?<![0-9０-９])([0-9０-９]{1,2})[.．、](?![0-9０-９])")
_FOOTER_RE = regex.compile(r"(?m)^[ \t\u3000]*(?:[-—–－][ \t\u3000]*[0-9]{1,3}[ \t\u3000]*[-—–－]|第[ \t]*[0-9]{1,3}[ \t]*页)"
                           r"[ \t\u3000]*$")
_EXPLICIT_SEPARATORS = ("|", "｜", "\t")
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
_SPACE_RE = regex.compile(r"\s+")


@dataclass
class Token:
    text: str
    start: int
    end: int

    @property
    def digits(self) -> str:
        """The token's digits, ASCII, without thousands separators (1,204 -> 1204)."""
        return self.text.translate(_FULLWIDTH).replace(",", "")

    @property
    def whole(self) -> bool:
        """Digits alone: no sign, no decimal point (a cell that may be split)."""
        return self.digits.isdigit()


@dataclass
class Run:
    tokens: list[Token]
    explicit: bool           # | or tabs between its tokens: each token is one cell
    inline: bool             # all on one line, no | or tabs: the row as written is worth quoting

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def n_digits(self) -> int:
        return sum(len(t.digits.lstrip("-")) for t in self.tokens)


@dataclass
class Segment:
    label: str               # the words since the previous run, spaces and line breaks removed
    label_start: int
    run: Run | None
    raw_label: str = field(default="", repr=False)  # the words joined by one space (for names)


def segments(text: str, start: int, end: int) -> list[Segment]:
    """The (label, run) segments of text[start:end]."""
    return list(iter_segments(text, start, end))


def iter_segments(text: str, start: int, end: int) -> Iterator[Segment]:
    """segments(), one at a time: a table reader stops at the table's end, and the text after it
    (up to MAX_TABLE_CHARS of prose) is never cut into segments."""
    footers = [(m.start(), m.end()) for m in _FOOTER_RE.finditer(text, start, end)]
    words: list[tuple[str, int]] = []
    tokens: list[Token] = []

    def close() -> Segment:
        label = "".join(w for w, _ in words)
        return Segment(_SPACE_RE.sub("", label), words[0][1] if words else start,
                       _run(text, tokens) if tokens else None, " ".join(w for w, _ in words))

    for match in _TOKEN_RE.finditer(text, start, end):
        if footers and any(a <= match.start() < b for a, b in footers):
            continue
        if match.lastgroup == "word":
            if tokens:
                yield close()
                words, tokens = [], []
            words.append((match.group(), match.start()))
            continue
        token = Token(match.group(), match.start(), match.end())
        if not tokens and _open_bracket("".join(w for w, _ in words)):
            words.append((token.text, token.start))  # 相同信息计1条 inside a label's brackets
            continue
        item = _item_number(text, token, words)
        if item is None:
            tokens.append(token)
            continue
        digits, number = item
        if digits is not None:
            tokens.append(digits)
        if tokens:
            yield close()
            words, tokens = [], []
        words.append((number.text, number.start))
    if words or tokens:
        yield close()


def _open_bracket(label: str) -> bool:
    return label.count("（") + label.count("(") > label.count("）") + label.count(")")


def _item_number(text: str, token: Token, words: list[tuple[str, int]]):
    """(digits or None, item number) when the token ends with the next row's item number (the
    2 of `00000002.其他…`), else None. The number is the one after the label's last item number;
    without one, a lone digit is an item number and a longer token gives its last digit."""
    if (text[token.end:token.end + 1] not in _ITEM_MARKS  # the cheapest tests first: most numbers
            or not _ITEM_AFTER_RE.match(text, token.end) or not token.whole):  # are followed by no mark
        return None
    previous = _ITEM_IN_LABEL_RE.findall("".join(w for w, _ in words).translate(_FULLWIDTH))
    expected = str(int(previous[-1]) + 1) if previous else None
    digits = token.digits
    if digits == expected or len(digits) == 1:
        return None, token
    size = len(expected) if expected and digits.endswith(expected) else 1
    cut = token.end - size
    return Token(text[token.start:cut], token.start, cut), Token(text[cut:token.end], cut, token.end)


def _run(text: str, tokens: list[Token]) -> Run:
    gaps = [text[a.end:b.start] for a, b in zip(tokens, tokens[1:])]
    explicit = any(s in gap for gap in gaps for s in _EXPLICIT_SEPARATORS)
    inline = not explicit and not any("\n" in gap for gap in gaps)
    return Run(tokens, explicit, inline)


# The numbers of a table's items and groups (一、 （三） 1.), and a bracket ending a name
_ITEM_NUMBER_RE = regex.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|(?<!\d)\d{1,2}[.．、]")
_LAST_BRACKET_RE = regex.compile(r"[（(][^（()）]*[)）]$")


def last_item_name(label: str, min_chars: int = 3) -> str:
    """The row's own name in a label that holds its group's too: （三）不予公开1.属于国家秘密 ->
    属于国家秘密; a short name keeps its group's (（六）其他处理3.其他 -> 其他处理·其他)."""
    parts = [p for p in _ITEM_NUMBER_RE.split(label)
             if p and p not in ("其中：", "其中:", "其中")]
    parts = [_LAST_BRACKET_RE.sub("", p).strip("：:") or p for p in parts]
    if not parts:
        return label
    name = parts[-1]
    if len(name) < min_chars and len(parts) > 1:
        name = f"{parts[-2]}·{name}"
    return name
