"""Settings on disk: the API key goes to the keyring and nowhere else, and a settings file that
is not JSON (or a garbled INI file) is kept aside, named in Setup, and replaced by defaults, so
nothing the user wrote is lost and the app still starts.

The keyring is ``memory_keyring`` (tests/fixtures/memory_keyring.py): a real ``keyring``
backend kept in memory, because CI has no OS keyring and the store path must really run.
Everything else is real: the settings dialog and setup screen offscreen, the engine's settings
file, the desktop's QSettings INI file and the connection test against a closed port.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from desktop import settings as app_settings
from desktop.screens.settings_dialog import SettingsDialog
from desktop.screens.setup_screen import SetupScreen
from engine import paths
from engine.llm.secrets import KEYRING_SERVICE
from tests.desktop.conftest import save_screenshot

SECRET = "sk-test-never-on-disk-123"


def shown_dialog(qtbot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.reload()
    dialog.show()
    qtbot.waitUntil(lambda: dialog.key_status.text() != "", timeout=5000)
    return dialog


def test_the_api_key_goes_to_the_keyring_and_never_into_a_file(
    qtbot, memory_keyring, artifacts_dir: Path
) -> None:
    from desktop.errors import setup_logging

    setup_logging()  # the log file is one of the files that must not hold the key
    dialog = shown_dialog(qtbot)
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("custom"))
    dialog.base_url_edit.setText("http://127.0.0.1:9/v1")
    dialog.model_edit.setText("tiny-test-model")
    dialog.timeout_spin.setValue(3)
    assert dialog.key_edit.isEnabled()
    dialog.key_edit.setText(SECRET)
    dialog.chime_check.setChecked(True)
    dialog.auto_finish_check.setChecked(True)
    dialog.auto_finish_spin.setValue(7)

    # Nothing listens on port 9: the engine's connection error comes back, the UI stays live.
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_test_message != "", timeout=15_000)
    assert dialog.test_result.text().startswith("✗")
    assert SECRET not in dialog.test_result.text()
    save_screenshot(dialog, artifacts_dir, "settings_dialog")

    dialog.save()
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "http://127.0.0.1:9/v1"): SECRET}
    assert dialog.key_edit.text() == ""
    stored = json.loads(paths.settings_path().read_text(encoding="utf-8"))
    assert stored["llm"]["model"] == "tiny-test-model"
    assert stored["llm"]["base_url"] == "http://127.0.0.1:9/v1"
    prefs = app_settings.load_preferences()
    assert prefs.chime is True
    assert prefs.auto_finish_silence_s == 7
    files = [f for f in paths.data_dir().rglob("*") if f.is_file()]
    assert any(f.name == "mockinterview.log" for f in files)
    for file in files:
        assert SECRET.encode() not in file.read_bytes(), file

    reopened = shown_dialog(qtbot)
    assert "stored in the system keyring" in reopened.key_status.text()


NOT_JSON = '{"llm": {"model": "my-model",\n  "timeout_s": 30\n'  # cut off: no closing braces


def test_a_settings_file_that_is_not_json_is_kept_aside_named_and_replaced_by_defaults(
    qtbot,
) -> None:
    path = paths.settings_path()
    path.write_text(NOT_JSON, encoding="utf-8")

    setup = SetupScreen()
    qtbot.addWidget(setup)
    setup.show()
    # The app goes on with defaults, and Setup's checks say what happened to the file.
    qtbot.waitUntil(lambda: "LLM not configured" in setup.llm_label.text(), timeout=10_000)
    qtbot.waitUntil(
        lambda: "settings.json" in setup.doctor_panel.problem_list.text(), timeout=30_000
    )
    assert "kept as settings.json.unreadable-" in setup.doctor_panel.problem_list.text()
    qtbot.waitUntil(lambda: setup.bank_loaded, timeout=10_000)
    assert setup.build_plan() is not None  # the offline interview still works
    [kept] = path.parent.glob("settings.json.unreadable-*")
    assert kept.read_text(encoding="utf-8") == NOT_JSON  # nothing the user wrote is lost

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.reload()
    dialog.show()
    qtbot.waitUntil(lambda: dialog.key_status.text() != "", timeout=5000)
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("custom"))
    dialog.base_url_edit.setText("http://127.0.0.1:9/v1")
    dialog.model_edit.setText("another-model")
    dialog.save()
    assert json.loads(path.read_text(encoding="utf-8"))["llm"]["model"] == "another-model"
    assert kept.read_text(encoding="utf-8") == NOT_JSON


def test_a_garbled_desktop_settings_file_falls_back_to_defaults(qtbot) -> None:
    ini = paths.data_dir() / app_settings.SETTINGS_FILE
    ini.write_bytes(b"\x00\xff[setup\ncount=lots\nfollow_ups=\xfe\n[[[\n")
    choices = app_settings.load_setup_choices()
    assert choices.count == app_settings.SetupChoices().count
    assert choices.follow_ups == app_settings.SetupChoices().follow_ups

    screen = SetupScreen()
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.bank_loaded, timeout=10_000)
    assert screen.build_plan() is not None
