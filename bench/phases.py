"""Where a full audit spends its time: each phase of one run, timed in one process.

    python -m bench.phases --size 10000 [--jobs 2]

Builds (or reuses) the benchmark corpus of that size and runs the audit's phases one after the
other, as `auditor audit` does: reading (with the worker processes), assembling and validating
the frames, importing and running Great Expectations, building the flags, then each writer. It
prints the seconds of each phase and its share of the whole. Use it to choose what to speed up;
`python -m bench.run` gives the end-to-end numbers.
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
    args = parser.parse_args()
    folder = corpus(args.size)
    times: dict[str, float] = {}

    @contextmanager
    def phase(name: str):
        start = time.perf_counter()
        yield
        times[name] = time.perf_counter() - start

    with phase("import pandas, pandera"):
        from auditor.config import load_config
        from auditor.frames import build_frames
        from auditor.pipeline import AuditResult, failed_rules, read_reports
    config = load_config()
    with phase(f"read and extract ({args.jobs} jobs)"):
        records = read_reports([folder], config, args.jobs)
    with phase("frames + pandera"):
        frames = build_frames(records, config.thresholds)
    with phase("import great_expectations"):
        from auditor.checks.gx_suites import import_gx
        import_gx()
    with phase("great_expectations run"):
        from auditor.checks.gx_suites import run_suites
        failures, validation = run_suites(frames, config)
    with phase("flags"):
        from auditor.flags import build_flags
        flags = build_flags(failures, frames, config)
    result = AuditResult(records, frames, flags, validation, failed_rules(failures))
    from auditor.report.writers import WRITERS
    with tempfile.TemporaryDirectory() as out:
        for name, writer in WRITERS.items():
            with phase(f"write {name}"):
                writer(Path(out), result, config)
    total = sum(times.values())
    print(f"{args.size} reports, {len(frames.facts):,} facts, {len(frames.relations):,} relations, "
          f"{len(flags):,} flags")
    for name, seconds in times.items():
        print(f"{name:<32} {seconds:7.2f} s  {seconds / total:6.1%}")
    print(f"{'total':<32} {total:7.2f} s")


if __name__ == "__main__":
    main()
