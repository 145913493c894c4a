"""Interview loop mode: the round's questions, its report, and a round ended early."""

from __future__ import annotations

from datetime import date

from engine.practice.loop import (
    LOOP_FORMATS,
    build_loop_report,
    format_loop_report,
    loop_settings,
    pick_loop_questions,
)
from engine.questions.bank import default_bank
from engine.store.model import ROLE_ANSWER, GradingRecord, QuestionRecord, Turn
from engine.store.sessions import create_session, load_session, save_session
from tests.engine.practice.history_factory import scores_with
from tests.engine.store.factories import make_grade, timed_transcript

ONSITE = LOOP_FORMATS["onsite-45"]


def test_onsite_round_has_a_design_a_metrics_or_experimentation_and_a_diagnose_question():
    bank = default_bank().questions
    questions = pick_loop_questions(ONSITE, bank, set(), date(2026, 12, 1))
    assert [q.category for q in questions][0] == "design"
    assert questions[1].category in ("metrics", "experimentation")
    assert questions[2].category == "diagnose"
    assert questions == pick_loop_questions(ONSITE, bank, set(), date(2026, 12, 1))
    seen = {q.id for q in questions}
    fresh = pick_loop_questions(ONSITE, bank, seen, date(2026, 12, 1))
    assert not seen & {q.id for q in fresh}


def _loop_session(answered: int, durations=(600.0, 1000.0, 500.0)):
    bank = default_bank().questions
    questions = pick_loop_questions(ONSITE, bank, set(), date(2026, 12, 1))
    session = create_session(
        kind="interview", settings={"loop": loop_settings(ONSITE, questions)}, title="loop"
    )
    scores = [scores_with(metrics=2), scores_with(metrics=2, tradeoffs=4), scores_with(metrics=3)]
    for number, question in enumerate(questions[:answered]):
        applicable = {
            k: v
            for k, v in scores[number].items()
            if k != "diagnosis" or question.category == "diagnose"
        }
        if question.category == "diagnose":
            applicable["diagnosis"] = 2
        turn = Turn(
            index=number + 1,
            role=ROLE_ANSWER,
            prompt=question.prompt,
            duration_s=durations[number],
            transcript=timed_transcript("I would start from the users."),
        )
        turn.add_grading(GradingRecord(make_grade(applicable, duration_s=durations[number])))
        ref = {**question.to_ref(), "time_limit_s": question.time_limit_s}
        session.questions.append(QuestionRecord(question=ref, turns=[turn]))
    save_session(session)
    return load_session(session.id)


def test_loop_report_gives_a_verdict_per_dimension_and_where_the_time_went():
    report = build_loop_report(_loop_session(answered=3))
    assert report is not None and not report.partial
    metrics = next(d for d in report.dimensions if d.dimension == "metrics")
    assert metrics.verdict == "Metrics: below solid in 2 of 3 questions"
    assert report.dimensions[0].mean <= report.dimensions[-1].mean
    assert [t.spent_s for t in report.times] == [600.0, 1000.0, 500.0]
    assert report.times[1].over_s == 100.0  # 1000 s against a 900 s share of 45 minutes
    text = format_loop_report(report)
    assert "35:00 used of 45:00" in text
    assert "1:40 over its share" in text


def test_a_loop_ended_early_gets_a_partial_report():
    report = build_loop_report(_loop_session(answered=2))
    assert report is not None and report.partial
    assert report.answered_questions == 2 and report.planned_questions == 3
    assert "Partial: 2 of 3 questions answered." in report.verdict


def test_an_ordinary_session_has_no_loop_report():
    session = create_session(kind="interview", settings={}, title="plain")
    assert build_loop_report(session) is None
