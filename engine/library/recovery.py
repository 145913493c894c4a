"""Bring back sessions whose process was killed mid-answer.

The recorder writes audio to ``audio/turn-NN.wav`` while the candidate speaks, so after a crash
the sound is on disk even when ``session.json`` never heard of the turn and the WAV header still
claims zero bytes. On the next start every session still marked in_progress whose owner process
is gone is marked "interrupted", its WAV headers are repaired, recordings the JSON did not yet
list are attached as turns, and the turns that have audio but no transcript are reported so the
caller can transcribe and grade them (``engine.library.regrade.regrade_session`` does both).
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.errors import MockInterviewError
from engine.library.index import LibraryIndex
from engine.speech.wav_writer import repair_wav
from engine.store.folders import AUDIO_DIR
from engine.store.locks import clear_stale_lock, has_live_owner
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    STATUS_IN_PROGRESS,
    STATUS_INTERRUPTED,
    QuestionRecord,
    Session,
    Turn,
    now_iso,
)
from engine.store.sessions import load_session_folder, save_session, session_folder

_TURN_AUDIO = re.compile(r"^turn-(\d+)\.(wav|flac)$")
UNKNOWN_QUESTION = "(question not recorded before the interruption)"


def turn_audio_file(session: Session, turn: Turn) -> Path | None:
    """The turn's audio file when it exists on disk, else None."""
    if not turn.audio:
        return None
    path = session_folder(session) / turn.audio
    return path if path.is_file() else None


def transcribable_turns(session: Session) -> list[Turn]:
    """Answer turns with (non-empty) audio on disk but no transcript yet."""
    return [
        t
        for t in session.turns
        if t.role != ROLE_CLARIFICATION
        and t.transcript is None
        and turn_audio_file(session, t) is not None
        and t.duration_s > 0
    ]


def _orphan_recordings(session: Session) -> list[tuple[int, str]]:
    """(turn index, relative path) of recordings in audio/ that no turn refers to."""
    audio_dir = session_folder(session) / AUDIO_DIR
    known = {t.audio for t in session.turns if t.audio}
    found = []
    if audio_dir.is_dir():
        for path in sorted(audio_dir.iterdir()):
            match = _TURN_AUDIO.match(path.name)
            rel = f"{AUDIO_DIR}/{path.name}"
            if match and rel not in known:
                found.append((int(match.group(1)), rel))
    return found


def _attach_orphan(session: Session, index: int, rel: str) -> Turn:
    """Add a turn for a recording the JSON never listed, on the question being answered."""
    if not session.questions:
        session.questions.append(
            QuestionRecord(
                question={
                    "id": None,
                    "text": UNKNOWN_QUESTION,
                    "category": "design",
                    "time_limit_s": None,
                }
            )
        )
    record = session.questions[-1]
    answered = [t for t in record.turns if t.role != ROLE_CLARIFICATION]
    text = str(record.question.get("text") or "")
    if not answered:
        turn = Turn(index=index, role=ROLE_ANSWER, prompt=text, audio=rel, started_at="")
    else:
        last = answered[-1].grade
        probe = last.follow_up.to_dict() if last and last.follow_up else None
        turn = Turn(
            index=index,
            role=ROLE_FOLLOW_UP,
            prompt=probe["text"] if probe else "(follow-up not recorded before the interruption)",
            follow_up=probe,
            audio=rel,
            started_at="",
        )
    record.turns.append(turn)
    return turn


def recover_session(session: Session) -> list[Turn]:
    """Repair one interrupted session in memory; returns the turns that can now be transcribed.

    The caller saves it (``recover_interrupted`` does). Audio that cannot be repaired is left as
    it is and noted, never deleted.
    """
    notes: list[str] = []
    for index, rel in _orphan_recordings(session):
        _attach_orphan(session, index, rel)
    for turn in session.turns:
        path = turn_audio_file(session, turn)
        if path is None or path.suffix.lower() != ".wav":
            continue
        try:
            duration = repair_wav(path)
        except (MockInterviewError, OSError, ValueError) as exc:
            notes.append(f"turn {turn.index}: recording could not be repaired ({exc})")
            continue
        if duration > 0 and abs(duration - turn.duration_s) > 0.05:
            turn.duration_s = duration
    session.status = STATUS_INTERRUPTED
    pending = transcribable_turns(session)
    session.notes.append(
        f"Interrupted: the app stopped while this session was in progress (recovered {now_iso()}); "
        f"{len(pending)} recorded answer(s) can be transcribed and graded."
    )
    session.notes.extend(notes)
    return pending


def recover_interrupted(index: LibraryIndex | None = None) -> list[Session]:
    """Find sessions in progress with no live owner, mark them interrupted and save them.

    Sessions still being recorded by a live process (this one or another app instance) are left
    alone. Returns the recovered sessions, ready for ``regrade_session`` to transcribe and grade.
    """
    index = index or LibraryIndex()
    recovered = []
    for summary in index.in_progress():
        if has_live_owner(summary.folder):
            continue
        try:
            session = load_session_folder(summary.folder)
        except MockInterviewError:
            continue  # the library lists it as corrupt; nothing to recover automatically
        if session.status != STATUS_IN_PROGRESS:
            continue
        recover_session(session)
        save_session(session)
        clear_stale_lock(summary.folder)
        recovered.append(session)
    return recovered
