"""Guess a free question's category from its wording (``--question-text``, no ``--category``).

The category decides which dimensions apply (``diagnosis`` only for diagnose questions) and which
stages the timing verdict expects, so a wrong guess matters; the cues below are the phrasings
interviewers actually use for each kind of question. Ties and questions with no cue fall back to
``design``, the most common kind.
"""

from __future__ import annotations

import re

from engine.errors import GradingError
from engine.rubric import CATEGORIES

DEFAULT_CATEGORY = "design"

_CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "design": (
        (r"\bdesign\b", 2.0),
        (r"\bbuild\b", 1.5),
        (r"\brecommend(?:ation|er)s?\b", 1.0),
        (r"\bhow would you (?:create|make|approach)\b", 1.0),
        (r"\b(?:ranking|search|feed|detection|classifier|system)\b", 0.5),
    ),
    "diagnose": (
        (
            r"\b(?:dropped|drop|down|fell|fallen|decline[ds]?|decreas\w*|spike[ds]?|plummet\w*)\b",
            1.5,
        ),
        (r"\bwhy\b", 1.5),
        (r"\b(?:diagnose|debug|investigate|root cause|what happened)\b", 2.5),
        (r"\b(?:flat|no change|did not move|didn't move|not improve\w*)\b", 1.5),
        (r"\b(?:improve|fix)\b", 0.8),
        (r"\bwhat(?:'s| is) going on\b|\bwhat went wrong\b", 2.5),
        (r"\boffline\b.*\bonline\b|\bonline\b.*\boffline\b", 1.5),
        (r"-?\d+\s?%", 0.5),
    ),
    "metrics": (
        (r"\b(?:measure|metric|metrics|success|kpi|north star)\b", 2.0),
        (r"\bhow (?:would|do) you (?:know|tell|evaluate)\b", 1.0),
        (r"\b(?:evaluate|evaluation)\b", 0.8),
    ),
    "experimentation": (
        (r"\b(?:a/b|ab test|experiment\w*|randomi\w*|holdout|launch decision)\b", 2.5),
        (r"\b(?:test|rollout|roll out|ramp)\b", 1.0),
        (r"\bdesign (?:the|an|a) (?:experiment|test|a/b)", 2.0),
        (r"\b(?:significan\w*|sample size|power)\b", 1.5),
    ),
    "tradeoff": (
        (r"\b(?:trade-?offs?|versus|vs\.?|competing|balance)\b", 2.0),
        (r"\bship(?:\s+it)?\?", 2.5),
        (r"\b(?:should we|would you) (?:ship|launch)\b", 2.0),
        (r"[+\-−]\s?\d+\s?%.*[+\-−]\s?\d+\s?%", 2.5),
        (r"\b(?:but|while)\b.*\b(?:up|down|increase|decrease)\b", 0.8),
    ),
    "behavior": (
        (r"\b(?:implicit|signals?|behaviou?r|intent|bored|on a break|churn\w*)\b", 2.0),
        (r"\bis (?:a|the) user\b", 1.5),
        (r"\b(?:stopped|paused|skipp\w*|abandon\w*|dwell)\b", 1.0),
        (r"\b(?:tell|infer|detect) (?:whether|if|that)\b", 1.0),
    ),
}
_COMPILED = {
    category: tuple((re.compile(p, re.IGNORECASE), w) for p, w in cues)
    for category, cues in _CUES.items()
}


def infer_category(text: str) -> str:
    """The most likely category id for a free question's text (``design`` when unclear)."""
    scores = {
        category: sum(weight for pattern, weight in cues if pattern.search(text))
        for category, cues in _COMPILED.items()
    }
    best = max(scores, key=lambda c: (scores[c], c == DEFAULT_CATEGORY))
    return best if scores[best] > 0 else DEFAULT_CATEGORY


def check_category(category: str) -> str:
    """Return ``category`` if it is a known id.

    Raises:
        GradingError: it is not one of the categories in DOMAIN.md.
    """
    if category not in CATEGORIES:
        known = ", ".join(sorted(CATEGORIES))
        raise GradingError(f"unknown category {category!r}; choose one of: {known}")
    return category
