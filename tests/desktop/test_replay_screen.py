"""Replay of a real answer: ``jfk.flac`` imported through the real importer (real Whisper word
timings), shown in the replay screen.

This machine has no sound card, and the virtual PulseAudio of tests/fixtures/virtual_mic.py
offers no output-device fixture yet, so the screen detects (for real, through
``engine.speech.playback.output_device_error``) that nothing can play and falls back to its
silent clock. That is the path asserted here: the notice is shown, time still runs at the chosen
speed, the word under the clock is highlighted, and clicking a word seeks.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.screens.replay_screen import ReplayScreen


@pytest.fixture
def jfk_session(jfk_path):
    from engine.store.importer import import_recording

    return import_recording(jfk_path, question_text="What can citizens do for their country?")


@pytest.fixture
def screen(qtbot):
    widget = ReplayScreen()
    qtbot.addWidget(widget)
    widget.resize(900, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(qtbot, screen: ReplayScreen, session, start_s: float = 0.0, autoplay: bool = True):
    with qtbot.waitSignal(screen.audio_ready, timeout=10000):
        screen.show_turn(session, 1, start_s, autoplay=autoplay)


def test_playback_highlights_the_word_at_the_clock(qtbot, screen, jfk_session, artifacts_dir):
    show(qtbot, screen, jfk_session)
    assert screen.is_silent and screen.notice.isVisible()
    assert "plays silently" in screen.notice_label.text()
    words = screen.transcript.words
    assert len(words) >= 20 and screen.is_playing
    # Let the clock pass the sixth word, then check the highlight follows the reported position.
    qtbot.waitUntil(lambda: screen.position_s > words[5].end, timeout=8000)
    qtbot.wait(80)
    position = screen.position_s
    index = screen.transcript.current_index
    assert words[index].start <= position + 0.1
    assert index >= screen.transcript.index_at_time(position) - 1  # at most one poll behind
    assert screen.transcript.word_text(index) == words[index].word.strip()
    screen.pause()
    screen.grab().save(str(artifacts_dir / "replay_screen.png"))


def test_clicking_a_word_seeks_to_it(qtbot, screen, jfk_session):
    show(qtbot, screen, jfk_session, autoplay=False)
    view = screen.transcript
    target = next(i for i, w in enumerate(view.words) if w.word.strip().lower() == "country")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view._char_starts[target] + 1)
    point = view.cursorRect(cursor).center()
    with qtbot.waitSignal(view.seek_requested, timeout=2000) as sought:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert sought.args == [pytest.approx(view.words[target].start)]
    assert view.current_index == target
    assert screen.position_s == pytest.approx(view.words[target].start)
    assert screen.time_label.text().startswith(f"0:{int(round(view.words[target].start)):02d}")
    # Keyboard: Right steps to the next word.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current_index == target + 1
    assert screen.position_s == pytest.approx(view.words[target + 1].start)


def test_evidence_jump_lands_on_its_moment_and_keys_work(qtbot, screen, jfk_session):
    words = jfk_session.turns[0].transcript.words
    moment = words[10].start
    show(qtbot, screen, jfk_session, start_s=moment, autoplay=False)
    assert screen.transcript.current_index == 10
    assert screen.slider.value() == int(moment * 1000)
    assert not screen.is_playing
    screen.transcript.setFocus()
    qtbot.keyClick(screen.transcript, Qt.Key.Key_Space)
    assert screen.is_playing and screen.play_button.text().startswith("⏸")
    screen.set_speed(1.5)
    start = screen.position_s
    qtbot.wait(400)
    advanced = screen.position_s - start
    assert 0.45 < advanced < 0.9  # about 0.4 s of wall time at 1.5x
    qtbot.keyClick(screen.transcript, Qt.Key.Key_Space)
    assert not screen.is_playing
    with qtbot.waitSignal(screen.back_requested, timeout=1000):
        qtbot.keyClick(screen.transcript, Qt.Key.Key_Escape)


def test_a_turn_without_audio_still_replays_silently(qtbot, screen, jfk_session):
    (jfk_session.folder / jfk_session.turns[0].audio).unlink()
    show(qtbot, screen, jfk_session, autoplay=False)
    assert screen.is_silent and "no recording" in screen.notice_label.text()
    assert len(screen.transcript.words) >= 20
