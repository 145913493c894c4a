"""The main window: one stack of screens, a menu and toolbar, a status bar and one banner.

Setup and Interview are built with the window (they are what a user sees first); Report,
Library and Replay are built the first time they are needed, so the window appears quickly
without importing the report engine and the charts up front.

Every error a screen or controller reports reaches the user through ``notify``: a non-modal
banner at the top of the window, never a dialog that blocks the interview. Failures routed
through ``desktop.errors.report_error`` (logged with their traceback) appear in the status bar
when minor and in a non-modal dialog when severe; Help → "Open log folder" shows the log.

Closing never blocks the UI thread: a running interview is asked to stop and save on its own
thread ("Finishing…" shows meanwhile), and the window closes once that and every other
background job are done.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import errors
from desktop import settings as app_settings
from desktop.controllers import interview_controller as ic
from desktop.controllers.setup_plan import SetupServices
from desktop.controllers.speech_model import SpeechModelLoader
from desktop.event_turns import in_next_turn
from desktop.screens.interview_screen import InterviewScreen
from desktop.screens.setup_screen import SetupScreen
from desktop.widgets.banner import Banner
from desktop.widgets.countdown import Countdown
from desktop.widgets.live_transcript import LiveTranscript
from desktop.workers import is_idle, run_in_background

WINDOW_TITLE = "Mock Interview"
CLOSE_POLL_MS = 50  # how often a closing window checks whether background work is done
CLOSE_GIVE_UP_S = 30.0  # a job still running after this long does not keep the window open


def _load_session(session_id: str) -> Any:
    from engine.store.sessions import load_session

    return load_session(session_id)


def _preimport_screens() -> None:
    """Import the report and library screens (and the report engine) in a worker thread.

    Importing them costs a few hundred milliseconds; done on the UI thread at the end of an
    interview it would freeze the window just when the report should appear.
    """
    import desktop.screens.library_screen  # noqa: F401
    import desktop.screens.report_screen  # noqa: F401


def _recover() -> list[Any]:
    from engine.library.recovery import recover_interrupted

    return recover_interrupted()


def _warm_grader() -> str | None:
    """Worker thread: load the grader's sentence model so the first grade is quick.

    A model that cannot load is reported in each grade (the lexical fallback), not here.
    """
    from engine.grading.embedding import warm_up

    return warm_up()


class MainWindow(QMainWindow):
    """The application window.

    Signals:
        screen_changed(str): the name of the screen now shown (setup, interview, report,
            library, replay).
        recovery_checked(int): the start-up recovery finished; how many sessions it recovered.
    """

    screen_changed = Signal(str)
    recovery_checked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("Mock Interview main window")
        self.model_loader = SpeechModelLoader(self)
        self.controller = ic.InterviewController(self.model_loader, self)
        self._screens: dict[str, QWidget] = {}
        self._background_started = False
        self._closing = False
        self._close_ready = False
        self._close_started = 0.0
        self._close_timer = QTimer(self)
        self._close_timer.setInterval(CLOSE_POLL_MS)
        self._close_timer.timeout.connect(self._check_close)
        self.settings_dialog: QWidget | None = None
        self.error_dialog: QMessageBox | None = None

        self.banner = Banner()
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Screens")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.setup_screen = SetupScreen(services=SetupServices())
        self.interview_screen = InterviewScreen(self.controller)
        self._add_screen("setup", self.setup_screen)
        self._add_screen("interview", self.interview_screen)
        self.setup_screen.start_requested.connect(self.start_interview)
        self.setup_screen.model_changed.connect(self.model_loader.ensure_loaded)
        self.setup_screen.error.connect(lambda message: self.notify(message, "warning"))
        self.interview_screen.error.connect(lambda message: self.notify(message, "error"))
        self.controller.finished.connect(self._on_interview_finished)
        self.controller.state_changed.connect(self._on_interview_state)
        self.controller.closed.connect(self._check_close)
        errors.hub.reported.connect(self.show_error)

        self.model_status = QLabel("")
        self.model_status.setAccessibleName("Speech model status")
        self.statusBar().addPermanentWidget(self.model_status)
        self.model_loader.loading.connect(self._on_model_loading)
        self.model_loader.ready.connect(self._on_model_ready)
        self.model_loader.failed.connect(self._on_model_failed)

        self._build_actions()
        geometry = app_settings.load_window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1120, 760)
        self.show_screen("setup")

    # -- actions ----------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text: str, shortcut: str | QKeySequence, slot: Callable[[], Any]) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            act.triggered.connect(slot)
            return act

        self.new_action = action("&New interview", "Ctrl+N", self.new_interview)
        self.library_action = action("&Library", "Ctrl+L", self.open_library)
        self.import_action = action("&Import recording…", "Ctrl+I", self.import_recording)
        self.settings_action = action(
            "&Settings…", QKeySequence.StandardKey.Preferences, self.open_settings
        )
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        file_menu = self.menuBar().addMenu("&File")
        for act in (self.new_action, self.library_action, self.import_action):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.open_log_action = QAction("Open &log folder", self)
        self.open_log_action.triggered.connect(self.open_log_folder)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.open_log_action)
        toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setAccessibleName("Main toolbar")
        for act in (self.new_action, self.library_action, self.import_action, self.settings_action):
            toolbar.addAction(act)
        self.addToolBar(toolbar)

    # -- screens ----------------------------------------------------------------------------------
    def _add_screen(self, name: str, widget: QWidget) -> None:
        widget.setObjectName(f"{name}-screen")
        self._screens[name] = widget
        self.stack.addWidget(widget)

    def screen(self, name: str) -> QWidget:
        """The screen called ``name``, built on first use."""
        if name not in self._screens:
            builder = {
                "report": self._build_report_screen,
                "library": self._build_library_screen,
                "replay": self._build_replay_screen,
            }[name]
            self._add_screen(name, builder())
        return self._screens[name]

    @property
    def current_screen_name(self) -> str:
        widget = self.stack.currentWidget()
        for name, screen in self._screens.items():
            if screen is widget:
                return name
        return ""

    def show_screen(self, name: str) -> QWidget:
        """Switch to ``name`` and move keyboard focus into it."""
        widget = self.screen(name)
        self.stack.setCurrentWidget(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        focus = (
            widget.nextInFocusChain() if widget.focusPolicy() == Qt.FocusPolicy.NoFocus else None
        )
        if focus is not None and widget.isAncestorOf(focus):
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.screen_changed.emit(name)
        return widget

    def _build_report_screen(self) -> QWidget:
        from desktop.screens.report_screen import ReportScreen

        report = ReportScreen()
        report.back_requested.connect(self.open_library)
        report.new_interview_requested.connect(self.new_interview)
        report.replay_requested.connect(self.open_replay)
        report.retry_requested.connect(self.retry_question)
        report.error.connect(lambda message: self.notify(message, "error"))
        return report

    def _build_library_screen(self) -> QWidget:
        from desktop.screens.library_screen import LibraryScreen

        library = LibraryScreen()
        library.open_report.connect(self.open_report)
        library.new_interview_requested.connect(self.new_interview)
        library.error.connect(lambda message: self.notify(message, "error"))
        return library

    def _build_replay_screen(self) -> QWidget:
        from desktop.screens.replay_screen import ReplayScreen

        replay = ReplayScreen()
        replay.back_requested.connect(lambda: self.show_screen("report"))
        replay.error.connect(lambda message: self.notify(message, "error"))
        return replay

    # -- navigation -------------------------------------------------------------------------------
    def _interview_running(self) -> bool:
        if self.controller.is_active:
            self.notify(
                "Finish or end the interview first (Esc ends it and keeps a report).", "info"
            )
            self.show_screen("interview")
            return True
        return False

    def new_interview(self) -> None:
        """Back to the setup screen."""
        if self._interview_running():
            return
        self.setup_screen.reload()
        self.show_screen("setup")

    def start_interview(self, plan: ic.InterviewPlan) -> None:
        """Switch to the interview screen and start ``plan``."""
        if self._interview_running():
            return
        self.banner.clear()
        self.model_loader.ensure_loaded(plan.whisper_model)
        run_in_background(
            _preimport_screens,
            on_finished=lambda _result: self.screen("report"),  # built now, shown at the end
            error_context="Loading the report screens",
        )
        self.show_screen("interview")
        self.interview_screen.begin(plan)

    def retry_question(self, session: Any, number: int) -> None:
        """Answer question ``number`` of ``session`` again; its report compares the two."""
        from engine.library.regrade import question_from_record

        question = question_from_record(session.questions[number - 1])
        link = {"retry_of": {"session": session.id, "question": number}}
        self.start_interview(self.setup_screen.plan_for_questions([question], extra=link))

    def open_library(self) -> None:
        """The library of past sessions."""
        if self._interview_running():
            return
        library = self.show_screen("library")
        library.refresh()  # type: ignore[attr-defined]

    def open_report(self, session_id: str) -> None:
        """Load a stored session in the background, then show its report."""
        run_in_background(
            _load_session,
            session_id,
            on_finished=self.show_report,
            on_failed=lambda exc: self.notify(errors.user_message(exc), "error"),
            error_context="Opening a report",
        )

    def show_report(self, session: Any) -> None:
        """Show the report of ``session`` (already in memory).

        Filling the report and laying it out are each a few tens of milliseconds the first
        time; they run in separate turns of the event loop so the window never freezes for
        their sum (bench/ui_stall.py measures it).
        """
        report = self.screen("report")

        def fill() -> None:
            report.show_session(session)  # type: ignore[attr-defined]
            in_next_turn(self, lambda: self.show_screen("report"))

        in_next_turn(report, fill)

    def open_replay(self, session_id: str, turn_index: int, start_s: float) -> None:
        """Replay one answer from ``start_s`` (loaded in the background)."""

        def show(session: Any) -> None:
            replay = self.screen("replay")
            if hasattr(replay, "show_turn"):
                replay.show_turn(session, turn_index, start_s)
            self.show_screen("replay")

        run_in_background(
            _load_session,
            session_id,
            on_finished=show,
            on_failed=lambda exc: self.notify(errors.user_message(exc), "error"),
            error_context="Opening a replay",
        )

    def import_recording(self) -> None:
        """Import an audio file as an answer (the library's import dialog, non-modal)."""
        if self._interview_running():
            return
        library = self.show_screen("library")
        library.refresh()  # type: ignore[attr-defined]
        library.open_import_dialog()  # type: ignore[attr-defined]

    def open_settings(self) -> None:
        """The settings dialog (LLM endpoint and key, audio devices, answer options)."""
        from desktop.screens.settings_dialog import SettingsDialog

        dialog = self.settings_dialog
        if dialog is None:
            dialog = SettingsDialog(self)
            dialog.saved.connect(self._on_settings_saved)
            self.settings_dialog = dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _on_settings_saved(self) -> None:
        self.setup_screen.refresh_llm_label()
        self.notify("Settings saved.", "success")

    def _on_interview_finished(self, session: Any) -> None:
        self.show_report(session)

    def _on_interview_state(self, state: str) -> None:
        busy = state not in (ic.IDLE, ic.FINISHED)
        for act in (self.new_action, self.library_action, self.import_action):
            act.setEnabled(not busy)

    # -- notifications and status -----------------------------------------------------------------
    def notify(
        self,
        message: str,
        level: str = "info",
        action_text: str | None = None,
        action: Callable[[], None] | None = None,
    ) -> None:
        """The one notification path: a non-modal banner at the top of the window."""
        self.banner.show_message(message, level, action_text, action)
        if level in ("warning", "error"):
            self.statusBar().showMessage(message, 8000)

    def show_error(self, message: str, severity: str = errors.MINOR) -> None:
        """A failure from ``desktop.errors``: the status bar when minor, a dialog when severe.

        The dialog is non-modal, so an interview behind it keeps running.
        """
        self.statusBar().showMessage(message, 10_000)
        if severity != errors.SEVERE:
            return
        dialog = self.error_dialog
        if dialog is None:
            dialog = QMessageBox(self)
            dialog.setIcon(QMessageBox.Icon.Critical)
            dialog.setWindowTitle("Something went wrong")
            dialog.setWindowModality(Qt.WindowModality.NonModal)
            open_logs = dialog.addButton("Open log folder", QMessageBox.ButtonRole.ActionRole)
            open_logs.clicked.connect(self.open_log_folder)
            dialog.addButton(QMessageBox.StandardButton.Close)
            self.error_dialog = dialog
        dialog.setText(message)
        dialog.show()

    def open_log_folder(self) -> bool:
        """Help → Open log folder: the folder holding mockinterview.log, in the file manager."""
        folder = errors.log_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(f"Cannot open the log folder {folder}: {exc.strerror or exc}", "error")
            return False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        if not opened:
            self.notify(f"The log is in {folder}", "info")
        return bool(opened)

    def _on_model_loading(self, key: str) -> None:
        self.model_status.setText("Loading speech model…")
        self.model_status.setToolTip(f"Loading the Whisper model {key} in the background")

    def _on_model_ready(self, key: str, display: str) -> None:
        self.model_status.setText(f"Speech model ready ({display})")
        self.model_status.setToolTip(f"Whisper model {key} is loaded")

    def _on_model_failed(self, key: str, message: str) -> None:
        self.model_status.setText("Speech model not loaded")
        self.model_status.setToolTip(message)
        self.notify(f"Speech model {key}: {message}", "error")

    # -- start-up and shutdown --------------------------------------------------------------------
    def start_background_work(self) -> None:
        """After the window is on screen: load Whisper and recover interrupted sessions."""
        if self._background_started:
            return
        self._background_started = True
        problem = errors.log_problem()
        if problem:
            self.notify(problem, "warning")
        self.model_loader.ensure_loaded(app_settings.load_setup_choices().whisper_model)
        run_in_background(
            _recover,
            on_finished=self._on_recovered,
            on_failed=self._on_recover_failed,
            error_context="Recovering interrupted sessions",
        )
        run_in_background(_warm_grader, on_failed=lambda _exc: None)

    def _on_recovered(self, sessions: list[Any]) -> None:
        count = len(sessions)
        if count:
            noun = "session" if count == 1 else "sessions"
            self.notify(
                f"{count} interrupted {noun} recovered — open the Library to transcribe and "
                "grade what was recorded.",
                "info",
                action_text="Open Library",
                action=self.open_library,
            )
        self.recovery_checked.emit(count)

    def _on_recover_failed(self, exc: BaseException) -> None:
        self.notify(errors.user_message(exc, "Could not check for interrupted sessions"), "warning")
        self.recovery_checked.emit(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Follow a light/dark switch of the system palette.

        Widgets with their own style sheet are recoloured here, because Qt stops propagating
        palette changes to a widget once it has a style sheet.
        """
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            for widget in self.findChildren(QWidget):
                if isinstance(widget, (Banner, Countdown, LiveTranscript)) and widget.isVisible():
                    widget.apply_palette()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop audio, save the interview off the UI thread, then close (see module docstring)."""
        if self._close_ready:
            super().closeEvent(event)
            return
        event.ignore()
        if self._closing:
            return
        self._closing = True
        self._close_started = time.monotonic()
        self.setup_screen.stop_mic_test()
        self._remember_choices()
        if not self.controller.shutdown(self.interview_screen.typed_answer.toPlainText()):
            self.notify("Finishing… saving your interview, the window closes when it is done.")
            self.statusBar().showMessage("Finishing…")
        # Checked from the event loop: Qt ignores a close() issued inside closeEvent itself.
        self._close_timer.start()

    def _remember_choices(self) -> None:
        """Save the setup choices and window size; a failure is logged, never blocks closing."""
        try:
            self.setup_screen.save_choices()
            app_settings.save_window_geometry(self.saveGeometry())
        except Exception as exc:  # noqa: BLE001 - reported; the window still closes
            errors.report_error(exc, "Remembering your choices on close")

    def _check_close(self) -> None:
        """Close once the interview is saved and no background job runs (polled, never waits)."""
        if not self._closing or self.controller.state == ic.CLOSING:
            return
        waited = time.monotonic() - self._close_started
        if not is_idle() and waited < CLOSE_GIVE_UP_S:
            return
        if not is_idle():
            errors.log.warning("closing with background work still running after %.0f s", waited)
        self._close_timer.stop()
        self._close_ready = True
        self.close()
