"""Answer the same question again and see what changed, dimension by dimension.

A retry is an ordinary graded session whose settings carry ``retry_of`` (the earlier session and
the question's number in it), so attempts of one question are linked in the store and survive
an index rebuild. The earlier attempt is read from its stored grading: its audio may be gone,
the transcript and scores are enough. ``compare_attempts`` is what the report shows: score
before → after per dimension, the quotes that are new this time, and what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import ConfigError, MockInterviewError
from engine.grading.base import GradeRequest
from engine.library.regrade import question_from_record
from engine.questions.model import Question
from engine.report.builder import QuestionReport, build_report, dimension_label
from engine.store.model import (
    ROLE_ANSWER,
    STATUS_COMPLETE,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.store.sessions import create_session, load_session, save_session, turn_audio_path
from engine.transcript import Transcript

RETRY_KIND = "retry"


@dataclass(frozen=True)
class RetryTarget:
    """The earlier attempt being retried: its session, question number and the question."""

    session: Session
    number: int
    question: Question

    @property
    def record(self) -> QuestionRecord:
        return self.session.questions[self.number - 1]


def retry_target(session_ref: str | Path, number: int = 1) -> RetryTarget:
    """The question ``number`` (1-based) of a stored session, ready to be answered again.

    Raises:
        SessionNotFoundError: no such session.
        ConfigError: the session has no question with that number.
    """
    session = load_session(session_ref)
    if not 1 <= number <= len(session.questions):
        count = len(session.questions)
        raise ConfigError(
            f"session {session.id} has {count} question{'s' if count != 1 else ''}; "
            f"--question must be 1-{count}"
            if count
            else f"session {session.id} has no questions"
        )
    record = session.questions[number - 1]
    return RetryTarget(session, number, question_from_record(record))


def save_retry(
    target: RetryTarget,
    transcript: Transcript,
    *,
    samples: Any | None = None,
    engine: str = "offline",
    whisper_model: str = "",
) -> Session:
    """Grade a new answer to the target's question and save it as a linked session.

    ``samples`` (16 kHz mono float32) is written as the turn's audio when the answer was spoken.

    Raises:
        StorageFullError: the data dir cannot be written (nothing half-made is left behind).
    """
    from engine.engines import make_grader
    from engine.speech.audio_io import SAMPLE_RATE, write_wav

    question = target.question
    session = create_session(
        kind=RETRY_KIND,
        settings={
            "engine": engine,
            "whisper_model": whisper_model,
            "time_limit_s": question.time_limit_s,
            "retry_of": {"session": target.session.id, "question": target.number},
        },
        title=f"retry: {question.id or question.prompt[:40]}",
    )
    try:
        audio = None
        duration = transcript.duration_s
        if samples is not None and len(samples):
            wav = turn_audio_path(session, 1)
            write_wav(wav, samples, SAMPLE_RATE)
            audio = str(wav.relative_to(session.folder))
            duration = len(samples) / float(SAMPLE_RATE)
        grade = make_grader(engine).grade(
            GradeRequest(question=question, transcript=transcript, follow_ups_left=1)
        )
        turn = Turn(
            index=1,
            role=ROLE_ANSWER,
            prompt=question.prompt,
            audio=audio,
            duration_s=duration,
            transcript=transcript,
        )
        turn.add_grading(GradingRecord(grade=grade, whisper_model=whisper_model))
        ref = dict(target.record.question)
        ref.setdefault("time_limit_s", question.time_limit_s)
        session.questions.append(QuestionRecord(question=ref, turns=[turn]))
        session.status = STATUS_COMPLETE
        save_session(session)
    except MockInterviewError:
        import shutil

        shutil.rmtree(session.folder, ignore_errors=True)
        raise
    return session


def retry_link(session: Session) -> tuple[str, int] | None:
    """(earlier session id, question number) when ``session`` is a retry, else None."""
    link = session.settings.get("retry_of")
    if not isinstance(link, dict) or not link.get("session"):
        return None
    try:
        return str(link["session"]), int(link.get("question") or 1)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class DimensionChange:
    """One row of the before → after table."""

    dimension: str
    label: str
    before: int | None
    after: int | None
    new_quotes: tuple[str, ...]
    still_missing: tuple[str, ...]

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "new_quotes": list(self.new_quotes),
            "still_missing": list(self.still_missing),
        }


@dataclass(frozen=True)
class AttemptComparison:
    """The earlier and the new attempt at one question, side by side."""

    before_session: str
    after_session: str
    overall_before: float | None
    overall_after: float | None
    rows: tuple[DimensionChange, ...]

    @property
    def overall_delta(self) -> float | None:
        if self.overall_before is None or self.overall_after is None:
            return None
        return round(self.overall_after - self.overall_before, 2)

    @property
    def improved(self) -> tuple[DimensionChange, ...]:
        return tuple(r for r in self.rows if (r.delta or 0) > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "before_session": self.before_session,
            "after_session": self.after_session,
            "overall_before": self.overall_before,
            "overall_after": self.overall_after,
            "overall_delta": self.overall_delta,
            "dimensions": [r.to_dict() for r in self.rows],
        }


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def compare_question_reports(
    before: QuestionReport, after: QuestionReport, before_id: str, after_id: str
) -> AttemptComparison:
    """Per dimension: score before → after, the quotes new this time, what is still missing."""
    earlier = {d.id: d for d in before.dimensions}
    rows = []
    for dim in after.dimensions:
        old = earlier.get(dim.id)
        old_quotes = {_norm(e.quote) for e in old.evidence} if old else set()
        new_quotes = tuple(e.quote for e in dim.evidence if _norm(e.quote) not in old_quotes)
        rows.append(
            DimensionChange(
                dim.id,
                dimension_label(dim.id),
                old.score if old else None,
                dim.score,
                new_quotes,
                tuple(dim.missing),
            )
        )
    return AttemptComparison(before_id, after_id, before.overall, after.overall, tuple(rows))


def compare_with_previous(retry: Session) -> AttemptComparison | None:
    """The comparison a retry's report shows; None if it is no retry or the earlier one is gone."""
    link = retry_link(retry)
    if link is None or not retry.questions:
        return None
    earlier_id, number = link
    try:
        earlier = load_session(earlier_id)
    except MockInterviewError:
        return None
    if not 1 <= number <= len(earlier.questions):
        return None
    before = build_report(earlier).questions[number - 1]
    after = build_report(retry).questions[0]
    return compare_question_reports(before, after, earlier.id, retry.id)
