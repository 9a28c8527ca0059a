"""Scores on real published text: the hand-checked passages and the hand-audited reports.

    python -m bench.real              # the scores, then every miss and every false flag
    python -m bench.real --json       # the scores only, as JSON
    python -m bench.real --record     # also write them to bench/real_scores.json, the floor that
                                      # tests/test_real_scores.py keeps in CI

The data is `../shared/corpora/` next to the repository (see its README):
- passages (`real_passages/passages.jsonl`): each passage is audited as a report of its own. A
  passage is *flagged* when it gets an error or warning of a content category (arithmetic, bound,
  rate, range, consistency, template). Scored: inconsistent passages flagged (recall) and
  consistent passages flagged (false alarms); borderline and not-checkable ones are listed only.
- reports (`real_reports/*.txt` with `gold.jsonl`), audited in one run as a reviewer would: an
  `anomaly` line counts as found when an error or warning on its report names the line's first
  figure (in its message, expected or observed value); a content error or warning is false when
  it matches no `anomaly` or `borderline` line of its report (it names none of the line's
  figures of two digits or more, and its quoted evidence does not overlap the line's quote).
  DOC004 (text truncated) is counted apart: every one on these whole reports is false.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import regex

from auditor.flag import Flag

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
PASSAGES = CORPORA / "real_passages" / "passages.jsonl"
REPORTS = CORPORA / "real_reports"
SCORES = Path(__file__).resolve().parent / "real_scores.json"
CONTENT = ("arithmetic", "bound", "rate", "range", "consistency", "template")
SERIOUS = ("error", "warning")
_SPACE_RE = regex.compile(r"\s+")


@dataclass
class Scores:
    passages_inconsistent: int = 0
    passages_inconsistent_flagged: int = 0
    passages_consistent: int = 0
    passages_consistent_flagged: int = 0
    anomalies: int = 0
    anomalies_found: int = 0
    false_content_flags: int = 0
    false_doc004: int = 0
    checked_relations: int = 0       # relations checked on the reports (pass or fail)
    details: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "details"}


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def is_serious_content(flag: Flag) -> bool:
    return flag.severity in SERIOUS and flag.category in CONTENT


def names_figure(flag: Flag, figure: str) -> bool:
    """The flag's own words name the figure: 2251 in "1 + 16 + … = 2088, 与…2251条不符", not in 22510."""
    figure = _SPACE_RE.sub(" ", figure.strip())
    said = " ".join(str(getattr(flag, k) or "") for k in ("message", "expected", "observed"))
    if not figure:
        return False
    return regex.search(rf"(?<![\d.]){regex.escape(figure)}(?![\d])", said) is not None


def _squeeze(text: str) -> str:
    return _SPACE_RE.sub("", text)


def overlaps_quote(flag: Flag, quote: str) -> bool:
    """The flag quotes the same passage: a stretch of 12 characters in common with the gold quote."""
    gold = _squeeze(quote)
    for evidence in flag.evidence:
        text = _squeeze(evidence.text or "")
        if not text or not gold:
            continue
        if gold in text or text in gold:
            return True
        if any(gold[i:i + 12] in text for i in range(0, max(1, len(gold) - 11), 4)):
            return True
    return False


def matches_line(flag: Flag, line: dict) -> bool:
    figures = [f for f in line.get("figures") or () if len(_squeeze(f).strip("%")) >= 2]
    return any(names_figure(flag, f) for f in figures) or overlaps_quote(flag, line.get("quote") or "")


def _audit(paths: list[Path], config):
    from auditor.pipeline import audit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return audit(paths, config, jobs=2)


def _flags_by_report(result) -> dict[str, list[dict]]:
    by_report: dict[str, list[dict]] = {}
    for flag in result.flags:
        by_report.setdefault(Path(flag.report).stem, []).append(flag)
    return by_report


def score_passages(config, scores: Scores) -> None:
    passages = load_jsonl(PASSAGES)
    with tempfile.TemporaryDirectory(prefix="auditor-real-") as folder:
        paths = []
        for i, passage in enumerate(passages):
            path = Path(folder) / f"p{i:03d}.txt"
            path.write_text(passage["text"] + "\n", encoding="utf-8")
            paths.append(path)
        result = _audit(paths, config)
    flags = _flags_by_report(result)
    missed, false, other = [], [], []
    for i, passage in enumerate(passages):
        serious = [f for f in flags.get(f"p{i:03d}", []) if is_serious_content(f)]
        entry = {"passage": i, "topic": passage.get("topic"), "verdict": passage["verdict"],
                 "text": passage["text"], "computed": passage.get("computed"),
                 "flags": [f"{f.rule} {f.severity}: {f.message}" for f in serious]}
        if passage["verdict"] == "inconsistent":
            scores.passages_inconsistent += 1
            scores.passages_inconsistent_flagged += bool(serious)
            if not serious:
                missed.append(entry)
        elif passage["verdict"] == "consistent":
            scores.passages_consistent += 1
            scores.passages_consistent_flagged += bool(serious)
            if serious:
                false.append(entry)
        elif serious:
            other.append(entry)
    scores.details["passages_missed"] = missed
    scores.details["passages_false"] = false
    scores.details["passages_other_flagged"] = other


def score_reports(config, scores: Scores) -> None:
    gold = load_jsonl(REPORTS / "gold.jsonl")
    paths = sorted(REPORTS.glob("*.txt"))
    result = _audit(paths, config)
    flags = _flags_by_report(result)
    lines_of: dict[str, list[dict]] = {}
    for line in gold:
        lines_of.setdefault(line["id"], []).append(line)
    missed, found, false, doc004 = [], [], [], []
    for line in gold:
        if line["kind"] != "anomaly":
            continue
        scores.anomalies += 1
        first = line["figures"][0]
        hits = [f for f in flags.get(line["id"], []) if f.severity in SERIOUS and names_figure(f, first)]
        entry = {"report": line["id"], "category": line["category"], "quote": line["quote"][:160],
                 "computed": line["computed"], "flags": [f"{f.rule}: {f.message}" for f in hits]}
        (found if hits else missed).append(entry)
    scores.anomalies_found = len(found)
    for report, report_flags in flags.items():
        known = [g for g in lines_of.get(report, []) if g["kind"] in ("anomaly", "borderline")]
        for flag in report_flags:
            if flag.rule == "DOC004":
                doc004.append({"report": report, "message": flag.message})
            elif is_serious_content(flag) and not any(matches_line(flag, g) for g in known):
                false.append({"report": report, "rule": flag.rule, "severity": flag.severity,
                              "message": flag.message,
                              "quote": (flag.evidence[0].text if flag.evidence else "")[:200]})
    scores.false_content_flags = len(false)
    scores.false_doc004 = len(doc004)
    from auditor.frames import CHECKED_OPS

    scores.checked_relations = int(result.frames.relations["op"].isin(CHECKED_OPS).sum())
    scores.details.update(anomalies_missed=missed, anomalies_found=found, reports_false=false, doc004=doc004)


def measure(config=None) -> Scores:
    from auditor.config import load_config

    config = config or load_config(Path(__file__).resolve().parents[1] / "expectations")
    scores = Scores()
    score_passages(config, scores)
    score_reports(config, scores)
    return scores


def _print(scores: Scores) -> None:
    s = scores
    print(f"passages: inconsistent flagged {s.passages_inconsistent_flagged} of {s.passages_inconsistent}; "
          f"consistent flagged {s.passages_consistent_flagged} of {s.passages_consistent}")
    print(f"reports:  anomalies found {s.anomalies_found} of {s.anomalies}; false content flags "
          f"{s.false_content_flags}; false DOC004 {s.false_doc004}")
    sections = [("passages missed", "passages_missed"), ("passages falsely flagged", "passages_false"),
                ("borderline or not-checkable passages flagged", "passages_other_flagged"),
                ("anomalies missed", "anomalies_missed"), ("false content flags on reports", "reports_false"),
                ("DOC004 on reports", "doc004")]
    for title, key in sections:
        entries = s.details.get(key) or []
        if entries:
            print(f"\n## {title} ({len(entries)})")
            for entry in entries:
                print("- " + json.dumps(entry, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores only, as JSON")
    parser.add_argument("--record", action="store_true", help=f"write the scores to {SCORES.name}")
    args = parser.parse_args(argv)
    if not PASSAGES.is_file() or not (REPORTS / "gold.jsonl").is_file():
        print(f"real corpora not found under {CORPORA}", file=sys.stderr)
        return 2
    scores = measure()
    if args.json:
        print(json.dumps(scores.summary(), indent=2))
    else:
        _print(scores)
    if args.record:
        SCORES.write_text(json.dumps(scores.summary(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m bench.real | head`: the reader has what it wanted
        sys.stderr.close()
        sys.exit(0)
