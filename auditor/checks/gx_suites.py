"""Run the expectation suites of `expectations/suites/` over the run's frames with Great Expectations.

An audit's checks run through auditor/checks/suites.py (pandas, no GX import). This module is
for the outputs that are GX's own: gx_validation.json (`--format gx`) and Data Docs, and for the
parity test that holds the two evaluators to the same failing rows. Great Expectations is
imported here and nowhere else: it takes seconds to import. Each suite is validated
once over the whole run's frame, whatever the number of reports, and failures come back per
row through the frame's key column.
"""

from __future__ import annotations

import os

from auditor.checks.suites import KEY_COLUMN, Failure
from auditor.config import TABLES, Config
from auditor.errors import ConfigError
from auditor.frames import Frames

__all__ = ["KEY_COLUMN", "Failure", "run_suites", "import_gx"]


def run_suites(frames: Frames, config: Config, context=None) -> tuple[list[Failure], dict]:
    """Validate every table; return the failing rows and the validation results as JSON. A
    CONTEXT made by new_context() may be given (and reused: each call adds its own source)."""
    gx = import_gx()
    context = context or new_context()
    source = context.data_sources.add_pandas(f"auditor-{len(context.data_sources.all())}")
    failures: list[Failure] = []
    results: dict[str, dict] = {}
    for table in TABLES:
        key, declared = KEY_COLUMN[table], config.suites[table]
        frame, keys = _numbered(_columns_checked(frames.table(table), declared, key), declared, key)
        suite = _suite(gx, table, config)
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("run").get_batch(
            batch_parameters={"dataframe": frame})
        validation = batch.validate(
            suite,
            expectation_parameters=config.thresholds.suite_parameters,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [key],
                           "return_unexpected_index_query": False},
        )
        results[table] = _with_keys(validation.to_json_dict(), key, keys)
        failures.extend(_failures(table, results[table], config))
    return failures, results


def _numbered(frame, suite: dict, key: str):
    """The frame with row numbers in its key column, and the keys they stand for (None where
    the suite reads the key itself). GX hashes every batch's frame, twice: hashing 500,000 text
    keys took 1 s of the 2 s the suites take at 10,000 reports."""
    if key in _column_names(suite.get("expectations", ()), set()):
        return frame, None
    return frame.assign(**{key: range(len(frame))}), frame[key].tolist()


_ROW_LISTS = ("unexpected_index_list", "partial_unexpected_index_list")  # where GX names failing rows


def _with_keys(validation: dict, key: str, keys: list[str] | None) -> dict:
    """The validation results with each failing row named by its key, not by its row number."""
    if keys is None:
        return validation
    for result in validation.get("results", ()):
        for name in _ROW_LISTS:
            for row in (result.get("result") or {}).get(name) or ():
                if key in row:
                    row[key] = keys[row[key]]
    return validation


# Expectations about the table's columns themselves need every column.
_WHOLE_TABLE_TYPES = ("expect_table_column",)


def _columns_checked(frame, suite: dict, key: str):
    """The frame with only the columns the suite reads (and the key): GX copies the frame to
    apply a row condition, and the text columns would make every copy slow."""
    declared = suite.get("expectations", ())
    if any(e.get("type", "").startswith(_WHOLE_TABLE_TYPES) for e in declared):
        return frame
    used = _column_names(declared, {key})
    return frame[[name for name in frame.columns if name in used]]


def _column_names(value, found: set[str]) -> set[str]:
    """Every column a suite names: column, column_A/B, column_list, and a condition's column."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name in ("column", "column_A", "column_B") and isinstance(item, str):
                found.add(item)
            elif name == "column_list" and isinstance(item, list):
                found.update(c for c in item if isinstance(c, str))
            elif name == "column" and isinstance(item, dict) and isinstance(item.get("name"), str):
                found.add(item["name"])
            else:
                _column_names(item, found)
    elif isinstance(value, list):
        for item in value:
            _column_names(item, found)
    return found


def import_gx():
    """The great_expectations module (seconds, the first time)."""
    # No usage statistics: government networks are often offline, and a run must not phone home.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from tqdm import tqdm

    # GX makes tqdm bars even when they are off, and tqdm then starts a monitor thread that
    # outlives the validation; a process with a stray thread cannot fork safely.
    tqdm.monitor_interval = 0
    return gx


def new_context():
    """An ephemeral GX context with its progress bars off."""
    context = import_gx().get_context(mode="ephemeral")
    _quiet(context)
    return context


def _quiet(context) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)


def _suite(gx, table: str, config: Config):
    """Build the suite from its JSON, failing loudly on an expectation type GX does not know.

    Loading a suite through ExpectationSuite(**json) silently drops unknown types, so each
    expectation is instantiated here and the count is checked.
    """
    from great_expectations.expectations.registry import get_expectation_impl

    declared = config.suites[table]["expectations"]
    path = config.root / "suites" / f"{table}.json"
    suite = gx.ExpectationSuite(name=table)
    for i, entry in enumerate(declared, start=1):
        try:
            expectation_class = get_expectation_impl(entry["type"])
            suite.add_expectation(expectation_class(**entry["kwargs"], meta=entry["meta"]))
        except Exception as err:  # GX raises many kinds; all mean the same thing to the user
            raise ConfigError(f"{path}: expectation {i} ({entry['type']}) is not usable: {err}") from err
    if len(suite.expectations) != len(declared):
        raise ConfigError(f"{path}: {len(declared)} expectations declared, {len(suite.expectations)} loaded")
    return suite


def _failures(table: str, validation: dict, config: Config) -> list[Failure]:
    """The failing rows of one table's validation results (as JSON, rows named by key)."""
    key_column = KEY_COLUMN[table]
    path = config.root / "suites" / f"{table}.json"
    failures = []
    for result in validation["results"]:
        rule = result["expectation_config"]["meta"]["rule"]
        exception = result.get("exception_info") or {}
        if exception.get("raised_exception"):
            message = exception.get("exception_message") or "raised an exception"
            raise ConfigError(f"{path}: expectation for {rule} failed to run: {message}")
        if result["success"]:
            continue
        for row in (result.get("result") or {}).get("unexpected_index_list") or ():
            failures.append(Failure(rule, table, str(row[key_column])))
    return failures
