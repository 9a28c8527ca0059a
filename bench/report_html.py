"""How report.html of a large run loads: audit a generated corpus, then open its page in headless
Chromium and read the page's own measure of when it was ready (its #selftest hook: the time from
navigation to the first layout done, after the script ran), with the largest chart's size.

    python -m bench.report_html                 # 1,500 reports, 3 loads
    python -m bench.report_html --size 10000 --loads 5

Needs Debian's chromium (/usr/bin/chromium). The corpus is cached as bench.run caches its own.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import corpus

CHROMIUM = Path("/usr/bin/chromium")


def load(page: Path, profile: Path) -> tuple[dict, float]:
    """The page's selftest state and the wall seconds of the whole browser run."""
    started = time.perf_counter()
    done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={profile}", "--dump-dom", f"{page.as_uri()}#selftest="],
                          capture_output=True, text=True, timeout=300, check=False)
    wall = time.perf_counter() - started
    found = re.search(r'<pre id="selftest">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise SystemExit(f"the page's script did not run: {done.stderr[-500:]}")
    return json.loads(html.unescape(found.group(1))), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1500)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("chromium not installed (apt-get install chromium)")
    folder = corpus(args.size)
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "out"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "auditor", "audit", str(folder), "--out", str(out), "--format", "html",
                        "--fail-on", "never", "--quiet"], check=True)
        audit = time.perf_counter() - started
        page = out / "report.html"
        loads = [load(page, Path(temporary) / "profile") for _ in range(args.loads)]
        state = loads[-1][0]
        print(f"{args.size} reports: audit {audit:.1f} s; report.html {page.stat().st_size / 1e6:.1f} MB, "
              f"{state['total_flags']} flags, {state['texts_open']} texts open, {state['texts_closed']} collapsed")
        print(f"ready in {statistics.median(s['ready_ms'] for s, _ in loads):.0f} ms (median of {args.loads}; "
              f"browser start to exit {statistics.median(w for _, w in loads):.1f} s); largest chart "
              f"{state['svg_max_width']} x {state['svg_max_height']} px")


if __name__ == "__main__":
    main()
