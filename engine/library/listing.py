"""The library as the screens and the command line list it, newest first."""

from __future__ import annotations

from engine.library.index import LibraryIndex
from engine.library.summary import ProgressPoint, SessionSummary


def list_sessions(search: str | None = None) -> list[SessionSummary]:
    """The library, newest first, with corrupt folders flagged (``summary.problem``)."""
    return LibraryIndex().list(search)


def progress_points() -> list[ProgressPoint]:
    """Graded sessions oldest first, for the overall / per-dimension / pacing trend charts."""
    return LibraryIndex().progress()
