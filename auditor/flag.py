"""A flag and its evidence as frozen values: built once in auditor.flags, read by every output.

A flag that changes after it is built (its id once the run's flags are ordered, its review state
once the baseline and the workbook are read) is a new value (dataclasses.replace), never the old
one changed in place. `Flag.to_json()` is the shape flags.json, SARIF's source and
--output-format json have always written.

Evidence quotes stay dicts inside the frames' rows (pandas cells, pickled between processes);
they become Evidence where a flag is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# A flag's fields in flags.json, in order; `baselined` and `review` follow where the flag has them.
JSON_FIELDS = ("id", "report", "rule", "name", "category", "severity", "message", "expected", "observed",
               "region", "year", "evidence")
# The keys a quote may carry beside text, start, end and line, in the order its JSON writes them.
_OPTIONAL = ("column", "page", "cells", "report", "path")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote of a report: its text, where it stands (0-based offsets, 1-based line and column),
    a PDF's page, a table's cells ([start, end] of each figure it compares), and for a quote of
    another report (CONS003 quotes last year's) that report and its path.

    `nulls` names the optional keys the quote carried without a value (an HTML page's column is
    not known: "column": null), so that its JSON keeps the shape it was made with.
    """

    text: str
    start: int
    end: int
    line: int | None
    column: int | None = None
    page: int | None = None
    cells: tuple[tuple[int, int], ...] | None = None
    report: str | None = None
    path: str | None = None
    nulls: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, quote: dict) -> Evidence:
        """The Evidence of a quote dict as auditor.process and auditor.frames make it."""
        known = {name: quote[name] for name in ("text", "start", "end", "line")}
        for name in _OPTIONAL:
            if name in quote and quote[name] is not None:
                known[name] = quote[name]
        unknown = set(quote) - {"text", "start", "end", "line", *_OPTIONAL}
        if unknown:
            raise ValueError(f"a quote with unknown keys: {', '.join(sorted(unknown))}")
        if "cells" in known:
            known["cells"] = tuple(tuple(cell) for cell in known["cells"])
        nulls = tuple(name for name in _OPTIONAL if name in quote and quote[name] is None)
        return cls(**known, nulls=nulls)

    def to_json(self) -> dict:
        quote = {"text": self.text, "start": self.start, "end": self.end, "line": self.line}
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value is not None:
                quote[name] = [list(cell) for cell in value] if name == "cells" else value
            elif name in self.nulls:
                quote[name] = None
        return quote


@dataclass(frozen=True, slots=True)
class Sides:
    """What the workbook shows of a flag beside its message, in the run's language: the report's
    figure, the figure computed from the others or what must hold, and their difference
    (stated − computed; auditor.config.SIDES). Kept out of flags.json."""

    stated: str | None = None
    computed: str | None = None
    required: str | None = None
    difference: float | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's word on a flag: from the baseline, or from the workbook left in --out."""

    status: str
    comment: str
    source: str  # "baseline" | "workbook"

    def to_json(self) -> dict:
        return {"status": self.status, "comment": self.comment, "source": self.source}


@dataclass(frozen=True, slots=True)
class Flag:
    """One rule's failure on one row, with its quotes. `id` is empty until the run's flags are
    ordered (auditor.flags.ordered_flags); `baselined` is None unless a baseline was given, and
    `review` None unless the flag has one (auditor.review)."""

    report: str
    rule: str
    name: str = ""
    category: str = ""
    severity: str = ""
    message: str = ""
    expected: str = ""
    observed: str = ""
    region: str | None = None
    year: int | None = None
    evidence: tuple[Evidence, ...] = ()
    sides: Sides = field(default_factory=Sides)
    id: str = ""
    baselined: bool | None = None
    review: Review | None = None

    def to_json(self) -> dict:
        """The flag as flags.json holds it: its fields, then its review state where it has one."""
        shown = {name: getattr(self, name) for name in JSON_FIELDS}
        shown["evidence"] = [quote.to_json() for quote in self.evidence]
        if self.baselined is not None:
            shown["baselined"] = self.baselined
        if self.review is not None:
            shown["review"] = self.review.to_json()
        return shown

    @classmethod
    def from_json(cls, data: dict) -> Flag:
        """A flag from its flags.json shape (and, when given, its `sides`)."""
        names = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in names}
        values["evidence"] = tuple(Evidence.from_dict(q) for q in data.get("evidence") or ())
        values["sides"] = Sides(**(data.get("sides") or {}))
        if data.get("review") is not None:
            values["review"] = Review(**data["review"])
        return cls(**values)
