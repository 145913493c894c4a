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
from engine.grading.evidence import quotes
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.matching import match_point, meaning_terms
from engine.grading.reasoning import WEIGHT_LIST, WEIGHT_MENTION, WEIGHT_REASONED
from engine.grading.result import DimensionScore

DIMINISHING = 0.7
CONCEPT_SATURATION = 3.0
# Free questions have no expected points to cover, so the concepts alone must show depth.
FREE_QUESTION_SATURATION = 3.6
# Context concepts (``core=False``) support a dimension but cannot carry it.
NON_CORE_FACTOR = 0.5
MAX_GENERIC_MISSING = 3
MAX_CLARIFICATION_CREDIT = 3
# A point touched on but not covered (most of its words absent) earns a little and stays missing.
PARTIAL_MATCH_SHARE = 0.6
PARTIAL_CREDIT = 0.3
# raw score in [0, 1] -> rubric score; the lower bound of each band
SCORE_BANDS: tuple[tuple[float, int], ...] = ((0.68, 4), (0.4, 3), (0.12, 2))


@dataclass(frozen=True)
class _Credit:
    weight: float
    facts: SentenceFacts


def _band(raw: float) -> int:
    for bound, score in SCORE_BANDS:
        if raw >= bound:
            return score
    return 1


def _diminishing_sum(weights: Sequence[float]) -> float:
    return sum(w * DIMINISHING**i for i, w in enumerate(sorted(weights, reverse=True)))


def _relevance(dimension: str, facts: SentenceFacts) -> float:
    """How squarely a sentence is about ``dimension`` (sum of its concepts' stage weights)."""
    return facts.relevance.get(dimension, 0.0)


_TRADEOFF_CONCEPTS = frozenset(c.id for c in CONCEPTS_BY_DIMENSION["tradeoffs"])


def _decides(credited: Sequence[SentenceFacts]) -> bool:
    """Whether the answer makes a call on a trade-off, not only names it."""
    return any(
        f.concepts & _TRADEOFF_CONCEPTS and (f.quality.decides or "decision" in f.concepts)
        for f in credited
    )


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


def _rank_evidence(
    dimension: str, candidates: dict[int, tuple[float, bool, SentenceFacts]]
) -> list[SentenceFacts]:
    """Order evidence candidates, best first.

    Reasoned sentences that cover an expected point and are squarely about this dimension beat
    passing mentions; ties go to the earlier sentence.
    """

    def merit(item: tuple[float, bool, SentenceFacts]) -> float:
        weight, point, facts = item
        return weight * (1.3 if point else 1.0) + 0.5 * _relevance(dimension, facts)

    ranked = sorted(candidates.items(), key=lambda kv: (-merit(kv[1]), kv[0]))
    return [facts for _, (_, _, facts) in ranked]


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


class _EvidencePool:
    """Sentences that earned credit for one dimension, remembered for the evidence quotes."""

    def __init__(self) -> None:
        self.candidates: dict[int, tuple[float, bool, SentenceFacts]] = {}

    def add(self, facts: SentenceFacts, weight: float, covers_point: bool) -> None:
        index = facts.sentence.index
        old_weight, old_point, _ = self.candidates.get(index, (0.0, False, facts))
        self.candidates[index] = (max(old_weight, weight), old_point or covers_point, facts)


@dataclass(frozen=True)
class _Coverage:
    share: float  # 0..1, each point weighted by how well its sentence reasons
    missing: tuple[str, ...]
    best_credit: float  # the best-reasoned sentence that covered a point


def _cover_points(
    points: Sequence[str],
    credited: Sequence[SentenceFacts],
    clarifications: Sequence[str],
    question_terms: frozenset[str],
    pool: _EvidencePool,
) -> _Coverage:
    """Match each expected point; a clarifying question the candidate asked also covers one."""
    sentence_terms = [f.terms for f in credited]
    sentence_weights = [f.quality.weight for f in credited]
    clarification_terms = [meaning_terms(t) for t in clarifications]
    total = 0.0
    best = 0.0
    missing: list[str] = []
    for point in points:
        match = match_point(point, sentence_terms, sentence_weights, question_terms)
        credit = 0.0
        if match.sentence_index is not None:
            facts = credited[match.sentence_index]
            credit = facts.quality.weight
            pool.add(facts, credit, True)
        elif match.overlap >= PARTIAL_MATCH_SHARE * match.needed:
            credit = PARTIAL_CREDIT
        asked = (
            bool(clarification_terms)
            and match_point(point, clarification_terms, None, question_terms).covered
        )
        if asked:
            credit = WEIGHT_REASONED
        if match.sentence_index is not None or asked:
            best = max(best, credit)
        if credit <= WEIGHT_LIST or (match.sentence_index is None and not asked):
            missing.append(point)
        total += credit
    return _Coverage(total / len(points), tuple(missing), best)


def _generic_missing(dimension: str, concept_credit: dict[str, _Credit]) -> tuple[str, ...]:
    """Advice from the lexicon for a free question: core concepts never explained."""
    missing = [
        concept.label
        for concept in CONCEPTS_BY_DIMENSION.get(dimension, ())
        if concept.core
        and (concept.id not in concept_credit or concept_credit[concept.id].weight <= WEIGHT_LIST)
    ]
    return tuple(missing[:MAX_GENERIC_MISSING])


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
    asked = good_clarifications(clarifications) if dimension == "problem_framing" else []
    weights.extend(WEIGHT_REASONED for _ in asked)
    saturation = CONCEPT_SATURATION if expected_points else FREE_QUESTION_SATURATION
    concept_part = min(_diminishing_sum(weights) / saturation, 1.0)

    pool = _EvidencePool()
    for credit in concept_credit.values():
        pool.add(credit.facts, credit.weight, False)
    best_weight = max(weights, default=0.0)
    if expected_points:
        coverage = _cover_points(expected_points, credited, asked, question_terms, pool)
        raw = 0.45 * concept_part + 0.55 * coverage.share
        missing = coverage.missing
        best_weight = max(best_weight, coverage.best_credit)
    else:
        raw = concept_part
        missing = _generic_missing(dimension, concept_credit)

    score = _band(raw)
    if best_weight < WEIGHT_REASONED:
        score = min(score, 2)  # mentioned, never explained
    if best_weight <= WEIGHT_LIST:
        score = 1 if raw < 0.3 else min(score, 2)  # only ever listed
    if not weights and not pool.candidates:
        score = 1
    undecided = dimension == "tradeoffs" and score > 2 and not _decides(credited)
    if undecided:
        score = 2  # the rubric's weak signal: lists trade-offs without deciding

    evidence = quotes(f.sentence for f in _rank_evidence(dimension, pool.candidates))
    note = ""
    if asked:
        note = f"Asked {len(asked)} clarifying question{'s' if len(asked) != 1 else ''}."
    elif undecided:
        note = "Named the trade-offs but never chose between them."
    elif best_weight and best_weight < WEIGHT_MENTION + 0.01 and score <= 2:
        note = "Mentioned, but never explained why it matters."
    return DimensionScore(dimension, score, evidence, missing, note)
