"""The interview under stress, every part real: the main window offscreen, the interviewer's
voice through espeak into the private PulseAudio speaker, answers played into the REAL virtual
microphone (tests/fixtures/virtual_mic.py), Whisper tiny.en streaming, the offline grader and the
session on disk.

- P pressed twice in a row on a real capture: the microphone must be recording again.
- A microphone that fails mid-answer: the failure is injected into the REAL ``Recorder`` of the
  answer by making its level consumer raise (the one fault a test can trigger on demand; the
  recorder turns it into ``callback_error``, exactly as for any consumer that breaks).
- Closing the window while an answer is being graded: the window waits (without blocking the
  UI thread) until the answer is in the session, then closes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop.controllers import interview_controller as ic
from desktop.controllers.answer_capture import MIC_STOPPED
from engine.store.sessions import load_session
from tests.desktop.test_flow import synthesize_answer

pytestmark = [pytest.mark.mic, pytest.mark.slow]

QUESTION_ID = "metrics-ai-writing-assistant"


def start_answering(window, qtbot) -> None:
    """Start a one-question interview and cut the interviewer short with Space."""
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked([QUESTION_ID])
    setup.follow_ups_spin.setValue(0)
    setup.time_limit_spin.setValue(0)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.state == ic.SPEAKING, timeout=20_000)
    with qtbot.waitSignal(controller.listening_started, timeout=20_000):
        qtbot.keyClick(window.interview_screen, Qt.Key.Key_Space)


def finish_answer_and_interview(window, qtbot):
    """Finish the answer with Space, then make sure the interview ends; returns the session.

    A one-sentence answer may now get the question restated (a redirect) rather than the
    closing line, so the interview is ended once the answer is stored, as Esc would.
    """
    controller = window.controller
    finished: list = []
    controller.finished.connect(finished.append)
    qtbot.keyClick(window.interview_screen, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: finished or controller.state in (ic.SPEAKING, ic.LISTENING, ic.FINISHED),
        timeout=60_000,
    )
    if not finished and controller.state != ic.FINISHED:
        controller.end_interview("")
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    return finished[0]


def test_pressing_p_twice_quickly_leaves_the_microphone_recording(
    main_window, qtbot, virtual_mic, whisper_ready, tmp_path: Path
) -> None:
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    first = synthesize_answer("First I would define who the users are.", tmp_path / "1.wav")
    second = synthesize_answer("Then I would track the weekly retention.", tmp_path / "2.wav")
    start_answering(window, qtbot)
    capture = controller.capture
    assert capture is not None and capture.is_recording

    virtual_mic.feed_file(first)
    # Two presses with no event processing in between: pause and resume race for the mic.
    qtbot.keyClick(screen, Qt.Key.Key_P)
    qtbot.keyClick(screen, Qt.Key.Key_P)
    assert controller.state == ic.LISTENING
    assert screen.pause_button.text() == "Pause (P)"
    qtbot.waitUntil(lambda: capture.is_recording and not capture.is_paused, timeout=10_000)

    virtual_mic.feed_file(second, wait=False)
    qtbot.waitUntil(lambda: "retention" in screen.transcript.full_text().lower(), timeout=40_000)
    session = finish_answer_and_interview(window, qtbot)
    turn = load_session(session.id).questions[0].turns[0]
    text = turn.transcript.text.lower()
    assert "user" in text and "retention" in text


def test_a_pause_stops_recording_and_resume_records_again(
    main_window, qtbot, virtual_mic, whisper_ready, tmp_path: Path
) -> None:
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    after = synthesize_answer("After the pause I would look at retention.", tmp_path / "a.wav")
    start_answering(window, qtbot)
    capture = controller.capture
    assert capture is not None

    qtbot.keyClick(screen, Qt.Key.Key_P)
    assert controller.state == ic.PAUSED
    qtbot.waitUntil(lambda: capture.is_paused and not capture.is_recording, timeout=10_000)
    virtual_mic.feed(np.zeros(8000, dtype=np.float32))  # half a second nobody records
    qtbot.keyClick(screen, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: capture.is_recording, timeout=10_000)
    virtual_mic.feed_file(after, wait=False)
    qtbot.waitUntil(lambda: "retention" in screen.transcript.full_text().lower(), timeout=40_000)
    stored = load_session(finish_answer_and_interview(window, qtbot).id)
    turn = stored.questions[0].turns[0]
    audio = Path(stored.folder) / turn.audio
    assert audio.is_file() and not list(audio.parent.glob("*.part*"))  # parts joined
    assert "retention" in turn.transcript.text.lower()


def test_a_microphone_that_fails_mid_answer_stops_it_and_keeps_what_was_said(
    main_window, qtbot, virtual_mic, whisper_ready, tmp_path: Path
) -> None:
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    said = synthesize_answer("I would measure how often people keep the text.", tmp_path / "s.wav")
    notices: list[tuple[str, str]] = []
    controller.notice.connect(lambda message, level: notices.append((message, level)))
    start_answering(window, qtbot)
    capture = controller.capture
    assert capture is not None
    virtual_mic.feed_file(said, wait=False)
    qtbot.waitUntil(lambda: "text" in screen.transcript.full_text().lower(), timeout=40_000)

    recorder = capture._recorder  # the real Recorder writing this answer

    def broken_level(_level: float) -> None:
        raise OSError("input overflow: the device stopped answering")

    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        recorder.on_level = broken_level  # the next block fails inside the recorder
    assert recorder.callback_error is not None
    messages = [m for m, level in notices if level == "error"]
    assert any(m.startswith(MIC_STOPPED) for m in messages), notices
    stored = load_session(done.args[0].id)
    turn = stored.questions[0].turns[0]
    assert (Path(stored.folder) / turn.audio).is_file()
    assert turn.duration_s > 1.0
    assert "text" in turn.transcript.text.lower()
    assert turn.grade is not None


def test_closing_the_window_while_an_answer_is_graded_keeps_it_and_closes(
    qtbot, virtual_mic, whisper_ready, tmp_path: Path
) -> None:
    from desktop.main_window import MainWindow

    answer = synthesize_answer("I would track weekly retention of the writers.", tmp_path / "w.wav")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    start_answering(window, qtbot)
    screen = window.interview_screen
    controller = window.controller
    session_id = controller.session.id
    virtual_mic.feed_file(answer, wait=False)
    qtbot.waitUntil(lambda: "retention" in screen.transcript.full_text().lower(), timeout=40_000)
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert controller.state == ic.THINKING  # the answer is being transcribed and graded

    window.close()
    assert window.isVisible()  # not closed yet: it finishes first, without blocking
    assert controller.state == ic.CLOSING
    assert "Finishing" in window.banner.text
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)

    stored = load_session(session_id)
    assert stored.status in ("complete", "ended_early")
    [turn] = stored.questions[0].turns
    assert "retention" in turn.transcript.text.lower()
    assert turn.grade is not None
    assert (Path(stored.folder) / turn.audio).is_file()
