"""Who owns a session right now, and a cross-process lock for whole-index rebuilds.

A session being recorded carries a ``.owner.lock`` file with the owning process id and that
process's start time. On the next start, ``recover_interrupted`` reads it: if the process is gone
(or the pid was reused by another program, seen from its different start time) the session was
killed mid-answer; if it is alive, another app instance is still recording and must be left
alone. Ordinary index writes need no lock of ours (SQLite's WAL + busy timeout serialise them);
only a full rebuild takes ``index_rebuild_lock`` so two instances do not rebuild at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".owner.lock"


def _process_start_ticks(pid: int) -> str | None:
    """Start time of ``pid`` in clock ticks since boot (Linux); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None  # /proc/<pid>/stat is Linux's; elsewhere the pid alone decides
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses; fields resume after the last ")".
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _windows_pid_alive(pid: int) -> bool:
    """Windows has no signal 0 (``os.kill(pid, 0)`` would send Ctrl-C), so ask the kernel."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (a permission error still means it exists)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class LockOwner:
    """What a lock file says about its owner."""

    pid: int
    host: str
    start_ticks: str | None

    def is_alive(self) -> bool:
        """Whether the owner still runs; a lock from another host counts as alive (cannot tell)."""
        if self.host and self.host != socket.gethostname():
            return True
        if not pid_alive(self.pid):
            return False
        if self.start_ticks is not None:
            current = _process_start_ticks(self.pid)
            if current is not None and current != self.start_ticks:
                return False  # the pid now belongs to a different process
        return True


def lock_path(folder: str | Path) -> Path:
    """The lock file of a session folder (hidden, so listings of audio/ never show it)."""
    return Path(folder) / LOCK_NAME


def acquire_session_lock(folder: str | Path) -> Path:
    """Mark ``folder`` as owned by this process (overwrites a stale lock).

    Best effort: a lock that cannot be written only weakens crash detection, it never stops a
    recording, so OS errors are swallowed here on purpose and the save path reports disk trouble.
    """
    path = lock_path(folder)
    pid = os.getpid()
    owner = {"pid": pid, "host": socket.gethostname(), "start_ticks": _process_start_ticks(pid)}
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(owner), encoding="utf-8")
    return path


def release_session_lock(folder: str | Path) -> None:
    """Drop this process's lock on ``folder``; another process's lock is left in place."""
    owner = read_lock(folder)
    if owner is not None and owner.pid != os.getpid():
        return
    with contextlib.suppress(OSError):
        lock_path(folder).unlink()


def clear_stale_lock(folder: str | Path) -> None:
    """Remove a lock whose owner is gone (after recovery), so the folder looks clean again."""
    owner = read_lock(folder)
    if owner is not None and owner.is_alive():
        return
    with contextlib.suppress(OSError):
        lock_path(folder).unlink()


def read_lock(folder: str | Path) -> LockOwner | None:
    """The lock owner of ``folder``; None when there is no lock or it is unreadable garbage."""
    try:
        data = json.loads(lock_path(folder).read_text(encoding="utf-8"))
        return LockOwner(
            pid=int(data["pid"]),
            host=str(data.get("host") or ""),
            start_ticks=None if data.get("start_ticks") is None else str(data["start_ticks"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def has_live_owner(folder: str | Path) -> bool:
    """True when another live process (or this one) is recording into ``folder``."""
    owner = read_lock(folder)
    return owner is not None and owner.is_alive()


@contextlib.contextmanager
def index_rebuild_lock(index_path: str | Path) -> Iterator[None]:
    """Hold an exclusive OS lock next to the index while it is rebuilt from the folders.

    Uses ``fcntl.flock`` where available; on platforms without it the rebuild runs unguarded,
    which is still safe (SQLite serialises writes) but may do the work twice.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = Path(str(index_path) + ".lock")
    try:
        handle = open(path, "a+")  # noqa: SIM115 - kept open for the lock's lifetime
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
