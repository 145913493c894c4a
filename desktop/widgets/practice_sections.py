"""Practice-loop sections of the report: change since the last attempt, study card, loop.

Each is built from an engine value (``engine.practice``) and only lays it out, so the window
shows exactly what the CLI prints.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import scaled_font
from engine.clock import mmss
from engine.practice.loop import LoopReport
from engine.practice.retry import AttemptComparison
from engine.practice.study_card import StudyCard

_UP = "#2e7d32"
_DOWN = "#c62828"


def _text(text: str, parent: QWidget, *, bold: bool = False, muted: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        label.setFont(scaled_font(label, 1.0, bold=True))
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _frame(parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(parent)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 8, 12, 8)
    return frame, layout


class AttemptComparisonView(QFrame):
    """Score before → after per dimension, the quotes behind each rise, what is still missing."""

    def __init__(self, comparison: AttemptComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Change since your previous attempt")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        delta = comparison.overall_delta
        if delta is None:
            headline = "Overall: not comparable (one of the attempts is not graded)."
        else:
            headline = (
                f"Overall {comparison.overall_before:.1f} → {comparison.overall_after:.1f} "
                f"({delta:+.1f}) since your previous attempt."
            )
        layout.addWidget(_text(headline, self, bold=True))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        for row_number, row in enumerate(comparison.rows):
            before = "–" if row.before is None else str(row.before)
            after = "–" if row.after is None else str(row.after)
            change = _text(f"{before} → {after}", self)
            if row.delta:
                colour = _UP if row.delta > 0 else _DOWN
                change.setText(f"{before} → {after}  ({row.delta:+d})")
                change.setStyleSheet(f"color: {colour}; font-weight: bold;")
            details = []
            if row.delta and row.delta > 0 and row.new_quotes:
                details.append("new: " + " · ".join(f"“{q}”" for q in row.new_quotes[:2]))
            if row.still_missing:
                details.append("still missing: " + "; ".join(row.still_missing[:3]))
            grid.addWidget(_text(row.label, self), row_number, 0)
            grid.addWidget(change, row_number, 1)
            detail = _text(" — ".join(details), self, muted=True)
            grid.addWidget(detail, row_number, 2)
            grid.setColumnStretch(2, 1)
            self.rows[row.dimension] = (change, detail)
        layout.addLayout(grid)


class StudyCardView(QFrame):
    """What a strong answer covers, ticked where this answer did; folded until asked for."""

    def __init__(self, card: StudyCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("What a strong answer covers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        kind = (
            "the outline of a strong answer for this kind of question"
            if card.generic
            else (f"you covered {card.covered_count} of {card.point_count} points")
        )
        self.toggle = QPushButton(f"Show what a strong answer covers ({kind})", self)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Show or hide what a strong answer covers")
        layout.addWidget(self.toggle)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 4, 0, 0)
        for section in card.sections:
            body.addWidget(_text(section.label, self.body, bold=True))
            for point in section.points:
                mark = "✓" if point.covered else "○"
                text = f"{mark} {point.text}"
                if point.covered and point.quote:
                    at = "" if point.start_s is None else f" ({mmss(point.start_s)})"
                    text += f" — you said “{point.quote}”{at}"
                body.addWidget(_text(text, self.body, muted=not point.covered))
        self.body.setVisible(False)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._set_open)

    def _set_open(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.toggle.setText(
            self.toggle.text().replace("Hide", "Show")
            if not shown
            else self.toggle.text().replace("Show", "Hide")
        )


class LoopSummaryView(QFrame):
    """The loop report: the round's verdict, each dimension across it, where the time went."""

    def __init__(self, loop: LoopReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Interview loop report")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(
            _text(
                f"{loop.title}: {mmss(loop.used_s)} used of {mmss(loop.total_s)}",
                self,
                bold=True,
            )
        )
        self.verdict_label = _text(loop.verdict, self)
        layout.addWidget(self.verdict_label)
        for verdict in loop.dimensions:
            layout.addWidget(_text(f"• {verdict.verdict} (mean {verdict.mean:.1f})", self))
        layout.addWidget(_text("Where the time went", self, bold=True))
        for t in loop.times:
            over = f", {mmss(t.over_s)} over its share" if t.over_s else ""
            score = "not graded" if t.overall is None else f"{t.overall:.1f}/4"
            layout.addWidget(
                _text(
                    f"Q{t.number} ({t.category}): {mmss(t.spent_s)} of {mmss(t.budget_s)}"
                    f"{over} · {score}",
                    self,
                )
            )
