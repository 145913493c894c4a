"""A live microphone level meter, painted with palette colours.

Levels arrive from the audio thread many times a second; the owner stores the newest value and
calls ``set_level`` from a UI timer, so the meter never floods the event loop. The bar rises at
once and falls slowly (like a VU meter), which makes speech look steady instead of flickering,
and a thin peak mark lingers so a candidate can see how loud they were a moment ago.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

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
