"""The fixed vocabulary of the product: question categories and rubric dimensions (DOMAIN.md).

Every other module, the question bank, reports and tests use these ids; nothing else defines them.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "design": "Design an ML-powered feature",
    "diagnose": "Improve or diagnose an existing system",
    "metrics": "Define success",
    "experimentation": "A/B tests and launch decisions",
    "tradeoff": "Decide between competing objectives",
    "behavior": "Model users from implicit signals",
}


@dataclass(frozen=True)
class Dimension:
    """One rubric dimension: its id, a short label for charts, and what 'strong' looks like."""

    id: str
    label: str
    strong: str
    weak: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "problem_framing",
        "Problem framing",
        "Names the users and their need, scopes the problem, states or asks clarifying "
        "assumptions.",
        "Jumps straight to a model, or scopes forever and never decides.",
    ),
    Dimension(
        "metrics",
        "Metrics",
        "Business goal to product metric to model metric; online and offline; guardrails; "
        "explains how each proxy can mislead.",
        "Says 'accuracy', or names one metric with no limitation and no guardrail.",
    ),
    Dimension(
        "user_signals",
        "User signals",
        "Implicit versus explicit feedback, noisy signals, context, short-term intent versus "
        "long-term taste, feedback loops, position bias.",
        "Treats clicks as ground truth.",
    ),
    Dimension(
        "system_design",
        "System design",
        "Data, labels, features, model and serving, each tied to the metrics; a baseline first; "
        "a latency budget.",
        "A zoo of models with no link to the goal.",
    ),
    Dimension(
        "tradeoffs",
        "Trade-offs",
        "Weighs competing objectives (accuracy and latency, short and long term, relevance and "
        "diversity, explore and exploit) and makes a justified choice.",
        "Lists trade-offs without deciding, or ignores them.",
    ),
    Dimension(
        "experimentation",
        "Experimentation",
        "A/B design, power and duration, novelty effects, holdouts, guardrails, monitoring and "
        "iteration after launch.",
        "'Run an A/B test' with nothing behind it.",
    ),
    Dimension(
        "diagnosis",
        "Diagnosis",
        "Validates the data first, decomposes the metric, segments to localise, ranks hypotheses "
        "internal before external, and decides.",
        "Scattershot guesses.",
    ),
    Dimension(
        "communication",
        "Communication",
        "Signposted structure, concise, adapts when probed, uses the time well.",
        "Rambling, filler-heavy, runs out of time before the key parts.",
    ),
)

DIMENSION_IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS)
DIMENSION_BY_ID: dict[str, Dimension] = {d.id: d for d in DIMENSIONS}

SCORE_MIN = 1
SCORE_MAX = 4
SCORE_LABELS = {1: "missing", 2: "weak", 3: "solid", 4: "strong"}


def applicable_dimensions(category: str) -> tuple[str, ...]:
    """Dimensions scored for a category: ``diagnosis`` only applies to diagnose questions."""
    return tuple(d for d in DIMENSION_IDS if d != "diagnosis" or category == "diagnose")


def dimension_label(dimension_id: str) -> str:
    """The rubric label of a dimension id; an unknown id (from a newer app) stays readable."""
    dim = DIMENSION_BY_ID.get(dimension_id)
    return dim.label if dim else dimension_id.replace("_", " ").capitalize()


# The dimension each category exercises most: what a diagnose question is about is the diagnosis,
# a trade-off question the decision. Live pacing names it when time runs short before it is
# reached; the practice plan picks questions of that category for a weak dimension.
PRIMARY_DIMENSION: dict[str, str] = {
    "design": "system_design",
    "diagnose": "diagnosis",
    "metrics": "metrics",
    "experimentation": "experimentation",
    "tradeoff": "tradeoffs",
    "behavior": "user_signals",
}
