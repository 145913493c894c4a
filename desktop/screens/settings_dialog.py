"""The settings dialog: the LLM endpoint and key, audio devices, and answer options.

The LLM endpoint is stored by ``engine.llm.settings`` (shared with the CLI), the key only in the
OS keyring through ``engine.llm.secrets`` (never in QSettings or any file), and the desktop's own
preferences in ``desktop.settings``. "Test connection" runs in a worker and shows the engine's
one-line result, so a slow or dead server never freezes the window.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop import settings as app_settings
from desktop.errors import register_secret, user_message
from desktop.widgets.banner import Banner
from desktop.workers import run_in_background


def _list_devices() -> tuple[list[str], list[str]]:
    """Input and output device names (worker thread; PortAudio is imported only here)."""
    from engine.speech.recorder import list_input_devices

    inputs = [d.name for d in list_input_devices()]
    outputs: list[str] = []
    try:
        import sounddevice as sd

        outputs = [
            str(d["name"]) for d in sd.query_devices() if int(d.get("max_output_channels", 0)) > 0
        ]
    except Exception as exc:  # noqa: BLE001 - no PortAudio/devices: the default entry remains
        logging.getLogger("mockinterview.settings").info("no output devices listed: %s", exc)
        outputs = []
    return inputs, outputs


def _load_llm_state() -> tuple[Any, bool, tuple[bool, str]]:
    from engine.llm.secrets import has_stored_key, keyring_available
    from engine.llm.settings import load_llm_settings

    llm = load_llm_settings()
    return llm, has_stored_key(llm), keyring_available()


def _test_connection(llm: Any, key: str) -> str:
    from engine.llm.client import LLMClient, test_connection
    from engine.llm.secrets import ApiKey

    if key:
        # Test the key typed in the field before it is stored.
        client = LLMClient(llm, ApiKey(key, "typed"))
        import time

        started = time.monotonic()
        client.chat(
            [{"role": "user", "content": "Reply with the single word: ready"}], max_tokens=8
        )
        elapsed = time.monotonic() - started
        return f"Connected to {llm.base_url}: model {llm.model!r} answered in {elapsed:.1f} s"
    return test_connection(llm)


class SettingsDialog(QDialog):
    """Non-blocking settings window (shown with ``show``, not ``exec``).

    Signals:
        saved(): the settings were stored.
    """

    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setModal(False)
        self._llm: Any = None
        self._has_key = False
        self.last_test_message = ""
        self._build()

    def _build(self) -> None:
        from engine.llm.settings import PROVIDERS

        self.banner = Banner()
        llm_box = QGroupBox("LLM interviewer engine")
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("LLM provider")
        for provider in PROVIDERS:
            self.provider_combo.addItem(provider.label, provider.id)
        self.provider_combo.activated.connect(self._on_provider_chosen)
        self.base_url_edit = QLineEdit()
        self.base_url_edit.setPlaceholderText("http://localhost:11434/v1")
        self.base_url_edit.setAccessibleName("LLM base URL")
        self.model_edit = QLineEdit()
        self.model_edit.setAccessibleName("LLM model name")
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(1.0, 600.0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setDecimals(0)
        self.timeout_spin.setAccessibleName("LLM request timeout in seconds")
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setPlaceholderText("Paste a key to store it in the system keyring")
        self.key_status = QLabel("")
        self.key_status.setWordWrap(True)
        self.key_status.setAccessibleName("API key status")
        self.remove_key_button = QPushButton("Remove stored key")
        self.remove_key_button.setAccessibleName("Remove the stored API key")
        self.remove_key_button.clicked.connect(self._remove_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.remove_key_button)
        self.test_button = QPushButton("Test connection")
        self.test_button.setAccessibleName("Test the LLM connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel("")
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Connection test result")
        note = QLabel(
            "Only transcript text is sent to the LLM; audio never leaves this computer. "
            "The key is kept in the system keyring, never in a settings file."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        form = QFormLayout(llm_box)
        form.addRow("Provider:", self.provider_combo)
        form.addRow("Base URL:", self.base_url_edit)
        form.addRow("Model:", self.model_edit)
        form.addRow("Timeout:", self.timeout_spin)
        form.addRow("API key:", key_row)
        form.addRow("", self.key_status)
        form.addRow(self.test_button, self.test_result)
        form.addRow(note)

        audio_box = QGroupBox("Audio and answers")
        self.input_combo = QComboBox()
        self.input_combo.setAccessibleName("Microphone")
        self.output_combo = QComboBox()
        self.output_combo.setAccessibleName("Speaker for the interviewer's voice")
        self.auto_finish_check = QCheckBox("Finish my answer after")
        self.auto_finish_check.setAccessibleName("Finish the answer automatically on silence")
        self.auto_finish_spin = QSpinBox()
        self.auto_finish_spin.setRange(2, 60)
        self.auto_finish_spin.setSuffix(" s of silence")
        self.auto_finish_spin.setAccessibleName("Seconds of silence before finishing")
        self.auto_finish_check.toggled.connect(self.auto_finish_spin.setEnabled)
        silence_row = QHBoxLayout()
        silence_row.addWidget(self.auto_finish_check)
        silence_row.addWidget(self.auto_finish_spin)
        silence_row.addStretch(1)
        self.chime_check = QCheckBox("Play a soft chime at 75 % of the time limit and at the limit")
        self.chime_check.setAccessibleName("Pacing chime")
        audio_form = QFormLayout(audio_box)
        audio_form.addRow("Microphone:", self.input_combo)
        audio_form.addRow("Speaker:", self.output_combo)
        audio_form.addRow("Silence:", silence_row)
        audio_form.addRow("", self.chime_check)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(llm_box)
        layout.addWidget(audio_box)
        layout.addWidget(buttons)
        self.resize(620, 560)

    # -- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Fill the fields from the stored settings (LLM and devices read in the background)."""
        self.banner.clear()
        self.key_edit.clear()
        self.test_result.setText("")
        prefs = app_settings.load_preferences()
        self.auto_finish_check.setChecked(prefs.auto_finish_silence_s > 0)
        self.auto_finish_spin.setValue(prefs.auto_finish_silence_s or 5)
        self.auto_finish_spin.setEnabled(prefs.auto_finish_silence_s > 0)
        self.chime_check.setChecked(prefs.chime)
        self._fill_devices([], [])
        run_in_background(_load_llm_state, on_finished=self._on_llm_state, on_failed=self._on_error)
        run_in_background(
            _list_devices, on_finished=self._on_devices, error_context="Listing audio devices"
        )

    def _on_llm_state(self, state: tuple[Any, bool, tuple[bool, str]]) -> None:
        llm, has_key, (keyring_ok, keyring_problem) = state
        self._llm = llm
        self._has_key = has_key
        index = self.provider_combo.findData(llm.provider)
        self.provider_combo.setCurrentIndex(max(0, index))
        self.base_url_edit.setText(llm.base_url)
        self.model_edit.setText(llm.model)
        self.timeout_spin.setValue(llm.timeout_s)
        self._show_key_status(has_key, keyring_ok, keyring_problem)

    def _show_key_status(self, has_key: bool, keyring_ok: bool, problem: str) -> None:
        if not keyring_ok:
            self.key_status.setText(f"{problem}. You can set OPENAI_API_KEY instead.")
            self.key_edit.setEnabled(False)
        elif has_key:
            self.key_status.setText("A key is stored in the system keyring.")
            self.key_edit.setEnabled(True)
        else:
            self.key_status.setText("No key stored (local servers need none).")
            self.key_edit.setEnabled(True)
        self.remove_key_button.setEnabled(has_key)

    def _on_devices(self, devices: tuple[list[str], list[str]]) -> None:
        self._fill_devices(*devices)

    def _fill_devices(self, inputs: list[str], outputs: list[str]) -> None:
        choices = app_settings.load_setup_choices()
        prefs = app_settings.load_preferences()
        for combo, names, wanted, default in (
            (self.input_combo, inputs, choices.input_device, "System default microphone"),
            (self.output_combo, outputs, prefs.output_device, "System default speaker"),
        ):
            combo.clear()
            combo.addItem(default, "")
            for name in names:
                combo.addItem(name, name)
            if wanted and combo.findData(wanted) < 0:
                combo.addItem(f"{wanted} (not connected)", wanted)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))

    # -- actions ----------------------------------------------------------------------------------
    def _on_provider_chosen(self, index: int) -> None:
        from engine.llm.settings import PROVIDER_BY_ID

        preset = PROVIDER_BY_ID.get(str(self.provider_combo.itemData(index)))
        if preset is None:
            return
        if preset.base_url:
            self.base_url_edit.setText(preset.base_url)
        self.model_edit.setPlaceholderText(preset.example_model)

    def current_llm_settings(self) -> Any:
        """The LLM settings as typed (validated by the engine)."""
        from engine.llm.settings import LLMSettings

        base = self._llm or LLMSettings()
        data = base.to_dict()
        data.update(
            provider=str(self.provider_combo.currentData()),
            base_url=self.base_url_edit.text().strip(),
            model=self.model_edit.text().strip(),
            timeout_s=float(self.timeout_spin.value()),
        )
        return LLMSettings.from_dict(data)

    def test_connection(self) -> None:
        """Try the endpoint as typed (in the background) and show the engine's answer."""
        from engine.errors import MockInterviewError

        try:
            llm = self.current_llm_settings()
        except MockInterviewError as exc:
            self._show_test_result(str(exc), ok=False)
            return
        if not llm.is_complete:
            self._show_test_result(f"Fill in the {' and '.join(llm.missing_fields)} first.", False)
            return
        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")
        register_secret(self.key_edit.text())
        run_in_background(
            _test_connection,
            llm,
            self.key_edit.text().strip(),
            on_finished=lambda message: self._show_test_result(str(message), ok=True),
            on_failed=lambda exc: self._show_test_result(user_message(exc), ok=False),
            error_context="Testing the LLM connection",
        )

    def _show_test_result(self, message: str, ok: bool) -> None:
        self.test_button.setEnabled(True)
        self.last_test_message = message
        self.test_result.setText(("✓ " if ok else "✗ ") + message)
        self.test_result.setAccessibleDescription(message)

    def _remove_key(self) -> None:
        from engine.errors import MockInterviewError
        from engine.llm.secrets import delete_api_key

        try:
            delete_api_key(self.current_llm_settings())
        except MockInterviewError as exc:
            self.banner.show_message(str(exc), "error")
            return
        self._show_key_status(False, True, "")

    def save(self) -> None:
        """Store everything; a problem is shown in the dialog's banner and nothing closes."""
        from engine.errors import MockInterviewError
        from engine.llm.secrets import set_api_key
        from engine.llm.settings import save_llm_settings

        try:
            llm = self.current_llm_settings()
            save_llm_settings(llm)
            key = self.key_edit.text().strip()
            if key:
                register_secret(key)
                set_api_key(llm, key)
                self.key_edit.clear()
        except MockInterviewError as exc:
            self.banner.show_message(str(exc), "error")
            return
        prefs = app_settings.Preferences(
            output_device=str(self.output_combo.currentData() or ""),
            auto_finish_silence_s=self.auto_finish_spin.value()
            if self.auto_finish_check.isChecked()
            else 0,
            chime=self.chime_check.isChecked(),
        )
        app_settings.save_preferences(prefs)
        choices = app_settings.load_setup_choices()
        choices.input_device = str(self.input_combo.currentData() or "")
        app_settings.save_setup_choices(choices)
        self._llm = llm
        self.saved.emit()
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.banner.show_message(user_message(exc), "error")
