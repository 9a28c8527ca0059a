"""A report's reading time budget (thresholds.yaml `reading.budget_seconds`), checked by the
reading steps themselves, between steps and in the relation readers' loops: a crafted or broken
report that reads for too long is given up, with the step it ran out in, and the run goes on
with the next report. Cooperative (a clock read), not a signal: it works the same in a worker
process, on any platform, and leaves no step half-interrupted.

    budget = Budget(60)
    budget.check("figures")      # raises OutOfTime("figures") once 60 s have passed
"""

from __future__ import annotations

import time


class OutOfTime(Exception):
    """Reading one report passed its time budget; str(err) says in which step."""

    def __init__(self, step: str, seconds: float) -> None:
        super().__init__(f"reading took longer than its time budget of {seconds:g} s "
                         f"(thresholds.yaml reading.budget_seconds); it ran out in: {step}")
        self.step = step


class Budget:
    """The clock of one report's reading; None seconds is no budget at all."""

    def __init__(self, seconds: float | None, clock=None) -> None:
        self.seconds = seconds
        self._clock = clock if clock is not None else _now
        self._deadline = None if seconds is None else self._clock() + seconds

    def check(self, step: str) -> None:
        if self._deadline is not None and self._clock() > self._deadline:
            raise OutOfTime(step, self.seconds)


# The clock itself, not a function calling it: the relation readers check the budget in their
# loops, over a hundred times a report. (Tests replace _now before making a Budget.)
_now = time.monotonic


UNLIMITED = Budget(None)
