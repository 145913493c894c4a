"""The interview screen: the question, the clock, the level meter and the live transcript.

A view over ``InterviewController``: it shows what the controller reports and turns keys and
buttons into controller commands. Keyboard first, because a candidate talking should not have to
aim a mouse: Space starts answering (while the interviewer speaks) or finishes the answer,
Enter finishes too, R repeats, S skips, P pauses, Esc ends (after a non-modal confirmation).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers import interview_controller as ic
from desktop.theme import scaled_font
from desktop.widgets.banner import Banner
from desktop.widgets.countdown import Countdown
from desktop.widgets.level_meter import LevelMeter
from desktop.widgets.live_pacing_view import LivePacingView
from desktop.widgets.live_transcript import LiveTranscript
from desktop.widgets.round_clock import RoundClock
from engine.rubric import CATEGORIES

_STATUS_TEXT = {
    ic.PREPARING: "Getting ready…",
    ic.SPEAKING: "The interviewer is speaking — press Space to start answering now",
    ic.LISTENING: "Listening — answer aloud, press Space when you are done",
    ic.THINKING: "One moment — transcribing and reviewing your answer…",
    ic.PAUSED: "Paused — press P to continue",
    ic.FINISHED: "Interview finished",
    ic.CLOSING: "Finishing… saving your interview before the window closes",
    ic.IDLE: "",
}
_PURPOSE_CAPTION = {
    "question": "Question",
    "follow_up": "Follow-up",
    "clarification_reply": "The interviewer answers your question",
    "repeat": "The interviewer repeats",
    "redirect": "Back to the question",
    "closing": "Wrapping up",
}


class InterviewScreen(QWidget):
    """Shows one running interview.

    Signals:
        error(str): something the main window should show in its banner.
    """

    error = Signal(str)

    def __init__(self, controller: ic.InterviewController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._questions: tuple[Any, ...] = ()
        self._question_index = 0
        self._build()
        self._wire()
        self._shortcuts = self._make_shortcuts()
        self._on_state(ic.IDLE)

    # -- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.progress_label = QLabel("")
        self.progress_label.setAccessibleName("Interview progress")
        self.progress_label.setFont(scaled_font(self, 1.05, bold=True))
        self.status_label = QLabel("")
        self.status_label.setAccessibleName("Interview status")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.status_label, 1)

        self.banner = Banner()

        self.question_label = QLabel("")
        self.question_label.setWordWrap(True)
        self.question_label.setFont(scaled_font(self, 1.45))
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question_label.setAccessibleName("Current question")
        self.question_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.interviewer_caption = QLabel("")
        self.interviewer_caption.setAccessibleName("What the interviewer is saying")
        self.interviewer_text = QLabel("")
        self.interviewer_text.setWordWrap(True)
        self.interviewer_text.setFont(scaled_font(self, 1.15))
        self.interviewer_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interviewer_text.setAccessibleName("Interviewer's latest words")
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 16, 12)
        card_layout.addWidget(self.question_label)
        card_layout.addSpacing(6)
        card_layout.addWidget(self.interviewer_caption)
        card_layout.addWidget(self.interviewer_text)

        self.countdown = Countdown()
        self.level_meter = LevelMeter()
        self.mic_caption = QLabel("Microphone")
        mic_caption = self.mic_caption
        self.round_clock = RoundClock()
        self.round_clock.expired.connect(self._on_round_over)
        self._round_over = False
        clock_column = QVBoxLayout()
        clock_column.addWidget(self.round_clock)
        clock_column.addWidget(self.countdown)
        self.live_pacing = LivePacingView()
        clock_column.addWidget(self.live_pacing)
        clock_column.addSpacing(8)
        clock_column.addWidget(mic_caption)
        clock_column.addWidget(self.level_meter)
        clock_column.addStretch(1)
        clock_box = QWidget()
        clock_box.setLayout(clock_column)
        clock_box.setMinimumWidth(240)

        self.transcript_caption = QLabel("Your answer (live transcript)")
        transcript_caption = self.transcript_caption
        self.transcript = LiveTranscript()
        self.typed_answer = QPlainTextEdit()
        self.typed_answer.setPlaceholderText("Type your answer here, then press Ctrl+Enter.")
        self.typed_answer.setAccessibleName("Typed answer")
        self.typed_answer.hide()
        answer_column = QVBoxLayout()
        answer_column.addWidget(transcript_caption)
        answer_column.addWidget(self.transcript, 1)
        answer_column.addWidget(self.typed_answer, 1)

        middle = QHBoxLayout()
        middle.setSpacing(20)
        middle.addWidget(clock_box)
        middle.addLayout(answer_column, 1)

        self.confirm_bar = Banner()

        self.answer_button = QPushButton("Finish answer")
        self.answer_button.setFont(scaled_font(self, 1.1, bold=True))
        self.answer_button.setMinimumHeight(36)
        self.answer_button.setAccessibleName("Start or finish your answer")
        self.answer_button.clicked.connect(self._on_answer_button)
        self.repeat_button = QPushButton("Repeat question (R)")
        self.repeat_button.setAccessibleName("Repeat the question")
        self.repeat_button.clicked.connect(self.controller.repeat_question)
        self.skip_button = QPushButton("Skip (S)")
        self.skip_button.setAccessibleName("Skip this question")
        self.skip_button.clicked.connect(self.controller.skip_question)
        self.pause_button = QPushButton("Pause (P)")
        self.pause_button.setAccessibleName("Pause or resume")
        self.pause_button.clicked.connect(self.controller.toggle_pause)
        self.end_button = QPushButton("End interview (Esc)")
        self.end_button.setAccessibleName("End the interview")
        self.end_button.clicked.connect(self.ask_end)
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer_button, 2)
        buttons.addSpacing(12)
        for button in (self.repeat_button, self.skip_button, self.pause_button, self.end_button):
            buttons.addWidget(button, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(card)
        layout.addLayout(middle, 1)
        layout.addWidget(self.confirm_bar)
        layout.addLayout(buttons)
        self.setTabOrder(self.answer_button, self.repeat_button)
        self.setTabOrder(self.repeat_button, self.skip_button)
        self.setTabOrder(self.skip_button, self.pause_button)
        self.setTabOrder(self.pause_button, self.end_button)

    def _make_shortcuts(self) -> list[QShortcut]:
        bindings = (
            ("Space", self._on_space),
            ("Return", self._on_enter),
            ("Enter", self._on_enter),
            ("R", self.controller.repeat_question),
            ("S", self.controller.skip_question),
            ("P", self.controller.toggle_pause),
            ("Escape", self.ask_end),
            ("Ctrl+Return", self.submit_typed),
        )
        shortcuts = []
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            # Window-wide, but only while this screen is visible (see showEvent/hideEvent);
            # text boxes still get their own keys because they claim them first.
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            shortcut.setEnabled(False)
            shortcuts.append(shortcut)
        return shortcuts

    def _wire(self) -> None:
        c = self.controller
        c.state_changed.connect(self._on_state)
        c.session_started.connect(self._on_session_started)
        c.interviewer_said.connect(self._on_interviewer_said)
        c.listening_started.connect(self._on_listening_started)
        c.level_changed.connect(self.level_meter.set_level)
        c.partial_transcript.connect(self.transcript.set_partial)
        c.answer_transcribed.connect(self.transcript.set_final)
        c.paused_changed.connect(self._on_paused)
        c.microphone_missing.connect(self._on_microphone_missing)
        c.notice.connect(self.show_notice)
        c.failed.connect(self._on_failed)
        self.countdown.pace_changed.connect(self._on_pace)

    # -- public -----------------------------------------------------------------------------------
    def begin(self, plan: ic.InterviewPlan) -> None:
        """Reset the screen and start ``plan``."""
        self._questions = tuple(plan.questions)
        self._question_index = 0
        self.banner.clear()
        self.confirm_bar.clear()
        self.question_label.setText("")
        self.interviewer_caption.setText("")
        self.interviewer_text.setText("")
        self.transcript.clear_transcript()
        self._set_typed_mode(False)
        self.countdown.reset(None)
        self.level_meter.reset()
        self._update_progress()
        self._round_over = False
        loop = plan.extra.get("loop") if plan.extra else None
        if isinstance(loop, dict) and loop.get("total_s"):
            self.round_clock.start(float(loop["total_s"]))
        else:
            self.round_clock.hide_round()
        self.controller.start(plan)
        self.answer_button.setFocus()

    def show_notice(self, message: str, level: str = "info") -> None:
        """Show a message in the screen's own banner (never a modal dialog)."""
        self.banner.show_message(message, level)

    def ask_end(self) -> None:
        """Esc / End: confirm in a non-modal bar; the report still comes."""
        if not self.controller.is_active or self.controller.state == ic.THINKING:
            return
        self.confirm_bar.show_message(
            "End the interview now? You still get a report on everything answered so far.",
            "warning",
            action_text="End interview",
            action=self._confirm_end,
        )
        self.confirm_bar.close_button.setText("Keep going")
        self.confirm_bar.close_button.setAccessibleName("Keep going with the interview")
        self.confirm_bar.action_button.setFocus()

    def submit_typed(self) -> None:
        """Submit the typed answer (used when there is no microphone)."""
        if self.controller.typed_mode:
            self.controller.submit_typed_answer(self.typed_answer.toPlainText())

    # -- slots ------------------------------------------------------------------------------------
    def _confirm_end(self) -> None:
        self.confirm_bar.clear()
        self.controller.end_interview(self.typed_answer.toPlainText())

    def _on_space(self) -> None:
        if self.controller.state == ic.SPEAKING:
            self.controller.start_answer_now()
        elif self.controller.state == ic.LISTENING:
            self.controller.finish_answer()

    def _on_enter(self) -> None:
        if self.confirm_bar.isVisible():
            self._confirm_end()
        elif self.controller.state == ic.LISTENING:
            self.controller.finish_answer()

    def _on_answer_button(self) -> None:
        if self.controller.typed_mode and self.controller.state == ic.LISTENING:
            if self.typed_answer.isVisible():
                self.submit_typed()
            else:
                self._set_typed_mode(True)
        else:
            self._on_space()

    def _on_round_over(self) -> None:
        """The loop's clock ran out: let the current answer finish, then end the round."""
        self._round_over = True
        if self.controller.state == ic.SPEAKING:
            self.controller.end_interview("")
            return
        self.show_notice(
            "The round's time is up: finish this answer, and the interview ends after it.",
            "warning",
        )

    def _on_state(self, state: str) -> None:
        if self._round_over and state == ic.SPEAKING:
            self.controller.end_interview("")
            return
        if state in (ic.FINISHED, ic.IDLE):
            self.round_clock.stop()
        if state in (ic.SPEAKING, ic.THINKING, ic.FINISHED, ic.IDLE):
            self.live_pacing.stop()
        self.status_label.setText(_STATUS_TEXT.get(state, ""))
        if self.controller.typed_mode and state == ic.LISTENING:
            self.status_label.setText("No microphone — type your answer, Ctrl+Enter submits it")
        active = state in (ic.SPEAKING, ic.LISTENING, ic.PAUSED)
        for button in (self.repeat_button, self.skip_button, self.pause_button, self.end_button):
            button.setEnabled(active)
        self.answer_button.setEnabled(state in (ic.SPEAKING, ic.LISTENING))
        if state == ic.SPEAKING:
            self.answer_button.setText("Start answering (Space)")
            self.countdown.reset(self._current_limit())
        elif state == ic.LISTENING:
            if not self.controller.typed_mode:
                label = "Finish answer (Space)"
            elif self.typed_answer.isVisibleTo(self):
                label = "Submit answer (Ctrl+Enter)"
            else:
                label = "Type your answer instead"
            self.answer_button.setText(label)
        elif state == ic.THINKING:
            self.countdown.stop()
            self.answer_button.setText("Reviewing…")
        self.pause_button.setText("Resume (P)" if state == ic.PAUSED else "Pause (P)")
        if state in (ic.THINKING, ic.FINISHED, ic.IDLE):
            self.confirm_bar.clear()

    def _current_limit(self) -> float | None:
        return self.controller.speech_limit_s

    def _on_session_started(self, _session: Any) -> None:
        self.banner.clear()

    def _on_interviewer_said(self, text: str, purpose: str, question_index: int) -> None:
        self._question_index = question_index
        self._update_progress()
        shown = text
        caption = _PURPOSE_CAPTION.get(purpose, "Interviewer")
        if purpose == "question" and 0 <= question_index < len(self._questions):
            question = self._questions[question_index]
            self.question_label.setText(question.prompt)
            self.transcript.clear_transcript()
            # The question itself is the big text above; show only the words around it.
            shown = " ".join(text.replace(question.prompt, " ").split())
            caption = "The interviewer says"
        self.interviewer_caption.setText(caption + ":")
        self.interviewer_caption.setVisible(bool(shown))
        self.interviewer_text.setVisible(bool(shown))
        self.interviewer_text.setText(shown)
        self.interviewer_text.setAccessibleDescription(text)
        if purpose in ("follow_up", "clarification_reply", "repeat", "redirect"):
            self.transcript.clear_transcript("Your words will appear here as you answer.")

    def _on_listening_started(self, limit_s: float) -> None:
        self.countdown.start(limit_s or None)
        question = self._questions[min(self._question_index, len(self._questions) - 1)]
        self.live_pacing.start(
            question.category,
            limit_s or None,
            self.transcript.full_text,
            lambda: self.countdown.elapsed_s,
        )
        if self.controller.typed_mode and self.typed_answer.isVisibleTo(self):
            self.typed_answer.clear()
            self.typed_answer.setFocus()
        else:
            self.answer_button.setFocus()

    def _on_paused(self, paused: bool) -> None:
        if paused:
            self.countdown.pause()
            self.round_clock.pause()
        else:
            self.countdown.resume()
            self.round_clock.resume()

    def _on_pace(self, pace: str) -> None:
        if pace in ("amber", "red"):
            self.controller.play_chime()
        if pace == "red":
            self.status_label.setText("Time is up — wrap up your answer and press Space")

    def _on_microphone_missing(self, message: str) -> None:
        text = f"{message[:1].upper()}{message[1:]}".rstrip(".")
        self.banner.show_message(
            f"{text}. You can still answer: type it, and it is graded the same way.",
            "error",
            action_text="Type your answer instead",
            action=lambda: self._set_typed_mode(True),
        )
        self._on_state(self.controller.state)

    def _set_typed_mode(self, typed: bool) -> None:
        self.transcript.setVisible(not typed)
        self.typed_answer.setVisible(typed)
        self.level_meter.setVisible(not typed)
        self.mic_caption.setVisible(not typed)
        self.transcript_caption.setText(
            "Your answer (typed)" if typed else "Your answer (live transcript)"
        )
        if typed:
            self.typed_answer.clear()
            self.typed_answer.setFocus()
            self.banner.action_button.hide()
        self._on_state(self.controller.state)

    def _on_failed(self, message: str) -> None:
        self.banner.show_message(message, "error")
        self.error.emit(message)

    def _update_progress(self) -> None:
        total = len(self._questions)
        if not total:
            self.progress_label.setText("")
            return
        index = min(self._question_index, total - 1)
        question = self._questions[index]
        category = CATEGORIES.get(question.category, question.category)
        self.progress_label.setText(f"Question {index + 1} of {total} · {category}")

    # -- visibility ------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        for shortcut in self._shortcuts:
            shortcut.setEnabled(True)
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
        super().hideEvent(event)
