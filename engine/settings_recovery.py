"""What happens to a settings file that cannot be read: kept aside, defaults used, user told.

A settings file damaged by a crash, a disk error or a hand edit must neither stop the app nor be
overwritten by the next save (it may hold choices the user wants back). ``set_aside`` renames it
next to itself as ``<name>.unreadable-<timestamp>``, and records a one-line notice. The notice
goes to the ``engine.settings`` logger (with no logging set up, Python prints warnings on
stderr, so the CLI shows it as one line; the desktop's log handler records it) and stays in
``settings_notices()`` for screens that list problems (the doctor reports it).
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from pathlib import Path

_log = logging.getLogger("engine.settings")
_notices: list[tuple[Path, str]] = []  # (folder of the file, message)
_lock = threading.Lock()


def set_aside(path: Path, reason: str) -> Path | None:
    """Move the unreadable ``path`` aside and say so; returns where it went.

    None when it could not be moved: the defaults are still used and the file stays as it is.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.unreadable-{stamp}")
    try:
        os.replace(path, kept)
    except OSError as exc:
        notice = (
            f"{path}: {reason}; the defaults are used for now, and the file could not be kept "
            f"aside ({exc.strerror or exc}), so saving settings will replace it"
        )
        moved = None
    else:
        notice = f"{path}: {reason}; it was kept as {kept.name} and the defaults are used"
        moved = kept
    with _lock:
        _notices.append((path.parent, notice))
    _log.warning(notice)
    return moved


def settings_notices() -> tuple[str, ...]:
    """The settings files of the current data dir this process set aside, as their messages.

    Scoped to the data dir so that switching profiles (``--data-dir``) does not carry another
    folder's problems along.
    """
    from engine.errors import MockInterviewError
    from engine.paths import data_dir

    try:
        here = data_dir()
    except MockInterviewError:
        return ()
    with _lock:
        return tuple(notice for folder, notice in _notices if folder == here)
