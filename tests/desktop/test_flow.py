"""The whole desktop flow, Setup → Interview → Report, with every part real.

The interviewer speaks through espeak into the private PulseAudio speaker; the candidate's answers
are espeak renderings of written answers, played into the REAL virtual microphone (PulseAudio
pipe source, tests/fixtures/virtual_mic.py) when the interview screen starts listening; the app's
recorder writes them into the session folder while Whisper tiny.en streams them on screen; the
offline grader grades them and asks one follow-up; each answer is finished with the Space key.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop.controllers import interview_controller as ic
from engine.errors import SpeechSynthesisError
from engine.store.sessions import load_session
from tests.desktop.conftest import save_screenshot

pytestmark = [pytest.mark.mic, pytest.mark.slow]

QUESTION_ID = "design-short-video-feed"
# A brisk interviewer and candidate keep the test short; the voice speed setting is exercised too.
INTERVIEWER_WPM = 240
ANSWER_WPM = 200
MAIN_ANSWER = (
    "Viewers want to enjoy the feed and creators want an audience, so the goal is long term "
    "satisfaction. I would track seven day retention, with a guardrail on the not interested "
    "rate. The system has candidate generation with embeddings and then a ranking model."
)
FOLLOW_UP_ANSWER = (
    "I would keep a small exploration budget for new videos and correct for position bias, "
    "because the feed only learns from what it showed."
)


def synthesize_answer(text: str, path: Path) -> Path:
    """The candidate's spoken answer, rendered by the real espeak voice (retried: a fresh
    pyttsx3 engine occasionally returns an empty file on its first render)."""
    from engine.speech.voice import synthesize

    problem: Exception | None = None
    for _attempt in range(4):
        try:
            return synthesize(text, path, rate=ANSWER_WPM)
        except SpeechSynthesisError as exc:
            problem = exc
    raise problem  # type: ignore[misc]


def answer_aloud(
    window, qtbot, mic, audio: Path, last_word: str, screenshot: Path | None = None
) -> None:
    """Speak ``audio`` into the mic, wait until the live transcript shows its end, press Space."""
    screen = window.interview_screen
    mic.feed_file(audio, wait=False)
    qtbot.waitUntil(lambda: last_word in screen.transcript.full_text().lower(), timeout=40_000)
    assert window.controller.state == ic.LISTENING
    if screenshot is not None:
        save_screenshot(window, screenshot.parent, screenshot.stem)
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state != ic.LISTENING, timeout=5000)


def test_setup_to_report_with_voice_mic_and_whisper(
    main_window, qtbot, virtual_mic, whisper_ready, artifacts_dir, tmp_path
) -> None:
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    main_audio = synthesize_answer(MAIN_ANSWER, tmp_path / "main.wav")
    follow_audio = synthesize_answer(FOLLOW_UP_ANSWER, tmp_path / "follow.wav")
    listens: list[str] = []
    controller.listening_started.connect(
        lambda _limit: listens.append(controller.listening_purpose)
    )
    spoken: list[tuple[str, str]] = []
    controller.interviewer_said.connect(lambda text, purpose, _i: spoken.append((purpose, text)))

    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked([QUESTION_ID])
    setup.follow_ups_spin.setValue(1)
    setup.time_limit_spin.setValue(0)
    setup.rate_spin.setValue(INTERVIEWER_WPM)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    assert window.current_screen_name == "interview"

    # The interviewer reads the whole question aloud; recording starts when the voice ends.
    qtbot.waitUntil(lambda: len(listens) == 1, timeout=60_000)
    assert spoken[0][0] == "question"
    assert screen.question_label.text().startswith("Design the recommendation system")
    answer_aloud(
        window,
        qtbot,
        virtual_mic,
        main_audio,
        "ranking",
        screenshot=artifacts_dir / "interview_screen_live_transcript.png",
    )

    # The grader asks one follow-up; it is shown and spoken, then the mic listens again.
    qtbot.waitUntil(lambda: len(listens) == 2, timeout=60_000)
    assert listens == ["question", "follow_up"]
    follow_up_text = next(text for purpose, text in spoken if purpose == "follow_up")
    assert screen.interviewer_text.text() == follow_up_text
    save_screenshot(window, artifacts_dir, "interview_screen_follow_up")
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        answer_aloud(window, qtbot, virtual_mic, follow_audio, "showed")
    session = done.args[0]
    assert session.settings["voice_rate"] == INTERVIEWER_WPM

    qtbot.waitUntil(lambda: window.current_screen_name == "report", timeout=5000)
    report = window.screen("report")
    assert re.search(r"overall \d\.\d / 4", report.subtitle_label.text())
    save_screenshot(window, artifacts_dir, "report_after_flow")

    stored = load_session(session.id)
    assert stored.status == "complete"
    turns = stored.questions[0].turns
    assert [t.role for t in turns] == ["answer", "follow_up"]
    for turn, key_word in zip(turns, ("retention", "exploration"), strict=True):
        audio = Path(stored.folder) / turn.audio
        assert audio.is_file() and audio.stat().st_size > 16000 * 2 * 3  # > 3 s of 16-bit audio
        assert turn.duration_s > 3
        assert key_word in turn.transcript.text.lower()
        assert turn.transcript.has_word_timings
        assert turn.grade is not None
    assert turns[1].follow_up["text"] == follow_up_text

    # The report's replay request opens the replay screen on that answer; back returns.
    report.replay_requested.emit(session.id, turns[0].index, 1.0)
    qtbot.waitUntil(lambda: window.current_screen_name == "replay", timeout=10_000)
    window.screen("replay").back_requested.emit()
    assert window.current_screen_name == "report"


def test_an_answer_finishes_by_itself_after_silence(
    main_window, qtbot, virtual_mic, whisper_ready, tmp_path
) -> None:
    from desktop import settings as app_settings

    app_settings.save_preferences(app_settings.Preferences(auto_finish_silence_s=2))
    window = main_window
    controller = window.controller
    screen = window.interview_screen
    # A real answer, not a fragment: a fragment now gets the question restated (a redirect).
    answer = synthesize_answer(
        "I would measure success by how much of the suggested text people keep after editing, "
        "and by the time it takes them to finish a document.",
        tmp_path / "a.wav",
    )
    setup = window.setup_screen
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    setup.pick_radio.setChecked(True)
    setup.set_picked(["metrics-ai-writing-assistant"])
    setup.follow_ups_spin.setValue(0)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.state == ic.SPEAKING, timeout=20_000)
    with qtbot.waitSignal(controller.listening_started, timeout=20_000):
        qtbot.keyClick(screen, Qt.Key.Key_Space)

    notices: list[str] = []
    controller.notice.connect(lambda message, _level: notices.append(message))
    # Silence before speaking never ends the answer; silence after it does, with no key.
    with qtbot.waitSignal(controller.finished, timeout=40_000) as done:
        virtual_mic.feed_file(answer, wait=False)
    assert any("went quiet" in n for n in notices)
    turn = load_session(done.args[0].id).questions[0].turns[0]
    # The whole answer was kept, not cut at the first short silence.
    heard = turn.transcript.text.lower()
    assert "measure" in heard and "document" in heard


def test_an_answer_recorded_while_the_model_loads_and_paused_once_is_kept_whole(
    virtual_mic, whisper_ready, tmp_path
) -> None:
    """The capture path used while Whisper is still loading: the audio is held and transcribed
    at the end; a pause splits the recording into parts that are joined into the turn's WAV."""
    from desktop.controllers.answer_capture import AnswerCapture
    from engine.speech.audio_io import audio_duration_s

    first = synthesize_answer("First I would define the goal.", tmp_path / "one.wav")
    second = synthesize_answer("Then I would pick the metrics.", tmp_path / "two.wav")
    target = tmp_path / "session" / "audio" / "turn-01.wav"
    capture = AnswerCapture(target)
    capture.start()
    virtual_mic.feed_file(first)
    virtual_mic.feed(np.zeros(16000, dtype=np.float32))  # a second of silence, then pause
    capture.pause()
    virtual_mic.feed(np.zeros(8000, dtype=np.float32))  # not recorded: paused
    capture.resume()
    virtual_mic.feed_file(second)
    virtual_mic.feed(np.zeros(16000, dtype=np.float32))
    assert not capture.is_streaming
    captured = capture.finish()

    assert captured.audio_path == target and target.is_file()
    assert not list(target.parent.glob("*.part*"))
    assert abs(audio_duration_s(target) - captured.duration_s) < 0.2
    text = captured.transcript.text.lower()
    assert "goal" in text and "metric" in text
