"""Fuzzing the reader on real text for a while: the property of tests/test_hostile.py, at length.

    python -m bench.fuzz --minutes 30              # prints the count of cases run and each crash
    python -m bench.fuzz --minutes 5 --crashes crashes.jsonl

Real passages and pieces of real and sample reports (tests/fuzzing.py) are damaged by one to
four mutations (zeros and huge numbers for figures, characters deleted or doubled, 其中/分别/占
inserted or removed, lists cut short, brackets left open, full and half width swapped, a 。
between digits, line breaks) and read by `auditor.process.read_text`, which must not raise and
whose figures, relations and quotes must point into the text.

Hypothesis runs rounds of `--round` cases, each from a fresh random seed, until the time is up.
A failing case is shrunk to a small one, written (text, exception, last lines of the traceback)
to `--crashes` as one JSON line, and the run goes on; crashes are grouped by exception type and
the innermost frame of auditor's code, so one bug met a hundred times is listed once, with its
smallest text.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from auditor.config import load_config
from tests.fuzzing import check_reading, mutated_texts, text_pool

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Crash:
    text: str
    error: str
    place: str
    last_lines: str
    count: int = 1


@dataclass
class Run:
    cases: int = 0
    rounds: int = 0
    crashes: dict[tuple[str, str], Crash] = field(default_factory=dict)


def fuzz(minutes: float, round_size: int, crashes_path: Path) -> Run:
    config = load_config(ROOT / "expectations")
    pool = text_pool()
    run = Run()
    deadline = time.monotonic() + minutes * 60
    last_failure: list[tuple[str, BaseException]] = []

    @settings(max_examples=round_size, deadline=None, database=None, derandomize=False, print_blob=False,
              phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck))
    @given(mutated_texts(pool))
    def one_round(text: str) -> None:
        run.cases += 1
        try:
            check_reading(text, config)
        except Exception as err:
            last_failure[:] = [(text, err)]  # the last one raised is the shrunk case hypothesis reports
            raise

    print(f"fuzzing read_text for {minutes:g} min on {len(pool)} texts; crashes -> {crashes_path}", flush=True)
    while time.monotonic() < deadline:
        run.rounds += 1
        last_failure.clear()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                one_round()
        except Exception:  # noqa: BLE001 - a crash found: recorded, then the next round
            if last_failure:
                _record(run, crashes_path, *last_failure[0])
        if run.rounds % 50 == 0:
            print(f"  {run.cases} cases, {len(run.crashes)} distinct crash(es)", flush=True)
    return run


def _record(run: Run, path: Path, text: str, err: BaseException) -> None:
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/auditor/" in f.filename.replace("\\", "/")] or frames
    place = f"{Path(ours[-1].filename).name}:{ours[-1].lineno} ({ours[-1].name})" if ours else "?"
    error = f"{type(err).__name__}: {err}"
    last_lines = "".join(traceback.format_exception(err)[-3:])
    key = (type(err).__name__, place)
    known = run.crashes.get(key)
    if known:
        known.count += 1
        if len(text) < len(known.text):
            known.text = text
        return
    run.crashes[key] = Crash(text, error, place, last_lines)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"text": text, "error": error, "place": place, "traceback": last_lines},
                             ensure_ascii=False) + "\n")
    print(f"  crash: {error[:200]} at {place}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--round", type=int, default=500, help="cases per hypothesis round (one random seed)")
    parser.add_argument("--crashes", type=Path, default=Path(tempfile.gettempdir()) / "auditor-fuzz-crashes.jsonl")
    args = parser.parse_args(argv)
    started = time.monotonic()
    run = fuzz(args.minutes, args.round, args.crashes)
    elapsed = time.monotonic() - started
    print(f"{run.cases} cases in {elapsed / 60:.1f} min ({run.cases / elapsed:.0f}/s), {run.rounds} rounds, "
          f"{len(run.crashes)} distinct crash(es)")
    for crash in sorted(run.crashes.values(), key=lambda c: -c.count):
        print(f"- {crash.count}× {crash.error[:300]} at {crash.place}\n  text: {crash.text!r}")
    return 1 if run.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
