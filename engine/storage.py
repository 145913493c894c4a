"""Telling a full or read-only disk apart from other OS errors, and saying what to do about it.

Every module that writes user data (session files, recordings, imports, settings) meets the same
few errno values when the disk is full or the folder cannot be written. This module, at the
bottom of the engine, names them once, so a full disk reads the same wherever it happens and a
third-party error (libsndfile's bare "System error") never reaches the user instead.
"""

from __future__ import annotations

import errno

from engine.errors import MockInterviewError, SessionError, StorageFullError

# errno values that mean "this place cannot take the data", as opposed to a bug or a bad path.
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}

_ELSEWHERE = "(or pick another data folder with --data-dir / MOCKINTERVIEW_DATA_DIR)"
STORAGE_FIX = f"Free some space or make it writable {_ELSEWHERE}"


def storage_problem(exc: OSError) -> str | None:
    """Describe an OS error as a storage condition the user can fix, or None if it is not one."""
    if exc.errno in _NO_SPACE:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in _NOT_WRITABLE:
        return "the folder is not writable"
    return None


def storage_error(exc: OSError, what: str) -> MockInterviewError:
    """The error to raise (``from exc``) for an OS failure while doing ``what``.

    ``StorageFullError`` with the fix when the disk is full or read-only, else a ``SessionError``
    naming the OS reason; either way one clear line for the CLI and the window.
    """
    problem = storage_problem(exc)
    if problem:
        return StorageFullError(f"{what}: {problem}. {storage_fix(exc)}")
    return SessionError(f"{what}: {exc.strerror or exc}")


def storage_fix(exc: OSError) -> str:
    """What to do about a storage error: free space on a full disk, else get write access."""
    if exc.errno in _NO_SPACE:
        return f"Free some space {_ELSEWHERE}"
    if exc.errno in _NOT_WRITABLE or exc.errno == errno.EROFS:
        return f"Make it writable {_ELSEWHERE}"
    return STORAGE_FIX
