"""The LLM engine in a live interview: decide now, word probes by stream, grade in background.

A full LLM grading takes seconds to tens of seconds on a local model; the candidate must not sit
in silence that long between their answer and the next probe. So, when an interview runs with an
LLM engine in live mode (``Interview(..., live_llm=True)``):

1. The answer is graded by the engine's offline grader, which takes milliseconds. That grade
   makes every decision, exactly as in an offline interview: whether to probe, which dimension,
   constraint changes. The interview stays deterministic.
2. The probe is only *worded* by the LLM: ``SpokenProbe`` runs ``LLMGrader.follow_up_stream`` on
   its own thread and hands out the first sentence as soon as it is complete, so the host can
   start speaking it while the rest streams. When no sentence arrives within
   ``FIRST_SENTENCE_TIMEOUT_S`` the offline wording is spoken instead, with the reason kept.
3. The full LLM grading of every answer runs on ``BackgroundGradings``' single thread and is
   attached to the turn as an additional ``GradingRecord`` when it finishes (a fallback grade,
   with its notice, when the LLM failed). Gradings wait while a probe is being worded, so the
   latency-critical request has a single-slot local server to itself.

Nothing here imports Qt; the desktop marshals the callbacks to its UI thread.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.grading.base import Grader, GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion, Grade
from engine.store.model import Turn

FIRST_SENTENCE_TIMEOUT_S = 4.0
"""Longest silence the candidate hears before the offline wording is spoken instead."""

REST_TIMEOUT_S = 20.0
"""Longest wait for the rest of a probe whose first sentence (a lead-in) was already spoken."""

_END = object()


@dataclass(frozen=True)
class ProbeWording:
    """A probe the interview decided to ask, to be worded by the LLM.

    Attributes:
        request: the answer's grade request (question, answer, probes asked, limits).
        scores: the dimension scores behind the decision (for the prompt's weakest list).
        choice: the offline policy's probe: its dimension is what the LLM words, its text is
            the fallback wording.
    """

    request: GradeRequest
    scores: tuple[DimensionScore, ...]
    choice: FollowUpSuggestion


@dataclass(frozen=True)
class PendingGrading:
    """An answer turn waiting for its LLM grading."""

    turn: Turn
    request: GradeRequest
    whisper_model: str


def split_engine(grader: Grader) -> tuple[Grader, Any | None]:
    """The fast grader that makes live decisions, and the LLM grader behind it (or None).

    An LLM grader exposes its offline yardstick as ``offline`` and can stream probes; any other
    grader is fast enough to use directly.
    """
    offline = getattr(grader, "offline", None)
    if offline is None or not callable(getattr(grader, "follow_up_stream", None)):
        return grader, None
    return offline, grader


class BackgroundGradings:
    """Runs LLM gradings one at a time on a daemon thread, in the order they were submitted.

    ``on_done(pending, grade)`` is called on that thread; hosts hand the result to the thread
    that drives the interview (``Interview.attach_llm_grading``). ``hold``/``release`` bracket a
    probe being worded: no grading starts while one is held.
    """

    def __init__(
        self, llm_grader: Any, on_done: Callable[[PendingGrading, Grade], None] | None = None
    ) -> None:
        self.llm_grader = llm_grader
        self._on_done = on_done
        self._jobs: deque[PendingGrading] = deque()
        self._cond = threading.Condition()
        self._holds = 0
        self._unfinished = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self.results: list[tuple[PendingGrading, Grade]] = []

    @property
    def model_name(self) -> str:
        """The model doing the gradings, for "Grading with <model>…"."""
        settings = getattr(self.llm_grader, "settings", None)
        return str(getattr(settings, "model", "") or "the LLM")

    @property
    def unfinished(self) -> int:
        """Gradings submitted and not finished yet."""
        with self._cond:
            return self._unfinished

    def submit(self, pending: PendingGrading) -> None:
        """Queue one grading; the thread starts on the first."""
        with self._cond:
            if self._closed:
                return
            self._jobs.append(pending)
            self._unfinished += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="llm-gradings", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def hold(self) -> None:
        """A probe is being worded: gradings not yet started wait."""
        with self._cond:
            self._holds += 1

    def release(self) -> None:
        """The probe is worded; waiting gradings may start."""
        with self._cond:
            self._holds = max(0, self._holds - 1)
            self._cond.notify_all()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until every submitted grading has finished; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._unfinished == 0, timeout_s)

    def close(self) -> None:
        """Drop gradings not yet started (the one running finishes); used on shutdown."""
        with self._cond:
            self._closed = True
            self._unfinished -= len(self._jobs)
            self._jobs.clear()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or (self._jobs and not self._holds))
                if not self._jobs:
                    return
                pending = self._jobs.popleft()
            try:
                grade = self.llm_grader.grade(pending.request)
                self.results.append((pending, grade))
                if self._on_done is not None:
                    self._on_done(pending, grade)
            except Exception:  # noqa: BLE001 - the LLM grader never raises for LLM problems;
                pass  # anything else leaves the offline grading as the turn's grade.
            finally:
                with self._cond:
                    self._unfinished -= 1
                    self._cond.notify_all()


class SpokenProbe:
    """One follow-up worded by the LLM on a background thread, handed out sentence by sentence.

    ``first_sentence()`` returns within ``first_timeout_s``; ``rest()`` returns the remaining
    sentences. Afterwards ``text`` is everything handed out, ``source`` is ``llm`` or
    ``offline`` and ``fallback_reason`` says why the offline wording was used.
    """

    def __init__(
        self,
        llm_grader: Any,
        wording: ProbeWording,
        *,
        gradings: BackgroundGradings | None = None,
        first_timeout_s: float = FIRST_SENTENCE_TIMEOUT_S,
        rest_timeout_s: float = REST_TIMEOUT_S,
    ) -> None:
        self._wording = wording
        self._engine_name = str(getattr(llm_grader, "name", "llm"))
        self._stream = llm_grader.follow_up_stream(
            wording.request, wording.scores, choice=wording.choice
        )
        self._gradings = gradings
        self._first_timeout_s = first_timeout_s
        self._rest_timeout_s = rest_timeout_s
        self._sentences: queue.Queue[object] = queue.Queue()
        self._abandoned = threading.Event()
        self._handed_out: list[str] = []
        self.source = "llm"
        self.fallback_reason = ""
        self.first_sentence_s: float | None = None
        self._started_at = 0.0

    @property
    def text(self) -> str:
        """Everything handed out so far, i.e. the probe as spoken."""
        return " ".join(self._handed_out)

    @property
    def offline_text(self) -> str:
        """The offline policy's wording, the fallback."""
        return self._wording.choice.text

    @property
    def worded_by(self) -> str:
        """``llm:<model>`` when the LLM's wording was spoken, else ``offline``."""
        return self._engine_name if self.source == "llm" else "offline"

    def start(self) -> SpokenProbe:
        """Begin streaming on a daemon thread (holding back background gradings meanwhile)."""
        if self._gradings is not None:
            self._gradings.hold()
        self._started_at = time.monotonic()
        threading.Thread(target=self._run, name="llm-probe", daemon=True).start()
        return self

    def first_sentence(self) -> str:
        """The first sentence to speak: the LLM's, or the offline wording when it is too slow."""
        item = self._next(self._first_timeout_s)
        if item is None:
            return self._give_up(f"no sentence within {self._first_timeout_s:g} s")
        if item is _END:
            return self._give_up("the stream ended without a sentence")
        self.first_sentence_s = time.monotonic() - self._started_at
        return str(item)

    def rest(self) -> str:
        """The remaining sentences ("" when the first was the whole probe)."""
        parts: list[str] = []
        deadline = time.monotonic() + self._rest_timeout_s
        while True:
            item = self._next(max(0.0, deadline - time.monotonic()))
            if item is _END:
                if not self.text.rstrip().endswith("?"):  # a lead-in but no question
                    parts.append(self._give_up("the stream ended without a question"))
                break
            if item is None:
                if not self.text.rstrip().endswith("?"):
                    parts.append(self._give_up("the rest of the probe took too long"))
                else:
                    self._abandoned.set()
                break
            parts.append(str(item))
        return " ".join(parts)

    def _next(self, timeout_s: float) -> Any:
        """The next sentence, ``_END``, or None on timeout."""
        if self._abandoned.is_set():
            return _END
        try:
            item = self._sentences.get(timeout=timeout_s)
        except queue.Empty:
            return None
        if item is _END:
            self._settle_source()
            return _END
        self._handed_out.append(str(item))
        return item

    def _give_up(self, reason: str) -> str:
        self._abandoned.set()
        self.source = "offline"
        self.fallback_reason = f"LLM probe: {reason}; asked the offline probe"
        self._handed_out.append(self.offline_text)
        return self.offline_text

    def _settle_source(self) -> None:
        if self._stream.source == "offline" and self.source == "llm":
            self.source = "offline"
            self.fallback_reason = self._stream.fallback_reason

    def _run(self) -> None:
        try:
            for sentence in self._stream:
                if self._abandoned.is_set():
                    break  # leaving the loop closes the HTTP stream
                self._sentences.put(sentence)
        except Exception as exc:  # noqa: BLE001 - never strand the host
            self._stream.fallback_reason = f"LLM probe failed: {exc}"
            self._stream.source = "offline"
        finally:
            self._sentences.put(_END)
            if self._gradings is not None:
                self._gradings.release()
