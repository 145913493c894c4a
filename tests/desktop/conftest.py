"""Fixtures for the desktop tests: a real main window (offscreen Qt), a preloaded Whisper model,
and a helper that saves screenshots under ``artifacts/`` for a person to look at.

Settings are isolated for free: ``desktop.settings`` keeps its INI file in the data dir, which the
autouse ``isolated_data_dir`` fixture of tests/conftest.py points at a fresh temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.workers import wait_for_all


@pytest.fixture(scope="session")
def whisper_ready() -> str:
    """Load the bundled tiny.en once per test session (the app would load it after show)."""
    from engine.speech.transcriber import get_transcriber

    transcriber = get_transcriber(None)
    transcriber.load()
    return transcriber.model_name


@pytest.fixture
def main_window(qtbot) -> Iterator:
    """The real main window, shown and active, closed (audio and workers stopped) afterwards."""
    from desktop.main_window import MainWindow

    window = MainWindow()

    def close_and_wait(widget) -> None:
        # Closing saves a running interview on its own thread first (the window stays up,
        # "Finishing…") and must get there without hanging; background jobs deliver their
        # results to a window that still exists.
        widget.close()
        qtbot.waitUntil(widget.isHidden, timeout=60_000)

    qtbot.addWidget(window, before_close_func=close_and_wait)
    window.resize(1120, 760)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    yield window  # pytest-qt closes it (close_and_wait) and deletes it after the test
    assert wait_for_all(15_000), "background workers still running after the window closed"


@pytest.fixture(autouse=True)
def _no_dangling_workers() -> Iterator[None]:
    """Every test leaves the thread pool idle, so one test's worker cannot hit the next one."""
    yield
    assert wait_for_all(15_000), "background workers still running at the end of the test"


def save_screenshot(widget, artifacts_dir: Path, name: str) -> Path:
    """Grab ``widget`` into artifacts/<name>.png and check the image is not empty."""
    path = artifacts_dir / f"{name}.png"
    image = widget.grab()
    assert not image.isNull()
    assert image.save(str(path)), f"could not write {path}"
    return path
