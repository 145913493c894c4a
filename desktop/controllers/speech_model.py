"""Loads the Whisper model in the background and tells the window how far it got.

Loading takes a noticeable moment (and imports faster-whisper and CTranslate2), so the window
appears first and the model follows. Screens ask ``is_ready`` before streaming an answer; when it
is not ready yet the answer is still recorded and transcribed once ``ready`` fires.

Models are loaded on one dedicated thread that lives as long as the app, never on a pool worker:
measured here, a CTranslate2 model whose loading thread has exited (pool threads expire after
30 s idle) decodes up to 25 times slower afterwards (14 s instead of 0.5 s for 11 s of speech),
which froze live transcription mid-answer.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from concurrent import futures
from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

DEFAULT_MODEL_LABEL = "tiny.en"


def model_key(name: str | None) -> str:
    """The name a model choice is tracked by ("" and "default" both mean the bundled tiny.en)."""
    text = (name or "").strip()
    return DEFAULT_MODEL_LABEL if text.lower() in ("", "default", "bundled") else text


def _load_model(name: str) -> str:
    """Resolve and load ``name`` (keeper thread); returns the transcriber's display name."""
    from engine.speech.transcriber import get_transcriber

    transcriber = get_transcriber(None if name == DEFAULT_MODEL_LABEL else name)
    transcriber.load()
    return transcriber.model_name


class _ModelKeeper:
    """The one long-lived thread every model load runs on (see the module docstring)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[str, Future[str]]] = queue.SimpleQueue()
        self._futures: dict[str, Future[str]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def load(self, name: str | None) -> Future[str]:
        """The future display name of model ``name``; loads it once, later calls share it."""
        key = model_key(name)
        with self._lock:
            future = self._futures.get(key)
            if future is not None and not (future.done() and future.exception() is not None):
                return future
            future = Future()
            self._futures[key] = future
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="whisper-model-keeper", daemon=True
                )
                self._thread.start()
                # A process leaving while CTranslate2 is still building a model aborts
                # ("terminate called without an active exception"): let a load finish first.
                atexit.register(self.wait_idle)
        self._jobs.put((key, future))
        return future

    def wait_idle(self, timeout_s: float = 60.0) -> None:
        """Block until no load is pending or running (at exit, and in tests)."""
        with self._lock:
            pending = [f for f in self._futures.values() if not f.done()]
        # Waits only: a failed load is reported to the UI by ``SpeechModelLoader._on_load_done``.
        futures.wait(pending, timeout=timeout_s)

    def _run(self) -> None:
        while True:  # never exits: the loaded models depend on this thread staying alive
            key, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(_load_model(key))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                future.set_exception(exc)


_KEEPER = _ModelKeeper()


def load_model(name: str | None) -> Future[str]:
    """Load Whisper model ``name`` on the keeper thread; wait with ``.result()`` if needed."""
    return _KEEPER.load(name)


def wait_for_model_loads(timeout_s: float = 60.0) -> None:
    """Block until every requested model load has finished (or failed)."""
    _KEEPER.wait_idle(timeout_s)


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
    # Emitted on the keeper thread when a load ends; queued to the UI thread.
    _load_done = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ready: dict[str, str] = {}
        self._loading: set[str] = set()
        self._errors: dict[str, str] = {}
        self._load_done.connect(self._on_load_done)

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
        future = load_model(key)
        future.add_done_callback(lambda done, k=key: self._report_load(k, done))

    def _report_load(self, key: str, future: Future[str]) -> None:
        """Keeper thread: hand the result to the UI thread (unless the window is gone)."""
        try:
            self._load_done.emit(key, future)
        except RuntimeError:  # this loader was deleted with its window: nobody to tell
            logging.getLogger("mockinterview.speech").info("model %s loaded after close", key)

    def _on_load_done(self, key: str, future: Future[str]) -> None:
        exc = future.exception()
        if exc is None:
            self._on_loaded(key, str(future.result()))
        else:
            self._on_failed(key, exc)

    def _on_loaded(self, key: str, display: str) -> None:
        self._loading.discard(key)
        self._ready[key] = display
        self.ready.emit(key, display)

    def _on_failed(self, key: str, exc: BaseException) -> None:
        from desktop.errors import report_error, user_message

        self._loading.discard(key)
        # Logged with its traceback; the window shows ``failed``'s message in its banner.
        report_error(exc, f"Loading the speech model {key}", show=False)
        message = user_message(exc)
        self._errors[key] = message
        self.failed.emit(key, message)
