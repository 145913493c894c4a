"""Replay one answer: hear it while its words light up; click a word to jump there.

A QTimer polls the clock about 30 times a second and highlights the word being spoken. The clock
is the real ``engine.speech.playback.Player`` when an output device exists; when none does (a
headless machine, a laptop with no sound) a silent clock runs at the chosen speed instead, so the
transcript still moves in time, and a notice says so. Decoding the audio and starting the stream
(which time-stretches for 1.25x/1.5x) happen off the UI thread.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.transcript_view import TranscriptView
from desktop.workers import run_in_background
from engine.clock import mmss
from engine.store.model import ROLE_FOLLOW_UP, Session, Turn

SPEEDS = (1.0, 1.25, 1.5)
POLL_MS = 33
SILENT_NOTICE = (
    "No audio output device was found, so this answer plays silently: the words still light up "
    "in time, and clicking a word moves there."
)


class SilentClock:
    """Plays nothing but keeps time like a player would (at the chosen speed)."""

    silent = True

    def __init__(self) -> None:
        self._offset = 0.0
        self._speed = 1.0
        self._origin: float | None = None

    def play(self, offset_s: float, speed: float) -> None:
        self._offset, self._speed, self._origin = offset_s, speed, time.monotonic()

    def stop(self) -> None:
        self._offset = self.position_s
        self._origin = None

    @property
    def is_playing(self) -> bool:
        return self._origin is not None

    @property
    def position_s(self) -> float:
        if self._origin is None:
            return self._offset
        return self._offset + (time.monotonic() - self._origin) * self._speed


class PlayerClock:
    """The real player, started off the UI thread (decoding and time-stretching take a while).

    Starts run one at a time in a private single-thread pool, so a quick seek after a seek can
    never leave two streams playing; a start that was superseded while it opened its stream
    stops itself in that same thread. Until the stream runs, the position holds at the offset.
    """

    silent = False

    def __init__(self, player: Any, samples: Any, on_failed: Any) -> None:
        self.player = player
        self.samples = samples
        self._on_failed = on_failed
        self._pending_offset: float | None = None
        self._generation = 0
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)

    def _start(self, generation: int, offset_s: float, speed: float) -> None:
        """Worker thread: open the stream unless superseded, and close it if superseded since."""
        if generation != self._generation:
            return
        self.player.play(self.samples, offset_s=offset_s, speed=speed)
        if generation != self._generation:
            self.player.stop()

    def play(self, offset_s: float, speed: float) -> None:
        self._generation += 1
        generation = self._generation
        self._pending_offset = offset_s

        def started(_result: object) -> None:
            if generation == self._generation:
                self._pending_offset = None

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._pending_offset = None
                self._on_failed(exc, offset_s, speed)

        run_in_background(
            self._start, generation, offset_s, speed,
            on_finished=started, on_failed=failed, pool=self._pool,
        )  # fmt: skip

    def stop(self) -> None:
        self._generation += 1
        self._pending_offset = None
        self.player.stop()

    @property
    def is_playing(self) -> bool:
        return self._pending_offset is not None or self.player.is_playing

    @property
    def position_s(self) -> float:
        if self._pending_offset is not None:
            return self._pending_offset
        return self.player.position_s


def _prepare_audio(path: str) -> tuple[Any, str | None]:
    """Decode the answer and ask whether anything can play it (worker thread)."""
    from engine.speech.audio_io import load_audio
    from engine.speech.playback import output_device_error

    return load_audio(path), output_device_error()


class ReplayScreen(QWidget):
    """Replay of one turn.

    Signals:
        back_requested(): leave the replay (playback stops).
        error(str): a user-facing message for the main window's notification path.
    """

    back_requested = Signal()
    error = Signal(str)
    audio_ready = Signal()

    def __init__(self, parent: QWidget | None = None, *, force_silent: bool = False) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.turn: Turn | None = None
        self.duration_s = 0.0
        self.speed = 1.0
        self.clock: SilentClock | PlayerClock = SilentClock()
        self._force_silent = force_silent
        self._player: Any = None
        self._position = 0.0
        self._autoplay = False
        self._load_generation = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._build()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        self.back_button = QPushButton("← &Back", self)
        self.back_button.setAccessibleName("Back to the report")
        self.back_button.clicked.connect(self._go_back)
        top.addWidget(self.back_button)
        self.title_label = QLabel("", self)
        self.title_label.setWordWrap(True)
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_label.setFont(font)
        top.addWidget(self.title_label, 1)
        outer.addLayout(top)
        self.prompt_label = QLabel("", self)
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        outer.addWidget(self.prompt_label)

        self.notice = QFrame(self)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setStyleSheet(
            "QFrame { border: 1px solid #d4a72c; border-radius: 4px; }QLabel { border: none; }"
        )
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(10, 6, 10, 6)
        self.notice_label = QLabel("", self.notice)
        self.notice_label.setWordWrap(True)
        notice_row.addWidget(self.notice_label)
        self.notice.hide()
        outer.addWidget(self.notice)

        self.transcript = TranscriptView(self)
        self.transcript.seek_requested.connect(self.seek)
        outer.addWidget(self.transcript, 1)

        controls = QHBoxLayout()
        self.play_button = QPushButton("▶ Play", self)
        self.play_button.setAccessibleName("Play or pause (Space)")
        self.play_button.setToolTip("Play or pause (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        controls.addWidget(self.play_button)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName("Position in the answer")
        self.slider.setRange(0, 0)
        self.slider.setSingleStep(1000)
        self.slider.setPageStep(5000)
        self.slider.sliderMoved.connect(lambda ms: self._preview(ms / 1000.0))
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value() / 1000.0))
        self.slider.actionTriggered.connect(self._slider_action)
        controls.addWidget(self.slider, 1)
        self.time_label = QLabel("0:00 / 0:00", self)
        self.time_label.setAccessibleName("Elapsed and total time")
        controls.addWidget(self.time_label)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Speed:", self))
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[float, QPushButton] = {}
        for speed in SPEEDS:
            button = QPushButton(f"{speed:g}×", self)
            button.setCheckable(True)
            button.setMaximumWidth(64)
            button.setAccessibleName(f"Play at {speed:g} times speed")
            button.setChecked(speed == 1.0)
            button.clicked.connect(lambda _=False, s=speed: self.set_speed(s))
            self.speed_group.addButton(button)
            self.speed_buttons[speed] = button
            controls.addWidget(button)
        outer.addLayout(controls)
        hint = QLabel(
            "Space: play/pause · Left/Right in the transcript: previous/next word · "
            "click a word to play from there · Esc: back",
            self,
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        outer.addWidget(hint)

        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self.toggle_play)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self._go_back)

    # -- content --------------------------------------------------------------------------------
    def show_turn(
        self, session: Session, turn_index: int, start_s: float = 0.0, autoplay: bool = True
    ) -> None:
        """Show turn ``turn_index`` of ``session`` at ``start_s``; playback starts by itself."""
        self.stop()
        turn = next((t for t in session.turns if t.index == turn_index), None)
        if turn is None:
            self.error.emit(f"Session {session.id} has no answer number {turn_index}.")
            return
        self.session, self.turn = session, turn
        question = next((q.question for q in session.questions if turn in q.turns), {})
        kind = "follow-up answer" if turn.role == ROLE_FOLLOW_UP else "answer"
        self.title_label.setText(f"Replay: {kind} {turn.index}")
        asked = turn.prompt or str(question.get("text") or "")
        self.prompt_label.setText(f"Question: {asked}")
        self.transcript.set_transcript(turn.transcript)
        transcript_end = turn.transcript.duration_s if turn.transcript else 0.0
        self.duration_s = max(turn.duration_s, transcript_end)
        self.slider.setRange(0, int(self.duration_s * 1000))
        self._position = min(max(0.0, start_s), self.duration_s)
        self._show_position(self._position)
        self._autoplay = autoplay
        self.clock = SilentClock()
        self.clock.play(self._position, self.speed)
        self.clock.stop()
        self._load_generation += 1
        generation = self._load_generation
        path = self._audio_path()
        if path is None:
            self._set_silent(
                "This answer has no recording on disk; the transcript follows a "
                "silent clock instead."
            )
            self._finish_loading()
            return
        if self._force_silent:
            self._set_silent(SILENT_NOTICE)
            self._finish_loading()
            return
        self.notice.hide()
        self.play_button.setEnabled(False)
        self.play_button.setText("Loading…")
        run_in_background(
            _prepare_audio,
            str(path),
            on_finished=lambda result: self._on_audio(generation, result),
            on_failed=lambda exc: self._on_audio_failed(generation, exc),
        )

    def _audio_path(self) -> Path | None:
        if self.session is None or self.turn is None or not self.turn.audio:
            return None
        folder = Path(self.session.folder) if self.session.folder else None
        path = (folder / self.turn.audio) if folder else Path(self.turn.audio)
        return path if path.is_file() else None

    def _on_audio(self, generation: int, result: tuple[Any, str | None]) -> None:
        if generation != self._load_generation:
            return
        samples, problem = result
        if problem:
            self._set_silent(SILENT_NOTICE)
        else:
            from engine.speech.playback import Player

            self._player = self._player or Player()
            self.clock = PlayerClock(self._player, samples, self._on_play_failed)
        self._finish_loading()

    def _on_audio_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._load_generation:
            return
        self._set_silent(
            f"The recording cannot be played ({exc}); the transcript follows a "
            "silent clock instead."
        )
        self._finish_loading()

    def _finish_loading(self) -> None:
        self.play_button.setEnabled(True)
        self._update_play_button()
        self.audio_ready.emit()
        if self._autoplay:
            self.play()

    def _set_silent(self, message: str) -> None:
        self.clock = SilentClock()
        self.clock.play(self._position, self.speed)
        self.clock.stop()
        self.notice_label.setText(f"⚠  {message}")
        self.notice.setAccessibleName(message)
        self.notice.show()

    def _on_play_failed(self, exc: BaseException, offset_s: float, speed: float) -> None:
        self._set_silent(f"{SILENT_NOTICE} ({exc})")
        self.clock.play(offset_s, speed)
        self._timer.start()

    # -- playback -------------------------------------------------------------------------------
    @property
    def is_playing(self) -> bool:
        return self.clock.is_playing

    @property
    def position_s(self) -> float:
        """Where replay is: the running clock, or the paused position (after a seek too)."""
        return (
            min(self.clock.position_s, self.duration_s) if self.clock.is_playing else self._position
        )

    @property
    def is_silent(self) -> bool:
        """True when the highlighting follows a silent clock rather than real audio."""
        return bool(self.clock.silent)

    def play(self) -> None:
        if self.turn is None:
            return
        if self._position >= self.duration_s - 0.05:
            self._position = 0.0
        self.clock.play(self._position, self.speed)
        self._timer.start()
        self._update_play_button()

    def pause(self) -> None:
        if self.clock.is_playing:
            self._position = min(self.clock.position_s, self.duration_s)
        self.clock.stop()
        self._timer.stop()
        self._update_play_button()

    def stop(self) -> None:
        """Stop sound and polling (leaving the screen)."""
        self._timer.stop()
        self.clock.stop()
        self._update_play_button()

    def toggle_play(self) -> None:
        if not self.play_button.isEnabled():
            return
        if self.clock.is_playing:
            self.pause()
        else:
            self.play()

    def seek(self, position_s: float) -> None:
        """Jump to ``position_s`` (a clicked word, the slider); keeps playing if it was."""
        self._position = min(max(0.0, position_s), self.duration_s)
        playing = self.clock.is_playing
        if playing:
            self.clock.play(self._position, self.speed)
        else:
            self.clock.stop()
        self._show_position(self._position)

    def set_speed(self, speed: float) -> None:
        """Change speed (1x, 1.25x, 1.5x); playback continues from the same moment."""
        self.speed = speed
        self.speed_buttons[speed].setChecked(True)
        if self.clock.is_playing:
            self._position = self.clock.position_s
            self.clock.play(self._position, speed)

    def _tick(self) -> None:
        position = self.clock.position_s
        if not self.clock.is_playing or position >= self.duration_s:
            self._position = min(position, self.duration_s)
            self.clock.stop()
            self._timer.stop()
            self._update_play_button()
        self._show_position(min(position, self.duration_s))

    def _show_position(self, position_s: float) -> None:
        self.transcript.highlight_at(position_s)
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(int(position_s * 1000))
            self.slider.blockSignals(False)
        self.time_label.setText(f"{mmss(position_s)} / {mmss(self.duration_s)}")

    def _preview(self, position_s: float) -> None:
        self.transcript.highlight_at(position_s)
        self.time_label.setText(f"{mmss(position_s)} / {mmss(self.duration_s)}")

    def _slider_action(self, action: int) -> None:
        if action != QSlider.SliderAction.SliderMove.value:  # keyboard and page clicks
            QTimer.singleShot(0, lambda: self.seek(self.slider.value() / 1000.0))

    def _update_play_button(self) -> None:
        playing = self.clock.is_playing
        self.play_button.setText("⏸ Pause" if playing else "▶ Play")

    def _go_back(self) -> None:
        self.stop()
        self.back_requested.emit()

    def hideEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self.stop()  # never keep talking from a screen nobody sees
        super().hideEvent(event)
