"""What validating a batch's frames costs: the three frames (documents, facts, relations) of one
report and of a batch of 500, validated as the run validates them (auditor.frames.FrameSchema:
without pandera's coercion when every column has its type) and with the declaration's coercion on
every column. Medians of the repeats; each way in turn, so a noisy machine slows both alike.

    python -m bench.schemas                     # 1 and 500 reports of the 2,000-report corpus
    python -m bench.schemas --sizes 1,50,500 --repeats 15
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
    from auditor.pipeline import read_reports

    config = load_config()
    schemas = {"documents": DOCUMENTS_SCHEMA, "facts": FACTS_SCHEMA, "relations": RELATIONS_SCHEMA}
    files = sorted(corpus(2000).glob("*.txt"))
    print(f"{'reports':>8} {'as the run does':>16} {'coerced':>9} {'ratio':>6}")
    for size in (int(n) for n in args.sizes.split(",")):
        frames = build_frames(read_reports(files[:size], config, jobs=2), config.thresholds)
        ways = {"run": [], "coerced": []}
        for _ in range(args.repeats):
            for way in ways:
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
        run, coerced = (statistics.median(ways[way]) * 1000 for way in ("run", "coerced"))
        print(f"{size:>8} {run:>13.1f} ms {coerced:>6.1f} ms {coerced / run:>6.2f}")


if __name__ == "__main__":
    main()
