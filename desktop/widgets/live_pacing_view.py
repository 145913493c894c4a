"""Under the answer clock: which stage the answer is in, the recent pace, and a gentle cue.

Once a second it reads the live transcript so far (``engine.grading.live_pacing.LivePacer``
does the reading), also while the candidate is silent, since a pause is exactly when "half your
time is gone" matters; a long answer never costs the window more than a few milliseconds a
second. The cue is written, never spoken.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.grading.live_pacing import LivePacer, LivePacing

UPDATE_EVERY_S = 1.0
CUE_COLOUR = "#b26a00"


class LivePacingView(QWidget):
    """Stage now · words per minute (last 30 s), and a cue line when one applies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pacer: LivePacer | None = None
        self.last: LivePacing | None = None
        self._last_update_s = -UPDATE_EVERY_S
        self._text: Callable[[], str] = lambda: ""
        self._elapsed: Callable[[], float] = lambda: 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(int(UPDATE_EVERY_S * 1000))
        self._timer.timeout.connect(lambda: self.update_text(self._text(), self._elapsed()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stage_label = QLabel("", self)
        self.stage_label.setAccessibleName("Stage of your answer and your recent pace")
        self.stage_label.setWordWrap(True)
        self.cue_label = QLabel("", self)
        self.cue_label.setAccessibleName("Pacing cue")
        self.cue_label.setWordWrap(True)
        self.cue_label.setStyleSheet(f"color: {CUE_COLOUR}; font-weight: bold;")
        layout.addWidget(self.stage_label)
        layout.addWidget(self.cue_label)
        self.cue_label.hide()

    def start(
        self,
        category: str,
        limit_s: float | None,
        text: Callable[[], str],
        elapsed_s: Callable[[], float],
    ) -> None:
        """A new answer begins; ``text`` and ``elapsed_s`` give the live transcript and clock."""
        self._text, self._elapsed = text, elapsed_s
        self._timer.start()
        self.pacer = LivePacer(category, limit_s)
        self.last = None
        self._last_update_s = -UPDATE_EVERY_S
        self.stage_label.setText("Now: getting started")
        self.cue_label.hide()

    def stop(self) -> None:
        self._timer.stop()
        self.pacer = None
        self.stage_label.setText("")
        self.cue_label.hide()

    def update_text(self, text: str, elapsed_s: float, force: bool = False) -> None:
        """Re-read the answer so far (throttled to once per ``UPDATE_EVERY_S`` of answering)."""
        if self.pacer is None:
            return
        if not force and elapsed_s - self._last_update_s < UPDATE_EVERY_S:
            return
        self._last_update_s = elapsed_s
        self.last = self.pacer.update(text, elapsed_s)
        pace = "" if self.last.wpm is None else f" · {self.last.wpm:.0f} wpm (last 30 s)"
        self.stage_label.setText(f"Now: {self.last.stage_label}{pace}")
        if self.last.cue:
            self.cue_label.setText(self.last.cue)
            self.cue_label.show()
        else:
            self.cue_label.hide()
