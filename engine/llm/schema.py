"""The JSON schema the LLM's grade must follow, and the two ways of asking a server for it.

Dimensions are an object keyed by rubric id (not a list) so that "all eight present" is part of
the schema itself: a grammar-constrained server (llama.cpp) cannot leave one out, and OpenAI's
strict mode rejects a reply that does. Scores are an ``enum`` of 1-4 rather than a numeric range
because both OpenAI strict mode and llama.cpp's grammar converter honour enums, while numeric
bounds are ignored by some servers. For questions that are not ``diagnose``, the ``diagnosis``
score must be ``null``.

Limits the schema cannot express portably (how many quotes, how long a string) are enforced in
``engine.llm.validate``.
"""

from __future__ import annotations

from typing import Any

from engine.rubric import DIMENSION_IDS, SCORE_MAX, SCORE_MIN, applicable_dimensions

SCHEMA_NAME = "mockinterview_grade"
MAX_QUOTES_PER_DIMENSION = 3
BOUNDED_MISSING_ITEMS = 3
SCORES = list(range(SCORE_MIN, SCORE_MAX + 1))


def grade_schema(category: str, *, bounded: bool = False) -> dict[str, Any]:
    """The schema of one grade for a question of ``category`` (strict-mode compatible).

    Args:
        category: decides whether ``diagnosis`` is scored.
        bounded: cap the evidence and missing lists with ``maxItems``. llama.cpp turns the cap
            into its sampling grammar, which stops a small local model from listing quotes until
            it runs out of tokens; it is left out of the OpenAI form, whose strict mode accepts
            only a subset of JSON Schema keywords.
    """
    applicable = applicable_dimensions(category)
    dimensions = {
        dim: _dimension_schema(scored=dim in applicable, bounded=bounded) for dim in DIMENSION_IDS
    }
    return {
        "type": "object",
        "properties": {
            "dimensions": {
                "type": "object",
                "properties": dimensions,
                "required": list(DIMENSION_IDS),
                "additionalProperties": False,
            },
            "feedback": {"type": "string"},
            "follow_up": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "dimension": {"type": "string", "enum": list(applicable)},
                },
                "required": ["text", "dimension"],
                "additionalProperties": False,
            },
        },
        "required": ["dimensions", "feedback", "follow_up"],
        "additionalProperties": False,
    }


def _dimension_schema(*, scored: bool, bounded: bool) -> dict[str, Any]:
    score: dict[str, Any] = {"type": "integer", "enum": SCORES} if scored else {"type": "null"}
    evidence: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    missing: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    if bounded:
        evidence["maxItems"] = MAX_QUOTES_PER_DIMENSION
        missing["maxItems"] = BOUNDED_MISSING_ITEMS
    return {
        "type": "object",
        "properties": {"score": score, "evidence": evidence, "missing": missing},
        "required": ["score", "evidence", "missing"],
        "additionalProperties": False,
    }


def response_format(style: str, category: str) -> dict[str, Any]:
    """The ``response_format`` argument for a structured-output ``style``.

    Args:
        style: ``json_schema`` (OpenAI, LM Studio, vLLM, recent Ollama) or ``json_object``
            (llama-cpp-python's server, which takes the schema next to the type).
        category: the question category, which decides whether ``diagnosis`` is scored.
    """
    if style == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "schema": grade_schema(category), "strict": True},
        }
    if style == "json_object":
        return {"type": "json_object", "schema": grade_schema(category, bounded=True)}
    raise ValueError(f"unknown structured-output style {style!r}")
