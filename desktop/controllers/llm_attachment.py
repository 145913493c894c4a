"""The LLM's part of a live interview: the streamed probe and the background gradings.

With the LLM engine the next step is decided from the offline grade at once. Two things then
arrive later, on their own threads, and are handed to the interview here:

- a probe worded by the LLM (``SpokenProbe``): its first sentence is spoken at once, the rest
  once it has streamed; how it was really worded is recorded in the session when it is settled;
- each answer's LLM grading (``BackgroundGradings``): attached to its turn through the
  interview owner's queue, so it lands between two jobs and never while a turn is being graded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.controllers import interview_jobs as jobs
from desktop.controllers.interview_owner import InterviewOwner
from desktop.workers import run_in_background

LLM_REPORT_WAIT_S = 120.0  # longest the report waits for background LLM gradings


class LlmAttachment(QObject):
    """Carries the LLM probe and the LLM gradings of one interview.

    Signals:
        notice(str message, str level): what the candidate should know (offline wording used,
            the report waits for gradings).
    """

    notice = Signal(str, str)
    # Emitted from the LLM grading thread when an answer's LLM grading is done.
    _graded = Signal(object, object)

    def __init__(self, owner: InterviewOwner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owner = owner
        self._gradings: Any = None
        self._probe: Any = None
        self._first = ""
        self._rest_asked = False
        self._rest_while_paused: str | None = None
        self._waited = False
        self._graded.connect(self._on_graded)

    @property
    def gradings(self) -> Any:
        """The ``BackgroundGradings`` of this interview (None with the offline engine)."""
        return self._gradings

    def begin(self, llm_grader: Any) -> None:
        """A new interview: start background gradings when it has an LLM grader."""
        self._probe, self._waited = None, False
        self._gradings = None
        if llm_grader is not None:
            from engine.interviewer.live_llm import BackgroundGradings

            self._gradings = BackgroundGradings(llm_grader, on_done=self._graded.emit)

    def close(self) -> None:
        """Drop gradings not started yet (the window is closing)."""
        if self._gradings is not None:
            self._gradings.close()
        self._probe = None

    # -- the probe --------------------------------------------------------------------------------
    def start_probe(self, probe: Any, first_sentence: str) -> None:
        """A turn ended with an LLM-worded probe (or None)."""
        self._probe = probe
        self._first = first_sentence
        self._rest_asked = False
        self._rest_while_paused = None

    def wording_of(self, action: Any) -> Any:
        """``action`` as it should be spoken: an LLM probe starts with its first sentence."""
        if self._probe is not None and action.purpose == "follow_up":
            return replace(action, text=self._first)
        self._probe = None
        return action

    def continue_probe(self, on_rest: Callable[[Any, str], None]) -> bool:
        """After a spoken sentence: fetch the probe's rest for ``on_rest``; False when done."""
        probe = self._probe
        if probe is None or self._rest_asked:
            return False
        self._rest_asked = True
        if self._rest_while_paused is not None:
            rest, self._rest_while_paused = self._rest_while_paused, None
            on_rest(probe, rest)
            return True
        run_in_background(
            probe.rest,
            on_finished=lambda rest: on_rest(probe, rest),
            on_failed=lambda _exc: on_rest(probe, ""),
            error_context="Streaming the rest of the LLM probe",
        )
        return True

    def is_current(self, probe: Any) -> bool:
        return probe is not None and probe is self._probe

    def keep_for_resume(self, rest: str) -> None:
        """The rest arrived while paused: speak it once the resumed sentence ends."""
        self._rest_while_paused, self._rest_asked = rest, False

    def settle(self) -> None:
        """Tell the interview how the probe was really worded (once it is a whole question)."""
        probe, self._probe = self._probe, None
        if probe is None:
            return
        if probe.text.rstrip().endswith("?"):
            self._owner.submit(
                jobs.reword_follow_up,
                probe.text,
                probe.worded_by,
                probe.fallback_reason,
                error_context="Recording the LLM probe's wording",
            )
        if probe.fallback_reason:
            self.notice.emit(f"Follow-up worded offline: {probe.fallback_reason}.", "info")

    # -- gradings ---------------------------------------------------------------------------------
    def _on_graded(self, pending: Any, grade: Any) -> None:
        """Queued here from the grading thread; attached on the owner's queue."""
        self._owner.submit(
            jobs.attach_llm_gradings,
            [(pending, grade)],
            error_context="Attaching an LLM grading",
        )

    def wait_before_report(self, then: Callable[[], None]) -> bool:
        """If LLM gradings are outstanding, wait for them off the UI thread, then call ``then``.

        Returns False when there is nothing to wait for (call ``then`` yourself).
        """
        gradings = self._gradings
        if gradings is None or not gradings.unfinished or self._waited:
            return False
        self._waited = True
        self.notice.emit(
            f"Grading with {gradings.model_name}… your report opens when it is done.", "info"
        )
        run_in_background(
            gradings.wait,
            LLM_REPORT_WAIT_S,
            on_finished=lambda _done: then(),
            on_failed=lambda _exc: then(),
            error_context="Waiting for the LLM gradings",
        )
        return True
