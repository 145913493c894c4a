"""Every attempt at one question, together: the library's "By question" view and its trend.

Retries are linked explicitly (``settings["retry_of"]``), but the same bank question answered in
two ordinary sessions is also two attempts at it, so attempts are grouped by the question's key
(its bank id, or its normalised text for free questions), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.practice.history import Attempt, History


@dataclass(frozen=True)
class QuestionAttempts:
    """All graded attempts at one question, oldest first."""

    key: str
    question_id: str | None
    text: str
    category: str
    attempts: tuple[Attempt, ...]

    @property
    def scores(self) -> tuple[float, ...]:
        return tuple(a.overall for a in self.attempts)

    @property
    def best(self) -> float:
        return max(self.scores)

    @property
    def change(self) -> float:
        """Last score minus first (0 for a single attempt)."""
        return round(self.scores[-1] - self.scores[0], 2)

    def trend_text(self, limit: int = 5) -> str:
        """The scores as "1.9 → 2.6 → 3.1" (the last ``limit`` of them)."""
        shown = self.scores[-limit:]
        prefix = "… → " if len(self.scores) > limit else ""
        return prefix + " → ".join(f"{s:.1f}" for s in shown)


def group_by_question(history: History) -> list[QuestionAttempts]:
    """Attempts grouped per question; questions tried most often first, then most recent."""
    groups = []
    for key, attempts in history.by_question().items():
        last = attempts[-1]
        groups.append(
            QuestionAttempts(
                key, last.question_id, last.question_text, last.category, tuple(attempts)
            )
        )
    return sorted(groups, key=lambda g: (-len(g.attempts), -g.attempts[-1].day.toordinal(), g.key))
