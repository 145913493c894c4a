"""The overall verdict weighs what the question is about, and a wrong core call dominates it.

A candidate notices the overall first: a concise answer that gets the diagnosis right must not
lose to one that talks around it, and an answer that makes the wrong call on the question's core
cannot look solid because the rest was fluent.
"""

from __future__ import annotations

import pytest

from bench.grading_corpus import load_corpus
from engine.grading.base import GradeRequest
from engine.grading.verdict import WRONG_CALL_CAP, overall_score
from engine.questions.bank import default_bank
from engine.rubric import PRIMARY_DIMENSION, applicable_dimensions
from engine.transcript import Transcript


def _scores(category: str, high: set[str], high_score: int = 4, low: int = 1) -> dict[str, int]:
    return {d: high_score if d in high else low for d in applicable_dimensions(category)}


@pytest.mark.parametrize("category", sorted(PRIMARY_DIMENSION))
def test_nailing_the_core_beats_covering_the_periphery(category):
    core = PRIMARY_DIMENSION[category]
    peripheral = next(
        d
        for d in applicable_dimensions(category)
        if d not in (core, "communication", "problem_framing", "metrics")
    )
    on_core = overall_score(category, _scores(category, {core}))
    off_core = overall_score(category, _scores(category, {peripheral}))
    assert on_core > off_core


def test_a_diagnosis_answer_is_judged_on_the_diagnosis_not_on_delivery():
    strong_diagnosis = _scores("diagnose", {"diagnosis", "problem_framing"}, low=2)
    fluent_only = _scores("diagnose", {"communication"}, low=2)
    assert overall_score("diagnose", strong_diagnosis) >= 2.5
    assert overall_score("diagnose", fluent_only) < 2.2


def test_uniform_scores_give_that_score():
    for category in PRIMARY_DIMENSION:
        for score in (1, 2, 3, 4):
            scores = dict.fromkeys(applicable_dimensions(category), score)
            assert overall_score(category, scores) == pytest.approx(score)


@pytest.mark.parametrize("category", sorted(PRIMARY_DIMENSION))
def test_a_red_flag_on_the_core_caps_the_overall_but_elsewhere_it_does_not(category):
    good = _scores(category, set(applicable_dimensions(category)), low=3)
    core = PRIMARY_DIMENSION[category]
    other = next(d for d in good if d not in (core, "communication"))
    assert overall_score(category, good, [core]) == WRONG_CALL_CAP
    assert overall_score(category, good, [other]) == overall_score(category, good)


def test_nothing_scored_is_the_floor():
    assert overall_score("design", {}) == 1.0


def _grade(grader, question_id: str, answer: str):
    question = default_bank().get(question_id)
    return grader.grade(GradeRequest(question, Transcript.from_text(answer)))


def test_a_wrong_call_on_the_core_caps_the_graded_answer(grader):
    """The tuning half's 'novelty effects are a myth, ship now' answer: flagged, and capped."""
    [wrong] = [a for a in load_corpus("tune") if a.id == "experimentation-novelty-effect-07"]
    grade = _grade(grader, wrong.question_id, wrong.text)
    scores = {d.id: d.score for d in grade.dimensions if d.score is not None}
    flagged = [f.dimension for f in grade.red_flags]
    assert "experimentation" in flagged
    assert grade.overall == pytest.approx(overall_score("experimentation", scores, flagged))
    assert grade.overall <= WRONG_CALL_CAP


def test_weighing_one_side_of_a_trade_off_is_not_the_wrong_call(grader):
    grade = _grade(
        grader,
        "tradeoff-fraud-recall-vs-friction",
        "I'd turn both sides into money. On one side, fraud losses are about two million "
        "dollars a month, so if the extra fraud we catch is worth twenty percent of today's "
        "losses, that's up to four hundred thousand a month saved. On the other side, good "
        "customers get an extra check and some give up on the purchase. I wouldn't put the "
        "check on everyone: only on high-risk payments, new accounts and large amounts.",
    )
    assert grade.red_flags == (), [(f.text, f.quote) for f in grade.red_flags]
