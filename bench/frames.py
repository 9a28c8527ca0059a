"""What two steps of building a batch's frames cost, on batches of the 2,000-report corpus:

- validating the three frames (documents, facts, relations) as the run validates them
  (auditor.frames.FrameSchema: a frame whose columns have their types is checked for its values,
  missing values and keys only) beside the declaration with pandera's coercion of every column;
  each way in turn, so a noisy machine slows both alike;
- finding the figures each report states with one value (auditor.frames.year_over_year.
  single_values), which the checks across years run on the reports of a batch that have last
  year's report and on those last year's reports.

Medians of the repeats.

    python -m bench.frames                      # batches of 1 and 500 reports
    python -m bench.frames --sizes 1,50,500 --repeats 15
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.run import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,500", help="reports a batch, comma-separated")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    from auditor.config import load_config
    from auditor.frames import DOCUMENTS_SCHEMA, FACTS_SCHEMA, RELATIONS_SCHEMA, build_frames
    from auditor.frames.year_over_year import single_values
    from auditor.pipeline import read_reports

    config = load_config()
    schemas = {"documents": DOCUMENTS_SCHEMA, "facts": FACTS_SCHEMA, "relations": RELATIONS_SCHEMA}
    files = sorted(corpus(2000).glob("*.txt"))
    print(f"{'reports':>8} {'validated':>12} {'coerced':>10} {'ratio':>6} {'single values':>14}")
    for size in (int(n) for n in args.sizes.split(",")):
        frames = build_frames(read_reports(files[:size], config, jobs=2), config.thresholds)
        ways = {"run": [], "coerced": [], "single": []}
        for _ in range(args.repeats):
            for way in ("run", "coerced"):
                seconds = 0.0
                for name, schema in schemas.items():
                    frame = frames.table(name).copy()
                    start = time.perf_counter()
                    if way == "run":
                        schema.validate(frame)
                    else:
                        schema.schema.validate(frame, lazy=True, inplace=True)
                    seconds += time.perf_counter() - start
                ways[way].append(seconds)
            start = time.perf_counter()
            single_values(frames.facts)
            ways["single"].append(time.perf_counter() - start)
        run, coerced, single = (statistics.median(ways[way]) * 1000 for way in ("run", "coerced", "single"))
        print(f"{size:>8} {run:>9.1f} ms {coerced:>7.1f} ms {coerced / run:>6.2f} {single:>11.1f} ms")


if __name__ == "__main__":
    main()
