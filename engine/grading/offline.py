"""The offline grader: deterministic, no network, milliseconds per answer.

It reads the answer once (``analysis.py``), scores each applicable content dimension from the
concepts it explains and the question's expected points (``scoring.py``), scores communication
(``communication.py``), measures the delivery and the stage timeline (``pacing.py``,
``stages.py``), and asks the interviewer's policy for the next probe.

Inputs it refuses to be fooled by: sentences that tell the grader what score to give are removed
before scoring (and reported); an empty or one-word answer, or one in another language, scores 1
everywhere with a warning rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

import engine
from engine.grading.allocation import KEY_STAGES
from engine.grading.analysis import AnswerAnalysis, analyse
from engine.grading.base import GradeRequest
from engine.grading.categories import check_category
from engine.grading.communication import score_communication
from engine.grading.language import non_english_reason
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.matching import meaning_terms
from engine.grading.pacing import measure_pacing
from engine.grading.result import DimensionScore, FollowUpSuggestion, Grade, Pacing
from engine.grading.scoring import MAX_GENERIC_MISSING, score_dimension
from engine.grading.stages import stage_timeline
from engine.grading.tokens import stem
from engine.grading.topic import off_topic_warning
from engine.rubric import DIMENSION_BY_ID, DIMENSION_IDS, applicable_dimensions

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


def _label(dimension: str) -> str:
    return DIMENSION_BY_ID[dimension].label


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
            f"Strongest: {_label(strongest.id).lower()} ({strongest.score}/4). "
            f"Biggest gap: {_label(weakest.id).lower()} ({weakest.score}/4)."
        )
    if weakest.missing:
        text += f" Not covered there: {weakest.missing[0].rstrip('.')}."
    return text


def _suggest_follow_up(
    request: GradeRequest, scores: Sequence[DimensionScore]
) -> FollowUpSuggestion | None:
    """Ask the interviewer policy for the next probe (None while that module is not present)."""
    try:
        from engine.interviewer.follow_ups import choose_follow_up
    except ModuleNotFoundError as exc:
        if exc.name not in ("engine.interviewer.follow_ups", "engine.interviewer"):
            raise
        return None
    return choose_follow_up(request, scores)


class OfflineGrader:
    """The default grading engine (see the module docstring). Stateless, so thread-safe."""

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

        scores = _score(request, analysis, pacing, applicable, warnings)
        by_id = {s.id: s for s in scores}
        dimensions = tuple(by_id.get(d, DimensionScore(d, None)) for d in DIMENSION_IDS)
        applicable_scores = [s.score for s in dimensions if s.score is not None]
        overall = sum(applicable_scores) / len(applicable_scores)
        return Grade(
            engine=ENGINE_NAME,
            question=request.question.to_ref(),
            overall=overall,
            dimensions=dimensions,
            pacing=pacing,
            follow_up=_suggest_follow_up(request, dimensions),
            feedback=summarise(dimensions, KEY_STAGES.get(category, ())),
            engine_version=engine.__version__,
            warnings=tuple(warnings),
        )


def _score(
    request: GradeRequest,
    analysis: AnswerAnalysis,
    pacing: Pacing,
    applicable: Sequence[str],
    warnings: list[str],
) -> list[DimensionScore]:
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
        return _floor_scores(request, applicable)
    if gradable_words < MIN_WORDS_TO_GRADE:
        plural = "s" if gradable_words != 1 else ""
        warnings.append(
            f"The answer is empty or too short to grade ({gradable_words} word{plural}); "
            "every dimension scored 1."
        )
        return _floor_scores(request, applicable)
    question = request.question
    echoed = meaning_terms(f"{question.prompt} {question.context}")
    scores = [
        score_dimension(d, analysis, _expected(request, d), request.clarifications_asked, echoed)
        for d in applicable
        if d != "communication"
    ]
    limit = request.effective_time_limit_s or None
    scores.append(
        score_communication(analysis, pacing, limit, request.prompt, request.previous_answers)
    )
    if request.prompt is None:  # a follow-up answer is about the probe, not the whole question
        said = frozenset(stem(t) for f in analysis.credited for t in f.tokens)
        off_topic = off_topic_warning(question, said, analysis.answer_word_count)
        if off_topic:
            warnings.append(off_topic)
    return scores


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
