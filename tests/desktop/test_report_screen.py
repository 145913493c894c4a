"""The report screen on a real session: espeak speaks an ML answer and a follow-up answer, real
Whisper tiny.en transcribes them, the real OfflineGrader grades them, the real store saves them.

Screens render offscreen and are saved under artifacts/ (light and dark palette) for a person to
look at. Exports go through the real engine.report writers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.screens.report_screen import ReportScreen
from engine.errors import SpeechSynthesisError
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_FOLLOW_UP,
    STATUS_COMPLETE,
    GradingRecord,
    QuestionRecord,
    Turn,
)

QUESTION_ID = "design-short-video-feed"
MAIN_ANSWER = (
    "First, who are the users? Viewers want to enjoy the feed and creators want an audience. "
    "So the goal is long term satisfaction, not just watch time. For metrics I would track seven "
    "day retention as the north star, and watch time can mislead because short clips autoplay, "
    "so I keep a guardrail on the not interested rate. The system has two stages, candidate "
    "generation with embeddings and then a ranking model, with a popularity baseline first. "
    "I would trade relevance against diversity by re-ranking."
)
PROBE = {
    "text": "If the model only learns from what it already chose to show, how do you stop the "
    "feed from narrowing into a loop?",
    "dimension": "user_signals",
}
FOLLOW_UP_ANSWER = (
    "To stop the loop I would reserve a small exploration budget for new videos, and I would "
    "correct for position bias when training, because the feed only learns from what it showed."
)


def speak(text: str, path: Path) -> Path:
    """Render speech with the real espeak voice.

    The first renders of a fresh pyttsx3 engine sometimes come back empty (reported to the
    speech owner), so a few attempts are made before giving up.
    """
    from engine.speech.voice import synthesize

    problem: Exception | None = None
    for _attempt in range(4):
        try:
            return synthesize(text, path)
        except SpeechSynthesisError as exc:
            problem = exc
    raise problem  # type: ignore[misc]


@pytest.fixture(scope="module")
def spoken_answers(tmp_path_factory):
    """Two spoken answers and their real Whisper transcripts (made once per module)."""
    from engine.speech.transcriber import get_transcriber

    folder = tmp_path_factory.mktemp("spoken")
    main = speak(MAIN_ANSWER, folder / "main.wav")
    follow = speak(FOLLOW_UP_ANSWER, folder / "follow.wav")
    transcriber = get_transcriber()
    return {
        "main": (main, transcriber.transcribe_file(main)),
        "follow": (follow, transcriber.transcribe_file(follow)),
    }


def build_real_session(spoken_answers, engine: str = "offline"):
    """A saved interview: main answer + follow-up answer, graded by the real engine."""
    from engine.engines import make_grader
    from engine.library.regrade import grade_request_for
    from engine.questions.bank import default_bank
    from engine.store.sessions import create_session, save_session, turn_audio_path

    question = default_bank().get(QUESTION_ID)
    session = create_session(settings={"engine": engine}, title="Short-video feed practice")
    ref = dict(question.to_ref(), time_limit_s=question.time_limit_s)
    record = QuestionRecord(question=ref)
    session.questions.append(record)
    grader = make_grader(engine)
    for index, (key, role, prompt, probe) in enumerate(
        [
            ("main", ROLE_ANSWER, question.prompt, None),
            ("follow", ROLE_FOLLOW_UP, PROBE["text"], dict(PROBE)),
        ],
        start=1,
    ):
        wav, transcript = spoken_answers[key]
        target = turn_audio_path(session, index)
        shutil.copy(wav, target)
        turn = Turn(
            index=index,
            role=role,
            prompt=prompt,
            follow_up=probe,
            audio=str(target.relative_to(session.folder)),
            duration_s=transcript.duration_s,
            transcript=transcript,
        )
        record.turns.append(turn)
        grade = grader.grade(grade_request_for(session, record, turn, question))
        turn.add_grading(GradingRecord(grade=grade, whisper_model=transcript.model))
    session.status = STATUS_COMPLETE
    save_session(session)
    return session


@pytest.fixture
def real_session(spoken_answers):
    return build_real_session(spoken_answers)


@pytest.fixture
def screen(qtbot):
    widget = ReportScreen()
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    return widget


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1f1f1f",
        QPalette.ColorRole.AlternateBase: "#2f2f2f",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb2ff",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
    }
    for role, hex_colour in colours.items():
        palette.setColor(role, QColor(hex_colour))
    return palette


def save_full_page(screen: ReportScreen, path: Path) -> None:
    """Grab the whole scrollable question page, not just the visible part."""
    screen.resize(1000, 900)
    QApplication.processEvents()
    screen.grab().save(str(path))
    page = screen.tabs.currentWidget().widget()
    page.resize(page.width(), page.sizeHint().height())
    page.grab().save(str(path.with_name(path.stem + "_page.png")))


def test_report_shows_real_grades_and_renders_light_and_dark(
    qtbot, screen, real_session, artifacts_dir
):
    screen.show_session(real_session)
    screen.show()
    report = screen.report
    [question] = report.questions
    assert screen.tabs.count() == 1 and screen.tabs.tabText(0).startswith("Q1")
    from desktop.widgets.score_chart import ScoreChart

    [score_chart] = screen.tabs.currentWidget().widget().findChildren(ScoreChart)
    shown = {bar.dimension_id: bar.score for bar in score_chart.bars}
    assert shown == {
        d.id: (None if d.score is None else float(d.score)) for d in question.dimensions
    }
    assert f"{question.overall:.1f}" in score_chart.accessibleDescription()
    # Both answers have a stage timeline and the follow-up exchange names its probe.
    from desktop.widgets.stage_timeline import StageTimeline

    assert len(screen.findChildren(StageTimeline)) == 2
    labels = " ".join(label.text() for label in screen.findChildren(type(screen.title_label)))
    assert "narrowing into a loop" in labels and "User signals" in labels
    assert not screen.compare_button.isEnabled()  # one grading per answer so far
    save_full_page(screen, artifacts_dir / "report_screen.png")

    app = QApplication.instance()
    original = app.palette()
    app.setPalette(dark_palette())
    try:
        dark = ReportScreen()
        qtbot.addWidget(dark)
        dark.show_session(real_session)
        dark.show()
        assert dark.palette().color(QPalette.ColorRole.Window).lightness() < 80
        save_full_page(dark, artifacts_dir / "report_screen_dark.png")
    finally:
        app.setPalette(original)


def test_clicking_an_evidence_quote_asks_to_replay_that_moment(qtbot, screen, real_session):
    from desktop.widgets.evidence_list import EvidenceList

    screen.show_session(real_session)
    screen.show()
    [evidence] = screen.findChildren(EvidenceList)
    links = [link for link in evidence.quote_links() if link.ref.start_s is not None]
    assert links, "the real grader found no timed evidence"
    follow_up_links = [link for link in links if link.ref.turn_index == 2]
    target = follow_up_links[0] if follow_up_links else links[-1]
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.replay_requested, timeout=2000) as blocker:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert blocker.args == [
        real_session.id,
        target.ref.turn_index,
        pytest.approx(target.ref.start_s),
    ]
    # The quote is really in that turn's transcript, said at about that time.
    turn = next(t for t in real_session.turns if t.index == target.ref.turn_index)
    first_word = target.ref.quote.split()[0].strip(",.?").lower()
    near = [w for w in turn.transcript.words if abs(w.start - target.ref.start_s) < 0.05]
    assert near and near[0].word.strip(" ,.?").lower() == first_word

    # Keyboard: focus a quote and press Enter.
    links[0].setFocus()
    with qtbot.waitSignal(screen.replay_requested, timeout=2000) as blocker:
        qtbot.keyClick(links[0], Qt.Key.Key_Return)
    assert blocker.args[1:] == [links[0].ref.turn_index, pytest.approx(links[0].ref.start_s)]


def test_export_html_writes_the_scores(qtbot, screen, real_session, tmp_path):
    screen.show_session(real_session)
    target = tmp_path / "report.html"
    with qtbot.waitSignal(screen.controller.export_finished, timeout=20000) as blocker:
        screen.export_to("html", target)
    assert blocker.args == [str(target)]
    html = target.read_text(encoding="utf-8")
    overall = screen.report.questions[0].overall
    assert f"{overall:.2f}" in html or f"{overall:.1f}" in html
    assert "Problem framing" in html and "User signals" in html
    assert screen.last_export == str(target)
    qtbot.waitUntil(lambda: not screen.busy_bar.isVisible(), timeout=5000)


def test_export_to_a_missing_folder_reports_an_error(qtbot, screen, real_session, tmp_path):
    screen.show_session(real_session)
    with qtbot.waitSignal(screen.error, timeout=10000) as blocker:
        screen.export_to("md", tmp_path / "no-such-folder" / "r.md")
    assert "does not exist" in blocker.args[0]


def test_llm_regrade_without_a_server_falls_back_and_can_be_compared(
    qtbot, screen, real_session, artifacts_dir
):
    """No LLM is configured in tests: the LLM engine must fall back and the report must say so."""
    screen.show_session(real_session)
    with qtbot.waitSignal(screen.controller.session_changed, timeout=30000):
        screen.regrade("llm")
    assert screen.notices.count() >= 1
    notice_text = screen.notices.itemAt(0).widget().text
    assert "offline engine" in notice_text
    assert screen.compare_button.isEnabled()
    view = screen.open_compare()
    assert view is not None and view.left_combo.count() == 2
    assert "(current)" in view.right_combo.currentText()
    screen.show()
    QApplication.processEvents()
    screen.grab().save(str(artifacts_dir / "report_screen_fallback.png"))
    screen.compare_dialog.grab().save(str(artifacts_dir / "grading_compare.png"))
    # Make the first grading current again; the choice is saved to disk.
    with qtbot.waitSignal(screen.controller.session_changed, timeout=10000):
        view.make_left_current.click()
    from engine.store.sessions import load_session

    stored = load_session(real_session.id)
    assert stored.turns[0].current_grading == 0


def test_interrupted_session_offers_transcribe_and_grade(qtbot, screen, jfk_path, artifacts_dir):
    """A recording whose process died: audio on disk, nothing transcribed, recovered on start."""
    from engine.library.recovery import recover_interrupted
    from engine.speech.audio_io import load_audio, write_wav
    from engine.store.locks import lock_path
    from engine.store.sessions import create_session, save_session, turn_audio_path

    session = create_session(title="Cut short by a crash")
    session.questions.append(
        QuestionRecord(
            question={
                "id": QUESTION_ID,
                "text": "Design the feed.",
                "category": "design",
                "time_limit_s": 60,
            }
        )
    )
    save_session(session)
    write_wav(turn_audio_path(session, 1), load_audio(jfk_path))
    lock_path(session.folder).unlink()
    [recovered] = recover_interrupted()
    screen.show_session(recovered)
    screen.show()
    buttons = [
        b
        for b in screen.findChildren(type(screen.back_button))
        if b.text() == "Transcribe and grade"
    ]
    assert len(buttons) == 1 and buttons[0].isVisible()
    assert "not graded" in screen.subtitle_label.text()
    qtbot.wait(30)  # let the scroll area lay out before the screenshot
    screen.grab().save(str(artifacts_dir / "report_screen_interrupted.png"))
    with qtbot.waitSignal(screen.controller.session_changed, timeout=30000):
        buttons[0].click()
    [turn] = screen.session.turns
    assert turn.grade is not None and "country" in turn.transcript.text.lower()
    leftover = [
        b
        for b in screen.findChildren(type(screen.back_button))
        if b.text() == "Transcribe and grade"
    ]
    assert leftover == []
    assert "ended early" in screen.subtitle_label.text()


def test_several_questions_get_a_summary_tab(qtbot, screen, spoken_answers):
    """Two questions answered: a summary tab with the per-dimension averages comes first."""
    from desktop.widgets.score_chart import ScoreChart
    from engine.engines import make_grader
    from engine.library.regrade import grade_request_for
    from engine.questions.bank import default_bank
    from engine.store.sessions import save_session

    session = build_real_session(spoken_answers)
    question = next(q for q in default_bank().questions if q.category == "metrics")
    record = QuestionRecord(question=dict(question.to_ref(), time_limit_s=question.time_limit_s))
    session.questions.append(record)
    first = session.turns[0]
    turn = Turn(
        index=3,
        role=ROLE_ANSWER,
        prompt=question.prompt,
        audio=first.audio,
        duration_s=first.duration_s,
        transcript=first.transcript,
    )
    record.turns.append(turn)
    grade = make_grader().grade(grade_request_for(session, record, turn, question))
    turn.add_grading(GradingRecord(grade=grade, whisper_model=first.transcript.model))
    save_session(session)

    screen.show_session(session)
    assert [screen.tabs.tabText(i).split(" ")[0] for i in range(3)] == ["Summary", "Q1", "Q2"]
    [summary_chart] = screen.tabs.widget(0).widget().findChildren(ScoreChart)
    averages = screen.report.dimension_averages()
    assert {b.dimension_id: b.score for b in summary_chart.bars} == averages
    # The replay button follows the selected tab: on Q2 it replays answer 3.
    screen.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(screen.replay_requested, timeout=1000) as replay:
        screen.replay_button.click()
    assert replay.args == [session.id, 3, 0.0]


def test_stage_timeline_marks_overtime(qtbot, real_session, artifacts_dir):
    """The same real stages against a limit the answer overran."""
    from desktop.widgets.stage_timeline import StageTimeline

    grade = real_session.turns[0].grade
    timeline = StageTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(700, timeline.sizeHint().height())
    limit = grade.pacing.duration_s - 8.0
    timeline.set_timeline(grade.pacing.stages, grade.pacing.duration_s, limit)
    summary = timeline.summary()
    assert "over" in summary and "Problem framing" in summary
    assert sum(s for _, s in timeline.totals()) == pytest.approx(
        sum(st.end_s - st.start_s for st in grade.pacing.stages)
    )
    timeline.show()
    timeline.grab().save(str(artifacts_dir / "stage_timeline_overtime.png"))


def test_retranscribe_with_a_chosen_model_keeps_the_old_transcript(qtbot, screen, real_session):
    screen.show_session(real_session)
    menu = screen.retranscribe_button.menu()
    menu.aboutToShow.emit()
    actions = [a for a in menu.actions() if a.isEnabled()]
    assert actions and actions[0].text().startswith("Whisper ")
    with qtbot.waitSignal(screen.controller.session_changed, timeout=60000):
        actions[0].trigger()
    for turn in screen.session.turns:
        assert len(turn.transcript_history) == 1 and len(turn.gradings) == 2
        assert turn.transcript.text == turn.transcript_history[0].text  # same model, same words
    assert screen.compare_button.isEnabled()


def test_red_flags_and_an_off_topic_verdict_are_shown_with_playable_quotes(
    qtbot, screen, real_session, artifacts_dir
):
    """The real graded session, with a red flag and a low relevance set on its main grade (the
    grader's own red-flag and relevance detection is tested in tests/engine/grading); this test
    is about how the report screen shows them."""
    import dataclasses

    from desktop.widgets.red_flag_list import RedFlagList
    from engine.grading.result import RedFlagHit
    from engine.report.builder import RED_FLAGS_HEADING

    turn = real_session.turns[0]
    words = turn.transcript.words
    quote = turn.transcript.text.split(".")[0]
    flag = RedFlagHit("optimises watch time alone", quote, words[0].start, "metrics")
    grade = dataclasses.replace(turn.grade, red_flags=(flag,), relevance=0.2)
    turn.add_grading(GradingRecord(grade=grade, whisper_model=turn.transcript.model))
    screen.show_session(real_session)
    screen.show()
    labels = " ".join(label.text() for label in screen.findChildren(type(screen.title_label)))
    assert RED_FLAGS_HEADING in labels
    from desktop.widgets.banner import Banner

    banners = " ".join(b.message_label.text() for b in screen.findChildren(Banner))
    assert "did not address the question that was asked" in banners
    [flags] = screen.findChildren(RedFlagList)
    assert "optimises watch time alone" in flags.titles[0].text()
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.replay_requested, timeout=2000) as blocker:
        qtbot.mouseClick(flags.quotes[0], Qt.MouseButton.LeftButton)
    assert blocker.args[1:] == [turn.index, pytest.approx(words[0].start)]
    save_full_page(screen, artifacts_dir / "report_screen_red_flags.png")
