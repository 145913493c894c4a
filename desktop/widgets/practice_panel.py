"""Setup's "Today's practice": three questions aimed at the weakest skill, each with its reason.

The plan comes from ``engine.practice.plan`` (the same as ``mockinterview plan``) and is made off
the UI thread, since it opens every stored session. From here the candidate can start today's
questions, start a timed interview loop, or paste a job description to aim the plan at a job.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.workers import run_in_background


def compute_today(day: date) -> tuple[Any, Any, list[Any]]:
    """Today's plan and a round of the default interview loop (worker thread: reads the store)."""
    from engine.practice.history import load_history
    from engine.practice.job_description import load_job_description
    from engine.practice.loop import DEFAULT_LOOP, loop_format, pick_loop_questions
    from engine.practice.plan import make_plan
    from engine.questions.bank import default_bank

    bank = default_bank().questions
    history = load_history()
    description = load_job_description()
    try:
        plan = make_plan(bank, history, day, description)
    except ValueError:  # an empty description slipped through: plan without it
        plan = make_plan(bank, history, day)
    seen = {a.question_id for a in history.attempts if a.question_id}
    fmt = loop_format(DEFAULT_LOOP)
    return plan, fmt, pick_loop_questions(fmt, bank, seen, day)


class JobDescriptionDialog(QDialog):
    """Paste a job ad; it is kept in the data dir and only matched on this computer."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Job description")
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Paste the job description. Questions are ranked by the domain it names "
            "(ads, search, feeds, marketplaces, trust and safety, assistants, fraud…). "
            "It stays on this computer."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(text)
        self.editor.setAccessibleName("Job description text")
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def text(self) -> str:
        return self.editor.toPlainText()


class PracticePanel(QGroupBox):
    """Today's plan with reasons, and the buttons that start it.

    Signals:
        start_requested(object, object): questions to ask and extra session settings (a loop's
            clock), when the candidate starts today's practice or an interview loop.
        loaded(): the plan was computed and shown.
        error(str): a user-facing message.
    """

    start_requested = Signal(object, object)
    loaded = Signal()
    error = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Today's practice", parent)
        self.plan: Any = None
        self.loop_format: Any = None
        self.loop_questions: list[Any] = []
        self.dialog: JobDescriptionDialog | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        self.picks_label = QLabel("Working out today's practice…", self)
        self.picks_label.setWordWrap(True)
        self.picks_label.setAccessibleName("Today's practice questions and why")
        layout.addWidget(self.picks_label)
        self.job_label = QLabel("", self)
        self.job_label.setWordWrap(True)
        self.job_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.job_label)
        row = QHBoxLayout()
        self.practise_button = QPushButton("Practise these", self)
        self.practise_button.setAccessibleName("Start today's practice questions")
        self.practise_button.clicked.connect(self._start_plan)
        self.loop_button = QPushButton("Interview loop (45 min)", self)
        self.loop_button.setAccessibleName(
            "Start a 45-minute interview loop: design, metrics or experimentation, diagnosis"
        )
        self.loop_button.clicked.connect(self._start_loop)
        self.job_button = QPushButton("Job description…", self)
        self.job_button.setAccessibleName("Aim the practice at a job description")
        self.job_button.clicked.connect(self.edit_job_description)
        for button in (self.practise_button, self.loop_button, self.job_button):
            button.setEnabled(button is self.job_button)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def refresh(self, day: date | None = None) -> None:
        """Recompute the plan in the background (after a session, or a new job description).

        Only the newest request is shown: an older one finishing late is dropped.
        """
        self._generation += 1
        generation = self._generation

        def deliver(result: tuple[Any, Any, list[Any]]) -> None:
            if generation == self._generation:
                self._on_plan(result)

        run_in_background(
            compute_today,
            day or date.today(),
            on_finished=deliver,
            on_failed=lambda exc: self._fail(f"Today's practice could not be made: {exc}"),
        )

    def _fail(self, message: str) -> None:
        self.picks_label.setText(message)
        self.error.emit(message)

    def _on_plan(self, result: tuple[Any, Any, list[Any]]) -> None:
        self.plan, self.loop_format, self.loop_questions = result
        lines = []
        for number, pick in enumerate(self.plan.picks, start=1):
            lines.append(f"<b>{number}. {pick.question.prompt}</b><br><i>{pick.reason}</i>")
        for note in self.plan.notes:
            lines.append(f"<i>Note: {note}</i>")
        self.picks_label.setText("<br>".join(lines) or "No question left to suggest.")
        domains = ", ".join(self.plan.domains)
        self.job_label.setText(f"Aimed at your job description: {domains}" if domains else "")
        self.practise_button.setEnabled(bool(self.plan.picks))
        self.loop_button.setEnabled(bool(self.loop_questions))
        self.loaded.emit()

    def _start_plan(self) -> None:
        if self.plan is not None and self.plan.picks:
            self.start_requested.emit([p.question for p in self.plan.picks], {})

    def _start_loop(self) -> None:
        from engine.practice.loop import loop_settings

        if self.loop_format is not None and self.loop_questions:
            extra = {"loop": loop_settings(self.loop_format, self.loop_questions)}
            self.start_requested.emit(list(self.loop_questions), extra)

    def edit_job_description(self) -> JobDescriptionDialog:
        """Open the paste dialog (non-modal); saving re-plans."""
        from engine.practice.job_description import load_job_description

        self.dialog = JobDescriptionDialog(load_job_description() or "", self)
        self.dialog.accepted.connect(lambda: self.save_job_description(self.dialog.text()))
        self.dialog.open()
        return self.dialog

    def save_job_description(self, text: str) -> None:
        from engine.practice.job_description import save_job_description

        run_in_background(
            save_job_description,
            text,
            on_finished=lambda _result: self.refresh(),
            on_failed=lambda exc: self._fail(f"The job description could not be saved: {exc}"),
        )
