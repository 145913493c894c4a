"""Did the candidate adapt the design to a new constraint, or repeat the previous answer?

Interviewers introduce constraints ("now the latency budget is 50 ms", "new creators must get
fair exposure") to see whether the candidate can change course. An adapted answer engages the
constraint in sentences that change something ("given the 50 ms budget I would drop the
cross-encoder and cache the candidates"); a rigid one restates the earlier design, sharing most
of its content words with it and naming nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.grading.analysis import AnswerAnalysis
from engine.grading.matching import meaning_terms
from engine.grading.sentences import Sentence
from engine.transcript import Transcript

REPEAT_OVERLAP = 0.7
MIN_NEW_TERMS = 8

_CHANGE_RE = re.compile(
    r"\b(?:instead|drop|dropp\w*|remove|replac\w*|switch\w*|swap\w*|chang\w*|no longer|cut|"
    r"simplif\w*|smaller|lighter|cheaper|distil\w*|quantiz\w*|cach\w*|precomput\w*|pre-comput\w*|"
    r"given (?:the|that|this)|now that|with the new|under (?:the|a|that)|to fit|"
    r"fits? (?:in|within)|"
    r"fall ?back|reserve\w*|quota|boost\w*|cap(?:ped)?|move\w* to|rather than|trade\w*|"
    r"re-?rank\w*|adjust\w*|rethink|revis\w*|would change|i'd change|different(?:ly)?|"
    r"new constraint|that changes|this changes|budget)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Adaptation:
    """The verdict on one constraint follow-up answer.

    Attributes:
        adapted: the answer engaged the constraint and changed the design.
        repeated: the answer mostly restated an earlier answer without engaging the constraint.
        overlap: share of this answer's content words already said in earlier answers.
        new_terms: content words not said before.
        sentences: sentences that engage the constraint (evidence for the report).
        note: one sentence for ``DimensionScore.note``.
    """

    adapted: bool
    repeated: bool
    overlap: float
    new_terms: int
    sentences: tuple[Sentence, ...]
    note: str


def assess_adaptation(
    analysis: AnswerAnalysis, constraint: str, previous_answers: Sequence[Transcript]
) -> Adaptation:
    """Compare a constraint follow-up answer with the earlier answers to the same question."""
    constraint_terms = meaning_terms(constraint)
    engaging = []
    for facts in analysis.credited:
        mentions_constraint = bool(constraint_terms & facts.terms)
        changes = bool(_CHANGE_RE.search(facts.sentence.text))
        if changes and (mentions_constraint or facts.quality.is_reasoned):
            engaging.append(facts.sentence)
    current: set[str] = set()
    for facts in analysis.credited:
        current |= facts.terms
    before: set[str] = set()
    for transcript in previous_answers:
        before |= meaning_terms(transcript.text)
    overlap = len(current & before) / len(current) if current and before else 0.0
    new_terms = len(current - before) if before else len(current)
    adapted = bool(engaging) and (overlap < REPEAT_OVERLAP or new_terms >= MIN_NEW_TERMS)
    repeated = not adapted and (overlap >= REPEAT_OVERLAP or not engaging)
    label = constraint.strip().rstrip(".") or "the new constraint"
    if adapted:
        note = f"Adapted the design to the new constraint ({label})."
    elif repeated and overlap >= REPEAT_OVERLAP:
        note = (
            f"Repeated the earlier design ({overlap:.0%} of it restated) instead of adapting "
            f"to the new constraint ({label})."
        )
    else:
        note = f"Did not show how the design changes under the new constraint ({label})."
    return Adaptation(adapted, repeated, overlap, new_terms, tuple(engaging[:3]), note)
