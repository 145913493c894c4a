"""Crash recovery: a recording whose process was killed comes back as an interrupted session
with its audio, and can then be transcribed (real Whisper) and graded (real offline grader)."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from engine.errors import SessionError
from engine.library.listing import list_sessions
from engine.library.recovery import recover_interrupted, transcribable_turns
from engine.library.regrade import regrade_session
from engine.speech.audio_io import load_audio
from engine.speech.wav_writer import repair_wav
from engine.store.locks import acquire_session_lock, has_live_owner, lock_path
from engine.store.model import ROLE_ANSWER, STATUS_INTERRUPTED, QuestionRecord, Turn
from engine.store.sessions import create_session, load_session, save_session
from tests.conftest import REPO_ROOT

BANK_QUESTION = {
    "id": "design-short-video-feed",
    "text": "Design recommendations for a short-video feed.",
    "category": "design",
    "time_limit_s": 300,
}


def wav_with_zero_header(path: Path, samples: np.ndarray, extra_bytes: bytes = b"") -> None:
    """What a recorder killed before its first header fix-up leaves: sizes 0, audio present."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes() + extra_bytes
    header = b"RIFF" + struct.pack("<I", 0) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    header += b"data" + struct.pack("<I", 0)
    path.write_bytes(header + pcm)


_KILLED_RECORDER = """
import sys, time
import numpy as np
sys.path.insert(0, sys.argv[2])
from tests.engine.library.test_library_recovery import BANK_QUESTION, wav_with_zero_header
from engine.errors import SessionError
from engine.speech.audio_io import load_audio
from engine.store.model import QuestionRecord
from engine.store.sessions import create_session, save_session, turn_audio_path
session = create_session(title="killed mid answer")
session.questions.append(QuestionRecord(question=dict(BANK_QUESTION)))
save_session(session)
wav_with_zero_header(turn_audio_path(session, 1), load_audio(sys.argv[1]))
print(session.folder, flush=True)
time.sleep(120)
"""


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def test_killed_recording_is_recovered_then_transcribed_and_graded(jfk_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RECORDER, str(jfk_path), str(REPO_ROOT)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    folder = Path(proc.stdout.readline().strip())
    assert has_live_owner(folder)
    assert recover_interrupted() == []  # still recording: left alone
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    wav = folder / "audio" / "turn-01.wav"
    assert soundfile.info(str(wav)).frames == 0  # the header claims no audio before recovery

    [session] = recover_interrupted()
    assert session.status == STATUS_INTERRUPTED
    assert any("Interrupted" in note for note in session.notes)
    [turn] = session.turns
    assert turn.role == ROLE_ANSWER and turn.audio == "audio/turn-01.wav"
    assert turn.duration_s == pytest.approx(11.0, abs=0.1)
    info = soundfile.info(str(wav))
    assert info.frames / info.samplerate == pytest.approx(11.0, abs=0.1)
    assert transcribable_turns(session) == [turn]
    [listed] = list_sessions()
    assert listed.is_interrupted

    results = regrade_session(session)
    [(graded_turn, grade)] = results
    assert "ask not what your country" in graded_turn.transcript.text.lower()
    assert grade.engine == "offline"
    reloaded = load_session(session.id)
    assert reloaded.status == STATUS_INTERRUPTED
    assert reloaded.turns[0].grade is not None
    assert list_sessions()[0].overall == pytest.approx(grade.overall, abs=0.01)


def test_a_turn_already_listed_with_a_broken_wav_gets_its_real_duration(jfk_path):
    session = create_session(title="listed turn")
    wav = Path(session.folder) / "audio" / "turn-01.wav"
    wav_with_zero_header(wav, load_audio(jfk_path)[: 16000 * 3], extra_bytes=b"\x01")
    turn = Turn(index=1, role=ROLE_ANSWER, prompt="q", audio="audio/turn-01.wav", duration_s=0)
    session.questions.append(QuestionRecord(question=dict(BANK_QUESTION), turns=[turn]))
    save_session(session)
    lock_path(session.folder).write_text(json.dumps({"pid": _dead_pid(), "host": ""}))

    [recovered] = recover_interrupted()
    assert recovered.turns[0].duration_s == pytest.approx(3.0, abs=0.01)
    assert not lock_path(session.folder).exists()  # the stale lock is cleared
    assert load_session(session.id).status == STATUS_INTERRUPTED


def test_session_owned_by_this_live_process_is_not_touched():
    session = create_session(title="mine")
    acquire_session_lock(session.folder)
    assert recover_interrupted() == []
    assert load_session(session.id).status == "in_progress"


def test_in_progress_session_without_any_lock_is_recovered():
    session = create_session(title="no lock")
    os.unlink(lock_path(session.folder))
    [recovered] = recover_interrupted()
    assert recovered.id == session.id and recovered.status == STATUS_INTERRUPTED


def test_wav_repair_trims_a_partial_frame_and_reports_duration(tmp_path):
    path = tmp_path / "turn-01.wav"
    wav_with_zero_header(path, np.zeros(8000, dtype=np.float32), extra_bytes=b"\x07")
    assert repair_wav(path) == pytest.approx(0.5)
    info = soundfile.info(str(path))
    assert info.frames == 8000


def test_a_damaged_recording_does_not_block_grading_the_others(jfk_path):
    session = create_session(title="one damaged")
    audio = Path(session.folder) / "audio"
    soundfile.write(str(audio / "turn-01.wav"), load_audio(jfk_path), 16000)
    (audio / "turn-02.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunk")
    session.questions.append(QuestionRecord(question=dict(BANK_QUESTION)))
    save_session(session)
    lock_path(session.folder).write_text(json.dumps({"pid": _dead_pid(), "host": ""}))

    [recovered] = recover_interrupted()
    assert [t.index for t in recovered.turns] == [1, 2]
    assert any("turn 2: recording could not be repaired" in n for n in recovered.notes)
    results = regrade_session(recovered)
    assert [t.index for t, _ in results] == [1]
    assert any("answer 2" in n and "could not be read" in n for n in load_session(session.id).notes)


def test_regrade_refuses_a_session_another_live_process_is_recording():
    session = create_session(title="busy")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock_path(session.folder).write_text(json.dumps({"pid": sleeper.pid, "host": ""}))
        with pytest.raises(SessionError, match="still being recorded"):
            regrade_session(load_session(session.id))
    finally:
        sleeper.kill()
        sleeper.wait()
