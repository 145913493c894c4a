"""Report text stays selectable with the mouse although its labels turn selectable lazily."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication, QLabel

from desktop.widgets.selectable_label import SelectableLabel

TEXT = "Seven day retention is the north star and watch time is a guardrail."


def test_pointer_entering_makes_the_text_selectable_by_double_click(qtbot):
    label = SelectableLabel(TEXT)
    qtbot.addWidget(label)
    label.resize(240, 80)
    label.show()
    qtbot.waitExposed(label)
    QApplication.sendEvent(label, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.mouseDClick(label, Qt.MouseButton.LeftButton, pos=QPoint(12, 8))
    assert label.hasSelectedText()
    assert label.selectedText().strip() in TEXT.split()


def test_turning_selectable_does_not_change_the_wrapped_height(qtbot):
    lazy = SelectableLabel(TEXT * 3)
    eager = QLabel(TEXT * 3)
    eager.setWordWrap(True)
    eager.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    qtbot.addWidget(lazy)
    qtbot.addWidget(eager)
    before = [lazy.heightForWidth(w) for w in (180, 320, 640)]
    lazy.make_selectable()
    after = [lazy.heightForWidth(w) for w in (180, 320, 640)]
    assert before == after == [eager.heightForWidth(w) for w in (180, 320, 640)]
    assert before[0] > before[2]  # it does wrap: a narrower label is taller
