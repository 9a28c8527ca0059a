"""Where a full audit spends its time: each phase of one run, timed in one process.

    python -m bench.phases --size 10000 [--jobs 2]
    python -m bench.phases --corpus /tmp/onepage_10000     # a folder of reports instead

Builds (or reuses) the benchmark corpus of that size, or reads the folder given, and runs the audit's phases one after the
other, as `auditor audit` does (the cyclic garbage collector off): reading (with the worker
processes), assembling and validating the frames, importing and running Great Expectations,
building the flags, then each writer alone, and last every writer as a run writes them. The run
is held whole here (one batch); `auditor audit` checks 1,000 reports at a time.
It prints the seconds of each phase and its share of the sum of the phases before the last.
Use it to choose what to speed up; `python -m bench.run` gives the end-to-end numbers.
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
    args = parser.parse_args()
    folder = args.corpus or corpus(args.size)
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
