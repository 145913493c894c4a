"""A menu entry and icon for the app on Linux desktops (freedesktop.org conventions).

``pip``/``pipx`` install a console command but no menu entry; this writes the two files a Linux
desktop looks for under the user's ``$XDG_DATA_HOME``: ``applications/mockinterview.desktop``
and the icon in the ``hicolor`` theme. The entry starts the app with the Python that runs this
code, so it opens the same installation (a pipx venv, a checkout's .venv) the user ran it from.
Writing is idempotent; ``remove_desktop_entry`` takes both files away again. macOS and Windows
have their own launchers (Dock, Start menu) and are refused with a clear message.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ConfigError
from engine.paths import app_icon_path
from engine.store.atomic import atomic_write_bytes

DESKTOP_ID = "mockinterview"  # also the Qt desktop file name, so the window finds its icon


@dataclass(frozen=True)
class EntryResult:
    """What ``install_desktop_entry`` or ``remove_desktop_entry`` did, for the CLI to report."""

    entry: Path
    icon: Path
    changed: bool


def install_desktop_entry(platform: str = sys.platform) -> EntryResult:
    """Write (or refresh) the menu entry and icon; ``changed`` is False when both were current.

    Raises:
        ConfigError: not a Linux (freedesktop) system.
        StorageFullError: the applications or icons folder cannot be written.
    """
    entry, icon = _targets(platform)
    wanted_entry = desktop_entry_text().encode("utf-8")
    wanted_icon = app_icon_path().read_bytes()
    changed = False
    for path, data in ((entry, wanted_entry), (icon, wanted_icon)):
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        changed = True
    return EntryResult(entry, icon, changed)


def remove_desktop_entry(platform: str = sys.platform) -> EntryResult:
    """Delete the menu entry and icon if present; ``changed`` is False when neither existed."""
    entry, icon = _targets(platform)
    changed = False
    for path in (entry, icon):
        if path.exists():
            path.unlink()
            changed = True
    return EntryResult(entry, icon, changed)


def desktop_entry_text() -> str:
    """The ``.desktop`` file: launches this installation's Python on ``-m engine gui``."""
    command = " ".join(_quote_exec_arg(arg) for arg in (sys.executable, "-m", "engine", "gui"))
    # The value is also a desktop-file string: its backslashes are escaped once more, and a
    # literal percent sign is written twice (a single one starts a field code such as %f).
    command = command.replace("\\", "\\\\").replace("%", "%%")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.5\n"
        "Name=Mock Interview\n"
        "GenericName=Interview practice\n"
        "Comment=Rehearse spoken ML product-sense interviews and get a timed rubric report\n"
        f"Exec={command}\n"
        f"Icon={DESKTOP_ID}\n"
        "Terminal=false\n"
        "Categories=Education;Office;\n"
        "Keywords=interview;practice;speech;machine learning;\n"
        f"StartupWMClass={DESKTOP_ID}\n"
    )


def _targets(platform: str) -> tuple[Path, Path]:
    """Where the entry and icon go; only a Linux desktop has this convention."""
    if not platform.startswith("linux"):
        raise ConfigError(
            "desktop entries are a Linux desktop feature; on macOS and Windows start the app "
            "with `mockinterview` (or `mockinterview-gui`) and pin it to the Dock or Start menu"
        )
    # Linux only: the XDG base directory default for per-user data.
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    root = Path(data_home)
    icon_name = f"{DESKTOP_ID}{app_icon_path().suffix}"
    return (
        root / "applications" / f"{DESKTOP_ID}.desktop",
        root / "icons" / "hicolor" / "scalable" / "apps" / icon_name,
    )


def _quote_exec_arg(arg: str) -> str:
    """Quote one ``Exec`` argument as the Desktop Entry spec asks (paths may hold spaces)."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'
