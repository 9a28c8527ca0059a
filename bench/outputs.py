"""The size and write time of each output at a large run, built synthetically.

    python -m bench.outputs --reports 100000            # every output; flags.json and flags.sarif also uncapped
    python -m bench.outputs --reports 20000 --formats json,sarif,html

A few small reports with anomalies (bench.generate, --base of them) are audited once; the run's
records, frames and flags are then copied, report by report under new names (copy00001/...), up
to --reports, and each writer is timed on that result: no audit of 100,000 files. Each flag copy
gets an id of its own. The figures (facts, relations) are copied for the first --figured reports
only (some 40 a report: 4 million rows at 100,000 would take gigabytes of memory), so facts.csv,
relations.csv and the workbook's figures stand for that many; gx_validation.json is the base
run's. flags.json and flags.sarif are written twice: capped (as now) and uncapped (as before the
cap, byte for byte what a run under the cap writes).
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from auditor.config import load_config
from auditor.frames import Frames
from auditor.pipeline import AuditResult, audit


def base_result(count: int, folder: Path) -> AuditResult:
    from bench.generate import generate

    generate(count, folder, seed=5, anomaly_rate=1.0, body_chars=400)
    return audit([folder], load_config(None), lang="zh", jobs=1)


def scaled(base: AuditResult, reports: int, figured: int) -> AuditResult:
    """BASE's reports copied under new names up to REPORTS reports, with their flags, and with
    their figures up to FIGURED reports."""
    copies = -(-reports // len(base.records))
    records, flags, documents, facts, relations = [], [], [], [], []
    for copy in range(copies):
        prefix = f"copy{copy:05d}/"
        take = min(len(base.records), reports - copy * len(base.records))
        names = [r.document["report"] for r in base.records[:take]]
        for record in base.records[:take]:
            records.append(replace(record, document={**record.document, "report": prefix + record.document["report"]}))
        chosen = set(names)
        for flag in base.flags:
            if flag.report in chosen:
                new_id = hashlib.sha256(f"{copy}:{flag.id}".encode()).hexdigest()[:16]
                flags.append(replace(flag, report=prefix + flag.report, id=new_id))
        for frame, into in ((base.frames.documents, documents), (base.frames.facts, facts),
                            (base.frames.relations, relations)):
            if into is not documents and copy * len(base.records) >= figured:
                continue
            part = frame[frame["report"].isin(chosen)].copy()
            part["report"] = prefix + part["report"]
            into.append(part)
    frames = Frames(*(pd.concat(parts, ignore_index=True) for parts in (documents, facts, relations)))
    return AuditResult(records, frames, flags, base.validation, {}, base.lang, base.formats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--base", type=int, default=40, help="small reports audited, then copied")
    parser.add_argument("--formats", default="csv,md,xlsx,html,junit,sarif,gx,json")
    parser.add_argument("--figured", type=int, default=10_000, help="reports whose figures are copied")
    args = parser.parse_args()

    from auditor.report import json_report, sarif
    from auditor.report.stale import OUTPUT_FILES
    from auditor.report.writers import WRITERS

    uncapped = {
        "json": lambda out, result, config: json_report.write_flags_json(
            out / "flags.json", result.records, result.flags, config, limit=max(1, len(result.flags)),
            report_limit=max(1, len(result.records))),
        "sarif": lambda out, result, config: sarif.write_sarif(out, result, config, limit=max(1, len(result.flags))),
    }
    config = load_config(None)
    with tempfile.TemporaryDirectory() as temporary:
        started = time.perf_counter()
        base = base_result(args.base, Path(temporary) / "base")
        result = scaled(base, args.reports, args.figured)
        result.formats = tuple(WRITERS)
        print(f"{len(result.records):,} reports, {len(result.flags):,} flags, {len(result.frames.facts):,} figures "
              f"(built in {time.perf_counter() - started:.1f} s)")
        chosen = [f.strip() for f in args.formats.split(",") if f.strip()]
        runs = [(name, WRITERS[name], "") for name in chosen]
        runs += [(name, uncapped[name], " (uncapped)") for name in chosen if name in uncapped]
        for name, writer, note in runs:
            out = Path(temporary) / ("uncapped" if note else "out")
            out.mkdir(exist_ok=True)
            started = time.perf_counter()
            writer(out, result, config)
            took = time.perf_counter() - started
            for file_name in OUTPUT_FILES[name]:
                size = (out / file_name).stat().st_size
                print(f"  {file_name + note:<26} {size / 1e6:9.1f} MB  {took:7.1f} s", flush=True)


if __name__ == "__main__":
    main()
