"""Two gradings of the same answer side by side, and which one counts.

Users re-grade yesterday's answer with the LLM engine, or after re-transcribing with a better
Whisper model, and want to see what changed before deciding which grading the report should
use. Every grading stays stored; this widget only changes ``Turn.current_grading`` through the
``current_changed`` signal (the owner saves the session off the UI thread).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.rubric import dimension_label
from engine.store.model import GradingRecord, Session, Turn

_BETTER = QColor("#2e8b57")
_WORSE = QColor("#d62728")


def describe_grading(record: GradingRecord, index: int, current: bool) -> str:
    """One line naming a grading: number, engine, Whisper model, when; marks the current one."""
    engine = record.engine
    if record.grade.fallback:
        engine += " (LLM fell back)"
    parts = [f"#{index + 1}", engine]
    if record.whisper_model:
        parts.append(f"Whisper {record.whisper_model}")
    if record.graded_at:
        parts.append(record.graded_at.replace("T", " ")[:16])
    text = " · ".join(parts)
    return text + ("  (current)" if current else "")


class GradingCompare(QWidget):
    """Pick two gradings of one turn; see scores per dimension, the overall and the difference.

    Signals:
        current_changed(int, int): turn index and the grading index the user made current.
    """

    current_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._turn: Turn | None = None
        layout = QVBoxLayout(self)
        self._title = QLabel(self)
        self._title.setWordWrap(True)
        layout.addWidget(self._title)

        pickers = QGridLayout()
        self.left_combo = QComboBox(self)
        self.left_combo.setAccessibleName("Left grading")
        self.right_combo = QComboBox(self)
        self.right_combo.setAccessibleName("Right grading")
        left_label = QLabel("&Left:", self)
        left_label.setBuddy(self.left_combo)
        right_label = QLabel("&Right:", self)
        right_label.setBuddy(self.right_combo)
        pickers.addWidget(left_label, 0, 0)
        pickers.addWidget(self.left_combo, 0, 1)
        pickers.addWidget(right_label, 1, 0)
        pickers.addWidget(self.right_combo, 1, 1)
        pickers.setColumnStretch(1, 1)
        layout.addLayout(pickers)

        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Scores of the two gradings")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)

        self.make_left_current = QPushButton("Use le&ft grading", self)
        self.make_left_current.setAccessibleName("Make the left grading current")
        self.make_right_current = QPushButton("Use ri&ght grading", self)
        self.make_right_current.setAccessibleName("Make the right grading current")
        buttons = QGridLayout()
        buttons.addWidget(self.make_left_current, 0, 0)
        buttons.addWidget(self.make_right_current, 0, 1)
        layout.addLayout(buttons)

        self.left_combo.currentIndexChanged.connect(self._refresh_table)
        self.right_combo.currentIndexChanged.connect(self._refresh_table)
        self.make_left_current.clicked.connect(lambda: self._make_current(self.left_combo))
        self.make_right_current.clicked.connect(lambda: self._make_current(self.right_combo))

    def set_turn(self, turn: Turn, question_text: str = "") -> None:
        """Compare gradings of ``turn``: by default the current one against the latest other."""
        self._turn = turn
        count = len(turn.gradings)
        title = f"Answer {turn.index}: {count} gradings"
        if question_text:
            title += f" — {question_text}"
        self._title.setText(title)
        current = turn.current_grading if turn.current_grading is not None else count - 1
        other = next((i for i in range(count - 1, -1, -1) if i != current), current)
        for combo, pick in ((self.left_combo, other), (self.right_combo, current)):
            combo.blockSignals(True)
            combo.clear()
            for i, record in enumerate(turn.gradings):
                combo.addItem(describe_grading(record, i, i == turn.current_grading), i)
            combo.setCurrentIndex(max(0, min(pick, count - 1)) if count else -1)
            combo.blockSignals(False)
        self._refresh_table()

    def selected(self) -> tuple[int, int]:
        """Grading indexes shown on the left and the right."""
        return self.left_combo.currentIndex(), self.right_combo.currentIndex()

    def _make_current(self, combo: QComboBox) -> None:
        if self._turn is None or combo.currentIndex() < 0:
            return
        index = combo.currentIndex()
        self._turn.current_grading = index
        self.set_turn(self._turn)
        self.current_changed.emit(self._turn.index, index)

    def _refresh_table(self) -> None:
        turn = self._turn
        self.table.clearContents()
        if turn is None or not turn.gradings:
            self.table.setRowCount(0)
            return
        a_idx, b_idx = self.selected()
        a = turn.gradings[a_idx].grade
        b = turn.gradings[b_idx].grade
        headers = []
        for idx in (a_idx, b_idx):
            tag = "current" if idx == turn.current_grading else ""
            record = turn.gradings[idx]
            notes = " · ".join(
                n for n in ("⚠ LLM fell back" if record.grade.fallback else "", tag) if n
            )
            headers.append(f"#{idx + 1} {record.engine}" + (f"\n({notes})" if notes else ""))
        self.table.setHorizontalHeaderLabels([*headers, "Change"])
        dims = list(dict.fromkeys([d.id for d in a.dimensions] + [d.id for d in b.dimensions]))
        rows: list[tuple[str, float | None, float | None]] = [("Overall", a.overall, b.overall)]
        for dim in dims:
            da, db = a.dimension(dim), b.dimension(dim)
            rows.append((dimension_label(dim), da.score if da else None, db.score if db else None))
        rows.append(("Words per minute", a.pacing.wpm, b.pacing.wpm))
        rows.append(("Filler words", a.pacing.filler_count, b.pacing.filler_count))
        self.table.setRowCount(len(rows) + 1)
        self.table.setVerticalHeaderLabels([r[0] for r in rows] + ["Evidence quotes"])
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, (_, va, vb) in enumerate(rows):
            self._set(row, 0, _fmt(va), bold if row == 0 else None)
            self._set(row, 1, _fmt(vb), bold if row == 0 else None)
            is_score = row <= len(dims)  # pacing rows are neither better nor worse by sign
            self._set(row, 2, _delta(va, vb), None, _delta_colour(va, vb) if is_score else None)
        ev_a = sum(len(d.evidence) for d in a.dimensions)
        ev_b = sum(len(d.evidence) for d in b.dimensions)
        last = len(rows)
        self._set(last, 0, str(ev_a))
        self._set(last, 1, str(ev_b))
        self._set(last, 2, _delta(ev_a, ev_b))
        self.make_left_current.setEnabled(a_idx != turn.current_grading)
        self.make_right_current.setEnabled(b_idx != turn.current_grading)

    def _set(
        self, row: int, col: int, text: str, font: QFont | None = None, colour: QColor | None = None
    ) -> None:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if font is not None:
            item.setFont(font)
        if colour is not None:
            item.setForeground(QBrush(colour))
        self.table.setItem(row, col, item)

    def cell_text(self, row: int, col: int) -> str:
        """Text shown in a cell (rows: Overall, dimensions..., pacing, evidence count)."""
        item = self.table.item(row, col)
        return "" if item is None else item.text()


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _delta(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    diff = b - a
    if abs(diff) < 0.05:
        return "same"
    return f"{diff:+.1f}"


def _delta_colour(a: float | None, b: float | None) -> QColor | None:
    if a is None or b is None or abs(b - a) < 0.05:
        return None
    return _BETTER if b > a else _WORSE


class GradingCompareDialog(QDialog):
    """A non-modal window around ``GradingCompare`` with a picker of which answer to compare.

    Signals:
        current_changed(int, int): forwarded from the comparison (turn index, grading index).
    """

    current_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare gradings")
        self.resize(640, 500)
        box = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("&Answer:", self)
        self.turn_combo = QComboBox(self)
        self.turn_combo.setAccessibleName("Answer whose gradings are compared")
        label.setBuddy(self.turn_combo)
        row.addWidget(label)
        row.addWidget(self.turn_combo, 1)
        box.addLayout(row)
        self.view = GradingCompare(self)
        self.view.current_changed.connect(self.current_changed)
        box.addWidget(self.view)
        self._session: Session | None = None
        self.turn_combo.activated.connect(
            lambda i: self.show_turn(self._session, self.turn_combo.itemData(i))
        )

    @staticmethod
    def comparable_turns(session: Session) -> list[int]:
        """Indexes of the turns that have two or more gradings."""
        return [t.index for t in session.turns if len(t.gradings) >= 2]

    @property
    def turn_index(self) -> int | None:
        """The answer shown now."""
        return self.turn_combo.currentData()

    def show_turn(self, session: Session | None, turn_index: int | None) -> bool:
        """Compare the gradings of ``turn_index`` (or the first comparable turn); False if none."""
        turns = [] if session is None else self.comparable_turns(session)
        if session is None or not turns:
            return False
        if turn_index not in turns:
            turn_index = turns[0]
        self._session = session
        turn = next(t for t in session.turns if t.index == turn_index)
        question = next(
            (q.question.get("text", "") for q in session.questions if turn in q.turns), ""
        )
        self.turn_combo.blockSignals(True)
        self.turn_combo.clear()
        for index in turns:
            self.turn_combo.addItem(f"Answer {index}", index)
        self.turn_combo.setCurrentIndex(turns.index(turn_index))
        self.turn_combo.blockSignals(False)
        self.turn_combo.setEnabled(len(turns) > 1)
        self.view.set_turn(turn, str(question))
        return True
