"""Turn failing expectation rows into flags, each with its evidence and a stable id.

A flag's id is a hash of what it says, not of where it stands: the report's file name, the
rule, the expected and observed values and the quoted evidence. Adding text elsewhere in a report moves
offsets and lines but keeps every id; changing a figure changes the ids that quote it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from string import Formatter

import pandas as pd

from auditor.checks.gx_suites import KEY_COLUMN, Failure
from auditor.config import SEVERITIES, Config
from auditor.flag import Evidence, Flag, Sides
from auditor.frames import Frames
from auditor.frames.rows import row_dicts


def build_flags(failures: list[Failure], frames: Frames, config: Config, lang: str = "zh") -> list[Flag]:
    """The flags of a run checked in one batch, in the run's order, with their ids."""
    return ordered_flags(flag_rows(failures, frames, config, lang))


def flag_rows(failures: list[Failure], frames: Frames, config: Config, lang: str = "zh") -> list[Flag]:
    """The flags of a batch's failures, in the failures' order and without ids: ordered_flags
    orders and numbers the run's flags once every batch is checked."""
    failing = {table: {f.key for f in failures if f.table == table} for table in KEY_COLUMN}
    rows = {table: _rows(frames.table(table), KEY_COLUMN[table], failing[table]) for table in KEY_COLUMN}
    flagged_reports = {row["report"] for table in rows.values() for row in table.values()}
    documents = _rows(frames.documents, KEY_COLUMN["documents"], flagged_reports)
    evidence_columns = _evidence_columns(config)
    stated_values = _stated_values(frames.facts, rows["relations"].values())
    flags = []
    seen = set()
    for failure in failures:
        if (failure.rule, failure.table, failure.key) in seen:
            continue  # one rule may fail a row through two expectations (both interval ends)
        seen.add((failure.rule, failure.table, failure.key))
        row = rows[failure.table][failure.key]
        rule = config.rules[failure.rule]
        fields = _template_fields(row)
        if fields.get("family"):
            fields["family"] = config.vocabulary.family_names.get(fields["family"], {}).get(lang, fields["family"])
        document = documents[row["report"]]
        flags.append(Flag(
            report=row["report"],
            rule=rule.code,
            name=rule.name,
            category=rule.category,
            severity=rule.severity,
            message=_fill(rule.message[lang], fields) + (_fill(rule.tried[lang], fields)
                                                         if rule.tried and fields.get("tried") else ""),
            expected=_fill(rule.expected, fields),
            observed=_fill(rule.observed, fields),
            region=_plain(document["region"]),
            year=_plain(document["year"]),
            evidence=tuple(map(Evidence.from_dict, _evidence(failure.table, row, evidence_columns.get(rule.code)))),
            sides=_sides(rule.sides, fields, row if failure.table == "relations" and rule.difference else None,
                         lang, stated_values),
        ))
    return flags


def ordered_flags(flags: list[Flag]) -> list[Flag]:
    """The run's flags by report, place and rule (a stable sort: a report's flags keep the order of
    its failures), each with its id."""
    flags = sorted(flags, key=_order)
    return [replace(flag, id=flag_id) for flag, flag_id in zip(flags, _ids(flags))]


def _stated_values(facts: pd.DataFrame, relations) -> dict[str, float]:
    """fact key -> value of the figure each failing relation states (97.5 for 97.5%, not the
    interval its rounding allows)."""
    keys = {_fact_key(row) for row in relations} - {None}
    if not keys or facts is None or "value_num" not in facts:
        return {}
    found = facts[facts["fact_key"].isin(keys)]
    return dict(zip(found["fact_key"].tolist(), found["value_num"].tolist()))


def _fact_key(relation: dict) -> str | None:
    stated = relation.get("stated_fact")
    if stated is None or is_missing(stated) or str(stated) == "":
        return None
    return f"{relation['report']}#{int(float(stated))}" if str(stated).replace(".", "", 1).isdigit() else None


def _sides(templates: dict[str, dict[str, str]], fields: dict[str, str], relation: dict | None, lang: str,
           stated_values: dict[str, float]) -> Sides:
    """side -> text, and the difference (stated − computed) where both are figures of a RELATION
    (None: no difference to show)."""
    sides: dict = {side: _fill(template[lang], fields) for side, template in templates.items()}
    if relation is not None and "stated" in sides and "computed" in sides:
        stated = stated_values.get(_fact_key(relation))
        if stated is None or is_missing(stated) or not math.isfinite(stated):
            stated = _middle(relation.get("stated_lo"), relation.get("stated_hi"))
        computed = _middle(relation.get("computed_lo"), relation.get("computed_hi"))
        if stated is not None and computed is not None:
            sides["difference"] = round(stated - computed, 2)  # as a reader subtracts the figures shown
    return Sides(**sides)


def _middle(low, high) -> float | None:
    if low is None or high is None or is_missing(low) or is_missing(high):
        return None
    low, high = float(low), float(high)
    return (low + high) / 2 if math.isfinite(low) and math.isfinite(high) else None


def _rows(frame: pd.DataFrame, key: str, keys: set[str]) -> dict[str, dict]:
    """The rows of these keys (unique in their frame), as dicts by key: a few thousand of 500,000
    figures, found at once (a lookup by label per flag took half the time of building the flags)."""
    return {row[key]: row for row in row_dicts(frame[frame[key].isin(keys)])}


def quoted(evidence: Evidence) -> str:
    """An evidence quote as text; one from another report (CONS003 quotes last year's) names it."""
    return quote_text(evidence.text, evidence.report)


def quote_text(text: str, other: str | None = None) -> str:
    """A quote's TEXT, named by the OTHER report it is from: 〔…/2022.txt〕上年受理…"""
    return f"〔{other}〕{text}" if other else text


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info."""
    return SEVERITIES.index(severity)


def _order(flag: Flag) -> tuple:
    first = flag.evidence[0].start if flag.evidence else -1
    return (flag.report, first, flag.rule, flag.observed)


def _ids(flags: list[Flag]) -> Iterator[str]:
    """The id of each flag, in order."""
    occurrences: Counter[str] = Counter()
    for flag in flags:
        quoted = "\x1f".join(e.text for e in flag.evidence)
        # The file's name, not its folder: an id survives moving the reports or running from elsewhere.
        name = flag.report.rsplit("/", 1)[-1]
        key = "\x1e".join((name, flag.rule, flag.expected, flag.observed, quoted))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        occurrences[digest] += 1
        # The same sentence twice in one report (a duplicated body) gives distinct ids.
        yield digest if occurrences[digest] == 1 else f"{digest}-{occurrences[digest]}"


def _template_fields(row: dict) -> dict[str, str]:
    fields = {name: _text(value) for name, value in row.items() if not isinstance(value, (list, dict))}
    low, high = row.get("plausible_min"), row.get("plausible_max")
    if low is not None and not is_missing(low):
        fields["plausible"] = f"{_number(low)}%–{_number(high)}%"
    return fields


def _fill(template: str, fields: dict[str, str]) -> str:
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    return template.format(**{name: fields.get(name, "?") for name in names})


# A document flag quotes these when its expectations name no evidence of their own (DATE001, DATE002).
DEFAULT_DOCUMENT_EVIDENCE = ("signed_evidence", "published_evidence", "title_evidence")


def _evidence_columns(config: Config) -> dict[str, tuple[str, ...]]:
    """rule -> the *_evidence columns of the documents frame its flags quote, from the
    `meta.evidence` of its expectations in suites/documents.json (in order, without repeats)."""
    columns: dict[str, list[str]] = {}
    for expectation in config.suites.get("documents", {}).get("expectations", ()):
        meta = expectation.get("meta") or {}
        for name in meta.get("evidence") or ():
            names = columns.setdefault(meta["rule"], [])
            if name not in names:
                names.append(name)
    return {rule: tuple(names) for rule, names in columns.items()}


def _evidence(table: str, row: dict, columns: tuple[str, ...] | None = None) -> list[dict]:
    if table == "relations":
        return list(row["evidence"])
    if table == "facts":
        return [{"text": row["sentence"], "start": int(row["sentence_start"]), "end": int(row["sentence_end"]),
                 "line": int(row["line"])}]
    # A document row: each named *_evidence column holds a quote, a list of quotes, or nothing.
    quotes = _quotes(row, columns) if columns else []
    return quotes or _quotes(row, DEFAULT_DOCUMENT_EVIDENCE)


def _quotes(row: dict, columns: tuple[str, ...]) -> list[dict]:
    quotes = []
    for name in columns:
        value = row.get(name)
        if isinstance(value, dict):
            quotes.append(value)
        elif isinstance(value, list):
            quotes.extend(q for q in value if isinstance(q, dict))
    return quotes


def is_missing(value) -> bool:
    """A cell with no value: None, NaN, NaT or pd.NA."""
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _text(value) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _plain(value):
    """A JSON-friendly scalar: None for missing, int for whole numbers."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value
