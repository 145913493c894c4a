"""Crash-safe file writes, and a rescue copy when the data dir refuses to be written.

A session file is replaced in one step (temp file in the same folder, fsync, ``os.replace``),
so a kill or power cut leaves either the old or the new file, never half of one. When the disk
is full or read-only the caller gets a ``StorageFullError`` that says what to do; nothing in
memory is touched, and ``save_emergency_copy`` puts the bytes somewhere writable so a recording's
transcript and grades are never dropped silently.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from engine.errors import SessionError, StorageFullError
from engine.storage import storage_problem

RESCUE_DIR_NAME = "mockinterview-rescue"


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; best effort, as not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` in one step.

    Raises:
        StorageFullError: the disk is full, read-only or the folder is not writable.
        SessionError: any other OS failure (the message names the file).
    """
    path = Path(path)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        problem = storage_problem(exc)
        if problem:
            raise StorageFullError(
                f"cannot save {path}: {problem}. Free some space or make the folder writable "
                "(or pick another data folder with --data-dir / MOCKINTERVIEW_DATA_DIR), "
                "then save again"
            ) from exc
        raise SessionError(f"cannot save {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """UTF-8 text version of ``atomic_write_bytes``."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def rescue_root() -> Path:
    """Where emergency copies go: the system temp dir, writable when the data dir is not."""
    return Path(tempfile.gettempdir()) / RESCUE_DIR_NAME


def save_emergency_copy(folder_name: str, files: dict[str, bytes]) -> Path:
    """Write ``files`` (relative name -> bytes) into a fresh rescue folder and return it.

    Used when the data dir refused a save, so the session is never only in memory. Each session
    has one rescue folder; a later failed save replaces its files with the newer state (always
    a superset of the earlier one, as sessions only grow), atomically like any save.

    Raises:
        StorageFullError: even the temp dir cannot be written (the message says so).
    """
    try:
        root = rescue_root()
        root.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in folder_name)[:80]
        target = root / (safe or "session")
        target.mkdir(exist_ok=True)
        for name, data in files.items():
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(dest, data)
    except (OSError, SessionError) as exc:
        raise StorageFullError(
            f"cannot write an emergency copy to {rescue_root()} either ({exc}); "
            "keep the app open and free some disk space"
        ) from exc
    return target
