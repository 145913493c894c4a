"""The desktop's remembered choices (setup screen) and preferences (settings dialog).

Stored with ``QSettings`` in an INI file inside the data dir, so ``MOCKINTERVIEW_DATA_DIR``
(and ``--data-dir``) isolates them exactly like sessions: tests and profiles never share state
with the user's real settings. Secrets never come here; the LLM key lives in the OS keyring via
``engine.llm.secrets``, and the LLM endpoint in the engine's own settings file (shared with the
CLI).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from engine import paths
from engine.settings_recovery import set_aside

SETTINGS_FILE = "desktop.ini"

SOURCE_RANDOM = "random"
SOURCE_HAND_PICKED = "hand_picked"


@dataclass
class SetupChoices:
    """What the candidate chose on the setup screen last time.

    Attributes:
        source: ``random`` (a random set by category/difficulty) or ``hand_picked``.
        categories: category ids included in a random set (empty: all).
        difficulty: ``any``, ``easy``, ``medium`` or ``hard``.
        count: how many questions in a random set.
        picked_ids: question ids of a hand-picked set, in order.
        time_limit_s: answer time limit override in seconds; 0 keeps each question's own.
        follow_ups: follow-ups per question (0-3).
        engine: grading engine, ``offline`` or ``llm``.
        voice: TTS voice id ("" = the system default).
        voice_rate: speaking speed in words per minute.
        input_device: microphone name ("" = the system default).
        whisper_model: model name or folder ("" = the bundled tiny.en).
    """

    source: str = SOURCE_RANDOM
    categories: list[str] = field(default_factory=list)
    difficulty: str = "any"
    count: int = 3
    picked_ids: list[str] = field(default_factory=list)
    time_limit_s: int = 0
    follow_ups: int = 2
    engine: str = "offline"
    voice: str = ""
    voice_rate: int = 175
    input_device: str = ""
    whisper_model: str = ""


@dataclass
class Preferences:
    """App preferences from the settings dialog.

    Attributes:
        output_device: speaker name for the interviewer's voice ("" = system default).
        auto_finish_silence_s: finish an answer after this many seconds of silence (0 = off).
        chime: play a soft chime when the pacing cue turns amber and red.
    """

    output_device: str = ""
    auto_finish_silence_s: int = 0
    chime: bool = False


def open_settings() -> QSettings:
    """The INI-backed QSettings inside the current data dir.

    QSettings reads a damaged file as if it were empty and the next save would overwrite it, so
    a file that has content but yields no setting at all is kept aside first (see
    ``engine.settings_recovery``) and the defaults are used.
    """
    path = paths.data_dir() / SETTINGS_FILE
    store = QSettings(str(path), QSettings.Format.IniFormat)
    if not any(store.allKeys()) and _has_content(path):
        set_aside(path, "the file holds no readable settings")
        store = QSettings(str(path), QSettings.Format.IniFormat)
    return store


def _has_content(path: Path) -> bool:
    try:
        return bool(path.read_bytes().strip())
    except OSError:  # missing (first run) or unreadable: nothing to keep aside
        return False


def _coerce(value: Any, default: Any) -> Any:
    """Turn an INI string back into the type of ``default`` (QSettings INI keeps strings)."""
    if value is None:
        return default
    try:
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, list):
            if isinstance(value, str):
                return [v for v in value.split(",") if v] if value else []
            return [str(v) for v in value if str(v)]
        return str(value)
    except (TypeError, ValueError):
        return default


def _load(group: str, cls: type) -> Any:
    store = open_settings()
    store.beginGroup(group)
    defaults = cls()
    values = {}
    for f in fields(cls):
        default = getattr(defaults, f.name)
        values[f.name] = _coerce(store.value(f.name), default)
    store.endGroup()
    return cls(**values)


def _save(group: str, values: Any) -> None:
    store = open_settings()
    store.beginGroup(group)
    for key, value in asdict(values).items():
        # Lists are joined so the INI file stays readable and round-trips even when empty.
        store.setValue(key, ",".join(value) if isinstance(value, list) else value)
    store.endGroup()
    store.sync()


def load_setup_choices() -> SetupChoices:
    """The last setup choices, or defaults on first run."""
    choices: SetupChoices = _load("setup", SetupChoices)
    choices.count = min(10, max(1, choices.count))
    choices.follow_ups = min(3, max(0, choices.follow_ups))
    choices.time_limit_s = max(0, choices.time_limit_s)
    return choices


def save_setup_choices(choices: SetupChoices) -> None:
    """Remember the setup choices for the next interview and the next start."""
    _save("setup", choices)


def load_preferences() -> Preferences:
    """The app preferences, or defaults on first run."""
    prefs: Preferences = _load("preferences", Preferences)
    prefs.auto_finish_silence_s = max(0, prefs.auto_finish_silence_s)
    return prefs


def save_preferences(prefs: Preferences) -> None:
    """Store the app preferences."""
    _save("preferences", prefs)


def load_window_geometry() -> QByteArray | None:
    """The main window's saved geometry, if any."""
    value = open_settings().value("window/geometry")
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_window_geometry(geometry: QByteArray) -> None:
    """Remember the main window's size and position (a QByteArray, stored natively)."""
    store = open_settings()
    store.setValue("window/geometry", QByteArray(geometry))
    store.sync()
