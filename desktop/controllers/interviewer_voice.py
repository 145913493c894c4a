"""The interviewer's voice and the pacing chime, started and stopped without blocking the UI.

``Speaker.speak`` checks the output device before it plays, and playback ends on an audio
thread; both happen off the UI thread here. Each ``say`` gets a token: when the voice ends (or
fails) the token comes back through a queued signal, and a stale one (the voice was stopped,
paused or replaced meanwhile) is dropped, so the controller only hears about the speech it is
waiting for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.errors import report_error, user_message
from desktop.workers import run_in_background


def _play_chime(chime_path: Path | None, device: str | None) -> Path:
    """Play the chime (writing its WAV first when there is none); returns the WAV's path."""
    from desktop.widgets.countdown import write_chime_wav
    from engine.speech.playback import Player

    if chime_path is None or not chime_path.exists():
        chime_path = write_chime_wav()
    Player(device=device or None).play(chime_path)
    return chime_path


class InterviewerVoice(QObject):
    """Speaks the interviewer's lines; says when each one ended.

    Signals:
        ended(): the line being spoken is over (or could not be spoken; the text is on screen).
        notice(str message, str level): something the candidate should know about the voice.
    """

    ended = Signal()
    notice = Signal(str, str)
    # Emitted from the audio thread when a line ends or breaks; queued to the UI thread.
    _line_ended = Signal(int)
    _line_failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speaker: Any = None
        self._token = 0
        self._chime_path: Path | None = None  # only written on the UI thread
        self._line_ended.connect(self._on_line_ended)
        self._line_failed.connect(self._on_failed)

    def set_speaker(self, speaker: Any) -> None:
        """The ``Speaker`` of this interview (None: no voice output, text only)."""
        self._speaker = speaker

    def say(self, text: str) -> None:
        """Start saying ``text``; ``ended`` follows when it is over."""
        self._token += 1
        token = self._token
        speaker = self._speaker
        if speaker is None:
            # No voice output: the text is on screen; carry on as if it had been spoken.
            QTimer.singleShot(0, lambda: self._line_ended.emit(token))
            return

        def done() -> None:  # playback thread
            self._line_ended.emit(token)

        def broke(exc: Exception) -> None:  # playback thread
            report_error(exc, "The interviewer's voice", show=False)
            self._line_failed.emit(token, exc)

        run_in_background(
            lambda: speaker.speak(text, on_finished=done, on_error=broke),
            on_failed=lambda exc: self._on_failed(token, exc),
            error_context="Starting the interviewer's voice",
        )

    def stop(self) -> None:
        """Stop speaking now; the current line's ``ended`` is dropped."""
        self._token += 1
        if self._speaker is not None:
            run_in_background(self._speaker.stop, error_context="Stopping the interviewer's voice")

    def shutdown(self) -> None:
        """Stop and forget the speaker (the window is closing)."""
        self.stop()
        self._speaker = None

    def play_chime(self, device: str | None) -> None:
        """The soft pacing chime (never blocks the UI; a failure goes to the status bar)."""
        run_in_background(
            _play_chime,
            self._chime_path,
            device,
            on_finished=self._remember_chime,
            error_context="Playing the pacing chime",
        )

    def _remember_chime(self, path: Path) -> None:
        self._chime_path = path

    def _on_line_ended(self, token: int) -> None:
        if token == self._token:
            self.ended.emit()

    def _on_failed(self, token: int, exc: BaseException) -> None:
        from engine.errors import PlaybackError

        if token != self._token:
            return
        # Already logged (by the worker or ``broke``); the notice is the message shown.
        if isinstance(exc, PlaybackError):
            self.notice.emit(
                f"{exc} — read the question on screen; the interview continues.", "warning"
            )
            self._speaker = None
        else:
            self.notice.emit(f"The interviewer's voice failed: {user_message(exc)}", "warning")
        self.ended.emit()
