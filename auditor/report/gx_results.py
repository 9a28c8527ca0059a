"""gx_validation.json and the optional Great Expectations Data Docs site.

gx_validation.json holds the Great Expectations validation result of each table (documents,
facts, relations) as GX reports it, with one change so that two audits of the same inputs
write the same bytes. Values that only record when or under which id the run happened are
removed (see VOLATILE). Keys are sorted. The file lists what it removed under "normalised".

Data Docs are GX's static HTML site. They are opt-in because the pages load CSS and JavaScript
from public CDNs: building works offline, but a reader offline sees unstyled pages.
Great Expectations is imported only inside build_data_docs(), since importing it takes seconds.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.config import TABLES, Config
from auditor.frames import Frames
from auditor.pipeline import AuditResult
from auditor.report.files import write_atomic

DATA_DOCS_SITE = "auditor"

# Paths (from a table's result) of values that change on every run and say nothing about the data.
VOLATILE: tuple[tuple[str, ...], ...] = (
    ("id",),                                    # a result id some stores assign
    ("result_url",),                            # GX Cloud only
    ("meta", "run_id"),                         # run name and time, when run through a ValidationDefinition
    ("meta", "validation_time"),
    ("meta", "checkpoint_id"),
    ("meta", "validation_id"),                  # a uuid per ValidationDefinition
    ("meta", "batch_markers", "ge_load_time"),  # when pandas handed over the frame
    # GX hashes a pickle of the frame when it holds dicts (the evidence): the bytes depend on which
    # equal strings happen to be one object, so the value changes with --jobs, not with the data
    ("meta", "batch_markers", "pandas_data_fingerprint"),
)


def write_gx_results(out: Path, result: AuditResult, config: Config) -> None:
    """Write out/gx_validation.json, validating the frames with GX now unless the result holds
    GX's results already (the audit's own checks run without GX: auditor/checks/suites.py)."""
    if result.validation is None:
        from auditor.checks.gx_suites import run_suites

        result.validation = run_suites(result.frames, config)[1]
    document = {
        "tool": {"name": "auditor", "version": __version__},
        "normalised": {"removed": [".".join(path) for path in VOLATILE],
                       "why": "run-time ids and timestamps; with them removed, two runs over the same inputs give the same file"},
        "tables": {table: normalise(result.validation[table]) for table in _table_order(result.validation)},
    }
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=_plain)
    write_atomic(out / "gx_validation.json", data.encode("utf-8") + b"\n")


def normalise(table_result: dict) -> dict:
    """A copy of one table's validation result without its VOLATILE values."""
    cleaned = copy.deepcopy(table_result)
    for path in VOLATILE:
        parent = cleaned
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    return cleaned


def build_data_docs(out: Path, frames: Frames, config: Config) -> Path | None:
    """Build GX Data Docs for the run's frames into out/data_docs/. Returns the path of its index.html,
    or None if GX built no index.

    The suites run again here, on a context of their own. The run itself validates through
    batch.validate(), which keeps nothing, but Data Docs render from what a context has
    stored. ValidationDefinition.run() stores each result, and context.build_data_docs() then
    renders all three tables at once. A Checkpoint with UpdateDataDocsAction would render the
    site once per table, because each table is a different dataframe and needs a run of its own.
    """
    from auditor.checks.gx_suites import import_gx, _quiet

    gx = import_gx()
    out.mkdir(parents=True, exist_ok=True)
    target = out / "data_docs"
    # Build beside the target and swap it in: a failed build leaves the previous site intact.
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".data_docs."))
    staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served and shared
    try:
        context = gx.get_context(mode="ephemeral")
        _quiet(context)
        _add_site(context, staging)
        _validate_and_store(gx, context, frames, config)
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
        if not (staging / "index.html").is_file():
            return None
        _replace_dir(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "index.html"


def _add_site(context, base_directory: Path) -> None:
    context.add_data_docs_site(
        site_name=DATA_DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            # An absolute path: an ephemeral context has no root folder to resolve a relative one against.
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(base_directory.resolve())},
        },
    )


def _validate_and_store(gx, context, frames: Frames, config: Config) -> None:
    from great_expectations.core.run_identifier import RunIdentifier

    from auditor.checks.gx_suites import KEY_COLUMN, _suite

    source = context.data_sources.add_pandas("auditor")
    run_id = RunIdentifier(run_name="auditor")  # one run for all three tables: they show up together in the site
    for table in TABLES:
        suite = context.suites.add(_suite(gx, table, config))
        batch_definition = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("run")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch_definition, suite=suite))
        definition.run(
            batch_parameters={"dataframe": frames.table(table)},
            expectation_parameters=config.thresholds.suite_parameters,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [KEY_COLUMN[table]],
                           "return_unexpected_index_query": False},
            run_id=run_id,
        )


def _replace_dir(new: Path, target: Path) -> None:
    """Put new in target's place; the old site is moved aside before it is removed."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=".data_docs.old."))
        target.rename(old / "site")
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _table_order(validation: dict) -> list[str]:
    return [t for t in TABLES if t in validation] + sorted(t for t in validation if t not in TABLES)


def _plain(value: Any) -> Any:
    """Whatever json cannot write by itself. A Decimal becomes an int when it is whole, otherwise its exact string."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)
