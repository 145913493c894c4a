"""Run engine work off the UI thread and bring results back as Qt signals.

The engine exposes plain functions and generators; this module is the only place that turns them
into threads. A ``Worker`` runs one callable in the shared ``QThreadPool``; if the callable returns
a generator, every yielded value is emitted as ``yielded`` (progress, partial transcripts) before
``finished`` carries the return value. Exceptions arrive as ``failed`` with the exception object,
never flattened to a string, so the UI can show ``MockInterviewError`` messages as they are and
still surface real bugs. Every failure also goes through ``desktop.errors.report_error`` (logged
with its traceback; shown in the status bar when the caller has no handler of its own), so no
worker can fail silently.

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
    error_context: str = "",
    severity: str = "minor",
    **kwargs: Any,
) -> Worker:
    """Start ``fn(*args, **kwargs)`` in the thread pool and wire the optional callbacks.

    The callbacks run on the UI thread (when they are bound methods or functions of objects
    that live there, which every widget does). A failure is always logged through
    ``desktop.errors.report_error`` under ``error_context``; without ``on_failed`` it is also
    shown to the user with ``severity``, with it the handler shows its own message.
    """
    from desktop.errors import report_error

    worker = Worker(fn, *args, **kwargs)
    context = error_context or _describe(fn)

    def failed(exc: BaseException) -> None:
        report_error(exc, context, severity, show=on_failed is None)
        if on_failed is not None:
            on_failed(exc)

    if on_finished is not None:
        worker.signals.finished.connect(on_finished)
    worker.signals.failed.connect(failed)
    if on_yielded is not None:
        worker.signals.yielded.connect(on_yielded)
    _live.add(worker)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def _describe(fn: Callable[..., Any]) -> str:
    """A readable name for a job in the log ("Background job save_final")."""
    name = getattr(fn, "__qualname__", "") or type(fn).__name__
    return f"Background job {name}"


_serial_pools: list[QThreadPool] = []


def serial_pool() -> QThreadPool:
    """A pool that runs its jobs one at a time, in the order they were started, on one thread.

    Its thread never expires, so everything run in it really happens on a single thread: the
    interview's state lives there (see ``desktop.controllers.interview_owner``).
    """
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    pool.setExpiryTimeout(-1)
    _serial_pools.append(pool)
    return pool


def is_idle() -> bool:
    """True when no background job is queued or running in any pool (non-blocking check)."""
    pools = [QThreadPool.globalInstance(), *_serial_pools]
    return not _live and all(pool.activeThreadCount() == 0 for pool in pools)


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """Block until every background worker is done (tests; never the UI thread of the app)."""
    deadline_ok = True
    for pool in [*_serial_pools, QThreadPool.globalInstance()]:
        deadline_ok = pool.waitForDone(timeout_ms) and deadline_ok
    return deadline_ok
