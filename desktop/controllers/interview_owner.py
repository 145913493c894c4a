"""The one thread that owns an interview's engine state, and the queue of work it does.

The engine's ``Interview`` (its state machine) and the ``Session`` it writes are not
thread-safe. Instead of guarding them with flags on the UI thread, every call into them runs
as a job on one serial pool (``desktop.workers.serial_pool``: one thread that never expires,
jobs in the order they were submitted). Starting, stepping, finishing and cancelling the
microphone capture of an answer go through the same queue, so "pause, then resume" can never
run as "resume, then pause", and the final save on close runs after the answer being graded
has landed in the session.

The UI thread only submits jobs and reacts to their results (``desktop.workers`` signals).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.workers import Worker, run_in_background, serial_pool


class InterviewOwner:
    """Holds ``interview`` and ``session`` and runs every job that touches them, one at a time.

    Jobs are plain functions ``job(owner, *args)`` (see ``desktop.controllers.interview_jobs``);
    they read and replace ``owner.interview`` / ``owner.session`` on the owner's thread only.
    """

    def __init__(self) -> None:
        self._pool = serial_pool()
        self.interview: Any = None
        self.session: Any = None

    def submit(
        self,
        job: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        error_context: str = "",
    ) -> Worker:
        """Queue ``job(self, *args)``; the callbacks run on the UI thread."""
        return run_in_background(
            job,
            self,
            *args,
            on_finished=on_finished,
            on_failed=on_failed,
            pool=self._pool,
            error_context=error_context,
        )

    def run_plain(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        error_context: str = "",
    ) -> Worker:
        """Queue ``fn(*args)`` (no owner argument), ordered with the other jobs."""
        return run_in_background(
            fn,
            *args,
            on_finished=on_finished,
            on_failed=on_failed,
            pool=self._pool,
            error_context=error_context,
        )
