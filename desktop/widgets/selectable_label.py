"""A word-wrapped label whose text the mouse can select, made selectable only when needed.

A selectable QLabel keeps a whole text document to lay its text out and paint it; a report
page holds dozens of them, and building and sizing those documents was a large share of the
time the window froze when a report first appeared (bench/ui_stall.py). Selection is only ever
started by the mouse, and the mouse always enters a label before it can press on it, so the
label turns selectable on that first entry: the user can select and copy exactly as before.
The wrapped height is the same either way, so nothing moves when it switches.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QLabel, QWidget

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


class SelectableLabel(QLabel):
    """A ``QLabel`` with word wrap that becomes mouse-selectable when the pointer enters it."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def make_selectable(self) -> None:
        """Turn mouse selection on now (the pointer entered, or a caller needs it at once)."""
        if not self.textInteractionFlags() & _SELECTABLE:
            self.setTextInteractionFlags(_SELECTABLE)

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt API
        self.make_selectable()
        super().enterEvent(event)
