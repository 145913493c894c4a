"""The large answer countdown with its pacing cue, and the optional soft chime.

A candidate glances at the clock mid-sentence, so the time is big (mm:ss) and its colour says
the pace without reading it: calm until 75 % of the limit, amber until the limit, red after it
(then the clock counts the overrun as ``+m:ss``). Time is measured with a monotonic clock, not
by counting ticks, so a busy event loop can delay a repaint but never skews the time.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.theme import Pace, pace_color, scaled_font

AMBER_FRACTION = 0.75
_TICK_MS = 200
_CHIME_RATE = 16000


def format_clock(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss), rounding up so 0:01 shows until the second is over."""
    whole = max(0, math.ceil(seconds - 1e-6))
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def pace_for(elapsed_s: float, limit_s: float | None) -> Pace:
    """The pacing stage for ``elapsed_s`` of an answer limited to ``limit_s`` (None: no limit)."""
    if not limit_s or limit_s <= 0:
        return Pace.CALM
    if elapsed_s >= limit_s:
        return Pace.RED
    if elapsed_s >= AMBER_FRACTION * limit_s:
        return Pace.AMBER
    return Pace.CALM


class Countdown(QWidget):
    """mm:ss left for the current answer, coloured by pace.

    Signals:
        pace_changed(str): "calm", "amber" or "red" when the stage changes while running.
    """

    pace_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._limit_s: float | None = None
        self._banked_s = 0.0  # elapsed time from before the last pause
        self._clock = QElapsedTimer()
        self._running = False
        self._paused = False
        self._pace = Pace.CALM
        self._ticker = QTimer(self)
        self._ticker.setInterval(_TICK_MS)
        self._ticker.timeout.connect(self._refresh)

        self._time_label = QLabel("--:--", self)
        self._time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._time_label.setFont(scaled_font(self, 4.0, bold=True))
        self._time_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._caption = QLabel("", self)
        self._caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._time_label)
        layout.addWidget(self._caption)
        self.setAccessibleName("Answer countdown")
        self._apply_pace(Pace.CALM, announce=False)

    # -- public API -----------------------------------------------------------------------
    @property
    def elapsed_s(self) -> float:
        """Seconds of answering so far, pauses excluded."""
        running = self._clock.elapsed() / 1000.0 if self._running else 0.0
        return self._banked_s + running

    @property
    def remaining_s(self) -> float | None:
        """Seconds left (negative once over the limit), or None without a limit."""
        return None if not self._limit_s else self._limit_s - self.elapsed_s

    @property
    def pace(self) -> Pace:
        return self._pace

    @property
    def is_running(self) -> bool:
        return self._running

    def start(self, limit_s: float | None) -> None:
        """Start counting a fresh answer against ``limit_s`` seconds (None: count up)."""
        self._limit_s = limit_s if limit_s and limit_s > 0 else None
        self._banked_s = 0.0
        self._running = True
        self._paused = False
        self._clock.start()
        self._pace = Pace.CALM
        self._apply_pace(Pace.CALM, announce=False)
        self._ticker.start()
        self._refresh()

    def pause(self) -> None:
        """Freeze the clock (the candidate paused the interview)."""
        if self._running:
            self._banked_s = self.elapsed_s
            self._running = False
            self._paused = True
            self._ticker.stop()
            self._refresh(paused=True)

    def resume(self) -> None:
        """Continue from where ``pause`` froze the clock."""
        if not self._running and self._paused:
            self._paused = False
            self._running = True
            self._clock.start()
            self._ticker.start()
            self._refresh()

    def stop(self) -> None:
        """Stop at the current value (the answer is finished)."""
        if self._running:
            self._banked_s = self.elapsed_s
        self._running = False
        self._paused = False
        self._ticker.stop()

    def reset(self, limit_s: float | None = None) -> None:
        """Show the full limit without running (before the candidate starts answering)."""
        self.stop()
        self._limit_s = limit_s if limit_s and limit_s > 0 else None
        self._banked_s = 0.0
        self._apply_pace(Pace.CALM, announce=False)
        self._time_label.setText(format_clock(self._limit_s) if self._limit_s else "00:00")
        self._caption.setText("time for your answer" if self._limit_s else "")

    def time_color(self) -> str:
        """The clock's current text colour as #rrggbb (what the pace cue shows)."""
        return pace_color(self._pace).name()

    def time_text(self) -> str:
        """What the clock shows right now (also used by tests and screen readers)."""
        return self._time_label.text()

    # -- internals --------------------------------------------------------------------------
    def _refresh(self, paused: bool = False) -> None:
        elapsed = self.elapsed_s
        if self._limit_s is None:
            text, caption = format_clock(elapsed), "elapsed"
        elif elapsed <= self._limit_s:
            text, caption = format_clock(self._limit_s - elapsed), "left"
        else:
            text, caption = "+" + format_clock(elapsed - self._limit_s), "over the limit"
        if paused:
            caption = "paused"
        self._time_label.setText(text)
        self._caption.setText(caption)
        self.setAccessibleDescription(f"{text} {caption}")
        pace = pace_for(elapsed, self._limit_s)
        if pace is not self._pace:
            self._apply_pace(pace, announce=True)

    def _apply_pace(self, pace: Pace, announce: bool) -> None:
        self._pace = pace
        color = pace_color(pace)
        # Only the text colour is set; the background stays the palette's.
        self._time_label.setStyleSheet(f"color: {color.name()};")
        if announce:
            self.pace_changed.emit(pace.value)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Re-pick the pace colour when the system switches between light and dark."""
        super().changeEvent(event)
        if event.type() in (event.Type.ApplicationPaletteChange, event.Type.PaletteChange):
            self.apply_palette()

    def apply_palette(self) -> None:
        """Re-pick the pace colour for the current palette (the main window calls this too)."""
        color = pace_color(self._pace).name()
        if self._time_label.styleSheet() != f"color: {color};":
            self._apply_pace(self._pace, announce=False)


def write_chime_wav(path: Path | None = None) -> Path:
    """Write a short, soft two-tone chime (a WAV) and return its path.

    Synthesised instead of shipped so no asset can go missing; a gentle fade in and out keeps it
    from clicking, and the low volume keeps it from startling a candidate mid-answer.
    """
    import numpy as np

    from engine.speech.audio_io import write_wav

    if path is None:
        path = Path(tempfile.gettempdir()) / "mockinterview-chime.wav"
    duration = 0.45
    t = np.arange(int(_CHIME_RATE * duration), dtype=np.float32) / _CHIME_RATE
    tone = 0.6 * np.sin(2 * np.pi * 660.0 * t) + 0.4 * np.sin(2 * np.pi * 990.0 * t)
    envelope = np.minimum(1.0, t / 0.02) * np.exp(-5.0 * t)
    samples = (0.18 * tone * envelope).astype(np.float32)
    write_wav(path, samples, _CHIME_RATE)
    return Path(path)
