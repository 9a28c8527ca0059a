"""Reading speed of published formats: a PDF report to its text and grids, and to its figures.

    python -m bench.formats                       # the real PDFs in ../shared/corpora/real_pdfs
    python -m bench.formats --runs 9 FILE.pdf FILE.docx ...

For each file, the median of `--runs` passes, in this process (one core), of:
- `read`: `auditor.process.text_view`, the file to the text auditor reads and its tables as grids
  (for a PDF: pdfplumber's parse of every page, its drawn tables, the text lines outside them);
- `audit path`: `text_view` and then `read_text`, the whole per-report reading path a worker runs
  (metadata, figures, tables, relations, the fact and relation rows);
and, once per run in a fresh interpreter, `cold`: the same reading path including the imports
of pdfplumber (or python-docx) and auditor, as the first report of a run pays them.
One untimed pass first warms this process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from bench.extraction import median_seconds

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real_pdfs"
_COLD = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from auditor.config import load_config
from auditor.ingest.discover import InputFile
from auditor.process import process_file
config = load_config(None)
loaded = time.perf_counter()
path = Path(sys.argv[1])
process_file(InputFile(path, path.name), config)
print(time.perf_counter() - start, time.perf_counter() - loaded)
"""


def cold_seconds(path: Path, runs: int) -> tuple[float, float]:
    """Median (whole process from its first import, reading alone after the config is loaded)."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD, str(path)], capture_output=True, text=True, check=True)
        times.append(tuple(float(x) for x in out.stdout.split()))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDF, DOCX or HTML reports (default: the real PDFs)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    files = args.files or sorted(DEFAULT_FOLDER.glob("*.pdf"))
    if not files:
        print(f"no files given and none in {DEFAULT_FOLDER}", file=sys.stderr)
        return 2

    from auditor.config import load_config
    from auditor.process import read_text, text_view

    config = load_config(None)
    print(f"median of {args.runs} runs, one core")
    print("| file | pages | characters | grids | read | audit path | cold (imports + audit path) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for path in files:
        data = path.read_bytes()
        view = text_view(data, path.suffix)
        read = median_seconds(lambda: text_view(data, path.suffix), args.runs)

        def whole():
            seen = text_view(data, path.suffix)
            read_text(seen.text, {"report": path.name}, config, seen.source_line, seen.grids, seen.page_starts)

        audit_path = median_seconds(whole, args.runs)
        cold, _ = cold_seconds(path, args.runs)
        pages = len(view.page_starts) or "-"
        print(f"| {path.name} | {pages} | {len(view.text):,} | {len(view.grids)} | {read:.3f} s | {audit_path:.3f} s "
              f"| {cold:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
