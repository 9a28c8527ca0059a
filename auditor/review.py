"""A flag's review state, one for every output: open, reviewed, or baselined.

- baselined: the baseline given with --baseline holds the flag's id. It is accepted: it does not
  count toward --fail-on, and its entry's status and comment are the reviewer's justification.
- reviewed: not baselined, but the workbook in --out carries a reviewer's status (确认问题, 误报,
  已整改) or comment for it; it still counts until it is baselined.
- open: neither.

A flag carries `baselined` (only when a baseline was given) and `review` (only when it has one):
{"status", "comment", "source": "baseline" | "workbook"}.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

STATES = ("open", "reviewed", "baselined")
ACCEPTED = "accepted"  # a baseline entry taken from flags.json: every flag accepted, no comment


def attach_reviews(flags: list[dict], baseline: dict[str, dict] | None, workbook: dict | None = None) -> None:
    """Mark FLAGS in place from the BASELINE (id -> entry) and the WORKBOOK's reviews (id -> Review)."""
    workbook = workbook or {}
    for flag in flags:
        flag.pop("review", None)
        if baseline is not None:
            flag["baselined"] = flag["id"] in baseline
        entry = baseline.get(flag["id"]) if baseline else None
        if entry is not None:
            flag["review"] = {"status": str(entry.get("status") or ACCEPTED), "comment": str(entry.get("comment") or ""),
                              "source": "baseline"}
        elif flag["id"] in workbook:
            found = workbook[flag["id"]]
            flag["review"] = {"status": found.status, "comment": found.comment, "source": "workbook"}


def state(flag: dict) -> str:
    if flag.get("baselined"):
        return "baselined"
    return "reviewed" if flag.get("review") else "open"


def justification(flag: dict) -> str:
    """Why a baselined flag is accepted, in the reviewer's words where there are some."""
    review = flag.get("review") or {}
    status, comment = review.get("status") or ACCEPTED, review.get("comment") or ""
    if status == ACCEPTED:
        return comment or "accepted in the baseline"
    return f"{status}: {comment}" if comment else status


@dataclass
class Tally:
    """The flags of a run counted as a gate counts them: by severity those not baselined, then the
    reviewed among them and the baselined apart."""

    by_severity: Counter = field(default_factory=Counter)
    reviewed: int = 0
    baselined: int = 0

    @property
    def counted(self) -> int:
        return sum(self.by_severity.values())


def tally(flags: list[dict]) -> Tally:
    counts = Tally()
    for flag in flags:
        kind = state(flag)
        if kind == "baselined":
            counts.baselined += 1
            continue
        counts.by_severity[flag["severity"]] += 1
        counts.reviewed += kind == "reviewed"
    return counts
