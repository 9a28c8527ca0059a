"""`auditor history`: what the history store holds, for a reviewer and for analysis.

    auditor history [--history FILE]                   bodies x years: which years each body's reports
                                                        cover, and the gaps between them
    auditor history show BODY [--metric M]             one body's figures over the years, one row per
                                                        metric, one column per year
    auditor history export DIR [--format csv|parquet]  the reports and their figures, for pandas

Only typer is imported here; pandas and DuckDB are imported inside the commands.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor.history import STORE_NAME

history_app = typer.Typer(help="What the history store holds: bodies by year, one body's figures, export.",
                          invoke_without_command=True, no_args_is_help=False)

StoreOption = Annotated[Path, typer.Option("--history", metavar="FILE",
                                           help=f"The history store. Default: audit_out/{STORE_NAME}.")]
_DEFAULT = Path("audit_out") / STORE_NAME


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"


@history_app.callback()
def coverage(ctx: typer.Context, history: StoreOption = _DEFAULT) -> None:
    """Which bodies have which years: one row per body and kind of report, a column per year
    (· where a year between its first and last is missing: a report to chase)."""
    if ctx.invoked_subcommand is not None:
        return
    with _store_errors():
        table = _open(history).query(
            "SELECT issuer_key, any_value(issuer) AS issuer, kind, year, count(*) AS n FROM reports "
            "WHERE issuer_key IS NOT NULL AND year IS NOT NULL GROUP BY issuer_key, kind, year "
            "ORDER BY issuer_key, kind, year")
        unnamed = _open(history).query("SELECT count(*) AS n FROM reports WHERE issuer_key IS NULL OR year IS NULL")
    typer.echo(coverage_table(table, int(unnamed["n"].iloc[0])))


def coverage_table(table, unnamed: int = 0) -> str:
    """Bodies x years as text: the number of reports of each year, · for a gap."""
    if table.empty:
        return "no report with a named body and year in the store" + _unnamed(unnamed)
    years = list(range(int(table["year"].min()), int(table["year"].max()) + 1))
    lines = ["\t".join(["body", "kind", *map(str, years), "gaps"])]
    for (key, kind), group in table.groupby(["issuer_key", "kind"], sort=True):
        counts = dict(zip(group["year"].astype(int), group["n"].astype(int)))
        first, last = min(counts), max(counts)
        cells = [str(counts[y]) if y in counts else ("·" if first < y < last else "") for y in years]
        gaps = [str(y) for y in range(first, last + 1) if y not in counts]
        lines.append("\t".join([key, kind, *cells, ",".join(gaps)]))
    return "\n".join(lines) + _unnamed(unnamed)


def _unnamed(count: int) -> str:
    return f"\n{count} report(s) name no body or year and are left out" if count else ""


@history_app.command()
def show(
    body: Annotated[str, typer.Argument(metavar="BODY", help="A body as reports name it (河北省科技厅, 洪泽区人民政府).")],
    metric: Annotated[Optional[str], typer.Option(metavar="METRIC", help="Only this metric (received, new.total …).")] = None,
    history: StoreOption = _DEFAULT,
) -> None:
    """One body's figures over the years: a row per kind, family and metric, a column per year."""
    with _store_errors():
        from auditor.config import load_config
        from auditor.ingest.issuer import normalise

        key, _ = normalise(body, load_config().issuers)
        facts = _open(history).query(
            "SELECT r.kind, r.year, f.family, f.metric, f.value_num FROM facts f JOIN reports r USING (report_id) "
            "WHERE r.issuer_key = ? AND (? IS NULL OR f.metric = ?) ORDER BY r.year, f.fact_id",
            [key, metric, metric])
    if facts.empty:
        typer.echo(f"no figures of {body} ({key}) in the store")
        raise typer.Exit(1)
    typer.echo(f"{body} ({key})")
    typer.echo(figures_table(facts))


def figures_table(facts) -> str:
    """Kind, family and metric by year; a metric stated with several values in a year shows them all."""
    years = sorted(int(y) for y in facts["year"].dropna().unique())
    lines = ["\t".join(["kind", "family", "metric", *map(str, years)])]
    for (kind, family, metric), group in facts.groupby(["kind", "family", "metric"], sort=True):
        cells = []
        for year in years:
            values = list(dict.fromkeys(_number(v) for v in group.loc[group["year"] == year, "value_num"]))
            cells.append("/".join(values))
        lines.append("\t".join([kind, family, metric, *cells]))
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@history_app.command()
def export(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for history_reports and history_facts.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", metavar="csv|parquet", help="csv or parquet.")] = ExportFormat.parquet,
    history: StoreOption = _DEFAULT,
) -> None:
    """Write the store's reports and figures (each with its body, kind and year) as CSV or Parquet,
    for pandas: pd.read_parquet("DIR/history_facts.parquet")."""
    with _store_errors():
        for path in _open(history).export(folder, fmt.value):
            typer.echo(str(path))


def _open(path: Path):
    from auditor.history.store import HistoryStore, HistoryUnavailable

    if not path.is_file():
        raise HistoryUnavailable(f"{path}: no history store there (auditor audit writes one in its --out folder)")
    return HistoryStore(path)


class _store_errors:
    """A store that cannot be read: one line and status 2."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        from auditor.errors import AuditorError
        from auditor.history.store import HistoryUnavailable

        if isinstance(error, (HistoryUnavailable, AuditorError)):
            typer.echo(f"auditor: error: {error}", err=True)
            raise typer.Exit(2)
        return False
