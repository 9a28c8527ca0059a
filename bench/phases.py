"""Where a full audit spends its time: each phase of one run, timed in one process.

    python -m bench.phases --size 10000 [--jobs 2]
    python -m bench.phases --corpus /tmp/onepage_10000     # a folder of reports instead
    python -m bench.phases --size 10000 --whole            # the run held whole, piece by piece
    python -m bench.phases --size 10000 --batch 1000       # batches of another size than the CLI's
    python -m bench.phases --size 10000 --years 2          # an archive: the checks across years run

By default it runs the audit as `auditor audit` does, in batches of BATCH_REPORTS (auditor/cli.py;
--batch for another size) with the history store (auditor.pipeline.AuditRun,
auditor.report.writers.RunOutputs), and sums the time of each
phase the terminal display names over the batches. With --whole it holds the run in one batch and
runs its pieces one after the other (the cyclic garbage collector off, as the CLI runs): reading
(with the worker processes), assembling and validating the frames, importing and running Great
Expectations, building the flags, then each writer alone, and last every writer as a run writes
them, printing each piece's seconds and its share of the sum of those before the last.
It builds (or reuses) the benchmark corpus of that size, or reads the folder given. Use it to
choose what to speed up; `python -m bench.run` gives the end-to-end numbers.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.run import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, help="a folder of reports to audit instead of the generated corpus")
    parser.add_argument("--whole", action="store_true", help="the run in one batch, each piece timed alone")
    parser.add_argument("--batch", type=int, help="reports a batch (default: the CLI's BATCH_REPORTS)")
    parser.add_argument("--years", type=int, default=1,
                        help="a corpus of bodies with this many consecutive years each (bench.generate)")
    args = parser.parse_args()
    folder = args.corpus or corpus(args.size, args.years)
    if not args.whole:
        _batched(folder, args.jobs, args.batch)
        return
    times: dict[str, float] = {}

    @contextmanager
    def phase(name: str):
        start = time.perf_counter()
        yield
        times[name] = time.perf_counter() - start

    with phase("import pandas, pandera"):
        from auditor.config import load_config
        from auditor.pipeline import audit  # noqa: F401 - and with it the frames: pandas, pandera
        from auditor.speed import no_cyclic_gc
    config = load_config()
    with no_cyclic_gc():
        _phases(folder, args, config, phase, times)
    total = sum(seconds for name, seconds in times.items() if name != _ALL_WRITERS)
    for name, seconds in times.items():
        print(f"{name:<40} {seconds:7.2f} s  {seconds / total:6.1%}")
    print(f"{'total (phases one after the other)':<40} {total:7.2f} s")


_ALL_WRITERS = "write all, as a run does"


def _batched(folder: Path, jobs: int, batch_reports: int | None) -> None:
    """The phases of a run as the CLI makes it, summed over its batches."""
    start = time.perf_counter()
    from auditor.cli import BATCH_REPORTS
    from auditor.config import load_config
    from auditor.history.tracked import History
    from auditor.pipeline import AuditRun
    from auditor.report.writers import RunOutputs, shown_facts
    from auditor.speed import no_cyclic_gc

    size = batch_reports or BATCH_REPORTS
    config = load_config()
    times: dict[str, float] = {"imports, expectations": time.perf_counter() - start}
    current = ["", time.perf_counter()]

    def phase(name: str) -> None:
        now = time.perf_counter()
        if current[0]:
            times[current[0]] = times.get(current[0], 0.0) + now - current[1]
        current[:] = [name, now]

    with tempfile.TemporaryDirectory() as out, no_cyclic_gc():
        history = History(Path(out) / "history.duckdb")
        with AuditRun([folder], config, jobs=jobs, history=history, phase=phase, batch_reports=size,
                      keep_facts=shown_facts) as run, RunOutputs(Path(out), config) as outputs:
            for batch in run.batches():
                phase("facts.csv, relations.csv (per batch)")
                outputs.add(batch)
                del batch  # as the CLI does
                phase("checking")
            outputs.finish(run.result(), phase)
            phase("")
    total = time.perf_counter() - start
    for name, seconds in times.items():
        print(f"{name:<60} {seconds:7.2f} s  {seconds / total:6.1%}")
    print(f"{'total':<60} {total:7.2f} s   ({len(run.records)} reports, batches of {size}, {jobs} jobs)")


def _phases(folder: Path, args, config, phase, times: dict[str, float]) -> None:
    from auditor.frames import build_frames
    from auditor.pipeline import AuditResult, failed_rules, read_reports

    with phase(f"read and extract ({args.jobs} jobs)"):
        records = read_reports([folder], config, args.jobs)
    with phase("frames + pandera"):
        frames = build_frames(records, config.thresholds)
    with phase("expectation suites (pandas)"):
        from auditor.checks.suites import run_suites
        failures = run_suites(frames, config)
    with phase("GX import (--format gx)"):
        from auditor.checks.gx_suites import import_gx
        import_gx()
    with phase("GX run (--format gx)"):
        from auditor.checks.gx_suites import run_suites as run_gx_suites
        _, validation = run_gx_suites(frames, config)
    with phase("flags"):
        from auditor.flags import build_flags
        flags = build_flags(failures, frames, config)
    result = AuditResult(records, frames, flags, validation, failed_rules(failures))
    from auditor.report.writers import WRITERS, write_audit
    with tempfile.TemporaryDirectory() as out:
        for name, writer in WRITERS.items():
            with phase(f"write {name}"):
                writer(Path(out), result, config)
    with tempfile.TemporaryDirectory() as out, phase(_ALL_WRITERS):
        write_audit(Path(out), result, config)
    print(f"{len(records)} reports, {len(frames.facts):,} facts, {len(frames.relations):,} relations, "
          f"{len(flags):,} flags")


if __name__ == "__main__":
    main()
