"""Shared fixtures: isolated data dir and environment, paths to real speech, plugin fixtures.

Every test runs against its own empty data dir (``MOCKINTERVIEW_DATA_DIR``) and with the Hugging
Face hub offline, so nothing a test does can touch a user's sessions or reach the network.
"""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path
from typing import IO

import pytest

# Set before anything imports Qt or faster-whisper.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.pop("OPENAI_API_KEY", None)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
TEST_DATA_DIR = Path(__file__).resolve().parent / "data"
ARTIFACTS_DIR = REPO_ROOT / "artifacts"

JFK_REFERENCE = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)

CRASH_LOG = ARTIFACTS_DIR / "crash.log"
"""Where a fatal crash's dump of every thread goes; ``make test`` prints it when pytest dies."""

_crash_log: IO[str] | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Send a fatal crash's thread dump (abort, segfault) to ``artifacts/crash.log``.

    On stderr a crash at the end of a long run leaves only the bottom of one stack in view (a CI
    log keeps its tail); ``make test`` prints this file, most useful frames kept, when pytest
    dies. The file is emptied at every start, so a stale dump is never shown.
    """
    global _crash_log
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    _crash_log = CRASH_LOG.open("w", encoding="utf-8")
    faulthandler.enable(file=_crash_log, all_threads=True)


LAST_TEST = ARTIFACTS_DIR / "last-test.txt"
"""The test running now (or last run): what ``make test`` names when pytest dies mid-test."""


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    LAST_TEST.write_text(nodeid + "\n", encoding="utf-8")


pytest_plugins = [
    "tests.fixtures.virtual_mic",
    "tests.fixtures.llm_server",
    "tests.fixtures.memory_keyring",
    "tests.fixtures.tiny_disk",
]


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir per test; also hides any LLM configuration of the machine."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(data))
    for var in ("MOCKINTERVIEW_LLM_BASE_URL", "MOCKINTERVIEW_LLM_MODEL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return data


@pytest.fixture(scope="session")
def jfk_path() -> Path:
    """Eleven seconds of real human speech (the reference text is ``JFK_REFERENCE``)."""
    path = SHARED_DIR / "data" / "jfk.flac"
    if not path.exists():
        pytest.fail(f"real speech sample missing: {path} (CI always has ../shared)")
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots and other outputs a person looks at after a test run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
