"""The logic behind the library, report and replay screens, with all slow work off the UI thread.

Listing the library, loading a session, importing a recording, re-grading, re-transcribing,
recovering an interrupted session and exporting a report all touch the disk, Whisper or a grader,
so each runs through ``desktop.workers.run_in_background`` and comes back as a signal. Screens
only call these methods and react to the signals; they never import the store themselves.

Every failure goes through ``desktop.errors`` (logged with its traceback by the worker, worded
by ``user_message``): errors the engine raises on purpose (``MockInterviewError``) reach
``failed`` with their own user-facing message; anything else is labelled as a bug instead of
pretending to be a normal refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.errors import user_message
from desktop.workers import Worker, run_in_background
from engine.errors import MockInterviewError
from engine.store.model import Session

log = logging.getLogger("mockinterview.library")

EXPORT_FORMATS = {"html": "HTML", "md": "Markdown", "pdf": "PDF"}


# -- work done in the pool (plain functions: no Qt, easy to reason about) -------------------------
def load_library(search: str | None) -> tuple[list[Any], list[Any]]:
    """Session summaries (newest first) and progress points (oldest first).

    Sessions left in progress by a process that died are marked interrupted first (their WAVs
    repaired), so they show up with the "Transcribe and grade" action instead of as in progress.
    """
    from engine.library.index import LibraryIndex
    from engine.library.listing import list_sessions
    from engine.library.recovery import recover_interrupted

    try:
        recover_interrupted()
    except MockInterviewError as exc:  # listing must still work; the rows show what is wrong
        log.warning("recovering interrupted sessions failed: %s", exc)
    summaries = list_sessions(search or None)
    progress = LibraryIndex().progress()
    return summaries, progress


def load_attempts() -> tuple[list[Any], int]:
    """Attempts grouped per question, and how many sessions could not be used."""
    from engine.practice.attempts import group_by_question
    from engine.practice.history import load_history

    history = load_history()
    return group_by_question(history), len(history.skipped)


def load_session_by_id(session_id: str) -> Session:
    """Read a session folder (worker thread: it parses and migrates JSON)."""
    from engine.store.sessions import load_session

    return load_session(session_id)


def import_recording(
    audio_path: str,
    question_id: str | None,
    question_text: str | None,
    category: str | None,
    engine: str,
) -> Session:
    """Transcribe and grade an audio file as a new session (engine.library.importer)."""
    from engine.library.importer import import_recording as import_audio

    return import_audio(
        audio_path,
        question_id=question_id or None,
        question_text=question_text or None,
        category=category or None,
        engine=engine,
    )


def regrade(session_id: str, engine: str, model: str | None = None) -> Session:
    """Grade every answer again (after re-transcribing with ``model`` when given).

    The new grading becomes current; every older one stays stored for comparison.
    """
    from engine.library.regrade import regrade_session
    from engine.store.sessions import load_session

    session = load_session(session_id)
    regrade_session(session, engine=engine, retranscribe_model=model or None)
    return session


def retranscribe(session_id: str, model: str, engine: str) -> Session:
    """Transcribe every answer again with another Whisper model, then grade the new transcripts."""
    return regrade(session_id, engine, model)


def recover(session_id: str, engine: str) -> Session:
    """Transcribe and grade what an interrupted session holds as audio only.

    Once every recorded answer is graded the session is no longer "interrupted" for the library
    (nothing is left to recover); it counts as ended early, and a note keeps the history.
    """
    from engine.library.regrade import regrade_session
    from engine.store.model import STATUS_ENDED_EARLY, STATUS_INTERRUPTED
    from engine.store.sessions import load_session, save_session

    session = load_session(session_id)
    regrade_session(session, engine=engine, save=False)
    if session.status == STATUS_INTERRUPTED:
        session.status = STATUS_ENDED_EARLY
        session.notes.append(
            "Recovered after an interruption: the recorded answers were "
            "transcribed and graded afterwards."
        )
    save_session(session)
    return session


def export_report(session: Session, fmt: str, path: str) -> str:
    """Write the report of ``session`` as ``fmt`` (html, md, pdf) to ``path``; returns the path."""
    from engine.practice.report_sections import practice_sections
    from engine.report.export import export_report as write_report

    return str(write_report(session, fmt, Path(path), practice_sections(session)))


def save(session: Session) -> Session:
    """Save a session and hand it back, so the UI can re-render what was stored."""
    from engine.store.sessions import save_session

    save_session(session)
    return session


def describe_failure(exc: BaseException, action: str) -> str:
    """The sentence a user sees when ``action`` failed (the worker already logged it)."""
    return user_message(exc, f"{action} failed")


class LibraryController(QObject):
    """Runs library work in the background and reports back with signals.

    Signals:
        library_loaded(object, object): session summaries and progress points.
        attempts_loaded(object, int): attempts grouped per question, sessions left out.
        session_loaded(object): a Session opened for viewing.
        session_changed(object): a Session after import, regrade, re-transcribe, recovery or a
            change of its current grading (already saved).
        export_finished(str): the path of the written report.
        busy_changed(bool, str): work started (True, what) or everything finished (False, "").
        failed(str): a user-facing message.
    """

    library_loaded = Signal(object, object)
    attempts_loaded = Signal(object, int)
    session_loaded = Signal(object)
    session_changed = Signal(object)
    export_finished = Signal(str)
    busy_changed = Signal(bool, str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[Worker, str] = {}
        self._library_generation = 0

    # -- state ----------------------------------------------------------------------------------
    @property
    def is_busy(self) -> bool:
        """True while any job (other than a library listing) is running."""
        return any(kind != "list" for kind in self._running.values())

    def _start(
        self,
        kind: str,
        action: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
    ) -> Worker:
        def finished(result: Any) -> None:
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.failed.emit(describe_failure(exc, action))

        worker = run_in_background(
            fn, *args, on_finished=finished, on_failed=failed, error_context=action
        )
        self._running[worker] = kind
        worker.signals.done.connect(lambda w=worker: self._job_done(w))
        if kind != "list":
            self.busy_changed.emit(True, action)
        return worker

    def _job_done(self, worker: Worker) -> None:
        kind = self._running.pop(worker, "")
        if kind != "list" and not self.is_busy:
            self.busy_changed.emit(False, "")

    # -- operations -----------------------------------------------------------------------------
    def refresh(self, search: str | None = None) -> Worker:
        """List the library (and progress) off the UI thread; stale answers are dropped."""
        self._library_generation += 1
        generation = self._library_generation

        def deliver(result: tuple[list[Any], list[Any]]) -> None:
            if generation == self._library_generation:
                self.library_loaded.emit(result[0], result[1])

        return self._start("list", "Loading the library", load_library, search, on_done=deliver)

    def refresh_attempts(self) -> Worker:
        """Group every graded attempt per question, off the UI thread."""

        def deliver(result: tuple[list[Any], int]) -> None:
            self.attempts_loaded.emit(result[0], result[1])

        return self._start("list", "Grouping attempts per question", load_attempts, on_done=deliver)

    def open_session(self, session_id: str) -> Worker:
        """Load one session for the report screen."""
        return self._start(
            "load",
            "Opening the session",
            load_session_by_id,
            session_id,
            on_done=self.session_loaded.emit,
        )

    def import_recording(
        self,
        audio_path: str | Path,
        *,
        question_id: str | None = None,
        question_text: str | None = None,
        category: str | None = None,
        engine: str = "offline",
    ) -> Worker:
        """Import an audio file as an answer to a bank question or a free question."""
        return self._start(
            "import", "Importing the recording", import_recording, str(audio_path),
            question_id, question_text, category, engine, on_done=self.session_changed.emit,
        )  # fmt: skip

    def regrade(self, session_id: str, engine: str = "offline") -> Worker:
        """Add a new grading (offline or llm) to every answer of a session."""
        return self._start(
            "regrade",
            f"Re-grading with the {engine} engine",
            regrade,
            session_id,
            engine,
            on_done=self.session_changed.emit,
        )

    def retranscribe(self, session_id: str, model: str, engine: str = "offline") -> Worker:
        """Transcribe a session again with ``model`` and grade the new transcripts."""
        return self._start(
            "retranscribe",
            f"Re-transcribing with {model}",
            retranscribe,
            session_id,
            model,
            engine,
            on_done=self.session_changed.emit,
        )

    def recover(self, session_id: str, engine: str = "offline") -> Worker:
        """Transcribe and grade an interrupted session's recorded answers."""
        return self._start(
            "recover",
            "Transcribing and grading the interrupted session",
            recover,
            session_id,
            engine,
            on_done=self.session_changed.emit,
        )

    def export(self, session: Session, fmt: str, path: str | Path) -> Worker:
        """Write the report as html, md or pdf."""
        label = EXPORT_FORMATS.get(fmt, fmt)
        return self._start(
            "export",
            f"Exporting the {label} report",
            export_report,
            session,
            fmt,
            str(path),
            on_done=self.export_finished.emit,
        )

    def set_current_grading(self, session: Session, turn_index: int, grading_index: int) -> Worker:
        """Make one stored grading of a turn the one the report uses, and save."""
        for turn in session.turns:
            if turn.index == turn_index and 0 <= grading_index < len(turn.gradings):
                turn.current_grading = grading_index
        return self._start(
            "save", "Saving the choice of grading", save, session, on_done=self.session_changed.emit
        )
