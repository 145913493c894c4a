"""The overall verdict of one answer: its dimension scores weighed by what the question is about.

A real interviewer does not average eight boxes. Their verdict on a diagnose question rests first
on the diagnosis and the framing, on a metrics question on the metrics, on a trade-off question
on the decision (DOMAIN.md); a dimension the question does not hinge on counts, but less, and
delivery (kept separate from content in DOMAIN.md) counts least. The plain mean punished exactly
the answers an interviewer likes most: a concise answer that nails the core of the question and
leaves out peripheral dimensions scored about 2.0.

``CATEGORY_WEIGHTS`` is the one table of how much each dimension matters per category; the
interviewer's follow-up policy weighs its probes by the same priorities. It was set from the
domain, then adjusted once on the tuning half of the labelled corpus's ``probe_ok`` targets.
For the overall, the table was used as it is: on the tuning half (98 answers), weighting raises
Spearman from 0.859 to 0.875 and pairwise ordering from 96.0 % to 96.6 %, and scaling the table
up or down, or weighing communication anywhere from 0.3 to 1.0, moves Spearman by less than
0.01, so nothing was fitted to the corpus beyond choosing to reuse it.

A red flag on the category's core dimension (``PRIMARY_DIMENSION``: shipping on three days of
novelty, blaming the A/B test for the offline gain) is a wrong call on the very thing the
question asks, and an interviewer's verdict is dominated by it: the overall is capped at
``WRONG_CALL_CAP`` ("weak"), however well the rest was argued. Flags on other dimensions only
lower their dimension (``red_flags.apply_red_flags``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engine.rubric import PRIMARY_DIMENSION, SCORE_MIN

BASE_WEIGHT = 1.0
"""Weight of an applicable content dimension the category does not single out."""

COMMUNICATION_WEIGHT = 0.3
"""Delivery is judged on the whole answer and kept apart from content (DOMAIN.md)."""

CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {
    "diagnose": {"diagnosis": 3.0, "problem_framing": 2.5, "metrics": 1.5},
    "metrics": {"metrics": 3.0, "experimentation": 1.5, "problem_framing": 1.4},
    "tradeoff": {"tradeoffs": 3.0, "metrics": 1.8, "experimentation": 1.5},
    "design": {"problem_framing": 2.6, "metrics": 2.5, "system_design": 2.4},
    "experimentation": {"experimentation": 3.0, "metrics": 2.0, "tradeoffs": 1.3},
    "behavior": {"user_signals": 3.0, "metrics": 1.8, "problem_framing": 1.5},
}
"""How much each dimension matters for a category (DOMAIN.md), the ones its questions hinge on;
every other applicable dimension counts ``BASE_WEIGHT`` and communication
``COMMUNICATION_WEIGHT``."""

WRONG_CALL_CAP = 2.0
"""The highest overall of an answer with a red flag on the category's core dimension."""


def dimension_weight(category: str, dimension: str) -> float:
    """How much ``dimension`` counts in the verdict on a question of ``category``."""
    if dimension == "communication":
        return COMMUNICATION_WEIGHT
    return CATEGORY_WEIGHTS.get(category, {}).get(dimension, BASE_WEIGHT)


def overall_score(category: str, scores: Mapping[str, int], flagged: Iterable[str] = ()) -> float:
    """The 1-4 overall: the category-weighted mean of the scored dimensions.

    Args:
        category: the question's category id.
        scores: dimension id -> 1-4 score, applicable dimensions only.
        flagged: the dimensions of the red flags the answer committed.
    """
    if not scores:
        return float(SCORE_MIN)
    weights = {d: dimension_weight(category, d) for d in scores}
    overall = sum(weights[d] * s for d, s in scores.items()) / sum(weights.values())
    if PRIMARY_DIMENSION.get(category) in set(flagged):
        overall = min(overall, WRONG_CALL_CAP)
    return overall
