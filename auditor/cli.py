"""Command line: parse options, call the library, write the outputs, choose the exit status.

Only typer is imported at start-up, so `auditor --help` is instant; pandas, pandera and Great
Expectations are imported inside the commands that use them. Every error a user can cause,
typer's own usage errors included, is one line on stderr; Ctrl-C stops a run at once.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperArgument, TyperGroup

from auditor import __version__
from auditor.flag import Flag
from auditor.speed import exit_leaving_memory, hypothesis_unseen, no_cyclic_gc_from_start

EXIT_OK, EXIT_FLAGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# An audit holds the figures of this many reports at a time (auditor.pipeline.AuditRun): the peak
# memory is mostly one batch checked. Against 1,000, 500 lowers the peak by some 110 MB at 10,000
# and 50,000 reports (`python -m bench.run --sizes 2000,10000,50000`); each batch's fixed costs
# (pandera, the suites, the store, the CSV writers) add about 0.13 s per 1,000 reports with 500
# and 0.5 s with 250 (`python -m bench.phases --size 10000 --batch 1000` beside `--batch 500`).
BATCH_REPORTS = 500


def _plain_help(params: list) -> list:
    """Each value shown by its name in help (PATH..., N, DIR), not by its Python type (<list[Path]>,
    <bool>): an argument by its metavar, a flag by nothing."""
    for param in params:
        if getattr(param, "_plain_help", False):
            continue
        param._plain_help = True
        if isinstance(param, TyperArgument):
            param.metavar = (param.metavar or param.name.upper()) + ("..." if param.nargs != 1 else "")
            param.display_type_rich = lambda ctx: None
            param.get_usage_pieces = lambda ctx, shown=param.metavar: [shown]
        elif getattr(param, "is_flag", False):
            param.display_type_rich = lambda ctx: None
    return params


class PlainHelpGroup(TyperGroup):
    """auditor and every command under it, their help in plain words (_plain_help)."""

    def get_params(self, ctx):
        return _plain_help(super().get_params(ctx))

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None and not getattr(command, "_plain_help_params", False):
            command._plain_help_params = True
            original = command.get_params
            command.get_params = lambda ctx, original=original: _plain_help(original(ctx))
        return command


app = typer.Typer(
    cls=PlainHelpGroup,
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


class OutputFormat(str, Enum):
    full = "full"
    concise = "concise"
    json = "json"
    github = "github"
    sarif = "sarif"


Paths = Annotated[list[Path], typer.Argument(metavar="PATH", help="Report files (.txt, .html, .htm, .pdf, .docx) "
                                                                  "or folders, read recursively.")]
OutDir = Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the outputs; created if missing.")]
ExpectationsDir = Annotated[
    Optional[Path],
    typer.Option("--expectations", metavar="DIR",
                 help="Expectations folder (rules, thresholds, vocabulary, suites). "
                      "Default: ./expectations if present, else the packaged one."),
]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]
Select = Annotated[Optional[list[str]], typer.Option(
    "--select", metavar="RULES",
    help="Apply only these rules: codes (ARITH001), prefixes (ARITH), categories (arithmetic) or ALL; "
         "repeated or comma-separated. Default: the rules rules.yaml enables.")]
ExtendSelect = Annotated[Optional[list[str]], typer.Option(
    "--extend-select", metavar="RULES", help="Apply these rules too (a rule rules.yaml disables, say).")]
Ignore = Annotated[Optional[list[str]], typer.Option(
    "--ignore", metavar="RULES", help="Leave these rules out. The most specific selector wins; on a tie, --ignore.")]


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


Jobs = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, metavar="N",
                                             help="Worker processes reading reports. Default: the number of cores.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors (and --output-format json, "
                                                           "sarif or github when asked for).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print one line per report.")]
FollowLinks = Annotated[bool, typer.Option(
    "--follow-links", help="Read the targets of symlinks in a folder named that lead out of it (refused by default).")]


@app.command()
def audit(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    fail_on: Annotated[FailOn, typer.Option(
        metavar="LEVEL", help="Exit with status 1 when a flag that is not baselined is at least this severe: "
                              "error, warning, info, or never.")] = FailOn.error,
    formats: Annotated[Optional[list[str]], typer.Option(
        "--format", "-f", metavar="FORMATS",
        help="Outputs to write, repeated or comma-separated: json, csv, md, xlsx, html, junit, sarif, gx. "
             "Default: all of them but gx (Great Expectations' validation results, seconds slower). "
             "Outputs of an earlier run that this one does not write are removed.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--output-format", metavar="FORMAT",
        help="How the flags are printed: full (path:line:col, the message and the quoted sentence), concise "
             "(one line each), json, github (annotations) or sarif.")] = OutputFormat.full,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="Print the count of flags per rule instead of the flags.")] = False,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    baseline: Annotated[Optional[Path], typer.Option(
        metavar="FILE",
        help="Baseline of accepted flags (from `auditor baseline`): reported as baselined, not counted for "
             "--fail-on. A file that does not exist yet is a warning: every flag counts.")] = None,
    data_docs: Annotated[bool, typer.Option(
        "--data-docs", help="Also build Great Expectations Data Docs in OUT/data_docs/. "
                            "Note: Data Docs load their CSS and JS from CDNs, so they render poorly offline.")] = False,
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of the messages and of the outputs "
                                                              "written for a reader.")] = Lang.zh,
    jobs: Jobs = None,
    expectations: ExpectationsDir = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    debug: Debug = False,
    history: HistoryStore = None,
    no_history: NoHistory = False,
    follow_links: FollowLinks = False,
) -> None:
    """Extract every figure, run the expectation suites, print and write the flags."""
    with _user_errors(debug), _interruptible() as stop:
        from auditor.config import load_config
        from auditor.ingest.discover import refuse_missing
        from auditor.selection import choose_rules, with_rules

        # A mistyped path or rule is refused before pandas and the pipeline are imported (about a
        # second): `auditor audit no/such/folder` answers in 0.3-0.5 s, against 1.3-1.5 s.
        refuse_missing(paths)
        config = load_config(expectations)
        applied = choose_rules(config, select, extend_select, ignore)

        from auditor.pipeline import AuditRun
        from auditor.speed import no_cyclic_gc
        from auditor.report.out_folder import held_output_folder
        from auditor.report.writers import RunOutputs, check_formats, shown_facts
        from auditor.settings_checks import check_columns
        from auditor import terminal

        chosen = check_formats(_split(formats))
        check_columns(config)  # the columns are the frames' (pandas): checked here, not by every command
        config = with_rules(config, applied)
        accepted = _load_baseline(baseline, out)
        verbosity = _verbosity(quiet, verbose)
        # Great Expectations validates the run's whole frames: gx_validation.json and Data Docs
        # have the run in one batch
        whole = "gx" in chosen or data_docs
        with held_output_folder(out), no_cyclic_gc():
            store = _history(history, no_history, out)
            with terminal.display(verbosity) as shown:
                def phase(name: str) -> None:
                    stop.check()
                    shown.phase(name)

                run = AuditRun(paths, config, lang.value, _jobs(jobs), shown.progress if shown.active else None,
                               exclude=[out], history=store, phase=phase, follow_links=follow_links,
                               batch_reports=None if whole else BATCH_REPORTS, keep_facts=shown_facts)
                with run, RunOutputs(out, config, chosen, data_docs) as outputs:
                    for batch in run.batches():
                        outputs.add(batch)
                        del batch  # the run builds the next one without it
                    result = run.result()
                    result.flags = _marked_reviews(result.flags, accepted, out)
                    outputs.finish(result, phase)
                removed = outputs.removed
                if data_docs:
                    from auditor.report.gx_results import build_data_docs

                    shown.phase("building Data Docs")
                    build_data_docs(out, result.frames, config)
        _print_results(result, config, out, output_format, statistics, verbosity, removed)
        _history_notes(store)
    _report_lost_reports(result.records, debug)
    raise typer.Exit(_exit_status(result.flags, fail_on))


# --- the history store (auditor/history/): two options of `audit`, and the `history` commands ---

HistoryStore = Annotated[Optional[Path], typer.Option(
    "--history", metavar="FILE",
    help="History store of audited reports (last year's reports come from it, this run's go into it). "
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

app.add_typer(history_app, name="history", cls=PlainHelpGroup)


@app.command()
def extract(
    paths: Paths,
    out: OutDir = Path("audit_out"),
    jobs: Jobs = None,
    expectations: ExpectationsDir = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    debug: Debug = False,
    follow_links: FollowLinks = False,
) -> None:
    """Extract the figures only: write facts.csv and reports.csv, run no checks."""
    with _user_errors(debug), _interruptible():
        from auditor.config import load_config
        from auditor.ingest.discover import display_name
        from auditor.pipeline import extract_batches
        from auditor.report.out_folder import held_output_folder
        from auditor.report.writers import write_extract
        from auditor import terminal

        config = load_config(expectations)
        verbosity = _verbosity(quiet, verbose)
        with held_output_folder(out):
            with terminal.display(verbosity) as shown:
                shown.phase("reading, writing facts.csv")
                batches = extract_batches(paths, config, _jobs(jobs), shown.progress if shown.active else None,
                                          exclude=[out], follow_links=follow_links, batch_reports=BATCH_REPORTS)
                records, figures, removed = write_extract(out, batches)
        if verbosity:
            _pipe_safe(lambda: typer.echo(
                f"{len(records)} report(s), {sum(r.document['status'] == 'ok' for r in records)} read, "
                f"{figures} figure(s) -> {display_name(out)}/facts.csv"))
            _note_removed(removed, out)
    _report_lost_reports(records, debug)


@app.command()
def baseline(
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="An audit's flags.json (every flag), or a "
                                                                 "reviewed flags.xlsx (the rows marked 误报 or 已整改).")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The baseline file to write.")] = Path("baseline.json"),
    debug: Debug = False,
) -> None:
    """Write a baseline of accepted flags, for `auditor audit --baseline`."""
    with _user_errors(debug):
        from auditor.baseline import write_baseline
        from auditor.ingest.discover import display_name

        count = write_baseline(source, output)
        _pipe_safe(lambda: typer.echo(f"{count} flag(s) -> {display_name(output)}"))


@app.command()
def rules(
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of the names and summaries.")] = Lang.en,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    expectations: ExpectationsDir = None,
    debug: Debug = False,
) -> None:
    """List the rules: code, on or off (rules.yaml's enabled, then --select and --ignore), name, category, severity, summary."""
    with _user_errors(debug):
        from auditor.config import load_config
        from auditor.i18n import ENABLED_WORDS, category_word, display_width, pad, severity_word
        from auditor.selection import choose_rules

        config = load_config(expectations)
        applied = choose_rules(config, select, extend_select, ignore)
        words = lang.value
        table = [(rule.code, ENABLED_WORDS[words][rule.code in applied],
                  rule.title(words) if words == "zh" else rule.name, category_word(rule.category, words),
                  severity_word(rule.severity, words), rule.text("summary", words)) for rule in config.rules.values()]
        widths = [max(display_width(row[i]) for row in table) for i in range(5)]
        _pipe_safe(lambda: [typer.echo("  ".join(pad(cell, widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
                            for row in table])


@app.command()
def explain(
    code: Annotated[str, typer.Argument(metavar="CODE", help="A rule code, as `auditor rules` lists them (DATE003).")],
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of the explanation.")] = Lang.en,
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
        _pipe_safe(lambda: typer.echo(_explanation(rule, lang.value)))


_EXPLAIN_WORDS = {
    "en": ("Category", "Severity", "Table", "Enabled", "What it does", "Why is this bad?", "Example", "Use instead"),
    "zh": ("类别", "严重程度", "数据表", "默认启用", "检查什么", "为什么重要", "会被标记的写法", "不会被标记的写法"),
}


def _explanation(rule, lang: str = "en") -> str:
    """A rule's docs as `ruff rule` prints them: Markdown, passages in fenced blocks."""
    from auditor.i18n import ENABLED_WORDS, category_word, severity_word

    category, severity, table, enabled, what, why, example, instead = _EXPLAIN_WORDS[lang]
    title = rule.title(lang) if lang == "zh" else rule.name
    return "\n".join([
        f"# {title} ({rule.code})", "",
        f"{category}: {category_word(rule.category, lang)} · {severity}: {severity_word(rule.severity, lang)} · "
        f"{table}: {rule.table} · {enabled}: {ENABLED_WORDS[lang][rule.enabled]}", "",
        rule.text("summary", lang), "",
        f"## {what}", rule.text("what", lang).strip(), "",
        f"## {why}", rule.text("why", lang).strip(), "",
        f"## {example}", "```text", rule.docs["fail"].strip("\n"), "```", "",
        f"## {instead}", "```text", rule.docs["pass"].strip("\n"), "```",
    ])


def _marked_reviews(flags: list[Flag], accepted: dict | None, out: Path) -> list[Flag]:
    """The flags with their review state, from the baseline and the workbook a reviewer left in OUT."""
    from auditor.report.workbook import WORKBOOK_NAME, read_reviews
    from auditor.review import attach_reviews

    return attach_reviews(flags, accepted, read_reviews(Path(out) / WORKBOOK_NAME))


def _print_results(result, config, out: Path, output_format: OutputFormat, statistics: bool, verbosity,
                   removed: list[str]) -> None:
    """The flags on stdout in the format asked for, then one summary line (on stderr when stdout
    holds a JSON or SARIF document)."""
    from auditor import listing, terminal

    machine = output_format.value in listing.MACHINE_FORMATS
    human = sys.stderr if machine else sys.stdout
    quiet = verbosity is terminal.Verbosity.QUIET

    def emit() -> None:
        if verbosity is terminal.Verbosity.VERBOSE:
            listing.print_lines(terminal.report_lines(result.records, result.flags), human)
        if statistics:
            if output_format is OutputFormat.json:
                print(listing.dumps(listing.statistics_rows(result.flags)))
            elif not quiet:
                titles = {code: rule.title(result.lang) for code, rule in config.rules.items()}
                listing.print_lines(listing.statistics_lines(result.flags, titles))
        elif output_format is OutputFormat.json:
            from auditor.report.json_report import flags_document

            print(listing.dumps(flags_document(result.records, result.flags, config)))
        elif output_format is OutputFormat.sarif:
            from auditor.report.sarif import build_sarif

            print(listing.dumps(build_sarif(result, config)))
        elif output_format is OutputFormat.github:
            names = {code: rule.title(result.lang) for code, rule in config.rules.items()}
            listing.print_lines(listing.github_lines(result.flags, names))
        elif not quiet:
            interactive = sys.stdout.isatty() and not os.environ.get("CI")
            width = _terminal_width() if interactive else None
            colour = interactive and not os.environ.get("NO_COLOR")
            listing.print_lines(listing.text_lines(result.flags, output_format is OutputFormat.concise, colour, width))
        if not quiet:
            print(terminal.summary_line(result.records, result.flags, out), file=human, flush=True)
            _note_removed(removed, out, human)

    _pipe_safe(emit)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _note_removed(removed: list[str], out: Path, stream=None) -> None:
    if removed:
        from auditor.ingest.discover import display_name

        print(f"Removed from {display_name(out)}/ the outputs of an earlier run that this one did not write: "
              + ", ".join(removed), file=stream or sys.stdout, flush=True)


def _pipe_safe(action) -> None:
    """Run ACTION, which prints; a reader that stops reading (`auditor rules | head -1`) ends the
    printing quietly, and the command keeps its exit status."""
    try:
        action()
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that nothing more written to it, or flushed at exit, fails."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _exit_status(flags: list[Flag], fail_on: FailOn) -> int:
    if fail_on is FailOn.never:
        return EXIT_OK
    from auditor.flags import severity_rank

    threshold = severity_rank(fail_on.value)
    counted = [f for f in flags if not f.baselined]
    return EXIT_FLAGS if any(severity_rank(f.severity) <= threshold for f in counted) else EXIT_OK


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


def _load_baseline(path: Path | None, out: Path):
    """The baseline's entries by id; None without one. A baseline that does not exist yet (the first
    run of a CI job that writes it later) is a warning, and every flag counts."""
    if path is None:
        return None
    from auditor.baseline import load_baseline
    from auditor.ingest.discover import display_name

    if not Path(path).exists():
        typer.echo(f"auditor: warning: baseline {display_name(path)} does not exist yet, so every flag counts; "
                   f"write one with `auditor baseline {display_name(out)}/flags.json -o {display_name(path)}`",
                   err=True)
        return None
    return load_baseline(path)


class _user_errors:
    """Errors a user can cause: one line on stderr and status 2. Anything else: one line and 3.
    --debug adds the traceback and changes no status: a bug is 3 with it or without it."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        from auditor.errors import AuditorError
        from auditor.ingest.discover import escape_surrogates  # a path the user gave may hold them

        if error is None or isinstance(error, (typer.Exit, KeyboardInterrupt)):
            return False
        if isinstance(error, BrokenPipeError):  # the reader of stdout went away: nothing to say
            _silence_stdout()
            return False
        if self.debug:
            import traceback as tb

            typer.echo("".join(tb.format_exception(kind, error, traceback)).rstrip(), err=True)
        if isinstance(error, (AuditorError, OSError)):
            typer.echo(f"auditor: error: {escape_surrogates(str(error))}", err=True)
            raise typer.Exit(EXIT_USAGE)
        # A bug, not a finding: a distinct status so that a CI gate never reads it as "flags found".
        hint = "" if self.debug else " (run again with --debug for details)"
        typer.echo(f"auditor: internal error: {kind.__name__}: {escape_surrogates(str(error))}{hint}", err=True)
        raise typer.Exit(EXIT_INTERNAL)


class _interruptible:
    """Ctrl-C (SIGINT) or SIGTERM during a run: say so, stop the worker processes and the writer
    beside at once (they ignore Ctrl-C and would otherwise finish their share first), and unwind,
    which removes the --out lock, the run's staging folder and any half-written temporary file;
    the outputs of the previous run stay whole (auditor.report.out_folder). The run exits with
    status 130 after Ctrl-C, 143 (128 + 15) after SIGTERM. A second signal exits at once."""

    def __enter__(self) -> _interruptible:
        import signal

        self._signals = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
        self._previous = {}
        self._received = None
        try:
            for number in self._signals:
                self._previous[number] = signal.signal(number, self._stop)
        except ValueError:  # not the main thread (a test runner's): leave the signals as they are
            self._previous = {}
        return self

    def check(self) -> None:
        """Stop here if a signal came: its KeyboardInterrupt is lost when it lands in a finalizer
        (Python prints "Exception ignored in ..." and goes on), and the run must not publish."""
        if self._received is not None:
            raise KeyboardInterrupt

    def _stop(self, signum, frame) -> None:
        if self._received is not None:
            os._exit(_status_after(self._received))
        self._received = signum
        try:
            sys.stderr.write("\nauditor: interrupted; stopping (the outputs already in --out are whole)\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        # The process pool's own thread then finds its workers gone and complains, in Python 3.11
        # with a traceback (InvalidStateError on a cancelled future): the run is ending anyway.
        import threading

        threading.excepthook = lambda args: None
        _stop_children()
        raise KeyboardInterrupt

    def __exit__(self, kind, error, traceback) -> bool:
        import signal

        for number, previous in self._previous.items():
            signal.signal(number, previous)
        if isinstance(error, KeyboardInterrupt):
            raise typer.Exit(_status_after(self._received))
        return False


EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended


def _status_after(signum) -> int:
    import signal

    return EXIT_TERMINATED if signum == getattr(signal, "SIGTERM", None) else EXIT_INTERRUPTED


def _stop_children() -> None:
    """Terminate this process's worker processes (the readers) and wait a
    moment for them, so that none outlives this one or writes after the cleanup."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        try:
            child.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for child in children:
        try:
            child.join(timeout=2)
        except (OSError, ValueError, AssertionError, RuntimeError):
            pass


def _one_line_usage_error(error: typer.TyperException) -> str:
    message = " ".join(error.format_message().split())
    return message.replace("Value error, ", "")


def main() -> None:
    """The console script: the commands, then an exit that leaves the memory to the OS
    (auditor.speed). typer's usage errors (a bad option value, a missing PATH) are printed as one
    line, as auditor's own are. The cyclic collector stays off, and Hypothesis unseen (auditor.speed)."""
    no_cyclic_gc_from_start()
    hypothesis_unseen()
    try:
        status = app(standalone_mode=False)
    except typer.TyperException as error:  # a usage error typer found
        message = _one_line_usage_error(error)
        if message:  # none when `auditor` alone printed its help
            print(f"auditor: error: {message}", file=sys.stderr)
        status = getattr(error, "exit_code", EXIT_USAGE)
    except typer.Abort:
        status = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("\nauditor: interrupted", file=sys.stderr)
        status = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        status = EXIT_OK
    except SystemExit as stop:
        status = stop.code
    except Exception as error:  # noqa: BLE001 - a bug outside a command's guard: still 3, never 1
        print(f"auditor: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        status = EXIT_INTERNAL
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    exit_leaving_memory(status)


if __name__ == "__main__":
    sys.exit(main())
