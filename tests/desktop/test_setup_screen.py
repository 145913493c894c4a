"""The setup screen and the settings dialog, with the real question bank, real QSettings (in the
isolated data dir) and the real engine LLM settings store. The API key and corrupt settings
files are tested in test_settings_files.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from desktop import settings as app_settings
from desktop.screens.setup_screen import SetupScreen
from engine import paths
from tests.desktop.conftest import save_screenshot

USER_QUESTION = """\
- id: my-own-podcast-recs
  category: design
  difficulty: hard
  time_limit_s: 240
  prompt: Design podcast episode recommendations for a commuter app.
  expected:
    problem_framing:
      - names commuters and their listening sessions
  follow_ups:
    - text: How would you handle a commute that ends halfway through an episode?
      dimension: user_signals
    - text: Which metric tells you the recommendations work for commuters?
      dimension: metrics
    - text: How would you serve recommendations with no signal in a tunnel?
      dimension: system_design
  clarifications:
    users: People who listen on trains and in cars.
"""
BROKEN_QUESTION = """\
- id: broken-one
  category: design
"""


def shown_setup(qtbot) -> SetupScreen:
    screen = SetupScreen()
    qtbot.addWidget(screen)
    screen.resize(1100, 720)
    screen.show()
    qtbot.waitUntil(lambda: screen.bank_loaded, timeout=10_000)
    return screen


def test_choices_persist_into_a_new_window(qtbot, artifacts_dir: Path) -> None:
    screen = shown_setup(qtbot)
    first_two = [screen.question_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)]
    screen.pick_radio.setChecked(True)
    screen.set_picked(first_two)
    screen.time_limit_spin.setValue(4)
    screen.follow_ups_spin.setValue(1)
    screen.llm_radio.setChecked(True)
    screen.rate_spin.setValue(150)
    save_screenshot(screen.window(), artifacts_dir, "setup_screen_hand_picked")

    with qtbot.waitSignal(screen.start_requested, timeout=2000) as started:
        qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    plan = started.args[0]
    assert [q.id for q in plan.questions] == first_two
    assert plan.time_limit_s == 240
    assert plan.follow_ups == 1
    assert plan.engine == "llm"

    again = shown_setup(qtbot)
    assert again.pick_radio.isChecked()
    assert again.picked_ids() == first_two
    assert again.time_limit_spin.value() == 4
    assert again.follow_ups_spin.value() == 1
    assert again.llm_radio.isChecked()
    assert again.rate_spin.value() == 150
    assert (paths.data_dir() / app_settings.SETTINGS_FILE).exists()


def test_random_set_follows_category_and_difficulty(qtbot, artifacts_dir: Path) -> None:
    screen = shown_setup(qtbot)
    screen.random_radio.setChecked(True)
    screen.category_boxes["metrics"].setChecked(True)
    screen.difficulty_combo.setCurrentIndex(screen.difficulty_combo.findData("medium"))
    screen.count_spin.setValue(2)
    plan = screen.build_plan()
    assert plan is not None
    assert len(plan.questions) == 2
    assert {q.category for q in plan.questions} == {"metrics"}
    assert {q.difficulty for q in plan.questions} == {"medium"}
    assert "2 random questions" in screen.summary_label.text()
    save_screenshot(screen.window(), artifacts_dir, "setup_screen_random")


def test_own_questions_are_listed_and_searchable(qtbot) -> None:
    (paths.user_questions_dir() / "mine.yaml").write_text(USER_QUESTION, encoding="utf-8")
    screen = shown_setup(qtbot)
    screen.pick_radio.setChecked(True)
    qtbot.keyClicks(screen.search_edit, "commuter app")
    visible = [
        screen.question_list.item(i)
        for i in range(screen.question_list.count())
        if not screen.question_list.item(i).isHidden()
    ]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in visible] == ["my-own-podcast-recs"]
    assert "your question" in visible[0].text()


def test_a_broken_question_file_is_reported_not_fatal(qtbot) -> None:
    (paths.user_questions_dir() / "broken.yaml").write_text(BROKEN_QUESTION, encoding="utf-8")
    screen = shown_setup(qtbot)
    assert "question file problems skipped" in screen.bank_status.text()
    assert screen.build_plan() is not None


def test_start_is_refused_without_a_question(qtbot) -> None:
    screen = shown_setup(qtbot)
    screen.pick_radio.setChecked(True)
    screen.set_picked([])
    assert not screen.start_button.isEnabled()
    assert screen.build_plan() is None
    assert "Tick at least one question" in screen.summary_label.text()


def _is_internal_part(widget) -> bool:
    """Qt's own sub-widgets (a spin box's line edit, a combo's popup, a clear button)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QLineEdit)):
            return True
        parent = parent.parent()
    return False


def test_every_control_has_an_accessible_name(main_window, qtbot) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    window = main_window
    window.open_settings()
    dialog = window.settings_dialog
    unnamed = []
    for root in (window.setup_screen, window.interview_screen, dialog):
        kinds = (
            QAbstractButton,
            QAbstractSpinBox,
            QAbstractItemView,
            QComboBox,
            QLineEdit,
            QPlainTextEdit,
            QTextEdit,
        )
        controls = [w for w in root.findChildren(QWidget) if isinstance(w, kinds)]
        for widget in controls:
            if _is_internal_part(widget):
                continue
            label = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else ""
            )
            if not label.strip():
                unnamed.append(
                    f"{type(widget).__name__} {widget.objectName()!r} under "
                    f"{type(widget.parent()).__name__} in {type(root).__name__}"
                )
    dialog.close()
    assert not unnamed, unnamed


def test_menu_actions_reach_every_screen(main_window, qtbot) -> None:
    window = main_window
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen_name == "library"
    window.import_action.trigger()
    dialog = window.screen("library").import_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    dialog.close()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen_name == "setup"
    window.settings_action.trigger()
    assert window.settings_dialog.isVisible()
    window.settings_dialog.close()


def test_an_interrupted_session_is_recovered_on_start(main_window, qtbot) -> None:
    import socket

    from engine.store.locks import lock_path
    from engine.store.sessions import create_session

    session = create_session(title="killed mid answer")
    # The lock of a process that no longer exists: the app was killed during this session.
    lock_path(session.folder).write_text(
        json.dumps({"pid": 2**22 + 12345, "host": socket.gethostname(), "start_ticks": None}),
        encoding="utf-8",
    )
    window = main_window
    with qtbot.waitSignal(window.recovery_checked, timeout=20_000) as checked:
        window.start_background_work()
    assert checked.args == [1]
    assert window.banner.text.startswith("1 interrupted session recovered")
    qtbot.mouseClick(window.banner.action_button, Qt.MouseButton.LeftButton)
    assert window.current_screen_name == "library"
    qtbot.waitUntil(
        lambda: window.model_status.text().startswith("Speech model ready"), timeout=30_000
    )
    assert window.model_status.text() == "Speech model ready (tiny.en)"
