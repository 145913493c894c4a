"""Shared material for the LLM engine tests: a question, a timed answer, grade-reply builders."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.grading.base import GradeRequest
from engine.llm.settings import LLMSettings
from engine.questions.model import FollowUp, Question
from engine.rubric import DIMENSION_IDS, applicable_dimensions
from engine.transcript import Segment, Transcript, Word

FEED_QUESTION = Question(
    id="test-feed",
    category="design",
    prompt="Design the recommendation system for a short-video feed.",
    time_limit_s=300,
    expected={
        "metrics": (
            "seven-day retention as the north star",
            "explains how watch time can mislead",
            "a guardrail such as the report rate",
        ),
        "system_design": ("a popularity baseline first", "two stages: retrieval then ranking"),
    },
    follow_ups=(
        FollowUp("What are the limits of watch time as a metric?", "metrics", ("watch time",)),
        FollowUp("How would you test this before a full launch?", "experimentation"),
    ),
)

ANSWER_SENTENCES = (
    "First I would think about the users: casual viewers who want fun videos quickly.",
    "I would measure success with seven day retention, and watch time only as a proxy, "
    "because watch time can reward clickbait, so I add a guardrail on the report rate.",
    "For the system I start with a popularity baseline, then a two tower retrieval model "
    "and a ranker within a fifty millisecond latency budget.",
)

WORD_SECONDS = 0.4
SENTENCE_GAP_S = 0.6


def timed_transcript(sentences: tuple[str, ...] = ANSWER_SENTENCES) -> Transcript:
    """A transcript with word timings, shaped like Whisper's (leading spaces on words)."""
    segments = []
    clock = 0.5
    for sentence in sentences:
        words = []
        start = clock
        for token in sentence.split():
            words.append(Word(clock, clock + WORD_SECONDS - 0.05, " " + token))
            clock += WORD_SECONDS
        segments.append(Segment(start, clock, " " + sentence, tuple(words)))
        clock += SENTENCE_GAP_S
    return Transcript(tuple(segments), duration_s=clock, model="test")


def word_start(transcript: Transcript, first_word: str, occurrence: int = 0) -> float:
    """When the ``occurrence``-th word equal to ``first_word`` was spoken."""
    starts = [w.start for w in transcript.words if w.word.strip() == first_word]
    return starts[occurrence]


@pytest.fixture
def feed_request() -> GradeRequest:
    return GradeRequest(question=FEED_QUESTION, transcript=timed_transcript())


def grade_reply(
    scores: dict[str, int] | None = None,
    evidence: dict[str, list[str]] | None = None,
    *,
    category: str = "design",
    follow_up: str = "How would you stop the feed from narrowing what each person sees?",
    feedback: str = "Decide on a trade-off and explain how you would test the ranker.",
) -> str:
    """A grade reply as a server following the schema would send it."""
    scores = scores or {}
    evidence = evidence or {}
    applicable = applicable_dimensions(category)
    dimensions: dict[str, Any] = {}
    for dim in DIMENSION_IDS:
        if dim not in applicable:
            dimensions[dim] = {"score": None, "evidence": [], "missing": []}
            continue
        dimensions[dim] = {
            "score": scores.get(dim, 2),
            "evidence": evidence.get(dim, []),
            "missing": [f"more depth on {dim.replace('_', ' ')}"],
        }
    return json.dumps(
        {
            "dimensions": dimensions,
            "feedback": feedback,
            "follow_up": {"text": follow_up, "dimension": "tradeoffs"},
        }
    )


def stub_settings(base_url: str, **overrides: Any) -> LLMSettings:
    """Settings for a scripted endpoint: short timeout so failures are quick."""
    values: dict[str, Any] = {
        "provider": "custom",
        "base_url": base_url,
        "model": "stub-model",
        "timeout_s": 5.0,
        "structured_output": "auto",
    }
    values.update(overrides)
    return LLMSettings(**values)
