"""The setup plan builder on its own: the real question bank and real ``SetupChoices``, no
widgets (the setup screen only shows what these functions decide)."""

from __future__ import annotations

from desktop import settings as app_settings
from desktop.controllers import setup_plan
from engine.questions.bank import QuestionBank

BANK = QuestionBank.load(include_user=False)
PREFS = app_settings.Preferences(output_device="Desk speaker", auto_finish_silence_s=4, chime=True)


def test_hand_picked_questions_become_the_plan_in_order_with_the_preferences() -> None:
    ids = [BANK.questions[2].id, BANK.questions[0].id]
    choices = app_settings.SetupChoices(
        source=app_settings.SOURCE_HAND_PICKED,
        picked_ids=ids,
        time_limit_s=240,
        follow_ups=1,
        engine="llm",
        voice_rate=190,
    )
    result = setup_plan.build_plan(BANK, choices, PREFS)
    plan = result.plan
    assert plan is not None and result.reason == ""
    assert [q.id for q in plan.questions] == ids
    assert (plan.time_limit_s, plan.follow_ups, plan.engine) == (240.0, 1, "llm")
    assert (plan.output_device, plan.auto_finish_silence_s, plan.chime) == ("Desk speaker", 4, True)
    text, count = setup_plan.summary(BANK, choices)
    assert count == 2
    assert text == "2 hand-picked questions, 4 min per answer, up to 1 follow-up each."


def test_choices_that_cannot_start_say_why() -> None:
    nothing = app_settings.SetupChoices(source=app_settings.SOURCE_HAND_PICKED, picked_ids=[])
    assert setup_plan.build_plan(BANK, nothing, PREFS).reason == (
        "Tick at least one question in the list."
    )
    assert setup_plan.build_plan(None, nothing, PREFS).reason == "The questions are still loading…"
    no_behaviour = QuestionBank(tuple(q for q in BANK.questions if q.category != "behavior"))
    impossible = app_settings.SetupChoices(categories=["behavior"], count=3)
    result = setup_plan.build_plan(no_behaviour, impossible, PREFS)
    assert result.plan is None and "widen the choice" in result.reason
    assert setup_plan.summary(no_behaviour, impossible) == (
        "0 random questions (of 0 matching), each question's own time limit, "
        "up to 2 follow-ups each.",
        0,
    )


def test_a_random_set_draws_only_from_matching_questions() -> None:
    choices = app_settings.SetupChoices(categories=["metrics"], difficulty="any", count=2)
    matching = setup_plan.matching_questions(BANK, choices)
    assert matching and all(q.category == "metrics" for q in matching)
    plan = setup_plan.build_plan(BANK, choices, PREFS).plan
    assert plan is not None and len(plan.questions) == min(2, len(matching))
    assert {q.id for q in plan.questions} <= {q.id for q in matching}
