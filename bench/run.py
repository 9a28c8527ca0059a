"""Benchmark the full audit at several corpus sizes, against a floor, and score its recall.

    python -m bench.run                       # N = 2000, 10000, 50000
    python -m bench.run --sizes 100,2000 --repeats 3
    python -m bench.run --sizes 2000,10000 --years 2   # an archive: every body's reports of two years

For each N it builds (once, cached) a corpus of seed-like reports with known anomalies, then
times, as separate processes:
- the floor: one process that reads every file and runs a single number regex;
- `auditor audit` with every output, the default number of jobs.
It prints medians of wall time, reports/s, MB/s and the peak memory of the audit's process tree,
the ratio audit / floor, the growth from one size to the next, and the recall and spurious flags
against the injected anomalies. It also times `auditor --help`, and one report's audit beside
`python -c pass` (medians of 5 warm runs; `--one` prints that line alone). This machine is noisy: read medians and ratios.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.generate import VERSION, generate

CACHE = Path(tempfile.gettempdir()) / "auditor-bench"
FLOOR = """
import re, sys, pathlib
pattern = re.compile(r"[0-9]+(?:\\.[0-9]+)?")
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    count += len(pattern.findall(path.read_text(encoding="utf-8")))
print(count)
"""


def corpus(n: int, years: int = 1) -> Path:
    """The corpus of N reports (cached): bodies shared by many reports, or with YEARS above 1 an
    archive of bodies with YEARS consecutive reports each (bench.generate)."""
    folder = CACHE / (f"corpus_{n}_v{VERSION}" if years == 1 else f"corpus_{n}_years{years}_v{VERSION}")
    if not (folder / "truth.json").is_file():
        generate(n, folder, seed=n, years=years)
    return folder


_SAMPLE_SECONDS = 0.25


def timed(command: list[str]) -> tuple[float, tuple[float, float]]:
    """Wall seconds and the peak memory (MB) of the process and all its children: summed PSS,
    and summed resident size (which counts pages a forked child shares with its parent twice)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    while process.poll() is None:
        pss, rss = _tree_memory(process.pid)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        # Reading a 1 GB process's smaps_rollup takes 7 ms of CPU: sampled every 50 ms, the
        # monitor took a seventh of a core from the audit it measured. A run's memory peaks
        # last seconds, so four samples a second find them.
        time.sleep(_SAMPLE_SECONDS)
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
    return wall, (peak_pss / 2**20, peak_rss / 2**20)


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory of a process and its descendants, from /proc, as (PSS, RSS) summed over them. The
    proportional set size counts a page shared by a forked worker and its parent once; the
    resident size counts it in each. PSS falls back to RSS where it is not readable."""
    children: dict[int, list[int]] = {}
    resident: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            resident[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    pss = rss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        if current in resident:
            pss, rss = pss + _pss(current, resident[current]), rss + resident[current]
        stack.extend(children.get(current, ()))
    return pss, rss


def _pss(pid: int, rss: int) -> int:
    """A process's proportional set size, or its resident size where PSS is not readable."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss


def score(folder: Path, out: Path) -> tuple[int, int, int]:
    """Injected anomalies found, missed, and error/warning flags on sentences with none injected.
    The flags of the checks across years are left out: the generator draws each year's figures
    anew (bench.generate), so they are neither injected nor spurious."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    found: dict[str, Counter] = {}
    with open(out / "relations.csv", encoding="utf-8-sig", newline="") as file:
        across_years = {rule for row in csv.DictReader(file) if row["source"] == "across_years"
                        for rule in row["failed_rules"].split(";") if rule}
    # flags.csv: flags.json keeps the first 10,000 flags of a bigger run (MAX_FLAGS_IN_FULL)
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as file:
        for flag in csv.DictReader(file):
            if (flag["severity"] in ("error", "warning") and flag["category"] not in ("range",)
                    and flag["rule"] not in across_years):
                found.setdefault(flag["report"].rsplit("/", 1)[-1], Counter())[flag["rule"]] += 1
    hit = miss = extra = 0
    for name, expected in truth.items():
        want, got = Counter(expected), found.get(name, Counter())
        hit += sum((want & got).values())
        miss += sum((want - got).values())
        extra += sum((got - want).values())
    return hit, miss, extra


def median_run(command: list[str], repeats: int) -> tuple[float, tuple[float, float]]:
    """The median wall time and the highest peaks (PSS, RSS) of repeated runs."""
    runs = [timed(command) for _ in range(repeats)]
    return (statistics.median(w for w, _ in runs),
            (max(p[0] for _, p in runs), max(p[1] for _, p in runs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (medians); 10,000 and more run once")
    parser.add_argument("--one", action="store_true", help="only --help's time and one report's latency")
    parser.add_argument("--years", type=int, default=1,
                        help="corpora of bodies with this many consecutive years each: the checks across years run")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    auditor = [sys.executable, "-m", "auditor"]

    help_runs = [_wall([*auditor, "--help"]) for _ in range(5)]
    print(f"auditor --help: median {statistics.median(help_runs):.3f} s")
    one_report_latency(auditor, corpus(100) / "report_00000.txt")
    if args.one:
        return
    print()
    print(f"{'N':>6} {'MB':>7} {'wall s':>7} {'rep/s':>7} {'MB/s':>6} {'PSS MB':>7} {'RSS MB':>7} {'floor s':>8} "
          f"{'÷floor':>7} {'found':>6} {'missed':>6} {'extra':>6}")
    previous = None
    for n in sizes:
        folder = corpus(n, args.years)
        megabytes = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
        repeats = 1 if n >= 10000 else args.repeats
        floor, _ = median_run([sys.executable, "-c", FLOOR, str(folder)], repeats)
        with tempfile.TemporaryDirectory() as out:
            wall, peak = median_run([*auditor, "audit", str(folder), "--out", out, "-q", "--fail-on", "never"], repeats)
            hit, miss, extra = score(folder, Path(out))
        print(f"{n:>6} {megabytes:>7.1f} {wall:>7.2f} {n / wall:>7.0f} {megabytes / wall:>6.2f} {peak[0]:>7.0f} {peak[1]:>7.0f} "
              f"{floor:>8.2f} {wall / floor:>7.1f} {hit:>6} {miss:>6} {extra:>6}")
        if previous:
            print(f"{'':>6} growth from N={previous[0]}: {wall / previous[1]:.2f}x wall, {peak[0] / previous[2]:.2f}x "
                  f"peak PSS for {n / previous[0]:.1f}x reports")
        previous = (n, wall, peak[0])


def _wall(command: list[str]) -> float:
    """Wall seconds of one process, timed to the end (timed() samples memory every quarter second)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def one_report_latency(auditor: list[str], report: Path, runs: int = 5) -> None:
    """One report's audit (default outputs) beside starting Python: medians of RUNS warm runs,
    after one run that warms the disk cache and the bytecode cache; and `import great_expectations`
    alone, which the audit no longer pays (only --format gx and --data-docs import it)."""
    python = statistics.median(_wall([sys.executable, "-c", "pass"]) for _ in range(runs))
    gx_import = statistics.median(_wall([sys.executable, "-c", "import great_expectations"]) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        command = [*auditor, "audit", str(report), "--out", tmp, "-q", "--fail-on", "never"]
        # A warm machine has the .pyc of auditor's modules (pip writes them at install, Python at
        # a first run); with PYTHONDONTWRITEBYTECODE set, as some shells here are, every run
        # compiled auditor's 90 modules again (0.19 s). The warm-up run may write them. Its status
        # is checked: a run that fails early (a dependency missing) would otherwise time as fast.
        warm = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
        if warm.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({warm.returncode}): {warm.stderr.decode()[-2000:]}")
        single = statistics.median(_wall(command) for _ in range(runs))
    print(f"one report, full audit: median {single:.2f} s; python -c pass: {python:.2f} s; "
          f"difference {single - python:.2f} s (import great_expectations alone: {gx_import:.2f} s)")


if __name__ == "__main__":
    main()
