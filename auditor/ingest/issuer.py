"""The issuing body of a report, as an identity that one body's reports of different years share.

The name is read, in this order, from the title (the words before its year or 关于:
河北省科技厅2016年政府信息公开工作年度报告 -> 河北省科技厅), the line above a title that names no
body (洪泽区人民政府 over 2023 年政府信息公开工作年度报告), the signature, and a crawler's
发布机构 line. Only a name that ends like a body's (report_text.yaml issuers) counts.

The key compares names (issuers.yaml): short forms are written out (科技厅 -> 科学技术厅), a
government's organ is dropped (洪泽区人民政府 -> 洪泽区), and of the administrative units a name
starts with only the innermost is kept (淮安市洪泽区 -> 洪泽区); the outer ones are kept apart as
`parents`, and two names whose parents disagree (南京市鼓楼区, 福州市鼓楼区) are two bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from auditor.config import IssuerVocabulary
from auditor.ingest.metadata import Metadata

_YEAR_RE = regex.compile(r"(?:19|20)\d{2}\s*年")
_SPACE_RE = regex.compile(r"[\s\u3000\u200b]+")
_TITLE_YEAR_RE = regex.compile(r"(?:19|20)\d{2}年度?")
_DIGIT_RE = regex.compile(r"\d")
_PUNCTUATION_RE = regex.compile(r"[，,。：:；;、（）()《》“”\"<>|]")
_MAX_NAME = 30
_PARENT_SEPARATOR = "/"


@dataclass(frozen=True)
class Issuer:
    name: str            # as written, spaces removed
    key: str             # innermost unit and organ, normalised: 洪泽区, 河北省科学技术厅
    parents: str         # the outer units, "/"-joined, outermost first: 江苏省/淮安市 (or "")
    source: str          # title, heading, signature or publisher


def issuer_fields(text: str, meta: Metadata, config) -> dict:
    """The document row's fields of the issuing body: issuer (as written), issuer_key,
    issuer_parents and title_form (all None when no body is named)."""
    endings = tuple(e for words in config.report_text.issuer_endings.values() for e in words)
    issuer = read_issuer(text, meta, config.issuers, endings) if config.issuers else None
    return {"issuer": issuer.name if issuer else None, "issuer_key": issuer.key if issuer else None,
            "issuer_parents": issuer.parents if issuer else None, "title_form": title_form(meta.title, issuer) or None}


def read_issuer(text: str, meta: Metadata, vocabulary: IssuerVocabulary, endings: tuple[str, ...]) -> Issuer | None:
    """The report's issuing body, or None when no name of a body is found."""
    for source, name in _candidates(text, meta, vocabulary):
        name = _SPACE_RE.sub("", name or "")
        if _is_body_name(name, endings):
            key, parents = normalise(name, vocabulary)
            if key:
                return Issuer(name, key, parents, source)
    return None


def normalise(name: str, vocabulary: IssuerVocabulary) -> tuple[str, str]:
    """(key, parents) of a body's name: 江苏省淮安市洪泽区人民政府 -> (洪泽区, 江苏省/淮安市)."""
    name = _SPACE_RE.sub("", name)
    for short, full in vocabulary.abbreviations:
        if short in name and full not in name:
            name = name.replace(short, full)
    units = _units(name, vocabulary)
    organ = name[sum(len(u) for u in units):]
    if units:
        for suffix in vocabulary.government_suffixes:
            if organ == suffix:
                organ = ""
                break
    if not units:
        return organ, ""
    return units[-1] + organ, _PARENT_SEPARATOR.join(units[:-1])


def parents_agree(a: str, b: str) -> bool:
    """The outer units of two names do not disagree: one's are the innermost of the other's
    (淮安市 and 江苏省/淮安市), or either names none."""
    if not a or not b:
        return True
    first, second = a.split(_PARENT_SEPARATOR), b.split(_PARENT_SEPARATOR)
    shorter, longer = sorted((first, second), key=len)
    return longer[len(longer) - len(shorter):] == shorter


def title_form(title: str | None, issuer: Issuer | None) -> str:
    """The title without its body's name and years (年度 read as 年): the same report of two
    years shares it, a covering letter (关于报送…的函) does not."""
    if not title:
        return ""
    form = _SPACE_RE.sub("", title)
    if issuer and form.startswith(issuer.name):
        form = form[len(issuer.name):]
    form = _TITLE_YEAR_RE.sub("{年}", form)
    return form.rstrip(".…")


def _candidates(text: str, meta: Metadata, vocabulary: IssuerVocabulary):
    title = meta.title or ""
    yield "title", _title_prefix(title, vocabulary)
    span = meta.spans.get("title")
    if span is not None:
        yield "heading", _line_above(text, span.start)
    yield "signature", meta.signer
    header = text[:meta.body_start]
    for label in vocabulary.publisher_labels:
        match = _labelled_name_re(label).search(header)
        if match:
            yield "publisher", match["name"]


@lru_cache(maxsize=64)
def _labelled_name_re(label: str) -> regex.Pattern:
    """发布机构：某某局: the name after a publisher label."""
    return regex.compile(rf"{regex.escape(label)}[ \t\u3000]*[:：][ \t\u3000]*(?P<name>[^\s]+)")


def _title_prefix(title: str, vocabulary: IssuerVocabulary) -> str:
    """The words of a title before its year or an opening word (关于)."""
    ends = [m.start() for m in [_YEAR_RE.search(title)] if m]
    ends += [i for i in (title.find(w) for w in vocabulary.title_openers) if i >= 0]
    return title[:min(ends)] if ends else ""


def _line_above(text: str, start: int) -> str:
    """The last non-blank line before the title's line."""
    line_start = text.rfind("\n", 0, start)
    for line in reversed(text[:max(line_start, 0)].split("\n")[-3:]):
        if line.strip():
            return line.strip()
    return ""


def _is_body_name(name: str, endings: tuple[str, ...]) -> bool:
    return 2 <= len(name) <= _MAX_NAME and not _PUNCTUATION_RE.search(name) and not _YEAR_RE.search(name) \
        and not _DIGIT_RE.search(name) and any(name.endswith(e) for e in endings)


def _units(name: str, vocabulary: IssuerVocabulary) -> list[str]:
    """The administrative units a name starts with: 江苏省淮安市洪泽区人民政府 -> 江苏省, 淮安市, 洪泽区."""
    units, at = [], 0
    pattern = vocabulary.unit_pattern
    while True:
        match = pattern.match(name, at)
        if match is None or match.end() == at:
            return units
        units.append(match.group())
        at = match.end()
