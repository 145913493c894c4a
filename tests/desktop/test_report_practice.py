"""The report's practice-loop sections on real graded sessions.

The change since the previous attempt, the study card, the loop report, and "Answer this again".
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.screens.report_screen import ReportScreen
from desktop.widgets.practice_sections import (
    AttemptComparisonView,
    LoopSummaryView,
    StudyCardView,
)
from engine.practice.retry import retry_target, save_retry
from engine.transcript import Transcript
from tests.engine.practice.history_factory import save_graded_answer
from tests.engine.practice.test_practice_retry import BETTER, FIRST, QUESTION_ID


def _shown(qtbot, session) -> ReportScreen:
    screen = ReportScreen()
    qtbot.addWidget(screen)
    screen.resize(1000, 900)
    with qtbot.waitSignal(screen.extras_shown, timeout=20000):
        screen.show_session(session)
    screen.show()
    return screen


def test_a_retry_report_shows_the_change_per_dimension_and_the_study_card(qtbot, artifacts_dir):
    first = save_graded_answer(QUESTION_ID, FIRST)
    retry = save_retry(retry_target(first.id, 1), Transcript.from_text(BETTER))
    screen = _shown(qtbot, retry)
    page = screen.tabs.currentWidget().widget()
    comparison = page.findChild(AttemptComparisonView)
    assert comparison is not None
    change, detail = comparison.rows["metrics"]
    metrics = next(r for r in screen.extras.comparison.rows if r.dimension == "metrics")
    assert f"{metrics.before} → {metrics.after}" in change.text()
    assert metrics.after > metrics.before and "(+" in change.text()
    assert "new: “" in detail.text()
    card = page.findChild(StudyCardView)
    assert card is not None and not card.body.isVisibleTo(card)
    card.toggle.click()
    assert card.body.isVisibleTo(card)
    assert "Hide" in card.toggle.text()
    QApplication.processEvents()
    page.resize(page.width(), page.sizeHint().height())
    page.grab().save(str(artifacts_dir / "report_retry_page.png"))


def test_answer_again_asks_to_retry_that_question(qtbot):
    first = save_graded_answer(QUESTION_ID, FIRST)
    screen = _shown(qtbot, first)
    from PySide6.QtWidgets import QPushButton

    page = screen.tabs.currentWidget().widget()
    button = next(b for b in page.findChildren(QPushButton) if "again" in b.text())
    with qtbot.waitSignal(screen.retry_requested, timeout=2000) as asked:
        button.click()
    assert asked.args[0].id == first.id and asked.args[1] == 1
    assert page.findChild(AttemptComparisonView) is None  # no earlier attempt to compare with


def test_a_loop_session_shows_the_loop_report_on_its_summary(qtbot):
    from tests.engine.practice.test_practice_loop import _loop_session

    session = _loop_session(answered=2)
    screen = _shown(qtbot, session)
    summary = screen.tabs.widget(0).widget()
    loop = summary.findChild(LoopSummaryView)
    assert loop is not None
    assert "Partial: 2 of 3 questions answered." in loop.verdict_label.text()
