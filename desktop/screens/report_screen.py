"""The timed rubric report of one session: scores, evidence, follow-ups, time and pacing.

Everything shown comes from ``engine.report.build_report`` (the same structure the HTML, Markdown
and PDF exports render), so the window and an exported file can never disagree. One tab per
question (plus a summary tab when there are several); each tab scrolls on its own. Actions that
take time (export, re-grade, re-transcribe, saving a change of grading) go through the
``LibraryController`` and never block the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.library_controller import EXPORT_FORMATS, LibraryController
from desktop.event_turns import in_next_turn
from desktop.screens.library_screen import short_date
from desktop.widgets.banner import Banner
from desktop.widgets.evidence_list import EvidenceList
from desktop.widgets.grading_compare import GradingCompare, GradingCompareDialog
from desktop.widgets.practice_sections import (
    AttemptComparisonView,
    LoopSummaryView,
    StudyCardView,
)
from desktop.widgets.red_flag_list import RedFlagList
from desktop.widgets.score_chart import ScoreBar, ScoreChart, dimension_color
from desktop.widgets.selectable_label import SelectableLabel
from desktop.widgets.stage_timeline import StageTimeline
from desktop.widgets.trend_chart import TrendChart, TrendSeries
from desktop.workers import run_in_background
from engine.clock import mmss
from engine.report.builder import (
    RED_FLAGS_HEADING,
    AnswerView,
    QuestionReport,
    SessionReport,
    build_report,
)
from engine.rubric import CATEGORIES, dimension_label
from engine.store.model import ROLE_FOLLOW_UP, STATUS_INTERRUPTED, Session

_EXPORT_FILTERS = {"html": "HTML page (*.html)", "md": "Markdown (*.md)", "pdf": "PDF (*.pdf)"}


def _styled(
    label: QLabel, *, bold: bool = False, scale: float = 1.0, muted: bool = False
) -> QLabel:
    """Bold, scaled or muted; the font is only replaced when it changes (each change relays)."""
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        if scale != 1.0:
            font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _label(
    text: str, parent: QWidget, *, bold: bool = False, scale: float = 1.0, muted: bool = False
) -> QLabel:
    """A wrapped report-page label whose text the mouse can select (see ``SelectableLabel``)."""
    return _styled(SelectableLabel(text, parent), bold=bold, scale=scale, muted=muted)


def _header_label(
    text: str, parent: QWidget, *, bold: bool = False, muted: bool = False, scale: float = 1.0
) -> QLabel:
    """A label of the screen's fixed header: built once, so it is made selectable at once."""
    label = _styled(QLabel(text, parent), bold=bold, scale=scale, muted=muted)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _section(title: str, parent: QWidget) -> QLabel:
    label = _label(title, parent, bold=True, scale=1.15)
    label.setContentsMargins(0, 10, 0, 2)
    return label


def _notice(text: str, parent: QWidget, action_text: str = "", action: Any = None) -> Banner:
    """A non-modal warning strip in the app's banner style (fallback grading, interruption)."""
    banner = Banner(parent)
    banner.show_message(text, "warning", action_text=action_text or None, action=action)
    return banner


def merged_fallback_notices(report: SessionReport) -> list[str]:
    """One notice per fallback reason, naming every answer it hit (not one banner per answer)."""
    by_reason: dict[str, list[int]] = {}
    for question in report.questions:
        for answer in question.answers:
            fallback = answer.grade.fallback if answer.grade is not None else None
            if fallback:
                reason = str(fallback.get("reason") or "the LLM engine was unavailable")
                by_reason.setdefault(reason, []).append(answer.turn_index)
    notices = []
    for reason, turns in by_reason.items():
        names = [str(t) for t in turns]
        who = (
            f"Answer {names[0]} was"
            if len(names) == 1
            else f"Answers {', '.join(names[:-1])} and {names[-1]} were"
        )
        notices.append(f"{who} graded by the offline engine instead of the LLM: {reason}")
    return notices


def readable_title(report: SessionReport) -> str:
    """The session title, or its first question's text when the title is only a question id."""
    ids = {q.question_id for q in report.questions if q.question_id}
    if report.title in ids and report.questions:
        return report.questions[0].text
    return report.title


def _practice_extras(session: Session) -> Any:
    """The practice sections of ``session``, computed (and their modules imported) on a worker.

    Importing the practice package costs tens of milliseconds the first time: never on the UI
    thread.
    """
    from engine.practice.report_extras import report_extras

    return report_extras(session)


def _role_label(answer: AnswerView) -> str:
    if answer.role == ROLE_FOLLOW_UP:
        return f"Answer {answer.turn_index} — to a follow-up"
    return f"Answer {answer.turn_index} — main answer"


class ReportScreen(QWidget):
    """The report of one session.

    Signals:
        back_requested(): go back to the library.
        replay_requested(str, int, float): session id, turn index, seconds into that turn.
        new_interview_requested(): start a new interview.
        retry_requested(object, int): answer question N (1-based) of this session again.
        extras_shown(): the practice sections (comparison, study cards, loop) were filled in.
        error(str): a user-facing message for the main window's notification path.
    """

    back_requested = Signal()
    replay_requested = Signal(str, int, float)
    new_interview_requested = Signal()
    retry_requested = Signal(object, int)
    extras_shown = Signal()
    error = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, controller: LibraryController | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller or LibraryController(self)
        self.session: Session | None = None
        self.report: SessionReport | None = None
        self.compare_dialog: GradingCompareDialog | None = None
        self.compare_view: GradingCompare | None = None
        self.last_export: str | None = None
        self.extras: Any = None
        self._extra_slots: dict[int, QVBoxLayout] = {}
        self._build()
        self.controller.session_changed.connect(self._on_session_changed)
        self.controller.export_finished.connect(self._on_exported)
        self.controller.failed.connect(self.error)
        self.controller.busy_changed.connect(self._on_busy)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        nav = QHBoxLayout()
        self.back_button = QPushButton("← &Library", self)
        self.back_button.setAccessibleName("Back to library")
        self.back_button.clicked.connect(self.back_requested)
        nav.addWidget(self.back_button)
        self.title_label = _header_label("", self, bold=True, scale=1.4)
        nav.addWidget(self.title_label, 1)
        self.new_button = QPushButton("&New interview", self)
        self.new_button.setAccessibleName("Start a new interview")
        self.new_button.clicked.connect(self.new_interview_requested)
        nav.addWidget(self.new_button)
        outer.addLayout(nav)
        self.subtitle_label = _header_label("", self, muted=True)
        outer.addWidget(self.subtitle_label)

        actions = QHBoxLayout()
        self.replay_button = QPushButton("▶ &Replay", self)
        self.replay_button.setAccessibleName("Replay the answer of this question")
        self.replay_button.clicked.connect(self._replay_current_question)
        actions.addWidget(self.replay_button)
        self.compare_button = QPushButton("&Compare gradings", self)
        self.compare_button.setAccessibleName("Compare two gradings of an answer")
        self.compare_button.clicked.connect(self.open_compare)
        actions.addWidget(self.compare_button)
        self.regrade_button = self._menu_button("Re-&grade", "Grade every answer again")
        for engine, text in (
            ("offline", "With the offline engine"),
            ("llm", "With the LLM engine"),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, e=engine: self.regrade(e))
            self.regrade_button.menu().addAction(action)
        actions.addWidget(self.regrade_button)
        self.retranscribe_button = self._menu_button(
            "Re-&transcribe", "Transcribe every answer again with another Whisper model"
        )
        self.retranscribe_button.menu().aboutToShow.connect(self._fill_model_menu)
        actions.addWidget(self.retranscribe_button)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.hide()
        self.busy_label = _header_label("", self, muted=True)
        actions.addWidget(self.busy_bar)
        actions.addWidget(self.busy_label, 1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, name in EXPORT_FORMATS.items():
            button = QPushButton(f"Export {name}", self)
            button.setAccessibleName(f"Export the report as {name}")
            button.clicked.connect(lambda _=False, f=fmt: self.choose_export_path(f))
            actions.addWidget(button)
            self.export_buttons[fmt] = button
        outer.addLayout(actions)

        self.notices = QVBoxLayout()
        outer.addLayout(self.notices)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Questions")
        self.tabs.setDocumentMode(True)
        outer.addWidget(self.tabs, 1)
        self._set_actions_enabled(False)

    def _menu_button(self, text: str, accessible: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(accessible)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMenu(QMenu(button))
        return button

    # -- content --------------------------------------------------------------------------------
    def show_session(self, session: Session) -> None:
        """Show the report of ``session`` (build_report is pure and fast, so it runs here)."""
        self.session = session
        self.report = build_report(session)
        report = self.report
        self.title_label.setText(readable_title(report))
        engines = f"graded by {', '.join(report.engines)}" if report.engines else "not graded yet"
        overall = "—" if report.overall is None else f"{report.overall:.1f} / 4"
        status = (
            "" if report.status in ("complete", "") else f" · {report.status.replace('_', ' ')}"
        )
        source = session.settings.get("source_file")
        origin = f" · imported from {source}" if report.kind == "import" and source else ""
        self.subtitle_label.setText(
            f"{short_date(report.created_at)} · {len(report.questions)} question(s) · "
            f"overall {overall} · {engines}{status}{origin}"
        )
        self._clear_notices()
        for text in merged_fallback_notices(report):
            self.notices.addWidget(_notice(text, self))
        if session.status == STATUS_INTERRUPTED or any(
            a.transcript is None and a.audio for q in report.questions for a in q.answers
        ):
            self._add_recover_notice()
        current = self.tabs.currentIndex()
        self._extra_slots = {}
        old_pages = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.tabs.clear()  # removes tabs but keeps their pages alive; drop them explicitly
        for page in old_pages:
            page.deleteLater()
        if len(report.questions) > 1:
            self.tabs.addTab(
                self._scrolled_page(lambda page: self._summary_page(report, page)), "Summary"
            )
        for question in report.questions:
            score = "" if question.overall is None else f" · {question.overall:.1f}"
            self.tabs.addTab(
                self._scrolled_page(lambda page, q=question: self._question_page(q, page)),
                f"Q{question.number}{score}",
            )
        if not report.questions:
            self.tabs.addTab(
                self._scroll(_label("This session has no answers yet.", self)), "Empty"
            )
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        self._set_actions_enabled(True)
        self._load_extras(session)

    # -- practice loop: comparison with the last attempt, study cards, loop report -----------------
    def _extra_slot(self, number: int, page: QWidget, layout: QVBoxLayout) -> None:
        """Reserve the place where ``_show_extras`` puts question ``number``'s practice sections."""
        holder = QWidget(page)
        slot = QVBoxLayout(holder)
        slot.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(holder)
        self._extra_slots[number] = slot

    def _load_extras(self, session: Session) -> None:
        self.extras = None
        run_in_background(
            _practice_extras,
            session,
            on_finished=lambda extras, s=session: self._show_extras(s, extras),
            on_failed=lambda exc: self.error.emit(f"The practice sections could not load: {exc}"),
        )

    def _show_extras(self, session: Session, extras: Any) -> None:
        """Add the practice sections one per turn of the event loop (each costs a layout pass)."""
        if session is not self.session:
            return  # another session is shown by now
        self.extras = extras
        pending: list[Callable[[], None]] = []
        loop_slot = self._extra_slots.get(0) or self._extra_slots.get(1)
        if extras.loop is not None and loop_slot is not None:
            pending.append(lambda: loop_slot.addWidget(LoopSummaryView(extras.loop)))
        for number, slot in self._extra_slots.items():
            if number == 0:
                continue
            if number == 1 and extras.comparison is not None:

                def add_comparison(slot: QVBoxLayout = slot) -> None:
                    slot.addWidget(
                        _section("Compared with your previous attempt", slot.parentWidget())
                    )
                    slot.addWidget(AttemptComparisonView(extras.comparison))

                pending.append(add_comparison)
            card = extras.cards.get(number)
            if card is not None:
                pending.append(lambda slot=slot, card=card: slot.addWidget(StudyCardView(card)))
        # Not now: this runs in the worker's reply, often the very turn the report first shows.
        in_next_turn(self, lambda: self._add_extras_in_turns(session, pending))

    def _add_extras_in_turns(self, session: Session, pending: list[Callable[[], None]]) -> None:
        if session is not self.session:
            return  # another session replaced this one (its slots are gone)
        if not pending:
            self.extras_shown.emit()
            return
        pending.pop(0)()
        in_next_turn(self, lambda: self._add_extras_in_turns(session, pending))

    def _retry(self, number: int) -> None:
        if self.session is not None:
            self.retry_requested.emit(self.session, number)

    def _clear_notices(self) -> None:
        while self.notices.count():
            item = self.notices.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # gone from the screen now, freed by Qt later
                widget.deleteLater()

    def _add_recover_notice(self) -> None:
        banner = _notice(
            "Some answers were recorded but never transcribed or graded "
            "(the session was interrupted).",
            self,
            "Transcribe and grade",
            self.recover,
        )
        banner.action_button.setAccessibleName("Transcribe and grade the interrupted answers")
        self.notices.addWidget(banner)

    def _scroll(self, page: QWidget) -> QScrollArea:
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(page)
        return area

    def _scrolled_page(self, fill: Callable[[QWidget], None]) -> QScrollArea:
        """A page in its scroll area, put there *before* it is filled.

        Setting a filled page makes the scroll area size every word-wrapped label at once, on
        the spot (most of the time it takes to show a report); an empty page set first is sized
        once, when the event loop next lays the window out.
        """
        page = QWidget()
        area = self._scroll(page)
        fill(page)
        return area

    def _summary_page(self, report: SessionReport, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        self._extra_slot(0, page, layout)
        layout.addWidget(_section("Scores across the session", page))
        chart = ScoreChart(page)
        averages = report.dimension_averages()
        chart.set_scores([ScoreBar(d, s) for d, s in averages.items()], report.overall)
        layout.addWidget(chart)
        layout.addWidget(_section("Questions", page))
        for question in report.questions:
            score = "not graded" if question.overall is None else f"{question.overall:.1f} / 4"
            layout.addWidget(_label(f"Q{question.number} ({score}): {question.text}", page))
        layout.addStretch(1)

    def _question_page(self, question: QuestionReport, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        layout.setSpacing(6)
        layout.addWidget(_label(question.text, page, bold=True, scale=1.15))
        limit = (
            "no time limit" if not question.time_limit_s else f"limit {mmss(question.time_limit_s)}"
        )
        category = CATEGORIES.get(question.category, question.category)
        header = QHBoxLayout()
        header.addWidget(_label(f"{category} · {limit}", page, muted=True), 1)
        retry = QPushButton("Answer this &again", page)
        retry.setAccessibleName(f"Answer question {question.number} again and compare")
        retry.clicked.connect(lambda _=False, n=question.number: self._retry(n))
        header.addWidget(retry)
        layout.addLayout(header)
        for text in question.relevance_notices:
            layout.addWidget(_notice(text, page))

        if not question.dimensions:
            layout.addWidget(_section("Scores", page))
            layout.addWidget(
                _label("Not graded yet: nothing was transcribed for this question.", page)
            )
        else:
            self._scores_and_evidence(question, page, layout)
        self._extra_slot(question.number, page, layout)

        if question.follow_ups:
            layout.addWidget(_section("Follow-up exchange", page))
            for exchange in question.follow_ups:
                layout.addWidget(self._follow_up_block(exchange, page))
        if question.clarifications:
            layout.addWidget(_section("Clarifying questions", page))
            for clar in question.clarifications:
                layout.addWidget(_label(f"You asked: “{clar.asked}”", page))
                layout.addWidget(_label(f"Interviewer: {clar.reply}", page, muted=True))

        layout.addWidget(_section("Time and pacing", page))
        for answer in question.answers:
            layout.addWidget(self._answer_block(answer, page))
        layout.addStretch(1)

    def _scores_and_evidence(
        self, question: QuestionReport, page: QWidget, layout: QVBoxLayout
    ) -> None:
        layout.addWidget(_section("Scores", page))
        chart = ScoreChart(page)
        chart.set_scores(
            [
                ScoreBar(d.id, None if d.score is None else float(d.score))
                for d in question.dimensions
            ],
            question.overall,
        )
        layout.addWidget(chart)
        layout.addWidget(_section("Evidence and what was missing", page))
        evidence = EvidenceList(page)
        evidence.set_feedback(question.dimensions, show_turns=len(question.answers) > 1)
        evidence.quote_activated.connect(self._play_quote)
        layout.addWidget(evidence)
        if question.red_flags:
            layout.addWidget(_section(RED_FLAGS_HEADING, page))
            flags = RedFlagList(page)
            flags.set_flags(question.red_flags, show_turns=len(question.answers) > 1)
            flags.quote_activated.connect(self._play_quote)
            layout.addWidget(flags)

    def _follow_up_block(self, exchange: object, parent: QWidget) -> QFrame:
        frame = QFrame(parent)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        dim = exchange.dimension
        probes = f"probes {dimension_label(dim)}" if dim else "probe"
        head_row = QHBoxLayout()
        if dim:
            swatch = QLabel(frame)
            swatch.setFixedSize(12, 12)
            swatch.setStyleSheet(f"background:{dimension_color(dim).name()}; border-radius:2px;")
            head_row.addWidget(swatch, 0, Qt.AlignmentFlag.AlignTop)
        head_row.addWidget(
            _label(f"Interviewer ({probes}): “{exchange.probe}”", frame, bold=True), 1
        )
        layout.addLayout(head_row)
        if exchange.constraint:
            layout.addWidget(_label(f"New constraint: {exchange.constraint}", frame, muted=True))
        layout.addWidget(_label(f"You: {exchange.answer_text or '(no answer transcribed)'}", frame))
        grade = exchange.grade
        if grade is not None:
            probed = grade.dimension(dim) if dim else None
            parts = [f"Answer scored {grade.overall:.1f} / 4"]
            if probed is not None and probed.score is not None:
                parts.append(f"{dimension_label(dim)} {probed.score} / 4")
            layout.addWidget(_label(" · ".join(parts), frame, muted=True))
        return frame

    def _answer_block(self, answer: AnswerView, parent: QWidget) -> QFrame:
        frame = QFrame(parent)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        head = QHBoxLayout()
        head.addWidget(_label(_role_label(answer), frame, bold=True), 1)
        play = QPushButton("▶ Play", frame)
        play.setAccessibleName(f"Replay answer {answer.turn_index}")
        play.setEnabled(bool(answer.audio))
        play.clicked.connect(lambda _=False, t=answer.turn_index: self._request_replay(t, 0.0))
        head.addWidget(play)
        layout.addLayout(head)
        pacing = answer.pacing
        if pacing is None:
            layout.addWidget(
                _label("Not timed: no recording or grade for this answer.", frame, muted=True)
            )
            return frame
        timeline = StageTimeline(frame)
        timeline.set_timeline(pacing.stages, pacing.duration_s, pacing.time_limit_s)
        layout.addWidget(timeline)
        if answer.transcript is None:
            layout.addWidget(
                _label("Recorded but not transcribed yet: use “Transcribe and grade”.", frame)
            )
            return frame
        if pacing.verdict:
            layout.addWidget(_label(pacing.verdict, frame))
        fillers = ", ".join(
            f"“{w}” ×{n}" for w, n in sorted(pacing.fillers.items(), key=lambda kv: -kv[1])
        )
        first = (
            "—" if pacing.time_to_first_word_s is None else f"{pacing.time_to_first_word_s:.1f} s"
        )
        stats = (
            f"{pacing.words} words · {pacing.wpm:.0f} wpm · {pacing.filler_count} fillers"
            f"{' (' + fillers + ')' if fillers else ''} · {pacing.long_pauses} long pauses · "
            f"first word after {first}"
        )
        layout.addWidget(_label(stats, frame, muted=True))
        grade = answer.grade
        if grade is not None and grade.pacing.wpm_series:
            chart = TrendChart("Pace over the answer", frame)
            chart.setAccessibleName(f"Words per minute over answer {answer.turn_index}")
            chart.set_data(
                [
                    TrendSeries(
                        "words per minute",
                        grade.pacing.wpm_series,
                        dimension_color("problem_framing"),
                        " wpm",
                    )
                ],
                x_format=mmss,
                time_x=True,
                x_range=(0.0, pacing.duration_s),
                bands=grade.pacing.pause_spans,
                band_label="long pause",
            )
            chart.setMinimumHeight(170)
            layout.addWidget(chart)
        if answer.text:
            layout.addWidget(_label(f"Transcript: {answer.text}", frame, muted=True))
        return frame

    # -- actions --------------------------------------------------------------------------------
    def _set_actions_enabled(self, enabled: bool) -> None:
        has = enabled and self.session is not None
        for button in self.export_buttons.values():
            button.setEnabled(has)
        self.regrade_button.setEnabled(has)
        self.retranscribe_button.setEnabled(has)
        self.replay_button.setEnabled(has and self._has_audio())
        self.compare_button.setEnabled(has and bool(self.comparable_turns()))

    def _has_audio(self) -> bool:
        return self.session is not None and any(t.audio for t in self.session.turns)

    def comparable_turns(self) -> list[int]:
        """Turn indexes that have two or more gradings."""
        return [] if self.session is None else GradingCompareDialog.comparable_turns(self.session)

    def _current_question(self) -> QuestionReport | None:
        if self.report is None or not self.report.questions:
            return None
        offset = 1 if len(self.report.questions) > 1 else 0
        index = max(0, self.tabs.currentIndex() - offset)
        return self.report.questions[min(index, len(self.report.questions) - 1)]

    def _replay_current_question(self) -> None:
        question = self._current_question()
        if question is None:
            return
        answer = next((a for a in question.answers if a.audio), None)
        if answer is None:
            self.error.emit("This question has no recording to replay.")
            return
        self._request_replay(answer.turn_index, 0.0)

    def _request_replay(self, turn_index: int, start_s: float) -> None:
        if self.session is not None:
            self.replay_requested.emit(self.session.id, turn_index, float(start_s))

    def _play_quote(self, turn_index: int, start_s: float) -> None:
        self._request_replay(turn_index, start_s)

    def choose_export_path(self, fmt: str) -> None:
        """Ask where to save (a standard file dialog), then export in the background."""
        if self.session is None:
            return
        suggested = str(Path.home() / f"{self.session.id}-report.{fmt}")
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {EXPORT_FORMATS[fmt]} report", suggested, _EXPORT_FILTERS[fmt]
        )
        if path:
            self.export_to(fmt, path)

    def export_to(self, fmt: str, path: str | Path) -> None:
        """Export without asking (the file dialog's second half; tests call it directly)."""
        if self.session is not None:
            self.controller.export(self.session, fmt, path)

    def regrade(self, engine: str) -> None:
        if self.session is not None:
            self.controller.regrade(self.session.id, engine)

    def retranscribe(self, model: str) -> None:
        if self.session is not None:
            engine = str(self.session.settings.get("engine") or "offline")
            self.controller.retranscribe(self.session.id, model, engine)

    def recover(self) -> None:
        if self.session is not None:
            self.controller.recover(self.session.id)

    def _fill_model_menu(self) -> None:
        menu = self.retranscribe_button.menu()
        menu.clear()
        try:
            from engine.speech.models import available_models

            models = available_models()
        except Exception as exc:  # noqa: BLE001 - shown to the user, menu stays usable
            self.error.emit(f"Cannot list Whisper models: {exc}")
            models = []
        for spec in models:
            action = QAction(f"Whisper {spec.name}", menu)
            # By name: the bundled model resolves to the same cached transcriber as the app's.
            action.triggered.connect(lambda _=False, name=spec.name: self.retranscribe(name))
            menu.addAction(action)
        if not models:
            menu.addAction("No Whisper models found").setEnabled(False)
        menu.addSeparator()
        other = QAction("Another model (name or folder)…", menu)
        other.triggered.connect(self._ask_model_name)
        menu.addAction(other)

    def _ask_model_name(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            "Re-transcribe",
            "Whisper model name (e.g. base.en, downloaded when online) or a model folder:",
        )
        if ok and name.strip():
            self.retranscribe(name.strip())

    def open_compare(self, turn_index: int | None = None) -> GradingCompare | None:
        """Open (non-modal) the side-by-side view of a turn's gradings."""
        if self.compare_dialog is None:
            self.compare_dialog = GradingCompareDialog(self)
            self.compare_dialog.current_changed.connect(self._on_current_changed)
            self.compare_view = self.compare_dialog.view
        if turn_index is None:
            turn_index = self.compare_dialog.turn_index
        if not self.compare_dialog.show_turn(self.session, turn_index):
            return None
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        return self.compare_view

    def _on_current_changed(self, turn_index: int, grading_index: int) -> None:
        if self.session is not None:
            self.controller.set_current_grading(self.session, turn_index, grading_index)

    # -- controller results ---------------------------------------------------------------------
    def _on_session_changed(self, session: Session) -> None:
        if self.session is not None and session.id == self.session.id:
            self.show_session(session)
            if self.compare_dialog is not None and self.compare_dialog.isVisible():
                self.open_compare(self.compare_dialog.turn_index)

    def _on_exported(self, path: str) -> None:
        self.last_export = path
        self.busy_label.setText(f"Saved {path}")

    def _on_busy(self, busy: bool, what: str) -> None:
        self.busy_bar.setVisible(busy)
        if busy:
            self.busy_label.setText(f"{what}…")
        elif self.busy_label.text().endswith("…"):
            self.busy_label.setText("")
        for button in (
            self.regrade_button,
            self.retranscribe_button,
            *self.export_buttons.values(),
        ):
            button.setEnabled(not busy and self.session is not None)
