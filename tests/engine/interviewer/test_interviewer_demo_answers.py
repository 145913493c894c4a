"""The demo's sample candidate answers: speakable, complete, and matched to the right probes."""

from __future__ import annotations

import re
from pathlib import Path

from engine.demo import DEMO_QUESTION_IDS, demo_questions, load_sample_answers
from engine.interviewer.clarifications import answer_clarification, is_clarifying_question
from engine.questions.bank import QuestionBank
from engine.questions.model import FollowUp


def test_every_demo_question_is_in_the_bank_and_has_spoken_style_answers() -> None:
    samples = load_sample_answers()
    bank = QuestionBank.load(include_user=False)
    for question_id in DEMO_QUESTION_IDS:
        bank.get(question_id)
        answers = samples[question_id]
        lines = [answers.answer, answers.clarifying_question, *(f.text for f in answers.follow_ups)]
        for line in lines:
            # espeak garbles digits and symbols; Whisper then cannot give them back.
            assert not re.search(r"[0-9%/&()*#]", line), line
        assert any(f.constraint for f in answers.follow_ups), question_id
        assert any(f.dimension == "default" for f in answers.follow_ups), question_id


def test_each_clarifying_question_is_recognised_and_answered_from_the_bank() -> None:
    samples = load_sample_answers()
    bank = QuestionBank.load(include_user=False)
    for question_id in DEMO_QUESTION_IDS:
        question = bank.get(question_id)
        asked = samples[question_id].clarifying_question
        assert is_clarifying_question(asked), asked
        reply = answer_clarification(question, asked)
        assert "reasonable assumption" not in reply, (question_id, reply)
        assert not is_clarifying_question(samples[question_id].answer)


def test_follow_up_answers_match_the_probe() -> None:
    samples = load_sample_answers()["design-short-video-feed"]
    watch = FollowUp("If you optimize watch time directly, what goes wrong?", "metrics")
    assert "watch time" in samples.answer_to(watch)
    ctr = FollowUp("What are the limits of click-through rate?", "metrics")
    assert "clickbait" in samples.answer_to(ctr)
    constraint = FollowUp("Now new creators need exposure.", "tradeoffs", constraint="fairness")
    assert "new creators" in samples.answer_to(constraint)
    unknown = FollowUp("Summarise it for a manager.", "communication")
    assert samples.answer_to(unknown) == next(
        f.text for f in samples.follow_ups if f.dimension == "default"
    )


def test_demo_picks_questions_in_order() -> None:
    questions = demo_questions(2, load_sample_answers())
    assert [q.id for q in questions] == list(DEMO_QUESTION_IDS[:2])


def test_out_folder_redirects_the_data_dir_only_for_the_demo(tmp_path: Path) -> None:
    from engine import paths
    from engine.demo import _data_dir

    before = paths.data_dir()
    with _data_dir(tmp_path / "out"):
        assert paths.sessions_dir() == (tmp_path / "out" / "sessions").resolve()
    assert paths.data_dir() == before
    with _data_dir(None):
        assert paths.data_dir() == before
