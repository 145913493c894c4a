"""Which probe the interviewer asks after an answer, if any: the follow-up policy.

A real interviewer probes the biggest gap that matters for *this kind* of question, never
re-asks what the candidate already covered well, reacts to what was said, uses the candidate's
own words, and never asks the same thing twice. ``choose_follow_up`` does the same,
deterministically:

1. No probe when no follow-ups are left for the question, when less than
   ``MIN_TIME_FOR_PROBE_S`` remains, or when the answer is empty.
2. Every applicable dimension below solid (score < ``SOLID_SCORE``) is a *gap*; its priority is
   the category's weight for it (the verdict's ``CATEGORY_WEIGHTS`` in ``engine.grading.verdict``:
   a diagnose question cares first about the diagnosis and the framing, a metrics question about
   metrics, a trade-off question about the decision) times how far below solid it is; a dimension
   on which the grader quotes nothing counts as missing, whatever partial credit it inferred. A
   dimension at solid or above is never probed; the dimension just probed counts half, so a
   still-thin answer moves on to the next gap. A generic answer (a template, jargon) that
   grading rates off topic is probed like any other, only an answer about something else is
   redirected (``redirects``).
3. When the biggest gap is small (below ``CONSTRAINT_BEATS_GAP``), the answer is solid on
   average and the candidate has a design (the category's core dimension, or
   ``system_design``, solid), a constraint change is asked instead, once per question: the
   interesting question left is whether the plan adapts.
4. Otherwise the gaps are tried from the biggest down. Equal gaps are broken by the answer's
   content (a gap whose probe the answer sets off, "CTR" -> CTR's limits, goes first), then by
   the weight, then by the shape of a strong answer. On the chosen dimension the sharpest probe
   wins: a bank probe whose trigger phrase fired, then a concept the answer raised, then the
   question's plain probe, then the generic repertoire (``generic_probes.DIMENSION_PROBES``), so
   a bank question whose author wrote no probe for its biggest gap still gets one.
5. When the answer already said something on that dimension, the probe opens with a short
   verbatim phrase of it, turned to the second person ("You said you'd track clicks.";
   ``phrasing.quoted_lead``).

Free questions have no bank follow-ups; ``engine.interviewer.generic_probes`` provides the same
kinds of probes in generic wording. Every probe is passed through ``phrasing.spoken`` so it can be
said aloud, and compared with ``request.asked_probes`` in a normalised form (without the quoted
lead) so a probe is never repeated in a session, even across questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from engine.grading.base import GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion, Grade
from engine.grading.verdict import dimension_weight as verdict_weight
from engine.interviewer import generic_probes as generic
from engine.interviewer.phrasing import QUOTED_LEAD, quoted_lead, spoken
from engine.interviewer.redirects import grade_is_off_topic
from engine.questions.model import FollowUp, Question
from engine.rubric import DIMENSION_IDS, applicable_dimensions
from engine.transcript import Transcript

MIN_TIME_FOR_PROBE_S = 45.0
"""Below this much time left, a probe would only be cut off; move on instead."""

MIN_TIME_FOR_CONSTRAINT_S = 90.0
"""Adapting a design to a new constraint needs more room than answering a plain probe."""

DESIGN_READY_SCORE = 3
"""A constraint change only makes sense once there is a solid design to change."""

SOLID_SCORE = 3
"""A dimension scored this high (or higher) is covered: it is never probed."""

STRONG_SCORE = 4
"""A dimension scored this high needs no probing at all, not even on a follow-up answer."""

UNSCORED = 2
"""Assumed score of an applicable dimension the grader did not return (treated as weak)."""

UNSAID_SCORE = 1
"""A dimension below solid on which the grader quotes nothing counts as missing outright: the
candidate said nothing there (any partial credit came from the rest of the answer), and that is
the gap a person asks about first."""

CONSTRAINT_BEATS_GAP = 2.0
"""A constraint change is asked only when no gap has at least this priority: a solid design
with a small hole left is tested by changing the ground under it, a real hole is probed first.
(Priority 2.0 is a secondary dimension missing outright, or a key one merely weak.)"""

JUST_PROBED_FACTOR = 0.5
"""The gap of the dimension the last probe was about counts this much on the next choice."""

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

PROBE_WEIGHT_CHANGES: dict[str, dict[str, float]] = {"metrics": {"system_design": 0.7}}
"""Where choosing a probe weighs a dimension differently from the verdict's table
(``engine.grading.verdict.CATEGORY_WEIGHTS``, the one table of what each category hinges on):
on a metrics question, how the metric is validated online is worth a probe before the model
behind it. Set on the tuning half of the labelled corpus's ``probe_ok`` targets; the report half
is only measured."""

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
"""Last tie-break for equal gaps: the shape of a strong answer (DOMAIN.md), user -> problem ->
metrics -> system -> trade-offs -> iteration. On diagnose questions the diagnosis *is* the
problem stage, so it sits right after framing; communication is judged on the whole answer and
comes last."""

assert set(ANSWER_SHAPE_ORDER) == set(DIMENSION_IDS), "every rubric dimension needs a place"


@dataclass(frozen=True, eq=False)
class QuotedFollowUp(FollowUpSuggestion):
    """A suggestion whose text opens with the candidate's own words.

    ``quote`` is the verbatim stretch of the transcript the lead quotes (before it was turned
    to the second person), so a host or a check can find it in what was heard. It compares
    equal to a plain suggestion with the same text, dimension and constraint: the quote is a
    record of where the words came from, not part of what is asked.
    """

    quote: str = ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FollowUpSuggestion):
            return NotImplemented
        mine = (self.text, self.dimension, self.constraint)
        return mine == (other.text, other.dimension, other.constraint)

    def __hash__(self) -> int:
        return hash((self.text, self.dimension, self.constraint))


@dataclass(frozen=True)
class _Candidate:
    """A probe under consideration, from the bank or from the generic repertoire."""

    text: str
    dimension: str
    triggers: tuple[str, ...] = ()
    constraint: str | None = None
    concept: generic.Concept | None = None
    is_feedback_loop_probe: bool = False
    generic: bool = False

    def suggestion(self) -> FollowUpSuggestion:
        return FollowUpSuggestion(spoken(self.text), self.dimension, self.constraint)


@lru_cache(maxsize=4096)
def probe_key(text: str) -> str:
    """A normal form of a probe's text for "was this already asked?" comparisons.

    A quoted lead ("You said you'd track clicks.") is dropped first: the same probe behind a
    different quote is still the same probe.
    """
    text = QUOTED_LEAD.sub("", spoken(text))
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def dimension_weight(category: str, dimension: str) -> float:
    """How much a gap in ``dimension`` matters on a question of ``category``.

    The verdict's weight, with the probe's own changes (``PROBE_WEIGHT_CHANGES``).
    """
    changed = PROBE_WEIGHT_CHANGES.get(category, {})
    if dimension in changed:
        return changed[dimension]
    return verdict_weight(category, dimension)


def gap_priorities(category: str, score_of: Mapping[str, int]) -> dict[str, float]:
    """Dimension -> priority of probing it: weight times the distance below solid (0 if solid)."""
    return {
        d: dimension_weight(category, d) * (SOLID_SCORE - s)
        for d, s in score_of.items()
        if s < SOLID_SCORE
    }


def choose_follow_up(
    request: GradeRequest, scores: Sequence[DimensionScore]
) -> FollowUpSuggestion | None:
    """Pick the next probe for the answer in ``request``, or None to move on.

    Args:
        request: the graded answer with its question, the probes already asked this session
            (``asked_probes``), how many probes remain for the question and the time left.
        scores: the grader's dimension scores for this answer (``score`` None = not applicable).

    Returns:
        A spoken-ready suggestion (a ``QuotedFollowUp`` when it quotes the answer), or None
        when the interviewer should move on.
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
    score_of = _score_map(request.question, scores)
    gaps = gap_priorities(request.question.category, score_of)
    if request.prompt is not None and request.prompt.dimension in gaps:
        # Just probed there and still thin: a person moves on to the next gap before coming back.
        gaps[request.prompt.dimension] *= JUST_PROBED_FACTOR

    if max(gaps.values(), default=0.0) < CONSTRAINT_BEATS_GAP and _solid_overall(score_of):
        constraint = _constraint_probe(request, pool, fresh, asked, score_of)
        if constraint is not None:
            return constraint.suggestion()

    extra = _uncovered_concepts(request.question, pool, asked, answer, context)
    by_dimension = _probes_by_dimension([*fresh, *extra], answer, context)
    for dimension in _ranked_gaps(request.question.category, gaps, by_dimension):
        options = by_dimension.get(dimension)
        if options:
            return _with_quote(options[0][1], scores, request.transcript.text, asked)
    return None


def chosen_probe_dimension(question: Question, grade: Grade, answer: str = "") -> str | None:
    """The dimension the policy would probe after ``grade``, or None for no probe.

    For checks against labelled targets (``probe_ok`` in the grading corpus) and for the
    grading benchmark: the same policy as ``choose_follow_up`` on a fresh session with time
    left. An answer the grade calls off topic gets a redirect, not a probe (None); a generic
    answer on the question that the grade rates low on relevance is probed, as in the interview
    (``redirects.grade_is_off_topic``).

    Args:
        question: the question answered.
        grade: the answer's grade.
        answer: the answer's text, when known, so its content can break ties as in the
            interview; without it ties fall to the category's weights.
    """
    if grade_is_off_topic(grade, answer if answer.strip() else None):
        return None
    text = answer if answer.strip() else "answer"
    request = GradeRequest(question=question, transcript=Transcript.from_text(text, 60.0))
    suggestion = choose_follow_up(request, grade.dimensions)
    return None if suggestion is None else suggestion.dimension


def _candidates(question: Question) -> list[_Candidate]:
    """The question's own follow-ups first, then the generic repertoire.

    On a free question the generic concepts and constraint changes stand in for the bank's;
    on a bank question only the generic *dimension* probes are added, as a fallback for a gap
    the question's author wrote no probe for.
    """
    seed = question.prompt
    candidates = [_from_bank(f) for f in question.follow_ups]
    if not question.follow_ups:
        candidates.extend(
            _Candidate(concept.probe, concept.dimension, concept=concept)
            for concept in generic.CONCEPTS
        )
        for probe in generic.CONSTRAINT_PROBES.get(question.category, ()):
            candidates.append(_Candidate(probe.text, probe.dimension, constraint=probe.constraint))
    for dimension in ANSWER_SHAPE_ORDER:
        for text in generic.rotated(generic.DIMENSION_PROBES.get(dimension, ()), seed):
            candidates.append(_Candidate(text, dimension, generic=True))
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


_FIRED, _RAISED, _PLAIN, _GENERIC = 0, 1, 2, 3
"""How sharp a probe is for this answer: a bank probe whose trigger fired beats a concept the
answer raised, which beats the question's plain probe, which beats generic wording."""


def _sharpness(candidate: _Candidate, answer: str, context: str) -> int | None:
    """The candidate's rank for this answer (see ``_FIRED`` ...), or None when it does not fit.

    ``answer`` is the answer just given, ``context`` everything said on the question so far;
    triggers fire on the former, while a concern already handled in the latter stays quiet. A
    probe that waits for a trigger ("what are the limits of CTR?") makes no sense when the
    answer never raised its subject, and a constraint change is chosen separately.
    """
    if candidate.constraint:
        return None
    if candidate.concept is not None:
        raised = generic.concept_raised(candidate.concept, answer, context)
        return _RAISED if raised else None
    if candidate.is_feedback_loop_probe:
        # Already handled exploration or diversity: this probe has nothing left to ask.
        if generic.mentions(context, generic.FEEDBACK_LOOP.handled):
            return None
        if generic.concept_raised(generic.FEEDBACK_LOOP, answer, context):
            return _FIRED
    if candidate.triggers:
        return _FIRED if generic.mentions(answer, candidate.triggers) else None
    return _GENERIC if candidate.generic else _PLAIN


def _probes_by_dimension(
    candidates: Iterable[_Candidate], answer: str, context: str
) -> dict[str, list[tuple[int, _Candidate]]]:
    """Dimension -> (sharpness, probe) for the probes that fit this answer, sharpest first."""
    ranked: dict[str, list[tuple[int, int, _Candidate]]] = {}
    for order, candidate in enumerate(candidates):
        rank = _sharpness(candidate, answer, context)
        if rank is not None:
            ranked.setdefault(candidate.dimension, []).append((rank, order, candidate))
    return {d: [(r, c) for r, _o, c in sorted(items)] for d, items in ranked.items()}


def _ranked_gaps(
    category: str,
    gaps: Mapping[str, float],
    by_dimension: Mapping[str, list[tuple[int, _Candidate]]],
) -> list[str]:
    """Gap dimensions, biggest first; equal gaps go first where the answer set a probe off."""

    def key(dimension: str) -> tuple[float, int, float, int]:
        options = by_dimension.get(dimension) or ()
        triggered = bool(options) and options[0][0] <= _RAISED
        return (
            -round(gaps[dimension], 6),
            0 if triggered else 1,
            -dimension_weight(category, dimension),
            ANSWER_SHAPE_ORDER.index(dimension),
        )

    return sorted(gaps, key=key)


def _uncovered_concepts(
    question: Question,
    pool: Sequence[_Candidate],
    asked: set[str],
    answer: str,
    context: str,
) -> list[_Candidate]:
    """Generic concept probes for a bank question whose own follow-ups do not cover them.

    The bank's authors cannot foresee every answer: a candidate may bring up click-through rate
    or a heavy model on a question whose follow-ups never mention them. A concept probe is
    offered only when none of the question's own probes is about that concept, so curated probes
    always win, and only on dimensions that apply to the question's category. Cold start is
    left out: "embeddings" or "history" appear in most designs.
    """
    if not question.follow_ups:
        return []  # a free question has the concepts in its pool already
    applicable = set(applicable_dimensions(question.category))
    found = []
    for concept in generic.BANK_FALLBACK_CONCEPTS:
        if concept.dimension not in applicable or probe_key(concept.probe) in asked:
            continue
        if any(_covers(candidate, concept) for candidate in pool):
            continue
        if generic.concept_raised(concept, answer, context):
            found.append(_Candidate(concept.probe, concept.dimension, concept=concept))
    return found


def _covers(candidate: _Candidate, concept: generic.Concept) -> bool:
    """Whether a bank probe is about ``concept`` (its triggers reveal it, or it is the loop one)."""
    if concept is generic.FEEDBACK_LOOP and candidate.is_feedback_loop_probe:
        return True
    triggers = generic.normalise_for_matching(" ; ".join(candidate.triggers))
    return bool(candidate.triggers) and generic.mentions(triggers, concept.reveals)


def _score_map(question: Question, scores: Sequence[DimensionScore]) -> dict[str, int]:
    """Applicable dimension -> score; unscored ones count as weak, unsaid ones as missing."""
    given = {s.id: s.score for s in scores}
    evidence = {s.id: bool(s.evidence) for s in scores}
    result: dict[str, int] = {}
    for dimension in applicable_dimensions(question.category):
        if dimension in given:
            score = given[dimension]
            if score is None:
                continue  # the grader says it does not apply to this answer
            unsaid = score < SOLID_SCORE and not evidence.get(dimension)
            result[dimension] = UNSAID_SCORE if unsaid else int(score)
        else:
            result[dimension] = UNSCORED
    return result


def _solid_overall(score_of: Mapping[str, int]) -> bool:
    """Whether the answer is solid on average: a constraint change is for a plan worth changing."""
    return bool(score_of) and sum(score_of.values()) / len(score_of) >= SOLID_SCORE


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


def _with_quote(
    candidate: _Candidate,
    scores: Sequence[DimensionScore],
    transcript_text: str,
    asked: set[str],
) -> FollowUpSuggestion:
    """The candidate's suggestion, opened with the answer's own words when it has some to quote.

    The words come from the grader's evidence for the probed dimension: what the candidate
    already said there, which the probe now digs into. A generic probe is then replaced by the
    dimension's quote probe ("How could that number mislead you here?"), which builds on the
    quote, unless that was asked already. Probes that already refer to what was said ("You
    mentioned click-through rate ...") are left as they are.
    """
    plain = candidate.suggestion()
    if candidate.concept is not None or plain.text.lower().startswith("you "):
        return plain
    if candidate.triggers or candidate.is_feedback_loop_probe:
        return plain  # set off by the answer's own words, which it already takes up
    if candidate.dimension not in generic.QUOTE_PROBES:
        return plain  # see QUOTE_PROBES: framing and communication are not quoted
    evidence = next((s.evidence for s in scores if s.id == candidate.dimension), ())
    for item in evidence:
        lead = quoted_lead(item.quote, transcript_text)
        if lead is None:
            continue
        sentence, quote = lead
        text = plain.text
        follow_on = generic.QUOTE_PROBES.get(candidate.dimension)
        if candidate.generic and follow_on and probe_key(follow_on) not in asked:
            text = spoken(follow_on)
        return QuotedFollowUp(f"{sentence} {text}", plain.dimension, None, quote=quote)
    return plain
