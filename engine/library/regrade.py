"""Grade a stored session again, optionally after transcribing it again with another model.

Nothing is thrown away: a re-transcription pushes the old transcript onto
``turn.transcript_history`` and every grading is appended as a ``GradingRecord`` (engine, engine
version, Whisper model, time), with the newest one current. Turns recovered after a crash have
audio but no transcript; they are transcribed here with the session's model first.
"""

from __future__ import annotations

import os

from engine.errors import AudioDecodeError, SessionError, UnknownQuestionError
from engine.grading.base import GradeRequest
from engine.grading.result import Grade
from engine.library.recovery import turn_audio_file
from engine.questions.model import FollowUp, Question, free_question
from engine.store.locks import read_lock
from engine.store.model import (
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    STATUS_IN_PROGRESS,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.store.sessions import save_session
from engine.transcript import Transcript

DEFAULT_TIME_LIMIT_S = 300


def question_from_record(record: QuestionRecord) -> Question:
    """The bank question a record refers to, or a free question with the stored text.

    A bank question that has since been removed or renamed is graded as a free question with
    the same text and category, so old sessions stay re-gradable.
    """
    ref = record.question
    limit = ref.get("time_limit_s")
    limit_s = int(limit) if limit else DEFAULT_TIME_LIMIT_S
    qid = ref.get("id")
    if qid:
        from engine.questions.bank import default_bank

        try:
            return default_bank().get(str(qid))
        except UnknownQuestionError:
            pass
    return free_question(
        str(ref.get("text") or ""), str(ref.get("category") or "design"), time_limit_s=limit_s
    )


def _probe_of(turn: Turn) -> FollowUp | None:
    if turn.role != ROLE_FOLLOW_UP or not turn.follow_up:
        return None
    probe = turn.follow_up
    return FollowUp(
        text=str(probe.get("text") or turn.prompt),
        dimension=str(probe.get("dimension") or "communication"),
        constraint=probe.get("constraint"),
    )


def grade_request_for(
    session: Session, record: QuestionRecord, turn: Turn, question: Question
) -> GradeRequest:
    """Rebuild what the grader saw during the interview for ``turn``."""
    assert turn.transcript is not None
    earlier = record.turns[: record.turns.index(turn)]
    previous = tuple(
        t.transcript for t in earlier if t.role != ROLE_CLARIFICATION and t.transcript is not None
    )
    clarifications = tuple(
        (t.transcript.text if t.transcript else t.prompt)
        for t in earlier
        if t.role == ROLE_CLARIFICATION
    )
    asked = frozenset(
        str(t.follow_up.get("text"))
        for t in session.turns
        if t.follow_up and t.follow_up.get("text")
    )
    limit = record.question.get("time_limit_s")
    return GradeRequest(
        question=question,
        transcript=turn.transcript,
        time_limit_s=float(limit) if limit else None,
        prompt=_probe_of(turn),
        previous_answers=previous,
        asked_probes=asked,
        follow_ups_left=1,
        clarifications_asked=clarifications,
    )


def _transcribe(session: Session, turn: Turn, model: str | None) -> bool:
    """(Re)transcribe one turn from its audio; False when it has none."""
    path = turn_audio_file(session, turn)
    if path is None:
        return False
    from engine.speech.transcriber import get_transcriber

    fresh = get_transcriber(model).transcribe_file(path, allow_silence=True)
    if turn.transcript is not None:
        turn.transcript_history.append(turn.transcript)
    turn.transcript = fresh
    if fresh.duration_s > 0:
        turn.duration_s = fresh.duration_s
    return True


def retranscribe_session(session: Session, model: str) -> int:
    """Transcribe every answer with audio again with ``model``; returns how many were done.

    Raises:
        SessionError: the session holds no audio at all (text-only or imported as text).
        ModelError: the model cannot be found or loaded.
    """
    answers = [t for t in session.turns if t.role != ROLE_CLARIFICATION]
    with_audio = [t for t in answers if turn_audio_file(session, t) is not None]
    if not with_audio:
        raise SessionError(
            f"session {session.id} has no audio to re-transcribe (its answers are text only, or "
            "the audio files were removed); regrade it without --retranscribe"
        )
    for turn in with_audio:
        _transcribe(session, turn, model)
    return len(with_audio)


def regrade_session(
    session: Session,
    engine: str = "offline",
    retranscribe_model: str | None = None,
    save: bool = True,
) -> list[tuple[Turn, Grade]]:
    """Grade every answer of ``session`` again with ``engine`` and keep the new gradings current.

    Turns with audio but no transcript (recovered after a crash) are transcribed first with the
    session's Whisper model; with ``retranscribe_model`` every answer with audio is transcribed
    again with that model. Answers with neither transcript nor audio are skipped.

    Returns:
        (turn, new grade) for each answer graded, in session order.

    Raises:
        SessionError: ``retranscribe_model`` was given but the session has no audio; or the
            session has nothing to grade. A recording that cannot be decoded is skipped (and
            noted in ``session.notes``) when other answers can still be graded.
        ConfigError: unknown engine.
    """
    from engine.engines import make_grader

    _refuse_if_recording_elsewhere(session)
    grader = make_grader(engine)
    if retranscribe_model:
        retranscribe_session(session, retranscribe_model)
    session_model = str(session.settings.get("whisper_model") or "") or None
    results: list[tuple[Turn, Grade]] = []
    unreadable: list[str] = []
    for record in session.questions:
        question = None
        for turn in record.turns:
            if turn.role == ROLE_CLARIFICATION:
                continue
            if turn.transcript is None:
                try:
                    _transcribe(session, turn, session_model)
                except AudioDecodeError as exc:
                    # One damaged recording must not block grading the others; say so instead.
                    unreadable.append(f"answer {turn.index}: {exc}")
                    continue
            if turn.transcript is None or not _has_words(turn.transcript):
                continue
            question = question or question_from_record(record)
            grade = grader.grade(grade_request_for(session, record, turn, question))
            turn.add_grading(GradingRecord(grade=grade, whisper_model=turn.transcript.model))
            results.append((turn, grade))
    if not results:
        detail = f"; {'; '.join(unreadable)}" if unreadable else " (nothing was said)"
        raise SessionError(f"session {session.id} has no answer to grade{detail}")
    session.notes.extend(
        f"Not graded, the recording could not be read: {problem}" for problem in unreadable
    )
    if save:
        save_session(session)
    return results


def _refuse_if_recording_elsewhere(session: Session) -> None:
    """Two writers on one session would overwrite each other's turns; let the recorder finish."""
    if session.status != STATUS_IN_PROGRESS or session.folder is None:
        return
    owner = read_lock(session.folder)
    if owner is not None and owner.pid != os.getpid() and owner.is_alive():
        raise SessionError(
            f"session {session.id} is still being recorded by another mockinterview window "
            f"(process {owner.pid}); finish or close that interview first"
        )


def _has_words(transcript: Transcript) -> bool:
    return bool(transcript.text.strip())
