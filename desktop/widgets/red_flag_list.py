"""The "What would worry an interviewer" list: each mistake the grader found, with its quote.

A red flag is shown with the dimension it lowered and the candidate's own words; the quote is the
same clickable ``QuoteLink`` the evidence list uses, so activating it plays that moment.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.widgets.evidence_list import QuoteLink
from engine.report.builder import EvidenceItem, RedFlagItem
from engine.rubric import dimension_label


class RedFlagList(QWidget):
    """Every red flag of one question, stacked (empty when there are none).

    Signals:
        quote_activated(int, float): a quote was clicked; turn index and seconds into its audio.
    """

    quote_activated = Signal(int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.quotes: list[QuoteLink] = []
        self.titles: list[QLabel] = []
        self.setAccessibleName("Mistakes an interviewer would mark down")

    def set_flags(self, flags: Sequence[RedFlagItem], show_turns: bool = False) -> None:
        """Show ``flags``; ``show_turns`` adds which answer each quote came from."""
        for flag in flags:
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            layout = QVBoxLayout(frame)
            layout.setContentsMargins(10, 6, 10, 6)
            title = QLabel(f"{flag.text} — lowers {dimension_label(flag.dimension)}", frame)
            title.setWordWrap(True)
            bold = QFont(title.font())
            bold.setBold(True)
            title.setFont(bold)
            layout.addWidget(title)
            turn = f"  (answer {flag.turn_index})" if show_turns else ""
            link = QuoteLink(EvidenceItem(flag.quote, flag.turn_index, flag.start_s), turn, frame)
            link.activated.connect(self.quote_activated)
            layout.addWidget(link)
            self._layout.addWidget(frame)
            self.titles.append(title)
            self.quotes.append(link)
