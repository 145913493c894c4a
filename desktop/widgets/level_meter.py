"""A live microphone level meter, painted with palette colours, and a microphone check.

Levels arrive from the audio thread many times a second; the owner stores the newest value and
calls ``set_level`` from a UI timer, so the meter never floods the event loop. The bar rises at
once and falls slowly (like a VU meter), which makes speech look steady instead of flickering,
and a thin peak mark lingers so a candidate can see how loud they were a moment ago.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

_FALL_PER_S = 1.2  # how fast the bar sinks, in full-scale units per second
_PEAK_HOLD_MS = 900


class LevelMeter(QWidget):
    """A horizontal bar showing the input level (0..1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._peak = 0.0
        self._since_peak = QElapsedTimer()
        self._since_peak.start()
        self._since_update = QElapsedTimer()
        self._since_update.start()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(14)
        self.setAccessibleName("Microphone level")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def level(self) -> float:
        """The level currently drawn (after the fall-off)."""
        return self._level

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(220, 16)

    def set_level(self, value: float) -> None:
        """Show a new input level in 0..1 (values outside are clamped)."""
        value = min(1.0, max(0.0, float(value)))
        elapsed = self._since_update.restart() / 1000.0
        fallen = max(0.0, self._level - _FALL_PER_S * elapsed)
        self._level = max(value, fallen)
        if self._level >= self._peak or self._since_peak.elapsed() > _PEAK_HOLD_MS:
            self._peak = self._level
            self._since_peak.restart()
        self.setAccessibleDescription(f"{round(self._level * 100)} percent")
        self.update()

    def reset(self) -> None:
        """Drop to silence (recording stopped)."""
        self._level = 0.0
        self._peak = 0.0
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 4, 4)
        inner = rect.adjusted(2, 2, -2, -2)
        if self._level > 0:
            bar = QRectF(inner.left(), inner.top(), inner.width() * self._level, inner.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(bar, 3, 3)
        if self._peak > 0.02:
            x = inner.left() + inner.width() * self._peak
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawLine(int(x), int(inner.top()), int(x), int(inner.bottom()))
        painter.end()


MIC_CHECK_SECONDS = 15


def _open_check_recorder(device: str | None, on_level: Callable[[float], None]) -> Any:
    """A recorder writing to a throwaway file, only for its level values (worker thread)."""
    from engine.speech.recorder import Recorder

    path = Path(tempfile.gettempdir()) / "mockinterview-mic-check.wav"
    recorder = Recorder(path, device=device, on_level=on_level)
    recorder.start()
    return recorder


class MicCheck(QWidget):
    """A level meter with a "Test microphone" toggle: opens the mic for a few seconds.

    The recorder opens in a worker (PortAudio can take a moment) and its level callback only
    stores the newest value; a UI timer draws it. Failing to open the mic is shown as a sentence
    next to the meter, with the hint that typing answers still works.

    Args:
        device: returns the chosen input device name ("" or None: the system default).
    """

    def __init__(self, device: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._device = device
        self._recorder: Any = None
        self._level = 0.0
        self.meter = LevelMeter()
        self.button = QPushButton("Test microphone")
        self.button.setCheckable(True)
        self.button.setAccessibleName("Test the microphone level")
        self.button.toggled.connect(self._on_toggled)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Microphone test result")
        self._tick = QTimer(self)
        self._tick.setInterval(60)
        self._tick.timeout.connect(self._on_tick)
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.timeout.connect(self.stop)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.meter, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    @property
    def is_running(self) -> bool:
        return self._recorder is not None

    def start(self) -> None:
        """Open the microphone for ``MIC_CHECK_SECONDS`` and show its level."""
        from desktop.workers import run_in_background

        if self._recorder is not None:
            return
        self._set_checked(True)
        self.status.setText("Listening… say something.")
        self.button.setText("Stop test")
        run_in_background(
            _open_check_recorder,
            self._device() or None,
            self._store_level,
            on_finished=self._on_opened,
            on_failed=self._on_failed,
            error_context="Testing the microphone",
        )

    def stop(self) -> None:
        """Close the test recording (button, time limit, or leaving the screen)."""
        from desktop.workers import run_in_background

        self._tick.stop()
        self._limit.stop()
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            run_in_background(recorder.stop, error_context="Closing the microphone test")
        self.meter.reset()
        self._set_checked(False)
        self.button.setText("Test microphone")

    def _store_level(self, level: float) -> None:
        self._level = float(level)  # audio thread: only store; the timer draws it

    def _on_toggled(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()

    def _on_opened(self, recorder: Any) -> None:
        if not self.button.isChecked():
            from desktop.workers import run_in_background

            run_in_background(recorder.stop, error_context="Closing the microphone test")
            return
        self._recorder = recorder
        self._tick.start()
        self._limit.start(MIC_CHECK_SECONDS * 1000)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_checked(False)
        self.button.setText("Test microphone")
        self.status.setText(f"{exc}. You can still practise by typing your answers.")

    def _on_tick(self) -> None:
        self.meter.set_level(self._level)
        if self._level > 0.05:
            self.status.setText("The microphone hears you.")

    def _set_checked(self, checked: bool) -> None:
        self.button.blockSignals(True)
        self.button.setChecked(checked)
        self.button.blockSignals(False)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().hideEvent(event)
