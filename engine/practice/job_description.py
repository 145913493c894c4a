"""The job description a candidate pasted, kept in the data dir and nowhere else.

It is plain text in ``job_description.txt`` so the user can read or delete it themselves; it is
never sent anywhere (the plan matches it locally).
"""

from __future__ import annotations

from pathlib import Path

from engine import paths
from engine.practice.job_match import MAX_DESCRIPTION_CHARS
from engine.store.atomic import atomic_write_text

FILE_NAME = "job_description.txt"


def job_description_path() -> Path:
    """Where the pasted description lives (the data dir, beside the sessions)."""
    return paths.data_dir() / FILE_NAME


def load_job_description() -> str | None:
    """The saved description, or None when there is none (or it cannot be read)."""
    try:
        text = job_description_path().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return text if text.strip() else None


def save_job_description(text: str | None) -> None:
    """Keep ``text`` (cut to the size the matcher reads); empty or None forgets it.

    Raises:
        OSError: the data dir cannot be written.
    """
    path = job_description_path()
    if not text or not text.strip():
        path.unlink(missing_ok=True)
        return
    atomic_write_text(path, text[:MAX_DESCRIPTION_CHARS])
