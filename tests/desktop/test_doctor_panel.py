"""The Setup screen's checks panel: real checks in a worker, shown only when something is wrong."""

from __future__ import annotations

import numpy as np
import pytest

from desktop import settings as app_settings
from desktop.screens.setup_screen import SetupScreen
from desktop.widgets.doctor_panel import DoctorPanel
from engine.doctor import FAIL, OK, WARN


def test_missing_devices_show_each_problem_with_its_fix(qtbot, artifacts_dir) -> None:
    panel = DoctorPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked, timeout=60_000) as done:
        panel.run(input_device="no-such-microphone", output_device="no-such-speaker")
    report = done.args[0]
    statuses = {check.id: check.status for check in report.checks}
    assert statuses["microphone"] == FAIL and statuses["audio_output"] == FAIL
    assert statuses["whisper_model"] == OK and statuses["voice"] == OK
    assert not report.ok
    assert not panel.isHidden()
    text = panel.problem_list.text()
    assert "microphone" in text and "plug in a microphone" in text
    assert "audio output" in text and "connect speakers" in text
    assert "speech model" not in text  # only what needs attention is listed
    assert "need fixing" in panel.summary.text()
    assert panel.again_button.isEnabled()
    panel.resize(700, 260)
    panel.show()
    panel.grab().save(str(artifacts_dir / "doctor_panel_problems.png"))


@pytest.mark.mic
def test_panel_stays_hidden_when_everything_works(qtbot, virtual_mic, jfk_path) -> None:
    from engine.speech.audio_io import load_audio

    speech = load_audio(jfk_path)
    virtual_mic.feed(np.concatenate([speech, speech]), wait=False)
    panel = DoctorPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked, timeout=60_000) as done:
        panel.run(input_device=virtual_mic.device)
    virtual_mic.reset()
    assert done.args[0].ok and not done.args[0].problems, done.args[0].problems
    assert panel.isHidden()


def test_setup_screen_runs_the_checks_on_the_chosen_microphone(qtbot) -> None:
    app_settings.save_setup_choices(
        app_settings.SetupChoices(input_device="a-microphone-that-was-unplugged")
    )
    screen = SetupScreen()
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.doctor_panel.checked, timeout=60_000) as done:
        screen.show()
    mic = next(check for check in done.args[0].checks if check.id == "microphone")
    assert mic.status == FAIL
    assert "a-microphone-that-was-unplugged" in mic.detail
    assert screen.doctor_panel.isVisible()
    assert "plug in a microphone" in screen.doctor_panel.problem_list.text()


def test_an_unreadable_desktop_settings_file_is_kept_aside_and_reported(
    qtbot, isolated_data_dir
) -> None:
    ini = isolated_data_dir / app_settings.SETTINGS_FILE
    ini.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 not an ini file at all \xff\xfe")
    assert app_settings.load_setup_choices() == app_settings.SetupChoices()
    [kept] = isolated_data_dir.glob(f"{app_settings.SETTINGS_FILE}.unreadable-*")
    assert kept.read_bytes().startswith(b"\x89PNG")
    app_settings.save_setup_choices(app_settings.SetupChoices(count=4))
    assert app_settings.load_setup_choices().count == 4
    assert kept.read_bytes().startswith(b"\x89PNG")  # the next save did not destroy it

    panel = DoctorPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked, timeout=60_000) as done:
        panel.run(input_device="no-such-microphone", output_device="no-such-speaker")
    settings = [check for check in done.args[0].checks if check.id == "settings"]
    assert settings and settings[-1].status == WARN and kept.name in settings[-1].detail
    assert kept.name in panel.problem_list.text()
