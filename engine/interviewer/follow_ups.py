"""Which probe the interviewer asks after an answer, if any: the follow-up policy.

A real interviewer probes where the answer was thin, reacts to what was said, brings in a new
constraint once a design is on the table, never asks the same thing twice, and stops when time
or patience runs out. ``choose_follow_up`` does the same, deterministically, in this order:

1. No probe when no follow-ups are left for the question, when less than
   ``MIN_TIME_FOR_PROBE_S`` remains, or when the answer is empty.
2. A *triggered* probe: a bank follow-up whose trigger phrase occurs in the answer ("CTR" ->
   CTR's limits, a heavy model -> latency). The feedback loop probe also fires by rule when the
   answer ranks or personalises by engagement and never mentions exploration, diversity or
   feedback loops, and stays silent when it does. When the question has no probe of its own
   for such a concept, the generic one is asked (see ``generic_probes.CONCEPTS``).
3. A constraint change, once the candidate has a design (``system_design``, or the category's
   core dimension, at least ``DESIGN_READY_SCORE``) and no constraint was introduced on this
   question yet.
4. The weakest applicable dimension that still has an unasked follow-up (lowest score; ties in
   the order of a strong answer's shape: user, problem, metrics, system, trade-offs, iteration).
   A dimension already scored strong is not probed.

Free questions have no bank follow-ups; ``engine.interviewer.generic_probes`` provides the same
kinds of probes in generic wording. Every probe is passed through ``phrasing.spoken`` so it can be
said aloud, and compared with ``request.asked_probes`` in a normalised form so a probe is never
repeated in a session, even when its punctuation differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from engine.grading.base import GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion
from engine.interviewer import generic_probes as generic
from engine.interviewer.phrasing import spoken
from engine.questions.model import FollowUp, Question
from engine.rubric import DIMENSION_IDS, applicable_dimensions

MIN_TIME_FOR_PROBE_S = 45.0
"""Below this much time left, a probe would only be cut off; move on instead."""

MIN_TIME_FOR_CONSTRAINT_S = 90.0
"""Adapting a design to a new constraint needs more room than answering a plain probe."""

DESIGN_READY_SCORE = 3
"""A constraint change only makes sense once there is a solid design to change."""

CORE_DIMENSION: dict[str, str] = {
    "design": "system_design",
    "diagnose": "diagnosis",
    "metrics": "metrics",
    "experimentation": "experimentation",
    "tradeoff": "tradeoffs",
    "behavior": "user_signals",
}
"""What "has a design" means per category: outside design questions, the plan the candidate
builds is a diagnosis, a metric hierarchy, an experiment, a decision or a model of the user, and
a constraint change tests whether *that* adapts."""

STRONG_SCORE = 4
"""A dimension scored this high needs no probing."""

UNSCORED = 2
"""Assumed score of an applicable dimension the grader did not return (treated as weak)."""

ANSWER_SHAPE_ORDER: tuple[str, ...] = (
    "problem_framing",
    "diagnosis",
    "metrics",
    "user_signals",
    "system_design",
    "tradeoffs",
    "experimentation",
    "communication",
)
"""Tie-break order for equally weak dimensions: the shape of a strong answer (DOMAIN.md), user ->
problem -> metrics -> system -> trade-offs -> iteration. On diagnose questions the diagnosis *is*
the problem stage, so it sits right after framing; communication is judged on the whole answer
and comes last."""

assert set(ANSWER_SHAPE_ORDER) == set(DIMENSION_IDS), "every rubric dimension needs a place"


@dataclass(frozen=True)
class _Candidate:
    """A probe under consideration, from the bank or from the generic repertoire."""

    text: str
    dimension: str
    triggers: tuple[str, ...] = ()
    constraint: str | None = None
    concept: generic.Concept | None = None
    is_feedback_loop_probe: bool = False

    def suggestion(self) -> FollowUpSuggestion:
        return FollowUpSuggestion(spoken(self.text), self.dimension, self.constraint)


@lru_cache(maxsize=4096)
def probe_key(text: str) -> str:
    """A normal form of a probe's text for "was this already asked?" comparisons."""
    return " ".join(re.findall(r"[a-z0-9]+", spoken(text).lower()))


def choose_follow_up(
    request: GradeRequest, scores: Sequence[DimensionScore]
) -> FollowUpSuggestion | None:
    """Pick the next probe for the answer in ``request``, or None to move on.

    Args:
        request: the graded answer with its question, the probes already asked this session
            (``asked_probes``), how many probes remain for the question and the time left.
        scores: the grader's dimension scores for this answer (``score`` None = not applicable).

    Returns:
        A spoken-ready suggestion, or None when the interviewer should move on.
    """
    if request.follow_ups_left <= 0:
        return None
    if request.time_left_s is not None and request.time_left_s < MIN_TIME_FOR_PROBE_S:
        return None
    answer = generic.normalise_for_matching(request.transcript.text)
    if not answer.strip():
        return None
    # What the candidate said on this question so far: a concern settled earlier stays settled.
    said = " ".join(t.text for t in (*request.previous_answers, request.transcript))
    context = generic.normalise_for_matching(said)

    asked = {probe_key(text) for text in request.asked_probes}
    pool = _candidates(request.question)
    fresh = [c for c in pool if probe_key(c.text) not in asked]
    if not fresh:
        return None

    triggered = _first_triggered(fresh, answer, context)
    if triggered is None and request.question.follow_ups:
        triggered = _uncovered_concept(request.question, pool, asked, answer, context)
    if triggered is not None:
        return triggered.suggestion()

    score_of = _score_map(request.question, scores)
    constraint = _constraint_probe(request, pool, fresh, asked, score_of)
    if constraint is not None:
        return constraint.suggestion()

    weakest = _weakest_dimension_probe(fresh, score_of, context)
    return None if weakest is None else weakest.suggestion()


def _candidates(question: Question) -> list[_Candidate]:
    """The question's own follow-ups, or the generic repertoire for a free question."""
    if question.follow_ups:
        return [_from_bank(f) for f in question.follow_ups]
    seed = question.prompt
    candidates = [
        _Candidate(concept.probe, concept.dimension, concept=concept)
        for concept in generic.CONCEPTS
    ]
    for probe in generic.CONSTRAINT_PROBES.get(question.category, ()):
        candidates.append(_Candidate(probe.text, probe.dimension, constraint=probe.constraint))
    for dimension in ANSWER_SHAPE_ORDER:
        for text in generic.rotated(generic.DIMENSION_PROBES.get(dimension, ()), seed):
            candidates.append(_Candidate(text, dimension))
    return candidates


def _from_bank(follow_up: FollowUp) -> _Candidate:
    text = generic.normalise_for_matching(follow_up.text)
    is_loop = (
        not follow_up.constraint
        and follow_up.dimension == generic.FEEDBACK_LOOP_PROBE_DIMENSION
        and generic.mentions(text, generic.FEEDBACK_LOOP_PROBE_MARKERS)
    )
    return _Candidate(
        text=follow_up.text,
        dimension=follow_up.dimension,
        triggers=follow_up.triggers,
        constraint=follow_up.constraint,
        is_feedback_loop_probe=is_loop,
    )


def _first_triggered(
    candidates: Iterable[_Candidate], answer: str, context: str
) -> _Candidate | None:
    """The first candidate (in bank order) that the answer's content sets off.

    ``answer`` is the answer just given, ``context`` everything said on the question so far;
    triggers fire on the former, while a concern already handled in the latter stays quiet.
    """
    for candidate in candidates:
        if candidate.concept is not None:
            if generic.concept_raised(candidate.concept, answer, context):
                return candidate
            continue
        if candidate.is_feedback_loop_probe:
            # Already handled exploration or diversity: this probe has nothing left to ask.
            if generic.mentions(context, generic.FEEDBACK_LOOP.handled):
                continue
            if generic.concept_raised(generic.FEEDBACK_LOOP, answer, context):
                return candidate
        if candidate.triggers and generic.mentions(answer, candidate.triggers):
            return candidate
    return None


def _uncovered_concept(
    question: Question,
    pool: Sequence[_Candidate],
    asked: set[str],
    answer: str,
    context: str,
) -> _Candidate | None:
    """A generic concept probe for a bank question whose own follow-ups do not cover it.

    The bank's authors cannot foresee every answer: a candidate may bring up click-through rate
    or a heavy model on a question whose follow-ups never mention them. The concept probe is
    used only when none of the question's own probes is about that concept, so curated probes
    always win, and only on dimensions that apply to the question's category. Cold start is
    left out: "embeddings" or "history" appear in most designs, and on a bank question a probe
    on the weakest dimension is the better use of the turn.
    """
    applicable = set(applicable_dimensions(question.category))
    for concept in generic.BANK_FALLBACK_CONCEPTS:
        if concept.dimension not in applicable or probe_key(concept.probe) in asked:
            continue
        if any(_covers(candidate, concept) for candidate in pool):
            continue
        if generic.concept_raised(concept, answer, context):
            return _Candidate(concept.probe, concept.dimension, concept=concept)
    return None


def _covers(candidate: _Candidate, concept: generic.Concept) -> bool:
    """Whether a bank probe is about ``concept`` (its triggers reveal it, or it is the loop one)."""
    if concept is generic.FEEDBACK_LOOP and candidate.is_feedback_loop_probe:
        return True
    triggers = generic.normalise_for_matching(" ; ".join(candidate.triggers))
    return bool(candidate.triggers) and generic.mentions(triggers, concept.reveals)


def _score_map(question: Question, scores: Sequence[DimensionScore]) -> dict[str, int]:
    """Applicable dimension -> score; unscored applicable dimensions count as weak."""
    given = {s.id: s.score for s in scores}
    result: dict[str, int] = {}
    for dimension in applicable_dimensions(question.category):
        if dimension in given:
            score = given[dimension]
            if score is None:
                continue  # the grader says it does not apply to this answer
            result[dimension] = int(score)
        else:
            result[dimension] = UNSCORED
    return result


def _constraint_probe(
    request: GradeRequest,
    pool: Sequence[_Candidate],
    fresh: Sequence[_Candidate],
    asked: set[str],
    score_of: dict[str, int],
) -> _Candidate | None:
    """A constraint change, when a design exists and none was introduced on this question."""
    core = CORE_DIMENSION.get(request.question.category, "system_design")
    ready = max(score_of.get("system_design", 0), score_of.get(core, 0))
    if ready < DESIGN_READY_SCORE:
        return None
    if request.time_left_s is not None and request.time_left_s < MIN_TIME_FOR_CONSTRAINT_S:
        return None
    if request.prompt is not None and request.prompt.constraint:
        return None
    if any(c.constraint and probe_key(c.text) in asked for c in pool):
        return None
    return next((c for c in fresh if c.constraint and c.concept is None), None)


def _weakest_dimension_probe(
    fresh: Sequence[_Candidate], score_of: dict[str, int], context: str
) -> _Candidate | None:
    """A plain probe on the weakest dimension that still has one left.

    Probes that wait for a trigger ("what are the limits of CTR?") make no sense when the
    answer never raised their subject, so only untriggered ones qualify here.
    """
    loop_handled = generic.mentions(context, generic.FEEDBACK_LOOP.handled)
    plain = [c for c in fresh if not c.triggers and not c.constraint and c.concept is None]
    plain = [c for c in plain if not (c.is_feedback_loop_probe and loop_handled)]
    ranked = sorted(score_of, key=lambda d: (score_of[d], ANSWER_SHAPE_ORDER.index(d)))
    for dimension in ranked:
        if score_of[dimension] >= STRONG_SCORE:
            break
        match = next((c for c in plain if c.dimension == dimension), None)
        if match is not None:
            return match
    return None
