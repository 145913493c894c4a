"""Today's practice: three questions aimed at the candidate's weakest skill, each with a reason.

The order of priorities is the one a coach would use:

1. questions answered below solid whose review is due (``schedule.py``: 1, 3, 7, 14 days),
   at most ``MAX_REVIEWS`` so a long backlog cannot crowd out new practice;
2. unseen questions that lean on the weakest dimensions (``weakness.py``), matched to the job
   description when one is given;
3. unseen questions to fill the rest, spread over categories.

With no history at all it offers a balanced starter set. The plan is a pure function of the
history, the bank, the job description and the date: the same inputs give the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.grading.allocation import KEY_STAGES
from engine.practice.history import History
from engine.practice.job_match import JobMatch, detect_domains, rank_for_job, shorten
from engine.practice.schedule import REVIEW_INTERVALS_DAYS, SOLID, Review, due_reviews
from engine.practice.weakness import Weakness, rank_weaknesses, weakness_reason
from engine.questions.model import Question
from engine.rubric import PRIMARY_DIMENSION, dimension_label

PLAN_SIZE = 3
MAX_REVIEWS = 2
WEAK_DIMENSIONS = 2
STARTER_CATEGORIES = ("design", "metrics", "diagnose", "experimentation", "tradeoff", "behavior")
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass(frozen=True)
class PlanPick:
    """One question of the plan and why it was chosen."""

    question: Question
    kind: str  # "review" | "weakness" | "job" | "new" | "starter"
    reason: str
    dimension: str | None = None
    due: date | None = None
    job_excerpt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.to_ref(),
            "kind": self.kind,
            "reason": self.reason,
            "dimension": self.dimension,
            "due": self.due.isoformat() if self.due else None,
            "job_excerpt": self.job_excerpt,
        }


@dataclass(frozen=True)
class Plan:
    """The day's picks, the weakest dimensions behind them and what history could not be read."""

    day: date
    picks: tuple[PlanPick, ...]
    weakest: tuple[Weakness, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    domains: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "picks": [p.to_dict() for p in self.picks],
            "weakest": [
                {
                    "dimension": w.dimension,
                    "score": round(w.weighted_score, 2),
                    "lowest_in": w.lowest_in,
                    "of_sessions": w.of_sessions,
                }
                for w in self.weakest
            ],
            "job_domains": list(self.domains),
            "skipped_sessions": [{"session": s, "reason": r} for s, r in self.skipped],
            "notes": list(self.notes),
        }


def _focus(question: Question, dimension: str) -> float:
    """How much answering this question exercises ``dimension`` (0 = not at all)."""
    if PRIMARY_DIMENSION.get(question.category) == dimension:
        weight = 1.0
    elif dimension in KEY_STAGES.get(question.category, ()):
        weight = 0.5
    elif dimension == "communication":
        weight = 0.3
    else:
        weight = 0.0
    points = len(question.expected.get(dimension, ()))
    return weight + min(points, 5) * 0.02 if weight else 0.0


def _review_pick(review: Review, question: Question, today: date) -> PlanPick:
    ago = (today - review.last.day).days
    when = "today" if ago == 0 else "yesterday" if ago == 1 else f"{ago} days ago"
    interval = REVIEW_INTERVALS_DAYS[review.step]
    reason = (
        f"you scored {review.last.overall:.1f}/4 on this {when}; it is due for review "
        f"(questions below solid come back after {interval} day{'s' if interval > 1 else ''})"
    )
    return PlanPick(question, "review", reason, due=review.due)


def _by_difficulty(questions: Sequence[Question]) -> list[Question]:
    return sorted(questions, key=lambda q: (DIFFICULTY_ORDER.get(q.difficulty, 1), q.id))


def _meaning_unavailable() -> str | None:
    """Why job descriptions cannot be compared by meaning here, or None when they can."""
    from engine.semantic import EmbeddingUnavailable, load_encoder

    try:
        load_encoder()
    except EmbeddingUnavailable as exc:
        return str(exc)
    return None


def make_plan(
    bank: Sequence[Question],
    history: History,
    today: date,
    job_description: str | None = None,
    size: int = PLAN_SIZE,
) -> Plan:
    """Today's practice from the history (see the module docstring for the priorities).

    Raises:
        ValueError: ``job_description`` was given but is empty.
    """
    by_id = {q.id: q for q in bank}
    seen = {a.question_id for a in history.attempts if a.question_id}
    unseen = [q for q in bank if q.id not in seen]
    notes: list[str] = []
    if history.skipped:
        notes.append(
            f"{len(history.skipped)} session(s) left out of the plan (unreadable or not graded)"
        )

    matches: dict[str, JobMatch] = {}
    domains: tuple[str, ...] = ()
    if job_description is not None:
        hits = detect_domains(job_description)
        domains = tuple(h.domain.label for h in hits)
        ranked = rank_for_job(unseen or list(bank), hits, job_description)
        reason = _meaning_unavailable()
        if reason:
            notes.append(f"the job description was matched by its words only ({reason})")
        if not ranked:
            notes.append("the job description matches no question in the bank; picks ignore it")
        matches = {m.question.id: m for m in ranked}

    picks: list[PlanPick] = []
    chosen: set[str] = set()

    def take(pick: PlanPick) -> None:
        picks.append(pick)
        chosen.add(pick.question.id)

    for review in due_reviews(history.by_question(), today):
        question = by_id.get(review.last.question_id or "")
        if question is None or question.id in chosen:
            continue
        if len(picks) >= min(MAX_REVIEWS, size):
            break
        take(_review_pick(review, question, today))

    # Only dimensions below solid are weaknesses worth a pick of their own.
    below_solid = [w for w in rank_weaknesses(history) if w.weighted_score < SOLID]
    weakest = tuple(below_solid[:WEAK_DIMENSIONS])
    for weakness in weakest:
        if len(picks) >= size:
            break
        pool = [q for q in unseen if q.id not in chosen and _focus(q, weakness.dimension) > 0]
        if not pool:
            continue
        best = min(
            pool,
            key=lambda q: (
                -(_focus(q, weakness.dimension) + (matches[q.id].score if q.id in matches else 0)),
                DIFFICULTY_ORDER.get(q.difficulty, 1),
                q.id,
            ),
        )
        reason = weakness_reason(weakness, dimension_label(weakness.dimension))
        reason += f"; this {best.category} question leans on it"
        match = matches.get(best.id)
        if match is not None:
            reason += f", and it fits your job ({match.domain.label if match.domain else ''})"
        take(
            PlanPick(
                best,
                "weakness",
                reason,
                dimension=weakness.dimension,
                job_excerpt=shorten(match.sentence) if match else None,
            )
        )

    # Job matches, best first, one per category before any category repeats.
    for spread in (True, False):
        for match in matches.values():
            if len(picks) >= size:
                break
            taken = {p.question.category for p in picks}
            if match.question.id in chosen or (spread and match.question.category in taken):
                continue
            label = match.domain.label if match.domain else "your field"
            reason = f'matches your job description ({label}): "{shorten(match.sentence)}"'
            take(PlanPick(match.question, "job", reason, job_excerpt=shorten(match.sentence)))

    starter = history.is_empty
    categories_taken = {p.question.category for p in picks}
    for category in STARTER_CATEGORIES:
        if len(picks) >= size:
            break
        if category in categories_taken:
            continue
        pool = _by_difficulty([q for q in unseen if q.category == category and q.id not in chosen])
        if not pool:
            continue
        question = pool[0]
        if starter:
            reason = f"a balanced starter set: one {category} question to see where you stand"
        else:
            reason = f"a new {category} question, to keep every kind of question in practice"
        take(PlanPick(question, "starter" if starter else "new", reason))
        categories_taken.add(category)

    for question in _by_difficulty([q for q in bank if q.id not in chosen]):
        if len(picks) >= size:
            break
        take(PlanPick(question, "new", "more practice: every question has been seen already"))

    return Plan(today, tuple(picks), weakest, history.skipped, domains, tuple(notes))
