"""A non-modal message strip inside the window (never a pop-up that blocks the interview).

Errors and hints (no microphone, model still loading, a session recovered) must not stop a
candidate mid-answer, so they appear as a banner with an optional action button and a dismiss
button. Colours are derived from the palette (``desktop.theme``), so the banner reads in light
and dark schemes alike.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.theme import banner_background, level_hue

LEVELS = ("info", "success", "warning", "error")


class Banner(QFrame):
    """One message at a time, with an optional action.

    Signals:
        action_triggered(): the action button was pressed.
    """

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._level = "info"
        self._styling = False
        self._action: Callable[[], None] | None = None
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setAccessibleName("Notification message")
        self.action_button = QPushButton("")
        self.action_button.setAccessibleName("Notification action")
        self.action_button.hide()
        self.action_button.clicked.connect(self._on_action)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss notification")
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self.setAccessibleName("Notification")
        self.hide()

    @property
    def level(self) -> str:
        return self._level

    @property
    def text(self) -> str:
        return self.message_label.text()

    def show_message(
        self,
        message: str,
        level: str = "info",
        action_text: str | None = None,
        action: Callable[[], None] | None = None,
    ) -> None:
        """Show ``message`` (replacing any previous one)."""
        self._level = level if level in LEVELS else "info"
        self.message_label.setText(message)
        self.setAccessibleDescription(f"{self._level}: {message}")
        self._action = action
        if action_text:
            self.action_button.setText(action_text)
            self.action_button.setAccessibleName(action_text)
            self.action_button.show()
        else:
            self.action_button.hide()
        self.apply_palette()
        self.show()

    def clear(self) -> None:
        """Hide the banner."""
        self._action = None
        self.message_label.setText("")
        self.hide()

    def _on_action(self) -> None:
        action = self._action
        self.action_triggered.emit()
        if action is not None:
            action()

    def apply_palette(self) -> None:
        """Recolour for the current application palette (light/dark switch)."""
        palette = QApplication.palette()
        background = banner_background(self._level, palette).name()
        edge = level_hue(self._level).name()
        text = palette.color(QPalette.ColorRole.WindowText).name()
        style = (
            f"QFrame#banner {{ background: {background}; border-left: 4px solid {edge}; "
            f"border-radius: 4px; }} QFrame#banner QLabel {{ color: {text}; }}"
        )
        # Setting a style sheet itself raises a palette change; only set it when it differs.
        if style != self.styleSheet():
            self.setStyleSheet(style)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        palette_events = (event.Type.ApplicationPaletteChange, event.Type.PaletteChange)
        if event.type() in palette_events and self.isVisible() and not self._styling:
            self._styling = True
            try:
                self.apply_palette()
            finally:
                self._styling = False
