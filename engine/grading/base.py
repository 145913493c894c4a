"""The interface every grading engine implements, so engines are interchangeable.

The offline engine (``engine.grading.offline``) and the LLM engine (``engine.llm.grader``) both
take a ``GradeRequest`` and return a ``Grade``; the interviewer, the CLI, regrade and the desktop
only ever see this interface. ``make_grader`` picks one by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from engine.grading.result import Grade
from engine.questions.model import FollowUp, Question
from engine.transcript import Transcript


@dataclass(frozen=True)
class GradeRequest:
    """Everything a grader may look at for one answer.

    Attributes:
        question: the bank question, or a ``free_question`` for ``--question-text``.
        transcript: the answer being graded.
        time_limit_s: the limit the candidate answered against (defaults to the question's).
        prompt: the follow-up this answer responds to, when it is not the main answer.
        previous_answers: earlier answers to the same question in this session, oldest first;
            a constraint follow-up is graded on whether the design changed relative to these.
        asked_probes: follow-up texts already asked this session, so none is repeated.
        follow_ups_left: how many more probes the interviewer may still ask on this question.
        time_left_s: interview time left for this question, so a probe is not asked too late.
        clarifications_asked: the candidate's clarifying questions on this question (each one the
            interviewer answered); asking good ones counts toward ``problem_framing``.
    """

    question: Question
    transcript: Transcript
    time_limit_s: float | None = None
    prompt: FollowUp | None = None
    previous_answers: tuple[Transcript, ...] = ()
    asked_probes: frozenset[str] = field(default_factory=frozenset)
    follow_ups_left: int = 1
    time_left_s: float | None = None
    clarifications_asked: tuple[str, ...] = ()

    @property
    def effective_time_limit_s(self) -> float:
        limit = self.time_limit_s if self.time_limit_s is not None else self.question.time_limit_s
        return float(limit)


class Grader(Protocol):
    """A grading engine. Implementations must be safe to call from a worker thread."""

    @property
    def name(self) -> str:
        """The engine label that goes into ``Grade.engine``: offline or llm:<model>."""
        ...

    def grade(self, request: GradeRequest) -> Grade:
        """Grade one answer and propose the next probe (``Grade.follow_up``, or None)."""
        ...
