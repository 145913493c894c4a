"""How long the UI thread can be stuck while an answer is recorded, transcribed and graded.

A 5 ms QTimer on the UI thread records the gap between its ticks; a gap much longer than the
interval means the event loop was blocked (a frozen window). The probe runs while JFK's speech
(11 s of real human speech) is played into the REAL virtual microphone and goes through the
controller: recorder → streaming Whisper (tiny.en) → finish → offline grading → save → the closing
line → the report screen appearing. The figure
is printed; the target is 50 ms, the test fails above a generous bound because two shared cores
under a parallel test run can delay any process.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from desktop.controllers import interview_controller as ic

pytestmark = [pytest.mark.mic, pytest.mark.slow]

STALL_BOUND_S = 0.25


class StallProbe(QObject):
    """Measures the longest gap between ticks of a fast timer on the UI thread."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self.interval_s = interval_ms / 1000
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    @property
    def longest_stall_s(self) -> float:
        return max(self.gaps, default=0.0) - self.interval_s

    def percentile_s(self, q: float) -> float:
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] - self.interval_s


def test_ui_thread_keeps_turning_while_an_answer_is_transcribed(
    main_window, qtbot, virtual_mic, whisper_ready, jfk_path
) -> None:
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked(["metrics-ai-writing-assistant"])
    setup.follow_ups_spin.setValue(0)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)

    # Space while the interviewer speaks: answer at once (the voice stops).
    qtbot.waitUntil(lambda: controller.state == ic.SPEAKING, timeout=20_000)
    with qtbot.waitSignal(controller.listening_started, timeout=20_000):
        qtbot.keyClick(screen, Qt.Key.Key_Space)

    probe = StallProbe()
    probe.start()
    virtual_mic.feed_file(jfk_path, wait=False)
    qtbot.waitUntil(lambda: "country" in screen.transcript.full_text().lower(), timeout=40_000)
    with qtbot.waitSignal(controller.finished, timeout=60_000):
        qtbot.keyClick(screen, Qt.Key.Key_Space)
    # The report screen is built and filled on the UI thread: that moment counts too.
    ticks = len(probe.gaps)
    qtbot.waitUntil(lambda: window.current_screen_name == "report", timeout=10_000)
    qtbot.waitUntil(lambda: len(probe.gaps) > ticks + 20, timeout=10_000)
    probe.stop()

    longest = probe.longest_stall_s
    print(
        f"\nUI thread during record+stream+finish+grade: longest stall {longest * 1000:.0f} ms, "
        f"p99 {probe.percentile_s(0.99) * 1000:.0f} ms over {len(probe.gaps)} ticks"
    )
    assert len(probe.gaps) > 500
    assert longest < STALL_BOUND_S
