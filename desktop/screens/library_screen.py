"""The library: every past session, a search box, progress charts, and importing a recording.

The list and the charts come from the SQLite library index through the ``LibraryController``
(off the UI thread). A corrupt session is listed with the reason instead of breaking the list;
an interrupted one offers "Transcribe and grade" to finish what the crash cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.library_controller import LibraryController
from desktop.widgets.question_attempts import QuestionAttemptsView
from desktop.widgets.score_chart import dimension_color
from desktop.widgets.trend_chart import TrendChart, TrendSeries
from desktop.workers import run_in_background
from engine.rubric import CATEGORIES, DIMENSION_IDS, dimension_label

_CORRUPT = QColor("#d62728")
_INTERRUPTED = QColor("#c77c02")
COLUMNS = ("Date", "Session", "Questions", "Overall", "Status", "")
AUDIO_FILTER = "Audio (*.wav *.flac *.ogg *.mp3 *.m4a *.aac *.webm *.mp4);;All files (*)"


def short_date(iso: str) -> str:
    """Format an ISO time as "2026-11-23 06:44", in local time when it carries a zone."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso.replace("T", " ")[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _sort_key(iso: str) -> float:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.timestamp()


def _reason(summary: Any) -> str:
    """The problem of a corrupt row without the folder name it usually starts with."""
    prefix = f"{summary.id}: "
    return summary.problem[len(prefix) :] if summary.problem.startswith(prefix) else summary.problem


def status_text(summary: Any) -> str:
    """What the Status column says about a summary row."""
    if summary.problem:
        return "Corrupt"
    if summary.is_interrupted:
        return "Interrupted — answers not graded" if summary.overall is None else "Interrupted"
    return summary.status.replace("_", " ") or "unknown"


def _bank_questions() -> list[tuple[str, str, str]]:
    """(id, category, prompt) of every bank question, for the import dialog (worker thread)."""
    from engine.questions.bank import default_bank

    return [(q.id, q.category, q.prompt) for q in default_bank().questions]


class ImportDialog(QDialog):
    """Choose an audio file and the question it answers (from the bank, or typed in).

    Non-modal: the library stays usable while it is open. Accepting emits ``import_requested``
    with the keyword arguments of ``LibraryController.import_recording`` plus ``audio``.
    """

    import_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a recording")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        file_row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setPlaceholderText("wav, flac, ogg, mp3 (m4a/aac when a decoder is there)")
        self.file_edit.setAccessibleName("Audio file to import")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose the audio file")
        browse.clicked.connect(self._browse)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        form.addRow("Audio &file:", file_row)
        form.labelForField(file_row).setBuddy(self.file_edit)

        self.bank_radio = QRadioButton("A question from the &bank", self)
        self.free_radio = QRadioButton("My &own question", self)
        group = QButtonGroup(self)
        group.addButton(self.bank_radio)
        group.addButton(self.free_radio)
        self.bank_radio.setChecked(True)
        self.bank_combo = QComboBox(self)
        self.bank_combo.setAccessibleName("Bank question")
        self.bank_combo.addItem("Loading the question bank…")
        self.bank_combo.setEnabled(False)
        form.addRow(self.bank_radio, self.bank_combo)
        self.question_edit = QLineEdit(self)
        self.question_edit.setPlaceholderText("The question the recording answers")
        self.question_edit.setAccessibleName("Question text")
        form.addRow(self.free_radio, self.question_edit)
        self.category_combo = QComboBox(self)
        self.category_combo.setAccessibleName("Question category")
        self.category_combo.addItem("Detect from the question", "")
        for cat_id, text in CATEGORIES.items():
            self.category_combo.addItem(text, cat_id)
        form.addRow("&Category:", self.category_combo)
        self.engine_combo = QComboBox(self)
        self.engine_combo.setAccessibleName("Grading engine")
        self.engine_combo.addItem("Offline engine", "offline")
        self.engine_combo.addItem("LLM engine (falls back to offline)", "llm")
        form.addRow("&Grade with:", self.engine_combo)
        self.problem_label = QLabel("", self)
        self.problem_label.setWordWrap(True)
        pal = self.problem_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, _CORRUPT)
        self.problem_label.setPalette(pal)
        form.addRow(self.problem_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.bank_radio.toggled.connect(self._sync_enabled)
        self.file_edit.textChanged.connect(lambda _text: self.problem_label.clear())
        self.question_edit.textChanged.connect(lambda _text: self.problem_label.clear())
        self._bank_loaded = False
        self._sync_enabled()

    def reset(self) -> None:
        """Clear the last problem and load the bank once (off the UI thread)."""
        self.problem_label.setText("")
        if not self._bank_loaded:
            self._bank_loaded = True
            run_in_background(
                _bank_questions, on_finished=self._on_bank, on_failed=self._on_bank_failed
            )

    def _on_bank(self, questions: list[tuple[str, str, str]]) -> None:
        self.bank_combo.clear()
        for qid, category, prompt in questions:
            self.bank_combo.addItem(f"{prompt}  [{category}]", qid)
            self.bank_combo.setItemData(
                self.bank_combo.count() - 1, prompt, Qt.ItemDataRole.ToolTipRole
            )
        if not questions:
            self.bank_combo.addItem("The question bank is empty")
        self._sync_enabled()

    def _on_bank_failed(self, exc: BaseException) -> None:
        self.bank_combo.clear()
        self.bank_combo.addItem("The question bank could not be loaded")
        self.problem_label.setText(f"Question bank: {exc}. Type your own question instead.")
        self.free_radio.setChecked(True)
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        bank = self.bank_radio.isChecked()
        self.bank_combo.setEnabled(bank and self.bank_combo.currentData() is not None)
        self.question_edit.setEnabled(not bank)
        self.category_combo.setEnabled(not bank)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a recording", "", AUDIO_FILTER)
        if path:
            self.file_edit.setText(path)

    def request(self) -> dict[str, Any] | None:
        """The import described by the form, or None (with the problem shown) when incomplete."""
        from pathlib import Path

        audio = self.file_edit.text().strip()
        if not audio:
            self.problem_label.setText("Choose the audio file to import.")
            return None
        if not Path(audio).expanduser().is_file():
            self.problem_label.setText(f"There is no file at {audio}.")
            return None
        request: dict[str, Any] = {
            "audio": str(Path(audio).expanduser()),
            "engine": self.engine_combo.currentData(),
        }
        if self.bank_radio.isChecked():
            qid = self.bank_combo.currentData()
            if not qid:
                self.problem_label.setText("Pick a bank question, or type your own question.")
                return None
            request["question_id"] = qid
        else:
            text = " ".join(self.question_edit.text().split())
            if not text:
                self.problem_label.setText("Type the question the recording answers.")
                return None
            request["question_text"] = text
            request["category"] = self.category_combo.currentData() or None
        return request

    def _submit(self) -> None:
        request = self.request()
        if request is not None:
            self.accept()
            self.import_requested.emit(request)


class SessionTree(QTreeWidget):
    """The session list; Enter opens the selected session like a double click."""

    activated_row = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.activated_row.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class LibraryScreen(QWidget):
    """Past sessions and progress over time.

    Signals:
        open_report(str): the user opened a session (its id).
        new_interview_requested(): start a new interview.
        error(str): a user-facing message for the main window's notification path.
        loaded(): the list and the charts were refreshed.
    """

    open_report = Signal(str)
    new_interview_requested = Signal()
    error = Signal(str)
    loaded = Signal()

    def __init__(
        self, parent: QWidget | None = None, controller: LibraryController | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller or LibraryController(self)
        self.summaries: list[Any] = []
        self.progress_points: list[Any] = []
        self.import_dialog: ImportDialog | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh)
        self._build()
        self.controller.library_loaded.connect(self._on_loaded)
        self.controller.attempts_loaded.connect(self._on_attempts)
        self.controller.session_changed.connect(lambda _session: self.refresh())
        self.controller.failed.connect(self.error)
        self.controller.busy_changed.connect(self._on_busy)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = QLabel("Library", self)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        top.addWidget(title)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Search questions, titles and what you said…")
        self.search_box.setAccessibleName("Search sessions")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        top.addWidget(self.search_box, 1)
        self.import_button = QPushButton("&Import recording…", self)
        self.import_button.setAccessibleName("Import an audio recording as a graded answer")
        self.import_button.clicked.connect(self.open_import_dialog)
        top.addWidget(self.import_button)
        self.new_button = QPushButton("&New interview", self)
        self.new_button.setAccessibleName("Start a new interview")
        self.new_button.clicked.connect(self.new_interview_requested)
        top.addWidget(self.new_button)
        outer.addLayout(top)

        status = QHBoxLayout()
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.hide()
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        status.addWidget(self.busy_bar)
        status.addWidget(self.status_label, 1)
        outer.addLayout(status)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = SessionTree(splitter)
        self.tree.setAccessibleName("Past sessions")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Interactive,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(col, mode)
        header.resizeSection(4, 230)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._open_item(item))
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_details(item))
        self.tree.activated_row.connect(self._open_item)

        self.charts = QTabWidget(splitter)
        self.charts.setAccessibleName("Progress across sessions")
        self.overall_chart = TrendChart("Overall score per session")
        self.dimension_chart = TrendChart("Score per rubric dimension")
        pacing = QWidget()
        pacing_row = QHBoxLayout(pacing)
        pacing_row.setContentsMargins(0, 0, 0, 0)
        self.wpm_chart = TrendChart("Words per minute", pacing)
        self.filler_chart = TrendChart("Filler words per session", pacing)
        pacing_row.addWidget(self.wpm_chart)
        pacing_row.addWidget(self.filler_chart)
        self.charts.addTab(self.overall_chart, "Overall")
        self.charts.addTab(self.dimension_chart, "Per dimension")
        self.charts.addTab(pacing, "Pacing")
        self.views = QTabWidget(splitter)
        self.views.setAccessibleName("Sessions, or attempts grouped by question")
        list_box = QWidget(self.views)
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.tree, 1)
        self.detail_label = QLabel("", list_box)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setAccessibleName("Details of the selected session")
        list_layout.addWidget(self.detail_label)
        self.attempts_view = QuestionAttemptsView(self.views)
        self.attempts_view.open_report.connect(self.open_report)
        self.views.addTab(list_box, "Sessions")
        self.views.addTab(self.attempts_view, "By question")
        self.views.currentChanged.connect(lambda _index: self._refresh_attempts_if_shown())
        splitter.addWidget(self.views)
        splitter.addWidget(self.charts)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)

    # -- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list (filtered by the search box) and the charts, off the UI thread."""
        self.status_label.setText("Loading the library…")
        self.controller.refresh(self.search_box.text().strip() or None)
        self._refresh_attempts_if_shown()

    def _refresh_attempts_if_shown(self) -> None:
        """The grouping opens every session, so it is only computed while its tab is shown."""
        if self.views.currentWidget() is self.attempts_view:
            self.controller.refresh_attempts()

    def _on_attempts(self, groups: Sequence[Any], skipped: int) -> None:
        self.attempts_view.set_groups(groups, skipped)

    def _on_loaded(self, summaries: Sequence[Any], progress: Sequence[Any]) -> None:
        # Newest first by the actual time (rows of unreadable folders carry a folder-name stamp).
        self.summaries = sorted(summaries, key=lambda s: _sort_key(s.created_at), reverse=True)
        self.progress_points = list(progress)
        self._fill_tree()
        self._fill_charts()
        query = self.search_box.text().strip()
        if not self.summaries:
            self.status_label.setText(
                f"No session matches “{query}”."
                if query
                else "No sessions yet. Start an interview, or import a recording made elsewhere."
            )
        else:
            corrupt = sum(1 for s in self.summaries if s.problem)
            text = f"{len(self.summaries)} session(s)" + (f" matching “{query}”" if query else "")
            if corrupt:
                text += f" · {corrupt} could not be read (see Status)"
            self.status_label.setText(text)
        self.loaded.emit()

    def _fill_tree(self) -> None:
        self.tree.clear()
        self.detail_label.setText("")
        for summary in self.summaries:
            questions = len(summary.question_texts)
            overall = "—" if summary.overall is None else f"{summary.overall:.1f}"
            title = summary.title or summary.id
            if title in summary.question_ids and summary.question_texts:
                title = summary.question_texts[0]  # imports are titled by question id
            item = QTreeWidgetItem(
                [
                    short_date(summary.created_at),
                    title,
                    str(questions),
                    overall,
                    status_text(summary),
                    "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            item.setToolTip(1, "\n".join(summary.question_texts) or summary.id)
            item.setToolTip(4, status_text(summary))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignCenter)
            self.tree.addTopLevelItem(item)
            if summary.problem:
                for col in range(len(COLUMNS)):
                    item.setForeground(col, QBrush(_CORRUPT))
                item.setText(1, f"{summary.id} — cannot be opened: {_reason(summary)}")
                item.setToolTip(1, summary.problem)
                item.setToolTip(4, summary.problem)
            elif summary.is_interrupted:
                item.setForeground(4, QBrush(_INTERRUPTED))
                button = QPushButton("Transcribe and grade", self.tree)
                button.setAccessibleName(f"Transcribe and grade the interrupted session {title}")
                button.clicked.connect(lambda _=False, sid=summary.id: self.recover(sid))
                self.tree.setItemWidget(item, 5, button)

    def _fill_charts(self) -> None:
        points = self.progress_points
        dates = [short_date(p.created_at)[5:] for p in points]  # "11-23 06:44"

        def label(x: float) -> str:
            i = int(round(x))
            return f"#{i + 1} {dates[i]}" if 0 <= i < len(dates) else ""

        common = {
            "x_format": label,
            "integer_x": True,
            "empty_text": "No graded sessions yet — your progress appears here.",
        }
        overall = [(float(i), p.overall) for i, p in enumerate(points) if p.overall is not None]
        self.overall_chart.set_data(
            [TrendSeries("overall", tuple(overall), QColor("#6a5acd"))],
            y_range=(1.0, 4.0),
            **common,
        )
        per_dim = []
        for dim in DIMENSION_IDS:
            pts = tuple(
                (float(i), p.dimension_scores[dim])
                for i, p in enumerate(points)
                if dim in p.dimension_scores
            )
            per_dim.append(TrendSeries(dimension_label(dim), pts, dimension_color(dim)))
        self.dimension_chart.set_data(per_dim, y_range=(1.0, 4.0), **common)
        wpm = tuple((float(i), p.wpm) for i, p in enumerate(points) if p.wpm is not None)
        self.wpm_chart.set_data(
            [TrendSeries("words per minute", wpm, QColor("#4e79a7"), " wpm")], **common
        )
        fillers = tuple((float(i), float(p.filler_count)) for i, p in enumerate(points))
        most = max((y for _, y in fillers), default=0.0)
        self.filler_chart.set_data(
            [TrendSeries("filler words", fillers, QColor("#f28e2b"))],
            y_range=(0.0, max(4.0, most * 1.2)),
            **common,
        )

    # -- actions --------------------------------------------------------------------------------
    def row_for(self, session_id: str) -> QTreeWidgetItem | None:
        """The list row of a session, if it is shown."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == session_id:
                return item
        return None

    def _show_details(self, item: QTreeWidgetItem | None) -> None:
        """Spell out the selected row in full (long reasons and question texts never clip)."""
        summary = None if item is None else self._summary_of(item)
        if summary is None:
            self.detail_label.setText("")
        elif summary.problem:
            self.detail_label.setText(f"Cannot open {summary.id}: {_reason(summary)}")
        else:
            questions = "; ".join(summary.question_texts) or "no questions"
            pace = "" if summary.wpm is None else f" · {summary.wpm:.0f} wpm"
            engine = f" · graded by {summary.engine}" if summary.engine else ""
            self.detail_label.setText(
                f"{questions}{engine}{pace} · {summary.filler_count} filler words. "
                "Press Enter or double-click to open the report."
            )

    def _summary_of(self, item: QTreeWidgetItem) -> Any:
        session_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((s for s in self.summaries if s.id == session_id), None)

    def _open_item(self, item: QTreeWidgetItem) -> None:
        session_id = item.data(0, Qt.ItemDataRole.UserRole)
        summary = self._summary_of(item)
        if summary is not None and summary.problem:
            self.error.emit(f"Cannot open {session_id}: {summary.problem}")
            return
        self.open_report.emit(session_id)

    def recover(self, session_id: str) -> None:
        """Transcribe and grade an interrupted session (the list refreshes when done)."""
        self.controller.recover(session_id)

    def open_import_dialog(self) -> ImportDialog:
        """Show the non-blocking import dialog; accepting it starts the import."""
        if self.import_dialog is None:
            self.import_dialog = ImportDialog(self)
            self.import_dialog.import_requested.connect(self.start_import)
        self.import_dialog.reset()
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def start_import(self, request: dict[str, Any]) -> None:
        """Run an import described by the dialog (audio, question_id/question_text, ...)."""
        self.controller.import_recording(
            request["audio"],
            question_id=request.get("question_id"),
            question_text=request.get("question_text"),
            category=request.get("category"),
            engine=request.get("engine", "offline"),
        )

    def _on_busy(self, busy: bool, what: str) -> None:
        self.busy_bar.setVisible(busy)
        self.import_button.setEnabled(not busy)
        if busy:
            self.status_label.setText(f"{what}… (you can keep using the app)")
