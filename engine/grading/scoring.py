"""Score one content dimension (everything but communication) from the analysed answer.

Two sources of credit, both weighted by how well the crediting sentence reasons:

* the question's expected points for the dimension, as a coverage share: matched by meaning
  (``coverage.py``: the clause most similar to the point, each clause covering at most two
  points) or, when the model is unavailable or the wording matches, by words (``matching.py``);
* lexicon concepts of the dimension (``concepts.py``), each counted once however often it is
  repeated, with diminishing returns. With meaning-based grading a concept counts only in a
  sentence *applied* to this question (close to its prompt, context or points) and allocated to
  this dimension, and concepts carry only a small share of the score
  (``SEMANTIC_CONCEPT_SHARE``): rubric vocabulary alone cannot lift a dimension.

A dimension whose credit comes only from bare mentions or keyword lists is capped at 2
("weak"): vocabulary without a reason is exactly what the rubric calls weak. Every threshold
and weight of the meaning-based path was tuned on the tuning half of tests/data/grading only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.grading.analysis import AnswerAnalysis, SentenceFacts
from engine.grading.coverage import PointCover
from engine.grading.evidence import quotes
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.matching import match_point, meaning_terms
from engine.grading.meaning import asks_decision
from engine.grading.reasoning import (
    WEIGHT_LIST,
    WEIGHT_MENTION,
    WEIGHT_REASONED,
    WEIGHT_TIED,
    takes_a_side,
)
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
# Share of a bank question's dimension score that comes from lexicon concepts (the rest from
# expected points): lexical grading, and meaning-based grading where points are matched by
# meaning and concepts count only when applied to the question.
CONCEPT_SHARE = 0.45
SEMANTIC_CONCEPT_SHARE = 0.19
FREE_CONCEPT_SHARE = 0.38
# Meaning-based grading: bands of the raw score, how much a point's credit depends on how well
# its sentence reasons (plain statements still count), and the reasoning a dimension needs
# before it can score above 2.
SEMANTIC_BANDS: tuple[tuple[float, int], ...] = ((0.73, 4), (0.4, 3), (0.11, 2))
QUALITY_FLOOR = 0.76
EXPLAINED_MIN = WEIGHT_TIED
SHRINK = 0.4
# Credit kept by a sentence that names nothing particular to the question (``grounding.py``):
# of its expected-point coverage, and of its rubric concepts (a concept counts only when
# applied).
UNGROUNDED_FACTOR = 0.3
UNGROUNDED_CONCEPT_FACTOR = 0.0
# A rambling answer: past this share of re-said clauses, each further share point costs
# RESAID_COST of the raw score (repetition does not accumulate credit).
RESAID_FREE = 0.2
RESAID_COST = 2.5
# An expected point that asks for a call ("..., with a decision"): the share of its credit that
# is the call (``_grounded_call``); the rest is the weighing, matched by meaning.
DECISION_SHARE = 0.5


@dataclass(frozen=True)
class DimensionMeaning:
    """What the meaning-based reading says about one dimension (see ``coverage.py``).

    Attributes:
        covers: each expected point with the clause that covers it by meaning.
        applied: sentence index -> 0..1, how much the sentence is about this question's own
            product, users and numbers; rubric concepts earn credit in proportion.
        allocated: the sentences that are about this dimension (each sentence is allocated to
            one or two dimensions); only they earn concept credit here and become its evidence.
        anchor: for a free question (no expected points), 0..1: how close the best applied
            sentence comes to the rubric's description of a strong answer on this dimension.
        anchor_sentence: that sentence's index.
        answer_raw: the mean raw score of the answer's content dimensions; each dimension is
            pulled toward it by ``SHRINK`` (one idea said under the "wrong" dimension, or a point
            phrased unlike its wording, should not swing a dimension from 4 to 1).
        resaid_share: how much of the answer re-says earlier clauses in new words
            (``meaning.resaid_share``); past ``RESAID_FREE`` the dimension's raw score shrinks.
        grounded: the sentences that use the question's own subject words or a quantity, or
            follow or precede one closely (``grounding.py``); the credit of any other sentence
            is scaled by ``UNGROUNDED_FACTOR`` (its concepts by ``UNGROUNDED_CONCEPT_FACTOR``).
            None: no discount (lexical grading).
    """

    covers: tuple[PointCover, ...]
    applied: dict[int, float]
    allocated: frozenset[int]
    anchor: float = 0.0
    anchor_sentence: int | None = None
    answer_raw: float | None = None
    grounded: frozenset[int] | None = None
    resaid_share: float = 0.0

    def grounding(self, index: int, factor: float | None = None) -> float:
        """1 for a sentence tied to the question's particulars (``grounding.py``), else less.

        ``factor`` is what an untied sentence keeps (``UNGROUNDED_FACTOR`` unless given).
        """
        if self.grounded is None or index in self.grounded:
            return 1.0
        return UNGROUNDED_FACTOR if factor is None else factor


@dataclass(frozen=True)
class _Credit:
    weight: float
    facts: SentenceFacts
    quality: float = 0.0  # how well the sentence reasons, before the applied discount


def _band(raw: float, semantic: bool = False) -> int:
    for bound, score in SEMANTIC_BANDS if semantic else SCORE_BANDS:
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


def _grounded_call(credited: Sequence[SentenceFacts], semantic: DimensionMeaning) -> float:
    """1 when the answer makes a reasoned call about this question's own particulars, else 0.

    What counts: a sentence that takes a side (``reasoning.takes_a_side``: "hold it", "I'd say
    yes", not "I'd make a decision"), is not a bare list and is tied
    to the question's particulars (``grounding.py``), with a reason or condition and with
    closeness to the question in it or in the sentence just before it (a spoken call often
    follows its reasons: "...apply it only where the risk is high. Under that version I'd say
    yes."). "Fifth, the decision, because decisions matter" is about no product and earns
    nothing.
    """
    previous: SentenceFacts | None = None
    for facts in credited:
        before, previous = previous, facts
        quality = facts.quality
        if not quality.decides or quality.is_list or not takes_a_side(facts.sentence.text):
            continue
        index = facts.sentence.index
        if semantic.grounding(index) < 1.0:
            continue
        context = [facts] if before is None else [facts, before]
        if not any(f.quality.reasons for f in context):
            continue
        if max(semantic.applied.get(f.sentence.index, 0.0) for f in context) < 0.5:
            continue
        return 1.0
    return 0.0


def _asks(facts: SentenceFacts) -> bool:
    """A real question put to the interviewer (not a rhetorical list)."""
    return facts.sentence.text.rstrip().endswith("?") and not facts.quality.is_list


def _concept_credits(
    dimension: str, credited: Sequence[SentenceFacts], semantic: DimensionMeaning | None = None
) -> dict[str, _Credit]:
    factors = {
        c.id: 1.0 if c.core else NON_CORE_FACTOR for c in CONCEPTS_BY_DIMENSION.get(dimension, ())
    }
    best: dict[str, _Credit] = {}
    for facts in credited:
        index = facts.sentence.index
        if semantic is not None and index not in semantic.allocated:
            continue
        applied = 1.0 if semantic is None else semantic.applied.get(index, 0.0)
        if semantic is not None:
            applied *= semantic.grounding(index, UNGROUNDED_CONCEPT_FACTOR)
        if applied <= 0.0:
            continue
        quality = facts.quality.weight
        if dimension == "problem_framing" and _asks(facts):
            quality = WEIGHT_REASONED  # asking the interviewer is framing done right
        for concept_id in sorted(facts.concepts & factors.keys()):
            weight = quality * factors[concept_id] * applied
            if concept_id not in best or weight > best[concept_id].weight:
                best[concept_id] = _Credit(weight, facts, quality if applied >= 0.5 else 0.0)
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
    not_covered: tuple[str, ...] = ()  # not missing, but only loosely touched on


def _cover_points(
    points: Sequence[str],
    credited: Sequence[SentenceFacts],
    clarifications: Sequence[str],
    question_terms: frozenset[str],
    pool: _EvidencePool,
    semantic: DimensionMeaning | None = None,
) -> _Coverage:
    """Match each expected point by its words and by meaning; the better match counts.

    A clarifying question the candidate asked also covers a point. A point is missing only
    when neither its words nor its meaning were found (a paraphrase is not missing).
    """
    sentence_terms = [f.terms for f in credited]
    sentence_weights = [f.quality.weight for f in credited]
    by_index = {f.sentence.index: f for f in credited}
    clarification_terms = [meaning_terms(t) for t in clarifications]
    total = 0.0
    best = 0.0
    missing: list[str] = []
    loose: list[str] = []
    for number, point in enumerate(points):
        match = match_point(point, sentence_terms, sentence_weights, question_terms)
        credit = 0.0
        earned = 0.0  # the credit after the grounding discount: what the score counts
        found = match.sentence_index is not None
        if found:
            facts = credited[match.sentence_index]
            credit = facts.quality.weight
            earned = credit * (semantic.grounding(facts.sentence.index) if semantic else 1.0)
            pool.add(facts, credit, True)  # offline.py keeps each quote to two dimensions
        elif match.overlap >= PARTIAL_MATCH_SHARE * match.needed:
            credit = earned = PARTIAL_CREDIT
        cover = semantic.covers[number] if semantic is not None else None
        if cover is not None and cover.touched:
            found = True  # said in other words: not missing, even if only loosely
        if cover is not None and cover.sentence_index in by_index:
            facts = by_index[cover.sentence_index]
            meant = cover.credit * (QUALITY_FLOOR + (1 - QUALITY_FLOOR) * facts.quality.weight)
            credit = max(credit, meant)
            earned = max(earned, meant * semantic.grounding(facts.sentence.index))
            if cover.covered and facts.sentence.index in semantic.allocated:
                pool.add(facts, meant, True)
            if cover.covered:
                found = True
                best = max(best, facts.quality.weight)
        if semantic is not None and asks_decision(point):
            # half of such a point is the weighing (matched above), half the call itself
            called = _grounded_call(credited, semantic)
            earned = DECISION_SHARE * called + (1 - DECISION_SHARE) * earned
            credit = max(credit, earned)
            if called:
                found = True
                best = max(best, WEIGHT_REASONED)
        asked = (
            bool(clarification_terms)
            and match_point(point, clarification_terms, None, question_terms).covered
        )
        if asked:
            credit = earned = WEIGHT_REASONED
        if match.sentence_index is not None or asked:
            best = max(best, credit)
        if credit <= WEIGHT_LIST or not (found or asked):
            missing.append(point)
        elif credit < 0.5:
            loose.append(point)
        total += earned
    return _Coverage(total / len(points), tuple(missing), best, tuple(loose))


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
    semantic: DimensionMeaning | None = None,
) -> DimensionScore:
    """Score ``dimension`` 1-4 (see ``score_dimension_raw``, which also returns the raw score)."""
    return score_dimension_raw(
        dimension, analysis, expected_points, clarifications, question_terms, semantic
    )[1]


def score_dimension_raw(
    dimension: str,
    analysis: AnswerAnalysis,
    expected_points: Sequence[str],
    clarifications: Sequence[str] = (),
    question_terms: frozenset[str] = frozenset(),
    semantic: DimensionMeaning | None = None,
) -> tuple[float, DimensionScore]:
    """Score ``dimension`` 1-4 with evidence quotes and the points the answer missed.

    Returns the raw 0-1 score (before banding and caps) with the ``DimensionScore``.

    Args:
        dimension: a content rubric id (not ``communication``).
        analysis: the analysed answer.
        expected_points: the bank question's points for this dimension; empty for free questions,
            which then list generic missing points from the lexicon.
        clarifications: clarifying questions the candidate asked (``problem_framing`` only).
        question_terms: the question's own words; echoing them does not cover a point.
        semantic: the meaning-based reading of this dimension, or None for lexical grading.
    """
    credited = analysis.credited
    concept_credit = _concept_credits(dimension, credited, semantic)
    weights = [c.weight for c in concept_credit.values()]
    asked = good_clarifications(clarifications) if dimension == "problem_framing" else []
    weights.extend(WEIGHT_REASONED for _ in asked)
    saturation = CONCEPT_SATURATION if expected_points else FREE_QUESTION_SATURATION
    concept_part = min(_diminishing_sum(weights) / saturation, 1.0)

    loosely: tuple[str, ...] = ()
    pool = _EvidencePool()
    for credit in concept_credit.values():
        pool.add(credit.facts, credit.weight, False)
    best_weight = max(
        [c.quality if semantic is not None else c.weight for c in concept_credit.values()]
        + [WEIGHT_REASONED for _ in asked],
        default=0.0,
    )
    if expected_points:
        coverage = _cover_points(expected_points, credited, asked, question_terms, pool, semantic)
        concept_share = CONCEPT_SHARE if semantic is None else SEMANTIC_CONCEPT_SHARE
        raw = concept_share * concept_part + (1 - concept_share) * coverage.share
        missing = coverage.missing
        loosely = coverage.not_covered
        best_weight = max(best_weight, coverage.best_credit)
    elif semantic is not None:
        raw = FREE_CONCEPT_SHARE * concept_part + (1 - FREE_CONCEPT_SHARE) * semantic.anchor
        missing = _generic_missing(dimension, concept_credit)
        anchored = next((f for f in credited if f.sentence.index == semantic.anchor_sentence), None)
        if anchored is not None and semantic.anchor >= 0.5:
            pool.add(anchored, semantic.anchor, True)
            best_weight = max(best_weight, anchored.quality.weight)
    else:
        raw = concept_part
        missing = _generic_missing(dimension, concept_credit)

    if semantic is not None and semantic.answer_raw is not None:
        raw = (1 - SHRINK) * raw + SHRINK * semantic.answer_raw
    if semantic is not None:
        raw *= max(0.0, 1.0 - RESAID_COST * max(0.0, semantic.resaid_share - RESAID_FREE))
    score = _band(raw, semantic is not None)
    if best_weight < (WEIGHT_REASONED if semantic is None else EXPLAINED_MIN):
        score = min(score, 2)  # mentioned, never explained
    if best_weight <= WEIGHT_LIST:
        score = 1 if raw < 0.3 else min(score, 2)  # only ever listed
    if not weights and not pool.candidates and raw <= 0.0:
        score = 1
    # A question whose trade-off points ask for a call: the call itself, on this question's
    # particulars, is the decision the rubric looks for, in whatever words it is made.
    called = (
        semantic is not None
        and any(asks_decision(p) for p in expected_points)
        and _grounded_call(credited, semantic) > 0
    )
    undecided = dimension == "tradeoffs" and score > 2 and not (called or _decides(credited))
    if undecided:
        score = 2  # the rubric's weak signal: lists trade-offs without deciding

    if expected_points and score == 1 and not missing:
        missing = loosely  # touched on, but too loosely to earn anything: still to do
    evidence = quotes(f.sentence for f in _rank_evidence(dimension, pool.candidates))
    note = ""
    if asked:
        note = f"Asked {len(asked)} clarifying question{'s' if len(asked) != 1 else ''}."
    elif undecided:
        note = "Named the trade-offs but never chose between them."
    elif best_weight and best_weight < WEIGHT_MENTION + 0.01 and score <= 2:
        note = "Mentioned, but never explained why it matters."
    return raw, DimensionScore(dimension, score, evidence, missing, note)
