"""A transcript whose words light up as they are played, and which seeks where you click.

Built on a read-only QTextEdit so long answers wrap, scroll and select like any text; each timed
word remembers its character range, so highlighting is an ``ExtraSelection`` (no re-layout at
30 Hz) and a click maps back to a word through the cursor position. Left/Right step one word
when the view has focus, so replay is usable without a mouse.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from engine.transcript import Transcript, Word


class TranscriptView(QTextEdit):
    """Word-level view of one transcript.

    Signals:
        seek_requested(float): the user clicked or stepped to a word; seconds into the audio.
    """

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Transcript")
        self.setAccessibleDescription(
            "Click a word, or use Left and Right, to play from that word."
        )
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)  # read while listening: larger than UI text
        self.setFont(font)
        self._words: list[Word] = []
        self._char_starts: list[int] = []
        self._char_ends: list[int] = []
        self._word_starts: list[float] = []
        self._current = -1
        self._press_pos = None

    # -- content --------------------------------------------------------------------------------
    def set_transcript(self, transcript: Transcript | None) -> None:
        """Show a transcript; without word timings it is shown as plain, unclickable text."""
        self._words, self._char_starts, self._char_ends = [], [], []
        self._current = -1
        self.clear()
        if transcript is None or not transcript.segments:
            self.setPlainText("(no transcript for this answer)")
            self._word_starts = []
            return
        cursor = QTextCursor(self.document())
        plain = QTextCharFormat()
        heard = list(transcript.filled_pauses)  # fillers Whisper left out, marked "(um)"
        for segment in transcript.segments:
            if not segment.words:
                if cursor.position() > 0:
                    cursor.insertText(" ", plain)
                cursor.insertText(segment.text.strip(), plain)
                continue
            for word in segment.words:
                token = word.word.strip()
                if not token:
                    continue
                while heard and heard[0].start < word.start:
                    self._insert_filler(cursor, heard.pop(0).kind)
                if cursor.position() > 0 and not self._is_attached(token):
                    cursor.insertText(" ", plain)
                self._char_starts.append(cursor.position())
                cursor.insertText(token, plain)
                self._char_ends.append(cursor.position())
                self._words.append(word)
        for filler in heard:
            self._insert_filler(cursor, filler.kind)
        self._word_starts = [w.start for w in self._words]
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.setExtraSelections([])

    def _insert_filler(self, cursor: QTextCursor, kind: str) -> None:
        """A filler heard in the audio, greyed and in brackets: not one of the timed words."""
        marked = QTextCharFormat()
        marked.setFontItalic(True)
        marked.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        marked.setToolTip("a filler heard in the audio (Whisper leaves these out)")
        if cursor.position() > 0:
            cursor.insertText(" ", QTextCharFormat())
        cursor.insertText(f"({kind})", marked)

    @staticmethod
    def _is_attached(token: str) -> bool:
        # Whisper sometimes emits punctuation as its own "word"; glue it to the previous one.
        return token[0] in ",.;:!?%)'" and len(token) <= 2

    @property
    def words(self) -> list[Word]:
        """The timed words shown, in order."""
        return list(self._words)

    @property
    def current_index(self) -> int:
        """Index of the highlighted word, -1 when none."""
        return self._current

    def current_word(self) -> Word | None:
        return self._words[self._current] if 0 <= self._current < len(self._words) else None

    def word_text(self, index: int) -> str:
        return self.toPlainText()[self._char_starts[index] : self._char_ends[index]]

    # -- highlighting ---------------------------------------------------------------------------
    def index_at_time(self, position_s: float) -> int:
        """The word being spoken at ``position_s`` (the last one started), -1 before the first."""
        return bisect.bisect_right(self._word_starts, position_s + 1e-6) - 1

    def highlight_at(self, position_s: float) -> int:
        """Highlight the word spoken at ``position_s``; returns its index (-1 if none)."""
        index = self.index_at_time(position_s)
        if index != self._current:
            self.highlight_index(index)
        return index

    def highlight_index(self, index: int) -> None:
        """Mark one word with the palette's highlight colours and keep it in view."""
        self._current = index
        if not 0 <= index < len(self._words):
            self.setExtraSelections([])
            return
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        pal = self.palette()
        fmt.setBackground(pal.color(QPalette.ColorRole.Highlight))
        fmt.setForeground(pal.color(QPalette.ColorRole.HighlightedText))
        selection.format = fmt
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._char_starts[index])
        cursor.setPosition(self._char_ends[index], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        self.setExtraSelections([selection])
        view_cursor = QTextCursor(self.document())
        view_cursor.setPosition(self._char_starts[index])
        self.setTextCursor(view_cursor)
        self.ensureCursorVisible()

    # -- seeking --------------------------------------------------------------------------------
    def word_index_at_char(self, char_pos: int) -> int:
        """The word covering a character offset (or the nearest one before it)."""
        if not self._char_starts:
            return -1
        index = bisect.bisect_right(self._char_starts, char_pos) - 1
        return max(0, index)

    def seek_to_index(self, index: int) -> None:
        """Highlight a word and ask the player to jump to its start."""
        if not 0 <= index < len(self._words):
            return
        self.highlight_index(index)
        self.seek_requested.emit(self._words[index].start)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._press_pos = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._words:
            return
        moved = self._press_pos is not None and (
            (event.position() - self._press_pos).manhattanLength() > 4
        )
        if moved or self.textCursor().hasSelection():
            return  # the user selected text to copy; do not jump
        char_pos = self.cursorForPosition(event.position().toPoint()).position()
        self.seek_to_index(self.word_index_at_char(char_pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self._words and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if event.key() == Qt.Key.Key_Right else -1
            start = self._current if self._current >= 0 else (0 if step > 0 else 1)
            self.seek_to_index(min(len(self._words) - 1, max(0, start + step)))
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space:
            event.ignore()  # let the replay screen toggle play/pause
            return
        super().keyPressEvent(event)
