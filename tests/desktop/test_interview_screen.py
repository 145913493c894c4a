"""The interview screen: the pacing countdown, its colours in light and dark palettes, the
keyboard controls, and the missing-microphone path that falls back to a typed answer.

The missing microphone is the real engine behaviour: the setup names a microphone that is not
connected, so ``engine.speech.recorder.Recorder.start`` raises ``MicrophoneError`` (this works
whether or not another test started the virtual PulseAudio mic). Likewise the settings name a
speaker that is not connected, so the interviewer's voice hits the real ``PlaybackError`` path:
the question is shown as text and the interview goes on. Grading and saving are the real offline
grader and store.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from desktop import settings as app_settings
from desktop.controllers import interview_controller as ic
from desktop.theme import Pace, contrast_ratio, pace_color
from desktop.widgets.countdown import Countdown, format_clock, pace_for
from engine.store.sessions import load_session
from tests.desktop.conftest import save_screenshot

TYPED_ANSWER = (
    "I would start with the users and their goal, then define a north star metric such as "
    "weekly retention with guardrails on latency and complaints. A simple popularity baseline "
    "comes first, then a ranking model trained on implicit feedback like clicks and dwell time, "
    "validated with an A/B test before launch."
)


def test_clock_formats_and_pace_stages() -> None:
    assert format_clock(125) == "02:05"
    assert format_clock(0.2) == "00:01"
    assert format_clock(3725) == "1:02:05"
    assert pace_for(10, 100) is Pace.CALM
    assert pace_for(75, 100) is Pace.AMBER
    assert pace_for(100, 100) is Pace.RED
    assert pace_for(500, None) is Pace.CALM


def test_countdown_turns_amber_then_red_and_pauses(qtbot) -> None:
    clock = Countdown()
    qtbot.addWidget(clock)
    clock.show()
    calm = pace_color(Pace.CALM)
    stages: list[str] = []
    clock.pace_changed.connect(stages.append)
    clock.start(1.2)
    assert clock.time_color() == calm.name()
    qtbot.waitUntil(lambda: stages == ["amber", "red"], timeout=5000)
    assert clock.pace is Pace.RED
    qtbot.waitUntil(lambda: clock.time_text().startswith("+"), timeout=3000)
    assert clock.time_color() == pace_color(Pace.RED).name()
    assert pace_color(Pace.RED) != calm
    clock.pause()
    frozen = clock.elapsed_s
    qtbot.wait(250)
    assert clock.elapsed_s == frozen
    clock.resume()
    qtbot.waitUntil(lambda: clock.elapsed_s > frozen + 0.1, timeout=2000)


def test_pace_colours_have_contrast_in_light_and_dark() -> None:
    for window, text in (("#ffffff", "#000000"), ("#2b2b2b", "#f0f0f0")):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        for pace in (Pace.AMBER, Pace.RED):
            ratio = contrast_ratio(pace_color(pace, palette), QColor(window))
            assert ratio >= 4.5, f"{pace} on {window}: contrast {ratio:.2f}"


UNPLUGGED_MIC = "USB headset (unplugged)"
UNPLUGGED_SPEAKER = "Bluetooth speaker (unplugged)"


def unplug_speaker() -> None:
    """Name a speaker that is not connected: the voice then hits the real ``PlaybackError``
    (also when another test started the virtual PulseAudio, whose speaker would work)."""
    app_settings.save_preferences(app_settings.Preferences(output_device=UNPLUGGED_SPEAKER))


def start_one_question(window, qtbot, device: str = "") -> None:
    unplug_speaker()
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked(["metrics-ai-writing-assistant"])
    setup.follow_ups_spin.setValue(0)
    setup.time_limit_spin.setValue(0)
    if device:
        setup.mic_combo.addItem(device, device)
        setup.mic_combo.setCurrentIndex(setup.mic_combo.count() - 1)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    assert window.current_screen_name == "interview"


def test_missing_microphone_offers_a_typed_answer(main_window, qtbot, artifacts_dir: Path) -> None:
    window = main_window
    screen = window.interview_screen
    notices: list[str] = []
    window.controller.notice.connect(lambda message, _level: notices.append(message))
    start_one_question(window, qtbot, device=UNPLUGGED_MIC)

    qtbot.waitUntil(screen.banner.action_button.isVisible, timeout=20_000)
    assert any("read the question on screen" in n for n in notices)  # no speaker: text only
    assert window.controller.typed_mode
    assert "no microphone found" in screen.banner.text.lower()
    assert screen.banner.action_button.text() == "Type your answer instead"
    assert not screen.typed_answer.isVisible()
    qtbot.mouseClick(screen.banner.action_button, Qt.MouseButton.LeftButton)
    assert screen.typed_answer.isVisible() and screen.typed_answer.hasFocus()
    assert screen.question_label.text().startswith("How would you measure the success")
    qtbot.keyClicks(screen.typed_answer, TYPED_ANSWER)
    save_screenshot(window, artifacts_dir, "interview_screen_typed_answer")

    with qtbot.waitSignal(window.controller.finished, timeout=30_000) as done:
        qtbot.keyClick(screen.typed_answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    session = done.args[0]
    qtbot.waitUntil(lambda: window.current_screen_name == "report", timeout=5000)
    report = window.screen("report")
    assert re.search(r"overall \d\.\d / 4", report.subtitle_label.text())

    stored = load_session(session.id)
    answer = stored.questions[0].turns[0]
    assert answer.transcript.text == " ".join(TYPED_ANSWER.split())
    assert answer.grade is not None and answer.grade.overall >= 1.0
    assert stored.status == "complete"


def test_escape_ends_early_and_still_reports(main_window, qtbot) -> None:
    window = main_window
    screen = window.interview_screen
    start_typed_interview(
        window, qtbot, ["metrics-ai-writing-assistant", "design-short-video-feed"]
    )
    qtbot.keyClicks(screen.typed_answer, "Start with the users.")
    screen.answer_button.setFocus()
    qtbot.keyClick(screen.answer_button, Qt.Key.Key_Escape)
    assert screen.confirm_bar.isVisible()
    assert window.controller.state == ic.LISTENING  # nothing ended before the confirmation
    with qtbot.waitSignal(window.controller.finished, timeout=20_000) as done:
        qtbot.mouseClick(screen.confirm_bar.action_button, Qt.MouseButton.LeftButton)
    stored = load_session(done.args[0].id)
    assert stored.status == "ended_early"
    assert stored.questions[0].turns[0].transcript.text == "Start with the users."
    assert all(not q.turns for q in stored.questions[1:])  # nothing answered after Esc
    qtbot.waitUntil(lambda: window.current_screen_name == "report", timeout=5000)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#2b2c2f"),
        (QPalette.ColorRole.AlternateBase, "#323336"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
        (QPalette.ColorRole.Mid, "#5f6368"),
    ):
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#9aa0a6"))
    return palette


def test_interview_screen_renders_in_light_and_dark(main_window, qtbot, artifacts_dir) -> None:
    """A listening moment drawn in both schemes: the clock, meter and transcript must read."""
    from PySide6.QtWidgets import QApplication

    window = main_window
    screen = window.interview_screen
    window.show_screen("interview")
    screen.question_label.setText(
        "How would you measure the success of an AI writing assistant built into a document editor?"
    )
    screen.interviewer_caption.setText("Follow-up:")
    screen.interviewer_text.setText(
        "Acceptance rate is high. Why might that still not mean the assistant is helping?"
    )
    screen.progress_label.setText("Question 1 of 3 · Define success")
    screen.status_label.setText("Listening — answer aloud, press Space when you are done")
    screen.transcript.set_partial(
        "People accept suggestions and then delete them, so acceptance alone can mislead.",
        "I would track how much accepted text survives",
    )
    screen.level_meter.set_level(0.55)
    light = QApplication.palette()
    try:
        for name, palette in (("light", light), ("dark", dark_palette())):
            QApplication.setPalette(palette)
            screen.countdown.start(0.3)
            qtbot.waitUntil(lambda: screen.countdown.pace is Pace.RED, timeout=3000)
            screen.countdown.stop()
            background = palette.color(QPalette.ColorRole.Window)
            shown = QColor(screen.countdown.time_color())
            assert contrast_ratio(shown, background) >= 4.5
            save_screenshot(window, artifacts_dir, f"interview_screen_listening_{name}")
    finally:
        QApplication.setPalette(light)


def start_typed_interview(window, qtbot, question_ids: list[str]) -> None:
    unplug_speaker()
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked(question_ids)
    setup.follow_ups_spin.setValue(0)
    setup.mic_combo.addItem(UNPLUGGED_MIC, UNPLUGGED_MIC)
    setup.mic_combo.setCurrentIndex(setup.mic_combo.count() - 1)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    screen = window.interview_screen
    qtbot.waitUntil(screen.banner.action_button.isVisible, timeout=20_000)
    qtbot.mouseClick(screen.banner.action_button, Qt.MouseButton.LeftButton)
    assert screen.typed_answer.isVisible()


def test_a_clarifying_question_is_answered_then_the_same_question_continues(
    main_window, qtbot
) -> None:
    window = main_window
    screen = window.interview_screen
    controller = window.controller
    start_typed_interview(window, qtbot, ["metrics-ai-writing-assistant"])
    said: list[str] = []
    controller.interviewer_said.connect(lambda _text, purpose, _i: said.append(purpose))
    qtbot.keyClicks(screen.typed_answer, "Before I start, who are the main users of it?")
    with qtbot.waitSignal(controller.listening_started, timeout=20_000):
        qtbot.keyClick(screen.typed_answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert said == ["clarification_reply"]
    assert "Office workers" in screen.interviewer_text.text()  # the bank's answer on "users"
    assert screen.question_label.text().startswith("How would you measure the success")
    assert screen.typed_answer.toPlainText() == ""  # ready for the real answer


def test_pause_repeat_and_skip_keys(main_window, qtbot) -> None:
    window = main_window
    screen = window.interview_screen
    controller = window.controller
    start_typed_interview(
        window, qtbot, ["metrics-ai-writing-assistant", "design-short-video-feed"]
    )
    screen.answer_button.setFocus()

    qtbot.keyClick(screen.answer_button, Qt.Key.Key_P)
    assert controller.state == ic.PAUSED
    assert screen.pause_button.text() == "Resume (P)"
    # Frozen over real time: more than a clock tick of wall time passes, the clock stands still.
    frozen, frozen_text = screen.countdown.elapsed_s, screen.countdown.time_text()
    paused_at = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - paused_at >= 1.5, timeout=5000)
    assert screen.countdown.elapsed_s == frozen
    assert screen.countdown.time_text() == frozen_text
    qtbot.keyClick(screen.answer_button, Qt.Key.Key_P)
    assert controller.state == ic.LISTENING
    qtbot.waitUntil(lambda: screen.countdown.elapsed_s > frozen + 1.0, timeout=5000)

    said: list[tuple[str, str]] = []
    controller.interviewer_said.connect(lambda text, purpose, _i: said.append((purpose, text)))
    first_question = screen.question_label.text()
    qtbot.keyClick(screen.answer_button, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: controller.state == ic.LISTENING and bool(said), timeout=10_000)
    assert said[0] == ("repeat", f"Sure. {first_question}")

    qtbot.keyClick(screen.answer_button, Qt.Key.Key_S)
    qtbot.waitUntil(
        lambda: screen.progress_label.text().startswith("Question 2 of 2"), timeout=10_000
    )
    assert screen.question_label.text() not in ("", first_question)
    qtbot.waitUntil(lambda: controller.state == ic.LISTENING, timeout=10_000)
    with qtbot.waitSignal(controller.finished, timeout=20_000) as done:
        qtbot.keyClick(screen.answer_button, Qt.Key.Key_S)
    stored = load_session(done.args[0].id)
    assert [q.question.get("skipped") for q in stored.questions] == [True, True]


def test_the_pacing_chime_is_a_short_soft_sound(tmp_path) -> None:
    from desktop.widgets.countdown import write_chime_wav
    from engine.speech.audio_io import audio_duration_s, load_audio

    path = write_chime_wav(tmp_path / "chime.wav")
    samples = load_audio(path)
    assert 0.2 < audio_duration_s(path) < 1.0
    assert 0.05 < float(abs(samples).max()) < 0.5  # audible but soft


def test_closing_the_window_mid_interview_keeps_a_reportable_session(qtbot) -> None:
    from desktop.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    start_typed_interview(window, qtbot, ["metrics-ai-writing-assistant"])
    session_id = window.controller.session.id
    window.interview_screen.typed_answer.setPlainText(TYPED_ANSWER)
    window.close()
    qtbot.waitUntil(window.isHidden, timeout=30_000)  # closes once saved, without hanging
    stored = load_session(session_id)
    # The typed answer in progress is kept and graded, so its one question is answered.
    assert stored.status == "complete"
    assert stored.questions[0].turns[0].transcript.text == " ".join(TYPED_ANSWER.split())
    assert stored.questions[0].turns[0].grade is not None
