"""The JSON schema the LLM's grade must follow, and the two ways of asking a server for it.

The schema is deliberately small, because every output token costs time on a CPU-only local
server and a grammar-constrained sampler checks every token against it:

- ``dimensions`` is an object keyed by rubric id (not a list), holding exactly the dimensions
  that apply to the question's category (``diagnosis`` only for diagnose questions), so "every
  applicable dimension present" is part of the schema itself: a grammar-constrained server
  (llama.cpp) cannot leave one out and OpenAI's strict mode rejects a reply that does. The grade
  still carries all eight dimensions; the grader fills the inapplicable ones from the offline
  engine, as everywhere.
- per dimension: ``score`` (an ``enum`` of 1-4, which both OpenAI strict mode and llama.cpp's
  grammar converter honour, where numeric bounds are ignored by some servers), ``evidence``
  (short verbatim quotes) and ``missing`` (short phrases);
- ``feedback``: a sentence or two.

The follow-up probe is not part of the grade: in a live interview it is streamed separately
(``engine.llm.follow_ups``) so speech can start before any grading has finished.

``bounded`` adds ``maxItems``/``maxLength``. llama.cpp turns them into its sampling grammar, so a
small local model cannot list quotes or ramble inside a string until it runs out of tokens; the
longest reply the grammar admits is a few hundred tokens. They are left out of the OpenAI form,
whose strict mode accepts only a subset of JSON Schema keywords; ``engine.llm.validate`` trims
whatever a server returns in any case.
"""

from __future__ import annotations

from typing import Any

from engine.rubric import SCORE_MAX, SCORE_MIN, applicable_dimensions

SCHEMA_NAME = "mockinterview_grade"
MAX_QUOTES_PER_DIMENSION = 2
MAX_MISSING_PER_DIMENSION = 2
MAX_QUOTE_CHARS = 60
MAX_MISSING_CHARS = 50
MAX_FEEDBACK_CHARS = 200
SCORES = list(range(SCORE_MIN, SCORE_MAX + 1))


def grade_schema(category: str, *, bounded: bool = False) -> dict[str, Any]:
    """The schema of one grade for a question of ``category`` (strict-mode compatible).

    Args:
        category: decides which dimensions are asked for (``diagnosis`` only for diagnose).
        bounded: cap list lengths and string lengths (the llama.cpp form; see module docstring).
    """
    applicable = applicable_dimensions(category)
    dimensions = {dim: _dimension_schema(bounded=bounded) for dim in applicable}
    feedback: dict[str, Any] = {"type": "string"}
    if bounded:
        feedback["maxLength"] = MAX_FEEDBACK_CHARS
    return {
        "type": "object",
        "properties": {
            "dimensions": {
                "type": "object",
                "properties": dimensions,
                "required": list(applicable),
                "additionalProperties": False,
            },
            "feedback": feedback,
        },
        "required": ["dimensions", "feedback"],
        "additionalProperties": False,
    }


def _dimension_schema(*, bounded: bool) -> dict[str, Any]:
    evidence = _string_list(MAX_QUOTES_PER_DIMENSION, MAX_QUOTE_CHARS, bounded=bounded)
    missing = _string_list(MAX_MISSING_PER_DIMENSION, MAX_MISSING_CHARS, bounded=bounded)
    return {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "enum": SCORES},
            "evidence": evidence,
            "missing": missing,
        },
        "required": ["score", "evidence", "missing"],
        "additionalProperties": False,
    }


def _string_list(max_items: int, max_chars: int, *, bounded: bool) -> dict[str, Any]:
    if not bounded:
        return {"type": "array", "items": {"type": "string"}}
    return {
        "type": "array",
        "items": {"type": "string", "maxLength": max_chars},
        "maxItems": max_items,
    }


def response_format(style: str, category: str) -> dict[str, Any]:
    """The ``response_format`` argument for a structured-output ``style``.

    Args:
        style: ``json_schema`` (OpenAI, LM Studio, vLLM, recent Ollama) or ``json_object``
            (llama-cpp-python's server, which takes the schema next to the type).
        category: the question category, which decides the dimensions asked for.
    """
    if style == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "schema": grade_schema(category), "strict": True},
        }
    if style == "json_object":
        return {"type": "json_object", "schema": grade_schema(category, bounded=True)}
    raise ValueError(f"unknown structured-output style {style!r}")
