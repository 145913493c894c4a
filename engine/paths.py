"""Where mockinterview keeps its data, and the one switch that isolates it.

Everything the app writes (sessions, the library index, user question files, settings) lives under
one data dir so that tests, benchmarks and users with several profiles can isolate it with
``MOCKINTERVIEW_DATA_DIR`` (or ``--data-dir`` on the CLI, which sets that variable).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "mockinterview"
DATA_DIR_ENV = "MOCKINTERVIEW_DATA_DIR"


def data_dir() -> Path:
    """The root data folder, created on first use.

    Raises:
        StorageFullError: it cannot be created because the disk is full or read-only.
        SessionError: it cannot be created for another reason (the message says which).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        root = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        root = Path(user_data_dir(APP_NAME, appauthor=False))
    return _ensure_folder(root, "the data folder")


def sessions_dir() -> Path:
    """Folder holding one sub-folder per session."""
    return _ensure_folder(data_dir() / "sessions", "the sessions folder")


def _ensure_folder(path: Path, what: str) -> Path:
    """Create ``path`` if needed; a full or read-only disk becomes one clear error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from engine.storage import storage_error

        raise storage_error(exc, f"cannot create {what} {path}") from exc
    return path


def library_index_path() -> Path:
    """The SQLite index of sessions; always rebuildable from the session folders."""
    return data_dir() / "library.sqlite3"


def user_questions_dir() -> Path:
    """Where users drop their own question YAML files; merged into the bank."""
    return _ensure_folder(data_dir() / "questions", "your question folder")


def settings_path() -> Path:
    """Engine-level settings shared by the CLI and the desktop (no secrets are ever stored)."""
    return data_dir() / "settings.json"


def models_dir() -> Path:
    """Whisper models a user downloaded or copied in."""
    return _ensure_folder(data_dir() / "models", "the models folder")


def bundled_question_bank_dir() -> Path:
    """The question bank shipped with the app (the ``question_bank`` data package)."""
    return _package_folder("question_bank")


def asset_path(*parts: str) -> Path:
    """A file shipped in the ``assets`` data package: ``asset_path("demo", "answers.yaml")``."""
    return _package_folder("assets").joinpath(*parts)


def app_icon_path() -> Path:
    """The app icon (SVG): the window icon and the Linux menu entry's icon."""
    return asset_path("icons", "mockinterview.svg")


def _package_folder(package: str) -> Path:
    """The folder of a data package, found through the import system.

    ``importlib.resources`` finds the package wherever it is installed (a wheel in any venv, an
    editable install, a checkout on ``sys.path``), unlike a path computed from this file. The
    question bank needs a real folder (it reports file names and line numbers, and watches
    mtimes), which every unpacked install provides; a zipped install does not, and is refused.
    """
    folder = resources.files(package)
    if not isinstance(folder, Path):
        from engine.errors import ConfigError

        raise ConfigError(f"the {package} data is inside an archive ({folder}); install unpacked")
    return folder
