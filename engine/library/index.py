"""The library index (``library.sqlite3``): fast listing, search and progress charts.

The session folders are the truth; this index is a cache of one summary row per folder. It is
kept in step incrementally (each folder's ``session.json`` size and mtime are compared, so only
changed sessions are re-read) and rebuilt from scratch when the file is missing, not a database,
or of an older index schema. WAL mode and a busy timeout let two app instances write at once.
When the data dir cannot even hold the index, listing still works from an in-memory copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine import paths
from engine.errors import MockInterviewError
from engine.library.summary import ProgressPoint, SessionSummary, search_text_of, summarize
from engine.rubric import DIMENSION_IDS
from engine.store.folders import SESSION_FILE
from engine.store.locks import index_rebuild_lock
from engine.store.model import STATUS_IN_PROGRESS, Session

INDEX_SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 15000

_DIM_COLUMNS = [f"score_{d}" for d in DIMENSION_IDS]
_COLUMNS = [
    "folder_name", "id", "created_at", "status", "kind", "title", "question_ids",
    "question_texts", "categories", "answers", "overall", *_DIM_COLUMNS, "wpm", "filler_count",
    "over_limit_s", "duration_s", "word_count", "engine", "problem", "json_mtime_ns",
    "json_size", "search_text",
]  # fmt: skip

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sessions (
    folder_name TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    question_ids TEXT NOT NULL DEFAULT '[]',
    question_texts TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    answers INTEGER NOT NULL DEFAULT 0,
    overall REAL,
    {", ".join(f"{c} REAL" for c in _DIM_COLUMNS)},
    wpm REAL,
    filler_count INTEGER NOT NULL DEFAULT 0,
    over_limit_s REAL NOT NULL DEFAULT 0,
    duration_s REAL NOT NULL DEFAULT 0,
    word_count INTEGER NOT NULL DEFAULT 0,
    engine TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    json_mtime_ns INTEGER,
    json_size INTEGER,
    search_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_created ON sessions(created_at);
"""


def _json_stamp(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder / SESSION_FILE)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _row_from_summary(
    summary: SessionSummary, stamp: tuple[int, int] | None, search_text: str
) -> tuple[Any, ...]:
    dims = [summary.dimension_scores.get(d) for d in DIMENSION_IDS]
    search = " ".join(
        [search_text, summary.kind, summary.status, *summary.question_ids, *summary.categories]
    ).lower()
    return (
        summary.folder.name, summary.id, summary.created_at, summary.status, summary.kind,
        summary.title, json.dumps(summary.question_ids), json.dumps(summary.question_texts),
        json.dumps(summary.categories), summary.answers, summary.overall, *dims, summary.wpm,
        summary.filler_count, summary.over_limit_s, summary.duration_s, summary.word_count,
        summary.engine, summary.problem, None if stamp is None else stamp[0],
        None if stamp is None else stamp[1], search,
    )  # fmt: skip


def _summary_from_row(row: sqlite3.Row, root: Path) -> SessionSummary:
    dims = {d: row[f"score_{d}"] for d in DIMENSION_IDS if row[f"score_{d}"] is not None}
    return SessionSummary(
        id=row["id"],
        folder=root / row["folder_name"],
        created_at=row["created_at"],
        status=row["status"],
        kind=row["kind"],
        title=row["title"],
        question_ids=tuple(json.loads(row["question_ids"])),
        question_texts=tuple(json.loads(row["question_texts"])),
        categories=tuple(json.loads(row["categories"])),
        answers=row["answers"],
        overall=row["overall"],
        dimension_scores=dims,
        wpm=row["wpm"],
        filler_count=row["filler_count"],
        over_limit_s=row["over_limit_s"],
        duration_s=row["duration_s"],
        word_count=row["word_count"],
        engine=row["engine"],
        problem=row["problem"],
    )


def _created_from_folder(folder: Path) -> str:
    """When an unreadable session was made: its folder name's local time, else the folder mtime.

    Kept in the same UTC ISO form as ``created_at`` so corrupt rows sort among the others.
    """
    try:
        local = datetime.strptime(folder.name[:15], "%Y%m%d-%H%M%S").astimezone()
    except ValueError:
        try:
            local = datetime.fromtimestamp(folder.stat().st_mtime).astimezone()
        except OSError:
            return ""
    return local.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _read_folder(folder: Path) -> tuple[SessionSummary, str]:
    """Summarise one folder; a folder that cannot be read becomes a flagged row, not an error."""
    from engine.store.sessions import load_session_folder

    try:
        session = load_session_folder(folder)
    except MockInterviewError as exc:
        created = _created_from_folder(folder)
        return SessionSummary(
            id=folder.name, folder=folder, created_at=created, problem=str(exc)
        ), ""
    try:
        summary = summarize(session, folder)
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        # Parsed but inconsistent (hand-edited?): list it flagged rather than fail the library.
        problem = f"{folder.name}: session.json is inconsistent ({type(exc).__name__}: {exc})"
        return SessionSummary(
            id=session.id,
            folder=folder,
            created_at=session.created_at,
            status=session.status,
            kind=session.kind,
            problem=problem,
        ), ""
    return summary, search_text_of(session, summary)


class LibraryIndex:
    """The SQLite index over the sessions folder; cheap to construct, one connection per use."""

    def __init__(self, index_path: Path | None = None, sessions_root: Path | None = None) -> None:
        self.path = Path(index_path) if index_path else paths.library_index_path()
        self.root = Path(sessions_root) if sessions_root else paths.sessions_dir()
        self._memory: sqlite3.Connection | None = None

    # -- connection ---------------------------------------------------------------------------

    def _connect_file(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _is_usable(self, conn: sqlite3.Connection) -> bool:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != INDEX_SCHEMA_VERSION:
            return False
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sessions'"
        ).fetchone()[0]
        return bool(found)

    def _try_connect(self) -> sqlite3.Connection | None:
        """A connection to a usable index, or None when the file is garbage or another schema.

        ``OperationalError`` (cannot open, read-only, locked) propagates: that is not a broken
        index but a place we cannot write, handled by falling back to memory.
        """
        conn = None
        try:
            conn = self._connect_file()
            if self._is_usable(conn):
                return conn
        except sqlite3.OperationalError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.DatabaseError:
            pass  # "file is not a database", "disk image is malformed"
        if conn is not None:
            conn.close()
        return None

    def _discard_file(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.path) + suffix)

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        conn.execute("DROP TABLE IF EXISTS sessions")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version={INDEX_SCHEMA_VERSION}")

    def _open(self) -> sqlite3.Connection:
        """A usable connection; a missing, garbage or outdated index file is recreated empty."""
        if self._memory is not None:
            return self._memory
        try:
            conn = self._try_connect()
            if conn is not None:
                return conn
            with index_rebuild_lock(self.path):
                # Another instance may have recreated it while we waited for the lock.
                conn = self._try_connect()
                if conn is not None:
                    return conn
                self._discard_file()
                conn = self._connect_file()
                self._create_schema(conn)
                return conn
        except (sqlite3.OperationalError, OSError):
            # The data dir cannot hold an index (read-only, full): list from memory instead.
            return self._use_memory()

    def _use_memory(self) -> sqlite3.Connection:
        self._memory = sqlite3.connect(":memory:", isolation_level=None)
        self._memory.row_factory = sqlite3.Row
        self._create_schema(self._memory)
        return self._memory

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            yield conn
        finally:
            if conn is not self._memory:
                conn.close()

    # -- writing ------------------------------------------------------------------------------

    def _write_rows(
        self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], removed: list[str]
    ) -> None:
        if not rows and not removed:
            return
        marks = ", ".join("?" for _ in _COLUMNS)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                f"INSERT OR REPLACE INTO sessions ({', '.join(_COLUMNS)}) VALUES ({marks})", rows
            )
            conn.executemany("DELETE FROM sessions WHERE folder_name = ?", [(r,) for r in removed])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def record(self, session: Session, folder: Path) -> None:
        """Upsert the row of a session that was just saved (no re-read of the file).

        Sessions saved outside the library's folder (``demo --out DIR``) are not indexed.
        """
        if Path(folder).resolve().parent != self.root.resolve():
            return
        summary = summarize(session, folder)
        row = _row_from_summary(summary, _json_stamp(folder), search_text_of(session, summary))
        with self.connection() as conn:
            self._write_rows(conn, [row], [])

    def sync(self, conn: sqlite3.Connection | None = None) -> int:
        """Bring the index in step with the folders; returns how many rows changed."""
        if conn is None:
            with self.connection() as own:
                return self.sync(own)
        on_disk: dict[str, tuple[int, int] | None] = {}
        with contextlib.suppress(FileNotFoundError), os.scandir(self.root) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith("."):
                    on_disk[entry.name] = _json_stamp(Path(entry.path))
        known = {
            r["folder_name"]: (r["json_mtime_ns"], r["json_size"])
            for r in conn.execute("SELECT folder_name, json_mtime_ns, json_size FROM sessions")
        }
        rows = []
        for name, stamp in on_disk.items():
            old = known.get(name)
            if old is not None and stamp is not None and tuple(old) == stamp:
                continue
            if old is not None and stamp is None and old == (None, None):
                continue
            summary, search = _read_folder(self.root / name)
            rows.append(_row_from_summary(summary, stamp, search))
        removed = [name for name in known if name not in on_disk]
        self._write_rows(conn, rows, removed)
        return len(rows) + len(removed)

    def rebuild(self) -> int:
        """Throw the index away and re-read every folder; returns the number of sessions."""
        with index_rebuild_lock(self.path), self.connection() as conn:
            conn.execute("DELETE FROM sessions")
            self.sync(conn)
            return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]

    # -- reading ------------------------------------------------------------------------------

    def _synced_rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Sync with the folders, then query.

        An index file that turned read-only (or stays locked past the busy timeout) is swapped
        for an in-memory copy, so the library can still be read.
        """
        try:
            with self.connection() as conn:
                self.sync(conn)
                return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            if self._memory is not None:
                raise
            conn = self._use_memory()
        except sqlite3.DatabaseError:
            # Damage found only now (a malformed page): start over from the folders, once.
            with index_rebuild_lock(self.path):
                self._discard_file()
            with self.connection() as conn:
                self.sync(conn)
                return conn.execute(sql, params).fetchall()
        self.sync(conn)
        return conn.execute(sql, params).fetchall()

    def list(self, search: str | None = None) -> list[SessionSummary]:
        """All sessions, newest first; ``search`` keeps those mentioning every word of it."""
        where, params = _search_clause(search)
        rows = self._synced_rows(
            f"SELECT * FROM sessions {where} ORDER BY created_at DESC, folder_name DESC", params
        )
        return [_summary_from_row(r, self.root) for r in rows]

    def in_progress(self) -> list[SessionSummary]:
        """Sessions whose file still says they are being recorded (candidates for recovery)."""
        rows = self._synced_rows(
            "SELECT * FROM sessions WHERE status = ? AND problem = ''", (STATUS_IN_PROGRESS,)
        )
        return [_summary_from_row(r, self.root) for r in rows]

    def progress(self) -> list[ProgressPoint]:
        """Graded sessions oldest first, for the overall / per-dimension / pacing trend charts."""
        rows = self._synced_rows(
            "SELECT * FROM sessions WHERE problem = '' AND overall IS NOT NULL "
            "ORDER BY created_at, folder_name"
        )
        points = []
        for row in rows:
            summary = _summary_from_row(row, self.root)
            points.append(
                ProgressPoint(
                    session_id=summary.id,
                    created_at=summary.created_at,
                    overall=summary.overall,
                    dimension_scores=summary.dimension_scores,
                    wpm=summary.wpm,
                    filler_count=summary.filler_count,
                    over_limit_s=summary.over_limit_s,
                )
            )
        return points


def _search_clause(search: str | None) -> tuple[str, list[str]]:
    terms = (search or "").lower().split()
    if not terms:
        return "", []
    clauses = []
    params = []
    for term in terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("search_text LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    return "WHERE " + " AND ".join(clauses), params
