"""Command line: parse options, call the library, write the outputs, choose the exit status.

Only typer is imported at start-up, so `auditor --help` is instant; pandas, pandera and Great
Expectations are imported inside the commands that use them.
"""

from __future__ import annotations

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


@app.command()
def audit(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    fail_on: Annotated[FailOn, typer.Option(help="Exit with status 1 when a flag is at least this severe.")] = FailOn.error,
    lang: Annotated[Lang, typer.Option(help="Language of the flag messages.")] = Lang.zh,
    expectations: ExpectationsDir = None,
    debug: Debug = False,
) -> None:
    """Extract every figure, run the expectation suites, write flags.json, CSVs and summary.md."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.pipeline import audit as run_audit
        from auditor.report.writers import write_audit

        config = load_config(expectations)
        result = run_audit(paths, config, lang.value)
        write_audit(out, result, config)
        _print_audit_summary(result, out)
    raise typer.Exit(_exit_status(result.flags, fail_on))


@app.command()
def extract(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    expectations: ExpectationsDir = None,
    debug: Debug = False,
) -> None:
    """Extract the figures only: write facts.csv and reports.csv, run no checks."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.pipeline import extract as run_extract
        from auditor.report.writers import write_extract

        config = load_config(expectations)
        records, frames = run_extract(paths, config)
        write_extract(out, records, frames)
        ok = sum(r.document["status"] == "ok" for r in records)
        typer.echo(f"{len(records)} report(s), {ok} read, {len(frames.facts)} figure(s) -> {out}/facts.csv")


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
        for rule in config.rules.values():
            typer.echo(f"{rule.code}  {rule.name:<32} {rule.category:<11} {rule.severity:<8} {rule.summary}")


def _exit_status(flags: list[dict], fail_on: FailOn) -> int:
    if fail_on is FailOn.never:
        return EXIT_OK
    from auditor.flags import severity_rank

    threshold = severity_rank(fail_on.value)
    return EXIT_FLAGS if any(severity_rank(f["severity"]) <= threshold for f in flags) else EXIT_OK


def _print_audit_summary(result, out: Path) -> None:
    from collections import Counter

    counts = Counter(f["severity"] for f in result.flags)
    unreadable = sum(r.document["status"] != "ok" for r in result.records)
    typer.echo(
        f"{len(result.records)} report(s), {unreadable} unreadable; "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info -> {out}/"
    )


class _user_errors:
    """Errors a user can cause: one line on stderr and status 2. Anything else: one line and 3."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        from auditor.errors import AuditorError

        if error is None or self.debug or isinstance(error, (typer.Exit, KeyboardInterrupt)):
            return False
        if isinstance(error, (AuditorError, OSError)):
            typer.echo(f"auditor: error: {error}", err=True)
            raise typer.Exit(EXIT_USAGE)
        # A bug, not a finding: a distinct status so that a CI gate never reads it as "flags found".
        typer.echo(f"auditor: internal error: {kind.__name__}: {error} (run again with --debug for details)", err=True)
        raise typer.Exit(EXIT_INTERNAL)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
