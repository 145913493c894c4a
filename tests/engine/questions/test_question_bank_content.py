"""The bundled question bank: valid, big enough, and shaped for a real spoken interview.

These tests read the real files under question_bank/; a question that would leave the grader
without expected points or the interviewer without probes fails here, not in a user's session.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest

from engine.paths import bundled_question_bank_dir
from engine.questions.bank import QuestionBank, load_question_file, validate_paths
from engine.questions.model import Question
from engine.rubric import CATEGORIES, applicable_dimensions

COMMON_TOPICS = {
    "users",
    "scale",
    "platform",
    "goal",
    "data",
    "latency",
    "region",
    "timeline",
    "metric",
    "budget",
    "team",
    "history",
}
CALIBRATION_QUESTIONS = (
    Path(__file__).resolve().parents[2] / "data" / "calibration" / "questions.yaml"
)
HEAVY_MODEL_WORDS = {"transformer", "deep neural network", "large language model", "llm", "bert"}
FEEDBACK_LOOP_WORDS = {"personalized", "collaborative filtering", "rank by engagement"}


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return QuestionBank.load(include_user=False)


def test_bundled_bank_validates_clean() -> None:
    errors = validate_paths([bundled_question_bank_dir()])
    assert [str(e) for e in errors] == []


def test_bank_has_enough_questions_in_every_category(bank: QuestionBank) -> None:
    counts = Counter(q.category for q in bank.questions)
    assert len(bank) >= 66
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 11, counts


def test_ids_the_other_parts_depend_on_exist(bank: QuestionBank) -> None:
    feed_drop = bank.get("diagnose-feed-engagement-drop")
    assert feed_drop.category == "diagnose"
    assert "engagement" in feed_drop.prompt.lower() and "diagnose" in feed_drop.prompt.lower()
    assert bank.get("design-short-video-feed").category == "design"
    assert "short-video" in bank.get("design-short-video-feed").prompt
    assert bank.get("metrics-ai-writing-assistant").category == "metrics"


def test_ids_are_kebab_case_and_start_with_their_category(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", question.id), question.id
        assert question.id.startswith(question.category + "-"), question.id


def test_every_applicable_dimension_has_two_to_four_expected_points(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert set(question.expected) == set(applicable_dimensions(question.category)), question.id
        for dimension, points in question.expected.items():
            assert 2 <= len(points) <= 4, (question.id, dimension)
            assert len(set(points)) == len(points), (question.id, dimension)


def test_expected_points_are_short_phrases_a_report_can_list(bank: QuestionBank) -> None:
    for question in bank.questions:
        for points in question.expected.values():
            for point in points:
                assert 3 <= len(point.split()) <= 22, (question.id, point)


def test_every_question_has_probes_that_read_as_spoken_questions(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.follow_ups) >= 3, question.id
        applicable = set(applicable_dimensions(question.category))
        for follow_up in question.follow_ups:
            assert follow_up.dimension in applicable, (question.id, follow_up.text)
            assert follow_up.text[0].isupper() and follow_up.text.endswith(("?", ".")), (
                question.id,
                follow_up.text,
            )
            assert len(follow_up.text.split()) <= 30, (question.id, follow_up.text)


def test_no_probe_text_is_shared_between_questions(bank: QuestionBank) -> None:
    # The interviewer never repeats a probe within a session; shared texts would block a
    # second question's probe for no reason.
    texts = Counter(f.text for q in bank.questions for f in q.follow_ups)
    assert [text for text, n in texts.items() if n > 1] == []


def test_diagnosis_appears_only_on_diagnose_questions(bank: QuestionBank) -> None:
    for question in bank.questions:
        uses_diagnosis = "diagnosis" in question.expected or any(
            f.dimension == "diagnosis" for f in question.follow_ups
        )
        assert uses_diagnosis == (question.category == "diagnose"), question.id


def _triggered(bank: QuestionBank, words: set[str]) -> list[tuple[Question, str]]:
    return [
        (q, f.dimension) for q in bank.questions for f in q.follow_ups if words & set(f.triggers)
    ]


def test_answers_proposing_ctr_get_asked_about_its_limits(bank: QuestionBank) -> None:
    hits = _triggered(bank, {"ctr", "click-through"})
    assert len(hits) >= 15
    assert {dimension for _, dimension in hits} <= {"metrics", "user_signals"}
    assert bank.get("design-short-video-feed") in [q for q, _ in hits]


def test_answers_proposing_heavy_models_get_asked_about_latency_and_cost(
    bank: QuestionBank,
) -> None:
    hits = _triggered(bank, HEAVY_MODEL_WORDS)
    assert len({q.id for q, _ in hits}) >= 8
    for question, _ in hits:
        probe = next(f for f in question.follow_ups if HEAVY_MODEL_WORDS & set(f.triggers))
        assert re.search(
            r"latency|millisecond|cost|expensive|afford|slow|seconds|worth", probe.text, re.I
        ), question.id


def test_personalized_answers_can_be_asked_about_feedback_loops(bank: QuestionBank) -> None:
    hits = _triggered(bank, FEEDBACK_LOOP_WORDS)
    assert len({q.id for q, _ in hits}) >= 6


def test_many_questions_carry_trigger_and_constraint_follow_ups(bank: QuestionBank) -> None:
    with_trigger = [q for q in bank.questions if any(f.triggers for f in q.follow_ups)]
    with_constraint = [q for q in bank.questions if any(f.constraint for f in q.follow_ups)]
    assert len(with_trigger) >= 40
    assert len(with_constraint) >= 20
    for question in with_constraint:
        for follow_up in question.follow_ups:
            if follow_up.constraint:
                assert 2 <= len(follow_up.constraint.split()) <= 8, question.id
    assert all(t == t.lower() for q in bank.questions for f in q.follow_ups for t in f.triggers)


def test_constraint_follow_ups_announce_the_change_when_spoken(bank: QuestionBank) -> None:
    # Heard aloud, a new constraint must sound like one ("Now assume...") or the candidate
    # answers it as an ordinary probe and is then graded on adapting to something unheard.
    for question in bank.questions:
        for follow_up in question.follow_ups:
            if follow_up.constraint:
                assert follow_up.text.startswith("Now "), (question.id, follow_up.text)
                assert not follow_up.triggers, (question.id, follow_up.text)


def test_clarifications_answer_common_topics_in_spoken_sentences(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.clarifications) >= 3, question.id
        assert set(question.clarifications) <= COMMON_TOPICS, question.id
        for answer in question.clarifications.values():
            assert answer[0].isupper() and answer.endswith("."), (question.id, answer)


def test_time_limits_and_difficulties_are_realistic_and_varied(bank: QuestionBank) -> None:
    assert {q.difficulty for q in bank.questions} == {"easy", "medium", "hard"}
    for question in bank.questions:
        assert 180 <= question.time_limit_s <= 420, question.id
    assert len({q.time_limit_s for q in bank.questions}) >= 3


def test_each_question_knows_where_it_was_defined(bank: QuestionBank) -> None:
    question = bank.get("design-short-video-feed")
    path, _, line = question.source.rpartition(":")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[int(line) - 1].strip() == "- id: design-short-video-feed"


def test_readme_example_is_a_valid_question_file(tmp_path: Path) -> None:
    readme = (bundled_question_bank_dir() / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    assert validate_paths([path]) == []


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def test_every_question_has_its_own_red_flags(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.red_flags) >= 2, question.id
        applicable = set(applicable_dimensions(question.category))
        for flag in question.red_flags:
            assert flag.dimension in applicable, (question.id, flag.text)
            assert 3 <= len(flag.text.split()) <= 20, (question.id, flag.text)
            assert 1 <= len(flag.claims) <= 3, (question.id, flag.text)
            for claim in flag.claims:
                # Claims are spoken sentences a candidate commits to, long enough to carry
                # the mistake and short enough to match one answer sentence.
                assert 5 <= len(claim.split()) <= 30, (question.id, claim)


def test_red_flags_reach_more_than_one_dimension(bank: QuestionBank) -> None:
    # One answer usually makes mistakes of different kinds; a diagnose question's most common
    # mistake is a diagnosis one (guessing before checking the data).
    for question in bank.questions:
        dimensions = {f.dimension for f in question.red_flags}
        assert len(dimensions) >= 2, question.id
        if question.category == "diagnose":
            assert "diagnosis" in dimensions, question.id


def test_red_flags_are_written_for_their_question_not_shared(bank: QuestionBank) -> None:
    notes = Counter(_normalised(f.text) for q in bank.questions for f in q.red_flags)
    claims = Counter(_normalised(c) for q in bank.questions for f in q.red_flags for c in f.claims)
    assert [text for text, n in notes.items() if n > 1] == []
    assert [text for text, n in claims.items() if n > 1] == []


def test_no_red_flag_claim_is_a_near_copy_of_an_expected_point(bank: QuestionBank) -> None:
    """A claim that reads like an expected point would flag the very answer the bank rewards."""
    for question in bank.questions:
        points = [_normalised(p) for ps in question.expected.values() for p in ps]
        for flag in question.red_flags:
            for claim in map(_normalised, flag.claims):
                for point in points:
                    ratio = difflib.SequenceMatcher(None, claim, point).ratio()
                    assert ratio < 0.75 and point not in claim, (question.id, claim, point)


def test_calibration_questions_carry_red_flags_too() -> None:
    questions = load_question_file(CALIBRATION_QUESTIONS)
    assert questions
    for question in questions:
        assert len(question.red_flags) >= 2, question.id
