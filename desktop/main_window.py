"""The main window: one stack of screens, a menu and toolbar, a status bar and one banner.

Setup and Interview are built with the window (they are what a user sees first); Report,
Library and Replay are built the first time they are needed, so the window appears quickly
without importing the report engine and the charts up front.

Every error a screen or controller reports reaches the user through ``notify``: a non-modal
banner at the top of the window, never a dialog that blocks the interview.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import settings as app_settings
from desktop.controllers import interview_controller as ic
from desktop.controllers.speech_model import SpeechModelLoader
from desktop.screens.interview_screen import InterviewScreen
from desktop.screens.setup_screen import SetupScreen
from desktop.widgets.banner import Banner
from desktop.widgets.countdown import Countdown
from desktop.widgets.live_transcript import LiveTranscript
from desktop.workers import run_in_background, wait_for_all

WINDOW_TITLE = "Mock Interview"


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
    from engine.store.sessions import recover_interrupted

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
        self.settings_dialog: QWidget | None = None

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

        self.setup_screen = SetupScreen()
        self.interview_screen = InterviewScreen(self.controller)
        self._add_screen("setup", self.setup_screen)
        self._add_screen("interview", self.interview_screen)
        self.setup_screen.start_requested.connect(self.start_interview)
        self.setup_screen.model_changed.connect(self.model_loader.ensure_loaded)
        self.setup_screen.error.connect(lambda message: self.notify(message, "warning"))
        self.interview_screen.error.connect(lambda message: self.notify(message, "error"))
        self.controller.finished.connect(self._on_interview_finished)
        self.controller.state_changed.connect(self._on_interview_state)

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
        try:
            from desktop.screens.replay_screen import ReplayScreen
        except ImportError:
            page = QLabel("Replay is not available in this build.")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return page
        replay = ReplayScreen()
        replay.back_requested.connect(lambda: self.show_screen("report"))
        if hasattr(replay, "error"):
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
        run_in_background(_preimport_screens, on_failed=lambda exc: None)
        self.show_screen("interview")
        self.interview_screen.begin(plan)

    def retry_question(self, session: Any, number: int) -> None:
        """Answer question ``number`` of ``session`` again; its report compares the two."""
        from engine.store.regrade import question_from_record

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
            on_failed=lambda exc: self.notify(str(exc), "error"),
        )

    def show_report(self, session: Any) -> None:
        """Show the report of ``session`` (already in memory)."""
        report = self.screen("report")
        report.show_session(session)  # type: ignore[attr-defined]
        self.show_screen("report")

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
            on_failed=lambda exc: self.notify(str(exc), "error"),
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
        self.model_loader.ensure_loaded(app_settings.load_setup_choices().whisper_model)
        run_in_background(
            _recover, on_finished=self._on_recovered, on_failed=self._on_recover_failed
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
        self.notify(f"Could not check for interrupted sessions: {exc}", "warning")
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
        """Stop audio and workers, remember the choices and the window size."""
        self.controller.shutdown()
        self.setup_screen.stop_mic_test()
        try:
            self.setup_screen.save_choices()
            app_settings.save_window_geometry(self.saveGeometry())
        except Exception:  # noqa: BLE001 - never keep a window open because a setting failed
            pass
        wait_for_all(5000)
        super().closeEvent(event)
