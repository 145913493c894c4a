"""The after-answer study card on real offline gradings of a bank and a free question."""

from __future__ import annotations

from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.practice.study_card import study_card
from engine.questions.bank import default_bank
from engine.questions.model import free_question
from engine.transcript import Transcript
from tests.engine.practice.test_practice_retry import BETTER, FIRST, QUESTION_ID


def _grade(question, text):
    transcript = Transcript.from_text(text)
    return make_grader("offline").grade(GradeRequest(question=question, transcript=transcript))


def test_bank_card_lists_expected_points_and_ticks_the_covered_ones_with_quotes():
    question = default_bank().get(QUESTION_ID)
    strong = study_card(question, _grade(question, BETTER))
    weak = study_card(question, _grade(question, FIRST))
    assert not strong.generic
    assert strong.point_count == sum(len(v) for v in question.expected.values())
    assert strong.covered_count > weak.covered_count
    covered = [p for s in strong.sections for p in s.points if p.covered]
    assert covered and all(p.quote is None or p.quote in BETTER for p in covered)
    assert any(p.quote for p in covered)
    metrics = next(s for s in strong.sections if s.dimension == "metrics")
    assert metrics.covered_count >= 1


def test_card_before_grading_has_everything_open():
    question = default_bank().get(QUESTION_ID)
    card = study_card(question, None)
    assert card.covered_count == 0 and card.point_count > 0


def test_free_question_gets_the_generic_outline_of_its_category():
    question = free_question(
        "How would you measure success of a voice assistant's timers?", "metrics"
    )
    card = study_card(question, _grade(question, BETTER))
    assert card.generic
    assert [s.dimension for s in card.sections][:2] == ["problem_framing", "metrics"]
    assert all(s.points for s in card.sections)
