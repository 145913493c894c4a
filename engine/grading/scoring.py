"""Score one content dimension (everything but communication) from the analysed answer.

Two sources of credit, both weighted by how well the crediting sentence reasons:

* lexicon concepts of the dimension (``concepts.py``), each counted once however often it is
  repeated, with diminishing returns (the fifth concept adds less than the first);
* the question's expected points for the dimension (``matching.py``), as a coverage share.

A dimension whose credit comes only from bare mentions or keyword lists is capped at 2
("weak"): vocabulary without a reason is exactly what the rubric calls weak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.grading.analysis import AnswerAnalysis, SentenceFacts
from engine.grading.concepts import CONCEPTS_BY_DIMENSION
from engine.grading.evidence import quotes
from engine.grading.matching import match_point, meaning_terms
from engine.grading.reasoning import WEIGHT_LIST, WEIGHT_MENTION, WEIGHT_REASONED
from engine.grading.result import DimensionScore

DIMINISHING = 0.7
CONCEPT_SATURATION = 3.0
# Context concepts (``core=False``) support a dimension but cannot carry it.
NON_CORE_FACTOR = 0.5
MAX_GENERIC_MISSING = 3
MAX_CLARIFICATION_CREDIT = 3
# A point touched on but not covered (most of its words absent) earns a little and stays missing.
PARTIAL_MATCH_SHARE = 0.6
PARTIAL_CREDIT = 0.3
# raw score in [0, 1] -> rubric score; the lower bound of each band
SCORE_BANDS: tuple[tuple[float, int], ...] = ((0.68, 4), (0.4, 3), (0.12, 2))


_STAGE_WEIGHTS: dict[str, dict[str, float]] = {
    dimension: {c.id: c.stage_weight for c in concepts}
    for dimension, concepts in CONCEPTS_BY_DIMENSION.items()
}


@dataclass(frozen=True)
class _Credit:
    weight: float
    facts: SentenceFacts | None


def _band(raw: float) -> int:
    for bound, score in SCORE_BANDS:
        if raw >= bound:
            return score
    return 1


def _diminishing_sum(weights: Sequence[float]) -> float:
    return sum(w * DIMINISHING**i for i, w in enumerate(sorted(weights, reverse=True)))


def _relevance(dimension: str, facts: SentenceFacts) -> float:
    """How squarely a sentence is about ``dimension`` (sum of its concepts' stage weights)."""
    return sum(_STAGE_WEIGHTS[dimension].get(c, 0.0) for c in sorted(facts.concepts))


def _asks(facts: SentenceFacts) -> bool:
    """A real question put to the interviewer (not a rhetorical list)."""
    return facts.sentence.text.rstrip().endswith("?") and not facts.quality.is_list


def _concept_credits(dimension: str, credited: Sequence[SentenceFacts]) -> dict[str, _Credit]:
    factors = {
        c.id: 1.0 if c.core else NON_CORE_FACTOR for c in CONCEPTS_BY_DIMENSION.get(dimension, ())
    }
    best: dict[str, _Credit] = {}
    for facts in credited:
        quality = facts.quality.weight
        if dimension == "problem_framing" and _asks(facts):
            quality = WEIGHT_REASONED  # asking the interviewer is framing done right
        for concept_id in sorted(facts.concepts & factors.keys()):
            weight = quality * factors[concept_id]
            if concept_id not in best or weight > best[concept_id].weight:
                best[concept_id] = _Credit(weight, facts)
    return best


# What interviewers expect candidates to ask about before designing (normalized terms).
_CLARIFYING_TOPICS = frozenset(
    meaning_terms(
        "user scale platform goal metric success latency budget data market region country "
        "constraint business traffic device mobile team deadline privacy label volume size "
        "who why objective customers definition baseline today current"
    )
)


def good_clarifications(clarifications: Sequence[str]) -> list[str]:
    """Distinct clarifying questions with real content ("who are the users?", "what scale?").

    A question counts when it asks about something interviewers expect to be pinned down
    (users, scale, platform, goal, constraints, data) or is specific enough to carry three
    content words; "can I start?" does not count, and asking the same thing twice counts once.
    """
    seen: set[frozenset[str]] = set()
    good = []
    for text in clarifications:
        terms = meaning_terms(text)
        if not terms or terms in seen:
            continue
        if not (terms & _CLARIFYING_TOPICS or len(terms) >= 3):
            continue
        seen.add(terms)
        good.append(text)
    return good[:MAX_CLARIFICATION_CREDIT]


def score_dimension(
    dimension: str,
    analysis: AnswerAnalysis,
    expected_points: Sequence[str],
    clarifications: Sequence[str] = (),
    question_terms: frozenset[str] = frozenset(),
) -> DimensionScore:
    """Score ``dimension`` 1-4 with evidence quotes and the points the answer missed.

    Args:
        dimension: a content rubric id (not ``communication``).
        analysis: the analysed answer.
        expected_points: the bank question's points for this dimension; empty for free questions,
            which then list generic missing points from the lexicon.
        clarifications: clarifying questions the candidate asked (``problem_framing`` only).
        question_terms: the question's own words; echoing them does not cover a point.
    """
    credited = analysis.credited
    concept_credit = _concept_credits(dimension, credited)
    weights = [c.weight for c in concept_credit.values()]
    clarif = good_clarifications(clarifications) if dimension == "problem_framing" else []
    weights.extend(WEIGHT_REASONED for _ in clarif)
    concept_part = min(_diminishing_sum(weights) / CONCEPT_SATURATION, 1.0)

    evidence_facts: list[tuple[float, float, SentenceFacts]] = [
        (c.weight, _relevance(dimension, c.facts), c.facts)
        for c in concept_credit.values()
        if c.facts
    ]
    missing: list[str] = []
    best_point_credit = 0.0
    if expected_points:
        sentence_terms = [f.terms for f in credited]
        sentence_weights = [f.quality.weight for f in credited]
        clarif_terms = [meaning_terms(t) for t in clarif]
        coverage = 0.0
        for point in expected_points:
            match = match_point(point, sentence_terms, sentence_weights, question_terms)
            credit = 0.0
            if match.sentence_index is not None:
                facts = credited[match.sentence_index]
                credit = facts.quality.weight
                evidence_facts.append((credit + 0.5, _relevance(dimension, facts), facts))
            elif match.overlap >= PARTIAL_MATCH_SHARE * match.needed:
                credit = PARTIAL_CREDIT
            if (
                credit < WEIGHT_REASONED
                and clarif_terms
                and match_point(point, clarif_terms, None, question_terms).covered
            ):
                credit = WEIGHT_REASONED
            coverage += credit
            if match.sentence_index is not None:
                best_point_credit = max(best_point_credit, credit)
            if credit <= WEIGHT_LIST or match.sentence_index is None:
                missing.append(point)
        coverage /= len(expected_points)
        raw = 0.45 * concept_part + 0.55 * coverage
    else:
        raw = concept_part
        for concept in CONCEPTS_BY_DIMENSION.get(dimension, ()):
            got = concept_credit.get(concept.id)
            if concept.core and (got is None or got.weight <= WEIGHT_LIST):
                missing.append(concept.label)
        missing = missing[:MAX_GENERIC_MISSING]

    best_weight = max(max(weights, default=0.0), best_point_credit)
    score = _band(raw)
    if best_weight < WEIGHT_REASONED:
        score = min(score, 2)
    if best_weight <= WEIGHT_LIST:
        score = 1 if raw < 0.3 else min(score, 2)
    if not weights and not evidence_facts:
        score = 1

    evidence_facts.sort(key=lambda item: (-item[0], -item[1], item[2].sentence.index))
    evidence = quotes(f.sentence for _, _, f in evidence_facts)
    note = ""
    if clarif:
        note = f"Asked {len(clarif)} clarifying question{'s' if len(clarif) != 1 else ''}."
    elif best_weight and best_weight < WEIGHT_MENTION + 0.01 and score <= 2:
        note = "Mentioned, but never explained why it matters."
    return DimensionScore(dimension, score, evidence, tuple(missing), note)
