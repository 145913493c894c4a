"""Live pacing on the interview screen, with real speech through the real virtual microphone.

The candidate's answer is espeak speech that only frames the problem (no metric), played into
the PulseAudio pipe source; Whisper tiny.en streams it onto the screen. Under the clock the
screen must name the stage, show a pace, and once half the one-minute limit is gone, say that
no metric has been given yet, in writing only.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.controllers import interview_controller as ic
from tests.desktop.test_flow import synthesize_answer

pytestmark = [pytest.mark.mic, pytest.mark.slow]

FRAMING_ONLY = (
    "Before anything else I want to understand who the writers are. I think they are people "
    "drafting emails and documents at work, who want to finish faster without losing their "
    "own voice. I would also like to clarify which editor we are talking about."
)


def test_stage_pace_and_a_written_cue_while_speaking(
    main_window, qtbot, virtual_mic, whisper_ready, artifacts_dir, tmp_path
) -> None:
    window = main_window
    screen = window.interview_screen
    controller = window.controller
    audio = synthesize_answer(FRAMING_ONLY, tmp_path / "framing.wav")
    spoken: list[str] = []
    controller.interviewer_said.connect(lambda _text, purpose, _i: spoken.append(purpose))
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked(["metrics-ai-writing-assistant"])
    setup.follow_ups_spin.setValue(0)
    setup.time_limit_spin.setValue(1)  # one minute: the cue is due after thirty seconds
    setup.rate_spin.setValue(240)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.state == ic.LISTENING, timeout=60_000)
    virtual_mic.feed_file(audio, wait=False)
    view = screen.live_pacing
    qtbot.waitUntil(lambda: "framing" in view.stage_label.text(), timeout=40_000)
    qtbot.waitUntil(lambda: "wpm" in view.stage_label.text(), timeout=40_000)
    qtbot.waitUntil(lambda: "no metric yet" in view.cue_label.text(), timeout=60_000)
    assert view.cue_label.isVisibleTo(screen)
    assert screen.countdown.elapsed_s >= 30.0
    window.grab().save(str(artifacts_dir / "interview_live_pacing.png"))
    said_before = list(spoken)
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state != ic.LISTENING, timeout=5000)
    assert "question" in said_before and said_before.count("question") == 1  # no spoken cue
