"""The history store at scale: its size per report, a run's write, a one-report audit's look-up.

    python -m bench.history                      # 100,000 reports (about 4 minutes, 2.2 GB on disk)
    python -m bench.history --reports 10000 --keep /tmp/store.duckdb

Builds a store of REPORTS reports through HistoryStore.record, in runs of 10,000 (the real
reports' named figures, 67 a report, each report's quotes made its own), 10 years of each of
REPORTS / 10 bodies. Then, on that store, times what an audit does:

- look-up: the store's reports of one body, kind and year and their figures, from a fresh
  connection, as a one-report audit looks up last year's report (median and 95th percentile of
  --lookups look-ups of random bodies); the issue asks for less than 50 ms;
- write: recording a run of 1 report and a run of 1,000 reports, from a fresh connection;
- size: the file's bytes per report.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

from auditor.history.store import FACT_COLUMNS, REPORT_COLUMNS, HistoryStore

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real_reports"
SAMPLES = Path(__file__).resolve().parents[1] / "reports_in"
LOOKUP_LIMIT_MS = 50.0


def named_figures() -> dict[str, pd.DataFrame]:
    """The named figures of each real report (or sample report), by report."""
    from auditor.config import load_config
    from auditor.pipeline import extract

    folder = CORPUS if CORPUS.is_dir() else SAMPLES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, frames = extract(sorted(folder.glob("*.txt")), load_config(), 2)
    facts = frames.facts
    facts = facts[(facts["metric"] != "") & facts["value_num"].notna()]
    return {report: group[[c for c in FACT_COLUMNS if c != "report_id"] + ["report"]].reset_index(drop=True)
            for report, group in facts.groupby("report")}


def batch(first: int, count: int, sources: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports first .. first+count-1: report i is body i // 10's report on 2010 + i % 10."""
    reports, facts = [], []
    for i in range(first, first + count):
        name = f"r{i:06d}.txt"
        figures = sources[i % len(sources)].copy()
        figures["report"] = name
        figures["sentence"] = f"{i}:" + figures["sentence"]  # each report's quotes its own
        facts.append(figures)
        reports.append({"issuer_key": f"body{i // 10:06d}", "issuer": f"body{i // 10:06d}", "issuer_parents": "",
                        "kind": "disclosure", "year": 2010 + i % 10, "title_form": "{年}政府信息公开工作年度报告",
                        "report": name, "name": name, "path": f"/reports/{name}", "sha256": f"{i:064x}",
                        "title": "", "region": "", "signer": "", "published_date": None, "signed_date": None,
                        "docno": "", "n_facts": len(figures)})
    columns = [c for c in REPORT_COLUMNS if c != "report_id"]
    return pd.DataFrame(reports, columns=columns), pd.concat(facts, ignore_index=True)


def measure(n_reports: int, lookups: int, path: Path) -> dict:
    sources = list(named_figures().values())
    store = HistoryStore(path)
    started = time.perf_counter()
    step = 10_000
    for first in range(0, n_reports, step):
        store.record(*batch(first, min(step, n_reports - first), sources))
    build = time.perf_counter() - started
    rng = random.Random(1)
    latencies = []
    for _ in range(lookups):
        i = rng.randrange(10, n_reports)
        wanted = pd.DataFrame({"issuer_key": [f"body{i // 10:06d}"], "kind": ["disclosure"], "year": [2010 + i % 10 - 1]})
        t = time.perf_counter()
        reports, facts = store.reports_of(wanted)
        latencies.append((time.perf_counter() - t) * 1000)
        assert len(reports) == (1 if i % 10 else 0)
    writes = {}
    for label, count, first in (("write_1_report_s", 1, n_reports), ("write_1000_reports_s", 1000, n_reports + 1)):
        reports, facts = batch(first, count, sources)
        t = time.perf_counter()
        store.record(reports, facts)
        writes[label] = round(time.perf_counter() - t, 3)
    total = n_reports + 1001
    size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(path.name + ".wal"))
    latencies.sort()
    return {
        "reports": total, "figures_per_report": round(sum(len(s) for s in sources) / len(sources), 1),
        "build_s": round(build, 1), **writes,
        "lookup_ms_median": round(statistics.median(latencies), 1),
        "lookup_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "lookup_limit_ms": LOOKUP_LIMIT_MS,
        "bytes_per_report": round(size / total), "file_mb": round(size / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="build the store here and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.unlink(missing_ok=True)
        result = measure(args.reports, args.lookups, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="auditor-history-") as folder:
            result = measure(args.reports, args.lookups, Path(folder) / "history.duckdb")
    print(json.dumps(result, indent=2))
    return 0 if result["lookup_ms_median"] < LOOKUP_LIMIT_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
