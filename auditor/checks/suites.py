"""Run the expectation suites of `expectations/suites/` over the run's frames, with pandas.

The suites stay Great Expectations JSON, the declaration of every check; this module evaluates
them as GX 1.x does, without importing GX (seconds of start-up, most of one report's run). GX
itself is used where its output is the product: gx_validation.json and Data Docs
(auditor/checks/gx_suites.py). tests/test_suite_parity.py runs every suite both ways.

Semantics kept from GX: a column expectation ignores null values; a pair expectation drops the
rows its `ignore_row_if` names; `row_condition` selects rows first (as DataFrame.query() would:
a comparison with a null is false, except `!=`); `{"$PARAMETER": name}` is read from
thresholds.yaml's suite_parameters; an expectation fails when fewer than `mostly` of the rows it
judges pass, and then every failing row is a Failure. Only the types of SUPPORTED are known; any
other type, keyword or parameter is a load error, never skipped.

    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "interval_gap", "max_value": 0,
                "row_condition": {"type": "comparison", "column": {"name": "op"}, "operator": "==",
                                  "parameter": "eq"}},
     "meta": {"rule": "ARITH001"}}
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auditor.config import TABLES, Config
from auditor.errors import ConfigError
from auditor.frames import DOCUMENT_KEY, FACT_KEY, RELATION_KEY, Frames

KEY_COLUMN = {"documents": DOCUMENT_KEY, "facts": FACT_KEY, "relations": RELATION_KEY}

# A match_regex expectation gives up on a value after this long: a pattern that backtracks
# without end (refused at load where it can be seen) must not hang a run.
REGEX_TIMEOUT_S = 1.0


@dataclass(frozen=True)
class Failure:
    rule: str
    table: str
    key: str  # the failing row's value in KEY_COLUMN[table]


@dataclass(frozen=True)
class Check:
    """One expectation of a suite, its parameters resolved."""
    table: str
    number: int        # its place in the suite, from 1, for messages
    type: str
    rule: str
    kwargs: dict[str, Any]
    where: str         # "path: expectation N (type, rule)"


_COMMON = {"row_condition", "condition_parser", "mostly", "catch_exceptions", "result_format", "description"}
_COLUMN_PAIR = {"column_A", "column_B", "ignore_row_if"}

# type -> the keywords it takes (besides _COMMON) and those it needs.
SUPPORTED: dict[str, tuple[set[str], set[str]]] = {
    "expect_column_values_to_be_between": ({"column", "min_value", "max_value", "strict_min", "strict_max"}, {"column"}),
    "expect_column_values_to_be_in_set": ({"column", "value_set"}, {"column", "value_set"}),
    "expect_column_values_to_match_regex": ({"column", "regex"}, {"column", "regex"}),
    "expect_column_values_to_not_match_regex": ({"column", "regex"}, {"column", "regex"}),
    "expect_column_pair_values_a_to_be_greater_than_b": (_COLUMN_PAIR | {"or_equal"}, {"column_A", "column_B"}),
    "expect_column_pair_values_to_be_equal": (set(_COLUMN_PAIR), {"column_A", "column_B"}),
}


def run_suites(frames: Frames, config: Config) -> list[Failure]:
    """The failing rows of every table, in suite order and, within an expectation, row order."""
    checks = {table: load_checks(config, table) for table in TABLES}  # every suite loads before any runs
    failures: list[Failure] = []
    for table in TABLES:
        frame = frames.table(table)
        columns, keys = Columns(frame), frame[KEY_COLUMN[table]].to_numpy()
        for check in checks[table]:
            failures.extend(Failure(check.rule, table, str(k)) for k in keys[evaluate(check, columns)])
    return failures


def row_by_row(config: Config) -> bool:
    """Whether every expectation judges each row on its own, so that a run's batches may be
    checked apart: not so where one tolerates a share of failing rows (`mostly` below 1), which
    only the whole table decides."""
    return all(check.kwargs.get("mostly", 1) >= 1 for table in TABLES for check in load_checks(config, table))


def load_checks(config: Config, table: str) -> list[Check]:
    """The suite of TABLE as checks; a type, keyword or parameter this module does not know is a
    ConfigError naming the suite and the expectation."""
    path = config.root / "suites" / f"{table}.json"
    parameters = config.thresholds.suite_parameters
    return [_check(path, table, i, entry, parameters)
            for i, entry in enumerate(config.suites[table]["expectations"], start=1)]


def _check(path: Path, table: str, number: int, entry: dict, parameters: dict) -> Check:
    kind, rule = entry["type"], entry["meta"]["rule"]
    where = f"{path}: expectation {number} ({kind}, {rule})"
    if kind not in SUPPORTED:
        raise ConfigError(f"{where}: unknown expectation type; auditor runs {', '.join(sorted(SUPPORTED))}")
    allowed, needed = SUPPORTED[kind]
    kwargs = {name: _resolved(value, parameters, where) for name, value in entry["kwargs"].items()}
    unknown = sorted(set(kwargs) - allowed - _COMMON)
    if unknown:
        raise ConfigError(f"{where}: unknown keyword(s) {', '.join(unknown)}")
    missing = sorted(needed - set(kwargs))
    if missing:
        raise ConfigError(f"{where}: missing keyword(s) {', '.join(missing)}")
    if kwargs.get("condition_parser") not in (None, "great_expectations"):
        raise ConfigError(f"{where}: row_condition must be a condition object, not a {kwargs['condition_parser']} string")
    if kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is None and high is None:
            raise ConfigError(f"{where}: min_value and max_value cannot both be missing")
        if low is not None and high is not None and low > high:
            raise ConfigError(f"{where}: min_value is greater than max_value")
    if kwargs.get("ignore_row_if", "both_values_are_missing") not in _IGNORE_ROW_IF:
        raise ConfigError(f"{where}: ignore_row_if must be one of {', '.join(_IGNORE_ROW_IF)}")
    if "row_condition" in kwargs:
        _condition_mask(kwargs["row_condition"], None, where)  # checks its shape now, not mid-run
    if kind.endswith("match_regex"):
        kwargs["regex"] = _compiled(kwargs["regex"], where)
    return Check(table, number, kind, rule, kwargs, where)


def _resolved(value: Any, parameters: dict, where: str) -> Any:
    """VALUE with each {"$PARAMETER": name} replaced by thresholds.yaml's suite parameter."""
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        name = value["$PARAMETER"]
        if name not in parameters:
            raise ConfigError(f"{where}: $PARAMETER '{name}' is not among thresholds.yaml's suite_parameters")
        return parameters[name]
    return value


def _compiled(pattern: Any, where: str):
    import regex

    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: regex must be a string")
    try:
        return regex.compile(pattern)
    except regex.error as err:
        raise ConfigError(f"{where}: regex does not compile: {err}") from err


# --- evaluation ---------------------------------------------------------------------------

class Columns:
    """A frame's columns as numpy arrays, each converted once per run: the values, and where they
    are null. A comparison only ever sees the values that are not null (a nullable column's pd.NA
    compares to nothing)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame, self._arrays = frame, {}

    def __len__(self) -> int:
        return len(self.frame)

    def __call__(self, name: str, where: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._arrays:
            if name not in self.frame.columns:
                raise ConfigError(f"{where}: the table has no column '{name}'")
            series = self.frame[name]
            values = series.to_numpy(dtype=object) if isinstance(series.dtype, pd.api.extensions.ExtensionDtype) \
                else series.to_numpy()
            self._arrays[name] = (values, series.isna().to_numpy())
        return self._arrays[name]


def evaluate(check: Check, columns: Columns) -> np.ndarray:
    """A boolean array over the rows: those that fail CHECK (none when it succeeds)."""
    kwargs, where = check.kwargs, check.where
    judged = np.ones(len(columns), dtype=bool)
    if "row_condition" in kwargs:
        judged &= _condition_mask(kwargs["row_condition"], columns, where)
    if "column" in kwargs:
        values, null = columns(kwargs["column"], where)
        judged &= ~null
    else:
        (_, null_a), (_, null_b) = columns(kwargs["column_A"], where), columns(kwargs["column_B"], where)
        ignore = kwargs.get("ignore_row_if", "both_values_are_missing")
        judged &= ~(null_a | null_b) if ignore == "either_value_is_missing" else \
            ~(null_a & null_b) if ignore == "both_values_are_missing" else True
    failing = np.zeros(len(columns), dtype=bool)
    if not judged.any():
        return failing
    try:
        passing = _EVALUATORS[check.type](np.flatnonzero(judged), columns, check)
    except TypeError as err:  # a column of text against a number, say: GX fails the same way
        raise ConfigError(f"{where}: cannot compare the values of this column: {err}") from err
    failing[judged] = ~passing
    n_judged, n_failing = int(judged.sum()), int(failing.sum())
    if n_failing and (n_judged - n_failing) / n_judged >= kwargs.get("mostly", 1):
        failing[:] = False
    return failing


def _columns(kwargs: dict) -> list[str]:
    return [kwargs[name] for name in ("column", "column_A", "column_B") if name in kwargs]


_IGNORE_ROW_IF = ("both_values_are_missing", "either_value_is_missing", "neither")


def _bools(values) -> np.ndarray:
    return np.asarray(values, dtype=bool)


def _between(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    kwargs = check.kwargs
    values = columns(kwargs["column"], check.where)[0][rows]
    passing = np.ones(len(rows), dtype=bool)
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None:
        passing &= _bools(values > low if kwargs.get("strict_min") else values >= low)
    if high is not None:
        passing &= _bools(values < high if kwargs.get("strict_max") else values <= high)
    return passing


def _in_set(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    values = columns(check.kwargs["column"], check.where)[0][rows]
    return pd.Series(values, dtype=object).isin(check.kwargs["value_set"] or []).to_numpy()


def _matches(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    pattern = check.kwargs["regex"]

    def found(value: Any) -> bool:
        try:
            return pattern.search(str(value), timeout=REGEX_TIMEOUT_S) is not None
        except TimeoutError as err:
            raise ConfigError(f"{check.where}: regex gave no answer within {REGEX_TIMEOUT_S:g} s on a value "
                              f"of {len(str(value))} characters; simplify the pattern") from err

    return np.fromiter((found(v) for v in columns(check.kwargs["column"], check.where)[0][rows]),
                       dtype=bool, count=len(rows))


def _not_matches(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    return ~_matches(rows, columns, check)


def _pair(rows: np.ndarray, columns: Columns, check: Check, compare) -> np.ndarray:
    """COMPARE(a, b) on the rows where both values are there; a row missing one fails."""
    (a, null_a), (b, null_b) = columns(check.kwargs["column_A"], check.where), columns(check.kwargs["column_B"], check.where)
    both = ~(null_a[rows] | null_b[rows])
    passing = np.zeros(len(rows), dtype=bool)
    passing[both] = _bools(compare(a[rows][both], b[rows][both]))
    return passing


def _greater(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    return _pair(rows, columns, check, operator.ge if check.kwargs.get("or_equal") else operator.gt)


def _equal(rows: np.ndarray, columns: Columns, check: Check) -> np.ndarray:
    return _pair(rows, columns, check, operator.eq)


_EVALUATORS: dict[str, Callable[[np.ndarray, Columns, Check], np.ndarray]] = {
    "expect_column_values_to_be_between": _between,
    "expect_column_values_to_be_in_set": _in_set,
    "expect_column_values_to_match_regex": _matches,
    "expect_column_values_to_not_match_regex": _not_matches,
    "expect_column_pair_values_a_to_be_greater_than_b": _greater,
    "expect_column_pair_values_to_be_equal": _equal,
}


# --- row conditions (GX 1.x condition objects, as PandasExecutionEngine applies them) -----------

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


def _condition_mask(condition: Any, columns: Columns | None, where: str) -> np.ndarray | None:
    """The rows CONDITION selects; with no columns, only checks the condition's shape."""
    if not isinstance(condition, dict):
        raise ConfigError(f"{where}: row_condition must be a condition object (type comparison, nullity, and, or)")
    kind = condition.get("type")
    if kind in ("and", "or"):
        parts = condition.get("conditions")
        if not isinstance(parts, list) or not parts:
            raise ConfigError(f"{where}: an '{kind}' row_condition needs a list of conditions")
        masks = [_condition_mask(part, columns, where) for part in parts]
        if columns is None:
            return None
        return np.logical_and.reduce(masks) if kind == "and" else np.logical_or.reduce(masks)
    column = (condition.get("column") or {}).get("name") if isinstance(condition.get("column"), dict) else None
    if not isinstance(column, str):
        raise ConfigError(f"{where}: a row_condition needs column: {{name: ...}}")
    if kind == "nullity":
        if not isinstance(condition.get("is_null"), bool):
            raise ConfigError(f"{where}: a nullity row_condition needs is_null: true or false")
        return None if columns is None else columns(column, where)[1] == condition["is_null"]
    if kind != "comparison":
        raise ConfigError(f"{where}: unknown row_condition type '{kind}'")
    op, parameter = condition.get("operator"), condition.get("parameter")
    if op in ("IN", "NOT_IN"):
        if not isinstance(parameter, list):
            raise ConfigError(f"{where}: operator {op} needs a list as its parameter")
    elif op not in _COMPARE or parameter is None:
        raise ConfigError(f"{where}: a comparison needs an operator ({', '.join(_COMPARE)}, IN, NOT_IN) and a parameter")
    if columns is None:
        return None
    values, null = columns(column, where)
    if op in ("IN", "NOT_IN"):
        found = pd.Series(values, dtype=object).isin(parameter).to_numpy() & ~null
        return found if op == "IN" else ~found
    selected = np.full(len(values), op == "!=")  # a null differs from every value, equals none
    try:
        selected[~null] = _bools(_COMPARE[op](values[~null], parameter))
    except TypeError as err:
        raise ConfigError(f"{where}: row_condition cannot compare column '{column}' with {parameter!r}: {err}") from err
    return selected
