"""The practice loop in the real window: today's plan on Setup, a job description, a timed
interview loop with its round clock and loop report, and a retry from a report.

Answers are typed: the setup names a microphone that is not connected, so the real
``MicrophoneError`` path offers a typed answer (as in test_interview_screen.py); the speaker is
unplugged the same way, so questions are shown as text. Grading, the store and the plan are real.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.widgets.practice_sections import AttemptComparisonView, LoopSummaryView
from desktop.widgets.round_clock import RoundClock
from engine.store.sessions import load_session
from tests.desktop.test_interview_screen import UNPLUGGED_MIC, unplug_speaker
from tests.engine.practice.history_factory import save_attempt, save_graded_answer, scores_with
from tests.engine.practice.test_practice_retry import BETTER, FIRST, QUESTION_ID


def _ready_setup(window, qtbot):
    unplug_speaker()
    setup = window.setup_screen
    setup.reload()
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    with qtbot.waitSignal(setup.practice_panel.loaded, timeout=20_000):
        setup.practice_panel.refresh()
    setup.follow_ups_spin.setValue(0)
    setup.mic_combo.addItem(UNPLUGGED_MIC, UNPLUGGED_MIC)
    setup.mic_combo.setCurrentIndex(setup.mic_combo.count() - 1)
    return setup


def _type_instead(window, qtbot):
    screen = window.interview_screen
    qtbot.waitUntil(screen.banner.action_button.isVisible, timeout=20_000)
    qtbot.mouseClick(screen.banner.action_button, Qt.MouseButton.LeftButton)
    assert screen.typed_answer.isVisible()
    return screen


def test_todays_practice_explains_its_picks_and_starts_them(main_window, qtbot, artifacts_dir):
    today = date.today()
    for offset, qid in ((4, "design-ads-ranking"), (2, "design-ecommerce-search-ranking")):
        save_attempt(qid, today - timedelta(days=offset), scores_with(metrics=2, communication=4))
    setup = _ready_setup(main_window, qtbot)
    panel = setup.practice_panel
    text = panel.picks_label.text()
    assert "Metrics has been your lowest score in 2 of the last 2 sessions" in text
    picks = [p.question.id for p in panel.plan.picks]
    assert len(picks) == 3
    main_window.setup_screen.grab().save(str(artifacts_dir / "setup_todays_practice.png"))
    qtbot.mouseClick(panel.practise_button, Qt.MouseButton.LeftButton)
    assert main_window.current_screen_name == "interview"
    assert [q.id for q in main_window.interview_screen._questions] == picks


def test_a_job_description_aims_the_plan(main_window, qtbot):
    setup = _ready_setup(main_window, qtbot)
    panel = setup.practice_panel
    dialog = panel.edit_job_description()
    dialog.editor.setPlainText("We build real-time fraud detection for card payments.")
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        dialog.accept()
    assert "fraud and risk" in panel.job_label.text()
    assert all("fraud" in p.question.tags for p in panel.plan.picks)
    assert "matches your job description" in panel.picks_label.text()


def test_interview_loop_runs_on_a_round_clock_and_reports_the_round(main_window, qtbot):
    setup = _ready_setup(main_window, qtbot)
    qtbot.mouseClick(setup.practice_panel.loop_button, Qt.MouseButton.LeftButton)
    screen = _type_instead(main_window, qtbot)
    clock = screen.round_clock
    assert clock.isVisible() and "left of 45:00" in clock.text()
    qtbot.keyClicks(screen.typed_answer, "I would start with the users and one clear metric.")
    with qtbot.waitSignal(main_window.controller.finished, timeout=30_000) as done:
        screen.controller.end_interview(screen.typed_answer.toPlainText())
    stored = load_session(done.args[0].id)
    assert stored.settings["loop"]["total_s"] == 45 * 60
    qtbot.waitUntil(lambda: main_window.current_screen_name == "report", timeout=5000)
    report = main_window.screen("report")
    qtbot.waitUntil(lambda: report.extras is not None, timeout=20_000)
    loop_view = report.findChild(LoopSummaryView)
    assert loop_view is not None
    assert "Partial: 1 of 3 questions answered." in loop_view.verdict_label.text()


def test_when_the_round_runs_out_the_interview_ends_after_the_answer(main_window, qtbot):
    setup = _ready_setup(main_window, qtbot)
    panel = setup.practice_panel
    from engine.practice.loop import loop_settings

    settings = loop_settings(panel.loop_format, panel.loop_questions)
    settings["total_s"] = 3  # a three-second round, so it runs out during the first answer
    setup._start_questions(list(panel.loop_questions), {"loop": settings})
    screen = _type_instead(main_window, qtbot)
    qtbot.waitUntil(
        lambda: (
            "time's up" in screen.banner.text.lower() or "time is up" in screen.banner.text.lower()
        ),
        timeout=20_000,
    )
    qtbot.keyClicks(screen.typed_answer, "Users first, then the metric that shows they came back.")
    with qtbot.waitSignal(main_window.controller.finished, timeout=30_000) as done:
        qtbot.keyClick(screen.typed_answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = load_session(done.args[0].id)
    answered = [q for q in stored.questions if q.turns]
    assert len(answered) == 1  # the round ended before the second question
    assert stored.questions[0].turns[0].transcript.text.startswith("Users first")


def test_round_clock_holds_still_while_paused(qtbot):
    clock = RoundClock()
    qtbot.addWidget(clock)
    clock.start(60)
    qtbot.wait(300)
    clock.pause()
    frozen = clock.remaining_s
    qtbot.wait(600)
    assert clock.remaining_s == frozen
    assert "(paused)" in clock.text()
    clock.resume()
    qtbot.waitUntil(lambda: clock.remaining_s < frozen - 0.2, timeout=3000)


def test_answer_again_from_a_report_shows_the_change(main_window, qtbot):
    first = save_graded_answer(QUESTION_ID, FIRST)
    _ready_setup(main_window, qtbot)
    main_window.show_report(load_session(first.id))
    report = main_window.screen("report")
    qtbot.waitUntil(lambda: report.extras is not None, timeout=20_000)
    report._retry(1)
    screen = _type_instead(main_window, qtbot)
    screen.typed_answer.setPlainText(BETTER)
    with qtbot.waitSignal(main_window.controller.finished, timeout=30_000) as done:
        qtbot.keyClick(screen.typed_answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = load_session(done.args[0].id)
    assert stored.settings["retry_of"] == {"session": first.id, "question": 1}
    qtbot.waitUntil(lambda: main_window.current_screen_name == "report", timeout=5000)
    qtbot.waitUntil(
        lambda: report.extras is not None and report.session.id == stored.id, timeout=20_000
    )
    view = report.findChild(AttemptComparisonView)
    assert view is not None
    assert report.extras.comparison.overall_delta > 0
