"""Per-dimension feedback: the score, the candidate's own words as evidence, and what was missing.

Every quote carries the answer turn and the second it was spoken, and is a keyboard-focusable,
clickable label: activating it emits ``quote_activated(turn_index, start_s)`` so the report can
play that moment. Quotes are labels rather than push buttons because long quotes must wrap.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.widgets.score_chart import dimension_color, score_text
from engine.clock import mmss
from engine.report.builder import DimensionView, EvidenceItem
from engine.rubric import dimension_label


class QuoteLink(QLabel):
    """A wrapped, clickable quote; Enter or Space activates it like a button."""

    activated = Signal(int, float)

    def __init__(self, ref: EvidenceItem, turn_label: str, parent: QWidget | None = None) -> None:
        stamp = "" if ref.start_s is None else f"  ▶ {mmss(ref.start_s)}"
        super().__init__(f"“{ref.quote}”{stamp}{turn_label}", parent)
        self.ref = ref
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        playable = ref.start_s is not None
        self.setEnabled(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if playable else Qt.FocusPolicy.NoFocus)
        if playable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip("Play this moment of the recording")
            self.setAccessibleName(f"Play quote at {mmss(ref.start_s)}: {ref.quote}")
        else:
            self.setToolTip("No word timings for this answer, so it cannot be played")
            self.setAccessibleName(f"Quote: {ref.quote}")
        self.setContentsMargins(8, 3, 8, 3)
        if playable:
            # A role, not a colour: the link colour follows a light/dark palette switch.
            self.setForegroundRole(QPalette.ColorRole.Link)

    def _activate(self) -> None:
        if self.ref.start_s is not None:
            self.activated.emit(self.ref.turn_index, float(self.ref.start_s))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._activate()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._activate()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setPen(
                QPen(self.palette().color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine)
            )
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)
            painter.end()


class _DimensionBlock(QFrame):
    """One dimension: a coloured header with the score, quotes, then the missing points."""

    def __init__(self, item: DimensionView, show_turns: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        header = QHBoxLayout()
        swatch = QLabel(self)
        swatch.setFixedSize(12, 12)
        swatch.setStyleSheet(f"background:{dimension_color(item.id).name()}; border-radius:2px;")
        header.addWidget(swatch)
        title = QLabel(dimension_label(item.id), self)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        header.addWidget(title)
        header.addStretch(1)
        if item.score is None:
            score_caption = "not applicable"
        else:
            number, _, word = score_text(item.score).partition(" ")
            score_caption = f"{number} / 4 · {word}" if word else f"{number} / 4"
        score = QLabel(score_caption, self)
        score.setFont(bold)
        header.addWidget(score)
        layout.addLayout(header)
        self.setAccessibleName(f"{dimension_label(item.id)}: {score_caption}")
        for text in item.notes:
            note = QLabel(text, self)
            note.setWordWrap(True)
            layout.addWidget(note)

        self.quotes: list[QuoteLink] = []
        if item.evidence:
            layout.addWidget(_caption("What you said", self))
            for ref in item.evidence:
                turn = f"  (answer {ref.turn_index})" if show_turns else ""
                link = QuoteLink(ref, turn, self)
                layout.addWidget(link)
                self.quotes.append(link)
        elif item.score is not None:
            layout.addWidget(_caption("No evidence found in the answer.", self))
        if item.missing:
            layout.addWidget(_caption("Missing", self))
            for point in item.missing:
                label = QLabel(f"•  {point}", self)
                label.setWordWrap(True)
                label.setContentsMargins(8, 0, 8, 0)
                layout.addWidget(label)


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setItalic(True)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class EvidenceList(QWidget):
    """All dimensions of one question, stacked.

    Signals:
        quote_activated(int, float): a quote was clicked; turn index and seconds into its audio.
    """

    quote_activated = Signal(int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._blocks: list[_DimensionBlock] = []
        self.setAccessibleName("Evidence and missing points per dimension")

    def set_feedback(self, items: Sequence[DimensionView], show_turns: bool = False) -> None:
        """Replace the content; ``show_turns`` adds which answer each quote came from."""
        for block in self._blocks:
            self._layout.removeWidget(block)
            block.deleteLater()
        self._blocks = []
        for item in items:
            block = _DimensionBlock(item, show_turns, self)
            for link in block.quotes:
                link.activated.connect(self.quote_activated)
            self._layout.addWidget(block)
            self._blocks.append(block)

    def quote_links(self) -> list[QuoteLink]:
        """Every quote shown, in order (tests and keyboard navigation use it)."""
        return [link for block in self._blocks for link in block.quotes]
