"""Import a recording made elsewhere (a phone, a call with a friend) as a graded session.

The file is decoded and converted to 16 kHz mono WAV in the new session's
``audio/turn-01.wav`` (so replay and re-transcription work like for any recorded answer), then
transcribed with local Whisper, graded, and saved; it appears in the library like any session.

Formats (decoding is ``engine.speech.audio_io.load_audio``):

* wav, flac, ogg (Vorbis/Opus), mp3, aiff: always, through libsndfile (``soundfile`` wheels
  bundle libsndfile 1.2, which reads mp3).
* m4a, aac, webm, mp4 and other containers: through PyAV (installed with faster-whisper),
  and as a last resort through an ``ffmpeg`` binary on PATH when one is installed.

A file that is not audio is refused with ``AudioDecodeError`` before any session folder is
created; if transcription or grading fails afterwards, the half-made session folder is removed
(the original recording is untouched where it was), so the library never holds a broken import.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.errors import GradingError, MockInterviewError
from engine.grading.base import GradeRequest
from engine.questions.model import Question, free_question
from engine.store.model import (
    ROLE_ANSWER,
    STATUS_COMPLETE,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.store.sessions import create_session, save_session, turn_audio_path

IMPORT_KIND = "import"


def resolve_question(
    question_id: str | None, question_text: str | None, category: str | None
) -> Question:
    """The bank question by id, or a free question (category inferred from the text if absent).

    Raises:
        UnknownQuestionError: no bank question with that id.
        GradingError: neither an id nor a text was given.
    """
    if question_id:
        from engine.questions.bank import default_bank

        return default_bank().get(question_id)
    text = " ".join((question_text or "").split())
    if not text:
        raise GradingError("give a bank question id or the text of the question answered")
    from engine.grading.categories import infer_category

    return free_question(text, category or infer_category(text))


def import_recording(
    audio: str | Path,
    question_id: str | None = None,
    question_text: str | None = None,
    category: str | None = None,
    engine: str = "offline",
    model: str | None = None,
) -> Session:
    """Import ``audio`` as the answer to a question; returns the saved, graded session.

    Raises:
        AudioDecodeError: the file is missing, not audio, or empty.
        UnknownQuestionError: ``question_id`` is not in the bank.
        TranscriptionError: the recording holds no speech.
        ModelError: the Whisper model cannot be loaded.
        StorageFullError: the data dir cannot be written.
    """
    from engine.engines import make_grader
    from engine.speech.audio_io import SAMPLE_RATE, load_audio, write_wav
    from engine.speech.transcriber import get_transcriber

    source = Path(audio)
    question = resolve_question(question_id, question_text, category)
    grader = make_grader(engine)
    transcriber = get_transcriber(model)
    samples = load_audio(source)  # refuses non-audio before anything is written
    session = create_session(
        kind=IMPORT_KIND,
        settings={
            "engine": engine,
            "whisper_model": transcriber.model_name,
            "source_file": source.name,
            "time_limit_s": question.time_limit_s,
        },
        title=f"{source.stem} ({question.id or 'free question'})",
    )
    try:
        wav = turn_audio_path(session, 1)
        write_wav(wav, samples, SAMPLE_RATE)
        transcript = transcriber.transcribe_file(wav)
        grade = grader.grade(
            GradeRequest(question=question, transcript=transcript, follow_ups_left=1)
        )
        turn = Turn(
            index=1,
            role=ROLE_ANSWER,
            prompt=question.prompt,
            audio=str(wav.relative_to(session.folder)),
            duration_s=len(samples) / float(SAMPLE_RATE),
            transcript=transcript,
        )
        turn.add_grading(GradingRecord(grade=grade, whisper_model=transcriber.model_name))
        ref = dict(question.to_ref())
        ref["time_limit_s"] = question.time_limit_s
        session.questions.append(QuestionRecord(question=ref, turns=[turn]))
        session.status = STATUS_COMPLETE
        save_session(session)
    except MockInterviewError:
        _discard(session)
        raise
    return session


def _discard(session: Session) -> None:
    """Remove a half-made import and drop it from the index (the next listing sees it gone)."""
    shutil.rmtree(session.folder, ignore_errors=True)
