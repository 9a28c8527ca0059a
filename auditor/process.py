"""One input file to plain rows: its document row, its facts and its relations.

This is the unit of work that runs per file (and, later, per worker process). It returns plain
dicts so that the result is cheap to pass between processes and the report text itself does
not travel beyond the quoted evidence.
"""

from __future__ import annotations

import hashlib
import traceback
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditor.extract.document_features import blank_out, check_document, find_duplicates
from auditor.columns import FACT_FIELDS, RELATION_FIELDS  # the order of the rows' values below
from auditor.config import Config
from auditor.extract.budget import UNLIMITED, Budget, OutOfTime
from auditor.extract.disclosure_table import read_tables
from auditor.extract.figures import Fact, extract_figures
from auditor.extract.labels import name_facts
from auditor.extract.relations import Relation, find_relations
from auditor.extract.relations.kinds import KINDS
from auditor.ingest.decode import DecodeError, decode_bytes
from auditor.ingest.discover import InputFile, read_regular_file
from auditor.ingest.grid import Grid
from auditor.ingest.html_text import html_document
from auditor.ingest.issuer import issuer_fields
from auditor.ingest.metadata import Metadata, read_metadata
from auditor.ingest.script import simplified
from auditor.ingest.spans import LineIndex, Span, paragraphs, sentences

_HTML_SUFFIXES = (".html", ".htm")
_QUOTE_LIMIT = 400  # characters: a quoted sentence longer than this is cut around its figures
_SAVE_AS = "save the report as .docx, PDF (with its text) or text first"
_REFUSED_SUFFIXES = {
    ".doc": f"Word 97-2003 (.doc) files are not read; {_SAVE_AS}",
    ".wps": f"WPS (.wps) files are not read; {_SAVE_AS}",
    ".xls": "Excel files are not read: auditor reads reports, not spreadsheets",
    ".xlsx": "Excel files are not read: auditor reads reports, not spreadsheets",
}


@dataclass
class ReportRecord:
    """One input's result. facts and relations are columns (name -> list), FACT_FIELDS and
    RELATION_FIELDS; the frames take them over, and counts stay in the document row."""

    document: dict
    facts: dict[str, list] | None = None
    relations: dict[str, list] | None = None
    internal_error: str | None = None  # the traceback of a bug met while reading this report


    @property
    def n_facts(self) -> int:
        return self.document.get("n_facts") or 0

    @property
    def n_relations(self) -> int:
        return self.document.get("n_relations") or 0

    @property
    def n_checked(self) -> int:
        """Relations some rule checks (the rest are recorded for a reviewer only)."""
        return self.document.get("n_checked") or 0


def process_file(item: InputFile, config: Config) -> ReportRecord:
    document = {"report": item.display, "path": str(item.path), "sha256": None, "status": "ok", "reason": "",
                "encoding": None}
    try:
        data = read_regular_file(item.path)  # a FIFO swapped in after discovery is refused, never waited on
    except OSError as err:
        return ReportRecord({**document, "status": "error", "reason": f"cannot read: {err.strerror or err}"})
    document["sha256"] = hashlib.sha256(data).hexdigest()
    budget = Budget(config.thresholds.reading_budget_seconds)
    try:
        view = text_view(data, Path(item.path).suffix)
        document["encoding"] = view.encoding
        budget.check("decoding")
        return read_text(view.text, document, config, view.source_line, view.grids, view.page_starts, budget=budget)
    except (UnreadableReport, OutOfTime) as err:
        return ReportRecord({**document, "status": "error", "reason": str(err)})
    except Exception as err:  # noqa: BLE001 - a bug while reading one report must not cost the others
        return failed_record(document, err)


def failed_record(document: dict, err: Exception) -> ReportRecord:
    """The record of a report whose reading raised: status error, no figures, and the exception's
    type and place as the reason, so the run can go on, say which report it lost and why."""
    place = _innermost_auditor_frame(err)
    where = f" at {place}" if place else ""
    reason = f"internal error while reading (a bug in auditor): {type(err).__name__}: {err}{where}"
    document = {key: document.get(key) for key in ("report", "path", "sha256", "encoding")}
    trace = "".join(traceback.format_exception(err))
    return ReportRecord({**document, "status": "error", "reason": reason}, internal_error=trace)


def _innermost_auditor_frame(err: Exception) -> str | None:
    """file:line (function) of the deepest frame of auditor's own code in the traceback."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "/auditor/" in f.filename.replace("\\", "/")]
    if not frames:
        return None
    last = frames[-1]
    path = last.filename.replace("\\", "/")
    return f"{path[path.rindex('/auditor/') + 1:]}:{last.lineno} ({last.name})"


class UnreadableReport(Exception):
    """str(err) says why, in one line fit for a user."""


@dataclass(frozen=True)
class TextView:
    text: str               # what offsets count in: the decoded file, an HTML page's visible text,
                            # or a PDF's or Word file's paragraphs and tables (auditor/ingest/grid.py)
    encoding: str
    source_line: Callable[[int], int] | None = None  # offset -> line in the file, for HTML
    grids: tuple[Grid, ...] = ()         # the tables of a PDF, Word or HTML report, cell by cell
    page_starts: tuple[int, ...] = ()    # where each page of a PDF starts in the text


def text_view(data: bytes, suffix: str) -> TextView:
    """The text of a report file as auditor reads it (outputs that quote the text re-read it here)."""
    suffix = suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise UnreadableReport(_REFUSED_SUFFIXES[suffix])
    if suffix == ".pdf":
        return _document_view(data, "pdf")
    if suffix == ".docx":
        return _document_view(data, "docx")
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        raise UnreadableReport(str(err)) from err
    if suffix in _HTML_SUFFIXES:
        text, offsets, grids = html_document(decoded.text)
        return TextView(text, decoded.encoding + "; html", offsets.source_line, grids)
    return TextView(decoded.text, decoded.encoding)


def _document_view(data: bytes, kind: str) -> TextView:
    """A PDF or Word report (their libraries are imported only here, when one is read)."""
    if kind == "pdf":
        from auditor.ingest.pdf_text import PdfError as Error, pdf_document as read
    else:
        from auditor.ingest.docx_text import DocxError as Error, docx_document as read
    try:
        document = read(data)
    except Error as err:
        raise UnreadableReport(str(err)) from err
    if not document.text.strip():
        raise UnreadableReport(f"empty {kind.upper()}: no text in it")
    return TextView(document.text, kind, None, document.grids, document.page_starts)


def read_text(text: str, document: dict, config: Config, source_line=None, grids: tuple[Grid, ...] = (),
              page_starts: tuple[int, ...] = (), *, budget: Budget = UNLIMITED) -> ReportRecord:
    """Extract metadata, facts and relations from decoded text, and the document-level fields.

    A report whose text repeats itself (DOC001: the whole body pasted twice, or a paragraph of
    60 characters or more repeated verbatim) is audited once: the repeated copy is blanked out
    (every character but line breaks replaced by a space) before its figures are read, so each
    figure, relation and flag comes from the first copy only, and every offset still counts in
    the original text. Metadata (header, signature) and the end of the page are read from the
    text as it stands. The budget is checked between the steps (and in the relation readers'
    loops): OutOfTime names the step it ran out in.
    """
    lines = LineIndex(text)
    vocabulary, thresholds = config.vocabulary, config.thresholds
    duplicates = find_duplicates(text)
    budget.check("repeated text")
    # the figures are read in simplified characters (same offsets), quoted from the text as it stands
    blanked = blank_out(text, duplicates.spans)
    audited = simplified(blanked, vocabulary)  # the words match in simplified characters
    sentence_spans, paragraph_spans = sentences(audited), paragraphs(audited)
    budget.check("sentences")
    facts = extract_figures(audited, vocabulary, thresholds)
    budget.check("figures")
    name_facts(audited, facts, sentence_spans, paragraph_spans, vocabulary)
    budget.check("labels")
    tables = read_tables(audited, facts, config.template, grids)
    budget.check("tables")
    relations = find_relations(audited, facts, sentence_spans, paragraph_spans, config, tables, budget=budget)
    budget.check("relations")
    if audited is not blanked:
        for fact in facts:  # …and every figure is shown as written (64,999,264.21萬元)
            fact.text = blanked[fact.start:fact.end]
    meta = read_metadata(text)
    evidence = _Evidence(text, lines, sentence_spans, source_line, page_starts)
    budget.check("metadata")
    checks = check_document(text, audited, meta, duplicates, config.report_text, thresholds)
    budget.check("document checks")
    report = document["report"]
    document.update(_document_fields(meta, evidence), **checks.fields, **issuer_fields(text, meta, config),
                    **{name: _quotes(evidence, spans) for name, spans in checks.evidence.items()},
                    n_chars=len(text), n_lines=lines.line(len(text)), n_facts=len(facts), n_relations=len(relations),
                    n_checked=sum(KINDS[r.op].checked for r in relations))
    return ReportRecord(document, _fact_columns(report, facts, evidence), _relation_columns(report, relations, evidence))


def _quotes(evidence: "_Evidence", spans: list[Span]) -> dict | list[dict] | None:
    """One quote for one span, a list for several (the headings of DOC002), None for none."""
    quotes = [evidence.quote(span) for span in spans]
    if not quotes:
        return None
    return quotes[0] if len(quotes) == 1 else quotes


class _Evidence:
    """Quotes and line numbers for spans of one text."""

    def __init__(self, text: str, lines: LineIndex, sentence_spans: list[Span], source_line,
                 page_starts: tuple[int, ...] = ()) -> None:
        self.text = text
        self.page_starts = page_starts
        self.lines = lines
        self.sentence_starts = [s.start for s in sentence_spans]
        self.sentence_spans = sentence_spans
        self.source_line = source_line
        # offset -> line in the file: the HTML page's map, else the text's own lines
        self.line: Callable[[int], int] = source_line or lines.line
        self._quotes: dict[Span, dict] = {}  # span -> its quote: relations share their sentences

    def quote(self, span: Span) -> dict:
        """The quote of a span, a dict of its own (a table relation's quote gets its cells)."""
        quote = self._quotes.get(span)
        if quote is None:
            quote = self._quotes[span] = self._quote(span)
        return dict(quote)

    def _quote(self, span: Span) -> dict:
        # column is 1-based within the line of a text file; an HTML page's column is not known.
        column = None if self.source_line else self.lines.column(span.start)
        quote = {"text": self.text[span.start:span.end], "start": span.start, "end": span.end,
                 "line": self.line(span.start), "column": column}
        if self.page_starts:  # a PDF's page
            quote["page"] = bisect_right(self.page_starts, span.start)
        return quote

    def sentence_of(self, offset: int, end: int | None = None) -> Span:
        """The sentence around [offset, end); a sentence longer than a quote may be (a page
        with no punctuation, a 3 MB line) is cut to a window around the figure."""
        i = bisect_right(self.sentence_starts, offset) - 1
        span = self.sentence_spans[i] if i >= 0 else Span(offset, offset)
        if span.end - span.start <= _QUOTE_LIMIT:
            return span
        end = max(end or offset, offset)
        margin = max(0, (_QUOTE_LIMIT - (end - offset)) // 2)
        return Span(max(span.start, offset - margin), min(span.end, end + margin))

    def is_sentence(self, span: Span) -> bool:
        """Whether the span is one of the text's sentences."""
        i = bisect_right(self.sentence_starts, span.start) - 1
        return i >= 0 and self.sentence_spans[i] == span

    def line_of_span(self, span: Span) -> dict:
        """The whole line a metadata field stands on, as evidence; on a page flattened onto one
        long line, a window of it around the field."""
        start = self.text.rfind("\n", 0, span.start) + 1
        end = self.text.find("\n", span.end)
        end = len(self.text) if end == -1 else end
        if end - start > _QUOTE_LIMIT:
            margin = max(0, (_QUOTE_LIMIT - (span.end - span.start)) // 2)
            start, end = max(start, span.start - margin), min(end, span.end + margin)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return self.quote(Span(start, end))


def _document_fields(meta: Metadata, evidence: _Evidence) -> dict:
    fields = {
        "title": meta.title, "region": meta.region, "year": meta.year, "period_end": meta.period_end,
        "published_date": meta.published, "signed_date": meta.signed, "signer": meta.signer,
        "docno": meta.docno, "docno_year": meta.docno_year,
    }
    for name in ("published", "signed", "title", "docno"):
        span = meta.spans.get(name)
        quote = evidence.line_of_span(span) if span else None
        fields[f"{name}_evidence"] = quote
    return fields


def _fact_columns(report: str, facts: list[Fact], evidence: _Evidence) -> dict[str, list]:
    """The facts as columns: cheap to send between processes, and one sentence string is shared
    by every figure that stands in it."""
    sentences: dict[Span, str] = {}
    nan = float("nan")
    rows = []
    sentence_of, line, text = evidence.sentence_of, evidence.line, evidence.text
    starts, spans = evidence.sentence_starts, evidence.sentence_spans
    for fact in facts:
        # evidence.sentence_of, its common case inline: the sentence itself, short enough to quote
        i = bisect_right(starts, fact.start) - 1
        span = spans[i] if i >= 0 else None
        if span is None or span.end - span.start > _QUOTE_LIMIT:
            span = sentence_of(fact.start, fact.end)
        sentence = sentences.get(span)
        if sentence is None:
            sentence = sentences[span] = text[span.start:span.end]
        if fact.value is None:
            plain, number = "", nan
        else:
            plain = _plain_decimal(fact.value)
            number = float(plain)  # float(fact.value), which converts the Decimal to a string first
        rows.append((report, fact.index, fact.kind, plain, number, fact.unit, fact.qualifier, fact.lo, fact.hi,
                     fact.text, fact.start, fact.end, line(fact.start), fact.label, fact.family or "",
                     fact.metric or "", sentence, span.start, span.end))
    return _columns(FACT_FIELDS, rows)


def _relation_columns(report: str, relations: list[Relation], evidence: _Evidence) -> dict[str, list]:
    rows = [
        (report, index, relation.op, relation.source, relation.family or "",
         len(relation.parts) if relation.op != "rate" else 1, relation.stated.index,
         ";".join(str(p.index) for p in relation.parts), relation.stated_expr, relation.stated_lo,
         relation.stated_hi, relation.computed_expr, relation.computed_value, relation.computed_lo,
         relation.computed_hi, relation.reading, relation.tried, relation.direction,
         _relation_evidence(relation, evidence))
        for index, relation in enumerate(relations)
    ]
    return _columns(RELATION_FIELDS, rows)


def _relation_evidence(relation: Relation, evidence: _Evidence) -> list[dict]:
    """The quotes of a relation; a table's also name the cells it compares ([start, end] of each
    figure in the quote), so the HTML report can mark them in their row."""
    quotes = [evidence.quote(s) for s in _relation_quotes(relation, evidence)]
    if relation.op == "table":
        figures = sorted({(f.start, f.end) for f in (relation.stated, *relation.parts)})
        for quote in quotes:
            cells = [[a, b] for a, b in figures if quote["start"] <= a and b <= quote["end"]]
            if cells:
                quote["cells"] = cells
    return quotes


def _relation_quotes(relation: Relation, evidence: _Evidence) -> list[Span]:
    """The sentences a relation stands in, each cut around its figures when very long."""
    figures = [relation.stated, *relation.parts]
    quotes = []
    for sentence in relation.sentences:
        inside = [f for f in figures if sentence.start <= f.start < sentence.end]
        if inside and sentence.end - sentence.start <= _QUOTE_LIMIT and evidence.is_sentence(sentence):
            quotes.append(sentence)  # what sentence_of gives for its figures, at once (a table's rows are no sentences)
            continue
        inside = inside or figures
        quotes.append(evidence.sentence_of(min(f.start for f in inside), max(f.end for f in inside)))
    return quotes


def _columns(fields: tuple[str, ...], rows: list[tuple]) -> dict[str, list]:
    if not rows:
        return {name: [] for name in fields}
    return dict(zip(fields, map(list, zip(*rows))))


def _plain_decimal(value) -> str:
    """Exact value without exponent notation: 3.84亿 -> '384000000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
