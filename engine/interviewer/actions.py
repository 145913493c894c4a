"""The vocabulary between the interview and its host: actions, settings, phases, timing rules.

Split from ``state_machine`` so hosts (the demo, the desktop controller, tests) can import these
small values without the machine, and so the machine's module stays about behaviour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.errors import MockInterviewError

PHASE_IDLE = "idle"
PHASE_SPEAKING = "speaking"
PHASE_LISTENING = "listening"
PHASE_GRADING = "grading"
PHASE_DONE = "done"

ACTION_KINDS = ("speak", "listen", "report")
ACTION_PURPOSES = ("question", "follow_up", "clarification_reply", "repeat", "redirect", "closing")


class InterviewStateError(MockInterviewError):
    """An interview event arrived in a phase where it makes no sense (a host bug)."""


@dataclass(frozen=True)
class Action:
    """What the host must do next.

    Attributes:
        kind: ``speak`` (say ``text`` aloud, then call ``on_spoken``), ``listen`` (record and
            transcribe an answer, then call ``on_answer``) or ``report`` (the interview is over).
        text: the line to speak (for ``speak``), or the prompt being answered (for ``listen``).
            Spoken lines are phrased for TTS (numbers in words, no symbols); a screen showing
            the question should prefer ``Interview.current_prompt_text``, the bank's wording.
        purpose: why: ``question``, ``follow_up``, ``clarification_reply``, ``repeat``,
            ``redirect`` (the question restated after an off-topic answer or a request for the
            solution) or ``closing``. A ``listen`` carries the purpose of the prompt being answered.
        question_index: 0-based index of the question this action belongs to.
        time_limit_s: for ``listen`` and prompts, the answer window in seconds (None: untimed).
    """

    kind: str
    text: str = ""
    purpose: str = "question"
    question_index: int = 0
    time_limit_s: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"unknown action kind {self.kind!r}")
        if self.purpose not in ACTION_PURPOSES:
            raise ValueError(f"unknown action purpose {self.purpose!r}")


@dataclass(frozen=True)
class InterviewSettings:
    """How the interview runs; stored in ``session.settings``.

    Attributes:
        time_limit_s: answer limit for every main answer; None uses each question's own limit,
            zero or less means untimed.
        follow_ups_per_question: the most probes asked on one question.
        engine: grading engine name (``offline`` or ``llm``), used when no grader is passed.
        whisper_model: the Whisper model that transcribes answers, recorded with each grading.
    """

    time_limit_s: float | None = None
    follow_ups_per_question: int = 2
    engine: str = "offline"
    whisper_model: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def follow_up_limit_s(answer_limit_s: float) -> float:
    """Answer window for a follow-up: a third of the main limit, between one and two minutes."""
    return min(120.0, max(60.0, answer_limit_s / 3.0))
