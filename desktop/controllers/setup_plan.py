"""Turning the setup screen's choices into an ``InterviewPlan``, and the services Setup reads.

The setup screen is a view: it shows ``SetupChoices`` and reports the candidate's edits. Which
questions a choice means, whether it can start at all (and if not, why), what the one-line
summary says and how the plan is assembled with the app preferences live here, with no widget
in sight, so they can be reasoned about (and tested) on their own.

``SetupServices`` holds the engine calls the screen needs (the question bank, microphones,
Whisper models, the LLM setting). The window passes them in; the screen never imports the
engine for them, and a test can hand it other ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop import settings as app_settings
from desktop.controllers.interview_jobs import InterviewPlan
from engine.rubric import CATEGORIES


def _load_bank() -> Any:
    from engine.questions.bank import default_bank

    return default_bank()


def _load_devices() -> list[Any]:
    from engine.speech.recorder import list_input_devices

    return list_input_devices()


def _load_models() -> list[Any]:
    from engine.speech.models import available_models

    return available_models()


def _load_llm() -> Any:
    from engine.llm.settings import load_llm_settings

    return load_llm_settings()


@dataclass(frozen=True)
class SetupServices:
    """The engine reads Setup runs in workers (each a plain callable, so any can be replaced)."""

    load_bank: Callable[[], Any] = field(default=_load_bank)
    load_devices: Callable[[], list[Any]] = field(default=_load_devices)
    load_models: Callable[[], list[Any]] = field(default=_load_models)
    load_llm: Callable[[], Any] = field(default=_load_llm)


@dataclass(frozen=True)
class PlanOrReason:
    """A plan to start, or the sentence saying why there is none."""

    plan: InterviewPlan | None
    reason: str = ""


def matching_questions(bank: Any, choices: app_settings.SetupChoices) -> list[Any]:
    """The bank's questions a random set would be drawn from (every category when none)."""
    categories = choices.categories or list(CATEGORIES)
    level = choices.difficulty
    return [
        q
        for q in bank.questions
        if q.category in categories and (level == "any" or q.difficulty == level)
    ]


def plan_for_questions(
    questions: list[Any],
    choices: app_settings.SetupChoices,
    prefs: app_settings.Preferences,
    extra: dict[str, Any] | None = None,
) -> InterviewPlan:
    """A plan for exactly ``questions`` with the rest of ``choices`` and the preferences.

    ``extra`` goes into the session's settings (a retry's link, an interview loop's clock).
    """
    return InterviewPlan(
        questions=tuple(questions),
        time_limit_s=float(choices.time_limit_s) or None,
        follow_ups=choices.follow_ups,
        engine=choices.engine,
        whisper_model=choices.whisper_model,
        voice=choices.voice or None,
        voice_rate=choices.voice_rate,
        input_device=choices.input_device or None,
        output_device=prefs.output_device or None,
        auto_finish_silence_s=float(prefs.auto_finish_silence_s),
        chime=prefs.chime,
        extra=dict(extra or {}),
    )


def build_plan(
    bank: Any, choices: app_settings.SetupChoices, prefs: app_settings.Preferences
) -> PlanOrReason:
    """The plan ``choices`` describe, or why they describe none."""
    if bank is None:
        return PlanOrReason(None, "The questions are still loading…")
    if choices.source == app_settings.SOURCE_HAND_PICKED:
        questions = [bank.get(qid) for qid in choices.picked_ids]
        if not questions:
            return PlanOrReason(None, "Tick at least one question in the list.")
    else:
        difficulty = None if choices.difficulty == "any" else choices.difficulty
        questions = bank.pick(
            categories=choices.categories or None, difficulty=difficulty, count=choices.count
        )
        if not questions:
            return PlanOrReason(
                None, "No question matches these categories and difficulty; widen the choice."
            )
    return PlanOrReason(plan_for_questions(questions, choices, prefs))


def summary(bank: Any, choices: app_settings.SetupChoices) -> tuple[str, int]:
    """The one-line summary of ``choices`` and how many questions they would ask."""
    if bank is None:
        return "Loading questions…", 0
    if choices.source == app_settings.SOURCE_HAND_PICKED:
        count = len(choices.picked_ids)
        what = f"{count} hand-picked question{'s' if count != 1 else ''}"
    else:
        available = len(matching_questions(bank, choices))
        count = min(choices.count, available)
        what = f"{count} random question{'s' if count != 1 else ''} (of {available} matching)"
    limit = choices.time_limit_s // 60
    timing = f"{limit} min per answer" if limit else "each question's own time limit"
    follow = choices.follow_ups
    text = f"{what}, {timing}, up to {follow} follow-up{'s' if follow != 1 else ''} each."
    return text, count
