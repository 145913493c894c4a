"""The transcript that grows while the candidate speaks.

Whisper's streaming session gives two parts: text it has committed (a finished stretch of
speech that will not change) and a tentative tail (the words of the stretch still being spoken,
which may still change). The committed text is drawn normally and the tail greyed, so the
candidate sees they are being heard without mistaking a guess for the final words.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.theme import muted_text_color, scaled_font


class LiveTranscript(QTextBrowser):
    """Read-only live transcript: committed text plus a greyed tentative tail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._committed = ""
        self._tentative = ""
        self._placeholder = "Your words will appear here as you speak."
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setAccessibleName("Live transcript of your answer")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setPlaceholderText(self._placeholder)
        self.setMinimumHeight(90)
        self.setFont(scaled_font(self, 1.15))  # read at a glance while talking

    @property
    def committed_text(self) -> str:
        return self._committed

    @property
    def tentative_text(self) -> str:
        return self._tentative

    def full_text(self) -> str:
        """Everything shown, committed and tentative, as plain text."""
        return " ".join(p for p in (self._committed.strip(), self._tentative.strip()) if p)

    def set_partial(self, committed: str, tentative: str) -> None:
        """Show the newest partial transcript; a no-op when nothing changed (keeps scroll)."""
        committed, tentative = committed.strip(), tentative.strip()
        if (committed, tentative) == (self._committed, self._tentative):
            return
        self._committed, self._tentative = committed, tentative
        self._render()

    def apply_palette(self) -> None:
        """Redraw with the current palette (the tentative grey depends on it)."""
        if self._committed or self._tentative:
            self._render()

    def _render(self) -> None:
        committed, tentative = self._committed, self._tentative
        muted = muted_text_color().name()
        parts = []
        if committed:
            parts.append(html.escape(committed))
        if tentative:
            parts.append(f'<span style="color:{muted}">{html.escape(tentative)}</span>')
        self.setHtml("<p>" + " ".join(parts) + "</p>")
        self.moveCursor(QTextCursor.MoveOperation.End)
        self.ensureCursorVisible()

    def set_final(self, text: str) -> None:
        """Show the final transcript of the answer (all committed)."""
        self.set_partial(text, "")

    def clear_transcript(self, placeholder: str | None = None) -> None:
        """Empty the view before the next answer."""
        self._committed = self._tentative = ""
        self.clear()
        self.setPlaceholderText(placeholder or self._placeholder)
