"""Turn a report file's bytes into text: detect the encoding, refuse binary and empty files.

Detection runs in a fixed order (BOM, BOM-less UTF-16, strict UTF-8, then the Chinese legacy
encodings GB18030 and Big5) so that the same bytes always give the same answer. Every decode
is strict: a wrong guess fails loudly instead of producing mojibake. The one tolerance is an
incomplete multi-byte sequence at the very end of the file (a truncated download), which is
dropped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Detection works on a prefix; the whole file is decoded once, after the choice is made.
_SNIFF_BYTES = 4096
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_CHARS = 64 * 1024

_MIN_PLAUSIBLE = 0.9        # share of "expected" characters a detected decode must reach
_MIN_BOM_PLAUSIBLE = 0.5    # a BOM is a strong claim; only reject what is clearly not text
_PREFER_MARGIN = 0.1        # how much more plausible the other Chinese codec must be to win
_MAX_CONTROL_SHARE = 0.02   # more control characters than this means a binary file

_GB_NAMES = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "euc-cn"}
_BIG5_NAMES = {"big5", "cp950", "big5hkscs", "big5-hkscs"}
_BIG5_CODECS = ("big5", "cp950", "big5hkscs")  # strictest first; the one that fits is reported

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (b"\x84\x31\x95\x33", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0/C1 controls other than \t \n \f \r (\r is gone by the time this runs).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ASCII_WS = b" \t\r\n\f\v"
# Characters a Chinese report plausibly contains; anything else counts against a codec guess.
_EXPECTED_CLASS = (
    r"\x20-\x7e\t\n\r\f"
    r"\xa0-\xff"            # Latin-1 symbols: · × ° ± §
    r"\u2000-\u206f"        # general punctuation: — ‘ ’ “ ” …
    r"\u2100-\u21ff"        # letterlike, Roman numerals, arrows
    r"\u2460-\u25ff"        # ① ②, box drawing, ■ □ ● ○
    r"\u3000-\u303f"        # CJK punctuation: 、。《》【】
    r"\u4e00-\u9fff"        # CJK unified ideographs
    r"\uff00-\uffef"        # fullwidth forms: ，（）：
)
_UNEXPECTED_RE = re.compile(f"[^{_EXPECTED_CLASS}]")


@dataclass(frozen=True)
class Decoded:
    text: str       # BOM removed, line endings normalised to "\n"
    encoding: str   # canonical codec name, e.g. "utf-8", "gb18030", "utf-16-le"


class DecodeError(Exception):
    """str(err) is one short English reason fit for a user."""


def decode_bytes(data: bytes) -> Decoded:
    """Decode a report file's bytes, or raise DecodeError saying why it cannot be read."""
    if not data.strip(_ASCII_WS):
        raise DecodeError("empty file")
    text, encoding = _detect_and_decode(data)
    text = _normalise(text)
    if not text.strip():
        raise DecodeError("empty file")
    if _CONTROL_RE.search(text) is None:
        return Decoded(text=text, encoding=encoding)  # the common case: one scan, not a count and a replacement
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError("binary file (control characters)")
    # the few left (a NUL, a terminal's ESC) become spaces, one for one: offsets stay those of the
    # text, and no label or quote carries them
    text = _CONTROL_RE.sub(" ", text)
    return Decoded(text=text, encoding=encoding)


def _detect_and_decode(data: bytes) -> tuple[str, str]:
    for decoder in (_from_bom, _from_utf16_pattern, _from_utf8):
        found = decoder(data)
        if found is not None:
            return found
    if b"\x00" in data:  # no text encoding we accept puts NUL bytes in a non-UTF-16 file
        raise DecodeError("binary file (NUL bytes)")
    found = _from_chinese_legacy(data)
    if found is not None:
        return found
    raise DecodeError("undecodable: not UTF-8/UTF-16/GB18030/Big5")


def _decode_prefix(data: bytes, codec: str) -> str | None:
    """Strict decode that drops an incomplete sequence at the very end; None if invalid."""
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _from_bom(data: bytes) -> tuple[str, str] | None:
    for bom, codec in _BOMS:
        if not data.startswith(bom):
            continue
        # gb18030's BOM is an ordinary encoded U+FEFF; _normalise strips it with the others.
        text = _decode_prefix(data, codec)
        # Random bytes after FF FE still decode as UTF-16; insist on some real text.
        wide = codec in ("utf-16", "utf-32")
        if text is not None and not (wide and _plausibility(text) < _MIN_BOM_PLAUSIBLE):
            return text, codec
        if codec == "utf-32":
            continue  # FF FE 00 00 may be a UTF-16-LE BOM followed by U+0000
        if text is None:
            raise DecodeError(f"undecodable: invalid {codec} after its byte-order mark")
        raise DecodeError("binary file (not text after its byte-order mark)")
    return None


def _from_utf16_pattern(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: ASCII characters put a NUL in the high byte of their code unit. A file of
    an odd number of bytes was cut in a code unit (a truncated download): its last byte is dropped."""
    if b"\x00" not in data[:_SNIFF_BYTES]:
        return None
    if len(data) % 2:
        data = data[:-1]
    sniff = data[:_SNIFF_BYTES]
    even_nuls, odd_nuls = sniff[0::2].count(0), sniff[1::2].count(0)
    codec = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    sample = _decode_prefix(sniff, codec)
    if sample is None or _plausibility(sample) < _MIN_PLAUSIBLE:
        return None
    text = _decode_prefix(data, codec)
    return None if text is None else (text, codec)


def _from_utf8(data: bytes) -> tuple[str, str] | None:
    text = _decode_prefix(data, "utf-8")
    # Only up to 3 trailing bytes may be dropped; anything else is a real decode error.
    return None if text is None else (text, "utf-8")


def _from_chinese_legacy(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, chosen by charset_normalizer and checked by plausibility."""
    sample = _safe_sample(data)
    candidates = {name: text for name, text in _candidate_decodes(sample)}
    if not candidates:
        return None
    scores = {name: _plausibility(text) for name, text in candidates.items()}
    choice = _detector_choice(sample, candidates)
    if choice is not None:
        # The detector is unreliable on short texts; overrule it only when clearly worse.
        best_other = max(scores, key=scores.__getitem__)
        if scores[best_other] > scores[choice] + _PREFER_MARGIN:
            choice = best_other
    else:
        choice = max(scores, key=scores.__getitem__)  # ties keep gb18030: it comes first
    if scores[choice] < _MIN_PLAUSIBLE:
        return None
    if choice == "gb18030":
        _refuse_other_east_asian(candidates[choice])
    if len(data) == len(sample):
        return candidates[choice], choice
    # The sample fitted; the rest may still need a wider Big5 variant.
    wider = _BIG5_CODECS[_BIG5_CODECS.index(choice):] if choice in _BIG5_CODECS else (choice,)
    for codec in wider:
        text = _decode_prefix(data, codec)
        if text is not None:
            return text, codec
    return None


_MIN_HAN_TO_JUDGE = 100     # Han characters a sample needs before its mix of them is judged
_MIN_COMMON_SHARE = 0.6     # share of them a Chinese text has among the common characters
_MIN_UPPER_ROWS_SHARE = 0.05  # share of its GB2312 ones in rows 0xC9-0xF7 (是, 政, 在, 县, 一)


def _refuse_other_east_asian(text: str) -> None:
    """Korean (EUC-KR) and Japanese (Shift-JIS) bytes decode as GB18030 too, into Han characters
    no Chinese text is made of. Shift-JIS kana become rare characters of GBK's extension, outside
    the common ones (GB2312, Big5's frequent set); EUC-KR Hangul become GB2312 characters of its
    rows 0xB0-0xC8 only, where Chinese text, whatever it says, uses the rows after them as well
    (是, 政, 在, 县 and 一 stand there)."""
    han = [c for c in text[:_SAMPLE_CHARS] if "\u4e00" <= c <= "\u9fff"]
    if len(han) < _MIN_HAN_TO_JUDGE:
        return
    common = upper = gb2312 = 0
    for char in han:
        try:
            lead = char.encode("gb2312")[0]
        except UnicodeEncodeError:
            try:
                common += 0xA4 <= char.encode("big5")[0] <= 0xC6  # Big5's frequent characters
            except UnicodeEncodeError:
                pass
            continue
        gb2312 += 1
        upper += lead >= 0xC9
    common += gb2312
    if common < _MIN_COMMON_SHARE * len(han) or upper < _MIN_UPPER_ROWS_SHARE * max(1, gb2312):
        raise DecodeError("undecodable: not Chinese text (it reads as GB18030 only as mojibake; "
                          "Korean EUC-KR or Japanese Shift-JIS?)")


def _candidate_decodes(sample: bytes) -> list[tuple[str, str]]:
    """(codec, text) for gb18030 and the first Big5 variant that decode the sample strictly."""
    found = []
    text = _decode_prefix(sample, "gb18030")
    if text is not None:
        found.append(("gb18030", text))
    for codec in _BIG5_CODECS:
        text = _decode_prefix(sample, codec)
        if text is not None:
            found.append((codec, text))
            break
    return found


def _detector_choice(sample: bytes, candidates: dict[str, str]) -> str | None:
    """charset_normalizer's verdict mapped onto one of the candidate codecs, if it has one."""
    from charset_normalizer import from_bytes  # slow import: only legacy files need it

    best = from_bytes(sample).best()
    if best is None:
        return None
    name = best.encoding.lower()
    if name in _GB_NAMES and "gb18030" in candidates:
        return "gb18030"
    if name in _BIG5_NAMES:
        return next((c for c in _BIG5_CODECS if c in candidates), None)
    return None


def _safe_sample(data: bytes) -> bytes:
    """A prefix for detection, cut where no GB18030/Big5 character can be split.

    Bytes below 0x30 are never the 2nd-4th byte of a GB18030 or Big5 character, so cutting
    just after one keeps the sample decodable; a torn last character would fail detection.
    """
    if len(data) <= _SAMPLE_BYTES:
        return data
    sample = data[:_SAMPLE_BYTES]
    for k in range(len(sample) - 1, max(-1, len(sample) - _SNIFF_BYTES), -1):
        if sample[k] < 0x30:
            return sample[: k + 1]
    return sample


def _plausibility(text: str) -> float:
    """Share of expected characters; a wrong codec yields kana, Hangul, PUA, controls."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return 0.0
    return 1.0 - len(_UNEXPECTED_RE.findall(sample)) / len(sample)


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE_CHARS]
    return len(_CONTROL_RE.findall(sample)) / max(1, len(sample))


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text:  # the common case: one scan, not two replacements
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
