"""A candidate's graded attempts, one per question answered, read from the session store.

The planner needs per-question results (which question, when, how each dimension scored), not
the per-session averages the library index keeps, so the sessions are opened and reported
with the same ``build_report`` the user reads. Corrupt and ungraded sessions are skipped and
listed in ``History.skipped`` so the plan can say so instead of silently ignoring them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from engine.errors import MockInterviewError

if TYPE_CHECKING:
    from engine.store.model import Session


@dataclass(frozen=True)
class Attempt:
    """One graded answer to one question (follow-ups folded in, as the report combines them)."""

    session_id: str
    question_number: int
    question_id: str | None
    question_text: str
    category: str
    day: date
    overall: float
    dimension_scores: dict[str, int]

    @property
    def key(self) -> str:
        """Identifies "the same question" across sessions: the bank id, or the free text."""
        return self.question_id or f"text:{' '.join(self.question_text.lower().split())}"


@dataclass(frozen=True)
class History:
    """Every usable attempt, oldest first, and the sessions that could not be used (and why)."""

    attempts: tuple[Attempt, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.attempts

    def sessions_newest_first(self) -> list[str]:
        """Ids of sessions with at least one attempt, newest first (ties by id)."""
        days = {a.session_id: a.day for a in self.attempts}
        return sorted(days, key=lambda s: (days[s], s), reverse=True)

    def by_question(self) -> dict[str, list[Attempt]]:
        """Attempts grouped by question key, each list oldest first."""
        groups: dict[str, list[Attempt]] = {}
        for attempt in self.attempts:
            groups.setdefault(attempt.key, []).append(attempt)
        return groups


def parse_day(created_at: str) -> date | None:
    """The calendar day (UTC) of an ISO timestamp as stored in ``session.json``."""
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def attempts_of_session(session: Session) -> list[Attempt]:
    """The graded questions of one loaded session as attempts (ungraded ones left out)."""
    from engine.report.builder import build_report

    day = parse_day(session.created_at)
    if day is None:
        return []
    report = build_report(session)
    attempts = []
    for question in report.questions:
        if question.overall is None:
            continue
        scores = {d.id: d.score for d in question.dimensions if d.score is not None}
        attempts.append(
            Attempt(
                session_id=session.id,
                question_number=question.number,
                question_id=question.question_id or None,
                question_text=question.text,
                category=question.category,
                day=day,
                overall=float(question.overall),
                dimension_scores=scores,
            )
        )
    return attempts


def history_from_sessions(sessions: Iterable[Session]) -> History:
    """A history from already loaded sessions (used by tests and the desktop's cache)."""
    attempts: list[Attempt] = []
    skipped: list[tuple[str, str]] = []
    for session in sessions:
        found = attempts_of_session(session)
        if found:
            attempts.extend(found)
        else:
            skipped.append((session.id, "not graded"))
    return _ordered(attempts, skipped)


def load_history() -> History:
    """Read every session in the data dir; corrupt or ungraded ones are skipped with a reason."""
    from engine.library.listing import list_sessions
    from engine.store.sessions import load_session_folder

    attempts: list[Attempt] = []
    skipped: list[tuple[str, str]] = []
    for summary in list_sessions():
        if summary.is_corrupt:
            skipped.append((summary.id, f"unreadable ({summary.problem})"))
            continue
        if not summary.answers or summary.overall is None:
            skipped.append((summary.id, "not graded"))
            continue
        try:
            session = load_session_folder(summary.folder)
        except (MockInterviewError, OSError, ValueError, KeyError) as exc:
            skipped.append((summary.id, f"unreadable ({exc})"))
            continue
        found = attempts_of_session(session)
        if found:
            attempts.extend(found)
        else:
            skipped.append((summary.id, "not graded"))
    return _ordered(attempts, skipped)


def _ordered(attempts: Sequence[Attempt], skipped: Sequence[tuple[str, str]]) -> History:
    ordered = sorted(attempts, key=lambda a: (a.day, a.session_id, a.question_number))
    return History(tuple(ordered), tuple(skipped))
