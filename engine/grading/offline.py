"""The offline grader: deterministic, no network, tens of milliseconds per answer.

It reads the answer once (``analysis.py``) and compares its clauses with the question by meaning
(``meaning.py``: sentence embeddings). From that it judges whether the answer addresses the
question at all (``relevance.py``), which expected points it covers and which dimensions each
sentence is about (``coverage.py``), and which typical mistakes it makes (``red_flags.py``).
Each applicable content dimension is scored from the points covered and the rubric concepts
explained *and applied to this question* (``scoring.py``); communication from structure and
delivery, capped by the substance behind it (``communication.py``); the overall weighs them by
what the question's category hinges on (``verdict.py``). It measures the delivery and
the stage timeline (``pacing.py``, ``stages.py``), and asks the interviewer's policy for the next
probe.

When the embedding model cannot load, the same steps run on words alone (the lexical grader
this one grew from), and the grade says so in its warnings.

Inputs it refuses to be fooled by: sentences that tell the grader what score to give are removed
before scoring (and reported); an empty or one-word answer, or one in another language, scores 1
everywhere with a warning rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import engine
from engine.grading.allocation import KEY_STAGES
from engine.grading.analysis import AnswerAnalysis, analyse
from engine.grading.base import GradeRequest
from engine.grading.categories import check_category
from engine.grading.communication import score_communication
from engine.grading.coverage import affinities, allocate, assign_points, ramp
from engine.grading.evidence import quote_of
from engine.grading.grounding import grounded_sentences
from engine.grading.language import non_english_reason
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.matching import meaning_terms
from engine.grading.meaning import AnswerMeaning, build_meaning
from engine.grading.pacing import measure_pacing
from engine.grading.red_flags import apply_red_flags, find_red_flags, red_flags_for
from engine.grading.relevance import closer_question, relevance, topicality
from engine.grading.result import (
    OFF_TOPIC_BELOW,
    DimensionScore,
    FollowUpSuggestion,
    Grade,
    Pacing,
    RedFlagHit,
)
from engine.grading.scoring import (
    MAX_GENERIC_MISSING,
    UNGROUNDED_FACTOR,
    DimensionMeaning,
    score_dimension_raw,
)
from engine.grading.stages import stage_timeline
from engine.grading.tokens import stem
from engine.grading.topic import off_topic_warning, subject_words
from engine.grading.verdict import overall_score
from engine.questions.model import Question, RedFlag
from engine.rubric import DIMENSION_IDS, applicable_dimensions, dimension_label
from engine.semantic import EmbeddingUnavailable

ENGINE_NAME = "offline"
MIN_WORDS_TO_GRADE = 3


def _generic_missing(dimension: str) -> tuple[str, ...]:
    labels = [c.label for c in CONCEPTS_BY_DIMENSION.get(dimension, ()) if c.core]
    return tuple(labels[:MAX_GENERIC_MISSING])


def _expected(request: GradeRequest, dimension: str) -> tuple[str, ...]:
    return tuple(request.question.expected.get(dimension, ()))


def _floor_scores(request: GradeRequest, dimensions: Sequence[str]) -> list[DimensionScore]:
    """Every applicable dimension at 1, listing what a real answer would have covered."""
    scores = []
    for dimension in dimensions:
        if dimension == "communication":
            missing: tuple[str, ...] = ("give a spoken answer in English that can be followed",)
        else:
            missing = _expected(request, dimension) or _generic_missing(dimension)
        scores.append(DimensionScore(dimension, 1, (), missing))
    return scores


def summarise(scores: Sequence[DimensionScore], key_dimensions: Sequence[str] = ()) -> str:
    """Two or three sentences: the strongest dimension, the biggest gap, what was not covered.

    Among equally low dimensions, the gap named is one this kind of question hinges on
    (``key_dimensions``): for a trade-off question, missing experimentation matters more than
    missing system design.
    """
    scored = [s for s in scores if s.score is not None]
    if not scored:
        return ""
    order = {d: i for i, d in enumerate(DIMENSION_IDS)}
    strongest = max(scored, key=lambda s: (s.score, -order[s.id]))
    weakest = min(scored, key=lambda s: (s.score, s.id not in key_dimensions, order[s.id]))
    if strongest.score == weakest.score:
        text = f"Every dimension scored {strongest.score}/4."
    else:
        text = (
            f"Strongest: {dimension_label(strongest.id).lower()} ({strongest.score}/4). "
            f"Biggest gap: {dimension_label(weakest.id).lower()} ({weakest.score}/4)."
        )
    if weakest.missing:
        text += f" Not covered there: {weakest.missing[0].rstrip('.')}."
    return text


ProbePolicy = Callable[[GradeRequest, Sequence[DimensionScore]], FollowUpSuggestion | None]


class OfflineGrader:
    """The default grading engine (see the module docstring). Stateless, so thread-safe.

    Which probe to ask next is the interviewer's decision, not the grader's: ``probe_policy``
    (the interviewer's ``choose_follow_up``, passed in by ``engine.engines.make_grader``) fills
    ``Grade.follow_up``. Without one the grade carries no follow-up, and grading never depends
    on the layer above it.
    """

    def __init__(self, probe_policy: ProbePolicy | None = None) -> None:
        self._probe_policy = probe_policy

    @property
    def name(self) -> str:
        return ENGINE_NAME

    def grade(self, request: GradeRequest) -> Grade:
        """Grade one answer.

        Raises:
            GradingError: the question's category is not one of DOMAIN.md's categories.
        """
        category = check_category(request.question.category)
        applicable = applicable_dimensions(category)
        content_dimensions = [d for d in applicable if d != "communication"]
        transcript = request.transcript
        analysis = analyse(transcript)
        warnings = _injection_warnings(analysis)
        limit = request.effective_time_limit_s or None
        stages = stage_timeline(analysis, content_dimensions)
        pacing = measure_pacing(
            transcript, limit, stages, KEY_STAGES.get(category, ()), analysis.filler_counts()
        )

        outcome = _score(request, analysis, pacing, applicable, warnings)
        by_id = {s.id: s for s in outcome.scores}
        dimensions = tuple(by_id.get(d, DimensionScore(d, None)) for d in DIMENSION_IDS)
        overall = overall_score(
            category,
            {s.id: s.score for s in dimensions if s.score is not None},
            (flag.dimension for flag in outcome.red_flags),
        )
        feedback = summarise(dimensions, KEY_STAGES.get(category, ()))
        if outcome.relevance is not None and outcome.relevance < OFF_TOPIC_BELOW:
            feedback = f"{OFF_TOPIC_SUMMARY} {feedback}".strip()
        return Grade(
            engine=ENGINE_NAME,
            question=request.question.to_ref(),
            overall=overall,
            dimensions=dimensions,
            pacing=pacing,
            follow_up=self._probe_policy(request, dimensions) if self._probe_policy else None,
            feedback=feedback,
            engine_version=engine.__version__,
            warnings=tuple(warnings),
            relevance=outcome.relevance,
            red_flags=outcome.red_flags,
            closer_question=outcome.closer_question,
        )


OFF_TOPIC_SUMMARY = (
    "This answer did not address the question that was asked, so it was scored as off topic."
)
# Communication is about conveying substance: with little content behind them, signposts and
# fluency cannot carry it to the top of the scale.
COMMUNICATION_CAP_BY_CONTENT: tuple[tuple[float, int], ...] = ((2.75, 4), (1.75, 3), (0.0, 2))
# A sentence is applied to the question from this topicality on (cosine), fully from HI.
MAX_DIMENSIONS_PER_QUOTE = 2
APPLIED_LO = 0.33
APPLIED_HI = 0.36
FREE_APPLIED = (0.33, 0.36)
FREE_ANSWER_SHARE = 0.3
# Free questions: closeness (cosine) to the rubric's "strong" description earning no / full credit.
ANCHOR_LO = 0.12
ANCHOR_HI = 0.34


@dataclass(frozen=True)
class _Outcome:
    scores: list[DimensionScore]
    relevance: float | None
    red_flags: tuple[RedFlagHit, ...] = ()
    closer_question: str | None = None


def _meaning_or_none(
    request: GradeRequest,
    analysis: AnswerAnalysis,
    dimensions: Sequence[str],
    flags: Sequence[RedFlag],
    warnings: list[str],
) -> AnswerMeaning | None:
    """The meaning-based reading, or None (with a warning) when the model cannot load."""
    try:
        return build_meaning(request.question, analysis, dimensions, [f.claims for f in flags])
    except EmbeddingUnavailable as exc:
        warnings.append(
            f"Meaning-based matching is unavailable ({exc}); this answer was graded on its "
            "words alone, which is easier to fool and misses paraphrases."
        )
        return None


def _communication_cap(content_scores: Sequence[int]) -> int:
    mean = sum(content_scores) / len(content_scores) if content_scores else 0.0
    return next(cap for bound, cap in COMMUNICATION_CAP_BY_CONTENT if mean >= bound)


def _score(
    request: GradeRequest,
    analysis: AnswerAnalysis,
    pacing: Pacing,
    applicable: Sequence[str],
    warnings: list[str],
) -> _Outcome:
    """Score every applicable dimension, or floor them all (with a warning) if ungradable.

    Ungradable means: another language, or too few words once grader-addressed ones are gone.
    """
    transcript = request.transcript
    foreign = non_english_reason(transcript.text, transcript.language, analysis.tokens)
    gradable_words = sum(len(f.tokens) for f in analysis.credited)
    if foreign:
        warnings.append(
            f"The answer does not look like English ({foreign}); the offline grader only "
            "understands English, so every dimension scored 1."
        )
        return _Outcome(_floor_scores(request, applicable), 0.0)
    if gradable_words < MIN_WORDS_TO_GRADE:
        plural = "s" if gradable_words != 1 else ""
        warnings.append(
            f"The answer is empty or too short to grade ({gradable_words} word{plural}); "
            "every dimension scored 1."
        )
        return _Outcome(_floor_scores(request, applicable), 0.0)
    question = request.question
    content = [d for d in applicable if d != "communication"]
    flags = red_flags_for(question)
    meaning = _meaning_or_none(request, analysis, content, flags, warnings)
    echoed = meaning_terms(f"{question.prompt} {question.context}")
    rel = relevance(meaning, question) if meaning is not None else None
    semantic = _dimension_meanings(request, analysis, meaning, content, rel or 0.0)

    def score_all() -> list[tuple[float, DimensionScore]]:
        return [
            score_dimension_raw(
                d,
                analysis,
                _expected(request, d),
                request.clarifications_asked,
                echoed,
                semantic.get(d),
            )
            for d in content
        ]

    scored = score_all()
    if semantic and scored:
        mean_raw = sum(raw for raw, _ in scored) / len(scored)
        semantic = {d: replace(m, answer_raw=mean_raw) for d, m in semantic.items()}
        scored = score_all()
    scores = [score for _, score in scored]
    limit = request.effective_time_limit_s or None
    communication = score_communication(
        analysis, pacing, limit, request.prompt, request.previous_answers
    )
    hits: tuple[RedFlagHit, ...] = ()
    if meaning is not None and rel is not None:
        hits = find_red_flags(flags, meaning, analysis)
        scores = apply_red_flags(scores, hits)
        if request.prompt is None and rel < OFF_TOPIC_BELOW:
            scores = [replace(s, score=1, evidence=()) for s in scores]
            warnings.append(_off_topic_warning(question, rel))
        cap = _communication_cap([s.score for s in scores if s.score is not None])
        if communication.score is not None and communication.score > cap:
            communication = replace(communication, score=cap)
    scores.append(communication)
    if meaning is not None:
        lexical = {f.sentence.index: f.relevance for f in analysis.credited}
        scores = limit_quotes(scores, analysis, affinities(meaning, lexical))
    if request.prompt is None and meaning is None:  # a follow-up answer is about the probe
        said = frozenset(stem(t) for f in analysis.credited for t in f.tokens)
        off_topic = off_topic_warning(question, said, analysis.answer_word_count)
        if off_topic:
            warnings.append(off_topic)
    closer = None
    if meaning is not None and rel is not None and rel < OFF_TOPIC_BELOW:
        closer = closer_question(meaning, question)
    return _Outcome(scores, rel, hits, closer)


def _off_topic_warning(question: Question, rel: float) -> str:
    shown = ", ".join(subject_words(question.prompt)[:4])
    about = f" ({shown})" if shown else ""
    return (
        f"The answer did not address the question that was asked{about}: relevance "
        f"{rel:.2f} of 1, so every content dimension scored 1. Check that it answers this "
        "question."
    )


def limit_quotes(
    scores: Sequence[DimensionScore],
    analysis: AnswerAnalysis,
    affinity: dict[int, dict[str, float]],
) -> list[DimensionScore]:
    """Keep every quote under at most ``MAX_DIMENSIONS_PER_QUOTE`` dimensions.

    Where a quote was cited under more, it stays where it is the only evidence first, then
    where the sentence is most about the dimension (``coverage.affinities``).
    """
    index_of = {quote_of(f.sentence).quote: f.sentence.index for f in analysis.facts}
    users: dict[str, list[str]] = {}
    for score in scores:
        for evidence in score.evidence:
            users.setdefault(evidence.quote, []).append(score.id)
    counts = {s.id: len(s.evidence) for s in scores}
    dropped: dict[str, set[str]] = {}
    for quote, dims in users.items():
        if len(dims) <= MAX_DIMENSIONS_PER_QUOTE:
            continue
        near = affinity.get(index_of.get(quote, -1), {})
        ranked = sorted(dims, key=lambda d: (counts[d] > 1, -near.get(d, 0.0), d))
        for dimension in ranked[MAX_DIMENSIONS_PER_QUOTE:]:
            dropped.setdefault(dimension, set()).add(quote)
            counts[dimension] -= 1
    return [
        replace(s, evidence=tuple(e for e in s.evidence if e.quote not in dropped.get(s.id, ())))
        if s.id in dropped
        else s
        for s in scores
    ]


def _dimension_meanings(
    request: GradeRequest,
    analysis: AnswerAnalysis,
    meaning: AnswerMeaning | None,
    dimensions: Sequence[str],
    answer_relevance: float = 0.0,
) -> dict[str, DimensionMeaning]:
    """Per dimension: points covered by meaning, applied sentences, allocated sentences."""
    if meaning is None:
        return {}
    points = {d: _expected(request, d) for d in dimensions}
    covers = assign_points(meaning, points)
    topical = meaning.sentence_max(topicality(meaning))
    # A free question has only its prompt to be close to: one sentence rarely echoes it, so
    # an answer that addresses it as a whole lends its sentences part of its relevance.
    if request.question.expected:
        applied = {i: ramp(v, APPLIED_LO, APPLIED_HI) for i, v in topical.items()}
    else:
        lent = FREE_ANSWER_SHARE * answer_relevance
        applied = {i: max(ramp(v, *FREE_APPLIED), lent) for i, v in topical.items()}
    lexical = {f.sentence.index: f.relevance for f in analysis.credited}
    allocation = allocate(affinities(meaning, lexical), covers)
    grounded = grounded_sentences(analysis, request.question)
    result = {}
    for d in dimensions:
        allocated = frozenset(i for i, dims in allocation.items() if d in dims)
        anchored = {
            i: ramp(v, ANCHOR_LO, ANCHOR_HI)
            * applied.get(i, 0.0)
            * (1.0 if i in grounded else UNGROUNDED_FACTOR)
            for i, v in meaning.sentence_max(meaning.anchor_sims[d]).items()
            if i in allocated
        }
        best = max(anchored.items(), key=lambda kv: (kv[1], -kv[0]), default=(None, 0.0))
        result[d] = DimensionMeaning(
            covers=tuple(covers[d]),
            applied=applied,
            allocated=allocated,
            anchor=best[1],
            anchor_sentence=best[0],
            grounded=grounded,
            resaid_share=meaning.resaid_share,
        )
    return result


def _injection_warnings(analysis: AnswerAnalysis) -> list[str]:
    injected = analysis.injected
    if not injected:
        return []
    first = injected[0].sentence.text
    if len(first) > 80:
        first = first[:77].rstrip() + "..."
    count = len(injected)
    return [
        f"Ignored {count} sentence{'s' if count != 1 else ''} addressed to the grader rather "
        f'than the question (e.g. "{first}"); they earn nothing.'
    ]
