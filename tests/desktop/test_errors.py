"""The one error route: a failing worker is logged with its traceback in the data dir's rotating
log and shown to the user (status bar when minor, a dialog when severe), secrets never reach the
log, a log folder that cannot be created is said once, and Help → "Open log folder" opens it.

Everything is real (Qt offscreen, the real thread pool, the real log file). The one stand-in is
the URL handler that receives "Open log folder": opening a file manager is the desktop's job,
so the test registers itself as the ``file:`` handler through Qt's own ``setUrlHandler``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from desktop import errors
from desktop.workers import run_in_background
from engine.errors import SessionError

SECRET = "sk-live-abcdefghijklmnop123456"


@pytest.fixture
def log_file(isolated_data_dir: Path):
    """The app's logging pointed at this test's data dir (as ``desktop.app.main`` does)."""
    assert errors.setup_logging() == ""
    path = isolated_data_dir / "logs" / "mockinterview.log"
    yield path
    errors.setup_logging(isolated_data_dir / "logs")  # keep the handler on a live folder


def _flush() -> None:
    for handler in errors.log.handlers:
        handler.flush()


def _broken_job() -> None:
    raise ValueError(f"the parser choked on key {SECRET}")


def test_a_failing_worker_is_logged_with_its_traceback_and_shown(main_window, qtbot, log_file):
    errors.register_secret(SECRET)
    with qtbot.waitSignal(errors.hub.reported, timeout=5000) as shown:
        run_in_background(_broken_job, error_context="Loading the practice plan")
    message, severity = shown.args
    assert severity == errors.MINOR
    assert message.startswith("Loading the practice plan: something went wrong (ValueError")
    assert SECRET not in message
    qtbot.waitUntil(lambda: main_window.statusBar().currentMessage() == message, timeout=2000)

    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Loading the practice plan" in text
    assert "Traceback (most recent call last)" in text and "_broken_job" in text
    assert SECRET not in text and "***" in text


def test_a_severe_error_opens_a_dialog_that_leads_to_the_log(main_window, qtbot, log_file):
    message = errors.report_error(
        SessionError("the session folder is read-only"), "Saving the interview", errors.SEVERE
    )
    qtbot.waitUntil(lambda: main_window.error_dialog is not None, timeout=2000)
    dialog = main_window.error_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.text() == message == "Saving the interview: the session folder is read-only"
    _flush()
    assert "the session folder is read-only" in log_file.read_text(encoding="utf-8")


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_menu_opens_the_log_folder(main_window, log_file):
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        help_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "&Help")
        [action] = [a for a in help_menu.actions() if a.text() == "Open &log folder"]
        action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in catcher.urls] == [log_file.parent]


def test_a_log_folder_that_cannot_be_created_goes_to_stderr_and_says_so_once(
    isolated_data_dir: Path, capfd
):
    blocker = isolated_data_dir / "logs"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    try:
        problem = errors.setup_logging()
        for text in ("boom", "boom again"):
            try:
                raise RuntimeError(text)
            except RuntimeError as exc:
                errors.report_error(exc, "Testing the fallback")
        err = capfd.readouterr().err
    finally:
        blocker.unlink()
        errors.setup_logging(isolated_data_dir / "logs")
    assert problem.startswith(f"Cannot create the log folder {blocker}")
    assert errors.log_problem() == ""  # cleared by the second setup
    assert err.count("Cannot create the log folder") == 1
    assert "boom again" in err and "Traceback" in err


def test_secret_shaped_strings_never_reach_the_log(log_file, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "env-key-9f8e7d6c")
    logging.getLogger("mockinterview.test").warning(
        "request failed with Bearer abcdef123456 and env-key-9f8e7d6c and %s", SECRET
    )
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert "request failed with" in text
    for leaked in ("abcdef123456", "env-key-9f8e7d6c", SECRET):
        assert leaked not in text
