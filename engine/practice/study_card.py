"""After an answer: what a strong answer to this question covers, ticked where the candidate did.

It is shown only once the answer is graded (never before or during, which would turn practice
into reading a script). For a bank question the card lists the question's own expected points
per dimension; a point counts as covered when the grading did not list it as missing, and the
quote beside it is the grading's evidence for that dimension that shares most words with the
point. A free question has no expected points, so its card is the generic outline of its
category: the stages a strong answer reaches and the core ideas of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.grading.allocation import KEY_STAGES
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.result import DimensionScore, Evidence, Grade
from engine.grading.tokens import content_words, stem
from engine.questions.model import Question
from engine.report.builder import dimension_label
from engine.rubric import DIMENSION_IDS

GENERIC_POINTS_PER_STAGE = 3


@dataclass(frozen=True)
class CardPoint:
    """One thing a strong answer covers, and whether (and where) this answer did."""

    text: str
    covered: bool
    quote: str | None = None
    start_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "covered": self.covered,
            "quote": self.quote,
            "start_s": self.start_s,
        }


@dataclass(frozen=True)
class CardSection:
    dimension: str
    label: str
    points: tuple[CardPoint, ...]

    @property
    def covered_count(self) -> int:
        return sum(1 for p in self.points if p.covered)


@dataclass(frozen=True)
class StudyCard:
    """The card for one question; ``generic`` when it is a category outline."""

    question_text: str
    generic: bool
    sections: tuple[CardSection, ...]

    @property
    def covered_count(self) -> int:
        return sum(s.covered_count for s in self.sections)

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question_text,
            "generic": self.generic,
            "covered": self.covered_count,
            "points": self.point_count,
            "sections": [
                {
                    "dimension": s.dimension,
                    "label": s.label,
                    "points": [p.to_dict() for p in s.points],
                }
                for s in self.sections
            ],
        }


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def _best_quote(point: str, evidence: tuple[Evidence, ...]) -> Evidence | None:
    if not evidence:
        return None
    wanted = _stems(point)
    return max(evidence, key=lambda e: (len(wanted & _stems(e.quote)), -evidence.index(e)))


def _point(text: str, dim: DimensionScore | None) -> CardPoint:
    if dim is None or dim.score is None:
        return CardPoint(text, False)
    missing = {" ".join(m.lower().split()) for m in dim.missing}
    if " ".join(text.lower().split()) in missing or dim.score <= 1:
        return CardPoint(text, False)
    quote = _best_quote(text, dim.evidence)
    return CardPoint(text, True, quote.quote if quote else None, quote.start_s if quote else None)


def _generic_outline(category: str) -> dict[str, tuple[str, ...]]:
    stages = KEY_STAGES.get(category, ("problem_framing", "metrics", "system_design"))
    return {
        dim: tuple(c.label for c in CONCEPTS_BY_DIMENSION.get(dim, ()) if c.core)[
            :GENERIC_POINTS_PER_STAGE
        ]
        for dim in stages
    }


def study_card(question: Question, grade: Grade | None) -> StudyCard:
    """The card for ``question`` after ``grade`` (None: nothing graded, everything open)."""
    generic = not question.expected
    expected = _generic_outline(question.category) if generic else question.expected
    dims = {d.id: d for d in grade.dimensions} if grade else {}
    order = {d: i for i, d in enumerate(DIMENSION_IDS)}
    sections = []
    for dimension in sorted(expected, key=lambda d: order.get(d, 99)):
        points = tuple(_point(text, dims.get(dimension)) for text in expected[dimension])
        if points:
            sections.append(CardSection(dimension, dimension_label(dimension), points))
    return StudyCard(question.prompt, generic, tuple(sections))
