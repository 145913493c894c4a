"""Start the desktop app: the window first, everything slow after it is on screen.

Only Qt and our light modules are imported before ``show``; Whisper, TTS and PortAudio are
imported inside the workers that need them, and the speech model starts loading on the first
turn of the event loop after the window appeared (see ``MainWindow.start_background_work``).

Environment switches (for ``bench/startup.py``, tests and screenshots; none is needed to use the
app):
    MOCKINTERVIEW_STARTUP_MARKER=FILE   once the first window is shown and painted, write
                                        ``{"shown_at": epoch s, "heavy_modules": [...]}``.
    MOCKINTERVIEW_QUIT_AFTER_SHOWN=1    quit right after that (no model load).
    MOCKINTERVIEW_SCREENSHOT=FILE       after ~1.5 s (model loaded or not), grab the window into
                                        FILE (PNG) and quit.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

HEAVY_MODULES = ("faster_whisper", "ctranslate2", "pyttsx3", "sounddevice", "openai", "fpdf")
MARKER_ENV = "MOCKINTERVIEW_STARTUP_MARKER"
QUIT_ENV = "MOCKINTERVIEW_QUIT_AFTER_SHOWN"
SCREENSHOT_ENV = "MOCKINTERVIEW_SCREENSHOT"


def _write_marker(path: str) -> None:
    heavy = sorted(name for name in HEAVY_MODULES if name in sys.modules)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"shown_at": time.time(), "heavy_modules": heavy}, handle)


def set_app_identity(app: QApplication) -> None:
    """Names and icon every window inherits; the desktop file name ties it to the menu entry."""
    from PySide6.QtGui import QIcon

    from engine.desktop_entry import DESKTOP_ID
    from engine.paths import app_icon_path

    app.setApplicationName("mockinterview")
    app.setApplicationDisplayName("Mock Interview")
    app.setOrganizationName("mockinterview")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(app_icon_path())))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.errors import setup_logging
    from desktop.main_window import MainWindow

    setup_logging()  # before the window: its start-up errors belong in the log too
    app = QApplication.instance() or QApplication(list(argv) if argv else sys.argv[:1])
    set_app_identity(app)
    window = MainWindow()
    window.show()

    marker = os.environ.get(MARKER_ENV)
    quit_after = os.environ.get(QUIT_ENV) == "1"
    if marker:
        # Runs after the show and first paint events have been processed.
        QTimer.singleShot(0, lambda: _write_marker(marker))
    if quit_after:
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, window.start_background_work)
    screenshot = os.environ.get(SCREENSHOT_ENV)
    if screenshot:

        def grab() -> None:
            window.grab().save(screenshot)
            window.close()

        QTimer.singleShot(1500, grab)
    code = app.exec()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
