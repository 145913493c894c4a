"""The library screen over a real SQLite index and real sessions.

Sessions are made the way users make them: ``jfk.flac`` imported through the real importer (real
Whisper tiny.en, real OfflineGrader), an interrupted recording left without a live owner, and a
session folder whose ``session.json`` is garbage. Listing, importing, recovering and re-grading
all run through the screen's controller off the UI thread; tests wait on its signals.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.screens.library_screen import LibraryScreen

FREE_QUESTION = "What would you ask your country to do for you?"


@pytest.fixture
def screen(qtbot):
    widget = LibraryScreen()
    qtbot.addWidget(widget)
    widget.resize(1000, 720)
    return widget


def refresh(qtbot, screen: LibraryScreen) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        screen.refresh()


def imported(jfk_path, text: str = FREE_QUESTION):
    from engine.library.importer import import_recording

    return import_recording(jfk_path, question_text=text, category="metrics")


def make_corrupt_session() -> str:
    from engine import paths

    folder = paths.sessions_dir() / "20261101-090000-broken"
    (folder / "audio").mkdir(parents=True)
    (folder / "session.json").write_text('{"schema_version": 1, "id": ', encoding="utf-8")
    return folder.name


def make_interrupted_session(jfk_path) -> str:
    """What a killed recording leaves: in_progress, audio on disk, no live owner."""
    from engine.speech.audio_io import load_audio, write_wav
    from engine.store.locks import lock_path
    from engine.store.model import QuestionRecord
    from engine.store.sessions import create_session, save_session, turn_audio_path

    session = create_session(title="killed mid answer")
    session.questions.append(
        QuestionRecord(
            question={"id": None, "text": FREE_QUESTION, "category": "metrics", "time_limit_s": 120}
        )
    )
    save_session(session)
    write_wav(turn_audio_path(session, 1), load_audio(jfk_path))
    lock_path(session.folder).unlink()  # the recording process is gone
    return session.id


def test_library_lists_sessions_flags_corrupt_and_searches(qtbot, screen, jfk_path, artifacts_dir):
    first = imported(jfk_path)
    second = imported(jfk_path, "How should a feed measure long term satisfaction?")
    broken = make_corrupt_session()
    refresh(qtbot, screen)
    ids = {s.id for s in screen.summaries}
    assert ids == {first.id, second.id, broken}
    assert screen.tree.topLevelItemCount() == 3
    corrupt_row = screen.row_for(broken)
    assert corrupt_row.text(4) == "Corrupt" and "not valid JSON" in corrupt_row.text(1)
    assert screen.tree.indexOfTopLevelItem(corrupt_row) == 2  # oldest, so listed last
    screen.tree.setCurrentItem(corrupt_row)
    assert "not valid JSON" in screen.detail_label.text()  # the full reason, wrapped
    good_row = screen.row_for(first.id)
    assert good_row.text(3) == f"{first.turns[0].grade.overall:.1f}"
    assert good_row.text(4) == "complete"
    # Progress charts: one point per graded session.
    [overall] = screen.overall_chart.series
    assert len(overall.points) == 2
    assert len(screen.wpm_chart.series[0].points) == 2
    screen.show()
    screen.grab().save(str(artifacts_dir / "library_screen.png"))
    # Hovering a point of the progress chart names the session and its score.
    chart = screen.overall_chart
    x, y = overall.points[-1]
    at = chart.point_position(x, y)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        at,
        chart.mapToGlobal(at),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(chart.point_hovered, timeout=2000) as hovered:
        QApplication.sendEvent(chart, move)  # offscreen QTest.mouseMove sends no hover moves
    assert hovered.args[0] == chart.tooltip_text(overall, x, y)
    assert f"{y:.3g}" in hovered.args[0] and "#2" in hovered.args[0]
    screen.charts.setCurrentIndex(1)
    screen.grab().save(str(artifacts_dir / "library_screen_dimensions.png"))
    screen.charts.setCurrentIndex(2)
    screen.grab().save(str(artifacts_dir / "library_screen_pacing.png"))

    # Search: typing filters after a short pause, off the UI thread.
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        screen.search_box.setText("feed measure")
    assert [s.id for s in screen.summaries] == [second.id]
    with qtbot.waitSignal(screen.loaded, timeout=20000):
        screen.search_box.setText("zebra crossing")
    assert screen.summaries == [] and "No session matches" in screen.status_label.text()

    # Opening: a good row opens its report; a corrupt row explains instead.
    screen.search_box.clear()
    refresh(qtbot, screen)
    with qtbot.waitSignal(screen.open_report, timeout=2000) as opened:
        screen.tree.setCurrentItem(screen.row_for(first.id))
        qtbot.keyClick(screen.tree, Qt.Key.Key_Return)
    assert opened.args == [first.id]
    with qtbot.waitSignal(screen.error, timeout=2000) as refused:
        screen.tree.itemDoubleClicked.emit(screen.row_for(broken), 0)
    assert broken in refused.args[0]


def test_interrupted_session_is_flagged_and_recovered(qtbot, screen, jfk_path):
    session_id = make_interrupted_session(jfk_path)
    refresh(qtbot, screen)
    row = screen.row_for(session_id)
    assert row.text(4).startswith("Interrupted")
    button = screen.tree.itemWidget(row, 5)
    assert isinstance(button, QPushButton) and button.text() == "Transcribe and grade"
    with qtbot.waitSignal(screen.controller.session_changed, timeout=30000) as done:
        button.click()
    session = done.args[0]
    [turn] = session.turns
    assert "ask not what your country" in turn.transcript.text.lower()
    assert turn.grade is not None and turn.grade.engine == "offline"
    qtbot.waitUntil(
        lambda: (
            screen.row_for(session_id) is not None and screen.row_for(session_id).text(3) != "—"
        ),
        timeout=20000,
    )
    assert screen.tree.itemWidget(screen.row_for(session_id), 5) is None


def test_import_dialog_imports_in_the_background(qtbot, screen, jfk_path, artifacts_dir):
    refresh(qtbot, screen)
    assert screen.summaries == []
    dialog = screen.open_import_dialog()
    qtbot.waitUntil(lambda: dialog.bank_combo.count() > 1, timeout=10000)
    # Missing file: refused inline, nothing starts.
    dialog.file_edit.setText(str(jfk_path) + ".missing")
    dialog.import_button.click()
    assert "no file" in dialog.problem_label.text()
    dialog.file_edit.setText(str(jfk_path))
    dialog.free_radio.setChecked(True)
    dialog.question_edit.setText(FREE_QUESTION)
    dialog.grab().save(str(artifacts_dir / "import_dialog.png"))
    with qtbot.waitSignal(screen.controller.session_changed, timeout=30000) as done:
        dialog.import_button.click()
        assert screen.busy_bar.isVisibleTo(screen)  # progress shown while it runs
    assert done.args[0].kind == "import"
    qtbot.waitUntil(lambda: len(screen.summaries) == 1, timeout=20000)
    assert not screen.busy_bar.isVisibleTo(screen)


def test_import_of_a_file_that_is_not_audio_reports_why(qtbot, screen, tmp_path):
    fake = tmp_path / "notes.mp3"
    fake.write_text("this is not audio", encoding="utf-8")
    with qtbot.waitSignal(screen.error, timeout=20000) as failed:
        screen.start_import({"audio": str(fake), "question_text": FREE_QUESTION})
    assert failed.args[0].startswith("Importing the recording failed:")
    refresh(qtbot, screen)
    assert screen.summaries == []  # no half-made session left behind


def test_regrade_adds_a_second_grading_shown_side_by_side(qtbot, screen, jfk_path):
    from desktop.screens.report_screen import ReportScreen

    session = imported(jfk_path)
    with qtbot.waitSignal(screen.controller.session_changed, timeout=30000) as done:
        screen.controller.regrade(session.id, "offline")
    regraded = done.args[0]
    assert len(regraded.turns[0].gradings) == 2
    report = ReportScreen(controller=screen.controller)
    qtbot.addWidget(report)
    report.show_session(regraded)
    assert report.compare_button.isEnabled()
    view = report.open_compare()
    assert view.left_combo.count() == 2 and view.selected() == (0, 1)
    assert "(current)" in view.table.horizontalHeaderItem(1).text()
    overall = f"{regraded.turns[0].gradings[0].grade.overall:.1f}"
    assert view.cell_text(0, 0) == overall and view.cell_text(0, 1) == overall
    assert view.cell_text(0, 2) == "same"  # the offline engine is deterministic


def test_opening_a_missing_session_reports_a_clear_error(qtbot, screen):
    with qtbot.waitSignal(screen.controller.failed, timeout=10000) as failed:
        screen.controller.open_session("20990101-000000-never-recorded")
    assert failed.args[0].startswith("Opening the session failed: no session")
    qtbot.waitUntil(lambda: not screen.controller.is_busy, timeout=2000)
    assert not screen.busy_bar.isVisibleTo(screen)
