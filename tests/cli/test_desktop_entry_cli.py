"""``mockinterview install-desktop-entry``: a real menu entry and icon under XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from engine.desktop_entry import install_desktop_entry
from engine.errors import ConfigError
from engine.paths import app_icon_path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, xdg: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(xdg))
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop entries: Linux")
def test_install_writes_a_launchable_entry_and_icon_then_uninstall_removes_them(
    tmp_path: Path,
) -> None:
    xdg = tmp_path / "xdg"
    first = _run("install-desktop-entry", xdg=xdg)
    assert first.returncode == 0, first.stderr
    entry = xdg / "applications" / "mockinterview.desktop"
    icon = xdg / "icons" / "hicolor" / "scalable" / "apps" / "mockinterview.svg"
    assert icon.read_bytes() == app_icon_path().read_bytes()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry, encoding="utf-8")
    fields = parser["Desktop Entry"]
    assert fields["Type"] == "Application"
    assert fields["Icon"] == "mockinterview"
    assert fields["Name"] == "Mock Interview"
    # The Exec line starts this installation's app: the same command with --help must answer.
    command = shlex.split(fields["Exec"])
    assert command[-1] == "gui"
    probe = subprocess.run(
        [*command[:-1], "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 0 and "install-desktop-entry" in probe.stdout

    written = entry.stat().st_mtime_ns
    again = _run("install-desktop-entry", xdg=xdg)
    assert again.returncode == 0
    assert "already up to date" in again.stdout
    assert entry.stat().st_mtime_ns == written

    removed = _run("install-desktop-entry", "--uninstall", xdg=xdg)
    assert removed.returncode == 0
    assert not entry.exists() and not icon.exists()
    assert "nothing to remove" in _run("install-desktop-entry", "--uninstall", xdg=xdg).stdout


def test_other_systems_are_told_how_to_start_the_app(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Linux desktop feature.*macOS and Windows"):
        install_desktop_entry(platform="darwin")
    with pytest.raises(ConfigError, match="Linux desktop feature"):
        install_desktop_entry(platform="win32")
