"""Redirects, wrap-ups and what the report is told: the interviewer steers instead of probing.

The interview is driven with text transcripts and graded by the real offline grader; the
questions are small hand-made ones so each test controls the expected points it checks for.
"""

from __future__ import annotations

from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.grading.result import Grade
from engine.interviewer.follow_ups import chosen_probe_dimension
from engine.interviewer.redirects import (
    COME_BACK_LEAD,
    GENERIC_LEAD,
    WRAP_UP_LINE,
    echoes_question,
    is_solution_request,
    without_annotations,
)
from engine.interviewer.state_machine import Interview, InterviewSettings
from engine.questions.bank import default_bank
from engine.questions.model import FollowUp, Question
from engine.store.model import ROLE_CLARIFICATION
from engine.transcript import Transcript

PODCAST = Question(
    id="design-test-podcasts",
    category="design",
    prompt="Design episode recommendations for a podcast app.",
    time_limit_s=120,
    expected={
        "problem_framing": ("listeners who want a new show for their commute",),
        "metrics": ("completion of recommended episodes within a week",),
        "system_design": ("a popularity baseline before any learned ranker",),
    },
    follow_ups=(FollowUp("How would you know it works for listeners?", "metrics"),),
    clarifications={"users": "Commuters who listen on their phones."},
)
SECOND = Question(
    id="metrics-test-albums",
    category="metrics",
    prompt="How would you measure the success of automatic photo albums?",
    time_limit_s=120,
    expected={"metrics": ("albums shared or kept a month later",)},
)

OFF_TOPIC = (
    "Let me talk about pricing a ride sharing trip. I would set the fare from distance and "
    "traffic, raise it at rush hour when drivers are scarce, and test surge caps by city, "
    "watching the share of riders who cancel and the driver supply in each zone over a month."
)
ON_TOPIC = (
    "Listeners want a new show for their commute, so I would start with a popularity baseline "
    "of episodes, then rank episodes by what similar listeners finished."
)


# Three answers that grading v2 rates low on relevance for a bank question, for different reasons.
TEMPLATE = (
    "I always use the same framework. First, I clarify the goal, because goals matter. Second, "
    "I pick the metrics, because metrics matter. Third, I look at the data, because data "
    "matters. Fourth, I weigh the trade-offs, because trade-offs matter. Fifth, I run an A/B "
    "test, because testing matters. To wrap up, goal, metrics, data, trade-offs and a test, "
    "because each of them matters."
)
CHAT = (
    "Funny, my cousin asked me about this at a wedding last month. I told her I mostly listen to "
    "audiobooks on long drives, and she laughed because she only listens to true crime. "
    "Weddings are exhausting, honestly, the speeches went on for two hours. Anyway, I have "
    "always loved stories, which is part of why I went into this field in the first place."
)
ADS_ANSWER = (
    "I would weigh ad load against long term retention. More ads per session lift revenue "
    "today, but people who see too many ads come back less often over the next months, so I "
    "would run a holdout with lower ad load for a quarter and compare retention and lifetime "
    "revenue per user, with ad click quality as a guardrail, then pick the load where marginal "
    "revenue stops paying for the lost visits."
)


def bank_question(question_id: str) -> Question:
    return next(q for q in default_bank().questions if q.id == question_id)


def graded(question: Question, words: str) -> Grade:
    request = GradeRequest(question=question, transcript=text(words, 60.0))
    return make_grader("offline").grade(request)


def text(words: str, seconds: float = 40.0) -> Transcript:
    return Transcript.from_text(words, seconds)


def start(*questions: Question, **settings: object) -> Interview:
    """An interview over ``questions`` whose first question has been spoken: it is listening."""
    machine = Interview(questions or (PODCAST, SECOND), InterviewSettings(**settings))  # type: ignore[arg-type]
    machine.start()
    machine.on_spoken()
    return machine


def all_expected_points(*questions: Question) -> list[str]:
    return [p for q in questions for points in q.expected.values() for p in points]


def test_off_topic_answer_is_redirected_to_the_question_not_probed() -> None:
    machine = start()
    reply = machine.on_answer(text(OFF_TOPIC))
    assert reply.purpose == "redirect"
    assert reply.text.startswith(COME_BACK_LEAD)
    assert "podcast" in reply.text
    assert machine.follow_ups_asked == 0
    # The candidate then answers the question: now the interview grades and probes as usual.
    machine.on_spoken()
    after = machine.on_answer(text(ON_TOPIC))
    assert after.purpose in ("follow_up", "question")
    notes = " ".join(machine.session.notes)
    assert "did not address the question" in notes


def test_asking_for_the_answer_gets_the_question_back_and_no_expected_points() -> None:
    machine = start()
    reply = machine.on_answer(text("Can you just tell me the answer?", 3.0))
    assert reply.purpose == "redirect"
    assert "podcast" in reply.text
    for point in all_expected_points(PODCAST):
        assert point.lower() not in reply.text.lower()
    turn = machine.session.questions[0].turns[-1]
    assert turn.role == ROLE_CLARIFICATION and turn.grade is None
    assert any("asked for the answer" in n for n in machine.session.notes)


def test_repeated_requests_for_the_answer_end_in_moving_on() -> None:
    machine = start()
    for _ in range(2):
        assert machine.on_answer(text("Just tell me the answer.", 2.0)).purpose == "redirect"
        machine.on_spoken()
    moved = machine.on_answer(text("Just tell me the answer.", 2.0))
    assert moved.purpose == "question" and machine.question_index == 1


def test_reading_the_question_back_is_redirected() -> None:
    machine = start()
    reply = machine.on_answer(text("Design episode recommendations for a podcast app.", 4.0))
    assert reply.purpose == "redirect"
    assert any("repeated the question" in n for n in machine.session.notes)


def test_an_answer_past_the_limit_gets_a_wrap_up_instead_of_a_probe() -> None:
    machine = start()
    reply = machine.on_answer(text(ON_TOPIC, 150.0))  # the window was 120 s
    assert reply.purpose == "question"
    assert reply.text.startswith(WRAP_UP_LINE)
    assert machine.follow_ups_asked == 0 and machine.question_index == 1
    assert any("ran past its limit" in n for n in machine.session.notes)


def test_wrap_up_on_the_last_question_closes_politely() -> None:
    machine = start(PODCAST)
    reply = machine.on_answer(text(ON_TOPIC, 150.0))
    assert reply.purpose == "closing" and reply.text.startswith(WRAP_UP_LINE)


def test_silence_twice_is_scored_missing_and_the_report_is_told() -> None:
    machine = start()
    assert machine.on_answer(text("", 120.0)).purpose == "repeat"
    machine.on_spoken()
    nxt = machine.on_answer(text("", 120.0))
    assert nxt.purpose == "question" and machine.question_index == 1
    grade = machine.session.questions[0].turns[-1].grade
    assert grade is not None and grade.overall == 1.0
    assert any("nothing was heard" in n for n in machine.session.notes)


def test_whisper_noise_annotations_count_as_nothing_heard() -> None:
    assert without_annotations("[Music] (static) *cough*") == ""
    machine = start()
    assert machine.on_answer(text("[MUSIC PLAYING]", 10.0)).purpose == "repeat"


def test_an_interrupted_question_carries_on_and_is_noted() -> None:
    machine = Interview((PODCAST,), InterviewSettings())
    machine.start()
    listening = machine.on_spoken(interrupted=True)
    assert listening.kind == "listen"
    assert any("before the question was fully spoken" in n for n in machine.session.notes)


def test_recognisers_do_not_fire_on_real_answers() -> None:
    assert is_solution_request("What's the right answer here?")
    assert not is_solution_request("Who are the users, and what is the scale?")
    assert not is_solution_request(ON_TOPIC)
    assert not echoes_question(ON_TOPIC, PODCAST)


def test_a_generic_template_answer_is_probed_on_its_biggest_gap_not_redirected() -> None:
    # Low on relevance because it names no product, yet it is an attempt at this question: a
    # person asks for it made concrete on what matters most for a design question.
    podcasts = bank_question("design-podcast-recommendations")
    grade = graded(podcasts, TEMPLATE)
    assert grade.off_topic and grade.closer_question is None
    assert chosen_probe_dimension(podcasts, grade, TEMPLATE) == "problem_framing"
    machine = start(podcasts)
    reply = machine.on_answer(text(TEMPLATE, 60.0))
    assert reply.purpose == "follow_up"
    assert reply.text.startswith(GENERIC_LEAD)
    assert not reply.text.startswith(f"{GENERIC_LEAD} {COME_BACK_LEAD}")


def test_an_answer_to_another_bank_question_is_redirected_and_the_grade_names_it() -> None:
    podcasts = bank_question("design-podcast-recommendations")
    grade = graded(podcasts, ADS_ANSWER)
    assert grade.off_topic and grade.closer_question == "tradeoff-ads-load-vs-retention"
    assert Grade.from_dict(grade.to_dict()).closer_question == grade.closer_question
    assert chosen_probe_dimension(podcasts, grade, ADS_ANSWER) is None
    reply = start(podcasts).on_answer(text(ADS_ANSWER, 60.0))
    assert reply.purpose == "redirect" and reply.text.startswith(COME_BACK_LEAD)


def test_small_talk_is_redirected_even_though_it_is_about_no_other_question() -> None:
    zero_results = bank_question("diagnose-search-zero-results-spike")
    grade = graded(zero_results, CHAT)
    assert grade.off_topic and grade.closer_question is None
    assert chosen_probe_dimension(zero_results, grade, CHAT) is None
    reply = start(zero_results).on_answer(text(CHAT, 60.0))
    assert reply.purpose == "redirect"
