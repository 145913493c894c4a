"""The interview loop's total clock, shown beside the per-answer countdown.

A real onsite round runs on one clock whatever happens inside it (questions read out, thinking,
follow-ups), so this counts wall time from the start of the round and stops only while the
candidate has paused. It says when the round's time is up; what to do then is the screen's call.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from engine.clock import mmss

TICK_MS = 500
AMBER_SHARE = 0.2


class RoundClock(QLabel):
    """Time left in the round ("Round: 31:05 left of 45:00").

    Signals:
        expired(): the round's time ran out (emitted once per round).
    """

    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Time left in the interview loop")
        self.total_s = 0.0
        self._used_before_s = 0.0
        self._started_at: float | None = None
        self._expired = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.hide()

    @property
    def used_s(self) -> float:
        running = 0.0 if self._started_at is None else time.monotonic() - self._started_at
        return self._used_before_s + running

    @property
    def remaining_s(self) -> float:
        return self.total_s - self.used_s

    @property
    def running(self) -> bool:
        return self._started_at is not None

    def start(self, total_s: float) -> None:
        """Start a new round of ``total_s`` seconds and show the clock."""
        self.total_s = float(total_s)
        self._used_before_s = 0.0
        self._expired = False
        self._started_at = time.monotonic()
        self._timer.start()
        self.show()
        self._tick()

    def pause(self) -> None:
        if self._started_at is not None:
            self._used_before_s = self.used_s
            self._started_at = None
            self._tick()

    def resume(self) -> None:
        if self._started_at is None and self.total_s and self._timer.isActive():
            self._started_at = time.monotonic()

    def stop(self) -> None:
        """End the round (the clock stays visible with the final figure)."""
        self.pause()
        self._timer.stop()

    def hide_round(self) -> None:
        self.stop()
        self.total_s = 0.0
        self.hide()

    def _tick(self) -> None:
        left = self.remaining_s
        paused = "" if self.running or not self._timer.isActive() else " (paused)"
        if left > 0:
            self.setText(f"Round: {mmss(left)} left of {mmss(self.total_s)}{paused}")
        else:
            self.setText(f"Round: time is up ({mmss(self.total_s)}){paused}")
        colour = "#c62828" if left <= 0 else "#b26a00" if left <= self.total_s * AMBER_SHARE else ""
        self.setStyleSheet(
            f"color: {colour}; font-weight: bold;" if colour else "font-weight: bold;"
        )
        if left <= 0 and not self._expired and self.total_s:
            self._expired = True
            self.expired.emit()
