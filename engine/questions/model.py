"""Questions as frozen dataclasses; the YAML schema in ``schema.py`` maps onto these one to one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FollowUp:
    """A probe the interviewer may ask after an answer.

    Attributes:
        text: the question as it is spoken aloud.
        dimension: the rubric dimension it probes.
        triggers: phrases that make this probe fire when the answer mentions them
            (e.g. "ctr", "click-through"); empty means it fires on a weak dimension only.
        constraint: for constraint changes, the new constraint in a few words
            ("latency budget is 50 ms"); the next answer is graded on adapting to it.
    """

    text: str
    dimension: str
    triggers: tuple[str, ...] = ()
    constraint: str | None = None

    @property
    def introduces_constraint(self) -> bool:
        return bool(self.constraint)


@dataclass(frozen=True)
class RedFlag:
    """A wrong claim or bad decision an interviewer would mark down on this question.

    Attributes:
        text: the interviewer's short note, shown in the report under "What would worry an
            interviewer" ("Ships on three days of data while the lift may still be novelty").
        dimension: the rubric dimension the mistake lowers.
        claims: one to a few sentences a candidate might actually say that commit the
            mistake, in spoken style; the grader matches answer sentences to them by meaning,
            so they are assertive commitments, never a neutral mention of the topic.
    """

    text: str
    dimension: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One interview question with everything the offline interviewer needs to run it.

    Attributes:
        expected: rubric dimension id -> the points a strong answer covers (short phrases that
            the grader matches by meaning, and that the report lists when missing).
        clarifications: topic -> the interviewer's answer when the candidate asks about it.
            Topics are short keys such as "scale", "platform", "goal", "users".
        source: "file:line" where the question was defined, for error messages.
        red_flags: the mistakes specific to this question; empty for free questions and for
            user questions that do not list any (the grader then falls back to
            ``engine.questions.generic_red_flags``).
    """

    id: str
    category: str
    prompt: str
    time_limit_s: int = 300
    difficulty: str = "medium"
    context: str = ""
    expected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    follow_ups: tuple[FollowUp, ...] = ()
    clarifications: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    source: str = ""
    red_flags: tuple[RedFlag, ...] = ()

    def to_ref(self) -> dict[str, Any]:
        """The ``question`` object of the grade JSON contract."""
        return {"id": self.id or None, "text": self.prompt, "category": self.category}


def free_question(text: str, category: str, time_limit_s: int = 300) -> Question:
    """A question that is not in the bank (``--question-text``); it has no expected points."""
    return Question(id="", category=category, prompt=text, time_limit_s=time_limit_s)
