"""Questions as plain data: the ``questions list --json`` output and anything that exports them.

The keys mirror the YAML fields one to one (README in question_bank/), so what a user reads in
the JSON is what they would write in their own file; ``source`` is added so a tool can jump to
the definition.
"""

from __future__ import annotations

from typing import Any

from engine.questions.model import FollowUp, Question, RedFlag


def follow_up_to_dict(follow_up: FollowUp) -> dict[str, Any]:
    """A follow-up with its optional fields present (empty list / null) for easy consumption."""
    return {
        "text": follow_up.text,
        "dimension": follow_up.dimension,
        "triggers": list(follow_up.triggers),
        "constraint": follow_up.constraint,
    }


def red_flag_to_dict(red_flag: RedFlag) -> dict[str, Any]:
    """A red flag as its YAML mapping."""
    return {
        "text": red_flag.text,
        "dimension": red_flag.dimension,
        "claims": list(red_flag.claims),
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    """Every field of a question, JSON-ready."""
    return {
        "id": question.id,
        "category": question.category,
        "difficulty": question.difficulty,
        "time_limit_s": question.time_limit_s,
        "prompt": question.prompt,
        "context": question.context,
        "expected": {dim: list(points) for dim, points in question.expected.items()},
        "follow_ups": [follow_up_to_dict(f) for f in question.follow_ups],
        "clarifications": dict(question.clarifications),
        "tags": list(question.tags),
        "red_flags": [red_flag_to_dict(r) for r in question.red_flags],
        "source": question.source,
    }
