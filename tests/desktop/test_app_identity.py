"""The app's windows carry the mockinterview icon (drawn from the packaged SVG)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import set_app_identity


def test_every_window_gets_the_app_icon(qapp: QApplication, qtbot) -> None:
    set_app_identity(qapp)
    window = QWidget()
    qtbot.addWidget(window)
    image = window.windowIcon().pixmap(64, 64).toImage()
    assert not image.isNull()
    # The SVG really rendered: the middle of the icon is opaque, not an empty pixmap.
    assert image.pixelColor(32, 32).alpha() == 255
    assert qapp.desktopFileName() == "mockinterview"
