"""Which rubric dimensions are weakest lately, with the evidence a candidate can check.

Each session's per-dimension scores are averaged over its questions, then sessions are weighted
by recency (the newest counts fully, each older one by ``DECAY`` less), so a skill that was weak
a month ago and is fine now stops being picked. The reason text counts in how many of the last
sessions the dimension was the lowest, a fact the candidate can verify in the library.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.practice.history import History
from engine.rubric import DIMENSION_IDS

DECAY = 0.7
RECENT_SESSIONS = 5


@dataclass(frozen=True)
class Weakness:
    """A dimension's recency-weighted score and how often it was the lowest recently."""

    dimension: str
    weighted_score: float
    lowest_in: int
    of_sessions: int
    sessions_scored: int


def _session_means(history: History) -> dict[str, dict[str, float]]:
    sums: dict[str, dict[str, list[int]]] = {}
    for attempt in history.attempts:
        per_dim = sums.setdefault(attempt.session_id, {})
        for dim, score in attempt.dimension_scores.items():
            per_dim.setdefault(dim, []).append(score)
    return {s: {d: sum(v) / len(v) for d, v in dims.items()} for s, dims in sums.items()}


def rank_weaknesses(history: History) -> list[Weakness]:
    """Dimensions from weakest to strongest (only those scored at least once)."""
    means = _session_means(history)
    newest = history.sessions_newest_first()
    order = {d: i for i, d in enumerate(DIMENSION_IDS)}
    totals: dict[str, float] = {}
    weights: dict[str, float] = {}
    counts: dict[str, int] = {}
    for rank, session_id in enumerate(newest):
        weight = DECAY**rank
        for dim, score in means[session_id].items():
            totals[dim] = totals.get(dim, 0.0) + weight * score
            weights[dim] = weights.get(dim, 0.0) + weight
            counts[dim] = counts.get(dim, 0) + 1
    recent = newest[:RECENT_SESSIONS]
    lowest: dict[str, int] = {}
    for session_id in recent:
        scores = means[session_id]
        if not scores:
            continue
        floor = min(scores.values())
        for dim, score in scores.items():
            if score == floor:
                lowest[dim] = lowest.get(dim, 0) + 1
    ranked = [
        Weakness(dim, totals[dim] / weights[dim], lowest.get(dim, 0), len(recent), counts[dim])
        for dim in totals
    ]
    return sorted(
        ranked, key=lambda w: (w.weighted_score, -w.lowest_in, order.get(w.dimension, 99))
    )


def weakness_reason(weakness: Weakness, label: str) -> str:
    """One sentence a candidate can check: "metrics has been your lowest score in 4 of 5 ..."."""
    if weakness.lowest_in and weakness.of_sessions > 1:
        return (
            f"{label} has been your lowest score in {weakness.lowest_in} of the last "
            f"{weakness.of_sessions} sessions"
        )
    if weakness.of_sessions == 1:
        return f"{label} was your lowest score last session ({weakness.weighted_score:.1f}/4)"
    return f"{label} is among your weakest skills lately ({weakness.weighted_score:.1f}/4)"
