"""Builders of realistic sessions from the real dataclasses, for store and report tests.

They use the real ``create_session``/``save_session`` and real ``Grade`` objects; only the
grade *values* are chosen here, so tests can assert exact scores in listings and reports.
"""

from __future__ import annotations

from engine.grading.result import DimensionScore, Evidence, FollowUpSuggestion, Grade, Pacing, Stage
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    STATUS_COMPLETE,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.store.sessions import create_session, save_session
from engine.transcript import Segment, Transcript, Word

QUESTION = {
    "id": "feed-ranking",
    "text": "Design recommendations for a short-video feed.",
    "category": "design",
    "time_limit_s": 120,
}

MAIN_TEXT = (
    "First I would clarify who the users are. I would measure watch time and track retention "
    "as a guardrail. Clicks are noisy so I would not trust them alone."
)
FOLLOW_TEXT = "To avoid a feedback loop I would reserve some traffic for exploration."


def timed_transcript(
    text: str, seconds_per_word: float = 0.4, model: str = "tiny.en"
) -> Transcript:
    """A transcript with word timings, as Whisper would give (one segment)."""
    words = []
    t = 0.5
    for token in text.split():
        words.append(Word(t, t + seconds_per_word * 0.8, " " + token))
        t += seconds_per_word
    segment = Segment(0.5, t, text, tuple(words))
    return Transcript(segments=(segment,), duration_s=t + 0.5, model=model)


def make_grade(
    scores: dict[str, int | None],
    *,
    overall: float | None = None,
    evidence: dict[str, list[tuple[str, float | None]]] | None = None,
    missing: dict[str, list[str]] | None = None,
    duration_s: float = 30.0,
    time_limit_s: float | None = 120.0,
    wpm: float = 140.0,
    fillers: int = 2,
    engine: str = "offline",
    fallback: dict | None = None,
    follow_up: FollowUpSuggestion | None = None,
) -> Grade:
    """A Grade with the given per-dimension scores and a plausible pacing block."""
    evidence = evidence or {}
    missing = missing or {}
    dims = tuple(
        DimensionScore(
            id=dim,
            score=score,
            evidence=tuple(Evidence(q, s) for q, s in evidence.get(dim, [])),
            missing=tuple(missing.get(dim, [])),
        )
        for dim, score in scores.items()
    )
    numeric = [s for s in scores.values() if s is not None]
    if overall is None:
        overall = round(sum(numeric) / len(numeric), 2) if numeric else 1.0
    words = int(wpm * duration_s / 60)
    pacing = Pacing(
        duration_s=duration_s,
        words=words,
        wpm=wpm,
        filler_count=fillers,
        long_pauses=1,
        time_to_first_word_s=0.5,
        stages=(
            Stage("problem_framing", 0.5, duration_s * 0.4),
            Stage("metrics", duration_s * 0.4, duration_s * 0.8),
            Stage("system_design", duration_s * 0.8, duration_s),
        ),
        time_limit_s=time_limit_s,
        fillers={"um": fillers} if fillers else {},
        allocation_verdict="Framing took the largest share of the time.",
    )
    return Grade(
        engine=engine,
        question={"id": QUESTION["id"], "text": QUESTION["text"], "category": "design"},
        overall=overall,
        dimensions=dims,
        pacing=pacing,
        follow_up=follow_up,
        fallback=fallback,
        engine_version="test-1",
    )


MAIN_SCORES = {
    "problem_framing": 3,
    "metrics": 2,
    "user_signals": 3,
    "system_design": 1,
    "tradeoffs": 1,
    "experimentation": 1,
    "communication": 3,
}
FOLLOW_SCORES = {
    "problem_framing": 2,
    "metrics": 2,
    "user_signals": 4,
    "system_design": 1,
    "tradeoffs": 3,
    "experimentation": 1,
    "communication": 3,
}


def build_interview_session(title: str = "feed practice", *, save: bool = True) -> Session:
    """A finished interview: one question, a main answer, a clarification and a follow-up answer."""
    session = create_session(kind="interview", settings={"engine": "offline"}, title=title)
    probe = FollowUpSuggestion("How do you avoid a feedback loop?", "user_signals")
    main = Turn(
        index=1,
        role=ROLE_ANSWER,
        prompt=QUESTION["text"],
        duration_s=30.0,
        transcript=timed_transcript(MAIN_TEXT),
    )
    main.add_grading(
        GradingRecord(
            make_grade(
                MAIN_SCORES,
                overall=2.0,
                evidence={
                    "problem_framing": [("First I would clarify who the users are.", 0.5)],
                    "metrics": [("I would measure watch time", 3.7)],
                },
                missing={
                    "metrics": ["a guardrail metric", "why the proxy can mislead"],
                    "user_signals": ["feedback loops"],
                    "tradeoffs": ["explore versus exploit"],
                },
                follow_up=probe,
            ),
            whisper_model="tiny.en",
        )
    )
    clarify = Turn(
        index=2,
        role=ROLE_CLARIFICATION,
        prompt="",
        transcript=Transcript.from_text("How many users do we have?"),
        interviewer_reply="Assume fifty million daily users.",
    )
    follow = Turn(
        index=3,
        role=ROLE_FOLLOW_UP,
        prompt=probe.text,
        follow_up=probe.to_dict(),
        duration_s=20.0,
        transcript=timed_transcript(FOLLOW_TEXT),
    )
    follow.add_grading(
        GradingRecord(
            make_grade(
                FOLLOW_SCORES,
                overall=2.3,
                evidence={
                    "user_signals": [("To avoid a feedback loop", 0.5)],
                    "tradeoffs": [("reserve some traffic for exploration", 4.5)],
                },
                missing={"metrics": ["a guardrail metric"], "tradeoffs": []},
                duration_s=20.0,
                time_limit_s=60.0,
            ),
            whisper_model="tiny.en",
        )
    )
    session.questions.append(QuestionRecord(question=dict(QUESTION), turns=[main, clarify, follow]))
    session.status = STATUS_COMPLETE
    if save:
        save_session(session)
    return session
