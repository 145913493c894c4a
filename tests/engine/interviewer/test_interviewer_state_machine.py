"""The interview state machine, driven like a host drives it, grading with the real offline engine.

Answers are given as text transcripts (the speech path is covered by the demo test); everything
else is real: the offline grader, the follow-up policy, the clarification answers, the session
records that the store saves.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from engine.engines import make_grader
from engine.errors import ConfigError, GradingError
from engine.grading.base import GradeRequest
from engine.grading.result import Grade
from engine.interviewer import generic_probes
from engine.interviewer.phrasing import spoken
from engine.interviewer.state_machine import (
    Action,
    Interview,
    InterviewSettings,
    InterviewStateError,
)
from engine.questions.model import FollowUp, Question
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    STATUS_COMPLETE,
    STATUS_ENDED_EARLY,
    Session,
)
from engine.transcript import Transcript

USERS = "Mostly people aged eighteen to thirty-five who scroll every day."
SCALE = "About fifty million daily users."
CONSTRAINT_TEXT = "Now new creators must get fair exposure. How does your design change?"
SHARED_PROBE = "How would you know a launch really helped people?"

FEED = Question(
    id="design-test-feed",
    category="design",
    prompt="Design the recommendation system for a short video feed.",
    time_limit_s=300,
    expected={
        "problem_framing": ("names viewers and creators and what each needs",),
        "metrics": ("north star tied to long term retention", "guardrails such as report rate"),
        "system_design": (
            "candidate generation then a ranking model",
            "a simple popularity baseline first",
        ),
        "tradeoffs": ("relevance versus diversity with a decision",),
        "user_signals": ("the model only learns from what it showed: explore to avoid a loop",),
        "experimentation": ("an A/B test on retention, run until novelty effects wear off",),
    },
    follow_ups=(
        FollowUp(
            "You mentioned click-through rate. What are its limits here?",
            "metrics",
            triggers=("click-through", "ctr"),
        ),
        FollowUp(CONSTRAINT_TEXT, "tradeoffs", constraint="new creators need fair exposure"),
        FollowUp(SHARED_PROBE, "experimentation"),
        FollowUp("Which signals from viewers would you trust most?", "user_signals"),
    ),
    clarifications={"users": USERS, "scale": SCALE},
)

WRITING = Question(
    id="metrics-test-writing",
    category="metrics",
    prompt="How would you measure the success of an AI writing assistant?",
    time_limit_s=240,
    expected={
        "metrics": ("retained paid seats", "acceptance rate and text kept after editing"),
        "experimentation": ("staged rollout comparing time to finish documents",),
    },
    follow_ups=(
        FollowUp(SHARED_PROBE, "experimentation"),
        FollowUp("What guardrail would make you stop a launch?", "metrics"),
        FollowUp("Which signals other than ratings show a suggestion was good?", "user_signals"),
    ),
    clarifications={"users": "Office workers writing emails and reports."},
)

DESIGN_ANSWER = (
    "Let me start with the users. Viewers want to be entertained and creators want an audience, "
    "so the goal is long term satisfaction rather than raw watch time. My north star would be "
    "weekly retention, with report rate as a guardrail, because watch time alone can mislead. "
    "For the system I would first build a simple popularity baseline. Then I would use two "
    "stages: candidate generation from embeddings, follows and trending videos, then a ranking "
    "model that predicts watching, liking and sharing, combined into one score. The trade-off "
    "is relevance against diversity, so I would re-rank to mix topics, and I would keep a "
    "small exploration budget for new videos because otherwise the model only learns from "
    "its own picks."
)
ADAPTED_ANSWER = (
    "Given the new constraint, I would change the design: I would reserve a share of every feed "
    "for new creators, scored by a separate model that uses the content of the video instead "
    "of follower counts, and cap the exposure any single creator gets. I would then measure "
    "viewer satisfaction and how many new creators reach their first thousand views."
)
FOLLOW_UP_ANSWER = (
    "I would run a randomized experiment for two weeks on retention and satisfaction, keep a "
    "long term holdout, and wait for novelty effects to wear off before deciding."
)
TESTED_DESIGN_ANSWER = DESIGN_ANSWER + " To launch it, " + FOLLOW_UP_ANSWER
"""The design answer with its experiment: only small gaps are left, so a constraint comes."""
WRITING_ANSWER = (
    "Office workers use it to draft emails, so the company wants better documents in less time "
    "and people who keep paying. My north star is retained paid seats. Below it I track the "
    "acceptance rate of suggestions and how much accepted text survives editing, because "
    "people accept and then rewrite. As guardrails I watch the undo rate and latency."
)


def text(answer: str, seconds: float = 60.0) -> Transcript:
    return Transcript.from_text(answer, seconds)


class RecordingGrader:
    """The real offline grader, plus a record of every request the interview sent it."""

    def __init__(self) -> None:
        self.inner = make_grader("offline")
        self.requests: list[GradeRequest] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def grade(self, request: GradeRequest) -> Grade:
        self.requests.append(request)
        return self.inner.grade(request)


def interview(
    questions: Sequence[Question] = (FEED, WRITING),
    session: Session | None = None,
    **settings: object,
) -> tuple[Interview, RecordingGrader]:
    grader = RecordingGrader()
    return Interview(questions, InterviewSettings(**settings), grader, session), grader  # type: ignore[arg-type]


def listen(machine: Interview, action: Action) -> Action:
    """Play the host: say the line, then return the listen action."""
    assert action.kind == "speak", action
    listening = machine.on_spoken()
    assert listening.kind == "listen"
    return listening


def test_full_interview_over_two_questions(tmp_path: Path) -> None:
    session = Session(id="s", folder=tmp_path)
    machine, grader = interview(session=session)

    first = machine.start()
    assert first.purpose == "question" and first.question_index == 0
    assert "short video feed" in first.text
    assert first.time_limit_s == 300
    listening = listen(machine, first)
    assert listening.purpose == "question" and listening.time_limit_s == 300

    # A clarifying question is answered from the bank, then the same question is listened to.
    reply = machine.on_answer(
        text("Who are the users and what's the scale?", 4.0), tmp_path / "audio/turn-01.wav", 4.0
    )
    assert reply.purpose == "clarification_reply"
    assert USERS in reply.text and SCALE in reply.text
    listening = listen(machine, reply)
    assert listening.question_index == 0 and listening.purpose == "question"
    assert machine.current_prompt_text == FEED.prompt
    assert machine.follow_ups_asked == 0

    # The main answer is graded and probed.
    probe = machine.on_answer(text(DESIGN_ANSWER, 70.0), tmp_path / "audio/turn-02.wav", 70.0)
    assert probe.purpose == "follow_up"
    assert machine.follow_ups_asked == 1
    assert grader.requests[-1].clarifications_asked == ("Who are the users and what's the scale?",)
    assert grader.requests[-1].prompt is None
    listening = listen(machine, probe)
    assert listening.purpose == "follow_up" and listening.text == probe.text

    # Answer probes until the interview moves on to the second question.
    action = machine.on_answer(text(ADAPTED_ANSWER, 30.0), tmp_path / "audio/turn-03.wav", 30.0)
    while action.purpose == "follow_up":
        listen(machine, action)
        action = machine.on_answer(text(FOLLOW_UP_ANSWER, 20.0), None, 20.0)
    assert action.purpose == "question" and action.question_index == 1
    assert action.text.startswith("Thanks.")
    assert "writing assistant" in action.text
    assert machine.follow_ups_asked == 0

    listen(machine, action)
    action = machine.on_answer(text(WRITING_ANSWER, 50.0), None, 50.0)
    while action.purpose == "follow_up":
        listen(machine, action)
        action = machine.on_answer(text(FOLLOW_UP_ANSWER, 20.0), None, 20.0)
    assert action.purpose == "closing"
    assert session.status == STATUS_COMPLETE
    assert machine.on_spoken().kind == "report"
    assert machine.phase == "done"

    # What the host saves.
    assert [q.question["id"] for q in session.questions] == [FEED.id, WRITING.id]
    feed_turns = session.questions[0].turns
    assert feed_turns[0].role == ROLE_CLARIFICATION
    assert feed_turns[0].interviewer_reply == reply.text
    assert feed_turns[0].audio == "audio/turn-01.wav"
    assert feed_turns[0].gradings == []
    assert feed_turns[1].role == ROLE_ANSWER and feed_turns[1].grade is not None
    assert feed_turns[1].audio == "audio/turn-02.wav"
    assert all(t.role == ROLE_FOLLOW_UP for t in feed_turns[2:])
    assert all(t.grade is not None for t in session.questions[1].turns)
    assert [t.index for t in session.turns] == list(range(1, len(session.turns) + 1))
    assert feed_turns[2].follow_up is not None
    assert feed_turns[2].prompt == feed_turns[2].follow_up["text"]
    # Probes are never repeated: the shared probe is asked at most once in the session.
    asked = [t.follow_up["text"] for t in session.turns if t.follow_up]
    assert len(asked) == len(set(asked))


def test_constraint_follow_up_is_asked_and_its_answer_graded_against_the_earlier_one() -> None:
    machine, grader = interview(questions=(FEED,))
    listen(machine, machine.start())
    probe = machine.on_answer(text(TESTED_DESIGN_ANSWER, 80.0))
    assert probe.purpose == "follow_up"
    assert probe.text == CONSTRAINT_TEXT
    assert machine.current_follow_up is not None
    assert machine.current_follow_up.constraint == "new creators need fair exposure"

    listen(machine, probe)
    machine.on_answer(text(ADAPTED_ANSWER, 30.0))
    adapted_request = grader.requests[-1]
    assert adapted_request.prompt is not None
    assert adapted_request.prompt.constraint == "new creators need fair exposure"
    assert [t.text for t in adapted_request.previous_answers] == [TESTED_DESIGN_ANSWER]
    assert adapted_request.asked_probes == frozenset({CONSTRAINT_TEXT})
    assert adapted_request.follow_ups_left == 1
    turn = machine.session.questions[0].turns[-1]
    assert turn.role == ROLE_FOLLOW_UP
    assert turn.follow_up == {
        "text": CONSTRAINT_TEXT,
        "dimension": "tradeoffs",
        "constraint": "new creators need fair exposure",
    }


def test_follow_ups_per_question_is_a_hard_limit() -> None:
    machine, _ = interview(follow_ups_per_question=1)
    listen(machine, machine.start())
    probe = machine.on_answer(text(DESIGN_ANSWER))
    assert probe.purpose == "follow_up"
    listen(machine, probe)
    assert machine.on_answer(text(FOLLOW_UP_ANSWER, 20.0)).purpose == "question"

    machine, _ = interview(follow_ups_per_question=0)
    listen(machine, machine.start())
    assert machine.on_answer(text(DESIGN_ANSWER)).purpose == "question"


def test_no_follow_up_when_the_answer_used_up_the_time() -> None:
    machine, grader = interview(time_limit_s=120)
    first = machine.start()
    assert first.time_limit_s == 120
    listen(machine, first)
    # The question's whole budget is 120 s plus two 60 s follow-ups; 270 s leaves under 45 s.
    action = machine.on_answer(text(DESIGN_ANSWER, 270.0))
    assert action.purpose == "question"
    assert grader.requests[-1].time_left_s == pytest.approx(0.0, abs=30.0)


def test_follow_up_answer_window_is_shorter_than_the_main_one() -> None:
    machine, grader = interview(questions=(FEED,))
    listen(machine, machine.start())
    probe = machine.on_answer(text(DESIGN_ANSWER, 70.0))
    assert grader.requests[-1].time_limit_s == 300
    assert probe.purpose == "follow_up"
    assert probe.time_limit_s is not None and 60.0 <= probe.time_limit_s <= 120.0
    assert machine.time_limit_for_current() == probe.time_limit_s
    listen(machine, probe)
    machine.on_answer(text(ADAPTED_ANSWER, 50.0))
    # Graded against the window the candidate was shown, not what remained afterwards.
    assert grader.requests[-1].time_limit_s == probe.time_limit_s


def test_untimed_practice_has_no_limits() -> None:
    machine, grader = interview(time_limit_s=0)
    action = machine.start()
    assert action.time_limit_s is None
    listen(machine, action)
    assert machine.on_answer(text(DESIGN_ANSWER, 900.0)).purpose == "follow_up"
    assert grader.requests[-1].time_left_s is None


def test_clarifications_do_not_use_up_follow_ups() -> None:
    machine, _ = interview(follow_ups_per_question=1)
    listen(machine, machine.start())
    for question in ("Who are the users?", "What's the scale?"):
        reply = machine.on_answer(text(question, 3.0))
        assert reply.purpose == "clarification_reply"
        listen(machine, reply)
    assert machine.follow_ups_asked == 0
    assert machine.on_answer(text(DESIGN_ANSWER)).purpose == "follow_up"


def test_many_clarifying_questions_get_a_nudge_to_start() -> None:
    machine, _ = interview()
    listen(machine, machine.start())
    replies = []
    for question in ("Who are the users?", "What's the scale?", "Is it on mobile?"):
        reply = machine.on_answer(text(question, 3.0))
        replies.append(reply.text)
        listen(machine, reply)
    assert "get going" not in replies[0]
    assert "get going" in replies[-1]


def test_repeat_says_the_prompt_again_and_keeps_listening() -> None:
    machine, _ = interview()
    listen(machine, machine.start())
    again = machine.repeat()
    assert again.kind == "speak" and again.purpose == "repeat"
    assert FEED.prompt.rstrip(".") in again.text
    listening = machine.on_spoken()
    assert listening.kind == "listen" and listening.question_index == 0


def test_nothing_heard_asks_again_once_then_moves_on() -> None:
    machine, _ = interview()
    listen(machine, machine.start())
    again = machine.on_answer(text("", 5.0))
    assert again.purpose == "repeat" and "didn't catch" in again.text
    listen(machine, again)
    assert machine.session.turns == []
    moved = machine.on_answer(text("", 5.0))
    assert moved.purpose == "question" and moved.question_index == 1
    assert machine.session.questions[0].turns[0].grade is not None


def test_skip_records_the_question_without_turns_and_asks_the_next() -> None:
    machine, _ = interview()
    listen(machine, machine.start())
    nxt = machine.skip()
    assert nxt.purpose == "question" and nxt.question_index == 1
    assert "move on" in nxt.text
    skipped = machine.session.questions[0]
    assert skipped.turns == [] and skipped.question["skipped"] is True
    listen(machine, nxt)
    assert machine.skip().purpose == "closing"
    assert machine.session.status == STATUS_COMPLETE


def test_end_early_still_produces_a_report() -> None:
    machine, _ = interview()
    listen(machine, machine.start())
    machine.on_answer(text(DESIGN_ANSWER))
    report = machine.end_early()
    assert report.kind == "report"
    assert machine.session.status == STATUS_ENDED_EARLY
    assert machine.phase == "done"
    assert machine.session.questions[0].turns[0].grade is not None
    with pytest.raises(InterviewStateError):
        machine.on_answer(text(DESIGN_ANSWER))
    with pytest.raises(InterviewStateError):
        machine.repeat()


def test_events_out_of_order_are_refused() -> None:
    machine, _ = interview()
    with pytest.raises(InterviewStateError):
        machine.on_answer(text(DESIGN_ANSWER))
    machine.start()
    with pytest.raises(InterviewStateError):
        machine.on_answer(text(DESIGN_ANSWER))  # still speaking the question
    with pytest.raises(InterviewStateError):
        machine.start()


def test_probe_asked_on_one_question_is_not_asked_again_on_the_next() -> None:
    machine, _ = interview(questions=(WRITING, WRITING))
    listen(machine, machine.start())
    asked: list[str] = []
    action = machine.on_answer(text(WRITING_ANSWER))
    while action.kind == "speak" and action.purpose != "closing":
        if action.purpose == "follow_up":
            asked.append(action.text)
        listen(machine, action)
        action = machine.on_answer(text(WRITING_ANSWER))
    assert len(asked) >= 2
    assert len(asked) == len(set(asked))
    assert machine.asked_probes == tuple(asked)


def test_grading_failure_keeps_the_answer_and_moves_on() -> None:
    class BrokenGrader:
        name = "broken"

        def grade(self, request: GradeRequest) -> Grade:
            raise GradingError("the grading engine is unavailable")

    machine = Interview((FEED, WRITING), InterviewSettings(), BrokenGrader())
    listen(machine, machine.start())
    action = machine.on_answer(text(DESIGN_ANSWER))
    assert action.purpose == "question"
    turn = machine.session.turns[0]
    assert turn.transcript is not None and turn.grade is None
    assert any("could not be graded" in note for note in machine.session.notes)


def test_unexpected_grader_crash_can_be_retried_without_a_duplicate_turn() -> None:
    class FlakyGrader:
        name = "offline"

        def __init__(self) -> None:
            self.calls = 0

        def grade(self, request: GradeRequest) -> Grade:
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("worker torn down")
            return make_grader("offline").grade(request)

    machine = Interview((FEED,), InterviewSettings(), FlakyGrader())
    listen(machine, machine.start())
    with pytest.raises(RuntimeError):
        machine.on_answer(text(DESIGN_ANSWER))
    assert machine.phase == "listening" and machine.session.turns == []
    assert machine.on_answer(text(DESIGN_ANSWER)).purpose == "follow_up"
    assert len(machine.session.turns) == 1


def test_settings_are_validated_and_stored_in_the_session() -> None:
    with pytest.raises(ConfigError):
        Interview((), InterviewSettings(), make_grader("offline"))
    with pytest.raises(ConfigError):
        Interview((FEED,), InterviewSettings(follow_ups_per_question=-1), make_grader("offline"))
    with pytest.raises(ConfigError):
        Interview((FEED,), InterviewSettings(engine="nonsense"))
    machine = Interview((FEED,), InterviewSettings(whisper_model="tiny.en"))
    assert machine.session.settings["question_ids"] == [FEED.id]
    assert machine.session.settings["whisper_model"] == "tiny.en"


def test_audio_outside_the_session_folder_keeps_its_full_path(tmp_path: Path) -> None:
    machine, _ = interview(session=Session(id="s", folder=tmp_path / "session"))
    listen(machine, machine.start())
    outside = tmp_path / "elsewhere.wav"
    machine.on_answer(text(DESIGN_ANSWER), outside, 60.0)
    assert machine.session.turns[0].audio == str(outside)


def test_second_probe_builds_on_everything_said_on_the_question() -> None:
    # The experiment answer alone shows no design, but the main answer did, and together they
    # leave only small gaps: the constraint comes next.
    machine, grader = interview(questions=(FEED,))
    listen(machine, machine.start())
    probe = machine.on_answer(text(DESIGN_ANSWER, 75.0))
    assert probe.text == SHARED_PROBE  # experimentation was missing
    listen(machine, probe)
    second = machine.on_answer(text(FOLLOW_UP_ANSWER, 20.0))
    alone = grader.requests[-1]
    design_alone = make_grader("offline").grade(alone).dimension("system_design")
    assert design_alone is not None and (design_alone.score or 0) < 3
    assert second.purpose == "follow_up" and second.text == CONSTRAINT_TEXT


def test_closing_cannot_be_skipped_or_repeated_and_a_finished_interview_stays_complete() -> None:
    machine, _ = interview(questions=(FEED,), follow_ups_per_question=0)
    listen(machine, machine.start())
    closing = machine.on_answer(text(DESIGN_ANSWER))
    assert closing.purpose == "closing"
    with pytest.raises(InterviewStateError):
        machine.skip()
    with pytest.raises(InterviewStateError):
        machine.repeat()
    assert machine.end_early().kind == "report"
    assert machine.session.status == STATUS_COMPLETE


def test_asking_to_hear_the_question_again_repeats_it_without_grading() -> None:
    machine, grader = interview()
    listen(machine, machine.start())
    again = machine.on_answer(text("Sorry, could you repeat the question?", 2.0))
    assert again.purpose == "repeat" and FEED.prompt.rstrip(".") in again.text
    listen(machine, again)
    pause = machine.on_answer(text("Can I take a moment to think?", 2.0))
    assert pause.purpose == "clarification_reply" and "take your time" in pause.text.lower()
    listen(machine, pause)
    assert grader.requests == []
    machine.on_answer(text(DESIGN_ANSWER))
    assert grader.requests[-1].clarifications_asked == ()
    roles = [t.role for t in machine.session.turns]
    assert roles == [ROLE_CLARIFICATION, ROLE_CLARIFICATION, ROLE_ANSWER]


def test_free_question_is_probed_with_generic_spoken_probes() -> None:
    from engine.questions.model import free_question

    question = free_question("Design a recommender for a podcast app.", "design", 300)
    machine, _ = interview(questions=(question,))
    listen(machine, machine.start())
    answer = (
        "I would rank episodes with collaborative filtering on listening history, trained "
        "daily, and compare it with a popularity baseline."
    )
    probe = machine.on_answer(text(answer))
    assert probe.purpose == "follow_up"
    # Model-first: the framing is the biggest gap, asked in the generic repertoire's words.
    framing = {spoken(t) for t in generic_probes.DIMENSION_PROBES["problem_framing"]}
    assert probe.text in framing
    reply = machine.on_spoken()
    assert reply.kind == "listen"
    assert machine.session.questions[0].question["id"] is None


def test_a_turn_of_fillers_only_counts_as_nothing_heard() -> None:
    machine, grader = interview()
    listen(machine, machine.start())
    again = machine.on_answer(text("Um... okay.", 3.0))
    assert again.purpose == "repeat"
    assert grader.requests == [] and machine.session.turns == []


def test_question_is_spoken_with_its_context_and_numbers_in_words() -> None:
    question = Question(
        id="diagnose-test-sessions",
        category="diagnose",
        prompt="Sessions are down 20% today. Why?",
        context="You run the home feed of a news app (web and mobile).",
        follow_ups=(FollowUp("Is the drop real?", "diagnosis"),),
    )
    machine, _ = interview(questions=(question,))
    spoken_line = machine.start().text
    assert spoken_line == (
        "Let's begin. Here is your question. You run the home feed of a news app, web and "
        "mobile. Sessions are down twenty percent today. Why?"
    )
    assert machine.current_prompt_text == "Sessions are down 20% today. Why?"
