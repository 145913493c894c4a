"""Clarifying questions: told apart from answers, matched to bank topics, answered aloud."""

from __future__ import annotations

import pytest

from engine.interviewer.clarifications import (
    ASSUMPTION_REPLY,
    answer_clarification,
    candidate_request,
    is_clarifying_question,
    topics_asked,
)
from engine.questions.model import Question

USERS = "Mostly people aged eighteen to thirty-five who scroll daily."
SCALE = "About 50 million daily users."
GOAL = "Leadership wants people to come back because they enjoyed it."

FEED = Question(
    id="design-test-feed",
    category="design",
    prompt="Design the ranking of a short video feed.",
    clarifications={
        "users": USERS,
        "scale": SCALE,
        "goal": GOAL,
        "platform": "A mobile app first.",
        "history": "A ranking model release went out last Monday.",
    },
)


@pytest.mark.parametrize(
    "text",
    [
        "Who are the users and what's the scale?",
        "Can I ask who the main users are?",
        "Okay, before I start, what's the scale we're talking about?",
        "So, are we talking about the mobile app or the web",
        "Do we know if anything changed recently",
        "Um, what is the goal the team cares about?",
        "I'd like to clarify a couple of things first. Who are the users? And how many are there?",
        "Quick question, is this a new product or an existing one",
    ],
)
def test_questions_to_the_interviewer_are_recognised(text: str) -> None:
    assert is_clarifying_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I would start with the users and their goals.",
        "Okay, so the users are young adults on phones.",
        # An answer that merely contains a rhetorical question.
        "So what do users want? I think they want short, fun videos, so I would rank by a "
        "predicted satisfaction score, watch for reports as a guardrail, and test it with "
        "an experiment before launch.",
        "What I would do first is check the logging pipeline for the last week.",
        "When the user opens the app we fetch candidates from three sources.",
        # Long turns are answers even when they end in a question.
        "I would define success as weekly retention, then break it down into sessions per "
        "user and watch time per session, watch guardrails like report rate, and run a "
        "two week experiment with a holdout, so does that cover what you were looking for?",
    ],
)
def test_answers_are_not_taken_for_clarifying_questions(text: str) -> None:
    assert not is_clarifying_question(text)


def test_two_topics_in_one_question_are_both_answered_in_order() -> None:
    reply = answer_clarification(FEED, "Who are the users and what's the scale?")
    assert USERS in reply
    assert "About fifty million daily users." in reply  # numbers spoken in words
    assert reply.index(USERS) < reply.index("fifty million")
    flipped = answer_clarification(FEED, "What's the scale, and who are the users?")
    assert flipped.index("fifty million") < flipped.index(USERS)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("How many people use it every day?", "scale"),
        ("How big is the audience?", "scale"),
        ("Is this on mobile or on the web?", "platform"),
        ("What does the business care about most?", "goal"),
        ("What's the objective here?", "goal"),
        ("Who is this for?", "users"),
        ("Did anything change recently, like a release?", "history"),
    ],
)
def test_candidates_own_words_reach_the_bank_topic(text: str, topic: str) -> None:
    assert topics_asked(FEED, text) == [topic]
    assert answer_clarification(FEED, text).startswith(FEED.clarifications[topic].split()[0])


def test_how_many_users_is_about_scale_not_about_who_they_are() -> None:
    assert topics_asked(FEED, "How many users do we have?") == ["scale"]


def test_topic_the_bank_does_not_cover_is_left_to_the_candidate() -> None:
    reply = answer_clarification(FEED, "What's the budget for compute?")
    assert reply == ASSUMPTION_REPLY
    assert "reasonable assumption" in reply


def test_question_matching_no_topic_gets_the_assumption_reply() -> None:
    assert answer_clarification(FEED, "Can I assume something here?") == ASSUMPTION_REPLY


def test_known_and_unknown_topics_together_answer_one_and_defer_the_other() -> None:
    reply = answer_clarification(FEED, "Who are the users, and what's the budget?")
    assert reply.startswith(USERS)
    assert "budget" in reply and "reasonable assumption" in reply


def test_bank_topic_outside_the_synonym_table_still_matches_by_name() -> None:
    question = Question(
        id="q",
        category="design",
        prompt="Design a fraud model.",
        clarifications={"chargebacks": "Chargebacks arrive up to ninety days later."},
    )
    assert answer_clarification(question, "How do chargebacks work here?").startswith(
        "Chargebacks arrive"
    )


def test_bank_alias_topic_matches_the_tables_synonyms() -> None:
    question = Question(
        id="q",
        category="metrics",
        prompt="Measure a writing assistant.",
        clarifications={"audience": "Office workers writing emails."},
    )
    assert answer_clarification(question, "Who are the users?") == "Office workers writing emails."


def test_free_question_without_clarifications_defers_everything() -> None:
    question = Question(id="", category="design", prompt="Design a feed.")
    assert answer_clarification(question, "Who are the users?") == ASSUMPTION_REPLY


def test_reply_is_spoken_style() -> None:
    reply = answer_clarification(FEED, "What's the scale?")
    assert not any(ch.isdigit() for ch in reply)
    assert reply.endswith(".")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sorry, could you repeat the question?", "repeat"),
        ("Can you say that again?", "repeat"),
        ("Can I take a moment to think?", "think"),
        ("Let me think for a second.", "think"),
        ("Who are the users?", None),
        ("Hmm, can I take a moment to think? Thanks.", "think"),
        ("Let me think. I would start with the users, who want short fun videos.", None),
        ("Let me think I would start with the users who want short fun videos", None),
        ("", None),
        # A real answer that happens to contain the words is still an answer.
        (
            "Let me think about the users first: viewers want quick entertainment and creators "
            "want reach, so the goal is long term satisfaction, measured by weekly retention.",
            None,
        ),
    ],
)
def test_requests_about_the_interview_itself_are_recognised(text: str, kind: str | None) -> None:
    assert candidate_request(text) == kind
