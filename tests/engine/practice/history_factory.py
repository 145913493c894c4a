"""Prepared histories for the practice-loop tests: real sessions saved in the isolated data dir.

Scores are chosen by the test (real ``Grade`` objects from ``tests.engine.store.factories``), so
a test can say "metrics was the lowest in four of five sessions" and check what the plan does.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from engine.questions.bank import default_bank
from engine.store.model import ROLE_ANSWER, STATUS_COMPLETE, GradingRecord, QuestionRecord, Turn
from engine.store.sessions import create_session, save_session
from tests.engine.store.factories import make_grade, timed_transcript

BASE_SCORES = {
    "problem_framing": 3,
    "metrics": 3,
    "user_signals": 3,
    "system_design": 3,
    "tradeoffs": 3,
    "experimentation": 3,
    "communication": 3,
}


def scores_with(**changes: int) -> dict[str, int]:
    """Solid everywhere except the dimensions named."""
    return {**BASE_SCORES, **changes}


def save_attempt(question_id: str, day: date, scores: dict[str, int], hour: int = 9):
    """Save a finished session in which ``question_id`` was answered on ``day`` with ``scores``."""
    question = default_bank().get(question_id)
    session = create_session(kind="interview", settings={"engine": "offline"}, title=question.id)
    session.created_at = datetime.combine(day, time(hour), tzinfo=timezone.utc).isoformat()
    applicable = {
        k: v for k, v in scores.items() if k != "diagnosis" or question.category == "diagnose"
    }
    grade = make_grade(applicable, overall=round(sum(applicable.values()) / len(applicable), 2))
    turn = Turn(
        index=1,
        role=ROLE_ANSWER,
        prompt=question.prompt,
        duration_s=30.0,
        transcript=timed_transcript("I would start from the users and then pick a metric."),
    )
    turn.add_grading(GradingRecord(grade, whisper_model="tiny.en"))
    ref = {
        "id": question.id,
        "text": question.prompt,
        "category": question.category,
        "time_limit_s": question.time_limit_s,
    }
    session.questions.append(QuestionRecord(question=ref, turns=[turn]))
    session.status = STATUS_COMPLETE
    save_session(session)
    return session


def save_graded_answer(question_id: str, text: str):
    """Save an interview session in which ``text`` was answered and graded by the real grader."""
    from engine.engines import make_grader
    from engine.grading.base import GradeRequest
    from engine.transcript import Transcript

    question = default_bank().get(question_id)
    transcript = Transcript.from_text(text)
    grade = make_grader("offline").grade(GradeRequest(question=question, transcript=transcript))
    session = create_session(kind="interview", settings={"engine": "offline"}, title=question.id)
    turn = Turn(index=1, role=ROLE_ANSWER, prompt=question.prompt, transcript=transcript)
    turn.add_grading(GradingRecord(grade))
    ref = {**question.to_ref(), "time_limit_s": question.time_limit_s}
    session.questions.append(QuestionRecord(question=ref, turns=[turn]))
    session.status = STATUS_COMPLETE
    save_session(session)
    return session
