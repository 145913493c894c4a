"""Loads the Whisper model in the background and tells the window how far it got.

Loading takes a noticeable moment (and imports faster-whisper and CTranslate2), so the window
appears first and the model follows. Screens ask ``is_ready`` before streaming an answer; when it
is not ready yet the answer is still recorded and transcribed once ``ready`` fires.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.workers import run_in_background

DEFAULT_MODEL_LABEL = "tiny.en"


def model_key(name: str | None) -> str:
    """The name a model choice is tracked by ("" and "default" both mean the bundled tiny.en)."""
    text = (name or "").strip()
    return DEFAULT_MODEL_LABEL if text.lower() in ("", "default", "bundled") else text


def _load_model(name: str) -> str:
    """Resolve and load ``name`` (worker thread); returns the transcriber's display name."""
    from engine.speech.transcriber import get_transcriber

    transcriber = get_transcriber(None if name == DEFAULT_MODEL_LABEL else name)
    transcriber.load()
    return transcriber.model_name


class SpeechModelLoader(QObject):
    """Keeps track of which Whisper models are loaded, loading, or failed.

    Signals:
        loading(str): a model started loading (its key).
        ready(str key, str display_name): a model is loaded and usable.
        failed(str key, str message): a model could not be loaded; the message is for the user.
    """

    loading = Signal(str)
    ready = Signal(str, str)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ready: dict[str, str] = {}
        self._loading: set[str] = set()
        self._errors: dict[str, str] = {}
        self._workers: list[object] = []

    def is_ready(self, name: str | None) -> bool:
        """True once ``name`` finished loading."""
        return model_key(name) in self._ready

    def is_loading(self, name: str | None) -> bool:
        return model_key(name) in self._loading

    def error_for(self, name: str | None) -> str | None:
        """The load error of ``name``, if its last attempt failed."""
        return self._errors.get(model_key(name))

    def display_name(self, name: str | None) -> str:
        key = model_key(name)
        return self._ready.get(key, key)

    def ensure_loaded(self, name: str | None) -> None:
        """Start loading ``name`` in the background unless it is loaded or loading already."""
        key = model_key(name)
        if key in self._ready or key in self._loading:
            return
        self._loading.add(key)
        self._errors.pop(key, None)
        self.loading.emit(key)
        worker = run_in_background(
            _load_model,
            key,
            on_finished=lambda display, k=key: self._on_loaded(k, str(display)),
            on_failed=lambda exc, k=key: self._on_failed(k, exc),
        )
        self._workers.append(worker)

    def _on_loaded(self, key: str, display: str) -> None:
        self._loading.discard(key)
        self._ready[key] = display
        self.ready.emit(key, display)

    def _on_failed(self, key: str, exc: BaseException) -> None:
        from engine.errors import MockInterviewError

        self._loading.discard(key)
        if isinstance(exc, MockInterviewError):
            message = str(exc)
        else:
            message = f"could not load the speech model {key}: {exc}"
        self._errors[key] = message
        self.failed.emit(key, message)
