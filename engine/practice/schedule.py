"""When a question comes back: a Leitner-style review schedule over 1, 3, 7 and 14 days.

A question answered below "solid" enters the schedule and is due again the next day. Each
review that reaches solid moves it one step further out (3, then 7, then 14 days); one that
falls short sends it back to the first step. After a solid review at the last step the question
has been learnt and leaves the schedule. The schedule is a pure function of the attempts, so the
same history always gives the same due dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from engine.practice.history import Attempt

REVIEW_INTERVALS_DAYS: tuple[int, ...] = (1, 3, 7, 14)
SOLID = 3.0


@dataclass(frozen=True)
class Review:
    """A question on the schedule: when it is due, how far along, how it last went."""

    key: str
    last: Attempt
    due: date
    step: int
    low_attempts: int

    def overdue_days(self, today: date) -> int:
        return (today - self.due).days


def review_of(attempts: Sequence[Attempt]) -> Review | None:
    """The schedule entry for one question's attempts (oldest first), or None if not scheduled."""
    step: int | None = None
    low = 0
    for attempt in attempts:
        if attempt.overall < SOLID:
            step = 0
            low += 1
        elif step is not None:
            step += 1
            if step >= len(REVIEW_INTERVALS_DAYS):
                step = None
    if step is None:
        return None
    last = attempts[-1]
    due = last.day + timedelta(days=REVIEW_INTERVALS_DAYS[step])
    return Review(last.key, last, due, step, low)


def due_reviews(by_question: dict[str, list[Attempt]], today: date) -> list[Review]:
    """Questions due today or earlier: most overdue first, then the lowest last score."""
    reviews = [r for r in (review_of(a) for a in by_question.values()) if r is not None]
    due = [r for r in reviews if r.due <= today]
    return sorted(due, key=lambda r: (-r.overdue_days(today), r.last.overall, r.key))
