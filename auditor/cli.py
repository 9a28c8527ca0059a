"""Command line: parse options, call the library, write the outputs, choose the exit status.

Only typer is imported at start-up, so `auditor --help` is instant; pandas, pandera and Great
Expectations are imported inside the commands that use them.
"""

from __future__ import annotations

import atexit
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__

EXIT_OK, EXIT_FLAGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    help="Audit the figures of published government reports: extract, check, flag.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


Paths = Annotated[list[Path], typer.Argument(help="Report files (.txt, .html, .htm) or folders, read recursively.")]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs; created if missing.")]
ExpectationsDir = Annotated[
    Optional[Path],
    typer.Option("--expectations", help="Expectations folder (rules, thresholds, vocabulary, suites). "
                                        "Default: ./expectations if present, else the packaged one."),
]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Audit the figures of published government reports: extract, check, flag."""


Jobs = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                                             help="Worker processes reading reports. Default: the number of cores.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print one line per report.")]


@app.command()
def audit(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    fail_on: Annotated[FailOn, typer.Option(help="Exit with status 1 when a flag is at least this severe.")] = FailOn.error,
    formats: Annotated[Optional[list[str]], typer.Option(
        "--format", "-f",
        help="Outputs to write, repeated or comma-separated: json, csv, md, xlsx, html, junit, sarif, gx. "
             "Default: all of them.")] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        help="Baseline of accepted flags (from `auditor baseline`): reported as baselined, not counted for --fail-on.")] = None,
    data_docs: Annotated[bool, typer.Option(
        "--data-docs", help="Also build Great Expectations Data Docs in OUT/data_docs/. "
                            "Note: Data Docs load their CSS and JS from CDNs, so they render poorly offline.")] = False,
    lang: Annotated[Lang, typer.Option(help="Language of the flag messages.")] = Lang.zh,
    jobs: Jobs = None,
    expectations: ExpectationsDir = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    debug: Debug = False,
    history: HistoryStore = None,
    no_history: NoHistory = False,
) -> None:
    """Extract every figure, run the expectation suites, write the flags and reports."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.pipeline import audit as run_audit, no_cyclic_gc
        from auditor.report.out_folder import held_output_folder
        from auditor.report.writers import AsideWriters, check_formats, write_audit
        from auditor import terminal

        chosen = check_formats(_split(formats))
        config = load_config(expectations)
        accepted = _load_baseline(baseline)
        verbosity = _verbosity(quiet, verbose)
        workers = _jobs(jobs)
        # The output folder is checked and held before any report is read. The cyclic collector
        # off: the same peak memory without it at 10,000 reports. The writers that run beside the
        # CSV writer start up while the checks run.
        with held_output_folder(out), no_cyclic_gc(), AsideWriters(chosen, workers) as aside:
            store = _history(history, no_history, out)
            with terminal.progress_bar(None, verbosity) as progress:
                result = run_audit(paths, config, lang.value, workers, progress,
                                   after_reading=lambda records: aside.prepare(len(records)), exclude=[out],
                                   history=store)
            if accepted is not None:
                from auditor.baseline import apply_baseline

                apply_baseline(result.flags, accepted)
            write_audit(out, result, config, chosen, workers, aside)
            aside.finish()
            if data_docs:
                from auditor.report.gx_results import build_data_docs

                build_data_docs(out, result.frames, config)
        terminal.print_summary(result.records, result.flags, out, verbosity)
        _history_notes(store)
    _report_lost_reports(result.records, debug)
    raise typer.Exit(_exit_status(result.flags, fail_on))


# --- the history store (auditor/history/): two options of `audit`, and the `history` commands ---

HistoryStore = Annotated[Optional[Path], typer.Option(
    "--history", help="History store of audited reports (last year's reports come from it, this run's go into it). "
                      "Default: OUT/audit_history.duckdb.")]
NoHistory = Annotated[bool, typer.Option("--no-history", help="Neither read nor write a history store.")]


def _history(path: Path | None, off: bool, out: Path):
    if off:
        return None
    from auditor.history.tracked import History, default_store_path

    return History(path or default_store_path(out), explicit=path is not None)


def _history_notes(store) -> None:
    for note in store.notes if store is not None else ():
        typer.echo(f"auditor: history: {note}", err=True)


from auditor.history.commands import history_app  # noqa: E402 - typer only; the commands import the rest

app.add_typer(history_app, name="history")


@app.command()
def extract(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    jobs: Jobs = None,
    expectations: ExpectationsDir = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    debug: Debug = False,
) -> None:
    """Extract the figures only: write facts.csv and reports.csv, run no checks."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.ingest.discover import display_name
        from auditor.pipeline import extract as run_extract
        from auditor.report.out_folder import held_output_folder
        from auditor.report.writers import write_extract
        from auditor import terminal

        config = load_config(expectations)
        verbosity = _verbosity(quiet, verbose)
        with held_output_folder(out):
            with terminal.progress_bar(None, verbosity) as progress:
                records, frames = run_extract(paths, config, _jobs(jobs), progress, exclude=[out])
            write_extract(out, records, frames)
        if verbosity:
            ok = sum(r.document["status"] == "ok" for r in records)
            typer.echo(f"{len(records)} report(s), {ok} read, {len(frames.facts)} figure(s) -> "
                       f"{display_name(out)}/facts.csv")
    _report_lost_reports(records, debug)


@app.command()
def baseline(
    source: Annotated[Path, typer.Argument(help="An audit's flags.json (every flag), or a reviewed flags.xlsx "
                                                "(the rows marked 误报 or 已整改).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The baseline file to write.")] = Path("baseline.json"),
    debug: Debug = False,
) -> None:
    """Write a baseline of accepted flags, for `auditor audit --baseline`."""
    with _user_errors(debug):
        from auditor.baseline import write_baseline
        from auditor.ingest.discover import display_name

        count = write_baseline(source, output)
        typer.echo(f"{count} flag(s) -> {display_name(output)}")


@app.command()
def rules(
    lang: Annotated[Lang, typer.Option(help="Language of the summaries.")] = Lang.en,
    expectations: ExpectationsDir = None,
    debug: Debug = False,
) -> None:
    """List the rules: code, name, category, severity, summary."""
    with _user_errors(debug):
        from auditor.config import load_config

        config = load_config(expectations)
        rules = list(config.rules.values())
        code, name, category = (max((len(getattr(r, field)) for r in rules), default=0)
                                for field in ("code", "name", "category"))
        for rule in rules:
            typer.echo(f"{rule.code:<{code}}  {rule.name:<{name}}  {rule.category:<{category}}  {rule.severity:<7}  "
                       f"{rule.summary}")


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code, as `auditor rules` lists them (DATE003).")],
    expectations: ExpectationsDir = None,
    debug: Debug = False,
) -> None:
    """Explain a rule: what it checks, why, a passage it flags and one it passes."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.errors import AuditorError

        config = load_config(expectations)
        rule = config.rules.get(code.strip().upper())
        if rule is None:
            raise AuditorError(f"unknown rule '{code}' (`auditor rules` lists them)")
        typer.echo(_explanation(rule))


def _explanation(rule) -> str:
    """A rule's docs as `ruff rule` prints them: Markdown, passages in fenced blocks."""
    return "\n".join([
        f"# {rule.name} ({rule.code})", "",
        f"Category: {rule.category} · Severity: {rule.severity} · Table: {rule.table}", "",
        rule.summary, "",
        "## What it does", rule.docs["what"].strip(), "",
        "## Why is this bad?", rule.docs["why"].strip(), "",
        "## Example", "```text", rule.docs["fail"].strip("\n"), "```", "",
        "## Use instead", "```text", rule.docs["pass"].strip("\n"), "```",
    ])


def _exit_status(flags: list[dict], fail_on: FailOn) -> int:
    if fail_on is FailOn.never:
        return EXIT_OK
    from auditor.flags import severity_rank

    threshold = severity_rank(fail_on.value)
    counted = [f for f in flags if not f.get("baselined")]
    return EXIT_FLAGS if any(severity_rank(f["severity"]) <= threshold for f in counted) else EXIT_OK


def _report_lost_reports(records, debug: bool) -> None:
    """A bug met while reading some reports: the run went on and wrote every output, and now
    names each report it lost (with --debug, its traceback) and exits 3, never 0 or 1."""
    lost = [r for r in records if r.internal_error]
    for record in lost:
        typer.echo(f"auditor: {record.document['report']}: {record.document['reason']}", err=True)
        if debug:
            typer.echo(record.internal_error, err=True)
    if lost:
        typer.echo(f"auditor: internal error: {len(lost)} report(s) could not be audited; every other report "
                   "was, and the outputs are written", err=True)
        raise typer.Exit(EXIT_INTERNAL)


def _split(values: list[str] | None) -> list[str] | None:
    """--format json,csv --format md -> [json, csv, md]."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _jobs(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


def _verbosity(quiet: bool, verbose: bool):
    from auditor.terminal import Verbosity

    if quiet and verbose:
        from auditor.errors import AuditorError

        raise AuditorError("--quiet and --verbose exclude each other")
    return Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL


def _load_baseline(path: Path | None):
    if path is None:
        return None
    from auditor.baseline import load_baseline

    return load_baseline(path)


class _user_errors:
    """Errors a user can cause: one line on stderr and status 2. Anything else: one line and 3."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        from auditor.errors import AuditorError
        from auditor.ingest.discover import escape_surrogates  # a path the user gave may hold them

        if error is None or self.debug or isinstance(error, (typer.Exit, KeyboardInterrupt)):
            return False
        if isinstance(error, (AuditorError, OSError)):
            typer.echo(f"auditor: error: {escape_surrogates(str(error))}", err=True)
            raise typer.Exit(EXIT_USAGE)
        # A bug, not a finding: a distinct status so that a CI gate never reads it as "flags found".
        typer.echo(f"auditor: internal error: {kind.__name__}: {escape_surrogates(str(error))} "
                   "(run again with --debug for details)", err=True)
        raise typer.Exit(EXIT_INTERNAL)


def main() -> None:
    """The console script: the commands, then an exit that leaves the memory to the OS. Freeing a
    big run's objects one by one took 1.4 s at 10,000 reports; the exit handlers (temporary
    folders, worker processes) still run, and the output streams are flushed."""
    try:
        app()
        status = 0
    except SystemExit as stop:
        status = stop.code
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
