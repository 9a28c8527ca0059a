"""Extraction speed on real text: the 72 State Council work reports, in MB/s on one core.

    python -m bench.extraction                 # 5 runs, corpus from ../shared/corpora
    python -m bench.extraction --runs 9 --corpus PATH
    python -m bench.extraction --corpus reports_in/   # a folder of report files (the seeds)

Times, in this process (one core), the median of `--runs` passes over every report's text
(MB = 10**6 bytes of its UTF-8 encoding, 1954–2025, about 3.3 MB):
- `auditor.process.read_text`: the full per-report reading path (metadata, figures, labels,
  relations, the fact and relation rows), as `auditor audit` runs it in each worker;
- `extract_figures` alone;
- `cn2an.transform(text, "cn2an")` when the cn2an package is importable (it is not a dependency
  of auditor: `pip install cn2an` to get that line), for comparison with a common converter of
  Chinese numerals to Arabic ones. The ratio column is each method's speed over cn2an's.
One untimed pass first warms the compiled patterns and caches.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

from auditor.config import load_config
from auditor.extract.figures import extract_figures
from auditor.ingest.discover import discover
from auditor.process import read_text, text_view

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "government_work_reports.jsonl"


def load_reports(path: Path) -> list[tuple[str, str]]:
    """(name, text) of each report: the lines of a JSON-lines corpus, or the files of a folder
    as `auditor audit` decodes them."""
    path = Path(path)
    if path.is_dir():
        files, _ = discover([path])
        return [(item.display, text_view(item.path.read_bytes(), item.path.suffix).text) for item in files]
    reports = []
    with path.open(encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if line.strip():
                row = json.loads(line)
                reports.append((f"{i:02d} {row.get('year') or '-'} {row['title']}", row["content"]))
    return reports


def median_seconds(work, runs: int) -> float:
    work()  # warm-up: compiled patterns, lru caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed passes per method (median is reported)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSON lines with title, content, year; or a folder of report files")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    reports = load_reports(args.corpus)
    megabytes = sum(len(text.encode("utf-8")) for _, text in reports) / 1e6
    config = load_config()
    vocabulary, thresholds = config.vocabulary, config.thresholds

    def full_path():
        for name, text in reports:
            read_text(text, {"report": name}, config)

    def figures_only():
        for _, text in reports:
            extract_figures(text, vocabulary, thresholds)

    methods = [("read_text (full per-report path)", full_path), ("extract_figures only", figures_only)]
    try:
        import cn2an
    except ImportError:
        cn2an = None
    else:
        def with_cn2an():
            with warnings.catch_warnings():  # it warns on every run it cannot convert (十四五, 万亿, …)
                warnings.simplefilter("ignore")
                for _, text in reports:
                    cn2an.transform(text, "cn2an")

        methods.append(("cn2an.transform(text, 'cn2an')", with_cn2an))

    results = [(label, median_seconds(work, args.runs)) for label, work in methods]
    baseline = results[2][1] if cn2an is not None else None

    print(f"{len(reports)} reports, {megabytes:.2f} MB UTF-8, median of {args.runs} runs, one process (one core)")
    print(f"{'method':<34} {'median s':>9} {'MB/s':>8} {'x cn2an':>8}")
    for label, seconds in results:
        ratio = f"{baseline / seconds:.1f}" if baseline else "-"
        print(f"{label:<34} {seconds:>9.3f} {megabytes / seconds:>8.2f} {ratio:>8}")
    if cn2an is None:
        print("cn2an is not installed, so there is no comparison line: pip install cn2an")
    return 0


if __name__ == "__main__":
    sys.exit(main())
