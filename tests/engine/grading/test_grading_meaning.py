"""Grading v2 on the tuning half of the labelled corpus (tests/data/grading): scores follow the
labels, adversarial answers stay under their ceilings, off-topic answers are called off topic,
red flags are found without accusing good answers, and every quote sits under one or two
dimensions. The report half is never read here (bench/grading_quality.py reports on it)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bench.grading_corpus import load_corpus
from bench.grading_quality import CEILINGS, grade_all, pairwise, question_for, spearman
from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.questions.bank import default_bank
from engine.questions.model import free_question
from engine.transcript import Transcript


@pytest.fixture(scope="module")
def tuned():
    """Every tuning-half answer graded once by the real offline grader (real encoder)."""
    return grade_all(load_corpus("tune"), make_grader("offline"))


def test_scores_follow_the_labels_on_the_tuning_half(tuned):
    scores = [g.grade.overall for g in tuned]
    labels = [float(g.answer.label) for g in tuned]
    assert spearman(scores, labels) >= 0.86
    accuracy, pairs, wrong = pairwise(tuned)
    assert pairs >= 100
    assert accuracy >= 0.95, wrong


@pytest.mark.parametrize("family", sorted(CEILINGS))
def test_adversarial_families_stay_under_their_ceiling(tuned, family):
    members = [g for g in tuned if g.answer.family == family]
    assert members, f"the tuning half has no {family} answer"
    over = {
        g.answer.id: round(g.grade.overall, 2)
        for g in members
        if g.grade.overall > CEILINGS[family]
    }
    assert not over, over


def test_strong_answers_beat_medium_and_weak_ones_to_the_same_question(tuned):
    by_question = defaultdict(list)
    for g in tuned:
        by_question[g.answer.file].append(g)
    checked = 0
    for items in by_question.values():
        strong = [g.grade.overall for g in items if g.answer.label == 4]
        weaker = [g for g in items if g.answer.label <= 2 and g.answer.family in ("medium", "weak")]
        if not strong or not weaker:
            continue
        for g in weaker:
            checked += 1
            assert max(strong) > g.grade.overall, g.answer.id
    assert checked >= 8


def test_strong_answers_to_free_questions_beat_gaming_answers_to_them(tuned):
    """A free question has no expected points: a jargon list, a template or a long shallow
    answer that pastes in its product words must still land below the strong answer."""
    by_question = defaultdict(list)
    for g in tuned:
        if g.answer.question_id is None:
            by_question[g.answer.file].append(g)
    checked = 0
    for items in by_question.values():
        strong = max(g.grade.overall for g in items if g.answer.label == 4)
        for g in items:
            if g.answer.family in ("jargon", "template", "long_shallow"):
                checked += 1
                assert g.grade.overall < strong, g.answer.id
    assert checked >= 4


def test_a_duplicated_answer_scores_no_higher_than_said_once(tuned):
    by_id = {g.answer.id: g for g in tuned}
    pairs = [(g, by_id[g.answer.duplicate_of]) for g in tuned if g.answer.family == "duplicated"]
    assert pairs
    for twice, once in pairs:
        assert twice.grade.overall <= once.grade.overall + 0.1, twice.answer.id


def test_off_topic_answers_are_called_off_topic_and_on_topic_strong_ones_are_not(tuned):
    for g in tuned:
        if g.answer.family == "off_topic_strong":
            assert g.grade.off_topic, g.answer.id
            assert "did not address the question" in g.grade.feedback
            assert any("did not address the question" in w for w in g.grade.warnings)
        if g.answer.label >= 3:
            assert not g.grade.off_topic, g.answer.id


def test_signposts_and_fluency_alone_cannot_earn_top_communication(tuned):
    for g in tuned:
        if g.answer.family in ("signpost_only", "template", "jargon"):
            assert g.grade.dimension("communication").score <= 2, g.answer.id


def test_each_quote_is_verbatim_timed_like_its_transcript_and_under_two_dimensions_at_most(tuned):
    for g in tuned:
        text = Transcript.from_text(g.answer.text).text
        uses = defaultdict(int)
        for dim in g.grade.dimensions:
            for evidence in dim.evidence:
                assert evidence.quote in text, (g.answer.id, dim.id)
                uses[evidence.quote] += 1
        assert all(n <= 2 for n in uses.values()), g.answer.id
        for flag in g.grade.red_flags:
            assert flag.quote in text


def test_the_confidently_wrong_novelty_answer_is_flagged_with_its_own_words(tuned):
    [wrong] = [g for g in tuned if g.answer.id == "experimentation-novelty-effect-07"]
    flags = wrong.grade.red_flags
    assert flags, "no red flag for 'novelty effects are a myth ... ship it now'"
    texts = {f.text for f in flags}
    assert "Ships on three days of data while the lift may still be novelty" in texts
    assert all(f.quote in wrong.answer.text for f in flags)
    assert wrong.grade.overall <= 2.0


def test_naming_a_mistake_to_reject_it_is_not_a_red_flag(grader):
    question = default_bank().get("experimentation-novelty-effect")
    answer = (
        "Twelve percent after three days is not something I would ship on, because novelty "
        "effects are real: a redesigned carousel draws curiosity clicks that fade. It would be "
        "a mistake to call it significant now, since peeking early inflates false positives. "
        "I'd tell the PM to run the planned two weeks on purchases per visitor, look at the "
        "effect day by day and for new versus returning users, and decide then."
    )
    grade = grader.grade(GradeRequest(question, Transcript.from_text(answer)))
    assert grade.red_flags == (), [f.text for f in grade.red_flags]
    assert not grade.off_topic


def test_a_free_question_uses_the_generic_red_flags(grader):
    question = free_question("How would you measure success of a new recipe feed?", "metrics")
    answer = (
        "I'd just optimise click-through rate on the recipe feed, more clicks means the feature "
        "is working. Honestly I wouldn't bother with an A/B test, I'd roll it out to everyone "
        "and watch the dashboard for a week."
    )
    grade = grader.grade(GradeRequest(question, Transcript.from_text(answer)))
    assert grade.red_flags, "generic red flags did not fire on a textbook mistake"
    for flag in grade.red_flags:
        assert flag.quote in answer and flag.dimension in ("metrics", "experimentation")
    assert grade.to_dict()["red_flags"][0]["text"] == grade.red_flags[0].text


def test_a_paraphrased_point_is_not_listed_as_missing(grader):
    question = default_bank().get("experimentation-novelty-effect")
    point = "clicks on a new element may be curiosity, not intent"
    assert point in question.expected["user_signals"]
    answer = (
        "Many of those extra clicks are people curious about the new look, not people who intend "
        "to purchase anything. So I'd rather wait and look at purchases per visitor over the "
        "two planned weeks before telling the PM to ship."
    )
    grade = grader.grade(GradeRequest(question, Transcript.from_text(answer)))
    assert point not in grade.dimension("user_signals").missing


def test_relevance_and_red_flags_are_in_the_grade_json(tuned):
    for g in tuned[:10]:
        data = g.grade.to_dict()
        assert 0.0 <= data["relevance"] <= 1.0
        assert isinstance(data["red_flags"], list)
        for flag in data["red_flags"]:
            assert set(flag) == {"text", "quote", "start_s", "dimension"}


def test_corpus_questions_resolve(tuned):
    assert all(question_for(g.answer) is not None for g in tuned)
