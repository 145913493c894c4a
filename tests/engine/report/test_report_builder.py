"""The combined view a candidate reads: best score across an exchange, evidence located by turn
and time, only the points never covered, pacing per answer, and gradings side by side."""

from __future__ import annotations

import pytest

from engine.clock import mmss
from engine.grading.verdict import overall_score
from engine.report.builder import build_report
from engine.report.compare import compare_gradings
from engine.store.model import GradingRecord
from tests.engine.store.factories import (
    FOLLOW_SCORES,
    MAIN_SCORES,
    build_interview_session,
    make_grade,
)


@pytest.fixture
def session():
    return build_interview_session()


def test_each_dimension_shows_the_best_score_across_main_and_follow_up(session):
    [question] = build_report(session).questions
    scores = {d.id: d.score for d in question.dimensions}
    assert scores == {k: max(MAIN_SCORES[k], FOLLOW_SCORES[k]) for k in MAIN_SCORES}
    signals = question.dimension("user_signals")
    assert signals.best_turn_index == 3
    assert signals.per_turn == ((1, 3), (3, 4))
    assert "diagnosis" not in scores  # not applicable to a design question


def test_evidence_carries_the_turn_and_the_moment(session):
    [question] = build_report(session).questions
    [quote] = question.dimension("tradeoffs").evidence
    assert (quote.turn_index, quote.start_s) == (3, 4.5)
    assert quote.quote == "reserve some traffic for exploration"
    assert question.dimension("problem_framing").evidence[0].turn_index == 1


def test_a_point_is_missing_only_if_no_answer_covered_it(session):
    [question] = build_report(session).questions
    # "a guardrail metric" was missed in both answers; "why the proxy can mislead" only in one
    # of them (the follow-up did not list it), "explore versus exploit" was covered later.
    assert question.dimension("metrics").missing == ("a guardrail metric",)
    assert question.dimension("tradeoffs").missing == ()


def test_follow_up_exchange_and_clarification_are_reported(session):
    [question] = build_report(session).questions
    [exchange] = question.follow_ups
    assert exchange.probe == "How do you avoid a feedback loop?"
    assert exchange.dimension == "user_signals"
    assert "exploration" in exchange.answer_text
    assert exchange.grade.overall == 2.3
    [clarification] = question.clarifications
    assert clarification.reply == "Assume fifty million daily users."
    assert [a.turn_index for a in question.answers] == [1, 3]


def test_pacing_per_answer_with_limit_and_verdict(session):
    [question] = build_report(session).questions
    main, follow = (a.pacing for a in question.answers)
    assert main.duration_s == 30.0 and main.time_limit_s == 120.0
    assert main.over_limit_s == 0.0
    assert "Within the 2:00 limit" in main.verdict and "140 wpm" in main.verdict
    assert [s.dimension for s in main.stages] == ["problem_framing", "metrics", "system_design"]
    assert follow.time_limit_s == 60.0


def test_over_the_limit_is_said_plainly():
    session = build_interview_session(save=False)
    turn = session.turns[0]
    turn.add_grading(GradingRecord(make_grade(MAIN_SCORES, duration_s=150.0, wpm=200.0)))
    pacing = build_report(session).questions[0].answers[0].pacing
    assert pacing.over_limit_s == 30.0
    assert "0:30 over the 2:00 limit" in pacing.verdict
    assert "Fast pace" in pacing.verdict


def test_overall_per_question_and_session(session):
    """An answer and its follow-up: the best of each dimension, weighed as one answer's are."""
    report = build_report(session)
    combined = {k: max(MAIN_SCORES[k], FOLLOW_SCORES[k]) for k in MAIN_SCORES}
    category = report.questions[0].category
    weighed = overall_score(category, combined)
    assert report.questions[0].overall == pytest.approx(weighed, abs=0.01)
    plain = sum(combined.values()) / len(combined)
    assert abs(weighed - plain) > 0.05  # the category's core dimensions count more
    assert report.overall == report.questions[0].overall
    assert report.title == "feed practice"


def test_single_answer_keeps_the_graders_overall():
    session = build_interview_session(save=False)
    record = session.questions[0]
    record.turns = record.turns[:1]
    assert build_report(session).questions[0].overall == 2.0


def test_ungraded_session_still_builds():
    session = build_interview_session(save=False)
    for turn in session.turns:
        turn.gradings.clear()
        turn.current_grading = None
    report = build_report(session)
    assert report.overall is None and report.questions[0].dimensions == ()


def test_two_gradings_side_by_side_mark_the_current_one(session):
    turn = session.turns[0]
    newer = make_grade({**MAIN_SCORES, "metrics": 4}, engine="llm:smollm2")
    turn.add_grading(GradingRecord(newer, whisper_model="base"))
    comparison = compare_gradings(turn)
    assert comparison.right_is_current and not comparison.left_is_current
    metrics = next(r for r in comparison.rows if r.dimension == "metrics")
    assert (metrics.left, metrics.right, metrics.delta) == (2, 4, 2)
    assert comparison.right.engine == "llm:smollm2"
    assert comparison.overall_delta == pytest.approx(newer.overall - 2.0, abs=0.01)


def test_clock_format():
    assert mmss(0) == "0:00"
    assert mmss(3.7) == "0:03"
    assert mmss(125) == "2:05"
    assert mmss(None) == "--:--"


def test_comparing_needs_two_gradings(session):
    turn = session.turns[0]
    with pytest.raises(IndexError):
        compare_gradings(turn)
    turn.add_grading(GradingRecord(make_grade(MAIN_SCORES)))
    answer = build_report(session).questions[0].answers[0]
    assert compare_gradings(answer).turn_index == 1
    with pytest.raises(IndexError):
        compare_gradings(turn, left=5)


def test_fillers_are_listed_with_their_times_in_the_report():
    from dataclasses import replace

    from engine.grading.result import FillerEvent
    from engine.report.markdown import render_markdown

    session = build_interview_session(save=False)
    grade = make_grade(MAIN_SCORES)
    events = (FillerEvent(12.0, 12.5, "um", "audio"), FillerEvent(40.2, 40.6, "uh", "words"))
    grade = replace(grade, pacing=replace(grade.pacing, filler_events=events))
    session.turns[0].add_grading(GradingRecord(grade))
    pacing = build_report(session).questions[0].answers[0].pacing
    assert pacing.filler_times_text == "um 0:12, uh 0:40"
    assert "Fillers at: um 0:12, uh 0:40" in render_markdown(session)
