"""Run engine work off the UI thread and bring results back as Qt signals.

The engine exposes plain functions and generators; this module is the only place that turns them
into threads. A ``Worker`` runs one callable in the shared ``QThreadPool``; if the callable returns
a generator, every yielded value is emitted as ``yielded`` (progress, partial transcripts) before
``finished`` carries the return value. Exceptions arrive as ``failed`` with the exception object,
never flattened to a string, so the UI can show ``MockInterviewError`` messages as they are and
still surface real bugs.

Signals are emitted from the pool thread; Qt queues them to receivers living on the UI thread,
so slots always run on the UI thread and may touch widgets.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """Signals of one worker; a separate QObject because QRunnable cannot emit."""

    started = Signal()
    yielded = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    done = Signal()


class Worker(QRunnable):
    """One unit of background work.

    Keep a reference to the returned worker (or its ``signals``) for as long as you need its
    signals; ``run_in_background`` keeps one in ``_live`` until it is done.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = WorkerSignals()
        self.cancelled = False

    def cancel(self) -> None:
        """Ask a generator worker to stop at its next yield; plain callables run to the end."""
        self.cancelled = True

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self.fn(*self.args, **self.kwargs)
            if inspect.isgenerator(result):
                result = self._drain(result)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI, which decides
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            if not self.cancelled:
                self.signals.finished.emit(result)
        finally:
            self.signals.done.emit()
            _live.discard(self)

    def _drain(self, generator: Any) -> Any:
        try:
            while True:
                value = next(generator)
                if self.cancelled:
                    generator.close()
                    return None
                self.signals.yielded.emit(value)
        except StopIteration as stop:
            return stop.value


_live: set[Worker] = set()


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    on_yielded: Callable[[Any], None] | None = None,
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Worker:
    """Start ``fn(*args, **kwargs)`` in the thread pool and wire the optional callbacks.

    The callbacks run on the UI thread (when they are bound methods or functions of objects
    that live there, which every widget does).
    """
    worker = Worker(fn, *args, **kwargs)
    if on_finished is not None:
        worker.signals.finished.connect(on_finished)
    if on_failed is not None:
        worker.signals.failed.connect(on_failed)
    if on_yielded is not None:
        worker.signals.yielded.connect(on_yielded)
    _live.add(worker)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """Block until every background worker is done; used on window close and in tests."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
