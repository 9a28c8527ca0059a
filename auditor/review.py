"""A flag's review state, one for every output: open, reviewed, or baselined.

- baselined: the baseline given with --baseline holds the flag's id. It is accepted: it does not
  count toward --fail-on, and its entry's status and comment are the reviewer's justification.
- reviewed: not baselined, but the workbook in --out carries a reviewer's status (确认问题, 误报,
  已整改) or comment for it; it still counts until it is baselined.
- open: neither.

A flag carries `baselined` (None unless a baseline was given) and `review` (None unless it has one):
auditor.flag.Review(status, comment, source: "baseline" | "workbook").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from auditor.flag import Flag, Review

STATES = ("open", "reviewed", "baselined")
ACCEPTED = "accepted"  # a baseline entry taken from flags.json: every flag accepted, no comment


def attach_reviews(flags: list[Flag], baseline: dict[str, dict] | None, workbook: dict | None = None) -> list[Flag]:
    """FLAGS with their review state from the BASELINE (id -> entry) and the WORKBOOK's reviews (id -> Review)."""
    return [reviewed(flag, baseline, workbook or {}) for flag in flags]


def reviewed(flag: Flag, baseline: dict[str, dict] | None, workbook: dict) -> Flag:
    """The flag with its review state: a baseline entry first, else the workbook's review; without
    a baseline, `baselined` stays as it was (None for a fresh flag)."""
    entry = baseline.get(flag.id) if baseline else None
    review = None
    if entry is not None:
        review = Review(str(entry.get("status") or ACCEPTED), str(entry.get("comment") or ""), "baseline")
    elif flag.id in workbook:
        found = workbook[flag.id]
        review = Review(found.status, found.comment, "workbook")
    return replace(flag, baselined=flag.id in baseline if baseline is not None else flag.baselined, review=review)


def state(flag: Flag) -> str:
    if flag.baselined:
        return "baselined"
    return "reviewed" if flag.review else "open"


def justification(flag: Flag) -> str:
    """Why a baselined flag is accepted, in the reviewer's words where there are some."""
    status = flag.review.status if flag.review and flag.review.status else ACCEPTED
    comment = flag.review.comment if flag.review else ""
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


def tally(flags: list[Flag]) -> Tally:
    counts = Tally()
    for flag in flags:
        kind = state(flag)
        if kind == "baselined":
            counts.baselined += 1
            continue
        counts.by_severity[flag.severity] += 1
        counts.reviewed += kind == "reviewed"
    return counts
