"""The library's "By question" tab: attempts of one question listed together with their trend.

Sessions are real folders graded by the real offline grader; one is a retry made through the
same `retry` path the CLI uses.
"""

from __future__ import annotations

from desktop.screens.library_screen import LibraryScreen
from engine.practice.retry import retry_target, save_retry
from engine.transcript import Transcript
from tests.desktop.conftest import save_screenshot
from tests.engine.practice.history_factory import save_graded_answer
from tests.engine.practice.test_practice_retry import BETTER, FIRST, QUESTION_ID


def test_attempts_of_a_question_are_grouped_and_open_their_reports(qtbot, artifacts_dir):
    first = save_graded_answer(QUESTION_ID, FIRST)
    retry = save_retry(retry_target(first.id, 1), Transcript.from_text(BETTER))
    save_graded_answer("design-ads-ranking", BETTER)

    screen = LibraryScreen()
    qtbot.addWidget(screen)
    screen.resize(1000, 720)
    screen.show()
    with qtbot.waitSignal(screen.controller.attempts_loaded, timeout=20000):
        screen.views.setCurrentWidget(screen.attempts_view)
    tree = screen.attempts_view.tree
    assert tree.topLevelItemCount() == 2
    top = tree.topLevelItem(0)
    assert top.text(1) == "2"
    scores = [float(s) for s in top.text(2).split(" → ")]
    assert len(scores) == 2 and scores[1] > scores[0]
    assert top.text(3).startswith("+")
    assert top.childCount() == 2
    newest = top.child(0)
    assert retry.id in newest.text(0)
    save_screenshot(screen, artifacts_dir, "library-by-question")
    with qtbot.waitSignal(screen.open_report, timeout=2000) as opened:
        screen.attempts_view.tree.itemActivated.emit(newest, 0)
    assert opened.args == [retry.id]
    assert "answered more than once" in screen.attempts_view.status_label.text()
