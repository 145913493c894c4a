"""The lifetime of one answer's microphone capture, as seen from the UI thread.

Opening the microphone, pausing, resuming and cancelling run on the interview owner's queue
(``InterviewOwner.run_plain``), in the order the candidate asked for them; finishing happens in
the turn job on the same queue. A 100 ms timer on the UI thread only reads what the capture
already has (level, live transcript, silence, a broken microphone) and emits it; the live
transcript is refreshed at most every third tick and only when it changed, so the UI thread
does no transcription work at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.controllers.answer_capture import AnswerCapture
from desktop.controllers.interview_owner import InterviewOwner
from desktop.controllers.speech_model import SpeechModelLoader, model_key
from desktop.errors import report_error, user_message
from desktop.workers import run_in_background

POLL_MS = 100  # level meter refresh
PARTIAL_EVERY = 3  # poll ticks between live-transcript refreshes (~300 ms)


class CaptureLifetime(QObject):
    """Owns the ``AnswerCapture`` of the answer being given (at most one at a time).

    Signals:
        recording(): the microphone is open and recording.
        open_failed(object exc): the microphone could not be opened.
        level_changed(float): the input level, ~10 times a second.
        partial_transcript(str committed, str tentative): the live transcript changed.
        went_quiet(): the candidate was silent for the plan's auto-finish time.
        microphone_stopped(str message): the microphone broke mid-answer.
        notice(str message, str level): a message for the banner.
    """

    recording = Signal()
    open_failed = Signal(object)
    level_changed = Signal(float)
    partial_transcript = Signal(str, str)
    went_quiet = Signal()
    microphone_stopped = Signal(str)
    notice = Signal(str, str)

    def __init__(
        self, owner: InterviewOwner, loader: SpeechModelLoader, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self._loader = loader
        self._capture: AnswerCapture | None = None
        self._model = ""
        self._auto_finish_s = 0.0
        self._is_recording = False
        self._paused = False  # what the candidate asked for (the capture follows in order)
        self._ticks = 0
        self._last_partial: tuple[str, str] = ("", "")
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        loader.ready.connect(self._on_model_ready)

    @property
    def capture(self) -> AnswerCapture | None:
        return self._capture

    @property
    def is_recording(self) -> bool:
        """True once the microphone of the current answer opened."""
        return self._capture is not None and self._is_recording

    def open(
        self,
        audio_path: Path,
        context_prompt: str,
        *,
        device: str | None,
        model: str,
        auto_finish_s: float,
    ) -> None:
        """Start recording a new answer into ``audio_path``."""
        capture = AnswerCapture(
            audio_path, device=device, model=model, context_prompt=context_prompt
        )
        self._capture = capture
        self._model = model
        self._auto_finish_s = auto_finish_s
        self._is_recording = False
        self._paused = False
        self._last_partial = ("", "")
        self._owner.run_plain(
            capture.start,
            on_finished=lambda _r: self._on_started(capture),
            on_failed=lambda exc: self._on_open_failed(capture, exc),
            error_context="Opening the microphone",
        )

    def pause(self) -> None:
        """Stop recording until ``resume`` (queued after whatever came before)."""
        self._poll.stop()
        self._paused = True
        capture = self._capture
        if capture is not None:
            self._owner.run_plain(
                capture.pause, on_failed=self._on_toggle_failed, error_context="Pausing"
            )

    def resume(self) -> None:
        """Record again (queued after the pause, so the order always holds)."""
        self._paused = False
        capture = self._capture
        if capture is None:
            return
        self._owner.run_plain(
            capture.resume, on_failed=self._on_toggle_failed, error_context="Resuming"
        )
        if self._is_recording:
            self._poll.start()

    def take(self) -> AnswerCapture | None:
        """Hand the capture over (to the job that finishes it); polling stops."""
        capture, self._capture = self._capture, None
        self._stop_poll()
        return capture

    def cancel(self) -> None:
        """Drop the answer in progress (skip, repeat); its audio file stays on disk."""
        capture = self.take()
        if capture is not None:
            self._owner.run_plain(capture.cancel, error_context="Closing the microphone")

    # -- internals --------------------------------------------------------------------------------
    def _stop_poll(self) -> None:
        self._poll.stop()
        self.level_changed.emit(0.0)

    def _on_started(self, capture: AnswerCapture) -> None:
        if capture is not self._capture:
            return  # taken or cancelled while the mic was opening; its job closed it
        self._is_recording = True
        self._ticks = 0
        if not self._paused:
            self._poll.start()
        self.recording.emit()
        if self._loader.is_ready(self._model):
            self._attach(capture, announce=False)
        else:
            self.notice.emit(
                "Speech model is still loading… your answer is being recorded and will be "
                "transcribed when it is ready.",
                "info",
            )

    def _on_open_failed(self, capture: AnswerCapture, exc: BaseException) -> None:
        if capture is not self._capture:
            return
        self._capture = None
        self.open_failed.emit(exc)

    def _on_model_ready(self, key: str, _display: str) -> None:
        capture = self._capture
        if capture is None or capture.is_streaming or not self._is_recording:
            return
        if model_key(self._model) == key:
            self._attach(capture, announce=True)

    def _attach(self, capture: AnswerCapture, *, announce: bool) -> None:
        def attached(_result: Any) -> None:
            if announce:
                self.notice.emit(
                    "Speech model ready — your answer is being transcribed.", "success"
                )

        run_in_background(
            capture.attach_stream,
            on_finished=attached,
            on_failed=self._on_stream_failed,
            error_context="Starting live transcription",
        )

    def _on_stream_failed(self, exc: BaseException) -> None:
        self.notice.emit(
            f"Live transcription stopped ({user_message(exc)}); the recording continues and "
            "is transcribed when you finish.",
            "warning",
        )

    def _on_toggle_failed(self, exc: BaseException) -> None:
        self.notice.emit(user_message(exc), "error")

    def _on_poll(self) -> None:
        capture = self._capture
        if capture is None:
            self._poll.stop()
            return
        problem = capture.problem()
        if problem:
            self._stop_poll()
            self.microphone_stopped.emit(problem)
            return
        self.level_changed.emit(capture.level)
        self._ticks += 1
        if self._ticks % PARTIAL_EVERY == 0:
            self._refresh_partial(capture)
        if self._auto_finish_s > 0 and capture.silence_s() >= self._auto_finish_s:
            self._stop_poll()
            self.went_quiet.emit()

    def _refresh_partial(self, capture: AnswerCapture) -> None:
        try:
            partial = capture.partial()
        except Exception as exc:  # noqa: BLE001 - a live preview must never break the answer
            report_error(exc, "Reading the live transcript", show=False)
            return
        if partial != self._last_partial:
            self._last_partial = partial
            self.partial_transcript.emit(*partial)
