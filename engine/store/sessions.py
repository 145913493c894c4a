"""One session on disk: create, save, load, and where each turn's audio goes.

One folder per session under ``paths.sessions_dir()``, named ``<YYYYmmdd-HHMMSS>-<slug>``; the
folder name is the session id users type on the command line. ``session.json`` is replaced
atomically on every save. The library index (``engine.library``) is a cache above the store: it
notices a changed ``session.json`` by its stamp on the next listing, so a save never waits on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from engine import paths
from engine.errors import SessionError, StorageFullError
from engine.store.atomic import atomic_write_text, save_emergency_copy, storage_problem
from engine.store.folders import AUDIO_DIR, SESSION_FILE
from engine.store.locks import acquire_session_lock, release_session_lock
from engine.store.migrations import migrate, schema_version_of
from engine.store.model import SCHEMA_VERSION, STATUS_IN_PROGRESS, Session

__all__ = [
    "AUDIO_DIR",
    "create_session",
    "load_session",
    "load_session_folder",
    "resolve_session_folder",
    "save_session",
    "turn_audio_path",
]

_SLUG_MAX = 40


def slugify(text: str) -> str:
    """A short ASCII folder-name part from a title ("Feed: engagement!" -> "feed-engagement")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_SLUG_MAX].rstrip("-") or "session"


def _claim_folder(root: Path, base: str) -> Path:
    """Create a fresh folder ``base`` (or base-2, base-3...); two instances never share one."""
    for attempt in range(1, 1000):
        name = base if attempt == 1 else f"{base}-{attempt}"
        folder = root / name
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            _raise_storage(exc, f"cannot create a session folder in {root}")
        return folder
    raise SessionError(f"cannot create a session folder in {root}: too many sessions named {base}")


def _raise_storage(exc: OSError, what: str) -> None:
    problem = storage_problem(exc)
    if problem:
        raise StorageFullError(
            f"{what}: {problem}. Free some space or make it writable "
            "(or pick another data folder with --data-dir / MOCKINTERVIEW_DATA_DIR)"
        ) from exc
    raise SessionError(f"{what}: {exc.strerror or exc}") from exc


def create_session(
    kind: str = "interview", settings: dict[str, Any] | None = None, title: str = ""
) -> Session:
    """Start a session: claim its folder, create ``audio/``, write ``session.json``, take the lock.

    The title (if any) is kept in ``settings["title"]`` and shapes the folder name.

    Raises:
        StorageFullError: the data dir cannot take a new folder.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = _claim_folder(paths.sessions_dir(), f"{stamp}-{slugify(title or kind)}")
    try:
        (folder / AUDIO_DIR).mkdir()
    except OSError as exc:
        _raise_storage(exc, f"cannot create {folder / AUDIO_DIR}")
    merged = dict(settings or {})
    if title:
        merged["title"] = title
    session = Session(id=folder.name, kind=kind, settings=merged, folder=folder)
    acquire_session_lock(folder)
    try:
        save_session(session)
    except SessionError:
        # Nothing was recorded yet: leave no empty folder behind for the library to list.
        release_session_lock(folder)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return session


def session_folder(session: Session) -> Path:
    """The folder of ``session``, assigning the default one when it was built in memory."""
    if session.folder is None:
        session.folder = paths.sessions_dir() / session.id
    return Path(session.folder)


def turn_audio_path(session: Session, turn_index: int) -> Path:
    """Where turn ``turn_index``'s recording lives: ``<folder>/audio/turn-NN.wav``."""
    return session_folder(session) / AUDIO_DIR / f"turn-{turn_index:02d}.wav"


def _emergency_copy(session: Session, text: str) -> Path:
    return save_emergency_copy(session.id, {SESSION_FILE: text.encode("utf-8")})


def save_session(session: Session) -> Path:
    """Write ``session.json`` atomically.

    A finished session (status other than in_progress) drops this process's ownership lock, so
    it will not be mistaken for a crashed recording.

    Returns:
        The path of ``session.json``.

    Raises:
        StorageFullError: the disk is full or read-only. The session object is untouched and an
            emergency copy of ``session.json`` was written to the temp dir; the message says where.
        SessionError: another failure to write.
    """
    folder = session_folder(session)
    text = json.dumps(session.to_dict(), indent=2, ensure_ascii=False)
    target = folder / SESSION_FILE
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
        atomic_write_text(target, text)
    except (StorageFullError, OSError) as exc:
        if isinstance(exc, OSError) and storage_problem(exc) is None:
            raise SessionError(f"cannot save {target}: {exc.strerror or exc}") from exc
        try:
            rescue = _emergency_copy(session, text)
        except StorageFullError as rescue_exc:
            raise StorageFullError(f"{exc} — and {rescue_exc}") from exc
        if isinstance(exc, StorageFullError):
            reason = str(exc)
        else:
            reason = f"cannot save {target}: {storage_problem(exc)}"
        raise StorageFullError(
            f"{reason}. Nothing was lost: the session is still open, and a copy of it was "
            f"saved to {rescue / SESSION_FILE}"
        ) from exc
    if session.status != STATUS_IN_PROGRESS:
        release_session_lock(folder)
    return target


def resolve_session_folder(ref: str | Path) -> Path:
    """Find a session folder from an id (or unique id prefix), a folder path or a session.json path.

    A bare name is looked up in the library first (so ``report design`` never picks up an
    unrelated ``./design`` folder); anything that looks like a path is taken as one.

    Raises:
        SessionError: nothing matches, or a prefix matches several sessions.
    """
    text = str(ref).strip()
    if not text:
        raise SessionError("no session given: use an id from `mockinterview sessions list`")
    path = Path(text).expanduser()
    looks_like_path = isinstance(ref, Path) or os.sep in text or "/" in text or text[0] in ".~"
    if looks_like_path or path.name == SESSION_FILE:
        if path.name == SESSION_FILE and path.is_file():
            return path.parent
        if path.is_dir():
            return path
        raise SessionError(f"no session folder at {path}")
    root = paths.sessions_dir()
    if (root / text).is_dir():
        return root / text
    if (path / SESSION_FILE).is_file():
        return path
    matches = sorted(p for p in root.iterdir() if p.name.startswith(text) and p.is_dir())
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches[:5])
        raise SessionError(f"{text!r} matches several sessions ({names}); give more of the id")
    raise SessionError(
        f"no session {text!r}: give an id shown by `mockinterview sessions list` or a folder"
    )


def _keep_original(folder: Path, raw: str, version: int) -> None:
    """Keep the pre-upgrade file once, so the next save (in the new format) loses nothing.

    Best effort: a read-only folder simply keeps its original ``session.json`` untouched.
    """
    backup = folder / f"{SESSION_FILE}.v{version}.bak"
    if not backup.exists():
        with contextlib.suppress(OSError, SessionError):
            atomic_write_text(backup, raw)


def load_session_folder(folder: Path) -> Session:
    """Read, migrate and parse ``folder/session.json``.

    Raises:
        SessionError: the file is missing, not JSON, of a newer format, or missing fields.
    """
    target = folder / SESSION_FILE
    try:
        raw = target.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SessionError(f"{folder.name}: no {SESSION_FILE} in {folder}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionError(f"{folder.name}: cannot read {SESSION_FILE} ({exc})") from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SessionError(
            f"{folder.name}: {SESSION_FILE} is corrupt (not valid JSON: {exc})"
        ) from exc
    if not isinstance(data, dict):
        raise SessionError(f"{folder.name}: {SESSION_FILE} is corrupt (not a JSON object)")
    version = schema_version_of(data)
    data = migrate(data, source=f"{folder.name}/{SESSION_FILE}")
    if version < SCHEMA_VERSION:
        _keep_original(folder, raw, version)
    try:
        session = Session.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SessionError(
            f"{folder.name}: {SESSION_FILE} is corrupt (bad or missing field: {exc})"
        ) from exc
    session.folder = folder
    return session


def load_session(ref: str | Path) -> Session:
    """Load a session by id (as `sessions list` shows it) or by folder path.

    Raises:
        SessionError: not found, or corrupt (the message says which and why).
    """
    return load_session_folder(resolve_session_folder(ref))
