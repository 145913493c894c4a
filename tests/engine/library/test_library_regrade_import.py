"""Importing recordings and re-grading sessions with the real transcriber and grader."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import soundfile

from engine.errors import AudioDecodeError, SessionError, UnknownQuestionError
from engine.library.importer import import_recording
from engine.library.listing import list_sessions
from engine.library.regrade import regrade_session, retranscribe_session
from engine.store.sessions import load_session
from tests.engine.store.factories import build_interview_session

ANSWER_TEXT = (
    "First I would clarify who the users are and what they need. Then I would measure success "
    "with watch time and retention, with a guardrail on reports. Clicks alone are noisy, so I "
    "would not treat them as ground truth."
)


def heard_ratio(text: str) -> float:
    """Share of the TTS answer's words Whisper heard (espeak through lossy codecs is imperfect)."""
    heard = set(re.findall(r"[a-z]+", text.lower()))
    expected = re.findall(r"[a-z]+", ANSWER_TEXT.lower())
    return sum(w in heard for w in expected) / len(expected)


@pytest.fixture(scope="module")
def spoken_answer(tmp_path_factory) -> Path:
    """A short real TTS answer (espeak-ng), no digits so Whisper hears it well."""
    path = tmp_path_factory.mktemp("tts") / "answer.wav"
    subprocess.run(["espeak-ng", "-w", str(path), ANSWER_TEXT], check=True)
    return path


def _session_folders(data_dir: Path) -> list[Path]:
    root = data_dir / "sessions"
    return [p for p in root.iterdir() if p.is_dir()] if root.exists() else []


def test_import_flac_as_bank_answer_is_converted_transcribed_graded_and_listed(jfk_path):
    session = import_recording(jfk_path, question_id="design-short-video-feed")
    wav = Path(session.folder) / "audio" / "turn-01.wav"
    info = soundfile.info(str(wav))
    assert (info.samplerate, info.channels) == (16000, 1)
    assert info.frames / info.samplerate == pytest.approx(11.0, abs=0.1)
    [turn] = session.turns
    assert "ask not what your country" in turn.transcript.text.lower()
    assert turn.grade is not None and turn.grade.question["id"] == "design-short-video-feed"
    assert turn.gradings[0].whisper_model
    [summary] = list_sessions()
    assert summary.id == session.id and summary.kind == "import"
    assert summary.overall == pytest.approx(turn.grade.overall, abs=0.01)


def test_import_free_question_infers_its_category(spoken_answer):
    session = import_recording(
        spoken_answer, question_text="How would you measure success of an AI writing assistant?"
    )
    assert session.questions[0].question["category"] == "metrics"
    assert "watch time" in session.turns[0].transcript.text.lower()


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the test files")
@pytest.mark.parametrize(
    ("suffix", "codec"), [("m4a", "aac"), ("mp3", "libmp3lame"), ("ogg", "libvorbis")]
)
def test_import_compressed_formats(spoken_answer, tmp_path, suffix, codec):
    encoded = tmp_path / f"phone.{suffix}"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", str(spoken_answer), "-ac", "2", "-ar", "44100",
         "-c:a", codec, str(encoded)],
        check=True,
    )  # fmt: skip
    session = import_recording(encoded, question_text="Design a feed.", category="design")
    info = soundfile.info(str(Path(session.folder) / "audio" / "turn-01.wav"))
    assert (info.samplerate, info.channels) == (16000, 1)
    assert heard_ratio(session.turns[0].transcript.text) >= 0.7
    assert session.turns[0].duration_s == pytest.approx(
        soundfile.info(str(spoken_answer)).duration, abs=0.2
    )


def test_file_that_is_not_audio_is_refused_and_leaves_no_session(tmp_path, isolated_data_dir):
    fake = tmp_path / "answer.wav"
    fake.write_text("these are words, not sound")
    with pytest.raises(AudioDecodeError):
        import_recording(fake, question_text="Design a feed.")
    assert _session_folders(isolated_data_dir) == []
    assert list_sessions() == []


def test_unknown_question_id_is_refused_before_anything_is_written(jfk_path, isolated_data_dir):
    with pytest.raises(UnknownQuestionError):
        import_recording(jfk_path, question_id="no-such-question")
    assert _session_folders(isolated_data_dir) == []


def test_regrade_of_a_text_only_session_keeps_every_grading():
    session = build_interview_session()
    results = regrade_session(session)
    assert [t.index for t, _ in results] == [1, 3]  # both answers, not the clarification
    reloaded = load_session(session.id)
    main = reloaded.turns[0]
    assert len(main.gradings) == 2
    assert main.current_grading == 1
    assert main.gradings[0].grade.engine_version == "test-1"  # the old one is kept
    assert main.gradings[1].grade.engine == "offline"
    assert main.gradings[1].graded_at
    assert main.grade.to_dict() == results[0][1].to_dict()


def test_retranscribe_without_audio_says_so_clearly():
    session = build_interview_session()
    with pytest.raises(SessionError, match="no audio to re-transcribe"):
        regrade_session(session, retranscribe_model="tiny.en")
    assert len(load_session(session.id).turns[0].gradings) == 1  # nothing changed


def test_retranscribe_keeps_the_old_transcript_in_history(jfk_path):
    session = import_recording(jfk_path, question_text="Design a feed.", category="design")
    old_text = session.turns[0].transcript.text
    assert retranscribe_session(session, "tiny.en") == 1
    results = regrade_session(session)
    turn = load_session(session.id).turns[0]
    assert [t.text for t in turn.transcript_history] == [old_text]
    assert len(turn.gradings) == 2
    assert turn.grade.to_dict() == results[0][1].to_dict()


def test_silent_recording_is_refused_and_leaves_no_session(tmp_path, isolated_data_dir):
    import numpy as np

    from engine.errors import TranscriptionError

    silent = tmp_path / "silence.wav"
    soundfile.write(str(silent), np.zeros(16000 * 2, dtype=np.float32), 16000)
    with pytest.raises(TranscriptionError, match="no speech"):
        import_recording(silent, question_text="Design a feed.")
    assert _session_folders(isolated_data_dir) == []
    assert list_sessions() == []
