"""A trade-off answer is credited for the call it makes on the question, in whatever words.

The bank's trade-off points join a weighing and a call ("short-term time versus long-term
network health, with a decision"). The grader matches the weighing by meaning and checks the
call on its own (``scoring._grounded_call``): a reasoned call on this question's particulars
counts, a generic "then I'd make a decision, because decisions matter" does not.
"""

from __future__ import annotations

import pytest

from engine.grading.base import GradeRequest
from engine.grading.meaning import asks_decision, point_core
from engine.questions.bank import default_bank
from engine.transcript import Transcript

QUESTION_ID = "tradeoff-time-spent-vs-shares"

WEIGHING = (
    "Shares are how friends bring each other back, so losing five percent of them could cost "
    "us retention later, while three percent more minutes might only be people scrolling "
    "without enjoying it. I'd look at which posts moved up and which moved down, and whether "
    "the extra time comes from friends' posts or from videos nobody shares. "
)
CALL = (
    "My call is to hold this version, because the share drop hits the long-term goal, and to "
    "test a variant that keeps friends' posts where they were with a longer holdout."
)
GENERIC_CALL = "Then I'd make a decision, because decisions matter in a trade-off."


def _tradeoffs(grader, text: str) -> int:
    question = default_bank().get(QUESTION_ID)
    grade = grader.grade(GradeRequest(question, Transcript.from_text(text)))
    return grade.dimension("tradeoffs").score


def test_a_reasoned_call_on_the_question_lifts_the_tradeoff_dimension(grader):
    without = _tradeoffs(grader, WEIGHING)
    with_call = _tradeoffs(grader, WEIGHING + CALL)
    assert with_call > without


def test_a_generic_decision_line_earns_no_tradeoff_credit(grader):
    assert _tradeoffs(grader, WEIGHING + GENERIC_CALL) == _tradeoffs(grader, WEIGHING)


@pytest.mark.parametrize(
    ("point", "core"),
    [
        ("computes an expected-cost comparison and decides",
         "computes an expected-cost comparison"),
        ("short-term time versus long-term network health, with a decision",
         "short-term time versus long-term network health"),
    ],
)  # fmt: skip
def test_a_decision_point_is_matched_on_its_weighing(point, core):
    assert asks_decision(point)
    assert point_core(point) == core
    assert not asks_decision("inspects what content the change promotes")
